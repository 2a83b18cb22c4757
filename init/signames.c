#include "init/signames.h"

#include <signal.h>
#include <strings.h>
#include <string.h>

#include "common/parse.h"

static const struct {
	const char *name;
	int number;
} names[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },	      { "QUIT", SIGQUIT }, { "ILL", SIGILL },	  { "TRAP", SIGTRAP },
	{ "ABRT", SIGABRT }, { "IOT", SIGIOT },	      { "BUS", SIGBUS },   { "FPE", SIGFPE },	  { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },     { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE },	  { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },	  { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },     { "TTOU", SIGTTOU }, { "URG", SIGURG },	  { "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
	{ "POLL", SIGPOLL }, { "PWR", SIGPWR },	      { "SYS", SIGSYS },
};

static int in_range(unsigned v)
{
	return v >= 1 && v <= SIGNAL_MAX ? (int)v : -1;
}

int signal_from_name(const char *name)
{
	unsigned v;

	if (name[0] >= '0' && name[0] <= '9')
		return parse_uint(name, SIGNAL_MAX, &v) < 0 ? -1 : in_range(v);
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		int base = strncasecmp(name, "RTMIN", 5) == 0 ? SIGNAL_RTMIN_GLIBC : SIGNAL_MAX;
		const char *rest = name + 5;
		if (!*rest)
			return base;
		if ((rest[0] != '+' && rest[0] != '-') || parse_uint(rest + 1, SIGNAL_MAX, &v) < 0)
			return -1;
		int sig = rest[0] == '+' ? base + (int)v : base - (int)v;
		return sig >= SIGNAL_RTMIN_GLIBC && sig <= SIGNAL_MAX ? sig : -1;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].number;
	return -1;
}

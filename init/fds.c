#include "init/fds.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/parse.h"
#include "init/sys.h"

static const char *env_value(char *const envp[], const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

void fds_plan(unsigned keep_fds, char *const envp[], pid_t self, struct fd_plan *plan, struct buf *warn)
{
	const char *pid_text = env_value(envp, "LISTEN_PID");
	const char *fds_text = env_value(envp, "LISTEN_FDS");
	unsigned listen_pid, listen_fds;

	plan->keep = keep_fds;
	plan->listen_pid = false;
	/* Socket activation is for the process LISTEN_PID names; other values
	 * are someone else's (and the service will not take them either). */
	if (!pid_text || parse_uint(pid_text, 0x7fffffff, &listen_pid) < 0 || (pid_t)listen_pid != self)
		return;
	if (!fds_text || parse_uint(fds_text, MAX_KEEP_FDS, &listen_fds) < 0) {
		buf_fmt(warn, "LISTEN_FDS='%s' is not a count of fds: the socket-activation fds are closed",
			fds_text ? fds_text : "");
		return;
	}
	plan->listen_pid = true;
	if (listen_fds > plan->keep)
		plan->keep = listen_fds;
}

/* close(2) each fd >= first listed in /proc/self/fd. */
static int close_listed(unsigned first)
{
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return -1;
	int own = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		unsigned fd;
		if (parse_uint(e->d_name, 0x7fffffff, &fd) == 0 && fd >= first && (int)fd != own)
			(void)close((int)fd);
	}
	closedir(d);
	return 0;
}

/* close(2) each fd from first up to the fd limit: EBADF for the unused. */
static int close_up_to_limit(unsigned first)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	/* fs.nr_open, the kernel's ceiling for any fd limit, is 1M by default. */
	rlim_t end = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1u << 20) : rl.rlim_cur;
	for (rlim_t fd = first; fd < end; fd++)
		(void)close((int)fd);
	return 0;
}

int fds_close_inherited(const struct fd_plan *plan)
{
	unsigned first = 3 + plan->keep;

	if (sys_close_range(first, ~0u) == 0)
		return 0;
	/* ENOSYS before Linux 5.9; EPERM under a runtime filter without it. */
	if (close_listed(first) == 0)
		return 0;
	return close_up_to_limit(first);
}

int fds_set_listen_pid(void)
{
	static char entry[32] = "LISTEN_PID=";
	const size_t prefix = sizeof "LISTEN_PID=" - 1;
	struct buf b;

	/* In the forked child, before exec: the entry is replaced in place (no
	 * setenv, whose allocations this binary need not carry). */
	buf_init(&b, entry + prefix, sizeof entry - prefix);
	buf_i64(&b, getpid());
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, entry, prefix) == 0) {
			*e = entry;
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

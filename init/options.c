#include "init/options.h"

#include <cap-ng.h>
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/parse.h"

static const char usage_text[] =
"Usage: lucid-init [OPTIONS] -- COMMAND [ARG...]\n"
"       lucid-init audit [--json]\n"
"\n"
"PID 1 for containers: starts COMMAND as an unprivileged child, forwards every\n"
"signal to it, reaps every zombie, and exits with COMMAND's status.\n"
"\n"
"Options (each also from the environment variable shown):\n"
"  -u, --user UID[:GID]|NAME[:GROUP]  LUCID_INIT_USER\n"
"        identity of COMMAND when started as root (default 65532:65532);\n"
"        names are read from /etc/passwd and /etc/group; 0 keeps root (warned)\n"
"  -c, --cap NAME       LUCID_INIT_CAPS=NAME,NAME\n"
"        keep capability NAME for COMMAND through the ambient set\n"
"        (repeatable), e.g. --cap NET_BIND_SERVICE to bind ports below 1024\n"
"  -g, --pgroup         LUCID_INIT_PGROUP=1\n"
"        forward signals to COMMAND's whole process group\n"
"  -r, --rewrite FROM:TO LUCID_INIT_REWRITE=FROM:TO,FROM:TO\n"
"        forward signal FROM as TO (names or numbers: TERM:QUIT, USR1:0 drops\n"
"        USR1; RTMIN is 34 as in glibc, so RTMIN+3 is 37)\n"
"  -e, --exit-zero CODE LUCID_INIT_EXIT_ZERO=CODE,CODE\n"
"        report exit code CODE as 0 (repeatable; e.g. 143 for Java)\n"
"      --drain SECONDS  LUCID_INIT_DRAIN (default 2)\n"
"        after COMMAND exits, SIGTERM what is left, SIGKILL it after SECONDS\n"
"      --grace SECONDS  LUCID_INIT_GRACE (default off)\n"
"        SIGKILL COMMAND if it still runs SECONDS after a forwarded SIGTERM/SIGINT\n"
"      --seccomp PROFILE  LUCID_INIT_SECCOMP (default: default)\n"
"        the service's seccomp filter, installed right before exec: a\n"
"        built-in profile (default, python, node, static: seccomp/NAME.json),\n"
"        FILE.bpf compiled by lucid-seccomp, or none (warned); a filter that\n"
"        does not load stops the start\n"
"  -v, --verbose        LUCID_INIT_VERBOSE=1\n"
"  -h, --help           this text\n"
"  -V, --version        the version\n"
"\n"
"Started as root, lucid-init drops to the user before it forks: COMMAND runs\n"
"with no supplementary groups, no capabilities (but --cap ones),\n"
"no_new_privs and the seccomp filter; lucid-init empties its own capability\n"
"sets and confines itself with its own minimal filter before COMMAND execs.\n"
"Started as non-root, both keep their identity and get no_new_privs.\n"
"\n"
"audit lists every process in the PID namespace with its credentials,\n"
"capabilities, no_new_privs and seccomp state; --json for machines.\n"
"\n"
"Exit status:\n"
"  N        COMMAND exited with N (0 if N was given with --exit-zero)\n"
"  128+S    COMMAND was killed by signal S\n"
"  100      usage error\n"
"  111      setup failed before COMMAND ran (user lookup, privilege drop,\n"
"           seccomp filter, signal setup, fork); COMMAND was not started\n"
"  126      COMMAND is not executable\n"
"  127      COMMAND was not found\n"
"  audit:   0 every process is unprivileged and confined, 1 otherwise,\n"
"           111 /proc could not be read\n";

void options_usage(int fd)
{
	(void)write_all(fd, usage_text, sizeof usage_text - 1);
}

int capability_from_name(const char *name)
{
	char lower[64];
	size_t n = strlen(name);

	if (strncasecmp(name, "cap_", 4) == 0) {
		name += 4;
		n -= 4;
	}
	if (n == 0 || n >= sizeof lower)
		return -1;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	/* libcap-ng also accepts bare numbers; a capability is asked for by name. */
	if (isdigit((unsigned char)lower[0]))
		return -1;
	return capng_name_to_capability(lower);
}

static int add_cap(struct init_options *o, const char *name, struct buf *err)
{
	int cap = capability_from_name(name);

	if (cap < 0) {
		buf_fmt(err, "unknown capability '%s' (e.g. NET_BIND_SERVICE)", name);
		return -1;
	}
	for (size_t i = 0; i < o->n_keep_caps; i++)
		if (o->keep_caps[i] == (unsigned)cap)
			return 0;
	if (o->n_keep_caps == MAX_KEEP_CAPS) {
		buf_fmt(err, "too many --cap (at most %d)", MAX_KEEP_CAPS);
		return -1;
	}
	o->keep_caps[o->n_keep_caps++] = (unsigned)cap;
	return 0;
}

static int add_exit_zero(struct init_options *o, const char *s, struct buf *err)
{
	unsigned code;

	if (parse_uint(s, 255, &code) < 0) {
		buf_fmt(err, "--exit-zero: '%s' is not an exit code (0-255)", s);
		return -1;
	}
	if (o->n_exit_zero == MAX_EXIT_ZERO) {
		buf_fmt(err, "too many --exit-zero (at most %d)", MAX_EXIT_ZERO);
		return -1;
	}
	o->exit_zero[o->n_exit_zero++] = (int)code;
	return 0;
}

/* "FROM:TO", both signal names or numbers; TO may be 0: drop FROM. */
static int add_rewrite(struct init_options *o, const char *spec, struct buf *err)
{
	char from[32];
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : 0;

	if (!colon || n == 0 || n >= sizeof from) {
		buf_fmt(err, "--rewrite: '%s' is not FROM:TO (e.g. TERM:QUIT)", spec);
		return -1;
	}
	memcpy(from, spec, n);
	from[n] = '\0';
	int f = signal_from_name(from);
	int t = strcmp(colon + 1, "0") == 0 ? 0 : signal_from_name(colon + 1);
	if (f < 0 || t < 0) {
		buf_fmt(err, "--rewrite: unknown signal '%s'", f < 0 ? from : colon + 1);
		return -1;
	}
	if (f == SIGCHLD || f == SIGKILL || f == SIGSTOP) {
		buf_fmt(err, "--rewrite: %s is never forwarded, so it cannot be rewritten", from);
		return -1;
	}
	o->rewrite[f] = t;
	return 0;
}

static int set_duration(uint64_t *ms, const char *what, const char *s, struct buf *err)
{
	if (parse_duration_ms(s, MAX_DURATION_MS, ms) < 0) {
		buf_fmt(err, "%s: '%s' is not a duration in seconds (e.g. 2, 0.5, 250ms; at most 86400)", what, s);
		return -1;
	}
	return 0;
}

static int set_bool(bool *flag, const char *what, const char *s, struct buf *err)
{
	if (!strcmp(s, "1") || !strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*flag = true;
	} else if (!strcmp(s, "0") || !strcasecmp(s, "false") || !strcasecmp(s, "no") || !*s) {
		*flag = false;
	} else {
		buf_fmt(err, "%s: '%s' is not a boolean (1/0, true/false, yes/no)", what, s);
		return -1;
	}
	return 0;
}

/* Apply "a,b,c" one item at a time. */
static int for_each_item(struct init_options *o, const char *list, struct buf *err,
			 int (*add)(struct init_options *, const char *, struct buf *))
{
	char item[64];

	while (*list) {
		size_t n = strcspn(list, ",");
		if (n >= sizeof item) {
			buf_fmt(err, "list item too long in '%s'", list);
			return -1;
		}
		memcpy(item, list, n);
		item[n] = '\0';
		if (n && add(o, item, err) < 0)
			return -1;
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

static int from_environment(struct init_options *o, struct buf *err)
{
	const char *v;
	bool verbose = false;

	if ((v = getenv("LUCID_INIT_USER")) && *v)
		o->user = v;
	if ((v = getenv("LUCID_INIT_CAPS")) && for_each_item(o, v, err, add_cap) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_PGROUP")) && set_bool(&o->process_group, "LUCID_INIT_PGROUP", v, err) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_EXIT_ZERO")) && for_each_item(o, v, err, add_exit_zero) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_REWRITE")) && for_each_item(o, v, err, add_rewrite) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_DRAIN")) && set_duration(&o->drain_ms, "LUCID_INIT_DRAIN", v, err) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_GRACE")) && set_duration(&o->grace_ms, "LUCID_INIT_GRACE", v, err) < 0)
		return -1;
	if ((v = getenv("LUCID_INIT_SECCOMP")) && *v)
		o->seccomp = v;
	if ((v = getenv("LUCID_INIT_VERBOSE")) && set_bool(&verbose, "LUCID_INIT_VERBOSE", v, err) < 0)
		return -1;
	o->verbosity = verbose;
	return 0;
}

enum options_result options_parse(struct init_options *o, int argc, char **argv, struct buf *err)
{
	enum { OPT_DRAIN = 256, OPT_GRACE, OPT_SECCOMP };
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "cap", required_argument, NULL, 'c' },
		{ "pgroup", no_argument, NULL, 'g' },
		{ "exit-zero", required_argument, NULL, 'e' },
		{ "rewrite", required_argument, NULL, 'r' },
		{ "drain", required_argument, NULL, OPT_DRAIN },
		{ "grace", required_argument, NULL, OPT_GRACE },
		{ "seccomp", required_argument, NULL, OPT_SECCOMP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};

	memset(o, 0, sizeof *o);
	o->drain_ms = DEFAULT_DRAIN_MS;
	for (int sig = 0; sig <= SIGNAL_MAX; sig++)
		o->rewrite[sig] = sig;
	if (from_environment(o, err) < 0)
		return OPTIONS_USAGE;

	/* "+": stop at the first non-option (musl does not permute anyway);
	 * ":": report a missing argument as ':' so the message is ours. */
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:u:c:ge:r:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			if (!*optarg) {
				buf_str(err, "--user: empty user");
				return OPTIONS_USAGE;
			}
			o->user = optarg;
			break;
		case 'c':
			if (add_cap(o, optarg, err) < 0)
				return OPTIONS_USAGE;
			break;
		case 'g':
			o->process_group = true;
			break;
		case 'e':
			if (add_exit_zero(o, optarg, err) < 0)
				return OPTIONS_USAGE;
			break;
		case 'r':
			if (add_rewrite(o, optarg, err) < 0)
				return OPTIONS_USAGE;
			break;
		case OPT_DRAIN:
			if (set_duration(&o->drain_ms, "--drain", optarg, err) < 0)
				return OPTIONS_USAGE;
			break;
		case OPT_GRACE:
			if (set_duration(&o->grace_ms, "--grace", optarg, err) < 0)
				return OPTIONS_USAGE;
			break;
		case OPT_SECCOMP:
			if (!*optarg) {
				buf_str(err, "--seccomp: empty value (default, python, node, static, none or a FILE.bpf)");
				return OPTIONS_USAGE;
			}
			o->seccomp = optarg;
			break;
		case 'v':
			o->verbosity++;
			break;
		case 'h':
			options_usage(STDOUT_FILENO);
			return OPTIONS_EXIT_OK;
		case 'V':
			(void)write_all(STDOUT_FILENO, "lucid-init " LUCID_VERSION "\n", sizeof("lucid-init " LUCID_VERSION "\n") - 1);
			return OPTIONS_EXIT_OK;
		case ':':
			buf_fmt(err, "option '%s' needs a value", argv[optind - 1]);
			return OPTIONS_USAGE;
		default:
			if (optopt)
				buf_fmt(err, "unknown option '-%c' (see --help)", optopt);
			else
				buf_fmt(err, "unknown option '%s' (see --help)", argv[optind - 1]);
			return OPTIONS_USAGE;
		}
	}

	/* "--" is required so a service's own options can never be taken for ours. */
	if (optind == 0 || optind > argc || strcmp(argv[optind - 1], "--") != 0) {
		if (optind < argc)
			buf_fmt(err, "missing '--' before the command '%s'", argv[optind]);
		else
			buf_str(err, "no command given: lucid-init [OPTIONS] -- COMMAND [ARG...]");
		return OPTIONS_USAGE;
	}
	if (optind == argc || !argv[optind][0]) {
		buf_str(err, "no command given after '--'");
		return OPTIONS_USAGE;
	}
	o->command = argv + optind;
	return OPTIONS_RUN;
}

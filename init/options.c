#include "init/options.h"

#include <cap-ng.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/io.h"
#include "common/cli.h"
#include "common/list.h"
#include "common/parse.h"

static const char usage_text[] = "Usage: lucid-init [OPTIONS] -- COMMAND [ARG...]\n"
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
				 "        forward signals to COMMAND's whole process group (job control:\n"
				 "        STOP, TSTP, TTIN, TTOU and CONT always go to the group)\n"
				 "  -r, --rewrite FROM:TO LUCID_INIT_REWRITE=FROM:TO,FROM:TO\n"
				 "        forward signal FROM as TO (names or numbers: TERM:QUIT, USR1:0 drops\n"
				 "        USR1; RTMIN is 34 as in glibc, so RTMIN+3 is 37; 32 and 33 are no\n"
				 "        TO: every libc keeps them)\n"
				 "  -e, --exit-zero CODE LUCID_INIT_EXIT_ZERO=CODE,CODE\n"
				 "        report exit code CODE as 0 (repeatable, any of 0-255; e.g. 143 for Java)\n"
				 "      --drain off|SECONDS  LUCID_INIT_DRAIN (default 2)\n"
				 "        what happens to the processes left when COMMAND exits: SECONDS > 0:\n"
				 "        SIGTERM, then SIGKILL after SECONDS; 0: SIGKILL at once; off: left\n"
				 "        alone (as PID 1 the kernel kills them when lucid-init exits)\n"
				 "      --grace SECONDS  LUCID_INIT_GRACE (default off)\n"
				 "        SIGKILL COMMAND if it still runs SECONDS after a forwarded SIGTERM/SIGINT\n"
				 "      --keep-fds N     LUCID_INIT_KEEP_FDS (default 0)\n"
				 "        pass fds 3 to N+2 on to COMMAND; every other inherited fd above 2 is\n"
				 "        closed (socket activation's LISTEN_FDS, when LISTEN_PID is lucid-init's\n"
				 "        pid, are kept, and LISTEN_PID becomes COMMAND's)\n"
				 "      --pdeathsig SIG  LUCID_INIT_PDEATHSIG\n"
				 "        get SIG when lucid-init's parent dies, and forward it (when run\n"
				 "        under another supervisor)\n"
				 "      --seccomp PROFILE  LUCID_INIT_SECCOMP (default: default)\n"
				 "        the service's seccomp filter, installed right before exec: a\n"
				 "        built-in profile (default, python, node, static: seccomp/NAME.json),\n"
				 "        FILE.bpf compiled by lucid-seccomp, or none (warned); a filter that\n"
				 "        does not load stops the start\n"
				 "  -q, --quiet          LUCID_INIT_QUIET=1\n"
				 "        stderr for errors only: no warnings\n"
				 "  -v, --verbose        LUCID_INIT_VERBOSE=1\n"
				 "  -h, --help           this text\n"
				 "  -V, --version        the version\n"
				 "\n"
				 "Started as root, lucid-init drops to the user before it forks: COMMAND runs\n"
				 "with no supplementary groups, no capabilities (but --cap ones),\n"
				 "no_new_privs and the seccomp filter; lucid-init empties its own capability\n"
				 "sets and confines itself with its own minimal filter before COMMAND execs.\n"
				 "Started as non-root, both keep their identity and get no_new_privs.\n"
				 "Without a TTY COMMAND runs in a session of its own, where the kernel ignores\n"
				 "TSTP, TTIN and TTOU: they are forwarded as STOP (unless --rewrite says\n"
				 "otherwise). When COMMAND stops, lucid-init stops too (as PID 1 it says so).\n"
				 "\n"
				 "audit lists every process in the PID namespace with its credentials,\n"
				 "capabilities, no_new_privs, seccomp state and open fds; --json for machines.\n"
				 "\n"
				 "Exit status:\n"
				 "  N        COMMAND exited with N (0 if N was given with --exit-zero)\n"
				 "  128+S    COMMAND was killed by signal S\n"
				 "  100      usage error\n"
				 "  111      setup failed before COMMAND ran (user lookup, privilege drop,\n"
				 "           closing inherited fds, seccomp filter, signal setup, fork);\n"
				 "           COMMAND was not started\n"
				 "  126      COMMAND is not executable\n"
				 "  127      COMMAND was not found\n"
				 "  audit:   0 every process is unprivileged and confined and holds no fd of\n"
				 "           another mount namespace, 1 otherwise, 111 /proc could not be read\n";

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
		lower[i] = ascii_lower(name[i]);
	/* libcap-ng also accepts bare numbers; a capability is asked for by name. */
	if (ascii_is_digit(lower[0]))
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
		buf_fmt(err, "'%s' is not an exit code (0-255)", s);
		return -1;
	}
	for (size_t i = 0; i < o->n_exit_zero; i++)
		if (o->exit_zero[i] == (int)code)
			return 0;
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
		buf_fmt(err, "'%s' is not FROM:TO (e.g. TERM:QUIT)", spec);
		return -1;
	}
	memcpy(from, spec, n);
	from[n] = '\0';
	int f = signal_from_name(from);
	int t = strcmp(colon + 1, "0") == 0 ? 0 : signal_from_name(colon + 1);
	if (f < 0 || t < 0) {
		buf_fmt(err, "unknown signal '%s'", f < 0 ? from : colon + 1);
		return -1;
	}
	if (f == SIGCHLD || f == SIGKILL || f == SIGSTOP) {
		buf_fmt(err, "%s is never forwarded, so it cannot be rewritten", from);
		return -1;
	}
	if (t == 32 || t == 33) {
		buf_fmt(err, "'%s': no service can receive signal %d (glibc and musl keep 32 and 33 for themselves)",
			colon + 1, t);
		return -1;
	}
	o->rewrite[f] = t;
	return 0;
}

/* The options, in the one convention of common/cli.h. */
enum {
	O_USER,
	O_CAP,
	O_PGROUP,
	O_EXIT_ZERO,
	O_REWRITE,
	O_DRAIN,
	O_GRACE,
	O_KEEP_FDS,
	O_PDEATHSIG,
	O_SECCOMP,
	O_QUIET,
	O_VERBOSE,
	O_HELP,
	O_VERSION,
	O_COUNT
};
static const struct cli_option table[O_COUNT] = {
	[O_USER] = { "user", 'u', true, false, "LUCID_INIT_USER" },
	[O_CAP] = { "cap", 'c', true, true, "LUCID_INIT_CAPS" },
	[O_PGROUP] = { "pgroup", 'g', false, false, "LUCID_INIT_PGROUP" },
	[O_EXIT_ZERO] = { "exit-zero", 'e', true, true, "LUCID_INIT_EXIT_ZERO" },
	[O_REWRITE] = { "rewrite", 'r', true, true, "LUCID_INIT_REWRITE" },
	[O_DRAIN] = { "drain", 0, true, false, "LUCID_INIT_DRAIN" },
	[O_GRACE] = { "grace", 0, true, false, "LUCID_INIT_GRACE" },
	[O_KEEP_FDS] = { "keep-fds", 0, true, false, "LUCID_INIT_KEEP_FDS" },
	[O_PDEATHSIG] = { "pdeathsig", 0, true, false, "LUCID_INIT_PDEATHSIG" },
	[O_SECCOMP] = { "seccomp", 0, true, false, "LUCID_INIT_SECCOMP" },
	[O_QUIET] = { "quiet", 'q', false, false, "LUCID_INIT_QUIET" },
	[O_VERBOSE] = { "verbose", 'v', false, true, "LUCID_INIT_VERBOSE" },
	[O_HELP] = { "help", 'h', false, false, NULL },
	[O_VERSION] = { "version", 'V', false, false, NULL },
};

/* "--drain '1x': " or "LUCID_INIT_DRAIN='1x': ", then why. -1. */
static int bad(struct buf *err, const struct cli *c, size_t id, bool from_env, const char *value, const char *why)
{
	cli_name(err, c, id, from_env, value);
	buf_fmt(err, ": %s", why);
	return -1;
}

/* One list item for add(); empty items ("A,,B", a trailing ',') are skipped. */
struct each {
	struct init_options *o;
	struct buf *err;
	int (*add)(struct init_options *, const char *, struct buf *);
};

static int add_item(const char *item, void *ctx)
{
	struct each *e = ctx;

	return *item ? e->add(e->o, item, e->err) : 0;
}

/* A repeatable option: every command-line occurrence (each may itself be a
 * list), or else its variable's list. */
static int apply_list(struct init_options *o, const struct cli *c, size_t id,
		      int (*add)(struct init_options *, const char *, struct buf *), struct buf *err)
{
	struct each e = { o, err, add };
	size_t cursor = 0;
	bool env = !cli_given(c, id);
	const char *v = env ? c->env[id] : cli_next(c, id, &cursor);

	for (; v; v = env ? NULL : cli_next(c, id, &cursor)) {
		/* An empty variable is unset; an empty option asks for nothing
		 * and is a mistake (a quoting slip in a Dockerfile). */
		if (!env && !*v)
			return bad(err, c, id, env, v, "empty");
		/* "--cap: why" or "LUCID_INIT_CAPS: why", the item naming itself */
		size_t mark = buf_length(err);
		buf_fmt(err, "%s%s: ", env ? "" : "--", env ? c->opts[id].env : c->opts[id].name);
		if (list_each(v, ',', add_item, &e) < 0) {
			if (errno != E2BIG)
				return -1;
			buf_truncate(err, mark);
			return bad(err, c, id, env, v, "an item is too long");
		}
		buf_truncate(err, mark);
	}
	return 0;
}

static int apply_duration(uint64_t *ms, const struct cli *c, size_t id, struct buf *err)
{
	bool env;
	const char *v = cli_value(c, id, &env);

	if (v && parse_duration_ms(v, MAX_DURATION_MS, ms) < 0)
		return bad(err, c, id, env, v, "not a duration in seconds (e.g. 2, 0.5, 250ms; at most 86400)");
	return 0;
}

/* --drain off|SECONDS */
static int apply_drain(struct init_options *o, const struct cli *c, struct buf *err)
{
	bool env;
	const char *v = cli_value(c, O_DRAIN, &env);

	if (v && strcmp(v, "off") == 0) {
		o->drain_off = true;
		return 0;
	}
	if (v && parse_duration_ms(v, MAX_DURATION_MS, &o->drain_ms) < 0)
		return bad(err, c, O_DRAIN, env, v,
			   "not off or a duration in seconds (e.g. 2, 0.5, 250ms; at most 86400; 0: SIGKILL at once)");
	return 0;
}

static int apply_keep_fds(struct init_options *o, const struct cli *c, struct buf *err)
{
	bool env;
	const char *v = cli_value(c, O_KEEP_FDS, &env);

	if (v && parse_uint(v, MAX_KEEP_FDS, &o->keep_fds) < 0)
		return bad(err, c, O_KEEP_FDS, env, v, "not a count of fds (0-65536)");
	return 0;
}

static int apply_pdeathsig(struct init_options *o, const struct cli *c, struct buf *err)
{
	bool env;
	const char *v = cli_value(c, O_PDEATHSIG, &env);

	if (!v)
		return 0;
	o->pdeathsig = signal_from_name(v);
	if (o->pdeathsig < 0 || o->pdeathsig == SIGKILL || o->pdeathsig == SIGSTOP || o->pdeathsig == SIGCHLD)
		return bad(err, c, O_PDEATHSIG, env, v, "not a signal lucid-init can forward (e.g. TERM)");
	return 0;
}

static int apply_bool(bool *flag, const struct cli *c, size_t id, struct buf *err)
{
	bool env;
	const char *v = cli_value(c, id, &env);

	if (v && cli_bool(v, flag) < 0)
		return bad(err, c, id, env, v, "not a boolean (1/0, true/false, yes/no, on/off)");
	return 0;
}

enum options_result options_parse(struct init_options *o, int argc, char **argv, char *const envp[], struct buf *err)
{
	struct cli c;
	bool env;
	const char *v;

	cli_init(&c, table, O_COUNT, "LUCID_INIT_");
	memset(o, 0, sizeof *o);
	o->drain_ms = DEFAULT_DRAIN_MS;
	for (int sig = 0; sig <= SIGNAL_MAX; sig++)
		o->rewrite[sig] = sig;
	if (cli_parse(&c, CLI_COMMAND_AFTER, argc, argv, envp, err) < 0)
		return OPTIONS_USAGE;
	if (cli_given(&c, O_HELP)) {
		options_usage(STDOUT_FILENO);
		return OPTIONS_EXIT_OK;
	}
	if (cli_given(&c, O_VERSION)) {
		(void)write_all(STDOUT_FILENO, "lucid-init " LUCID_VERSION "\n",
				sizeof("lucid-init " LUCID_VERSION "\n") - 1);
		return OPTIONS_EXIT_OK;
	}
	if ((v = cli_value(&c, O_USER, &env)) && !*v) {
		bad(err, &c, O_USER, env, v, "empty user");
		return OPTIONS_USAGE;
	}
	o->user = v;
	if ((v = cli_value(&c, O_SECCOMP, &env)) && !*v) {
		bad(err, &c, O_SECCOMP, env, v, "empty (default, python, node, static, none or a FILE.bpf)");
		return OPTIONS_USAGE;
	}
	o->seccomp = v;
	if (apply_list(o, &c, O_CAP, add_cap, err) < 0 || apply_list(o, &c, O_EXIT_ZERO, add_exit_zero, err) < 0 ||
	    apply_list(o, &c, O_REWRITE, add_rewrite, err) < 0 ||
	    apply_bool(&o->process_group, &c, O_PGROUP, err) < 0 || apply_drain(o, &c, err) < 0 ||
	    apply_duration(&o->grace_ms, &c, O_GRACE, err) < 0 || apply_keep_fds(o, &c, err) < 0 ||
	    apply_pdeathsig(o, &c, err) < 0)
		return OPTIONS_USAGE;
	/* -v counts (-vv); the variable is a boolean. */
	size_t cursor = 0;
	while (cli_next(&c, O_VERBOSE, &cursor))
		o->verbosity++;
	if (!o->verbosity) {
		bool verbose = false;
		if (apply_bool(&verbose, &c, O_VERBOSE, err) < 0)
			return OPTIONS_USAGE;
		o->verbosity = verbose;
	}
	bool quiet = false;
	if (apply_bool(&quiet, &c, O_QUIET, err) < 0)
		return OPTIONS_USAGE;
	if (quiet && o->verbosity) {
		buf_str(err, "--quiet and --verbose contradict each other");
		return OPTIONS_USAGE;
	}
	if (quiet)
		o->verbosity = -1;

	/* "--" is required so a service's own options can never be taken for ours. */
	if (!c.command) {
		buf_str(err, "no command given: lucid-init [OPTIONS] -- COMMAND [ARG...]");
		return OPTIONS_USAGE;
	}
	if (c.command >= argc || !argv[c.command][0]) {
		buf_str(err, "no command given after '--'");
		return OPTIONS_USAGE;
	}
	o->command = argv + c.command;
	return OPTIONS_RUN;
}

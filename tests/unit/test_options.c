/* Unit tests for init/options.c: the command line, LUCID_INIT_* variables,
 * and the clear one-line errors for bad input. */
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "init/options.h"

static const char *const env_vars[] = {
	"LUCID_INIT_USER",  "LUCID_INIT_CAPS",	   "LUCID_INIT_PGROUP",	   "LUCID_INIT_EXIT_ZERO", "LUCID_INIT_DRAIN",
	"LUCID_INIT_GRACE", "LUCID_INIT_VERBOSE",  "LUCID_INIT_REWRITE",   "LUCID_INIT_SECCOMP",   "LUCID_INIT_SECOMP",
	"LUCID_INIT_QUIET", "LUCID_INIT_KEEP_FDS", "LUCID_INIT_PDEATHSIG",
};

static char errmem[512];

static int clean_env(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof env_vars / sizeof *env_vars; i++)
		unsetenv(env_vars[i]);
	return 0;
}

/* Parse a NULL-terminated argument list (argv[0] is supplied). */
static enum options_result parse(struct init_options *o, const char **args)
{
	static char *argv[600];
	struct buf err;
	int argc = 0;

	argv[argc++] = (char *)"lucid-init";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	buf_init(&err, errmem, sizeof errmem);
	extern char **environ;
	return options_parse(o, argc, argv, environ, &err);
}

static void defaults(void **state)
{
	struct init_options o;

	(void)state;
	assert_int_equal(parse(&o, (const char *[]){ "--", "server", "--port", "80", NULL }), OPTIONS_RUN);
	assert_string_equal(o.command[0], "server");
	assert_string_equal(o.command[1], "--port");
	assert_null(o.user);
	assert_int_equal(o.n_keep_caps, 0);
	assert_false(o.process_group);
	assert_uint_equal(o.drain_ms, 2000);
	assert_uint_equal(o.grace_ms, 0);
}

static void every_option(void **state)
{
	struct init_options o;

	(void)state;
	assert_int_equal(parse(&o, (const char *[]){ "-u",    "nonroot:nonroot",
						     "-c",    "NET_BIND_SERVICE",
						     "--cap", "cap_chown",
						     "-g",    "-e",
						     "143",   "--exit-zero",
						     "130",   "--drain",
						     "0.5",   "--grace",
						     "10",    "-v",
						     "--",    "java",
						     "-jar",  "app.jar",
						     NULL }),
			 OPTIONS_RUN);
	assert_string_equal(o.user, "nonroot:nonroot");
	assert_int_equal(o.n_keep_caps, 2);
	assert_int_equal(o.keep_caps[0], 10); /* CAP_NET_BIND_SERVICE */
	assert_int_equal(o.keep_caps[1], 0);  /* CAP_CHOWN */
	assert_true(o.process_group);
	assert_int_equal(o.n_exit_zero, 2);
	assert_int_equal(o.exit_zero[0], 143);
	assert_int_equal(o.exit_zero[1], 130);
	assert_uint_equal(o.drain_ms, 500);
	assert_uint_equal(o.grace_ms, 10000);
	assert_int_equal(o.verbosity, 1);
	assert_string_equal(o.command[0], "java");
}

static void command_options_are_not_ours(void **state)
{
	struct init_options o;

	(void)state;
	/* "+" getopt: parsing stops at "--"; the service's -v is its own. */
	assert_int_equal(parse(&o, (const char *[]){ "--", "sh", "-v", "-e", NULL }), OPTIONS_RUN);
	assert_int_equal(o.verbosity, 0);
	assert_int_equal(o.n_exit_zero, 0);
	assert_string_equal(o.command[1], "-v");
}

static void usage_error(const char **args, const char *needle)
{
	struct init_options o;

	assert_int_equal(parse(&o, args), OPTIONS_USAGE);
	if (!strstr(errmem, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", errmem, needle);
	assert_null(strchr(errmem, '\n'));
}

static void bad_input_is_one_clear_line(void **state)
{
	(void)state;
	usage_error((const char *[]){ "server", NULL }, "missing '--' before the command 'server'");
	usage_error((const char *[]){ "-g", "server", NULL }, "missing '--'");
	usage_error((const char *[]){ NULL }, "no command given");
	usage_error((const char *[]){ "--", NULL }, "no command given after '--'");
	usage_error((const char *[]){ "--drain", "soon", "--", "x", NULL }, "--drain 'soon'");
	usage_error((const char *[]){ "--drain", "-1", "--", "x", NULL }, "'-1'");
	usage_error((const char *[]){ "--grace", "1.2345", "--", "x", NULL }, "--grace '1.2345'");
	usage_error((const char *[]){ "--grace", "86401", "--", "x", NULL }, "at most 86400");
	usage_error((const char *[]){ "-e", "256", "--", "x", NULL }, "'256' is not an exit code");
	usage_error((const char *[]){ "-e", "1e2", "--", "x", NULL }, "'1e2'");
	usage_error((const char *[]){ "--cap", "NET_FLY", "--", "x", NULL }, "unknown capability 'NET_FLY'");
	usage_error((const char *[]){ "--cap", "12", "--", "x", NULL }, "unknown capability '12'");
	usage_error((const char *[]){ "--frobnicate", "--", "x", NULL }, "unknown option '--frobnicate'");
	usage_error((const char *[]){ "-z", "--", "x", NULL }, "unknown option '-z'");
	usage_error((const char *[]){ "--user", NULL }, "needs a value");
	usage_error((const char *[]){ "-u", "", "--", "x", NULL }, "empty user");
}

static void environment_configures_and_command_line_wins(void **state)
{
	struct init_options o;

	(void)state;
	setenv("LUCID_INIT_USER", "1000:1000", 1);
	setenv("LUCID_INIT_CAPS", "NET_BIND_SERVICE,sys_time", 1);
	setenv("LUCID_INIT_PGROUP", "true", 1);
	setenv("LUCID_INIT_EXIT_ZERO", "143,130", 1);
	setenv("LUCID_INIT_DRAIN", "5", 1);
	setenv("LUCID_INIT_GRACE", "250ms", 1);
	assert_int_equal(parse(&o, (const char *[]){ "-u", "2000", "--", "x", NULL }), OPTIONS_RUN);
	assert_string_equal(o.user, "2000");
	assert_int_equal(o.n_keep_caps, 2);
	assert_int_equal(o.keep_caps[1], 25); /* CAP_SYS_TIME */
	assert_true(o.process_group);
	assert_int_equal(o.n_exit_zero, 2);
	assert_uint_equal(o.drain_ms, 5000);
	assert_uint_equal(o.grace_ms, 250);
}

static void bad_environment_is_an_error_not_ignored(void **state)
{
	(void)state;
	setenv("LUCID_INIT_DRAIN", "later", 1);
	usage_error((const char *[]){ "--", "x", NULL }, "LUCID_INIT_DRAIN='later'");
	unsetenv("LUCID_INIT_DRAIN");
	setenv("LUCID_INIT_PGROUP", "maybe", 1);
	usage_error((const char *[]){ "--", "x", NULL }, "LUCID_INIT_PGROUP='maybe': not a boolean");
	unsetenv("LUCID_INIT_PGROUP");
	setenv("LUCID_INIT_CAPS", "NET_BIND_SERVICE,BOGUS", 1);
	usage_error((const char *[]){ "--", "x", NULL }, "unknown capability 'BOGUS'");
	unsetenv("LUCID_INIT_CAPS");
	setenv("LUCID_INIT_EXIT_ZERO", "143,x", 1);
	usage_error((const char *[]){ "--", "x", NULL }, "LUCID_INIT_EXIT_ZERO: 'x' is not an exit code");
	unsetenv("LUCID_INIT_EXIT_ZERO");
	/* A misspelt variable is never silently the default. */
	setenv("LUCID_INIT_SECOMP", "none", 1);
	usage_error((const char *[]){ "--", "x", NULL }, "unknown environment variable LUCID_INIT_SECOMP");
	unsetenv("LUCID_INIT_SECOMP");
}

/* The one precedence rule: an option on the command line replaces its
 * variable, lists included (they are not merged). */
static void command_line_replaces_the_variable(void **state)
{
	struct init_options o;

	(void)state;
	setenv("LUCID_INIT_CAPS", "NET_BIND_SERVICE", 1);
	setenv("LUCID_INIT_EXIT_ZERO", "143", 1);
	setenv("LUCID_INIT_DRAIN", "later", 1); /* replaced, so never read */
	assert_int_equal(parse(&o, (const char *[]){ "--cap", "SYS_TIME", "-e", "130", "-e", "2,3", "--drain", "1",
						     "--", "x", NULL }),
			 OPTIONS_RUN);
	assert_int_equal(o.n_keep_caps, 1);
	assert_int_equal(o.keep_caps[0], 25);
	assert_int_equal(o.n_exit_zero, 3);
	assert_int_equal(o.exit_zero[0], 130);
	assert_uint_equal(o.drain_ms, 1000);
	unsetenv("LUCID_INIT_DRAIN");
	/* Every exit code can be listed (no small cap). */
	char all[1024];
	struct buf b;
	buf_init(&b, all, sizeof all);
	for (int i = 0; i < 256; i++)
		buf_fmt(&b, "%s%d", i ? "," : "", i);
	if (parse(&o, (const char *[]){ "-e", all, "--", "x", NULL }) != OPTIONS_RUN)
		fail_msg("256 exit codes refused: %s", errmem);
	assert_int_equal(o.n_exit_zero, 256);
	assert_int_equal(parse(&o, (const char *[]){ "-e", "1", "-e", "1", "--", "x", NULL }), OPTIONS_RUN);
	assert_int_equal(o.n_exit_zero, 1);
}

static void capability_names(void **state)
{
	(void)state;
	assert_int_equal(capability_from_name("NET_BIND_SERVICE"), 10);
	assert_int_equal(capability_from_name("CAP_NET_BIND_SERVICE"), 10);
	assert_int_equal(capability_from_name("net_bind_service"), 10);
	assert_int_equal(capability_from_name("cap_sys_admin"), 21);
	assert_int_equal(capability_from_name("CHOWN"), 0);
	assert_int_equal(capability_from_name("NET_FLY"), -1);
	assert_int_equal(capability_from_name("10"), -1);
	assert_int_equal(capability_from_name(""), -1);
	assert_int_equal(capability_from_name("CAP_"), -1);
}

static void signal_names(void **state)
{
	(void)state;
	assert_int_equal(signal_from_name("TERM"), 15);
	assert_int_equal(signal_from_name("SIGTERM"), 15);
	assert_int_equal(signal_from_name("sigterm"), 15);
	assert_int_equal(signal_from_name("Quit"), 3);
	assert_int_equal(signal_from_name("WINCH"), 28);
	assert_int_equal(signal_from_name("15"), 15);
	assert_int_equal(signal_from_name("64"), 64);
	assert_int_equal(signal_from_name("RTMIN"), 34);      /* glibc's, not musl's 35 */
	assert_int_equal(signal_from_name("SIGRTMIN+3"), 37); /* systemd's halt signal */
	assert_int_equal(signal_from_name("rtmax"), 64);
	assert_int_equal(signal_from_name("RTMAX-2"), 62);
	static const char *const bad[] = { "",	      "0",	 "65",	   "-1",     "TERMINATE", "SIG",  "RTMIN+31",
					   "RTMAX+1", "RTMIN-1", "RTMIN3", "RTMIN+", "15x",	  " TERM" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (signal_from_name(bad[i]) != -1)
			fail_msg("'%s' was taken for signal %d", bad[i], signal_from_name(bad[i]));
}

static void rewrite_maps_and_drops(void **state)
{
	struct init_options o;

	(void)state;
	setenv("LUCID_INIT_REWRITE", "INT:TERM", 1);
	assert_int_equal(parse(&o, (const char *[]){ "-r", "TERM:QUIT", "--rewrite", "SIGUSR1:0", "-r", "RTMIN+3:TERM",
						     "--", "nginx", NULL }),
			 OPTIONS_RUN);
	assert_int_equal(o.rewrite[15], 3);
	assert_int_equal(o.rewrite[10], 0);
	assert_int_equal(o.rewrite[37], 15);
	assert_int_equal(o.rewrite[2], 2); /* -r replaces LUCID_INIT_REWRITE */
	assert_int_equal(o.rewrite[1], 1); /* the rest is forwarded as received */
	assert_int_equal(o.rewrite[64], 64);
	unsetenv("LUCID_INIT_REWRITE");
	usage_error((const char *[]){ "-r", "TERM", "--", "x", NULL }, "'TERM' is not FROM:TO");
	usage_error((const char *[]){ "-r", ":QUIT", "--", "x", NULL }, "is not FROM:TO");
	usage_error((const char *[]){ "-r", "TERM:FOO", "--", "x", NULL }, "unknown signal 'FOO'");
	usage_error((const char *[]){ "-r", "BAR:TERM", "--", "x", NULL }, "unknown signal 'BAR'");
	usage_error((const char *[]){ "-r", "CHLD:TERM", "--", "x", NULL }, "never forwarded");
	usage_error((const char *[]){ "-r", "KILL:TERM", "--", "x", NULL }, "never forwarded");
	usage_error((const char *[]){ "-r", "HUP:32", "--", "x", NULL }, "no service can receive signal 32");
	usage_error((const char *[]){ "-r", "1:33", "--", "x", NULL }, "no service can receive signal 33");
	usage_error((const char *[]){ "-r", "", "--", "x", NULL }, "--rewrite '': empty");
	usage_error((const char *[]){ "-e", "", "--", "x", NULL }, "--exit-zero '': empty");
	/* Fault numbers and TTIN/TTOU are forwarded now, so they can be rewritten. */
	assert_int_equal(parse(&o, (const char *[]){ "-r", "SEGV:USR1", "-r", "TTIN:HUP", "--", "x", NULL }),
			 OPTIONS_RUN);
	assert_int_equal(o.rewrite[11], 10);
	assert_int_equal(o.rewrite[21], 1);
}

/* --drain's three cases, --keep-fds, --pdeathsig, --quiet, and -e for
 * every exit code. */
static void drain_fds_pdeathsig_quiet(void **state)
{
	struct init_options o;

	(void)state;
	assert_int_equal(parse(&o, (const char *[]){ "--", "x", NULL }), OPTIONS_RUN);
	assert_false(o.drain_off);
	assert_int_equal(o.drain_ms, 2000);
	assert_int_equal(o.keep_fds, 0);
	assert_int_equal(o.pdeathsig, 0);
	assert_int_equal(o.verbosity, 0);
	assert_int_equal(parse(&o, (const char *[]){ "--drain", "off", "--", "x", NULL }), OPTIONS_RUN);
	assert_true(o.drain_off);
	assert_int_equal(parse(&o, (const char *[]){ "--drain", "0", "--", "x", NULL }), OPTIONS_RUN);
	assert_false(o.drain_off);
	assert_int_equal(o.drain_ms, 0);
	usage_error((const char *[]){ "--drain", "of", "--", "x", NULL }, "not off or a duration");
	assert_int_equal(
		parse(&o, (const char *[]){ "--keep-fds", "3", "--pdeathsig", "SIGUSR1", "-q", "--", "x", NULL }),
		OPTIONS_RUN);
	assert_int_equal(o.keep_fds, 3);
	assert_int_equal(o.pdeathsig, 10);
	assert_int_equal(o.verbosity, -1);
	usage_error((const char *[]){ "--keep-fds", "65537", "--", "x", NULL }, "not a count of fds");
	usage_error((const char *[]){ "--keep-fds", "-1", "--", "x", NULL }, "not a count of fds");
	usage_error((const char *[]){ "--pdeathsig", "KILL", "--", "x", NULL }, "not a signal lucid-init can forward");
	usage_error((const char *[]){ "--pdeathsig", "NOPE", "--", "x", NULL }, "not a signal lucid-init can forward");
	usage_error((const char *[]){ "-q", "-v", "--", "x", NULL }, "contradict");
	setenv("LUCID_INIT_QUIET", "1", 1);
	assert_int_equal(parse(&o, (const char *[]){ "--", "x", NULL }), OPTIONS_RUN);
	assert_int_equal(o.verbosity, -1);
	unsetenv("LUCID_INIT_QUIET");

	/* -e given once per exit code: no cap below 256. */
	static const char *argv[2 * 256 + 3];
	static char codes[256][4];
	size_t n = 0;
	for (int code = 0; code < 256; code++) {
		struct buf b;
		buf_init(&b, codes[code], sizeof codes[code]);
		buf_fmt(&b, "%d", code);
		argv[n++] = "-e";
		argv[n++] = codes[code];
	}
	argv[n++] = "--";
	argv[n++] = "x";
	argv[n] = NULL;
	assert_int_equal(parse(&o, argv), OPTIONS_RUN);
	assert_int_equal(o.n_exit_zero, 256);
}

static void seccomp_choice(void **state)
{
	struct init_options o;

	(void)state;
	assert_int_equal(parse(&o, (const char *[]){ "--", "x", NULL }), OPTIONS_RUN);
	assert_null(o.seccomp);
	setenv("LUCID_INIT_SECCOMP", "/etc/lucid/python.bpf", 1);
	assert_int_equal(parse(&o, (const char *[]){ "--", "x", NULL }), OPTIONS_RUN);
	assert_string_equal(o.seccomp, "/etc/lucid/python.bpf");
	assert_int_equal(parse(&o, (const char *[]){ "--seccomp", "none", "--", "x", NULL }), OPTIONS_RUN);
	assert_string_equal(o.seccomp, "none");
	usage_error((const char *[]){ "--seccomp", "", "--", "x", NULL }, "--seccomp '': empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(defaults, clean_env),
		cmocka_unit_test_setup(every_option, clean_env),
		cmocka_unit_test_setup(command_options_are_not_ours, clean_env),
		cmocka_unit_test_setup(bad_input_is_one_clear_line, clean_env),
		cmocka_unit_test_setup(environment_configures_and_command_line_wins, clean_env),
		cmocka_unit_test_setup(bad_environment_is_an_error_not_ignored, clean_env),
		cmocka_unit_test_setup(command_line_replaces_the_variable, clean_env),
		cmocka_unit_test_setup(capability_names, clean_env),
		cmocka_unit_test_setup(signal_names, clean_env),
		cmocka_unit_test_setup(rewrite_maps_and_drops, clean_env),
		cmocka_unit_test_setup(seccomp_choice, clean_env),
		cmocka_unit_test_setup(drain_fds_pdeathsig_quiet, clean_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

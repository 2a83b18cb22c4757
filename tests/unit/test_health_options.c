/* healthcheck/options.c: the command line and LUCID_HEALTH_* variables
 * (the command line wins), and the mistakes they are refused for. */
#include <cmocka.h>
#include <string.h>

#include "healthcheck/help.h"
#include "healthcheck/options.h"

static struct options o;
static char err_mem[512];
static struct buf err;

/* argv and envp are NULL-terminated lists; argv[0] is added here. */
static int parse(const char *const *args, const char *const *env)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"lucid-health";
	for (size_t i = 0; args && args[i]; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	buf_init(&err, err_mem, sizeof err_mem);
	return options_parse(&o, argc, argv, (char *const *)env, &err);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void assert_refused(const char *const *args, const char *const *env, const char *why)
{
	if (parse(args, env) != -1)
		fail_msg("options accepted; a user expects the error '%s'", why);
	if (!strstr(buf_text(&err), why))
		fail_msg("options refused with '%s', expected it to mention '%s'", buf_text(&err), why);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGS("http://127.0.0.1:8080/health"), NULL), 0);
	assert_string_equal(o.url.host, "127.0.0.1");
	assert_uint_equal(o.timeout_ms, 5000);
	assert_uint_equal(o.connect_timeout_ms, 0);
	assert_uint_equal(o.max_body, 65536);
	assert_uint_equal(o.follow, 9);
	assert_false(o.no_follow);
	assert_false(o.verify);
	assert_null(o.cacert);
	assert_string_equal(o.service, "");
	assert_false(o.head);
	assert_false(o.quiet);
	assert_null(o.host);
	assert_null(o.body_contains);
	assert_null(o.unix_socket);
	assert_uint_equal(o.n_headers, 0);
	assert_true(status_match(&o.status, 200));
	assert_true(status_match(&o.status, 399));
	assert_false(status_match(&o.status, 400));
}

static void test_env_only(void **state)
{
	(void)state;
	assert_int_equal(
		parse(NULL,
		      ENV("PATH=/bin", "LUCID_HEALTH_URL=http://[::1]:9000/ready", "LUCID_HEALTH_TIMEOUT=2.5",
			  "LUCID_HEALTH_STATUS=200,204", "LUCID_HEALTH_BODY_CONTAINS=ok", "LUCID_HEALTH_QUIET=yes",
			  "LUCID_HEALTH_FOLLOW=3", "LUCID_HEALTH_MAX_BODY=1m", "LUCID_HEALTH_CONNECT_TIMEOUT=250ms",
			  "LUCID_HEALTH_METHOD=GET", "LUCID_HEALTH_UNIX_SOCKET=/run/app.sock")),
		0);
	assert_string_equal(o.url.host, "::1");
	assert_uint_equal(o.url.port, 9000);
	assert_uint_equal(o.timeout_ms, 2500);
	assert_uint_equal(o.connect_timeout_ms, 250);
	assert_false(status_match(&o.status, 201));
	assert_true(status_match(&o.status, 204));
	assert_string_equal(o.body_contains, "ok");
	assert_true(o.quiet);
	assert_uint_equal(o.follow, 3);
	assert_uint_equal(o.max_body, 1024 * 1024);
	assert_string_equal(o.unix_socket, "/run/app.sock");
}

static void test_command_line_wins(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGS("--timeout", "1", "-s", "503", "-q", "http://127.0.0.1:2/b"),
			       ENV("LUCID_HEALTH_URL=http://127.0.0.1:1/a", "LUCID_HEALTH_TIMEOUT=9",
				   "LUCID_HEALTH_STATUS=200", "LUCID_HEALTH_QUIET=0")),
			 0);
	assert_uint_equal(o.url.port, 2);
	assert_string_equal(o.url.target, "/b");
	assert_uint_equal(o.timeout_ms, 1000);
	assert_true(status_match(&o.status, 503));
	assert_false(status_match(&o.status, 200));
	assert_true(o.quiet);

	/* A bad value in the environment does not matter once overridden. */
	assert_int_equal(parse(ARGS("--timeout=3", "http://h/"), ENV("LUCID_HEALTH_TIMEOUT=soon")), 0);
	assert_uint_equal(o.timeout_ms, 3000);
	/* An empty variable is unset. */
	assert_int_equal(parse(ARGS("http://h/"), ENV("LUCID_HEALTH_TIMEOUT=", "LUCID_HEALTH_BODY_CONTAINS=")), 0);
	assert_uint_equal(o.timeout_ms, 5000);
	assert_null(o.body_contains);
}

static void test_option_spellings(void **state)
{
	(void)state;
	assert_int_equal(
		parse(ARGS("-t2", "-Hx-a: 1", "-qv", "-X", "head", "--host=api.local", "--", "http://h/"), NULL), 0);
	assert_uint_equal(o.timeout_ms, 2000);
	assert_uint_equal(o.n_headers, 1);
	assert_true(o.quiet);
	assert_int_equal(o.verbose, 1);
	assert_true(o.head);
	assert_memory_equal(o.host, "api.local", o.host_len);
	assert_refused(ARGS("--", "-not-an-option"), NULL, "URL \"-not-an-option\": missing scheme");
}

static void test_headers(void **state)
{
	(void)state;
	/* One per line in the variable; blank lines skipped. */
	assert_int_equal(parse(ARGS("http://h/"), ENV("LUCID_HEALTH_HEADERS=X-A: 1\n\nX-B:  two \n")), 0);
	assert_uint_equal(o.n_headers, 2);
	assert_memory_equal(o.headers[1].name, "X-B", 3);
	assert_uint_equal(o.headers[1].value_len, 3);
	assert_memory_equal(o.headers[1].value, "two", 3);

	/* Any -H replaces the variable's list as a whole. */
	assert_int_equal(parse(ARGS("-H", "X-C: 3", "http://h/"), ENV("LUCID_HEALTH_HEADERS=X-A: 1\nX-B: 2")), 0);
	assert_uint_equal(o.n_headers, 1);
	assert_memory_equal(o.headers[0].name, "X-C", 3);

	/* A Host header becomes the Host override instead of a second Host. */
	assert_int_equal(parse(ARGS("-H", "host: app.example.com", "http://10.0.0.1:8000/"), NULL), 0);
	assert_uint_equal(o.n_headers, 0);
	assert_uint_equal(o.host_len, 15);
	assert_memory_equal(o.host, "app.example.com", 15);
}

static void test_header_injection_is_a_usage_error(void **state)
{
	(void)state;
	assert_refused(ARGS("-H", "X-A: 1\r\nX-Evil: 2", "http://h/"), NULL,
		       "--header \"X-A: 1\\x0d\\x0aX-Evil: 2\": header contains CR, LF or NUL (header injection)");
	assert_refused(NULL, ENV("LUCID_HEALTH_URL=http://h/", "LUCID_HEALTH_HEADERS=X-A: 1\r"),
		       "LUCID_HEALTH_HEADERS=\"X-A: 1\\x0d\": header contains CR, LF or NUL");
	assert_refused(ARGS("--host", "a\r\nb", "http://h/"), NULL, "header injection");
	assert_refused(ARGS("-H", "Host: a b", "http://h/"), NULL, "Host contains a space");
	assert_refused(ARGS("-H", "Bad Name: 1", "http://h/"), NULL, "header name may hold only");
	assert_refused(ARGS("-H", "Connection: keep-alive", "http://h/"), NULL, "set by lucid-health");
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_refused(NULL, NULL, "no URL");
	assert_refused(ARGS("--frobnicate", "http://h/"), NULL, "unknown option '--frobnicate'");
	assert_refused(ARGS("-z", "http://h/"), NULL, "unknown option '-z'");
	assert_refused(ARGS("http://h/", "--timeout"), NULL, "option needs a value: '--timeout'");
	assert_refused(ARGS("--quiet=1", "http://h/"), NULL, "this option takes no value: '--quiet=1'");
	assert_refused(ARGS("http://a/", "http://b/"), NULL, "more than one URL");
	assert_refused(ARGS("ftp://h/"), NULL, "URL \"ftp://h/\": unsupported scheme");
	assert_refused(ARGS("--cert", "c.pem", "https://h/"), NULL, "--cert needs --key");
	assert_refused(ARGS("--key", "k.pem", "grpcs://h:1"), NULL, "--key needs --cert");
	assert_refused(ARGS("--cacert", "", "https://h/"), NULL, "--cacert \"\": must not be empty");
	assert_refused(ARGS("--server-name", "a b", "https://h/"), NULL, "contains a space");
	assert_refused(ARGS("--verify", "http://h/"), NULL,
		       "--verify (LUCID_HEALTH_VERIFY) needs an https:// or grpcs:// URL");
	assert_refused(ARGS("--service", "x", "http://h/"), NULL,
		       "--service (LUCID_HEALTH_SERVICE) needs a grpc:// or grpcs:// URL");
	assert_refused(ARGS("--no-follow", "grpc://h:1"), NULL, "--no-follow");
	assert_refused(NULL, ENV("LUCID_HEALTH_URL=ftp://h/"), "LUCID_HEALTH_URL=\"ftp://h/\": unsupported scheme");
	assert_refused(ARGS("--status", "600", "http://h/"), NULL, "--status \"600\": 600 is outside 100-599");
	assert_refused(ARGS("-s", "300-200", "http://h/"), NULL, "range 300-200 is backwards");
	assert_refused(ARGS("--timeout", "0", "http://h/"), NULL, "--timeout \"0\": must be more than 0");
	assert_refused(ARGS("--timeout", "5m", "http://h/"), NULL, "not a duration");
	assert_refused(ARGS("--timeout", "100000", "http://h/"), NULL, "longer than a day");
	assert_refused(ARGS("--connect-timeout", "-1", "http://h/"), NULL, "not a duration");
	assert_refused(ARGS("--follow", "21", "http://h/"), NULL, "not a number from 0 to 20");
	assert_refused(ARGS("--max-body", "0", "http://h/"), NULL, "must be more than 0");
	assert_refused(ARGS("--max-body", "2g", "http://h/"), NULL, "not a size");
	assert_refused(ARGS("--max-body", "2000m", "http://h/"), NULL, "more than 1 GiB");
	assert_refused(ARGS("--method", "POST", "http://h/"), NULL, "only GET and HEAD are supported");
	assert_refused(ARGS("--body-contains", "", "http://h/"), NULL, "must not be empty");
	assert_refused(ARGS("-X", "HEAD", "--body-contains", "ok", "http://h/"), NULL,
		       "--body-contains cannot be used with --method HEAD");
	assert_refused(NULL, ENV("LUCID_HEALTH_URL=http://h/", "LUCID_HEALTH_QUIET=maybe"), "expected 1 or 0");
	assert_refused(NULL, ENV("LUCID_HEALTH_URL=http://h/", "LUCID_HEALTH_TIMOUT=3"),
		       "unknown environment variable LUCID_HEALTH_TIMOUT");
	/* Checked here, not discovered by the probe with an empty reason. */
	assert_refused(ARGS("--unix-socket", "", "http://h/"), NULL, "--unix-socket \"\": must not be empty");
}

/* A Host that cannot fit the request fails as a usage error, both ways it
 * can be given; 261 bytes (a full DNS name and a port) still fits. */
static void test_long_host_is_refused(void **state)
{
	char host[300], header[320];

	(void)state;
	memset(host, 'a', sizeof host - 1);
	host[sizeof host - 1] = '\0';
	assert_refused(ARGS("--host", host, "http://h/"), NULL, "Host is longer than 261 bytes");
	memcpy(header, "Host: ", 6);
	memcpy(header + 6, host, sizeof host);
	assert_refused(ARGS("-H", header, "http://h/"), NULL, "Host is longer than 261 bytes");
	host[261] = '\0';
	assert_int_equal(parse(ARGS("--host", host, "http://h/"), NULL), 0);
}

static void test_tcp_rejects_http_options(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGS("--timeout", "1", "tcp://127.0.0.1:5432"), NULL), 0);
	assert_refused(ARGS("--body-contains", "x", "tcp://h:1"), NULL,
		       "--body-contains (LUCID_HEALTH_BODY_CONTAINS) needs an http:// or https:// URL");
	assert_refused(ARGS("-s", "200", "tcp://h:1"), NULL, "--status");
	assert_refused(ARGS("-H", "X: y", "tcp://h:1"), NULL, "--header");
	assert_refused(ARGS("--unix-socket", "/s", "tcp://h:1"), NULL, "--unix-socket");
	assert_refused(ARGS("tcp://h:1"), ENV("LUCID_HEALTH_FOLLOW=2"), "--follow");
}

static void test_tls_and_grpc_options(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGS("--cacert", "/ca.pem", "--server-name", "svc.local", "--cert", "c.pem", "--key",
				    "k.pem", "https://127.0.0.1:8443/health"),
			       NULL),
			 0);
	assert_string_equal(o.cacert, "/ca.pem");
	assert_string_equal(o.server_name, "svc.local");
	assert_string_equal(o.cert, "c.pem");
	assert_string_equal(o.key, "k.pem");
	assert_int_equal(parse(ARGS("grpcs://h:50051"), ENV("LUCID_HEALTH_VERIFY=1", "LUCID_HEALTH_SERVICE=app")), 0);
	assert_true(o.verify);
	assert_string_equal(o.service, "app");
	assert_uint_equal(o.service_len, 3);
	assert_int_equal(parse(ARGS("--no-follow", "--follow", "3", "http://h/"), NULL), 0);
	assert_true(o.no_follow);
	assert_uint_equal(o.follow, 3);
}

static void test_help_and_version_need_nothing_else(void **state)
{
	(void)state;
	assert_int_equal(parse(ARGS("--help"), ENV("LUCID_HEALTH_TIMOUT=typo")), 0);
	assert_true(o.help);
	assert_int_equal(parse(ARGS("-V"), NULL), 0);
	assert_true(o.version);
	assert_non_null(strstr(help_text, "LUCID_HEALTH_URL"));
	assert_non_null(strstr(help_text, "Docker reserves"));
}

static void test_limits(void **state)
{
	static char path[120], text[1100];
	const char *many[40];

	(void)state;
	memset(path, 'p', sizeof path - 1);
	path[0] = '/';
	assert_refused(ARGS("--unix-socket", path, "http://h/"), NULL, "longer than 107 bytes");
	path[107] = '\0';
	assert_int_equal(parse(ARGS("--unix-socket", path, "http://h/"), NULL), 0);

	memset(text, 't', sizeof text - 1);
	assert_refused(ARGS("--body-contains", text, "http://h/"), NULL, "longer than 1024 bytes");

	for (int i = 0; i < 33; i++)
		many[i] = "-HX-A: 1";
	many[33] = "http://h/";
	many[34] = NULL;
	assert_refused(many, NULL, "more than 32");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_env_only),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_option_spellings),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_header_injection_is_a_usage_error),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_long_host_is_refused),
		cmocka_unit_test(test_tcp_rejects_http_options),
		cmocka_unit_test(test_tls_and_grpc_options),
		cmocka_unit_test(test_help_and_version_need_nothing_else),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

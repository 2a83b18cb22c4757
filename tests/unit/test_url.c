/* healthcheck/url.c: what the probe accepts as a target, what it refuses
 * and why, and where a redirect's Location leads. */
#include <cmocka.h>
#include <string.h>

#include "healthcheck/url.h"

static struct url u;
static char err_mem[256];
static struct buf err;

static int parse(const char *text)
{
	buf_init(&err, err_mem, sizeof err_mem);
	return url_parse(text, strlen(text), &u, &err);
}

/* Parsing text fails, and the message says `why`. */
static void assert_rejected(const char *text, const char *why)
{
	if (parse(text) != -1)
		fail_msg("URL '%s' was accepted; a user expects the error '%s'", text, why);
	if (!strstr(buf_text(&err), why))
		fail_msg("URL '%s' was refused with '%s', expected it to mention '%s'", text, buf_text(&err), why);
}

static void test_plain_http(void **state)
{
	(void)state;
	assert_int_equal(parse("http://127.0.0.1:8080/health"), 0);
	assert_int_equal(u.scheme, URL_HTTP);
	assert_string_equal(u.host, "127.0.0.1");
	assert_uint_equal(u.port, 8080);
	assert_false(u.ipv6);
	assert_string_equal(u.target, "/health");
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("http://example.com"), 0);
	assert_uint_equal(u.port, 80);
	assert_string_equal(u.target, "/");
	assert_int_equal(parse("HTTP://Example.COM/"), 0);
	assert_string_equal(u.host, "Example.COM");
	assert_string_equal(u.target, "/");
}

static void test_query_kept_fragment_dropped(void **state)
{
	(void)state;
	assert_int_equal(parse("http://h:81/p/q?a=1&b=%20x"), 0);
	assert_string_equal(u.target, "/p/q?a=1&b=%20x");
	assert_int_equal(parse("http://h?ready"), 0);
	assert_string_equal(u.target, "/?ready");
	assert_int_equal(parse("http://h/x#frag"), 0);
	assert_string_equal(u.target, "/x");
	assert_int_equal(parse("http://h#frag"), 0);
	assert_string_equal(u.target, "/");
}

static void test_ports(void **state)
{
	(void)state;
	assert_int_equal(parse("http://h:1/"), 0);
	assert_uint_equal(u.port, 1);
	assert_int_equal(parse("http://h:65535/"), 0);
	assert_uint_equal(u.port, 65535);
	assert_rejected("http://h:0/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:65536/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:99999/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:123456/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:8o/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:-1/", "port must be a number from 1 to 65535");
	assert_rejected("http://h:+80/", "port must be a number from 1 to 65535");
}

static void test_ipv6_literals(void **state)
{
	(void)state;
	assert_int_equal(parse("http://[::1]:8080/health"), 0);
	assert_true(u.ipv6);
	assert_string_equal(u.host, "::1");
	assert_uint_equal(u.port, 8080);
	assert_int_equal(parse("http://[2001:db8::7]/"), 0);
	assert_uint_equal(u.port, 80);
	assert_int_equal(parse("http://[::ffff:127.0.0.1]:9/"), 0);
	assert_string_equal(u.host, "::ffff:127.0.0.1");
	assert_rejected("http://[::1/", "missing ']'");
	assert_rejected("http://[]/", "bad IPv6 address");
	assert_rejected("http://[::g]/", "bad IPv6 address");
	assert_rejected("http://[127.0.0.1]/", "bad IPv6 address");
	assert_rejected("http://[::1]x/", "unexpected text after the IPv6 address");
	assert_rejected("http://[::1]:0/", "port must be");
	assert_rejected("http://::1/", "missing host"); /* IPv6 needs brackets */
}

static void test_userinfo_rejected(void **state)
{
	(void)state;
	assert_rejected("http://user@127.0.0.1/", "credentials in the URL (user@host) are not supported");
	assert_rejected("http://user:secret@127.0.0.1:8080/", "credentials");
	assert_rejected("tcp://a@b:1", "credentials");
	/* An '@' after the authority is part of the path, not userinfo. */
	assert_int_equal(parse("http://h/@me"), 0);
	assert_string_equal(u.target, "/@me");
}

static void test_schemes(void **state)
{
	(void)state;
	assert_int_equal(parse("https://127.0.0.1/"), 0);
	assert_int_equal(u.scheme, URL_HTTPS);
	assert_uint_equal(u.port, 443);
	assert_true(url_is_http(&u) && url_is_tls(&u) && !url_is_grpc(&u));
	assert_int_equal(parse("HTTPS://h:8443/x"), 0);
	assert_uint_equal(u.port, 8443);
	assert_int_equal(parse("grpc://127.0.0.1:50051"), 0);
	assert_int_equal(u.scheme, URL_GRPC);
	assert_true(url_is_grpc(&u) && !url_is_tls(&u) && !url_is_http(&u));
	assert_int_equal(parse("grpcs://[::1]:50051/"), 0);
	assert_true(url_is_grpc(&u) && url_is_tls(&u));
	assert_rejected("grpc://127.0.0.1", "grpc:// needs a port (grpc://host:port)");
	assert_rejected("grpcs://h:1/grpc.health.v1.Health", "grpcs:// takes no path or query");
	assert_rejected("ftp://127.0.0.1/", "unsupported scheme");
	assert_rejected("httpx://127.0.0.1/", "unsupported scheme");
	assert_rejected("127.0.0.1:8080/health", "missing scheme");
	assert_rejected("localhost:8080/x?next=http://h/", "missing scheme");
	assert_rejected("://h/", "missing scheme");
	assert_rejected("http:/127.0.0.1/", "missing scheme");
	assert_rejected("", "missing scheme");
	assert_rejected("http://", "missing host");
	assert_rejected("http:///path", "missing host");
	assert_rejected("http://:80/", "missing host");
}

static void test_tcp(void **state)
{
	(void)state;
	assert_int_equal(parse("tcp://127.0.0.1:5432"), 0);
	assert_int_equal(u.scheme, URL_TCP);
	assert_uint_equal(u.port, 5432);
	assert_int_equal(parse("tcp://[::1]:6379/"), 0);
	assert_true(u.ipv6);
	assert_rejected("tcp://127.0.0.1", "tcp:// needs a port");
	assert_rejected("tcp://127.0.0.1:5432/db", "tcp:// takes no path or query");
	assert_rejected("tcp://127.0.0.1:5432?x", "tcp:// takes no path or query");
}

/* The kubelet takes a probe's path through Go's URL handling, which
 * percent-encodes what a request line cannot carry; so does the probe. */
static void test_target_percent_encoded(void **state)
{
	(void)state;
	assert_int_equal(parse("http://h/a b"), 0);
	assert_string_equal(u.target, "/a%20b");
	assert_int_equal(parse("http://h/caf\xc3\xa9?q=\xc3\xa9 x"), 0);
	assert_string_equal(u.target, "/caf%C3%A9?q=%C3%A9%20x");
	assert_int_equal(parse("http://h/a\r\nX-Injected: 1"), 0);
	assert_string_equal(u.target, "/a%0D%0AX-Injected:%201");
	assert_int_equal(parse("http://h/{x}|\"<>^`\\?a{b}"), 0);
	assert_string_equal(u.target, "/%7Bx%7D%7C%22%3C%3E%5E%60%5C?a{b}");
	/* What is already encoded stays as it is. */
	assert_int_equal(parse("http://h/a%20b%2F?x=%41"), 0);
	assert_string_equal(u.target, "/a%20b%2F?x=%41");
	assert_int_equal(parse("http://h/\x7f#frag ment"), 0);
	assert_string_equal(u.target, "/%7F");
}

static void test_unsafe_bytes_rejected(void **state)
{
	(void)state;
	assert_rejected("http://h h/", "the host contains a space");
	assert_rejected("http://h\r\n/", "control character");
	assert_rejected("http://caf\xc3\xa9/", "non-ASCII");
	assert_rejected("http://ex%61mple.com/", "bad host name");
	assert_rejected("http://a,b/", "bad host name");
}

static void test_lengths(void **state)
{
	char long_url[URL_MAX + 16], host[300];

	(void)state;
	memset(long_url, 'a', sizeof long_url);
	memcpy(long_url, "http://h/", 9);
	long_url[URL_MAX] = '\0';
	assert_int_equal(parse(long_url), 0);
	long_url[URL_MAX] = 'a';
	long_url[URL_MAX + 1] = '\0';
	assert_rejected(long_url, "longer than 2048 bytes");

	memcpy(host, "http://", 7);
	memset(host + 7, 'a', 254);
	host[7 + 254] = '\0';
	assert_rejected(host, "longer than 253 bytes");
	host[7 + 253] = '\0';
	assert_int_equal(parse(host), 0);
}

static void test_authority_and_format(void **state)
{
	char mem[300];
	struct buf b;

	(void)state;
	assert_int_equal(parse("http://127.0.0.1/x?y"), 0);
	buf_init(&b, mem, sizeof mem);
	url_authority(&b, &u);
	assert_string_equal(mem, "127.0.0.1");
	buf_init(&b, mem, sizeof mem);
	url_format(&b, &u);
	assert_string_equal(mem, "http://127.0.0.1/x?y");

	assert_int_equal(parse("http://[::1]:8080"), 0);
	buf_init(&b, mem, sizeof mem);
	url_authority(&b, &u);
	assert_string_equal(mem, "[::1]:8080");
	buf_init(&b, mem, sizeof mem);
	url_format(&b, &u);
	assert_string_equal(mem, "http://[::1]:8080/");

	assert_int_equal(parse("tcp://db:5432"), 0);
	buf_init(&b, mem, sizeof mem);
	url_format(&b, &u);
	assert_string_equal(mem, "tcp://db:5432");
}

/* RFC 3986 section 5.4's examples, against the base http://a/b/c/d;p?q. */
static void test_resolve_rfc3986(void **state)
{
	static const char *const cases[][2] = {
		{ "g", "/b/c/g" },	    { "./g", "/b/c/g" },
		{ "g/", "/b/c/g/" },	    { "/g", "/g" },
		{ "?y", "/b/c/d;p?y" },	    { "g?y", "/b/c/g?y" },
		{ "#s", "/b/c/d;p?q" },	    { "g#s", "/b/c/g" },
		{ "g?y#s", "/b/c/g?y" },    { ";x", "/b/c/;x" },
		{ "g;x", "/b/c/g;x" },	    { ".", "/b/c/" },
		{ "./", "/b/c/" },	    { "..", "/b/" },
		{ "../", "/b/" },	    { "../g", "/b/g" },
		{ "../..", "/" },	    { "../../", "/" },
		{ "../../g", "/g" },	    { "../../../g", "/g" },
		{ "../../../../g", "/g" },  { "/./g", "/g" },
		{ "/../g", "/g" },	    { "g.", "/b/c/g." },
		{ ".g", "/b/c/.g" },	    { "g..", "/b/c/g.." },
		{ "..g", "/b/c/..g" },	    { "./../g", "/b/g" },
		{ "./g/.", "/b/c/g/" },	    { "g/./h", "/b/c/g/h" },
		{ "g/../h", "/b/c/h" },	    { "g;x=1/./y", "/b/c/g;x=1/y" },
		{ "g;x=1/../y", "/b/c/y" }, { "g?y/./x", "/b/c/g?y/./x" },
	};
	struct url base, out;

	(void)state;
	assert_int_equal(parse("http://a/b/c/d;p?q"), 0);
	base = u;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&err, err_mem, sizeof err_mem);
		if (url_resolve(&base, cases[i][0], strlen(cases[i][0]), &out, &err) != 0)
			fail_msg("Location '%s' was refused: %s", cases[i][0], buf_text(&err));
		if (strcmp(out.target, cases[i][1]) != 0)
			fail_msg("Location '%s' led to '%s', expected '%s'", cases[i][0], out.target, cases[i][1]);
		assert_true(url_same_host(&base, &out));
	}
}

static void test_resolve_absolute(void **state)
{
	struct url base, out;

	(void)state;
	assert_int_equal(parse("http://127.0.0.1:8080/a"), 0);
	base = u;
	buf_init(&err, err_mem, sizeof err_mem);
	assert_int_equal(url_resolve(&base, "http://127.0.0.1:8080/final", 27, &out, &err), 0);
	assert_string_equal(out.target, "/final");
	assert_true(url_same_host(&base, &out));

	/* The kubelet follows any port and scheme of the same host name
	 * (URL.Hostname() compared byte for byte), and no other host. */
	assert_int_equal(url_resolve(&base, "http://evil.example/", 20, &out, &err), 0);
	assert_false(url_same_host(&base, &out));
	assert_int_equal(url_resolve(&base, "http://127.0.0.1:8081/", 22, &out, &err), 0);
	assert_true(url_same_host(&base, &out));
	assert_int_equal(url_resolve(&base, "https://127.0.0.1/s", 19, &out, &err), 0);
	assert_true(url_same_host(&base, &out));
	assert_int_equal(out.scheme, URL_HTTPS);
	assert_uint_equal(out.port, 443);
	assert_int_equal(url_resolve(&base, "//127.0.0.2:8080/x", 18, &out, &err), 0);
	assert_string_equal(out.host, "127.0.0.2");
	assert_false(url_same_host(&base, &out));
	assert_int_equal(url_resolve(&base, "tcp://127.0.0.1:8080", 20, &out, &err), 0);
	assert_true(url_same_host(&base, &out));
	assert_int_equal(url_resolve(&base, "//127.0.0.1:8080/y", 18, &out, &err), 0);
	assert_true(url_same_host(&base, &out));
	assert_int_equal(out.scheme, URL_HTTP);

	assert_int_equal(parse("http://LocalHost:8080/"), 0);
	assert_int_equal(url_resolve(&u, "http://localhost:8080/z", 23, &out, &err), 0);
	assert_false(url_same_host(&u, &out));
	assert_int_equal(url_resolve(&u, "/a b", 4, &out, &err), 0);
	assert_string_equal(out.target, "/a%20b");
}

/* Found by tests/fuzz/url: a long base path and a long relative Location
 * merge into more than URL_MAX bytes. The merge is resolved whole (dot
 * segments can bring it back under the limit), else refused, never
 * computed past the end of its buffer (UBSan saw that). */
static void test_resolve_long_merge(void **state)
{
	static char base_text[URL_MAX + 1], loc[URL_MAX + 1];
	struct url base, out;
	size_t n;

	(void)state;
	memcpy(base_text, "http://h/", 9);
	n = 9;
	while (n < URL_MAX - 2)
		base_text[n++] = 'b';
	base_text[n++] = '/';
	base_text[n] = '\0';
	assert_int_equal(parse(base_text), 0);
	base = u;

	/* 1500 bytes of "x/../", then "y": merged past URL_MAX, resolved back
	 * under it (the base's directory plus y). */
	for (n = 0; n + 5 <= 1500; n += 5)
		memcpy(loc + n, "x/../", 5);
	loc[n++] = 'y';
	buf_init(&err, err_mem, sizeof err_mem);
	assert_int_equal(url_resolve(&base, loc, n, &out, &err), 0);
	assert_int_equal(strlen(out.target), strlen(base.target) + 1);
	assert_string_equal(out.target + strlen(out.target) - 2, "/y");

	/* 1500 bytes that do not shrink: too long once merged. */
	memset(loc, 'c', 1500);
	buf_init(&err, err_mem, sizeof err_mem);
	assert_int_equal(url_resolve(&base, loc, 1500, &out, &err), -1);
	assert_non_null(strstr(buf_text(&err), "longer than 2048"));

	/* A Location of URL_MAX bytes under that base: refused, not overrun. */
	memset(loc, 'z', URL_MAX);
	buf_init(&err, err_mem, sizeof err_mem);
	assert_int_equal(url_resolve(&base, loc, URL_MAX, &out, &err), -1);
}

static void test_resolve_refused(void **state)
{
	struct url base, out;
	static const char *const bad[][2] = {
		{ "", "empty Location" },	   { "/a\r\nSet-Cookie: x", "control character" },
		{ "/a\x7f", "control character" }, { "ftp://h/", "unsupported scheme" },
		{ "http://u@h/", "credentials" },  { "localhost:8080/x", "unsupported scheme" },
	};

	(void)state;
	assert_int_equal(parse("http://127.0.0.1:8080/a"), 0);
	base = u;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_init(&err, err_mem, sizeof err_mem);
		if (url_resolve(&base, bad[i][0], strlen(bad[i][0]), &out, &err) != -1)
			fail_msg("Location '%s' was accepted", bad[i][0]);
		if (!strstr(buf_text(&err), bad[i][1]))
			fail_msg("Location '%s' refused with '%s', expected '%s'", bad[i][0], buf_text(&err),
				 bad[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_http),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_query_kept_fragment_dropped),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_ipv6_literals),
		cmocka_unit_test(test_userinfo_rejected),
		cmocka_unit_test(test_schemes),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_target_percent_encoded),
		cmocka_unit_test(test_unsafe_bytes_rejected),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_authority_and_format),
		cmocka_unit_test(test_resolve_rfc3986),
		cmocka_unit_test(test_resolve_absolute),
		cmocka_unit_test(test_resolve_refused),
		cmocka_unit_test(test_resolve_long_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

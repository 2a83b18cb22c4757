/* healthcheck/http.c and chunked.c: the request the probe sends, and how
 * it reads whatever comes back. */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "healthcheck/http.h"

static char err_mem[256];
static struct buf err;
static struct http_response r;
static struct http_head h;
static size_t used; /* head bytes taken by the last parse_head */

static void reset_err(void)
{
	buf_init(&err, err_mem, sizeof err_mem);
}

/* Feed head[0..n) in `step`-byte pieces, as the socket might deliver it:
 * 0 when a final head was read (r describes it, `used` its length), -1 on
 * error, and -1 with "incomplete response head" when it never ended. */
static int feed(const char *head, size_t n, size_t step)
{
	size_t at = 0;

	reset_err();
	http_head_init(&h);
	while (at < n) {
		size_t k = n - at < step ? n - at : step, took;
		int rc = http_head_feed(&h, head + at, k, &took, &err);
		if (rc < 0)
			return -1;
		at += took;
		if (rc == 1) {
			r = h.r;
			used = at;
			return 0;
		}
		assert_uint_equal(took, k);
	}
	buf_str(&err, "incomplete response head");
	return -1;
}

/* The whole head at once, then a byte at a time: the same answer. */
static int parse_head(const char *head)
{
	int one = feed(head, strlen(head), 1);
	char first[256];
	size_t first_used = used;

	snprintf(first, sizeof first, "%s", buf_text(&err));
	int whole = feed(head, strlen(head), strlen(head) + 1);
	/* The same reason; an early "not HTTP" quotes what had arrived. */
	size_t why_len = strcspn(first, ":");
	if (one != whole || strncmp(first, buf_text(&err), why_len + 1) != 0 || (whole == 0 && used != first_used))
		fail_msg("byte by byte: %d '%s'; whole: %d '%s'", one, first, whole, buf_text(&err));
	return whole;
}

static void assert_head_rejected(const char *head, const char *why)
{
	if (parse_head(head) != -1)
		fail_msg("response head accepted, expected '%s':\n%s", why, head);
	if (!strstr(buf_text(&err), why))
		fail_msg("response head refused with '%s', expected '%s'", buf_text(&err), why);
}

/* --- status line --- */

static int parse_status(const char *line)
{
	reset_err();
	return http_parse_status_line(line, strlen(line), &r, &err);
}

static void test_status_line(void **state)
{
	(void)state;
	assert_int_equal(parse_status("HTTP/1.1 200 OK"), 0);
	assert_uint_equal(r.status, 200);
	assert_uint_equal(r.minor, 1);
	assert_int_equal(parse_status("HTTP/1.0 503 Service Unavailable"), 0);
	assert_uint_equal(r.status, 503);
	assert_uint_equal(r.minor, 0);
	/* No reason phrase, with or without the space before it. */
	assert_int_equal(parse_status("HTTP/1.1 204"), 0);
	assert_uint_equal(r.status, 204);
	assert_int_equal(parse_status("HTTP/1.1 404 "), 0);
	assert_uint_equal(r.status, 404);
	assert_int_equal(parse_status("HTTP/1.1 200 \xe2\x9c\x93 fine\tthanks"), 0);
}

static void test_status_line_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"HTTP/1.1",
		"HTTP/1.1 20",
		"HTTP/1.1 2000",
		"HTTP/1.1  200",
		"HTTP/1.1 2OO OK",
		"http/1.1 200 OK",
		"HTTP/11 200 OK",
		"HTTP/1.1-200 OK",
		"SSH-2.0-OpenSSH_9.6",
		"HTTP/1.1 200OK",
		"ICY 200 OK",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (parse_status(bad[i]) != -1)
			fail_msg("status line '%s' was accepted", bad[i]);
		if (!strstr(buf_text(&err), "bad status line"))
			fail_msg("status line '%s' refused with '%s'", bad[i], buf_text(&err));
	}
	assert_int_equal(parse_status("HTTP/2.0 200 OK"), -1);
	assert_string_equal(buf_text(&err), "unsupported HTTP version: \"HTTP/2.0 200 OK\"");
	assert_int_equal(parse_status("HTTP/1.1 099 Low"), -1);
	assert_string_equal(buf_text(&err), "status 99 is outside 100-599");
	assert_int_equal(parse_status("HTTP/1.1 600 High"), -1);
	assert_string_equal(buf_text(&err), "status 600 is outside 100-599");
	assert_int_equal(parse_status("HTTP/1.1 200 O\x1bK"), -1);
	assert_string_equal(buf_text(&err), "control character in the status line");
}

static void test_status_start_rejects_early(void **state)
{
	static const char ssh[] = "SSH-2.0-OpenSSH_9.6\r\n";
	size_t took;

	(void)state;
	reset_err();
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, "H", 1, &took, &err), 0);
	assert_int_equal(http_head_feed(&h, "TTP/1.1 2", 9, &took, &err), 0);
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, "S", 1, &took, &err), -1);
	assert_string_equal(buf_text(&err), "not an HTTP response: \"S\"");
	reset_err();
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, ssh, strlen(ssh), &took, &err), -1);
	assert_string_equal(buf_text(&err), "not an HTTP response: \"SSH-2.0-OpenSSH_9.6\"");
	reset_err();
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, "HTTP/1.1 abc\r\n", 14, &took, &err), -1);
	assert_string_equal(buf_text(&err), "bad status line: \"HTTP/1.1 abc\"");
	reset_err();
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, "\x1b[2J\x07", 5, &took, &err), -1);
	assert_string_equal(buf_text(&err), "not an HTTP response: \"\\x1b[2J\\x07\"");
}

/* --- head --- */

static void test_head_length(void **state)
{
	static const char crlf[] = "HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody";
	static const char lf[] = "HTTP/1.1 200 OK\nA: b\n\nbody";
	static const char mixed[] = "HTTP/1.1 200 OK\r\nA: b\n\r\nbody";

	(void)state;
	assert_int_equal(parse_head(crlf), 0);
	assert_uint_equal(used, strlen(crlf) - 4);
	assert_int_equal(parse_head(lf), 0);
	assert_uint_equal(used, strlen(lf) - 4);
	assert_int_equal(parse_head(mixed), 0);
	assert_uint_equal(used, strlen(mixed) - 4);
	assert_int_equal(feed(crlf, strlen(crlf) - 5, 7), -1);
	assert_string_equal(buf_text(&err), "incomplete response head");
}

static void test_head_fields(void **state)
{
	(void)state;
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nServer: x\r\n\r\n"), 0);
	assert_uint_equal(r.status, 200);
	assert_true(r.has_length);
	assert_uint_equal(r.length, 12);
	assert_false(r.chunked);
	assert_null(r.location);

	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked \r\n\r\n"), 0);
	assert_true(r.chunked);
	assert_true(r.encoded);

	assert_int_equal(parse_head("HTTP/1.1 302 Found\r\nLocation:   /next?x=1  \r\nLocation: /second\r\n\r\n"), 0);
	assert_non_null(r.location);
	assert_uint_equal(r.location_len, 9);
	assert_memory_equal(r.location, "/next?x=1", 9);

	/* Bare LF line ends, HTTP/1.0, and a repeated identical length are fine. */
	assert_int_equal(parse_head("HTTP/1.0 200\nContent-Length: 3\ncontent-length: 3\n\n"), 0);
	assert_uint_equal(r.minor, 0);
	assert_uint_equal(r.length, 3);
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Obs: caf\xc3\xa9\r\n\r\n"), 0);
	/* An empty Content-Length is no length, as Go reads it. */
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"), 0);
	assert_false(r.has_length);
}

/* What Go's client (and so the kubelet) accepts, the probe accepts. */
static void test_head_as_go_reads_it(void **state)
{
	(void)state;
	/* obs-fold (RFC 9112 5.2): the continuation joins the field with a space. */
	assert_int_equal(parse_head("HTTP/1.1 302 Found\r\nLocation: /a\r\n  /b\r\nX: y\r\n\tz\r\n\r\n"), 0);
	assert_uint_equal(r.location_len, 5);
	assert_memory_equal(r.location, "/a /b", 5);
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"), 0);
	assert_true(r.chunked);
	/* A space before the colon: accepted, and never one of the known fields. */
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nName : value\r\nContent-Length : 5\r\n\r\n"), 0);
	assert_false(r.has_length);
	/* An empty name is skipped; control bytes in other fields are not looked at. */
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\n: value\r\nA: b\x01\rc\r\n\r\n"), 0);
}

/* Headers of any size stream past in bounded memory: 1,000 fields, a 64 KiB
 * line, 200 KiB of Set-Cookie. */
static void test_head_large(void **state)
{
	static char big[300 * 1024];
	size_t n = 0;

	(void)state;
	n += (size_t)sprintf(big + n, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(big + n, "X-Field-%d: %d\r\n", i, i);
	n += (size_t)sprintf(big + n, "X-Long: ");
	memset(big + n, 'a', 65536);
	n += 65536;
	n += (size_t)sprintf(big + n, "\r\n");
	for (int i = 0; i < 50; i++) {
		n += (size_t)sprintf(big + n, "Set-Cookie: c%d=", i);
		memset(big + n, 'v', 4096);
		n += 4096;
		n += (size_t)sprintf(big + n, "\r\n");
	}
	n += (size_t)sprintf(big + n, "Content-Length: 7\r\n\r\n");
	assert_int_equal(feed(big, n, 1000), 0);
	assert_uint_equal(r.length, 7);
	assert_int_equal(feed(big, n, 65536), 0);
	assert_uint_equal(used, n);
	/* A name that runs past the line buffer before its colon is streamed too. */
	n = (size_t)sprintf(big, "HTTP/1.1 204 No\r\n");
	memset(big + n, 'N', 5000);
	n += 5000;
	n += (size_t)sprintf(big + n, ": v\r\n\r\n");
	assert_int_equal(feed(big, n, 333), 0);
	assert_uint_equal(r.status, 204);
	/* The fields the probe keeps must fit the line buffer. */
	n = (size_t)sprintf(big, "HTTP/1.1 302 Found\r\nLocation: /");
	memset(big + n, 'l', 5000);
	n += 5000;
	n += (size_t)sprintf(big + n, "\r\n\r\n");
	assert_int_equal(feed(big, n, 4096), -1);
	assert_string_equal(buf_text(&err), "Location longer than 4096 bytes");
	/* So must the status line; and a name never ending in ':' is no field. */
	memset(big, 'x', 5000);
	memcpy(big, "HTTP/1.1 200 ", 13);
	assert_int_equal(feed(big, 5000, 5000), -1);
	assert_string_equal(buf_text(&err), "status line longer than 4096 bytes");
	n = (size_t)sprintf(big, "HTTP/1.1 200 OK\r\n");
	memset(big + n, 'N', 5000);
	n += 5000;
	n += (size_t)sprintf(big + n, "\r\n\r\n");
	assert_int_equal(feed(big, n, 100), -1);
	assert_string_equal(buf_text(&err), "malformed header line");
}

static void test_head_total_limit(void **state)
{
	static char line[65536];
	size_t took;
	int rc = 0;

	(void)state;
	memset(line, 'v', sizeof line);
	memcpy(line, "X-A: ", 5);
	line[sizeof line - 1] = '\n';
	reset_err();
	http_head_init(&h);
	assert_int_equal(http_head_feed(&h, "HTTP/1.1 200 OK\r\n", 17, &took, &err), 0);
	for (int i = 0; i < 200 && rc == 0; i++)
		rc = http_head_feed(&h, line, sizeof line, &took, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_text(&err), "response headers exceed 10 MiB");
}

static void test_head_rejected(void **state)
{
	(void)state;
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
			     "conflicting Content-Length headers");
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", "bad Content-Length");
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length");
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\n", "bad Content-Length");
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "bad Content-Length");
	assert_head_rejected("HTTP/1.1 200 OK\r\nContent-Length: 1\x01\r\n\r\n", "control character in Content-Length");
	assert_head_rejected("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "malformed header line: \"No colon here\"");
	assert_head_rejected("HTTP/1.1 200 OK\r\nA\tB: value\r\n\r\n", "malformed header line");
	assert_head_rejected("HTTP/1.1 200 OK\r\n folded\r\nA: b\r\n\r\n", "folded line before the first header field");
	assert_head_rejected("HTTP/1.1 200 OK\r\nA: b\r\n", "incomplete response head");
	assert_head_rejected("garbage\r\n\r\n", "not an HTTP response: \"garbage\"");
	/* Go's client takes one Transfer-Encoding line, and only "chunked". */
	assert_head_rejected("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
			     "unsupported Transfer-Encoding: \"gzip, chunked\"");
	assert_head_rejected("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
			     "unsupported Transfer-Encoding");
	assert_head_rejected("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", "unsupported Transfer-Encoding");
}

static void test_framing(void **state)
{
	(void)state;
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_LENGTH);
	assert_int_equal(http_framing(&r, true), HTTP_BODY_NONE);
	assert_int_equal(parse_head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_CHUNKED);
	/* HTTP/1.0 has no Transfer-Encoding: Go ignores it there. */
	assert_int_equal(parse_head("HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_LENGTH);
	assert_int_equal(parse_head("HTTP/1.0 200 OK\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_CLOSE);
	assert_int_equal(parse_head("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_NONE);
	assert_int_equal(parse_head("HTTP/1.1 304 Not Modified\r\n\r\n"), 0);
	assert_int_equal(http_framing(&r, false), HTTP_BODY_NONE);
}

static void test_interim(void **state)
{
	(void)state;
	assert_true(http_is_interim(100));
	assert_true(http_is_interim(102));
	assert_true(http_is_interim(103));
	assert_false(http_is_interim(101)); /* Switching Protocols is final */
	assert_false(http_is_interim(200));
	assert_false(http_is_interim(99));
	/* Interim heads are skipped, up to five as Go allows. */
	assert_int_equal(parse_head("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\n"
				    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
			 0);
	assert_uint_equal(r.status, 200);
	assert_uint_equal(r.length, 2);
	assert_head_rejected("HTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\n"
			     "HTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
			     "more than 5 interim (1xx) responses");
	assert_head_rejected("HTTP/1.1 100 Continue\r\n\r\nSSH", "not an HTTP response");
}

/* --- chunked --- */

/* Decode wire[] fed in `step`-byte pieces into out; 0 or -1. */
static int decode(const char *wire, size_t n, size_t step, char *out, size_t *out_len, struct http_chunked *c)
{
	char piece[64];

	http_chunked_init(c);
	reset_err();
	*out_len = 0;
	for (size_t i = 0; i < n; i += step) {
		size_t k = n - i < step ? n - i : step, got;
		memcpy(piece, wire + i, k);
		if (http_chunked_decode(c, piece, k, &got, &err) < 0)
			return -1;
		memcpy(out + *out_len, piece, got);
		*out_len += got;
	}
	out[*out_len] = '\0';
	return 0;
}

static void test_chunked_valid(void **state)
{
	static const char *const wires[] = {
		"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
		"5;name=value\r\nhello\r\n6 ; a=\"b;c\"\r\n world\r\n0;last\r\n\r\n",
		"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n",
		"00005\r\nhello\r\n6\r\n world\r\n000\r\n\r\n",
		"B\r\nhello world\r\n0\r\n\r\n",
		"b\r\nhello world\r\n0\r\n\r\nTHIS IS AFTER THE END",
	};
	char out[128];
	size_t len;
	struct http_chunked c;

	(void)state;
	for (size_t w = 0; w < sizeof wires / sizeof wires[0]; w++) {
		for (size_t step = 1; step <= 64; step *= 2) {
			if (decode(wires[w], strlen(wires[w]), step, out, &len, &c) < 0)
				fail_msg("chunked body %zu refused in %zu-byte reads: %s", w, step, buf_text(&err));
			assert_string_equal(out, "hello world");
			if (!c.done)
				fail_msg("chunked body %zu not complete after %zu-byte reads", w, step);
		}
	}
}

static void test_chunked_truncated(void **state)
{
	static const char wire[] = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
	char out[128];
	size_t len;
	struct http_chunked c;

	(void)state;
	/* Every proper prefix decodes without error but is not done. */
	for (size_t n = 0; n < strlen(wire); n++) {
		assert_int_equal(decode(wire, n, 3, out, &len, &c), 0);
		if (c.done)
			fail_msg("chunked body cut after %zu bytes was taken as complete", n);
	}
}

static void assert_chunked_rejected(const char *wire, const char *why)
{
	char out[128];
	size_t len;
	struct http_chunked c;

	if (decode(wire, strlen(wire), 1, out, &len, &c) != -1)
		fail_msg("chunked body accepted, expected '%s'", why);
	if (strcmp(buf_text(&err), why) != 0)
		fail_msg("chunked body refused with '%s', expected '%s'", buf_text(&err), why);
}

static void test_chunked_invalid(void **state)
{
	(void)state;
	assert_chunked_rejected("z\r\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("\r\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("-5\r\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("0x5\r\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("5 5\r\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("5\nhello\r\n", "bad chunk size");
	assert_chunked_rejected("5\r\rhello\r\n", "chunk size line does not end in CRLF");
	assert_chunked_rejected("5;ext\nhello\r\n", "bad chunk extension");
	assert_chunked_rejected("3\r\nhello\r\n", "chunk data is longer than its size");
	assert_chunked_rejected("5\r\nhello\rX", "chunk data does not end in CRLF");
	assert_chunked_rejected("5\r\nhello\n", "chunk data is longer than its size");
	assert_chunked_rejected("0\r\nX: y\n\r\n", "bad trailer line");
	assert_chunked_rejected("0\r\nX: y\r\r\n", "trailer line does not end in CRLF");
	assert_chunked_rejected("0\r\n\rX", "chunked body does not end in CRLF");
	/* 2^64 and beyond cannot be a size; 16 hex digits is the most. */
	assert_chunked_rejected("10000000000000000\r\n", "chunk size overflows");
	assert_chunked_rejected("fffffffffffffffff\r\n", "chunk size overflows");
}

static void test_chunked_size_limits(void **state)
{
	char out[128], wire[HTTP_CHUNK_META_MAX + 64];
	size_t len;
	struct http_chunked c;

	(void)state;
	assert_int_equal(decode("ffffffffffffffff\r\nab", 20, 5, out, &len, &c), 0);
	assert_uint_equal(c.left, UINT64_MAX - 2);
	assert_int_equal(decode("0000000000000000000000001\r\nx\r\n0\r\n\r\n", 35, 5, out, &len, &c), 0);
	assert_string_equal(out, "x");

	/* Extensions carry no body, so the body cap cannot bound them: this does. */
	memcpy(wire, "1;", 2);
	memset(wire + 2, 'e', HTTP_CHUNK_META_MAX);
	memcpy(wire + 2 + HTTP_CHUNK_META_MAX, "\r\nx\r\n0\r\n\r\n", 11);
	assert_int_equal(decode(wire, strlen(wire), 7, out, &len, &c), 0); /* exactly the cap: fine */
	assert_true(c.done);
	memcpy(wire, "1;", 2);
	memset(wire + 2, 'e', HTTP_CHUNK_META_MAX + 1);
	memcpy(wire + 3 + HTTP_CHUNK_META_MAX, "\r\n", 3);
	assert_chunked_rejected(wire, "chunk extensions and trailers exceed 16384 bytes");
	memcpy(wire, "0\r\nX:", 5);
	memset(wire + 5, 't', HTTP_CHUNK_META_MAX);
	wire[5 + HTTP_CHUNK_META_MAX] = '\0';
	assert_chunked_rejected(wire, "chunk extensions and trailers exceed 16384 bytes");
}

/* --- request side --- */

static int check_header(const char *text, size_t len, struct http_field *f)
{
	reset_err();
	return http_check_header(text, len, f, &err);
}

static void assert_header_rejected(const char *text, size_t len, const char *why)
{
	struct http_field f;

	if (check_header(text, len, &f) != -1)
		fail_msg("header '%s' was accepted, expected '%s'", text, why);
	if (!strstr(buf_text(&err), why))
		fail_msg("header '%s' refused with '%s', expected '%s'", text, buf_text(&err), why);
}

static void test_header_accepted(void **state)
{
	struct http_field f;

	(void)state;
	assert_int_equal(check_header("X-Token: abc 123", 16, &f), 0);
	assert_uint_equal(f.name_len, 7);
	assert_memory_equal(f.name, "X-Token", 7);
	assert_uint_equal(f.value_len, 7);
	assert_memory_equal(f.value, "abc 123", 7);
	assert_int_equal(check_header("Accept:", 7, &f), 0);
	assert_uint_equal(f.value_len, 0);
	assert_int_equal(check_header("Host:\texample.com  ", 19, &f), 0);
	assert_true(http_field_is(&f, "host"));
	assert_memory_equal(f.value, "example.com", f.value_len);
	assert_int_equal(check_header("x!#$%&'*+-.^_`|~9: v", 20, &f), 0);
}

static void test_header_injection_rejected(void **state)
{
	(void)state;
	assert_header_rejected("X-A: 1\r\nX-B: 2", 14, "header contains CR, LF or NUL (header injection)");
	assert_header_rejected("X-A: 1\nGET / HTTP/1.1", 21, "header injection");
	assert_header_rejected("X-A: 1\r", 7, "header injection");
	assert_header_rejected("X-A: 1\0X-B: 2", 13, "header injection");
	assert_header_rejected("X-A: \x1b[31m", 10, "header value contains a control character");
	assert_header_rejected("X-A: \x7f", 6, "control character");
	assert_header_rejected("No-Colon", 8, "header has no ':'");
	assert_header_rejected(": value", 7, "header has no name");
	assert_header_rejected("", 0, "header has no name");
	assert_header_rejected("Bad Name: x", 11, "header name may hold only");
	assert_header_rejected("Bad(Name): x", 12, "header name may hold only");
	assert_header_rejected("Name : x", 8, "header name may hold only");
	assert_header_rejected("Connection: keep-alive", 22, "set by lucid-health");
	assert_header_rejected("content-length: 5", 17, "set by lucid-health");
	assert_header_rejected("Transfer-Encoding: chunked", 26, "set by lucid-health");
}

static void test_host_check(void **state)
{
	(void)state;
	reset_err();
	assert_int_equal(http_check_host("app.example.com:8443", 20, &err), 0);
	assert_int_equal(http_check_host("[::1]:8080", 10, &err), 0);
	assert_int_equal(http_check_host("", 0, &err), -1);
	assert_int_equal(http_check_host("a b", 3, &err), -1);
	assert_int_equal(http_check_host("a\r\nX: y", 7, &err), -1);
	assert_non_null(strstr(buf_text(&err), "header injection"));
}

static void test_build_request(void **state)
{
	char mem[512];
	struct buf b;
	struct http_field extra[2];
	struct http_request rq = { .method = "GET", .target = "/health?x=1", .host = "127.0.0.1:8080", .host_len = 14 };

	(void)state;
	buf_init(&b, mem, sizeof mem);
	assert_int_equal(http_build_request(&b, &rq), 0);
	assert_string_equal(mem, "GET /health?x=1 HTTP/1.1\r\n"
				 "Host: 127.0.0.1:8080\r\n"
				 "User-Agent: lucid-health/" LUCID_VERSION "\r\n"
				 "Accept: */*\r\n"
				 "Connection: close\r\n"
				 "\r\n");

	/* Same-named headers replace the defaults; others follow them. */
	assert_int_equal(check_header("user-agent: probe/2", 19, &extra[0]), 0);
	assert_int_equal(check_header("X-Check: deep", 13, &extra[1]), 0);
	rq.method = "HEAD";
	rq.headers = extra;
	rq.n_headers = 2;
	buf_init(&b, mem, sizeof mem);
	assert_int_equal(http_build_request(&b, &rq), 0);
	assert_string_equal(mem, "HEAD /health?x=1 HTTP/1.1\r\n"
				 "Host: 127.0.0.1:8080\r\n"
				 "Accept: */*\r\n"
				 "user-agent: probe/2\r\n"
				 "X-Check: deep\r\n"
				 "Connection: close\r\n"
				 "\r\n");

	buf_init(&b, mem, 40);
	assert_int_equal(http_build_request(&b, &rq), -1);
}

static void test_quote(void **state)
{
	char mem[128];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	http_quote(&b, "ok \"x\"\\\r\n\x1b\xff", 11, 64);
	assert_string_equal(mem, "\"ok \\x22x\\x22\\x5c\\x0d\\x0a\\x1b\\xff\"");
	buf_init(&b, mem, sizeof mem);
	http_quote(&b, "abcdef", 6, 3);
	assert_string_equal(mem, "\"abc\"...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_line),
		cmocka_unit_test(test_status_line_garbage),
		cmocka_unit_test(test_status_start_rejects_early),
		cmocka_unit_test(test_head_length),
		cmocka_unit_test(test_head_fields),
		cmocka_unit_test(test_head_as_go_reads_it),
		cmocka_unit_test(test_head_large),
		cmocka_unit_test(test_head_total_limit),
		cmocka_unit_test(test_head_rejected),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_interim),
		cmocka_unit_test(test_chunked_valid),
		cmocka_unit_test(test_chunked_truncated),
		cmocka_unit_test(test_chunked_invalid),
		cmocka_unit_test(test_chunked_size_limits),
		cmocka_unit_test(test_header_accepted),
		cmocka_unit_test(test_header_injection_rejected),
		cmocka_unit_test(test_host_check),
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

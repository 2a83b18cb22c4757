/* healthcheck/pb.c, h2.c and grpc.c: the protobuf message pair, HTTP/2
 * frames one at a time, and whole Health/Check exchanges against a
 * scripted server on the other end of a socketpair, whose bytes are queued
 * before the client runs (or trickled by a child process). */
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "healthcheck/grpc.h"
#include "healthcheck/h2.h"
#include "healthcheck/hpack.h"
#include "healthcheck/pb.h"

static char err_mem[256];
static struct buf err;

static void reset_err(void)
{
	buf_init(&err, err_mem, sizeof err_mem);
}

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (const char *p = hex; *p; p++) {
		unsigned v;
		char pair[3] = { p[0], p[1], 0 };
		if (*p == ' ')
			continue;
		assert_int_equal(sscanf(pair, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		p++;
	}
	return n;
}

/* --- protobuf and the message prefix --- */

static void test_pb_request(void **state)
{
	char mem[2048], service[200];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	pb_put_request(&b, "", 0);
	assert_uint_equal(buf_length(&b), 5);
	assert_memory_equal(mem, "\0\0\0\0\0", 5);
	buf_init(&b, mem, sizeof mem);
	pb_put_request(&b, "svc", 3);
	assert_uint_equal(buf_length(&b), 10);
	assert_memory_equal(mem, "\0\0\0\0\x05\x0a\x03svc", 10);
	/* 200 bytes: a two-byte length varint (0xc8 0x01). */
	memset(service, 's', sizeof service);
	buf_init(&b, mem, sizeof mem);
	pb_put_request(&b, service, sizeof service);
	assert_uint_equal(buf_length(&b), 5 + 3 + 200);
	assert_memory_equal(mem, "\0\0\0\0\xcb\x0a\xc8\x01s", 9);
}

static int parse_response(const char *hex, int32_t *status)
{
	uint8_t p[64];
	size_t n = unhex(hex, p);

	reset_err();
	return pb_parse_response(p, n, status, &err);
}

static void assert_status(const char *hex, int32_t want)
{
	int32_t status = 99;

	if (parse_response(hex, &status) != 0)
		fail_msg("response %s refused: %s", hex, buf_text(&err));
	assert_int_equal(status, want);
}

static void assert_response_refused(const char *hex, const char *why)
{
	int32_t status;

	if (parse_response(hex, &status) != -1)
		fail_msg("response %s accepted, expected '%s'", hex, why);
	assert_string_equal(buf_text(&err), why);
}

static void test_pb_response(void **state)
{
	(void)state;
	assert_status("", PB_UNKNOWN);
	assert_status("0801", PB_SERVING);
	assert_status("0802", PB_NOT_SERVING);
	assert_status("0803", PB_SERVICE_UNKNOWN);
	assert_status("0802 0801", PB_SERVING); /* the last one wins */
	/* Unknown fields of every wire type around it: varint, fixed64,
	 * length-delimited, fixed32, a group (with a field 1 inside that is
	 * not ours), and field 1 with another wire type. */
	assert_status("1005 19 0102030405060708 2203616263 2d 01020304 33 0802 3b 3c 34 0a0101 0801", PB_SERVING);
	assert_status("0801 f8ffffff0f 05", PB_SERVING); /* field 2^29-1, the largest */
	/* An int32 enum: negative values take ten bytes; the low 32 bits count. */
	assert_status("08 ffffffffffffffffff01", -1);
	assert_status("08 8180808010", 1);
}

static void test_pb_response_malformed(void **state)
{
	(void)state;
	assert_response_refused("08", "truncated protobuf varint");
	assert_response_refused("08 80", "truncated protobuf varint");
	assert_response_refused("08 ffffffffffffffffff02", "protobuf varint overflows 64 bits");
	assert_response_refused("08 ffffffffffffffffff8001", "protobuf varint overflows 64 bits");
	assert_response_refused("2205 6162", "truncated protobuf field");
	assert_response_refused("22 ffffffffffffffffff01", "truncated protobuf field");
	assert_response_refused("19 00010203", "truncated protobuf field");
	assert_response_refused("2d 0001", "truncated protobuf field");
	assert_response_refused("34", "unbalanced protobuf group");
	assert_response_refused("33 3c", "unbalanced protobuf group");
	assert_response_refused("33 0801", "unterminated protobuf group");
	assert_response_refused("0b0b0b0b0b0b0b0b0b", "protobuf groups nest too deep");
	assert_response_refused("0e", "bad protobuf wire type");
	assert_response_refused("0f", "bad protobuf wire type");
	assert_response_refused("00 01", "bad protobuf field number");
	assert_response_refused("80808080 10", "bad protobuf field number");
}

static void test_message_prefix(void **state)
{
	uint32_t len;

	(void)state;
	reset_err();
	assert_int_equal(pb_check_prefix((const uint8_t *)"\0\0\0\0\x02", &len, &err), 0);
	assert_uint_equal(len, 2);
	assert_int_equal(pb_check_prefix((const uint8_t *)"\0\0\0\x10\0", &len, &err), 0);
	assert_uint_equal(len, 4096);
	assert_int_equal(pb_check_prefix((const uint8_t *)"\0\0\0\x10\x01", &len, &err), -1);
	assert_string_equal(buf_text(&err), "a response message of 4097 bytes exceeds 4096");
	reset_err();
	assert_int_equal(pb_check_prefix((const uint8_t *)"\x01\0\0\0\x02", &len, &err), -1);
	assert_string_equal(buf_text(&err), "the response message is compressed, though we accept no encoding");
	reset_err();
	assert_int_equal(pb_check_prefix((const uint8_t *)"\x80\0\0\0\x02", &len, &err), -1);
	assert_string_equal(buf_text(&err), "bad message flags 0x80");
}

static void test_status_names(void **state)
{
	char mem[32];
	struct buf b;

	(void)state;
	assert_string_equal(grpc_status_name(0), "OK");
	assert_string_equal(grpc_status_name(12), "UNIMPLEMENTED");
	assert_string_equal(grpc_status_name(16), "UNAUTHENTICATED");
	assert_string_equal(grpc_status_name(17), "");
	assert_string_equal(grpc_status_name(-1), "");
	buf_init(&b, mem, sizeof mem);
	pb_put_status(&b, 3);
	buf_char(&b, ' ');
	pb_put_status(&b, 7);
	assert_string_equal(mem, "SERVICE_UNKNOWN status 7");
	buf_init(&b, mem, sizeof mem);
	h2_put_error(&b, 0xb);
	buf_char(&b, ' ');
	h2_put_error(&b, 0x1f);
	assert_string_equal(mem, "ENHANCE_YOUR_CALM error 0x1f");
}

/* --- HTTP/2 frames, one at a time --- */

static struct h2_conn conn;
static struct h2_event ev;
static char reply_mem[256];
static struct buf reply;

static int setup_conn(void **state)
{
	(void)state;
	h2_conn_init(&conn);
	return 0;
}

/* Feed one frame given as hex (header and payload) to conn. */
static int feed(const char *hex)
{
	static uint8_t f[H2_FRAME_HEADER + H2_FRAME_MAX];
	struct h2_frame h;
	size_t n = unhex(hex, f);

	reset_err();
	buf_init(&reply, reply_mem, sizeof reply_mem);
	assert_true(n >= H2_FRAME_HEADER);
	if (h2_parse_frame_header(&conn, f, &h, &err) < 0)
		return -1;
	assert_uint_equal(h.length, n - H2_FRAME_HEADER);
	return h2_receive(&conn, &h, f + H2_FRAME_HEADER, &ev, &reply, &err);
}

static void assert_fed(const char *hex)
{
	if (feed(hex) != 0)
		fail_msg("frame %s refused: %s", hex, buf_text(&err));
}

static void assert_refused(const char *hex, const char *why, uint32_t code)
{
	if (feed(hex) != -1)
		fail_msg("frame %s accepted, expected '%s'", hex, why);
	assert_string_equal(buf_text(&err), why);
	assert_uint_equal(conn.error, code);
}

#define SETTINGS_EMPTY "000000 04 00 00000000"

static void test_frame_header(void **state)
{
	char mem[16];
	struct buf b;
	struct h2_frame f;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	h2_put_frame_header(&b, 0x123456, H2_HEADERS, 0x25, 0x80000003);
	assert_memory_equal(mem, "\x12\x34\x56\x01\x25\x00\x00\x00\x03", 9);
	reset_err();
	/* The reserved bit is ignored; 16384 is the largest length we take. */
	assert_int_equal(
		h2_parse_frame_header(&conn, (const uint8_t *)"\x00\x40\x00\x00\x01\x80\x00\x00\x01", &f, &err), 0);
	assert_uint_equal(f.length, 16384);
	assert_uint_equal(f.stream, 1);
	assert_uint_equal(f.flags, 1);
	assert_int_equal(
		h2_parse_frame_header(&conn, (const uint8_t *)"\x00\x40\x01\x00\x00\x00\x00\x00\x01", &f, &err), -1);
	assert_string_equal(buf_text(&err), "a frame of 16385 bytes exceeds our maximum of 16384 (FRAME_SIZE_ERROR)");
	assert_uint_equal(conn.error, H2_FRAME_SIZE_ERROR);
}

static void test_preface(void **state)
{
	char mem[128];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	h2_put_preface(&b, 4096, 16384);
	assert_uint_equal(buf_length(&b), 24 + 9 + 18);
	assert_memory_equal(mem, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04\0\0\0\0\0", 33);
	assert_memory_equal(mem + 33, "\0\x01\0\0\x10\0\0\x02\0\0\0\0\0\x06\0\0\x40\0", 18);
	buf_init(&b, mem, sizeof mem);
	h2_put_goaway(&b, H2_PROTOCOL_ERROR);
	assert_memory_equal(mem, "\0\0\x08\x07\0\0\0\0\0\0\0\0\0\0\0\0\x01", 17);
}

static void test_first_frame_is_settings(void **state)
{
	(void)state;
	assert_refused("000008 06 00 00000000 0102030405060708",
		       "the server did not start with its SETTINGS frame (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	h2_conn_init(&conn);
	assert_refused("000000 04 01 00000000", "the server did not start with its SETTINGS frame (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	h2_conn_init(&conn);
	assert_fed(SETTINGS_EMPTY);
	assert_true(conn.settled);
	assert_uint_equal(buf_length(&reply), 9);
	assert_memory_equal(reply_mem, "\0\0\0\x04\x01\0\0\0\0", 9); /* the ACK */
}

static void test_settings(void **state)
{
	(void)state;
	/* Window 0, a larger frame size, an unknown setting. */
	assert_fed("000012 04 00 00000000 0004 00000000 0005 00010000 00ff 12345678");
	assert_uint_equal(h2_send_room(&conn), 0);
	assert_fed("000000 04 01 00000000"); /* the ACK of ours */
	assert_uint_equal(buf_length(&reply), 0);
	assert_refused("000001 04 01 00000000 00", "SETTINGS frame of 1 bytes (FRAME_SIZE_ERROR)", H2_FRAME_SIZE_ERROR);
	assert_refused("000005 04 00 00000000 0004000000", "SETTINGS frame of 5 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_refused("000006 04 00 00000001 000400000000", "SETTINGS frame on stream 1 (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000006 04 00 00000000 000200000002", "SETTINGS_ENABLE_PUSH is neither 0 nor 1 (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000006 04 00 00000000 000500003fff",
		       "SETTINGS_MAX_FRAME_SIZE is outside 16384-16777215 (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000006 04 00 00000000 000501000000",
		       "SETTINGS_MAX_FRAME_SIZE is outside 16384-16777215 (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000006 04 00 00000000 000480000000",
		       "SETTINGS_INITIAL_WINDOW_SIZE exceeds 2^31-1 (FLOW_CONTROL_ERROR)", H2_FLOW_CONTROL_ERROR);
}

static void test_windows(void **state)
{
	(void)state;
	assert_fed("000006 04 00 00000000 000400000000");
	assert_uint_equal(h2_send_room(&conn), 0);
	assert_fed("000004 08 00 00000001 00000064"); /* stream 1: +100 */
	assert_uint_equal(h2_send_room(&conn), 100);
	h2_sent(&conn, 60);
	assert_uint_equal(h2_send_room(&conn), 40);
	/* A new initial size moves the open stream's window by the difference. */
	assert_fed("000006 04 00 00000000 000400000010");
	assert_uint_equal(h2_send_room(&conn), 56);
	assert_fed("000004 08 00 00000000 80000001"); /* connection; reserved bit ignored */
	assert_refused("000004 08 00 00000001 00000000", "WINDOW_UPDATE of 0 (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000004 08 00 00000001 7fffffff",
		       "WINDOW_UPDATE takes the window past 2^31-1 (FLOW_CONTROL_ERROR)", H2_FLOW_CONTROL_ERROR);
	assert_refused("000003 08 00 00000000 000001", "WINDOW_UPDATE frame of 3 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_refused("000004 08 00 00000003 00000001",
		       "WINDOW_UPDATE frame on stream 3, which the client never opened (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
}

static void test_ping_goaway_reset(void **state)
{
	(void)state;
	assert_fed(SETTINGS_EMPTY);
	assert_fed("000008 06 00 00000000 0102030405060708");
	assert_uint_equal(buf_length(&reply), 17);
	assert_memory_equal(reply_mem, "\0\0\x08\x06\x01\0\0\0\0\x01\x02\x03\x04\x05\x06\x07\x08", 17);
	assert_fed("000008 06 01 00000000 0102030405060708"); /* an ACK: no reply */
	assert_uint_equal(buf_length(&reply), 0);
	assert_refused("000007 06 00 00000000 01020304050607", "PING frame of 7 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_fed("00000b 07 00 00000000 00000001 0000000b 627965");
	assert_int_equal(ev.kind, H2_EV_GOAWAY);
	assert_uint_equal(ev.last_stream, 1);
	assert_uint_equal(ev.code, 0xb);
	assert_uint_equal(ev.len, 3);
	assert_memory_equal(ev.data, "bye", 3);
	assert_refused("000007 07 00 00000000 00000001 000000", "GOAWAY frame of 7 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_fed("000004 03 00 00000001 00000007");
	assert_int_equal(ev.kind, H2_EV_RESET);
	assert_uint_equal(ev.code, 7);
	assert_refused("000004 03 00 00000000 00000007", "RST_STREAM frame on stream 0 (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000004 03 00 00000005 00000007",
		       "RST_STREAM frame on stream 5, which the client never opened (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000005 03 00 00000001 0000000700", "RST_STREAM frame of 5 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
}

static void test_stream_frames(void **state)
{
	(void)state;
	assert_fed(SETTINGS_EMPTY);
	/* PRIORITY anywhere but stream 0, and unknown types, are ignored. */
	assert_fed("000005 02 00 00000007 0000000010");
	assert_int_equal(ev.kind, H2_EV_NONE);
	assert_refused("000005 02 00 00000000 0000000010", "PRIORITY frame on stream 0 (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000004 02 00 00000001 00000000", "PRIORITY frame of 4 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_fed("000003 fa 07 00000009 616263");
	assert_int_equal(ev.kind, H2_EV_NONE);
	/* HEADERS, PADDED and PRIORITY: 1 pad-length byte, 5 priority bytes, 2 of padding. */
	assert_fed("000009 01 2d 00000001 02 0000000010 88 0000");
	assert_int_equal(ev.kind, H2_EV_HEADERS);
	assert_true(ev.end_stream);
	assert_uint_equal(ev.len, 1);
	assert_memory_equal(ev.data, "\x88", 1);
	assert_fed("000005 00 09 00000001 03 ab 000000");
	assert_int_equal(ev.kind, H2_EV_DATA);
	assert_true(ev.end_stream);
	assert_uint_equal(ev.len, 1);
	assert_refused("000002 00 08 00000001 02ab", "DATA frame padding longer than its payload (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	assert_refused("000000 00 08 00000001", "DATA frame of 0 bytes (FRAME_SIZE_ERROR)", H2_FRAME_SIZE_ERROR);
	assert_refused("000004 01 24 00000001 00000000", "HEADERS frame of 4 bytes (FRAME_SIZE_ERROR)",
		       H2_FRAME_SIZE_ERROR);
	assert_refused("000001 00 00 00000000 ab", "DATA frame on stream 0 (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000001 01 04 00000003 88",
		       "HEADERS frame on stream 3, which the client never opened (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000004 05 04 00000001 00000002",
		       "PUSH_PROMISE, though the client disabled push (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	assert_refused("000001 09 04 00000001 88", "CONTINUATION frame without HEADERS (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
}

static void test_continuation(void **state)
{
	(void)state;
	assert_fed(SETTINGS_EMPTY);
	assert_fed("000001 01 01 00000001 88");
	assert_int_equal(ev.kind, H2_EV_NONE);
	assert_fed("000000 09 00 00000001");
	assert_fed("000002 09 04 00000001 4000");
	assert_int_equal(ev.kind, H2_EV_HEADERS);
	assert_true(ev.end_stream);
	assert_uint_equal(ev.len, 3);
	assert_memory_equal(ev.data, "\x88\x40\x00", 3);
	/* Nothing may come between, not even a PING or an unknown type. */
	assert_fed("000001 01 00 00000001 88");
	assert_refused("000008 06 00 00000000 0102030405060708",
		       "a header block is interrupted by another frame (PROTOCOL_ERROR)", H2_PROTOCOL_ERROR);
	h2_conn_init(&conn);
	assert_fed(SETTINGS_EMPTY);
	assert_fed("000001 01 00 00000001 88");
	assert_refused("000001 09 04 00000003 88",
		       "CONTINUATION frame on stream 3, which the client never opened (PROTOCOL_ERROR)",
		       H2_PROTOCOL_ERROR);
	/* Empty CONTINUATIONs count their 9-byte headers: 16384 / 9 of them end it. */
	h2_conn_init(&conn);
	assert_fed(SETTINGS_EMPTY);
	assert_fed("000001 01 00 00000001 88");
	int i;
	for (i = 0; i < 2000 && feed("000000 09 00 00000001") == 0; i++)
		;
	assert_int_equal(i, (16384 - 10) / 9);
	assert_string_equal(buf_text(&err), "the response's header block exceeds 16384 bytes (PROTOCOL_ERROR)");
}

static void test_data_window(void **state)
{
	static char hex[2 * 16384 + 64];

	(void)state;
	assert_fed(SETTINGS_EMPTY);
	/* Three 16384-byte DATA frames fit our 65535 window, four do not. */
	size_t head = strlen(strcpy(hex, "004000 00 00 00000001 "));
	for (size_t i = 0; i < 16384; i++)
		memcpy(hex + head + 2 * i, "00", 3);
	for (int i = 0; i < 3; i++)
		assert_fed(hex);
	assert_refused(hex, "the server sent more DATA than our window allows (FLOW_CONTROL_ERROR)",
		       H2_FLOW_CONTROL_ERROR);
}

/* --- whole exchanges --- */

static int sv[2];
static char srv_mem[65536], out_mem[512];
static struct buf srv, out;
static struct grpc_result res;
static uint8_t sent[65536]; /* what the client sent */
static size_t sent_len;

static int setup_pair(void **state)
{
	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	/* The client's end is non-blocking, as conn.c's sockets are. */
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	buf_init(&srv, srv_mem, sizeof srv_mem);
	buf_init(&out, out_mem, sizeof out_mem);
	sent_len = 0;
	return 0;
}

static int teardown_pair(void **state)
{
	(void)state;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void renew_pair(void)
{
	teardown_pair(NULL);
	setup_pair(NULL);
}

static void srv_frame(uint8_t type, uint8_t flags, uint32_t stream, const void *payload, size_t n)
{
	h2_put_frame_header(&srv, (uint32_t)n, type, flags, stream);
	buf_mem(&srv, payload, n);
}

static void srv_settings(const char *payload, size_t n)
{
	srv_frame(H2_SETTINGS, 0, 0, payload, n);
}

/* A header block with the fields given (NULL: left out). */
static void srv_headers(uint8_t flags, const char *status, const char *type, const char *grpc_status,
			const char *grpc_message)
{
	char mem[1024];
	struct buf b;

	buf_init(&b, mem, sizeof mem);
	if (status && strcmp(status, "200") == 0)
		hpack_put_indexed(&b, 8);
	else if (status)
		hpack_put_literal(&b, 8, NULL, status, strlen(status));
	if (type)
		hpack_put_literal(&b, 31, NULL, type, strlen(type));
	if (grpc_status)
		hpack_put_literal(&b, 0, "grpc-status", grpc_status, strlen(grpc_status));
	if (grpc_message)
		hpack_put_literal(&b, 0, "grpc-message", grpc_message, strlen(grpc_message));
	srv_frame(H2_HEADERS, flags | H2_END_HEADERS, 1, mem, buf_length(&b));
}

/* DATA with one gRPC message of flags and body[0..n). */
static void srv_message(uint8_t flags, const char *body, size_t n, uint8_t frame_flags)
{
	char mem[64] = { (char)flags, 0, 0, 0, (char)n };

	memcpy(mem + 5, body, n);
	srv_frame(H2_DATA, frame_flags, 1, mem, 5 + n);
}

/* A whole answer: headers, the message with ServingStatus status, trailers. */
static void srv_answer(char status)
{
	char body[2] = { 0x08, status };

	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, body, 2, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
}

static void send_all(const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = send(sv[1], c, n, MSG_NOSIGNAL);
		assert_true(w > 0);
		c += w;
		n -= (size_t)w;
	}
}

/* Queue the script, run the check, collect what the client sent. */
static int run_for(const char *service, uint64_t ms)
{
	struct link l = { .fd = sv[0], .tls = NULL };
	int rc;

	assert_false(buf_truncated(&srv));
	if (buf_length(&srv))
		send_all(buf_text(&srv), buf_length(&srv));
	rc = grpc_check(&l, "127.0.0.1:50051", false, service, strlen(service), clock_now_us() + ms * 1000, &res, &out);
	for (;;) {
		ssize_t r = recv(sv[1], sent + sent_len, sizeof sent - sent_len, MSG_DONTWAIT);
		if (r <= 0)
			break;
		sent_len += (size_t)r;
	}
	return rc;
}

static int run(void)
{
	return run_for("", 2000);
}

static void assert_outcome(int rc, int want_rc, const char *text)
{
	if (rc != want_rc || strcmp(buf_text(&out), text) != 0)
		fail_msg("grpc_check returned %d with '%s', expected %d with '%s'", rc, buf_text(&out), want_rc, text);
}

/* The frames the client sent after its preface, one by one. */
static const uint8_t *sent_frame(size_t *pos, struct h2_frame *f)
{
	const uint8_t *p = sent + *pos;

	if (*pos + H2_FRAME_HEADER > sent_len)
		return NULL;
	reset_err();
	assert_int_equal(h2_parse_frame_header(&conn, p, f, &err), 0);
	*pos += H2_FRAME_HEADER + f->length;
	assert_true(*pos <= sent_len);
	return p + H2_FRAME_HEADER;
}

/* The client sent a frame of type (with all of flags) on stream; its payload. */
static const uint8_t *find_sent(uint8_t type, uint8_t flags, uint32_t stream, size_t *len)
{
	size_t pos = 24;
	struct h2_frame f;
	const uint8_t *p;

	while ((p = sent_frame(&pos, &f)) != NULL) {
		if (f.type == type && (f.flags & flags) == flags && f.stream == stream) {
			*len = f.length;
			return p;
		}
	}
	return NULL;
}

static char fields_mem[1024];
static struct buf fields;

static int collect(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	(void)ctx;
	buf_mem(&fields, name, name_len);
	buf_str(&fields, ": ");
	buf_mem(&fields, value, value_len);
	buf_char(&fields, '\n');
	return 0;
}

static void test_serving(void **state)
{
	static struct hpack_decoder d;
	const uint8_t *p;
	size_t len;

	(void)state;
	srv_answer(1);
	assert_outcome(run(), 0, " -> SERVING");
	assert_uint_equal(res.http_status, 200);
	assert_int_equal(res.grpc_status, 0);
	assert_int_equal(res.serving, 1);
	assert_false(res.timed_out);
	/* The client's side: preface, SETTINGS, HEADERS, DATA, SETTINGS ACK. */
	assert_true(sent_len > 24);
	assert_memory_equal(sent, H2_PREFACE, 24);
	assert_non_null(p = find_sent(H2_SETTINGS, 0, 0, &len));
	assert_uint_equal(len, 18);
	assert_memory_equal(p + 6, "\0\x02\0\0\0\0", 6); /* ENABLE_PUSH 0 */
	assert_non_null(find_sent(H2_SETTINGS, H2_ACK, 0, &len));
	assert_non_null(p = find_sent(H2_HEADERS, H2_END_HEADERS, 1, &len));
	hpack_decoder_init(&d);
	buf_init(&fields, fields_mem, sizeof fields_mem);
	reset_err();
	assert_int_equal(hpack_decode(&d, p, len, collect, NULL, &err), 0);
	const char *f = buf_text(&fields);
	assert_memory_equal(f,
			    ":method: POST\n:scheme: http\n:path: /grpc.health.v1.Health/Check\n"
			    ":authority: 127.0.0.1:50051\ncontent-type: application/grpc\nte: trailers\n"
			    "user-agent: lucid-health/",
			    strlen(":method: POST\n:scheme: http\n:path: /grpc.health.v1.Health/Check\n"
				   ":authority: 127.0.0.1:50051\ncontent-type: application/grpc\nte: trailers\n"
				   "user-agent: lucid-health/"));
	assert_non_null(strstr(f, "\ngrpc-timeout: 1"));
	assert_non_null(p = find_sent(H2_DATA, H2_END_STREAM, 1, &len));
	assert_uint_equal(len, 5);
	assert_memory_equal(p, "\0\0\0\0\0", 5);
}

static void test_not_serving(void **state)
{
	(void)state;
	srv_answer(2);
	assert_outcome(run(), -1, " -> NOT_SERVING");
	assert_int_equal(res.serving, 2);
}

static void test_service_unknown(void **state)
{
	size_t len;
	const uint8_t *p;

	(void)state;
	srv_answer(3);
	assert_outcome(run_for("db", 2000), -1, " -> SERVICE_UNKNOWN");
	assert_non_null(p = find_sent(H2_DATA, H2_END_STREAM, 1, &len));
	assert_uint_equal(len, 9);
	assert_memory_equal(p,
			    "\0\0\0\0\x04\x0a\x02"
			    "db",
			    9);
}

static void test_unknown_status(void **state)
{
	(void)state;
	srv_answer(0);
	assert_outcome(run(), -1, " -> UNKNOWN");
}

static void test_trailers_only(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(H2_END_STREAM, "200", "application/grpc", "12",
		    "unknown service grpc.health.v1.Health%2C %2x 100%25");
	assert_outcome(run(), -1,
		       " -> grpc-status 12 UNIMPLEMENTED: \"unknown service grpc.health.v1.Health, %2x 100%\"");
	assert_int_equal(res.grpc_status, 12);
	assert_int_equal(res.serving, -1);
}

static void test_grpc_status_after_message(void **state)
{
	char body[2] = { 0x08, 0x01 };

	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc+proto", NULL, NULL);
	srv_message(0, body, 2, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, "14", NULL);
	assert_outcome(run(), -1, " -> grpc-status 14 UNAVAILABLE");
}

static void test_not_grpc(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(H2_END_STREAM, "404", "text/html", NULL, NULL);
	assert_outcome(run(), -1, " -> HTTP status 404, not a gRPC response");
}

static void test_wrong_content_type(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(H2_END_STREAM, "200", "application/grpcweb", "0", NULL);
	assert_outcome(run(), -1, " -> content-type \"application/grpcweb\", not application/grpc");
}

static void test_missing_grpc_status(void **state)
{
	char body[2] = { 0x08, 0x01 };

	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, body, 2, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, NULL, "fine");
	assert_outcome(run(), -1, " -> the response has no grpc-status");
	assert_int_equal(res.grpc_status, -1);
}

static void test_no_message(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
	assert_outcome(run(), -1, " -> OK, but without a response message");
}

static void test_compressed_message(void **state)
{
	char body[2] = { 0x08, 0x01 };
	size_t len;
	const uint8_t *p;

	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(1, body, 2, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
	assert_outcome(run(), -1, ": the response message is compressed, though we accept no encoding");
	assert_non_null(p = find_sent(H2_GOAWAY, 0, 0, &len));
	assert_memory_equal(p + 4, "\0\0\0\x01", 4); /* PROTOCOL_ERROR */
}

static void test_two_messages(void **state)
{
	char body[2] = { 0x08, 0x01 };

	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, body, 2, 0);
	srv_message(0, body, 2, 0);
	assert_outcome(run(), -1, ": the response carries more than one message");
}

static void test_malformed_message(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, "\x08", 1, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
	assert_outcome(run(), -1, " -> OK, but the response message is malformed: truncated protobuf varint");
}

static void test_goaway(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_frame(H2_GOAWAY, 0, 0,
		  "\0\0\0\0\0\0\0\x01"
		  "bye",
		  11);
	assert_outcome(run(), -1, ": server sent GOAWAY (PROTOCOL_ERROR): \"bye\"");
}

static void test_graceful_goaway(void **state)
{
	char body[2] = { 0x08, 0x01 };

	(void)state;
	srv_settings("", 0);
	srv_frame(H2_GOAWAY, 0, 0, "\0\0\0\x01\0\0\0\0", 8); /* NO_ERROR, stream 1 still answered */
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, body, 2, 0);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
	assert_outcome(run(), 0, " -> SERVING");
}

static void test_rst_stream(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_frame(H2_RST_STREAM, 0, 1, "\0\0\0\x07", 4);
	assert_outcome(run(), -1, ": server sent RST_STREAM (REFUSED_STREAM)");
}

/* A window of 0 holds the request back until WINDOW_UPDATEs open both
 * windows; the PING in between is answered, padding and priority skipped. */
static void test_window_then_update(void **state)
{
	size_t len;
	const uint8_t *p;
	char padded[11] = { 3, 0, 0, 0, 0, 2, 0x08, 0x01, 0, 0, 0 }; /* pad length, message, padding */

	(void)state;
	srv_settings("\0\x04\0\0\0\0", 6);
	srv_frame(H2_PING, 0, 0, "pingpong", 8);
	srv_frame(H2_WINDOW_UPDATE, 0, 1, "\0\0\0\x03", 4);
	srv_frame(H2_WINDOW_UPDATE, 0, 1, "\0\0\0\x10", 4);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_frame(H2_DATA, H2_PADDED, 1, padded, 11);
	srv_headers(H2_END_STREAM, NULL, NULL, "0", NULL);
	assert_outcome(run_for("svc", 2000), 0, " -> SERVING");
	assert_non_null(p = find_sent(H2_PING, H2_ACK, 0, &len));
	assert_memory_equal(p, "pingpong", 8);
	/* 3 bytes when the first update came, the other 7 after the second. */
	assert_non_null(p = find_sent(H2_DATA, 0, 1, &len));
	assert_uint_equal(len, 3);
	assert_non_null(p = find_sent(H2_DATA, H2_END_STREAM, 1, &len));
	assert_uint_equal(len, 7);
}

static void test_window_stays_closed(void **state)
{
	uint64_t t0 = clock_now_us();

	(void)state;
	srv_settings("\0\x04\0\0\0\0", 6);
	assert_outcome(
		run_for("", 200), -1,
		": timed out while waiting for the server's flow-control window to open to send the request (it is 0)");
	assert_true(res.timed_out);
	assert_true(clock_now_us() - t0 < 1000000);
}

static void test_endless_continuation(void **state)
{
	size_t len;
	const uint8_t *p;

	(void)state;
	srv_settings("", 0);
	srv_frame(H2_HEADERS, 0, 1, "\x88", 1);
	for (int i = 0; i < 3000; i++)
		srv_frame(H2_CONTINUATION, 0, 1, "", 0);
	assert_outcome(run(), -1, ": the response's header block exceeds 16384 bytes (PROTOCOL_ERROR)");
	assert_false(res.timed_out);
	assert_non_null(p = find_sent(H2_GOAWAY, 0, 0, &len));
}

static void test_oversized_frame(void **state)
{
	size_t len;
	const uint8_t *p;

	(void)state;
	srv_settings("", 0);
	buf_mem(&srv, "\x00\x4e\x20\x00\x00\x00\x00\x00\x01", 9); /* 20000 bytes of DATA, never sent */
	assert_outcome(run(), -1, ": a frame of 20000 bytes exceeds our maximum of 16384 (FRAME_SIZE_ERROR)");
	assert_non_null(p = find_sent(H2_GOAWAY, 0, 0, &len));
	assert_memory_equal(p + 4, "\0\0\0\x06", 4);
}

static void test_bad_hpack(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_frame(H2_HEADERS, H2_END_HEADERS, 1, "\xbe", 1);
	assert_outcome(run(), -1, ": HPACK: index 62 is not in the table");
}

static void test_http1_server(void **state)
{
	(void)state;
	buf_str(&srv, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
	assert_outcome(run(), -1, ": the server answered in HTTP/1.x, not HTTP/2");
}

static void test_closed(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	send_all(buf_text(&srv), buf_length(&srv));
	buf_clear(&srv);
	assert_int_equal(shutdown(sv[1], SHUT_WR), 0);
	assert_outcome(run(), -1, ": the server closed the connection before the response ended");
	renew_pair();
	assert_int_equal(shutdown(sv[1], SHUT_WR), 0);
	assert_outcome(run(), -1, ": the server closed the connection before its SETTINGS (not an HTTP/2 server?)");
}

static void test_data_before_headers(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_message(0, "\x08\x01", 2, 0);
	assert_outcome(run(), -1, ": DATA before the response headers");
	renew_pair();
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_headers(0, NULL, NULL, "0", NULL);
	assert_outcome(run(), -1, ": trailers without END_STREAM");
	renew_pair();
	srv_settings("", 0);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_headers(H2_END_STREAM, "200", NULL, "0", NULL);
	assert_outcome(run(), -1, ": pseudo-header field in the trailers");
}

static void test_bad_fields(void **state)
{
	(void)state;
	srv_settings("", 0);
	srv_headers(H2_END_STREAM, "2x0", "application/grpc", "0", NULL);
	assert_outcome(run(), -1, ": bad :status \"2x0\"");
	renew_pair();
	srv_settings("", 0);
	srv_headers(H2_END_STREAM, "200", "application/grpc", "-1", NULL);
	assert_outcome(run(), -1, ": bad grpc-status \"-1\"");
	/* A service name past 1024 bytes is refused before anything is sent. */
	static char name[1025];
	struct link l = { .fd = -1, .tls = NULL };
	memset(name, 's', sizeof name);
	buf_init(&out, out_mem, sizeof out_mem);
	assert_int_equal(grpc_check(&l, "h:1", false, name, sizeof name, clock_now_us() + 1000000, &res, &out), -1);
	assert_string_equal(buf_text(&out), ": the service name exceeds 1024 bytes");
}

/* grpcs: the same exchange, with ":scheme https" (TLS is the link's). */
static void test_scheme_https(void **state)
{
	struct link l = { .fd = sv[0], .tls = NULL };
	static struct hpack_decoder d;
	const uint8_t *p;
	size_t len;

	(void)state;
	srv_answer(1);
	send_all(buf_text(&srv), buf_length(&srv));
	assert_int_equal(grpc_check(&l, "h:1", true, "", 0, clock_now_us() + 2000000, &res, &out), 0);
	sent_len = (size_t)recv(sv[1], sent, sizeof sent, MSG_DONTWAIT);
	assert_non_null(p = find_sent(H2_HEADERS, H2_END_HEADERS, 1, &len));
	hpack_decoder_init(&d);
	buf_init(&fields, fields_mem, sizeof fields_mem);
	reset_err();
	assert_int_equal(hpack_decode(&d, p, len, collect, NULL, &err), 0);
	assert_non_null(strstr(buf_text(&fields), ":method: POST\n:scheme: https\n"));
	assert_non_null(strstr(buf_text(&fields), ":authority: h:1\n"));
}

/* An interim 1xx response comes before the real one. */
static void test_interim(void **state)
{
	char body[2] = { 0x08, 0x01 };

	(void)state;
	srv_settings("", 0);
	srv_headers(0, "103", NULL, NULL, NULL);
	srv_headers(0, "200", "application/grpc", NULL, NULL);
	srv_message(0, body, 2, H2_END_STREAM);
	assert_outcome(run(), -1, " -> the response has no grpc-status");
}

/* A server that trickles PINGs a byte at a time never lets the client
 * finish, but the deadline still ends it. */
static void test_trickle_deadline(void **state)
{
	uint64_t t0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const char settings[] = "\0\0\0\x04\0\0\0\0\0";
		static const char ping[] = "\0\0\x08\x06\0\0\0\0\0pingpong";
		for (size_t i = 0; i < sizeof settings - 1; i++) {
			if (send(sv[1], settings + i, 1, MSG_NOSIGNAL) != 1)
				_exit(0);
			usleep(10000);
		}
		for (;;)
			for (size_t i = 0; i < sizeof ping - 1; i++) {
				if (send(sv[1], ping + i, 1, MSG_NOSIGNAL) != 1)
					_exit(0);
				usleep(2000);
			}
	}
	t0 = clock_now_us();
	assert_outcome(run_for("", 300), -1, ": timed out while waiting for the response");
	assert_true(res.timed_out);
	assert_true(clock_now_us() - t0 < 1000000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#define PAIR(t) cmocka_unit_test_setup_teardown(t, setup_pair, teardown_pair)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pb_request),
		cmocka_unit_test(test_pb_response),
		cmocka_unit_test(test_pb_response_malformed),
		cmocka_unit_test(test_message_prefix),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test_setup(test_frame_header, setup_conn),
		cmocka_unit_test(test_preface),
		cmocka_unit_test_setup(test_first_frame_is_settings, setup_conn),
		cmocka_unit_test_setup(test_settings, setup_conn),
		cmocka_unit_test_setup(test_windows, setup_conn),
		cmocka_unit_test_setup(test_ping_goaway_reset, setup_conn),
		cmocka_unit_test_setup(test_stream_frames, setup_conn),
		cmocka_unit_test_setup(test_continuation, setup_conn),
		cmocka_unit_test_setup(test_data_window, setup_conn),
		PAIR(test_serving),
		PAIR(test_not_serving),
		PAIR(test_service_unknown),
		PAIR(test_unknown_status),
		PAIR(test_trailers_only),
		PAIR(test_grpc_status_after_message),
		PAIR(test_not_grpc),
		PAIR(test_wrong_content_type),
		PAIR(test_missing_grpc_status),
		PAIR(test_no_message),
		PAIR(test_compressed_message),
		PAIR(test_two_messages),
		PAIR(test_malformed_message),
		PAIR(test_goaway),
		PAIR(test_graceful_goaway),
		PAIR(test_rst_stream),
		PAIR(test_window_then_update),
		PAIR(test_window_stays_closed),
		PAIR(test_endless_continuation),
		PAIR(test_oversized_frame),
		PAIR(test_bad_hpack),
		PAIR(test_http1_server),
		PAIR(test_closed),
		PAIR(test_data_before_headers),
		PAIR(test_interim),
		PAIR(test_bad_fields),
		PAIR(test_scheme_https),
		PAIR(test_trickle_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

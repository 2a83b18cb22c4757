/* healthcheck/hpack.c: the examples of RFC 7541 Appendix C decoded field
 * by field with the dynamic table's size after each block, the encoder's
 * integers and literals, and the malformed blocks a hostile server sends. */
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "healthcheck/hpack.h"

static struct hpack_decoder d;
static char err_mem[256], list_mem[4096];
static struct buf err, list;
static uint8_t block[20000];

/* "name: value\n" per field, into list. */
static int collect(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	(void)ctx;
	buf_mem(&list, name, name_len);
	buf_str(&list, ": ");
	buf_mem(&list, value, value_len);
	buf_char(&list, '\n');
	return 0;
}

static size_t unhex(const char *hex)
{
	size_t n = 0;

	for (const char *p = hex; *p; p++) {
		if (*p == ' ')
			continue;
		unsigned v;
		char pair[3] = { p[0], p[1], 0 };
		assert_int_equal(sscanf(pair, "%2x", &v), 1);
		block[n++] = (uint8_t)v;
		p++;
	}
	return n;
}

static int decode_hex(const char *hex)
{
	size_t n = unhex(hex);

	buf_init(&err, err_mem, sizeof err_mem);
	buf_init(&list, list_mem, sizeof list_mem);
	return hpack_decode(&d, block, n, collect, NULL, &err);
}

static void expect(const char *hex, const char *fields, size_t table_size)
{
	if (decode_hex(hex) != 0)
		fail_msg("block %s refused: %s", hex, buf_text(&err));
	assert_string_equal(buf_text(&list), fields);
	assert_uint_equal(d.size, table_size);
}

static void expect_refused(const char *hex, const char *why)
{
	hpack_decoder_init(&d);
	if (decode_hex(hex) != -1)
		fail_msg("block %s accepted, expected '%s'", hex, why);
	if (!strstr(buf_text(&err), why))
		fail_msg("block %s refused with '%s', expected '%s'", hex, buf_text(&err), why);
}

static int setup(void **state)
{
	(void)state;
	hpack_decoder_init(&d);
	return 0;
}

/* C.2: one field each, on a new decoder. */
static void test_c2_fields(void **state)
{
	(void)state;
	expect("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", "custom-key: custom-header\n", 55);
	hpack_decoder_init(&d);
	expect("040c 2f73 616d 706c 652f 7061 7468", ":path: /sample/path\n", 0);
	expect("1008 7061 7373 776f 7264 0673 6563 7265 74", "password: secret\n", 0);
	expect("82", ":method: GET\n", 0);
}

#define REQ1 ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
#define REQ3 ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\ncustom-key: custom-value\n"

static void test_c3_requests(void **state)
{
	(void)state;
	expect("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", REQ1, 57);
	expect("8286 84be 5808 6e6f 2d63 6163 6865", REQ1 "cache-control: no-cache\n", 110);
	expect("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", REQ3, 164);
}

static void test_c4_requests_huffman(void **state)
{
	(void)state;
	expect("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", REQ1, 57);
	expect("8286 84be 5886 a8eb 1064 9cbf", REQ1 "cache-control: no-cache\n", 110);
	expect("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", REQ3, 164);
}

#define RESP1 \
	":status: 302\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com\n"
#define RESP2 \
	":status: 307\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com\n"
#define RESP3                                                                         \
	":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\n" \
	"location: https://www.example.com\ncontent-encoding: gzip\n"                 \
	"set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n"

/* C.5 and C.6 assume a 256-byte table: the first block starts with the
 * size update (3fe101) an encoder sends for that. */
static void test_c5_responses(void **state)
{
	(void)state;
	expect("3fe101 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 "
	       "3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
	       RESP1, 222);
	expect("4803 3330 37c1 c0bf", RESP2, 222);
	assert_uint_equal(d.count, 4);
	expect("88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 "
	       "7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 "
	       "6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
	       RESP3, 215);
	assert_uint_equal(d.count, 3);
}

static void test_c6_responses_huffman(void **state)
{
	(void)state;
	expect("3fe101 4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d "
	       "29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
	       RESP1, 222);
	expect("4883 640e ffc1 c0bf", RESP2, 222);
	expect("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 "
	       "e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
	       RESP3, 215);
	/* The newest entry is index 62; the table holds three. */
	expect("be", "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n", 215);
	expect("c0", "date: Mon, 21 Oct 2013 20:13:22 GMT\n", 215);
	expect_refused("c1", "index 65 is not in the table");
}

/* C.1: integers with 5- and 8-bit prefixes. */
static void test_encode_integers(void **state)
{
	char mem[16];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	hpack_put_int(&b, 0, 5, 10);
	hpack_put_int(&b, 0xe0, 5, 1337);
	hpack_put_int(&b, 0, 8, 42);
	hpack_put_int(&b, 0, 5, 31);
	assert_uint_equal(buf_length(&b), 7);
	assert_memory_equal(mem, "\x0a\xff\x9a\x0a\x2a\x1f\x00", 7);
}

static void test_encode_round_trip(void **state)
{
	char mem[256];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	hpack_put_indexed(&b, 3);
	hpack_put_literal(&b, 4, NULL, "/grpc.health.v1.Health/Check", 28);
	hpack_put_literal(&b, 31, NULL, "application/grpc", 16);
	hpack_put_literal(&b, 0, "te", "trailers", 8);
	assert_false(buf_truncated(&b));
	/* content-type's index 31 takes the 4-bit prefix and one more byte. */
	assert_memory_equal(mem + 1 + 2 + 28, "\x0f\x10\x10", 3);
	memcpy(block, mem, buf_length(&b));
	buf_init(&err, err_mem, sizeof err_mem);
	buf_init(&list, list_mem, sizeof list_mem);
	assert_int_equal(hpack_decode(&d, block, buf_length(&b), collect, NULL, &err), 0);
	assert_string_equal(buf_text(&list), ":method: POST\n:path: /grpc.health.v1.Health/Check\n"
					     "content-type: application/grpc\nte: trailers\n");
	assert_uint_equal(d.size, 0); /* nothing was indexed */
}

static void test_malformed_blocks(void **state)
{
	(void)state;
	expect_refused("80", "index 0");
	expect_refused("be", "index 62 is not in the table");
	expect_refused("ff", "truncated integer");
	expect_refused("ff ff ff ff ff 0f", "integer overflows");
	expect_refused("ff 80 80 80 80 80 80 01", "integer overflows");
	expect_refused("0f ff ff ff ff 7f", "integer overflows");
	expect_refused("00 05 61 62", "string is longer than the header block");
	expect_refused("00 01 61 7f ff ff ff 0f", "string is longer than the header block");
	expect_refused("40", "truncated header block");
	expect_refused("00 01 61", "truncated header block");
	/* Table size updates: up to our 4096, only at the start. */
	hpack_decoder_init(&d);
	expect("3f e1 1f 82", ":method: GET\n", 0);
	expect_refused("3f e2 1f", "table size update to 4097 exceeds our 4096");
	expect_refused("82 20", "table size update after a header field");
	/* Huffman: EOS, padding longer than 7 bits, padding not all ones. */
	expect_refused("00 01 61 84 ff ff ff ff", "Huffman string contains EOS");
	expect_refused("00 01 61 82 1f ff", "invalid Huffman padding");
	expect_refused("00 01 61 81 18", "invalid Huffman padding");
	/* 'a' (00011) and 3 bits of padding is fine. */
	hpack_decoder_init(&d);
	expect("00 01 61 81 1f", "a: a\n", 0);
}

static int refuse_all(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	(void)ctx, (void)name, (void)name_len, (void)value, (void)value_len;
	return buf_error(&err, "stopped by the callback");
}

static void test_callback_stops(void **state)
{
	(void)state;
	block[0] = 0x82;
	buf_init(&err, err_mem, sizeof err_mem);
	assert_int_equal(hpack_decode(&d, block, 1, refuse_all, NULL, &err), -1);
	assert_string_equal(buf_text(&err), "stopped by the callback");
}

/* Fields of 1 + 1000 + 32 bytes: 15 fit the 16384-byte list bound, 16 do not. */
static void test_list_bound(void **state)
{
	static char value[1000];
	char *mem = (char *)block;
	struct buf b;

	(void)state;
	memset(value, 'v', sizeof value);
	buf_init(&b, mem, sizeof block);
	for (int i = 0; i < 15; i++)
		hpack_put_literal(&b, 0, "x", value, sizeof value);
	buf_init(&err, err_mem, sizeof err_mem);
	buf_init(&list, list_mem, sizeof list_mem);
	assert_int_equal(hpack_decode(&d, block, buf_length(&b), collect, NULL, &err), 0);
	hpack_put_literal(&b, 0, "x", value, sizeof value);
	assert_int_equal(hpack_decode(&d, block, buf_length(&b), collect, NULL, &err), -1);
	assert_string_equal(buf_text(&err), "HPACK: header list exceeds 16384 bytes");
	/* One string longer than the list may be: refused before it is copied. */
	buf_init(&b, mem, sizeof block);
	hpack_put_int(&b, 0, 4, 0);
	hpack_put_int(&b, 0, 7, 16380);
	buf_init(&err, err_mem, sizeof err_mem);
	memset(block + buf_length(&b), 'n', 16380);
	assert_int_equal(hpack_decode(&d, block, buf_length(&b) + 16380, collect, NULL, &err), -1);
	assert_string_equal(buf_text(&err), "HPACK: header list exceeds 16384 bytes");
}

/* Many insertions: old entries leave, the storage compacts, and each
 * index still finds its own entry. An entry larger than the table
 * empties it. */
static void test_table_churn(void **state)
{
	char value[200], mem[512], want[256];
	struct buf b;

	(void)state;
	for (int i = 0; i < 300; i++) {
		memset(value, 'a' + i % 26, sizeof value);
		buf_init(&b, mem, sizeof mem);
		hpack_put_int(&b, 0x40, 6, 0);
		hpack_put_int(&b, 0, 7, 1);
		buf_char(&b, 'k');
		hpack_put_int(&b, 0, 7, (uint32_t)(100 + i % 100));
		buf_mem(&b, value, (size_t)(100 + i % 100));
		memcpy(block, mem, buf_length(&b));
		buf_init(&err, err_mem, sizeof err_mem);
		buf_init(&list, list_mem, sizeof list_mem);
		assert_int_equal(hpack_decode(&d, block, buf_length(&b), collect, NULL, &err), 0);
		assert_true(d.size <= HPACK_TABLE_MAX);
	}
	/* Entry 299 (199 'n's) is index 62, 298 (198 'm's) is 63. */
	memset(want, 0, sizeof want);
	memcpy(want, "k: ", 3);
	memset(want + 3, 'n', 199);
	want[202] = '\n';
	expect("be", want, d.size);
	memset(want + 3, 'm', 198);
	want[201] = '\n';
	want[202] = 0;
	expect("bf", want, d.size);

	static char big[4100];
	buf_init(&b, (char *)block, sizeof block);
	hpack_put_int(&b, 0x40, 6, 0);
	hpack_put_int(&b, 0, 7, 1);
	buf_char(&b, 'k');
	hpack_put_int(&b, 0, 7, sizeof big);
	memset(big, 'z', sizeof big);
	buf_mem(&b, big, sizeof big);
	buf_init(&err, err_mem, sizeof err_mem);
	buf_init(&list, list_mem, sizeof list_mem);
	assert_int_equal(hpack_decode(&d, block, buf_length(&b), collect, NULL, &err), 0);
	assert_uint_equal(d.size, 0);
	assert_uint_equal(d.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_c2_fields, setup),
		cmocka_unit_test_setup(test_c3_requests, setup),
		cmocka_unit_test_setup(test_c4_requests_huffman, setup),
		cmocka_unit_test_setup(test_c5_responses, setup),
		cmocka_unit_test_setup(test_c6_responses_huffman, setup),
		cmocka_unit_test(test_encode_integers),
		cmocka_unit_test_setup(test_encode_round_trip, setup),
		cmocka_unit_test(test_malformed_blocks),
		cmocka_unit_test_setup(test_callback_stops, setup),
		cmocka_unit_test_setup(test_list_bound, setup),
		cmocka_unit_test_setup(test_table_churn, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

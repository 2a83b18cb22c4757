/* Unit tests for init/libc_small.c, the integer-only snprintf/sscanf that
 * keep musl's float-capable cores out of lucid-init. They are compiled here
 * under other names, so cmocka keeps the real ones. */
#define vsnprintf small_vsnprintf
#define snprintf small_snprintf
#define sscanf small_sscanf
#include "init/libc_small.c"
#undef vsnprintf
#undef snprintf
#undef sscanf

#include <cmocka.h>

static void formats_what_libcap_ng_asks_for(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(small_snprintf(buf, sizeof buf, "/proc/%d/status", 4242), 17);
	assert_string_equal(buf, "/proc/4242/status");
	assert_int_equal(small_snprintf(buf, sizeof buf, "cap_%u", 41u), 6);
	assert_string_equal(buf, "cap_41");
	small_snprintf(buf, sizeof buf, "%08X, %08x|%5s|%d|%ld|%llu|%zu|%c%%", 0x1ffu, 0xabcdefu, "ab", -7, -9L,
		       18446744073709551615ull, (size_t)3, 'z');
	assert_string_equal(buf, "000001FF, 00abcdef|   ab|-7|-9|18446744073709551615|3|z%");
}

static void truncates_like_c99(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(small_snprintf(buf, sizeof buf, "/proc/%d/status", 1), 14);
	assert_string_equal(buf, "/proc/1");
	assert_int_equal(small_snprintf(NULL, 0, "%d", 12345), 5);
}

static void refuses_floats_and_pointers(void **state)
{
	char buf[16];

	(void)state;
	errno = 0;
	assert_int_equal(small_snprintf(buf, sizeof buf, "%f", 1.5), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(small_snprintf(buf, sizeof buf, "%p", (void *)buf), -1);
}

static void scans_capability_lines(void **state)
{
	unsigned hi = 0, lo = 0;

	(void)state;
	assert_int_equal(small_sscanf("CapBnd:\t000001ffffffffff\n", "CapBnd:  %08x%08x", &hi, &lo), 2);
	assert_int_equal(hi, 0x1ff);
	assert_int_equal(lo, 0xffffffffu);
	assert_int_equal(small_sscanf("CapAmb:\t0000000000000400\n", "CapAmb:  %08x%08x", &hi, &lo), 2);
	assert_int_equal(hi, 0);
	assert_int_equal(lo, 0x400);
	assert_int_equal(small_sscanf("CapEff:\t0000000000000000\n", "CapAmb:  %08x%08x", &hi, &lo), 0);
	assert_int_equal(small_sscanf("CapAmb:\tzz", "CapAmb:  %08x%08x", &hi, &lo), 0);
}

static void scans_decimals(void **state)
{
	int a = 0;
	unsigned b = 0;
	unsigned long c = 0;

	(void)state;
	assert_int_equal(small_sscanf("-12 34 56", "%d %u %lu", &a, &b, &c), 3);
	assert_int_equal(a, -12);
	assert_int_equal(b, 34);
	assert_int_equal(c, 56);
	errno = 0;
	assert_int_equal(small_sscanf("1.5", "%f", &a), -1);
	assert_int_equal(errno, EINVAL);
}

/* %h stores a short: the bytes beside it stay untouched. */
static void scans_shorts_into_shorts(void **state)
{
	unsigned short pair[2] = { 0, 0xbeef };
	unsigned long long big = 0;

	(void)state;
	assert_int_equal(small_sscanf("65535 123456789012", "%hu %llu", &pair[0], &big), 2);
	assert_int_equal(pair[0], 65535);
	assert_int_equal(pair[1], 0xbeef);
	assert_true(big == 123456789012ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_what_libcap_ng_asks_for),
		cmocka_unit_test(truncates_like_c99),
		cmocka_unit_test(refuses_floats_and_pointers),
		cmocka_unit_test(scans_capability_lines),
		cmocka_unit_test(scans_decimals),
		cmocka_unit_test(scans_shorts_into_shorts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

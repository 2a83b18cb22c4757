/* healthcheck/status.c: which status codes count as healthy. */
#include <cmocka.h>
#include <string.h>

#include "healthcheck/status.h"

static struct status_set set;
static char err_mem[128];
static struct buf err;

static int parse(const char *text)
{
	buf_init(&err, err_mem, sizeof err_mem);
	return status_parse(text, &set, &err);
}

static void assert_rejected(const char *text, const char *why)
{
	if (parse(text) != -1)
		fail_msg("--status '%s' was accepted; expected '%s'", text, why);
	if (strcmp(buf_text(&err), why) != 0)
		fail_msg("--status '%s' was refused with '%s', expected '%s'", text, buf_text(&err), why);
}

static const char *formatted(void)
{
	static char mem[256];
	struct buf b;

	buf_init(&b, mem, sizeof mem);
	status_format(&b, &set);
	return mem;
}

static void test_default_is_kubernetes_rule(void **state)
{
	(void)state;
	status_default(&set);
	assert_false(status_match(&set, 199));
	assert_true(status_match(&set, 200));
	assert_true(status_match(&set, 204));
	assert_true(status_match(&set, 301));
	assert_true(status_match(&set, 399));
	assert_false(status_match(&set, 400));
	assert_false(status_match(&set, 404));
	assert_false(status_match(&set, 500));
	assert_false(status_match(&set, 503));
	assert_string_equal(formatted(), "200-399");
}

static void test_single_code(void **state)
{
	(void)state;
	assert_int_equal(parse("200"), 0);
	assert_true(status_match(&set, 200));
	assert_false(status_match(&set, 201));
	assert_false(status_match(&set, 199));
	assert_false(status_match(&set, 301));
	assert_string_equal(formatted(), "200");
}

static void test_range(void **state)
{
	(void)state;
	assert_int_equal(parse("200-299"), 0);
	assert_true(status_match(&set, 200));
	assert_true(status_match(&set, 299));
	assert_false(status_match(&set, 300));
	assert_false(status_match(&set, 199));
	assert_int_equal(parse("503-503"), 0);
	assert_true(status_match(&set, 503));
	assert_false(status_match(&set, 502));
}

static void test_list(void **state)
{
	(void)state;
	assert_int_equal(parse("200,204,301-308"), 0);
	assert_uint_equal(set.n, 3);
	assert_true(status_match(&set, 204));
	assert_true(status_match(&set, 308));
	assert_false(status_match(&set, 203));
	assert_false(status_match(&set, 300));
	assert_false(status_match(&set, 309));
	assert_string_equal(formatted(), "200,204,301-308");
	assert_int_equal(parse(" 200 , 418 "), 0);
	assert_true(status_match(&set, 418));
	assert_int_equal(parse("100-599"), 0);
	assert_true(status_match(&set, 100));
	assert_true(status_match(&set, 599));
}

static void test_errors(void **state)
{
	(void)state;
	assert_rejected("600", "600 is outside 100-599");
	assert_rejected("99", "99 is outside 100-599");
	assert_rejected("2000", "2000 is outside 100-599");
	assert_rejected("0", "0 is outside 100-599");
	assert_rejected("200-600", "600 is outside 100-599");
	assert_rejected("abc", "'abc' is not a status code");
	assert_rejected("2xx", "'2xx' is not a status code");
	assert_rejected("+200", "'+200' is not a status code");
	assert_rejected("20 0", "'20 0' is not a status code");
	assert_rejected("300-200", "range 300-200 is backwards");
	assert_rejected("", "empty entry in the status list");
	assert_rejected(",", "empty entry in the status list");
	assert_rejected("200,", "empty entry in the status list");
	assert_rejected("200,,204", "empty entry in the status list");
	assert_rejected("200-", "missing status code in a range");
	assert_rejected("-200", "missing status code in a range");
	assert_rejected("200-300-400", "'300-400' is not a status code");
	assert_rejected("99999999999999999999", "'9999999999999999...' is not a status code");
}

static void test_entry_limit(void **state)
{
	char list[32 * 4 + 8];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 32; i++) {
		memcpy(list + n, "200,", 4);
		n += 4;
	}
	list[n - 1] = '\0';
	assert_int_equal(parse(list), 0);
	assert_uint_equal(set.n, 32);
	list[n - 1] = ',';
	memcpy(list + n, "201", 4);
	assert_rejected(list, "more than 32 entries in the status list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_is_kubernetes_rule),
		cmocka_unit_test(test_single_code),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_entry_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* healthcheck/match.c: --body-contains finds its text however the body
 * is cut into reads. */
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "healthcheck/match.h"

static struct matcher m;

/* Feed body in pieces of `step` bytes; true when the needle was found. */
static bool feed_in_steps(const char *needle, const char *body, size_t step)
{
	size_t n = strlen(body);

	assert_int_equal(matcher_init(&m, needle, strlen(needle)), 0);
	for (size_t i = 0; i < n; i += step)
		matcher_feed(&m, body + i, n - i < step ? n - i : step);
	return m.found;
}

static void test_found_in_one_piece(void **state)
{
	(void)state;
	assert_true(feed_in_steps("ready", "status: ready\n", 100));
	assert_true(feed_in_steps("ready", "ready", 100));
	assert_false(feed_in_steps("ready", "status: degraded\n", 100));
	assert_false(feed_in_steps("ready", "read", 100));
	assert_false(feed_in_steps("Ready", "ready", 100)); /* byte-exact, case matters */
}

static void test_found_across_reads(void **state)
{
	(void)state;
	for (size_t step = 1; step <= 8; step++) {
		if (!feed_in_steps("all systems ready", "{\"status\": \"all systems ready\"}", step))
			fail_msg("text split into %zu-byte reads was not found", step);
		if (feed_in_steps("all systems ready", "{\"status\": \"all systems read\"}", step))
			fail_msg("text found in %zu-byte reads although the body lacks it", step);
	}
}

static void test_partial_matches_restart_correctly(void **state)
{
	(void)state;
	/* The cases a naive "reset to zero on mismatch" matcher gets wrong. */
	assert_true(feed_in_steps("aab", "aaab", 1));
	assert_true(feed_in_steps("abab", "ababab", 1));
	assert_true(feed_in_steps("abac", "ababac", 1));
	assert_true(feed_in_steps("aaaa", "aaabaaaa", 3));
	assert_false(feed_in_steps("aaaa", "aaabaaab", 1));
	assert_true(feed_in_steps("\r\nHost: x\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 2));
}

static void test_found_is_sticky(void **state)
{
	(void)state;
	assert_int_equal(matcher_init(&m, "ok", 2), 0);
	assert_true(matcher_feed(&m, "ok", 2));
	assert_true(matcher_feed(&m, "zzz", 3));
}

static void test_binary_bytes(void **state)
{
	static const char body[] = { 'x', '\0', 'y', '\0', 'z' };

	(void)state;
	assert_int_equal(matcher_init(&m, "\0z", 2), 0);
	assert_true(matcher_feed(&m, body, sizeof body));
}

static void test_limits(void **state)
{
	static char big[MATCH_MAX + 1];

	(void)state;
	memset(big, 'a', sizeof big);
	assert_int_equal(matcher_init(&m, "", 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(matcher_init(&m, big, MATCH_MAX + 1), -1);
	assert_int_equal(errno, E2BIG);
	assert_int_equal(matcher_init(&m, big, MATCH_MAX), 0);
	assert_false(matcher_feed(&m, big, MATCH_MAX - 1));
	assert_true(matcher_feed(&m, "a", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_in_one_piece),
		cmocka_unit_test(test_found_across_reads),
		cmocka_unit_test(test_partial_matches_restart_correctly),
		cmocka_unit_test(test_found_is_sticky),
		cmocka_unit_test(test_binary_bytes),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

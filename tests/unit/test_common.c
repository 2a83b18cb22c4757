/* Unit tests for common/: the stdio-free formatter, strict number parsing,
 * and the seccomp BPF simulator's path trace. */
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/bpfsim.h"
#include "common/fmt.h"
#include "common/parse.h"

static void fmt_integers_and_strings(void **state)
{
	char mem[64];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "%s=%d,%u,%ld,%llu,%zu,%x,%c,%%", "k", -42, 7u, -1L, 18446744073709551615ull, (size_t)3, 255u, 'z');
	assert_string_equal(mem, "k=-42,7,-1,18446744073709551615,3,ff,z,%");
	assert_false(buf_truncated(&b));
}

/* buf_fmt without the format attribute, as a caller with a computed format. */
static void buf_vfmt_test(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vfmt(b, fmt, ap);
	va_end(ap);
}

/* fmt_dies_on FMT: buf_fmt(FMT, 1, "x") in a child; whether it aborted. */
static bool fmt_dies_on(const char *fmt)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char mem[64];
		struct buf b;
		buf_init(&b, mem, sizeof mem);
		/* Not a literal: the compiler cannot check it, as with a bug. */
		buf_vfmt_test(&b, fmt, 1, "x");
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* A conversion the subset does not know stops the program instead of
 * misreading the arguments after it. */
static void fmt_aborts_on_unsupported_conversions(void **state)
{
	static const char *const bad[] = { "%5d %s", "%-d %s",	"%p %s",    "%f %s", "%zd %s",
					   "%ls %s", "%llp %s", "%lllu %s", "%",     "%hd %s" };

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (!fmt_dies_on(bad[i]))
			fail_msg("buf_fmt(\"%s\") did not abort", bad[i]);
	}
	assert_false(fmt_dies_on("%d %s"));
	assert_false(fmt_dies_on("%u%% %s"));
}

static void fmt_truncates_and_says_so(void **state)
{
	char mem[6];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	buf_str(&b, "abcdefgh");
	assert_string_equal(mem, "abcde");
	assert_true(buf_truncated(&b));
}

static void fmt_fixed_point_rounds(void **state)
{
	char mem[32];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof mem);
	buf_fixed(&b, 1234, 1000, 1);
	buf_char(&b, ' ');
	buf_fixed(&b, 960, 1000, 1);
	buf_char(&b, ' ');
	buf_fixed(&b, 5000, 1000, 0);
	buf_char(&b, ' ');
	buf_fixed(&b, 50, 1000, 3);
	assert_string_equal(mem, "1.2 1.0 5 0.050");
}

static void parse_u64_is_strict(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_u64("65532", UINT32_MAX, &v), 0);
	assert_uint_equal(v, 65532);
	assert_int_equal(parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	assert_uint_equal(v, UINT64_MAX);

	static const char *const bad[] = { "", "-1", "+1", " 1", "1 ", "12a", "0x10", "1.0" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		errno = 0;
		assert_int_equal(parse_u64(bad[i], UINT64_MAX, &v), -1);
		assert_int_equal(errno, EINVAL);
	}
	errno = 0;
	assert_int_equal(parse_u64("18446744073709551616", UINT64_MAX, &v), -1);
	assert_int_equal(errno, ERANGE);
	errno = 0;
	assert_int_equal(parse_u64("256", 255, &v), -1);
	assert_int_equal(errno, ERANGE);
	/* One digit above a one-digit maximum: max - digit must not wrap. */
	errno = 0;
	assert_int_equal(parse_u64("6", 5, &v), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(parse_u64("5", 5, &v), 0);
	assert_int_equal(parse_u64("0", 0, &v), 0);
	assert_int_equal(parse_u64("1", 0, &v), -1);
}

/* Spans inside a larger text: only the n bytes count, nothing past them. */
static void parse_u64_n_reads_only_its_span(void **state)
{
	uint64_t v = 0;
	const char *text = "Content-Length: 1234\r\n";

	(void)state;
	assert_int_equal(parse_u64_n(text + 16, 4, UINT64_MAX, &v), 0);
	assert_uint_equal(v, 1234);
	assert_int_equal(parse_u64_n(text + 16, 2, UINT64_MAX, &v), 0);
	assert_uint_equal(v, 12);
	assert_int_equal(parse_u64_n(text + 16, 5, UINT64_MAX, &v), -1); /* takes in the '\r' */
	assert_int_equal(parse_u64_n(text + 16, 0, UINT64_MAX, &v), -1);
	errno = 0;
	assert_int_equal(parse_u64_n("65536", 5, 65535, &v), -1);
	assert_int_equal(errno, ERANGE);
}

static void parse_duration_accepts_decimals_and_units(void **state)
{
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(parse_duration_ms("5", 3600000, &ms), 0);
	assert_uint_equal(ms, 5000);
	assert_int_equal(parse_duration_ms("2.5", 3600000, &ms), 0);
	assert_uint_equal(ms, 2500);
	assert_int_equal(parse_duration_ms("0.25s", 3600000, &ms), 0);
	assert_uint_equal(ms, 250);
	assert_int_equal(parse_duration_ms("250ms", 3600000, &ms), 0);
	assert_uint_equal(ms, 250);
	assert_int_equal(parse_duration_ms("0", 3600000, &ms), 0);
	assert_uint_equal(ms, 0);

	static const char *const bad[] = { "", ".5", "5.", "1.2345", "-1", "1m", "s", "ms", "1.5ms", "abc" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse_duration_ms(bad[i], 3600000, &ms), -1);
	errno = 0;
	assert_int_equal(parse_duration_ms("3601", 3600000, &ms), -1);
	assert_int_equal(errno, ERANGE);
}

/* bench/filters.py reports a filter's cost per syscall as the instructions
 * bpf_sim_run_traced counts: every one executed, the return included, a
 * jump's skipped ones not; and whether the kernel's action cache could skip
 * the filter (ALLOW from nr and arch alone). */
static void bpfsim_traces_the_path(void **state)
{
	static const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), /* nr */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16), /* args[0], low half */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 2),
		BPF_STMT(BPF_JMP | BPF_JA, 2),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	const size_t n = sizeof prog / sizeof *prog;
	const uint64_t seven[6] = { 7 }, eight[6] = { 8 };
	struct bpf_sim_trace t = { 99, true };

	(void)state;
	assert_uint_equal(bpf_sim_syscall_traced(prog, n, 0, 5, NULL, &t), SECCOMP_RET_ALLOW);
	assert_uint_equal(t.insns, 3);
	assert_false(t.loaded_args);
	assert_uint_equal(bpf_sim_syscall_traced(prog, n, 0, 6, seven, &t), SECCOMP_RET_ALLOW);
	assert_uint_equal(t.insns, 6); /* ld, jeq, ld, jeq, ja, ret */
	assert_true(t.loaded_args);
	assert_uint_equal(bpf_sim_syscall_traced(prog, n, 0, 6, eight, &t), SECCOMP_RET_ERRNO | 1);
	assert_uint_equal(t.insns, 5);
	assert_true(t.loaded_args);
	/* The untraced calls answer the same. */
	assert_uint_equal(bpf_sim_syscall(prog, n, 0, 6, eight), SECCOMP_RET_ERRNO | 1);
	/* A jump out of the program is invalid, and the trace says how far it got. */
	assert_uint_equal(bpf_sim_syscall_traced(prog, 2, 0, 6, NULL, &t), BPF_SIM_INVALID);
	assert_uint_equal(t.insns, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fmt_integers_and_strings),
		cmocka_unit_test(fmt_truncates_and_says_so),
		cmocka_unit_test(fmt_aborts_on_unsupported_conversions),
		cmocka_unit_test(fmt_fixed_point_rounds),
		cmocka_unit_test(parse_u64_is_strict),
		cmocka_unit_test(parse_u64_n_reads_only_its_span),
		cmocka_unit_test(parse_duration_accepts_decimals_and_units),
		cmocka_unit_test(bpfsim_traces_the_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

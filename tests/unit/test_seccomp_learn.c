/* Unit tests for lucid-seccomp learn's record and writer (seccomp/learn.c):
 * what a recorded call becomes in the profile, the phases, argument values,
 * the other arch, and --merge reading a written profile back. */
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "seccomp/learn.h"
#include "seccomp/profile.h"

enum { X86 = 0, ARM = 1 };

static struct learned l, back;
static char *text;
static struct learn_counts counts;

static int setup(void **state)
{
	(void)state;
	memset(&l, 0, sizeof l);
	memset(&back, 0, sizeof back);
	text = NULL;
	assert_int_equal(learn_init(&l), 0);
	assert_int_equal(learn_init(&back), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	learn_free(&l);
	learn_free(&back);
	free(text);
	return 0;
}

static int nr(size_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch_targets[arch].token, name);
}

static void call(size_t arch, const char *name, unsigned phase)
{
	static const uint64_t none[6];

	assert_int_equal(learn_record(&l, arch, nr(arch, name), none, phase), 0);
}

static void call_with(size_t arch, const char *name, unsigned index, uint64_t value, unsigned phase)
{
	uint64_t args[6] = { 0 };

	args[index] = value;
	assert_int_equal(learn_record(&l, arch, nr(arch, name), args, phase), 0);
}

static const char *write_l(void)
{
	free(text);
	text = learn_write(&l, &counts);
	assert_non_null(text);
	return text;
}

/* The profile TEXT loaded for ARCH as the service's (RUNTIME false) or the
 * runtime's filter: whether syscall NAME is allowed by some rule. */
static bool allows(const char *json, const char *arch, bool runtime, const char *name)
{
	struct build_context ctx = { .runtime = runtime };
	struct profile p = { 0 };
	bool found = false;

	assert_int_equal(profile_load(&p, "learned.json", json, strlen(json), arch_by_name(arch), &ctx), 0);
	for (size_t i = 0; i < p.nrules && !found; i++)
		for (size_t k = 0; k < p.rules[i].nsyscalls; k++)
			found |= strcmp(p.rules[i].names[k], name) == 0 && p.rules[i].action == SCMP_ACT_ALLOW;
	profile_free(&p);
	return found;
}

static void a_call_is_allowed_and_nothing_else(void **state)
{
	(void)state;
	call(X86, "read", LEARN_SERVICE);
	call(X86, "write", LEARN_SERVICE);
	write_l();
	assert_true(allows(text, "x86_64", false, "read"));
	assert_true(allows(text, "x86_64", false, "write"));
	assert_false(allows(text, "x86_64", false, "mount"));
	assert_false(allows(text, "x86_64", false, "openat"));
	/* exit, exit_group, restart_syscall and rt_sigreturn always; clone3 gets ENOSYS */
	assert_true(allows(text, "x86_64", false, "rt_sigreturn"));
	assert_non_null(strstr(text, "\"errnoRet\": 38"));
	assert_int_equal(counts.service, 6);
	assert_true(counts.all > counts.service);
	assert_non_null(strstr(text, "\"lucidLearnedArches\": [\"x86_64\"]"));
}

static void the_other_arch_gets_names_and_counterparts(void **state)
{
	(void)state;
	call(X86, "read", LEARN_SERVICE);
	call(X86, "open", LEARN_SERVICE);	/* x86_64 only; openat on aarch64 */
	call(X86, "arch_prctl", LEARN_SERVICE); /* x86_64 only, no counterpart */
	write_l();
	assert_true(allows(text, "aarch64", false, "read"));
	assert_true(allows(text, "aarch64", false, "openat"));
	assert_false(allows(text, "x86_64", false, "openat")); /* not learned there */
	assert_true(allows(text, "x86_64", false, "open"));
	assert_true(allows(text, "x86_64", false, "arch_prctl"));
	assert_non_null(strstr(text, "\"lucidDerived\": true"));
}

static void when_both_arches_ran_each_keeps_its_own(void **state)
{
	(void)state;
	call(X86, "read", LEARN_SERVICE);
	call(X86, "open", LEARN_SERVICE);
	call(ARM, "read", LEARN_SERVICE);
	call(ARM, "write", LEARN_SERVICE);
	write_l();
	assert_true(allows(text, "aarch64", false, "write"));
	assert_false(allows(text, "x86_64", false, "write"));
	assert_false(allows(text, "aarch64", false, "openat")); /* no counterpart: aarch64 was learned */
	assert_non_null(strstr(text, "[\"x86_64\", \"aarch64\"]"));
}

static void argument_values_are_kept(void **state)
{
	(void)state;
	call_with(X86, "socket", 0, 2 /* AF_INET */, LEARN_SERVICE);
	call_with(X86, "socket", 0, 10 /* AF_INET6 */, LEARN_SERVICE);
	call_with(X86, "socket", 0, 2, LEARN_SERVICE);
	call_with(X86, "ioctl", 1, 0x5401, LEARN_SERVICE);
	write_l();
	assert_non_null(strstr(text, "{ \"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\" },\n"
				     "        { \"index\": 0, \"value\": 10, \"op\": \"SCMP_CMP_EQ\" }\n"));
	assert_non_null(strstr(text, "{ \"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\" }"));
	assert_null(strstr(text, "\"value\": 16")); /* AF_NETLINK never seen */
}

static void too_many_values_mean_any_value(void **state)
{
	(void)state;
	for (uint64_t v = 0; v <= LEARN_MAX_VALUES; v++)
		call_with(X86, "ioctl", 1, 0x5400 + v, LEARN_SERVICE);
	write_l();
	assert_null(strstr(text, "\"index\": 1"));
	assert_true(allows(text, "x86_64", false, "ioctl"));
}

static void many_values_are_split_into_rules_of_16(void **state)
{
	size_t before;

	(void)state;
	call(X86, "read", LEARN_SERVICE);
	write_l();
	before = counts.rules;
	for (uint64_t v = 0; v < 40; v++)
		call_with(X86, "prctl", 0, v, LEARN_SERVICE);
	write_l();
	assert_int_equal(counts.rules, before + 3); /* 40 values in 16 + 16 + 8 */
	assert_true(allows(text, "x86_64", false, "prctl"));
}

static void init_only_calls_are_for_the_runtime(void **state)
{
	(void)state;
	call(X86, "setresuid", LEARN_INIT);
	call(X86, "read", LEARN_INIT);
	call(X86, "read", LEARN_SERVICE);
	call_with(X86, "prctl", 0, 38 /* PR_SET_NO_NEW_PRIVS */, LEARN_INIT);
	call_with(X86, "prctl", 0, 15 /* PR_SET_NAME */, LEARN_SERVICE);
	write_l();
	assert_true(allows(text, "x86_64", true, "setresuid"));
	assert_false(allows(text, "x86_64", false, "setresuid"));
	assert_true(allows(text, "x86_64", false, "read"));
	assert_non_null(strstr(text, "\"lucidInitOnly\": true"));
}

static void a_run_without_a_stacked_filter_is_all_the_service(void **state)
{
	(void)state;
	call(X86, "setresuid", LEARN_INIT);
	learn_add(&back, &l, true);
	free(text);
	text = learn_write(&back, &counts);
	assert_true(allows(text, "x86_64", false, "setresuid"));
}

static void merge_reads_back_what_was_written(void **state)
{
	char *again;
	struct learn_counts c2;
	struct report r = { 0 };

	(void)state;
	call(X86, "read", LEARN_SERVICE);
	call(X86, "open", LEARN_SERVICE);
	call(X86, "setgroups", LEARN_INIT);
	call(X86, "fork", LEARN_SERVICE);
	call_with(X86, "socket", 0, 1, LEARN_SERVICE);
	call_with(X86, "prctl", 0, 38, LEARN_INIT);
	write_l();
	assert_int_equal(learn_merge(&back, "p.json", text, strlen(text), &r), 0);
	again = learn_write(&back, &c2);
	assert_non_null(again);
	assert_string_equal(again, text); /* idempotent */
	free(again);
}

static void merge_is_a_union(void **state)
{
	struct report r = { 0 };
	char *u;
	struct learn_counts c2;

	(void)state;
	call(X86, "read", LEARN_SERVICE);
	call_with(X86, "socket", 0, 1, LEARN_SERVICE);
	write_l();
	assert_int_equal(learn_merge(&back, "p.json", text, strlen(text), &r), 0);
	learn_free(&l);
	memset(&l, 0, sizeof l);
	assert_int_equal(learn_init(&l), 0);
	call(X86, "write", LEARN_SERVICE);
	call_with(X86, "socket", 0, 2, LEARN_SERVICE);
	write_l();
	assert_int_equal(learn_merge(&back, "q.json", text, strlen(text), &r), 0);
	u = learn_write(&back, &c2);
	assert_true(allows(u, "x86_64", false, "read"));
	assert_true(allows(u, "x86_64", false, "write"));
	assert_non_null(strstr(u, "\"value\": 1,"));
	assert_non_null(strstr(u, "\"value\": 2,"));
	free(u);
}

static void merge_refuses_what_learn_did_not_write(void **state)
{
	struct report r = { 0 };
	static const char other[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}";
	static const char killing[] =
		"{\"lucidLearnedArches\": [\"x86_64\"], \"syscalls\": [{\"names\": [\"read\"], \"action\": "
		"\"SCMP_ACT_KILL\"}]}";
	static const char masked[] =
		"{\"lucidLearnedArches\": [\"x86_64\"], \"syscalls\": [{\"names\": [\"clone\"], \"action\": "
		"\"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": 0, \"op\": "
		"\"SCMP_CMP_MASKED_EQ\"}]}]}";

	(void)state;
	assert_int_equal(learn_merge(&back, "docker.json", other, strlen(other), &r), -1);
	assert_non_null(strstr(r.error, "docker.json: not a profile written by lucid-seccomp learn"));
	memset(&r, 0, sizeof r);
	assert_int_equal(learn_merge(&back, "k.json", killing, strlen(killing), &r), -1);
	assert_non_null(strstr(r.error, "k.json: syscalls[0]: not an entry learn writes"));
	memset(&r, 0, sizeof r);
	assert_int_equal(learn_merge(&back, "m.json", masked, strlen(masked), &r), -1);
	assert_non_null(strstr(r.error, "m.json: syscalls[0]: an argument rule other than"));
}

static void base_entries_are_kept_verbatim_and_merged_once(void **state)
{
	static const char base[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"mount\"], \"action\": "
		"\"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}, {\"names\": [\"getxattr\"], "
		"\"action\": \"SCMP_ACT_ALLOW\"}]}";
	struct report r = { 0 };
	char *again;
	struct learn_counts c2;

	(void)state;
	call(X86, "read", LEARN_SERVICE);
	assert_int_equal(learn_add_base(&l, "base.json", base, strlen(base), &r), 0);
	assert_int_equal(learn_add_base(&l, "base.json", base, strlen(base), &r), 0); /* twice: once */
	assert_int_equal(l.nbase, 2);
	write_l();
	assert_true(allows(text, "x86_64", false, "getxattr"));
	assert_false(allows(text, "x86_64", false, "mount")); /* its includes still apply */
	assert_non_null(strstr(text, "\"lucidBase\":true"));
	assert_int_equal(learn_merge(&back, "p.json", text, strlen(text), &r), 0);
	again = learn_write(&back, &c2);
	assert_string_equal(again, text);
	free(again);
}

static void is_new_answers_the_hot_path(void **state)
{
	uint64_t args[6] = { 0 };

	(void)state;
	assert_true(learn_is_new(&l, X86, nr(X86, "read"), args, LEARN_SERVICE));
	call(X86, "read", LEARN_INIT);
	assert_true(learn_is_new(&l, X86, nr(X86, "read"), args, LEARN_SERVICE));
	call(X86, "read", LEARN_SERVICE);
	assert_false(learn_is_new(&l, X86, nr(X86, "read"), args, LEARN_SERVICE));
	call_with(X86, "socket", 0, 2, LEARN_SERVICE);
	args[0] = 10;
	assert_true(learn_is_new(&l, X86, nr(X86, "socket"), args, LEARN_SERVICE));
	args[0] = 2;
	assert_false(learn_is_new(&l, X86, nr(X86, "socket"), args, LEARN_SERVICE));
	assert_int_equal(learn_record(&l, X86, 5000, args, LEARN_SERVICE), -1);
	assert_int_equal(l.foreign, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_call_is_allowed_and_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(the_other_arch_gets_names_and_counterparts, setup, teardown),
		cmocka_unit_test_setup_teardown(when_both_arches_ran_each_keeps_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(argument_values_are_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_values_mean_any_value, setup, teardown),
		cmocka_unit_test_setup_teardown(many_values_are_split_into_rules_of_16, setup, teardown),
		cmocka_unit_test_setup_teardown(init_only_calls_are_for_the_runtime, setup, teardown),
		cmocka_unit_test_setup_teardown(a_run_without_a_stacked_filter_is_all_the_service, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_reads_back_what_was_written, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_is_a_union, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_refuses_what_learn_did_not_write, setup, teardown),
		cmocka_unit_test_setup_teardown(base_entries_are_kept_verbatim_and_merged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(is_new_answers_the_hot_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

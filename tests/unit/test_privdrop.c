/* Unit tests for init/privdrop.c's drop through the sys seam
 * (tests/unit/fake_sys.c): each way the drop can fail is reported with the
 * step that failed, and a drop the kernel does not confirm is a failure,
 * never trusted. */
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "fake_sys.h"
#include "init/confine.h"
#include "init/privdrop.h"

#include <sys/prctl.h>

static int setup(void **state)
{
	(void)state;
	fake_reset();
	fake.uid[0] = fake.uid[1] = fake.uid[2] = 0;
	fake.gid[0] = fake.gid[1] = fake.gid[2] = 0;
	return 0;
}

static const struct drop_plan plan = { .id = { 65532, 65532 } };

static void a_good_drop_is_verified(void **state)
{
	const char *step = NULL;

	(void)state;
	assert_int_equal(drop_privileges(&plan, &step), 0);
	assert_int_equal(fake.calls[FAKE_CAPNG_CHANGE_ID], 1);
	assert_int_equal(fake.calls[FAKE_GETRESUID], 1);
	assert_int_equal(fake.calls[FAKE_GETGROUPS], 1);
}

/* libcap-ng's codes name the step (README, exit 111). */
static void each_failing_step_is_named(void **state)
{
	static const struct {
		int rc;
		const char *step;
	} codes[] = {
		{ -2, "prctl(PR_SET_KEEPCAPS)" },
		{ -3, "capset (transition)" },
		{ -4, "setresgid" },
		{ -6, "setresuid" },
		{ -8, "bounding set" },
		{ -9, "capset/ambient" },
		{ -11, "setgroups" },
		{ -99, "capng_change_id" },
	};
	const char *step;

	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		setup(NULL);
		fake.change_id_result = codes[i].rc;
		errno = 0;
		assert_int_equal(drop_privileges(&plan, &step), -1);
		assert_string_equal(step, codes[i].step);
		assert_int_equal(errno, EPERM); /* libcap-ng left none: still an error */
	}
}

/* The kernel must report exactly the plan: anything else fails closed. */
static void a_drop_the_kernel_does_not_confirm_fails(void **state)
{
	const char *step;

	(void)state;
	fake.change_id_lies = true; /* "succeeds", and everything stays root */
	assert_int_equal(drop_privileges(&plan, &step), -1);
	assert_string_equal(step, "verifying the drop");

	setup(NULL);
	fake.groups = 1; /* a supplementary group survived */
	assert_int_equal(drop_privileges(&plan, &step), -1);
	assert_string_equal(step, "verifying the drop");

	setup(NULL);
	fake_fail(FAKE_GETRESUID, 1, EFAULT);
	assert_int_equal(drop_privileges(&plan, &step), -1);
	setup(NULL);
	fake_fail(FAKE_GETRESGID, 1, EFAULT);
	assert_int_equal(drop_privileges(&plan, &step), -1);
}

static void the_init_empties_its_own_sets_or_says_so(void **state)
{
	(void)state;
	assert_int_equal(drop_own_capabilities(), 0);
	fake_fail(FAKE_CAPNG_APPLY, 2, EPERM); /* the second call */
	assert_int_equal(drop_own_capabilities(), -1);
}

static void the_precheck_reads_its_own_capabilities(void **state)
{
	struct drop_plan p = plan;
	char mem[256];
	struct buf why;

	(void)state;
	buf_init(&why, mem, sizeof mem);
	fake_fail(FAKE_CAPNG_GET, 1, ENOMEM);
	assert_int_equal(privdrop_precheck(&p, &why), -1);
	assert_non_null(strstr(mem, "reading own capabilities"));
}

/* Every step of the init's own confinement failing stops the start. */
static void the_init_confines_itself_or_the_start_stops(void **state)
{
	const struct confine_plan all = { .empty_caps = true, .filter = true };
	static const enum fake_call steps[] = { FAKE_CAPNG_APPLY, FAKE_PRCTL, FAKE_PRCTL, FAKE_SECCOMP };
	static const unsigned nth[] = { 1, 1, 2, 1 };

	(void)state;
	assert_int_equal(confine_self(&all), 0);
	assert_int_equal(fake.prctl_options[0], PR_SET_NO_NEW_PRIVS);
	assert_int_equal(fake.prctl_options[1], PR_SET_DUMPABLE);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 1);
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		setup(NULL);
		fake_fail(steps[i], nth[i], EPERM);
		assert_int_equal(confine_self(&all), -1);
	}
	/* --seccomp none: no filter of its own either; nothing kept: no capng. */
	setup(NULL);
	assert_int_equal(confine_self(&(struct confine_plan){ .empty_caps = false, .filter = false }), 0);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 0);
	assert_int_equal(fake.calls[FAKE_CAPNG_APPLY], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_good_drop_is_verified, setup),
		cmocka_unit_test_setup(each_failing_step_is_named, setup),
		cmocka_unit_test_setup(a_drop_the_kernel_does_not_confirm_fails, setup),
		cmocka_unit_test_setup(the_init_empties_its_own_sets_or_says_so, setup),
		cmocka_unit_test_setup(the_precheck_reads_its_own_capabilities, setup),
		cmocka_unit_test_setup(the_init_confines_itself_or_the_start_stops, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

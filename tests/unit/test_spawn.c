/* Unit tests for init/spawn.c through the sys seam (tests/unit/fake_sys.c):
 * every step of the child's setup and of the parent's, failing in turn,
 * fails closed: the report names the step and its errno, the exit is 111,
 * and the service is never exec'd. */
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include "common/bpfblob.h"
#include "fake_sys.h"
#include "init/spawn.h"

static char *service[] = { "/app/server", NULL };
static struct saved_signals saved;
static sigset_t waitset;

/* A filter for spawn_child to install (the fake seccomp only records it). */
static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };

static int setup(void **state)
{
	(void)state;
	fake_reset();
	sigprocmask(SIG_SETMASK, NULL, &saved.mask);
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGUSR1);
	/* As in lucid-init (signals_take_over): the go byte to a child that
	 * is gone is EPIPE, not a SIGPIPE that kills the init. */
	sigset_t pipe;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe, NULL);
	return 0;
}

/* Run spawn_child with PLAN; the parent's "go" already sent unless
 * no_go. Its exit code, and its report in *f (step "" when none). */
static int run_child(const struct spawn_plan *plan, bool no_go, struct child_failure *f)
{
	int report[2], go[2];
	jmp_buf back;
	int code;

	assert_int_equal(pipe2(report, O_CLOEXEC), 0);
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	if (!no_go)
		assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	fake.exit_jump = &back;
	if ((code = setjmp(back)) == 0)
		spawn_child(plan, report[1], go[0]);
	fake.exit_jump = NULL;
	close(report[1]);
	close(go[0]);
	memset(f, 0, sizeof *f);
	ssize_t n = read(report[0], f, sizeof *f);
	close(report[0]);
	if (n != (ssize_t)sizeof *f)
		f->step[0] = '\0';
	return code - 1;
}

static void plan_for(struct spawn_plan *plan, struct bpfblob *filter, bool tty)
{
	memset(plan, 0, sizeof *plan);
	plan->argv = service;
	plan->saved = &saved;
	plan->tty = tty;
	plan->waitset = &waitset;
	if (filter) {
		memset(filter, 0, sizeof *filter);
		filter->arch = bpfblob_native_arch();
		filter->count = 1;
		filter->insns = allow;
		plan->filter = filter;
	}
}

static void expect_failed_step(const struct spawn_plan *plan, bool no_go, const char *step, int err)
{
	struct child_failure f;

	assert_int_equal(run_child(plan, no_go, &f), 111);
	assert_string_equal(f.step, step);
	assert_int_equal(f.err, err);
	if (fake.calls[FAKE_EXECVP])
		fail_msg("the service was exec'd although %s failed", step);
}

static void child_runs_every_step_then_execs(void **state)
{
	struct spawn_plan plan;
	struct bpfblob filter;
	struct child_failure f;

	(void)state;
	plan_for(&plan, &filter, false);
	/* The fake execvp "fails" with ENOENT after being called: exit 111 with "exec". */
	assert_int_equal(run_child(&plan, false, &f), 111);
	assert_string_equal(f.step, "exec");
	assert_int_equal(fake.calls[FAKE_SETSID], 1);
	assert_int_equal(fake.prctl_options[0], PR_SET_NO_NEW_PRIVS);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 1);
	assert_int_equal(fake.calls[FAKE_EXECVP], 1);
}

static void child_fails_closed_at_every_step(void **state)
{
	struct spawn_plan plan;
	struct bpfblob filter;

	(void)state;
	plan_for(&plan, &filter, false);
	fake_fail(FAKE_SETSID, 1, EPERM);
	expect_failed_step(&plan, false, "setsid", EPERM);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 0);

	fake_reset();
	fake_fail(FAKE_PRCTL, 1, EINVAL);
	expect_failed_step(&plan, false, "prctl(PR_SET_NO_NEW_PRIVS)", EINVAL);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 0);

	/* The parent died before its go: nothing may run unconfined by it. */
	fake_reset();
	expect_failed_step(&plan, true, "waiting for lucid-init", EPIPE);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 0);

	fake_reset();
	fake_fail(FAKE_SECCOMP, 1, EACCES);
	expect_failed_step(&plan, false, "installing the seccomp filter", EACCES);
}

static void child_on_a_tty_takes_the_foreground(void **state)
{
	struct spawn_plan plan;
	struct child_failure f;

	(void)state;
	plan_for(&plan, NULL, true);
	fake_fail(FAKE_SETPGID, 1, EPERM);
	expect_failed_step(&plan, false, "setpgid", EPERM);
	fake_reset();
	fake_fail(FAKE_TCSETPGRP, 1, EPERM);
	expect_failed_step(&plan, false, "tcsetpgrp", EPERM);
	/* stdin a TTY of no session of ours: the child goes on. */
	fake_reset();
	fake_fail(FAKE_TCSETPGRP, 1, ENOTTY);
	assert_int_equal(run_child(&plan, false, &f), 111);
	assert_string_equal(f.step, "exec");
	assert_int_equal(fake.calls[FAKE_SETSID], 0);
}

/* A kernel without SPEC_ALLOW: the filter goes in without it (warned). */
static void child_drops_a_relaxing_flag_the_kernel_lacks(void **state)
{
	struct spawn_plan plan;
	struct bpfblob filter;
	struct child_failure f;

	(void)state;
	plan_for(&plan, &filter, false);
	filter.flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_LOG;
	fake.seccomp_refuses = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	assert_int_equal(run_child(&plan, false, &f), 111);
	assert_string_equal(f.step, "exec");
	assert_int_equal(fake.seccomp_flags, SECCOMP_FILTER_FLAG_LOG);
	/* One that tightens is never dropped: the start fails. */
	fake_reset();
	filter.flags = SECCOMP_FILTER_FLAG_TSYNC;
	fake.seccomp_refuses = SECCOMP_FILTER_FLAG_TSYNC;
	expect_failed_step(&plan, false, "installing the seccomp filter", EINVAL);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int refuse(void)
{
	errno = EPERM;
	return -1;
}

static void parent_fails_closed_and_leaks_nothing(void **state)
{
	struct spawn_plan plan;
	pid_t pid;
	int before = open_fds();

	(void)state;
	plan_for(&plan, NULL, false);
	fake_fail(FAKE_PIPE2, 1, EMFILE);
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_SETUP_FAILED);
	assert_int_equal(fake.calls[FAKE_FORK], 0);
	fake_reset();
	fake_fail(FAKE_PIPE2, 2, EMFILE);
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_SETUP_FAILED);
	assert_int_equal(fake.calls[FAKE_FORK], 0);
	assert_int_equal(open_fds(), before);
	fake_reset();
	fake_fail(FAKE_FORK, 1, EAGAIN);
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_SETUP_FAILED);
	assert_int_equal(open_fds(), before);

	/* After the fork: the child is killed before it may exec. */
	fake_reset();
	fake.fork_result = 4321;
	fake_fail(FAKE_SIGNALFD, 1, ENOMEM);
	expect_int_value(sys_kill, pid, 4321);
	expect_int_value(sys_kill, sig, SIGKILL);
	will_return_int(sys_kill, 0);
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_SETUP_FAILED);
	assert_int_equal(open_fds(), before);

	fake_reset();
	fake.fork_result = 4321;
	plan.parent_ready = refuse;
	expect_int_value(sys_kill, pid, 4321);
	expect_int_value(sys_kill, sig, SIGKILL);
	will_return_int(sys_kill, 0);
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_SETUP_FAILED);
	assert_int_equal(open_fds(), before);
}

/* No report and EOF (the child exec'd): the service runs. */
static void parent_sees_the_exec(void **state)
{
	struct spawn_plan plan;
	pid_t pid;

	(void)state;
	plan_for(&plan, NULL, false);
	fake.fork_result = 4321;
	assert_int_equal(spawn_service(&plan, &pid), SPAWN_OK);
	assert_int_equal(pid, 4321);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(child_runs_every_step_then_execs, setup),
		cmocka_unit_test_setup(child_fails_closed_at_every_step, setup),
		cmocka_unit_test_setup(child_on_a_tty_takes_the_foreground, setup),
		cmocka_unit_test_setup(child_drops_a_relaxing_flag_the_kernel_lacks, setup),
		cmocka_unit_test_setup(parent_fails_closed_and_leaks_nothing, setup),
		cmocka_unit_test_setup(parent_sees_the_exec, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

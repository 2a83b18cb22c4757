/* Unit tests for init/reap.c and init/supervise.c against a scripted kernel
 * (tests/unit/fake_sys.c): reaping coalesced exits, forwarding, grace,
 * drain, and exit-status mapping. */
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "fake_sys.h"
#include "init/reap.h"
#include "init/signals.h"
#include "init/supervise.h"

#define MAIN 100

static int exited(int code)
{
	return (code & 0xff) << 8;
}
static int killed(int sig)
{
	return sig & 0x7f;
}

static void child_exits(pid_t pid, int status)
{
	will_return_int(sys_waitpid, pid);
	will_set_parameter_int(sys_waitpid, status, status);
}

static void no_more_children(void)
{
	will_return_int(sys_waitpid, -1);
	will_set_errno(sys_waitpid, ECHILD);
}

static void expect_kill(pid_t pid, int sig, int result)
{
	expect_int_value(sys_kill, pid, pid);
	expect_int_value(sys_kill, sig, sig);
	will_return_int(sys_kill, result);
	if (result < 0)
		will_set_errno(sys_kill, ESRCH);
}

static void reap_all_takes_every_exit_behind_one_sigchld(void **state)
{
	struct children c = { .main_pid = MAIN };

	(void)state;
	child_exits(101, exited(0));
	child_exits(102, exited(1));
	child_exits(MAIN, exited(3));
	child_exits(103, killed(9));
	will_return_int(sys_waitpid, 0);
	reap_all(&c);
	assert_true(c.main_exited);
	assert_int_equal(c.main_status, exited(3));
	assert_uint_equal(c.reaped, 4);
	assert_false(c.none_left);
}

static void reap_all_notices_no_children_and_retries_eintr(void **state)
{
	struct children c = { .main_pid = MAIN };

	(void)state;
	will_return_int(sys_waitpid, -1);
	will_set_errno(sys_waitpid, EINTR);
	no_more_children();
	reap_all(&c);
	assert_true(c.none_left);
	assert_false(c.main_exited);
}

static void supervise_forwards_then_returns_on_main_exit(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0); /* initial reap: nothing */
	will_return_int(sys_sigtimedwait, SIGUSR1);
	expect_kill(MAIN, SIGUSR1, 0);
	will_return_int(sys_sigtimedwait, SIGRTMIN + 3);
	expect_kill(MAIN, SIGRTMIN + 3, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD); /* an orphan, not main */
	child_exits(200, exited(0));
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGHUP);
	expect_kill(MAIN, SIGHUP, -1); /* ESRCH: already gone, no fuss */
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, killed(SIGTERM));
	no_more_children();
	supervise(&c, &plan);
	assert_true(c.main_exited);
	assert_int_equal(c.main_status, killed(SIGTERM));
}

/* A SIGPIPE the init raised on itself (a log write to a stderr nobody reads)
 * is not forwarded; one sent from outside is. */
static void supervise_keeps_self_raised_signals(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .self = FAKE_SELF_PID };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGPIPE | FAKE_SELF_RAISED); /* no kill */
	will_return_int(sys_sigtimedwait, SIGPIPE);
	expect_kill(MAIN, SIGPIPE, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, exited(7));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_int_equal(c.main_status, exited(7));
}

static void supervise_forwards_to_the_group_with_g(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .process_group = true };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGINT);
	expect_kill(-MAIN, SIGINT, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_true(c.main_exited);
}

static void supervise_rewrites_and_drops(void **state)
{
	sigset_t set;
	int rewrite[65];
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .rewrite = rewrite, .grace_ms = 60000 };

	(void)state;
	for (int i = 0; i < 65; i++)
		rewrite[i] = i;
	rewrite[SIGTERM] = SIGQUIT;
	rewrite[SIGUSR1] = 0;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGTERM);
	expect_kill(MAIN, SIGQUIT, 0);		    /* nginx's graceful stop */
	will_return_int(sys_sigtimedwait, SIGUSR1); /* dropped: no kill at all */
	will_return_int(sys_sigtimedwait, SIGHUP);
	expect_kill(MAIN, SIGHUP, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_true(c.main_exited);
}

static void supervise_kills_after_grace(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .grace_ms = 1 };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGTERM);
	expect_kill(MAIN, SIGTERM, 0);
	will_return_int(sys_sigtimedwait, 0); /* grace ran out */
	expect_kill(MAIN, SIGKILL, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, killed(SIGKILL));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_int_equal(c.main_status, killed(SIGKILL));
}

static void supervise_notices_a_main_child_that_died_first(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set };

	(void)state;
	signals_wait_set(&set);
	child_exits(MAIN, exited(7)); /* before any signal was waited for */
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_int_equal(c.main_status, exited(7));
}

static void drain_as_pid1_stops_when_leftovers_honour_sigterm(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0); /* someone is left */
	expect_kill(-1, SIGTERM, 0);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(300, killed(SIGTERM));
	no_more_children();
	/* No SIGKILL may follow: sys_kill has no further expectation. */
	drain(&c, &set, 60000, true);
	assert_true(c.none_left);
}

static void drain_kills_what_ignores_sigterm(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	expect_kill(-1, SIGTERM, 0);
	will_return_int(sys_waitpid, 0); /* drain time (0 ms) is over */
	expect_kill(-1, SIGKILL, 0);
	child_exits(300, killed(SIGKILL));
	no_more_children();
	drain(&c, &set, 0, true);
	assert_true(c.none_left);
}

static void drain_does_nothing_when_nobody_is_left(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };

	(void)state;
	signals_wait_set(&set);
	no_more_children();
	drain(&c, &set, 2000, true);
	assert_true(c.none_left);
}

static void exit_codes_map_like_a_shell(void **state)
{
	static const int java[] = { 143 };

	(void)state;
	assert_int_equal(exit_code_of(exited(0), NULL, 0), 0);
	assert_int_equal(exit_code_of(exited(3), NULL, 0), 3);
	assert_int_equal(exit_code_of(exited(255), NULL, 0), 255);
	assert_int_equal(exit_code_of(killed(SIGKILL), NULL, 0), 137);
	assert_int_equal(exit_code_of(killed(SIGTERM), NULL, 0), 143);
	assert_int_equal(exit_code_of(killed(SIGTERM), java, 1), 0);
	assert_int_equal(exit_code_of(exited(143), java, 1), 0);
	assert_int_equal(exit_code_of(exited(1), java, 1), 1);
}

static void wait_set_covers_realtime_and_spares_faults(void **state)
{
	sigset_t set;

	(void)state;
	signals_wait_set(&set);
	assert_true(sigismember(&set, SIGTERM));
	assert_true(sigismember(&set, SIGCHLD));
	assert_true(sigismember(&set, SIGRTMIN + 3));
	assert_true(sigismember(&set, SIGRTMAX));
	assert_false(sigismember(&set, SIGSEGV));
	assert_false(sigismember(&set, SIGKILL));
	assert_false(sigismember(&set, SIGTTOU));
	/* 34 is glibc's SIGRTMIN: musl's sigismember refuses to say, so look at the bit. */
	assert_true((((unsigned long *)(void *)&set)[0] >> 33) & 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reap_all_takes_every_exit_behind_one_sigchld),
		cmocka_unit_test(reap_all_notices_no_children_and_retries_eintr),
		cmocka_unit_test(supervise_forwards_then_returns_on_main_exit),
		cmocka_unit_test(supervise_keeps_self_raised_signals),
		cmocka_unit_test(supervise_forwards_to_the_group_with_g),
		cmocka_unit_test(supervise_rewrites_and_drops),
		cmocka_unit_test(supervise_kills_after_grace),
		cmocka_unit_test(supervise_notices_a_main_child_that_died_first),
		cmocka_unit_test(drain_as_pid1_stops_when_leftovers_honour_sigterm),
		cmocka_unit_test(drain_kills_what_ignores_sigterm),
		cmocka_unit_test(drain_does_nothing_when_nobody_is_left),
		cmocka_unit_test(exit_codes_map_like_a_shell),
		cmocka_unit_test(wait_set_covers_realtime_and_spares_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

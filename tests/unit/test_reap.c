/* Unit tests for init/reap.c and init/supervise.c against a scripted kernel
 * (tests/unit/fake_sys.c): reaping coalesced exits, forwarding, grace,
 * drain, and exit-status mapping. */
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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
	const struct drain_plan plan = { .term_ms = 60000, .pid1 = true };
	drain(&c, &set, &plan);
	assert_true(c.none_left);
}

static void drain_kills_what_ignores_sigterm(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };
	const struct drain_plan plan = { .term_ms = 50, .pid1 = true };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	expect_kill(-1, SIGTERM, 0);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, 0); /* the drain time is over */
	will_return_int(sys_waitpid, 0);
	expect_kill(-1, SIGKILL, 0);
	child_exits(300, killed(SIGKILL));
	no_more_children();
	drain(&c, &set, &plan);
	assert_true(c.none_left);
}

/* --drain 0: SIGKILL at once, no SIGTERM first. */
static void drain_zero_kills_at_once(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };
	const struct drain_plan plan = { .term_ms = 0, .pid1 = true };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	expect_kill(-1, SIGKILL, 0);
	child_exits(300, killed(SIGKILL));
	no_more_children();
	drain(&c, &set, &plan);
	assert_true(c.none_left);
}

/* --drain off: leftovers are not signalled at all. */
static void drain_off_leaves_leftovers_alone(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };
	const struct drain_plan plan = { .off = true, .term_ms = 2000, .pid1 = false };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0); /* someone is left; no kill may follow */
	drain(&c, &set, &plan);
	assert_false(c.none_left);
}

static void drain_does_nothing_when_nobody_is_left(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN, .main_exited = true };

	(void)state;
	signals_wait_set(&set);
	no_more_children();
	const struct drain_plan plan = { .term_ms = 2000, .pid1 = true };
	drain(&c, &set, &plan);
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

/* Everything but KILL and STOP is waited for: the fault numbers too (a
 * kill(2) of one is forwarded; a real fault still kills the init, which the
 * kernel makes sure of) and TTIN/TTOU. */
static void wait_set_covers_every_catchable_signal(void **state)
{
	sigset_t set;

	(void)state;
	signals_wait_set(&set);
	assert_true(sigismember(&set, SIGTERM));
	assert_true(sigismember(&set, SIGCHLD));
	assert_true(sigismember(&set, SIGRTMIN + 3));
	assert_true(sigismember(&set, SIGRTMAX));
	assert_true(sigismember(&set, SIGSEGV));
	assert_true(sigismember(&set, SIGSYS));
	assert_true(sigismember(&set, SIGTTOU));
	assert_false(sigismember(&set, SIGKILL));
	assert_false(sigismember(&set, SIGSTOP));
	/* 34 is glibc's SIGRTMIN: musl's sigismember refuses to say, so look at the bit. */
	assert_true((((unsigned long *)(void *)&set)[0] >> 33) & 1);
}

static void signals_for_the_service(void **state)
{
	(void)state;
	assert_true(signal_for_service(SIGSEGV, SI_USER, FAKE_SENDER_PID, FAKE_SELF_PID));
	assert_true(signal_for_service(SIGBUS, SI_QUEUE, FAKE_SENDER_PID, FAKE_SELF_PID));
	assert_true(signal_for_service(SIGILL, SI_TKILL, FAKE_SENDER_PID, FAKE_SELF_PID));
	assert_false(signal_for_service(SIGSEGV, 1 /* SEGV_MAPERR */, 0, FAKE_SELF_PID));
	assert_false(signal_for_service(SIGSYS, 1 /* SYS_SECCOMP */, 0, FAKE_SELF_PID));
	assert_false(signal_for_service(SIGPIPE, SI_USER, FAKE_SELF_PID, FAKE_SELF_PID));
	assert_false(signal_for_service(SIGCHLD, 1 /* CLD_EXITED */, FAKE_SENDER_PID, FAKE_SELF_PID));
	assert_true(signal_for_service(SIGHUP, SI_KERNEL, 0, FAKE_SELF_PID)); /* a terminal hung up */
	assert_true(signal_for_service(SIGTERM, SI_USER, 0, FAKE_SELF_PID));  /* from the parent namespace */
}

/* kill -SEGV from outside is forwarded; a fault-coded one is not. */
static void supervise_forwards_fault_numbers_sent_by_kill(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .self = FAKE_SELF_PID };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGSEGV);
	expect_kill(MAIN, SIGSEGV, 0);
	will_return_int(sys_sigtimedwait, SIGTRAP);
	expect_kill(MAIN, SIGTRAP, 0);
	will_return_int(sys_sigtimedwait, SIGBUS | FAKE_FAULT); /* no kill */
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, killed(SIGSEGV));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_int_equal(c.main_status, killed(SIGSEGV));
}

static void on_tstp(int sig)
{
	(void)sig;
}

/* Job control goes to the whole group, -g or not; everything else to the
 * main child. Without a TTY, a TSTP the service leaves at its default goes
 * as SIGSTOP (its orphaned group would drop it), one it catches as TSTP.
 * The "service" is this test process: /proc shows its dispositions, and the
 * kills are scripted. */
static void supervise_sends_job_control_to_the_group(void **state)
{
	sigset_t set;
	pid_t me = getpid();
	struct children c = { .main_pid = me };
	struct supervise_plan plan = { .waitset = &set, .self = FAKE_SELF_PID, .pid1 = true };
	struct sigaction dfl = { .sa_handler = SIG_DFL }, catch = { .sa_handler = on_tstp };

	(void)state;
	signals_wait_set(&set);
	sigaction(SIGTSTP, &dfl, NULL);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGTSTP);
	expect_kill(-me, SIGSTOP, 0);
	will_return_int(sys_sigtimedwait, SIGCONT);
	expect_kill(-me, SIGCONT, 0);
	will_return_int(sys_sigtimedwait, SIGUSR1);
	expect_kill(me, SIGUSR1, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(me, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_true(c.main_exited);

	struct children c1 = { .main_pid = me };
	sigaction(SIGTSTP, &catch, NULL);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGTSTP);
	expect_kill(-me, SIGTSTP, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(me, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c1, &plan);
	sigaction(SIGTSTP, &dfl, NULL);

	/* On a TTY the group is not orphaned: TSTP goes as TSTP. */
	struct children c2 = { .main_pid = me };
	plan.tty = true;
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGTTIN);
	expect_kill(-me, SIGTTIN, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(me, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c2, &plan);
	assert_true(c2.main_exited);
}

static int stopped(int sig)
{
	return ((sig & 0xff) << 8) | 0x7f;
}

/* The service stopped: an init that is not PID 1 stops itself too (its
 * parent sees the job stopped); PID 1 cannot, and only says so. */
static void supervise_stops_with_the_service(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .self = FAKE_SELF_PID };

	(void)state;
	signals_wait_set(&set);
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, stopped(SIGSTOP));
	will_return_int(sys_waitpid, 0);
	expect_kill(FAKE_SELF_PID, SIGSTOP, 0);
	will_return_int(sys_sigtimedwait, SIGCONT);
	expect_kill(-MAIN, SIGCONT, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_true(c.main_exited);
	assert_uint_equal(c.reaped, 1); /* a stop is not a reaped child */

	struct children c1 = { .main_pid = MAIN };
	plan.pid1 = true;
	will_return_int(sys_waitpid, 0);
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, stopped(SIGTSTP));
	will_return_int(sys_waitpid, 0);
	/* no kill of itself */
	will_return_int(sys_sigtimedwait, SIGCHLD);
	child_exits(MAIN, exited(0));
	will_return_int(sys_waitpid, 0);
	supervise(&c1, &plan);
	assert_true(c1.main_exited);
}

/* --pdeathsig when the parent was gone before it was set: forwarded first. */
static void supervise_forwards_the_first_signal(void **state)
{
	sigset_t set;
	struct children c = { .main_pid = MAIN };
	struct supervise_plan plan = { .waitset = &set, .first_signal = SIGTERM };

	(void)state;
	signals_wait_set(&set);
	expect_kill(MAIN, SIGTERM, 0);
	child_exits(MAIN, killed(SIGTERM));
	will_return_int(sys_waitpid, 0);
	supervise(&c, &plan);
	assert_int_equal(c.main_status, killed(SIGTERM));
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
		cmocka_unit_test(drain_zero_kills_at_once),
		cmocka_unit_test(drain_off_leaves_leftovers_alone),
		cmocka_unit_test(drain_does_nothing_when_nobody_is_left),
		cmocka_unit_test(exit_codes_map_like_a_shell),
		cmocka_unit_test(wait_set_covers_every_catchable_signal),
		cmocka_unit_test(signals_for_the_service),
		cmocka_unit_test(supervise_forwards_fault_numbers_sent_by_kill),
		cmocka_unit_test(supervise_sends_job_control_to_the_group),
		cmocka_unit_test(supervise_stops_with_the_service),
		cmocka_unit_test(supervise_forwards_the_first_signal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

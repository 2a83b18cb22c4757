/* What tests/unit/fake_sys.c scripts beyond cmocka's queues.
 *
 * Two kinds of fakes. sys_waitpid, sys_kill and sys_sigtimedwait take every
 * result from cmocka's queue (test_reap scripts whole conversations). All
 * the others follow a fault plan: they succeed harmlessly (nothing in the
 * test process forks, execs, changes ids or installs filters; pipes and
 * signalfds are real), record that they ran, and fail with a chosen errno
 * on a chosen call. */
#ifndef LUCID_TESTS_FAKE_SYS_H
#define LUCID_TESTS_FAKE_SYS_H

#include <setjmp.h>
#include <stdbool.h>
#include <sys/types.h>

/* The pid a scripted signal comes from: another process, or the init
 * itself (set struct supervise_plan.self to FAKE_SELF_PID). */
#define FAKE_SENDER_PID 4242
#define FAKE_SELF_PID 1
/* Or'ed into a sys_sigtimedwait result: the init raised it on itself; the
 * kernel raised it as a fault (si_code SEGV_MAPERR, 1). */
#define FAKE_SELF_RAISED 0x10000
#define FAKE_FAULT 0x20000

enum fake_call {
	FAKE_FORK,
	FAKE_PIPE2,
	FAKE_SIGNALFD,
	FAKE_SETSID,
	FAKE_SETPGID,
	FAKE_TCSETPGRP,
	FAKE_EXECVP,
	FAKE_PRCTL,
	FAKE_SECCOMP,
	FAKE_CAPNG_GET,
	FAKE_CAPNG_CHANGE_ID,
	FAKE_CAPNG_APPLY,
	FAKE_GETRESUID,
	FAKE_GETRESGID,
	FAKE_GETGROUPS,
	FAKE_CLOSE_RANGE,
	FAKE_CALLS
};

struct fake_sys {
	/* fail[c] = E: the call number fail_at[c] (1 = the first) to c fails
	 * with errno E; 0: no failure */
	int fail[FAKE_CALLS];
	unsigned fail_at[FAKE_CALLS];
	unsigned calls[FAKE_CALLS]; /* how often each ran */
	pid_t fork_result;	    /* what a succeeding sys_fork returns */
	unsigned seccomp_refuses;   /* flags sys_seccomp_filter refuses (EINVAL) */
	unsigned seccomp_flags;	    /* the flags of the last accepted filter */
	int change_id_result;	    /* a negative libcap-ng code, or 0 */
	bool change_id_lies;	    /* "succeeds" but changes nothing */
	uid_t uid[3];		    /* what getresuid reports */
	gid_t gid[3];
	int groups;
	unsigned close_first, close_last; /* the last close_range asked for */
	int prctl_options[16];		  /* the options of the prctl calls, in order */
	jmp_buf *exit_jump;		  /* sys_exit_child longjmps here with code + 1 */
};
extern struct fake_sys fake;

/* Back to nothing failing, nothing recorded. */
void fake_reset(void);
/* The Nth call (1-based) of C fails with errno E. */
void fake_fail(enum fake_call c, unsigned nth, int e);

#endif

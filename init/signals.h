/* Which signals lucid-init takes over, and how it waits for them. */
#ifndef LUCID_INIT_SIGNALS_H
#define LUCID_INIT_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/forwarding.h"

struct saved_signals {
	sigset_t mask;
};

/* Every signal lucid-init waits for: all but SIGKILL and SIGSTOP. That
 * includes the fault numbers (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP,
 * SIGSYS): blocked, a kill(2) of one waits to be forwarded instead of
 * killing the init, while a real fault in the init is still fatal (the
 * kernel unblocks a fault signal it raises). SIGTTIN/SIGTTOU are blocked
 * too, which the terminal treats as ignored: a background init on a TTY is
 * never stopped by its own writes. It includes 32-34, which musl keeps for
 * itself but glibc services call SIGRTMIN. */
void signals_wait_set(sigset_t *set);

/* Block the wait set, saving the mask there was. */
int signals_take_over(const sigset_t *set, struct saved_signals *saved);

/* Give a child back the mask lucid-init started with. */
int signals_restore(const struct saved_signals *saved);

/* signal_for_service: common/forwarding.h. */

/* The job-control signals that stop or resume a job: they go to the
 * service's whole process group, -g or not. */
bool signal_is_job_control(int sig);

/* The next signal of `set`, waiting at most timeout_ms (-1: no limit, and no
 * periodic wake-ups). Its number; 0 when the time ran out; -1 on error. */
int signals_next(const sigset_t *set, int64_t timeout_ms, siginfo_t *info);

#endif

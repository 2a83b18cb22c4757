/* Which signals lucid-init takes over, and how it waits for them. */
#ifndef LUCID_INIT_SIGNALS_H
#define LUCID_INIT_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct saved_signals {
	sigset_t mask;
	struct sigaction ttin, ttou;
};

/* Every signal lucid-init waits for: all but SIGKILL and SIGSTOP, the
 * synchronous fault signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP,
 * SIGSYS, which must reach the init itself) and SIGTTIN/SIGTTOU, which the
 * init ignores so a background init on a TTY is never stopped. It includes
 * 32-34, which musl keeps for itself but glibc services call SIGRTMIN. */
void signals_wait_set(sigset_t *set);

/* Block the wait set and ignore SIGTTIN/SIGTTOU, saving what was there. */
int signals_take_over(const sigset_t *set, struct saved_signals *saved);

/* Give a child back the mask and dispositions lucid-init started with. */
int signals_restore(const struct saved_signals *saved);

/* Whether a signal was raised by this process on itself: the kernel's own
 * SIGPIPE or SIGXFSZ for a write of ours (si_code SI_USER, si_pid our own
 * pid). Such a signal is about the init, not a message for the service:
 * forwarding it would be wrong, and with -v each forward could log, write
 * and raise it again. */
bool signal_is_self_raised(const siginfo_t *info, pid_t self);

/* The next signal of `set`, waiting at most timeout_ms (-1: no limit, and no
 * periodic wake-ups). Its number; 0 when the time ran out; -1 on error. */
int signals_next(const sigset_t *set, int64_t timeout_ms, siginfo_t *info);

#endif

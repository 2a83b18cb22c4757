#include "init/signals.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "init/sys.h"

/* Set a signal's bit directly: musl's sigaddset refuses 32-34. */
static void add_raw(sigset_t *set, int sig)
{
	unsigned long *words = (unsigned long *)(void *)set;
	unsigned bits = CHAR_BIT * sizeof *words;

	words[(unsigned)(sig - 1) / bits] |= 1UL << ((unsigned)(sig - 1) % bits);
}

void signals_wait_set(sigset_t *set)
{
	sigfillset(set);
	for (int sig = 32; sig < SIGRTMIN; sig++)
		add_raw(set, sig);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
}

int signals_take_over(const sigset_t *set, struct saved_signals *saved)
{
	return sigprocmask(SIG_SETMASK, set, &saved->mask);
}

int signals_restore(const struct saved_signals *saved)
{
	return sigprocmask(SIG_SETMASK, &saved->mask, NULL);
}

bool signal_is_job_control(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGCONT;
}

int signals_next(const sigset_t *set, int64_t timeout_ms, siginfo_t *info)
{
	struct timespec ts, *tp = NULL;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tp = &ts;
	}
	for (;;) {
		int sig = sys_sigtimedwait(set, info, tp);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

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
	static const int excluded[] = {
		SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGTTIN, SIGTTOU,
	};

	sigfillset(set);
	for (int sig = 32; sig < SIGRTMIN; sig++)
		add_raw(set, sig);
	for (size_t i = 0; i < sizeof excluded / sizeof *excluded; i++)
		sigdelset(set, excluded[i]);
}

int signals_take_over(const sigset_t *set, struct saved_signals *saved)
{
	struct sigaction ignore;

	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	if (sigprocmask(SIG_SETMASK, set, &saved->mask) < 0)
		return -1;
	if (sigaction(SIGTTIN, &ignore, &saved->ttin) < 0 || sigaction(SIGTTOU, &ignore, &saved->ttou) < 0)
		return -1;
	return 0;
}

int signals_restore(const struct saved_signals *saved)
{
	if (sigaction(SIGTTIN, &saved->ttin, NULL) < 0 || sigaction(SIGTTOU, &saved->ttou, NULL) < 0)
		return -1;
	return sigprocmask(SIG_SETMASK, &saved->mask, NULL);
}

bool signal_is_self_raised(const siginfo_t *info, pid_t self)
{
	return info->si_code == SI_USER && info->si_pid == self;
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

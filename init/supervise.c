#include "init/supervise.h"

#include <errno.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "init/signals.h"
#include "init/signames.h"
#include "init/sys.h"

static void forward(const struct children *c, const struct supervise_plan *plan, int received)
{
	pid_t target = plan->process_group ? -c->main_pid : c->main_pid;
	int sig = plan->rewrite && received <= SIGNAL_MAX ? plan->rewrite[received] : received;

	if (sig == 0) {
		log_debug("dropped signal %d (--rewrite)", received);
		return;
	}
	if (sys_kill(target, sig) < 0 && errno != ESRCH)
		log_warn("forwarding signal %d to %d: %s", sig, (int)target, strerror(errno));
	else
		log_debug("forwarded signal %d to %d", sig, (int)target);
}

void supervise(struct children *c, const struct supervise_plan *plan)
{
	uint64_t kill_at = 0; /* 0: no grace period running */
	siginfo_t info;

	/* The child may have exited before the first SIGCHLD was waited for. */
	reap_all(c);
	while (!c->main_exited) {
		int64_t timeout = -1;
		if (kill_at) {
			uint64_t now = clock_now_ms();
			timeout = now >= kill_at ? 0 : (int64_t)(kill_at - now);
		}

		int sig = signals_next(plan->waitset, timeout, &info);
		if (sig < 0) {
			log_warn("waiting for signals: %s", strerror(errno));
			reap_all(c);
			continue;
		}
		if (sig == 0) {
			log_warn("service still running %llu ms after SIGTERM; sending SIGKILL",
				 (unsigned long long)plan->grace_ms);
			kill_at = 0;
			(void)sys_kill(c->main_pid, SIGKILL);
			if (plan->process_group)
				(void)sys_kill(-c->main_pid, SIGKILL);
			continue;
		}
		if (sig == SIGCHLD) {
			reap_all(c);
			continue;
		}
		if (signal_is_self_raised(&info, plan->self))
			continue;
		forward(c, plan, sig);
		if ((sig == SIGTERM || sig == SIGINT) && plan->grace_ms && !kill_at)
			kill_at = clock_now_ms() + plan->grace_ms;
	}
}

#include "init/supervise.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/procfs.h"
#include "init/signals.h"
#include "init/signames.h"
#include "init/sys.h"

/* On a TTY, a SIGCONT after `fg` gives the init the terminal's foreground:
 * pass it on to the service's group, which it belongs to. After `bg` the
 * init is not in the foreground and leaves the terminal alone. The
 * tcsetpgrp of a background init raises no SIGTTOU: it is blocked. */
static void give_terminal(pid_t service)
{
	if (tcgetpgrp(STDIN_FILENO) == getpgrp() && sys_tcsetpgrp(STDIN_FILENO, service) < 0)
		log_warn("giving the terminal back to the service: %s", strerror(errno));
}

/* Without a TTY the service leads a session of its own: its process group
 * is orphaned, and the kernel drops a TSTP, TTIN or TTOU sent to it unless
 * the service catches or ignores that signal. So a stop request the
 * service leaves at its default goes as SIGSTOP (dumb-init's rewrite); one
 * it handles goes as it is. */
static int stop_for_orphans(pid_t service, int sig)
{
	struct proc_status st;

	if (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
		return sig;
	uint64_t bit = 1ULL << (sig - 1);
	if (procfs_read_status(service, &st) == 0 && ((st.sig_cgt | st.sig_ign) & bit))
		return sig;
	return SIGSTOP;
}

static void forward(const struct children *c, const struct supervise_plan *plan, int received)
{
	int sig = plan->rewrite && received <= SIGNAL_MAX ? plan->rewrite[received] : received;

	if (sig == 0) {
		log_debug("dropped signal %d (--rewrite)", received);
		return;
	}
	if (!plan->tty)
		sig = stop_for_orphans(c->main_pid, sig);
	/* Stopping or resuming a job is about all of it, not one process. */
	pid_t target = plan->process_group || signal_is_job_control(sig) ? -c->main_pid : c->main_pid;
	if (sig == SIGCONT && plan->tty)
		give_terminal(c->main_pid);
	if (sys_kill(target, sig) < 0 && errno != ESRCH)
		log_warn("forwarding signal %d to %d: %s", sig, (int)target, strerror(errno));
	else
		log_debug("forwarded signal %d to %d", sig, (int)target);
}

/* The service stopped (reap_all saw it): stop with it, so the shell or
 * supervisor running lucid-init sees its job stopped; SIGCONT to the init
 * resumes both. PID 1 of a namespace cannot stop itself. */
static void follow_stop(const struct supervise_plan *plan, int stop_sig)
{
	if (plan->pid1) {
		log_warn("the service was stopped by signal %d; SIGCONT resumes it", stop_sig);
		return;
	}
	log_debug("the service was stopped by signal %d; stopping too", stop_sig);
	if (sys_kill(plan->self, SIGSTOP) < 0)
		log_warn("stopping with the service: %s", strerror(errno));
}

void supervise(struct children *c, const struct supervise_plan *plan)
{
	uint64_t kill_at = 0; /* 0: no grace period running */
	siginfo_t info;

	if (plan->first_signal)
		forward(c, plan, plan->first_signal);
	/* The child may have exited before the first SIGCHLD was waited for. */
	reap_all(c);
	while (!c->main_exited) {
		if (c->main_stopped) {
			int stop_sig = c->main_stopped;
			c->main_stopped = 0;
			follow_stop(plan, stop_sig);
		}
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
		if (!signal_for_service(sig, info.si_code, info.si_pid, plan->self)) {
			log_debug("signal %d (code %d) is about lucid-init itself: not forwarded", sig, info.si_code);
			continue;
		}
		forward(c, plan, sig);
		if ((sig == SIGTERM || sig == SIGINT) && plan->grace_ms && !kill_at)
			kill_at = clock_now_ms() + plan->grace_ms;
	}
}

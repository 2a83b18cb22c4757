#include "init/reap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/procfs.h"
#include "init/signals.h"
#include "init/sys.h"

/* After SIGKILL, how long to wait for the kernel to finish the last exits,
 * and how often to signal again what is still there. */
#define KILL_REAP_MS 5000
#define KILL_ROUND_MS 250

void reap_all(struct children *c)
{
	for (;;) {
		int status;
		pid_t pid = sys_waitpid(-1, &status, WNOHANG | WUNTRACED);
		if (pid > 0 && WIFSTOPPED(status)) {
			if (pid == c->main_pid)
				c->main_stopped = WSTOPSIG(status);
			continue;
		}
		if (pid > 0) {
			c->reaped++;
			if (pid == c->main_pid) {
				c->main_exited = true;
				c->main_status = status;
			} else {
				log_debug("reaped process %d", (int)pid); /* tini -w */
			}
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0 && errno == ECHILD)
			c->none_left = true;
		else if (pid < 0)
			log_warn("waitpid: %s", strerror(errno));
		return;
	}
}

/* Signal one descendant found in /proc. Between the listing and the signal
 * its pid may have been reused by a process that is not ours: a pidfd pins
 * the process, and only then is its ancestry checked. Kernels without
 * pidfds (before 5.3) get kill(2), with a warning once. */
static void signal_descendant(pid_t pid, int sig)
{
	int fd = sys_pidfd_open(pid);

	if (fd < 0 && errno == ENOSYS) {
		static bool warned;
		if (!warned)
			log_warn("drain: no pidfd_open on this kernel: signalling leftovers by pid");
		warned = true;
		(void)sys_kill(pid, sig);
		return;
	}
	if (fd < 0)
		return; /* gone already */
	if (procfs_is_descendant(pid, getpid()) && sys_pidfd_send_signal(fd, sig) < 0 && errno != ESRCH)
		log_warn("drain: signalling %d: %s", (int)pid, strerror(errno));
	close(fd);
}

/* Signal everything that is left; false when nothing was there to signal. */
static bool signal_leftovers(int sig, bool pid1)
{
	if (pid1) {
		/* kill(-1) reaches every process in our PID namespace but us. */
		return sys_kill(-1, sig) == 0;
	}
	pid_t *pids;
	size_t n;
	if (procfs_descendants(getpid(), &pids, &n) < 0) {
		log_warn("drain: listing descendants in /proc: %s", strerror(errno));
		return false;
	}
	for (size_t i = 0; i < n; i++)
		signal_descendant(pids[i], sig);
	free(pids);
	return n > 0;
}

/* Reap until no children are left or deadline_ms passes. */
static void reap_until(struct children *c, const sigset_t *waitset, uint64_t deadline_ms)
{
	siginfo_t info;

	for (;;) {
		reap_all(c);
		uint64_t now = clock_now_ms();
		if (c->none_left || now >= deadline_ms)
			return;
		/* Other signals that arrive now have nobody left to go to. */
		int sig = signals_next(waitset, (int64_t)(deadline_ms - now), &info);
		if (sig == 0)
			reap_all(c); /* the time is up: what exited last */
		if (sig <= 0)
			return;
	}
}

void drain(struct children *c, const sigset_t *waitset, const struct drain_plan *plan)
{
	bool pid1 = plan->pid1;
	uint64_t drain_ms = plan->term_ms;

	reap_all(c);
	if (c->none_left)
		return;
	if (plan->off) {
		log_debug("drain: off; leaving what is left alone");
		return;
	}
	if (drain_ms && signal_leftovers(SIGTERM, pid1)) {
		log_debug("drain: SIGTERM sent to leftover processes, waiting %llu ms", (unsigned long long)drain_ms);
		reap_until(c, waitset, clock_now_ms() + drain_ms);
	}
	/* SIGKILL until nothing is left to signal: what forked while the last
	 * round went out gets the next one. */
	uint64_t end = clock_now_ms() + KILL_REAP_MS;
	bool warned = false;
	while (!c->none_left && clock_now_ms() < end) {
		if (!signal_leftovers(SIGKILL, pid1)) {
			reap_until(c, waitset, end);
			break;
		}
		if (!warned && drain_ms)
			log_warn("drain: leftover processes did not exit on SIGTERM within %llu ms; sent SIGKILL",
				 (unsigned long long)drain_ms);
		warned = true;
		uint64_t round = clock_now_ms() + KILL_ROUND_MS;
		reap_until(c, waitset, round < end ? round : end);
	}
}

int exit_code_of(int wait_status, const int *exit_zero, size_t n_exit_zero)
{
	int code;

	if (WIFEXITED(wait_status))
		code = WEXITSTATUS(wait_status);
	else if (WIFSIGNALED(wait_status))
		code = 128 + WTERMSIG(wait_status);
	else
		code = 255;
	for (size_t i = 0; i < n_exit_zero; i++)
		if (exit_zero[i] == code)
			return 0;
	return code;
}

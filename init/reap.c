#include "init/reap.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "init/procfs.h"
#include "init/signals.h"
#include "init/sys.h"

/* After SIGKILL, how long to wait for the kernel to finish the last exits. */
#define KILL_REAP_MS 5000

void reap_all(struct children *c)
{
	for (;;) {
		int status;
		pid_t pid = sys_waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			c->reaped++;
			if (pid == c->main_pid) {
				c->main_exited = true;
				c->main_status = status;
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

/* Signal everything that is left; false when nothing was there to signal. */
static bool signal_leftovers(int sig, bool pid1)
{
	if (pid1) {
		/* kill(-1) reaches every process in our PID namespace but us. */
		return sys_kill(-1, sig) == 0;
	}
	pid_t pids[1024];
	int n = procfs_descendants(getpid(), pids, sizeof pids / sizeof *pids);
	if (n < 0) {
		log_warn("listing descendants in /proc: %s", strerror(errno));
		return false;
	}
	for (int i = 0; i < n; i++)
		(void)sys_kill(pids[i], sig);
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
		if (signals_next(waitset, (int64_t)(deadline_ms - now), &info) < 0)
			return;
	}
}

void drain(struct children *c, const sigset_t *waitset, uint64_t drain_ms, bool pid1)
{
	reap_all(c);
	if (c->none_left)
		return;
	if (signal_leftovers(SIGTERM, pid1)) {
		log_debug("drain: SIGTERM sent to leftover processes, waiting %llu ms",
			  (unsigned long long)drain_ms);
		reap_until(c, waitset, clock_now_ms() + drain_ms);
	}
	if (c->none_left)
		return;
	if (signal_leftovers(SIGKILL, pid1))
		log_warn("drain: leftover processes did not exit on SIGTERM within %llu ms; sent SIGKILL",
			 (unsigned long long)drain_ms);
	reap_until(c, waitset, clock_now_ms() + KILL_REAP_MS);
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

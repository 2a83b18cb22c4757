/* Reaping: every zombie, not only the main child's, whoever its parent was. */
#ifndef LUCID_INIT_REAP_H
#define LUCID_INIT_REAP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct children {
	pid_t main_pid;
	bool main_exited;
	int main_status; /* raw wait status of the main child */
	bool none_left;	 /* waitpid said there are no children at all */
	unsigned long reaped;
};

/* waitpid(-1, WNOHANG) until nothing more has exited: one SIGCHLD may stand
 * for many exits (they coalesce). Records the main child's status. */
void reap_all(struct children *c);

/* After the main child exited: SIGTERM every process left (as PID 1 the
 * whole namespace, otherwise our descendants), reap for up to drain_ms, then
 * SIGKILL the rest and reap them. Never exits; waits on `waitset`. */
void drain(struct children *c, const sigset_t *waitset, uint64_t drain_ms, bool pid1);

/* The exit status lucid-init reports for a wait status: the exit code, or
 * 128+signal; codes listed in exit_zero become 0. */
int exit_code_of(int wait_status, const int *exit_zero, size_t n_exit_zero);

#endif

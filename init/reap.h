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
	int main_status;  /* raw wait status of the main child */
	int main_stopped; /* the signal that stopped the main child, until taken; 0: none */
	bool none_left;	  /* waitpid said there are no children at all */
	unsigned long reaped;
};

/* waitpid(-1, WNOHANG | WUNTRACED) until nothing more has exited: one
 * SIGCHLD may stand for many exits (they coalesce). Records the main child's
 * status, and the signal that stopped it when it stopped. */
void reap_all(struct children *c);

/* What happens to the processes left when the main child has exited. */
struct drain_plan {
	bool off;	  /* leave them alone (as PID 1 the kernel kills them when the init exits) */
	uint64_t term_ms; /* SIGTERM, then SIGKILL after term_ms; 0: SIGKILL at once */
	bool pid1;	  /* everything in the namespace, or only our descendants */
};

/* After the main child exited: unless plan->off, SIGTERM every process left
 * (as PID 1 the whole namespace, otherwise our descendants) and reap for up
 * to term_ms, then SIGKILL the rest and reap them. Never exits; waits on
 * `waitset`. */
void drain(struct children *c, const sigset_t *waitset, const struct drain_plan *plan);

/* The exit status lucid-init reports for a wait status: the exit code, or
 * 128+signal; codes listed in exit_zero become 0. */
int exit_code_of(int wait_status, const int *exit_zero, size_t n_exit_zero);

#endif

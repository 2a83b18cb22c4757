/* The init's main loop while the service runs. */
#ifndef LUCID_INIT_SUPERVISE_H
#define LUCID_INIT_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "init/reap.h"

struct supervise_plan {
	const sigset_t *waitset;
	bool process_group; /* forward to -pid instead of pid */
	uint64_t grace_ms;  /* 0: never escalate */
	const int *rewrite; /* rewrite[sig]: what sig is forwarded as, 0: dropped;
	                       NULL: as received */
	pid_t self;	    /* the init's own pid: its self-raised signals stay */
};

/* Forward every signal to the main child, reap on SIGCHLD, until the main
 * child has exited. Sleeps in sigtimedwait with no timeout unless a grace
 * period is running. Never exits the process on an error: it warns and keeps
 * reaping, because a PID 1 that exits takes the container with it. */
void supervise(struct children *c, const struct supervise_plan *plan);

#endif

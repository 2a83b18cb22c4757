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
	bool pid1;	    /* the init cannot stop itself: it reports a stopped service */
	bool tty;	    /* the service leads the terminal's foreground group */
	int first_signal;   /* forwarded before anything else (a parent that died
			       before --pdeathsig was set); 0: none */
};

/* Forward every signal meant for the service (signal_for_service) to the
 * main child, reap on SIGCHLD, until the main child has exited. Job control
 * (STOP, TSTP, TTIN, TTOU, CONT) goes to the service's whole process group;
 * without a TTY, a TSTP, TTIN or TTOU the service does not handle goes as
 * SIGSTOP, since the kernel drops it in an orphaned group; when the
 * service stops, the init stops itself too, so whoever runs it
 * sees the job stopped (as PID 1, which cannot stop, it says so on stderr);
 * a SIGCONT that resumes it is forwarded and, on a TTY, hands the terminal
 * back to the service. Sleeps in sigtimedwait with no timeout unless a
 * grace period is running. Never exits the process on an error: it warns
 * and keeps reaping, because a PID 1 that exits takes the container with
 * it. */
void supervise(struct children *c, const struct supervise_plan *plan);

#endif

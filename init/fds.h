/* Inherited file descriptors: what a runtime leaks into PID 1 never reaches
 * the service. A leaked host fd is a way out of the container (runc's
 * CVE-2024-21626 was a leaked directory fd), so every fd above 2 is closed
 * first thing, except the ones passed on purpose: socket activation's
 * LISTEN_FDS (when LISTEN_PID names lucid-init) and --keep-fds N. */
#ifndef LUCID_INIT_FDS_H
#define LUCID_INIT_FDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/fmt.h"

#define MAX_KEEP_FDS 65536u /* --keep-fds and LISTEN_FDS */

struct fd_plan {
	unsigned keep;	 /* fds 3 .. keep+2 stay open */
	bool listen_pid; /* LISTEN_PID named lucid-init: the service gets its own */
};

/* The plan from --keep-fds and the environment: LISTEN_PID=self with
 * LISTEN_FDS=N keeps max(N, keep_fds) fds. A LISTEN_FDS that is not a count
 * keeps none of them: a warning is written into `warn` (empty otherwise). */
void fds_plan(unsigned keep_fds, char *const envp[], pid_t self, struct fd_plan *plan, struct buf *warn);

/* Close every fd above 2 that the plan does not keep: close_range(2), or
 * where the kernel or a runtime's filter refuses it, each fd listed in
 * /proc/self/fd, or without /proc each fd up to RLIMIT_NOFILE. 0, or -1
 * with errno when the fds could not even be found. */
int fds_close_inherited(const struct fd_plan *plan);

/* In the service, before exec: LISTEN_PID=its own pid. 0, or -1. */
int fds_set_listen_pid(void);

#endif

/* Starting the service: the child's setup, in the order that matters. */
#ifndef LUCID_INIT_SPAWN_H
#define LUCID_INIT_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/bpfblob.h"
#include "init/signals.h"

struct spawn_plan {
	char **argv;
	const struct saved_signals *saved; /* what the service gets back */
	bool tty;			   /* stdin is a terminal: foreground group */
	bool listen_pid;		   /* socket activation: LISTEN_PID becomes the service's */
	/* Runs in the parent right after fork, while the child sets itself up;
	 * the child execs only after it returned 0 (lucid-init confines itself
	 * here, so no service ever sees an unconfined PID 1). -1 (reason
	 * logged): the child is killed before it execs, SPAWN_SETUP_FAILED. */
	int (*parent_ready)(void);
	/* The service's seccomp filter, installed last, right before execve,
	 * after no_new_privs and after the privilege drop (which lucid-init
	 * made before forking), so it need not allow setuid or capset; NULL:
	 * none. */
	const struct bpfblob *filter;
	/* The signals lucid-init waits for (blocked): while it waits for the
	 * child's report, they are forwarded to the child, so a start that
	 * hangs can still be stopped. */
	const sigset_t *waitset;
};

enum spawn_result {
	SPAWN_OK,	    /* the service is running as *pid */
	SPAWN_SETUP_FAILED, /* a step before execve failed; nothing ran (exit 111) */
	SPAWN_NOT_FOUND,    /* execve: no such file (exit 127) */
	SPAWN_NOT_EXEC,	    /* execve failed otherwise (exit 126) */
};

/* Call with SIGPIPE blocked (signals_take_over blocks it): a child gone
 * before it read its go byte makes that write EPIPE, not a signal.
 * Fork and, in the child (already dropped, by the caller, before the fork):
 * own process group (foreground on a TTY) or new session; signal mask
 * restored; LISTEN_PID (socket activation); no_new_privs; wait for the parent's go; the seccomp
 * filter; execvp. A close-on-exec
 * pipe reports any failure back, so this returns only once the service
 * really runs or really failed; on failure the one-line reason has been
 * logged and the child reaped. */
enum spawn_result spawn_service(const struct spawn_plan *plan, pid_t *pid);

/* What the child reports when a step fails: the step and its errno. */
struct child_failure {
	char step[56];
	int err;
};

/* The child's side of spawn_service, its own entry for the unit tests:
 * the steps above in order, then execvp. Any failure is written to
 * report_fd as a struct child_failure, and the child exits 111 without
 * running the service. Never returns. */
_Noreturn void spawn_child(const struct spawn_plan *plan, int report_fd, int go_fd);

#endif

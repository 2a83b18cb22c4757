#include "init/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/exits.h"
#include "common/io.h"
#include "common/log.h"
#include "init/fds.h"
#include "init/filter.h"
#include "init/sys.h"

static void copy_step(char *dst, size_t size, const char *step)
{
	size_t n = strnlen(step, size - 1);

	memcpy(dst, step, n);
	dst[n] = '\0';
}

void spawn_child(const struct spawn_plan *plan, int fd, int go)
{
	struct child_failure f;
	const char *step = NULL;

	memset(&f, 0, sizeof f);
	if (plan->tty) {
		/* Own group in the foreground, so Ctrl-C reaches the service. */
		/* tcsetpgrp from a background group raises SIGTTOU, which
		 * would stop us: it is still blocked here (signals_take_over),
		 * which the terminal takes as ignored, and signals_restore
		 * unblocks it only afterwards. */
		if (sys_setpgid(0, 0) < 0)
			step = "setpgid";
		else if (sys_tcsetpgrp(STDIN_FILENO, getpid()) < 0 && errno != ENOTTY)
			step = "tcsetpgrp";
	} else if (sys_setsid() < 0) {
		/* No controlling terminal: nothing to push input into (TIOCSTI). */
		step = "setsid";
	}
	if (!step && signals_restore(plan->saved) < 0)
		step = "restoring the signal mask";
	if (!step && plan->listen_pid && fds_set_listen_pid() < 0)
		step = "setting LISTEN_PID";
	if (!step && sys_prctl(PR_SET_NO_NEW_PRIVS, 1) < 0)
		step = "prctl(PR_SET_NO_NEW_PRIVS)";
	if (!step) {
		char byte;
		ssize_t n = fd_read(go, &byte, 1);
		if (n != 1) {
			step = "waiting for lucid-init";
			errno = n < 0 ? errno : EPIPE;
		}
	}
	/* Last: from here on only execve runs, whatever the filter allows. */
	if (!step && plan->filter && filter_install(plan->filter) < 0)
		step = "installing the seccomp filter";
	if (!step) {
		sys_execvp(plan->argv[0], plan->argv);
		step = "exec";
	}

	f.err = errno;
	copy_step(f.step, sizeof f.step, step);
	(void)write(fd, &f, sizeof f);
	sys_exit_child(EXIT_SETUP);
}

/* Read the child's report (EOF: execve closed the pipe, the service runs),
 * forwarding every signal that arrives meanwhile to the child, as supervise
 * will once it runs: a SIGTERM ends a start that hangs. SIGCHLD is left to
 * supervise's first reap. What read(2) returned. */
static ssize_t wait_for_report(int report, int sigfd, pid_t child, struct child_failure *f)
{
	for (;;) {
		struct pollfd fds[2] = { { .fd = report, .events = POLLIN }, { .fd = sigfd, .events = POLLIN } };
		if (fd_poll_forever(fds, 2) < 0)
			break; /* cannot poll: read, blocking */
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (fd_read(sigfd, &si, sizeof si) == (ssize_t)sizeof si &&
			    signal_for_service((int)si.ssi_signo, si.ssi_code, (pid_t)si.ssi_pid, getpid()))
				(void)sys_kill(child, (int)si.ssi_signo);
			continue;
		}
		if (fds[0].revents)
			break;
	}
	return fd_read(report, f, sizeof *f);
}

enum spawn_result spawn_service(const struct spawn_plan *plan, pid_t *pid)
{
	int report[2], go[2];
	struct child_failure f;

	if (sys_pipe2(report, O_CLOEXEC) < 0) {
		log_error("pipe: %s", strerror(errno));
		return SPAWN_SETUP_FAILED;
	}
	if (sys_pipe2(go, O_CLOEXEC) < 0) {
		log_error("pipe: %s", strerror(errno));
		close(report[0]);
		close(report[1]);
		return SPAWN_SETUP_FAILED;
	}
	*pid = sys_fork();
	if (*pid < 0) {
		log_error("fork: %s", strerror(errno));
		close(report[0]);
		close(report[1]);
		close(go[0]);
		close(go[1]);
		return SPAWN_SETUP_FAILED;
	}
	if (*pid == 0) {
		close(report[0]);
		close(go[1]);
		spawn_child(plan, report[1], go[0]);
	}
	close(report[1]);
	close(go[0]);
	/* Made before lucid-init filters itself, which then needs no signalfd4. */
	int sigfd = sys_signalfd(plan->waitset);
	if (sigfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		(void)sys_kill(*pid, SIGKILL);
		close(go[1]);
		close(report[0]);
		(void)wait_child(*pid, NULL);
		return SPAWN_SETUP_FAILED;
	}
	if (plan->parent_ready && plan->parent_ready() < 0) {
		/* The child is blocked on the go pipe: it has not exec'd. */
		(void)sys_kill(*pid, SIGKILL);
		close(go[1]);
		close(report[0]);
		close(sigfd);
		(void)wait_child(*pid, NULL);
		log_error("the service was not started");
		return SPAWN_SETUP_FAILED;
	}
	(void)write(go[1], "g", 1);
	close(go[1]);

	ssize_t n = wait_for_report(report[0], sigfd, *pid, &f);
	close(report[0]);
	close(sigfd);
	if (n == 0)
		return SPAWN_OK;

	int status;
	(void)wait_child(*pid, &status);
	if (n != (ssize_t)sizeof f) {
		log_error("service setup failed before exec (no report from the child)");
		return SPAWN_SETUP_FAILED;
	}
	f.step[sizeof f.step - 1] = '\0';
	if (strcmp(f.step, "exec") == 0) {
		log_error("exec %s: %s", plan->argv[0], strerror(f.err));
		return f.err == ENOENT || f.err == ENOTDIR ? SPAWN_NOT_FOUND : SPAWN_NOT_EXEC;
	}
	log_error("%s: %s; the service was not started", f.step, strerror(f.err));
	return SPAWN_SETUP_FAILED;
}

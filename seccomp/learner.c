/* lucid-seccomp learn: run COMMAND under a filter that notifies the learner
 * of every syscall, record it, let it continue; write the profile.
 *
 * How the listener reaches the learner. The child installs the filter
 * (SECCOMP_FILTER_FLAG_NEW_LISTENER), and from then on each of its syscalls
 * waits for an answer from whoever holds the listener: sending the listener
 * to the parent would wait for the parent to answer the send. So the filter
 * lets exactly one call through unnotified: sendmsg on the child's end of
 * the socket pair with an odd set of flags (LEARN_SEND_FLAGS). The child
 * closes that socket before it execs, so what COMMAND calls is all
 * notified; a later sendmsg with the same fd number and the same flags
 * would go unrecorded, and the profile would then deny it.
 *
 * clone3 gets ENOSYS from the learning filter, as from every lucid profile:
 * its flags are in memory no filter can read, so libc is made to fall back
 * to clone, whose flags are recorded.
 *
 * Why CONTINUE is not a bypass. Every filter stacked on a task runs on
 * every syscall, and the kernel takes the strongest action: KILL, TRAP and
 * ERRNO from any filter (the runtime's below the learner's, lucid-init's
 * above it) win over USER_NOTIF, so the learner is never asked about a call
 * another filter denies, and its CONTINUE only lets through what every
 * other filter allows. The exceptions are the two weaker actions, TRACE and
 * another supervisor's USER_NOTIF below (seccomp_unotify(2): the newest
 * notifying filter is the one asked): do not learn under a ptrace-based or
 * notifier-based sandbox. The learner enforces nothing, so the TOCTOU of
 * notifications (a pointer argument rewritten while the call waits) can
 * only make the record wrong, never let anything through. */
#include "seccomp/learner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common/exits.h"
#include "common/fmt.h"
#include "common/forwarding.h"
#include "common/io.h"
#include "common/log.h"
#include "common/procfs.h"
#include "seccomp/compile.h"
#include "seccomp/json.h"
#include "seccomp/learn.h"
#include "seccomp/output.h"

/* Linux 6.6's, for builds against older headers (Debian 12's, for clang). */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* lucid is built for x86_64 and aarch64 only (build.zig). */
#if defined(__aarch64__)
#define LEARN_NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#define LEARN_NATIVE_ARCH AUDIT_ARCH_X86_64
#endif
#define LEARN_PROFILES_DIR "/usr/share/lucid/seccomp"

/* The one unnotified sendmsg: flags no program combines this way. */
#define LEARN_SEND_FLAGS (MSG_DONTWAIT | MSG_EOR | MSG_NOSIGNAL | MSG_CONFIRM)
#define ARG_LOW(i) (offsetof(struct seccomp_data, args) + sizeof(uint64_t) * (size_t)(i)) /* little-endian */

enum { STAGE_FILTER = 1, STAGE_SEND, STAGE_EXEC };
struct child_error {
	int stage, err;
};

struct learner {
	const struct options *o;
	struct learned run;    /* this run */
	struct learned merged; /* --merge */
	int base_filters;      /* Seccomp_filters of a task under the learner's filter only */
	bool nested;	       /* some task stacked a filter of its own */
	pid_t child;
	uint64_t notified;
	void *req, *resp;
	struct sock_filter *base_insns; /* --base's filter, default action made USER_NOTIF */
	size_t nbase_insns;
	size_t req_size, resp_size;
};

static long sys_seccomp(unsigned op, unsigned flags, void *arg)
{
	return syscall(SYS_seccomp, op, flags, arg);
}

/* Seccomp_filters of PID from /proc, or -1. */
static int filters_of(pid_t pid)
{
	char path[PROCFS_PATH_MAX], text[4096];
	int n;

	if (file_read_small(procfs_path(path, sizeof path, pid, "status", NULL), text, sizeof text) < 0 ||
	    procfs_int_field(text, "Seccomp_filters", &n) < 0)
		return -1;
	return n;
}

static void child_fail(int fd, int stage, int err)
{
	struct child_error e = { stage, err };

	(void)write_all(fd, &e, sizeof e);
	_exit(stage == STAGE_EXEC ? (err == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE) : EXIT_SETUP);
}

/* The learning filter: clone3 gets ENOSYS, the one sendmsg passes, and
 * then BASE (N instructions: --base's filter with its default action made
 * USER_NOTIF), or USER_NOTIF for everything. malloc'd; its length in *LEN. */
static struct sock_filter *learning_filter(int sock, const struct sock_filter *base, size_t n, size_t *len)
{
	const struct sock_filter prefix[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LEARN_NATIVE_ARCH, 0, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sock, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LEARN_SEND_FLAGS, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* everything else: into BASE */
	};
	const struct sock_filter notify = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	const size_t np = sizeof(prefix) / sizeof(prefix[0]);
	struct sock_filter *prog;

	if (!base) {
		base = &notify;
		n = 1;
	}
	prog = malloc((np + n) * sizeof(*prog));
	if (!prog)
		return NULL;
	memcpy(prog, prefix, sizeof prefix);
	memcpy(prog + np, base, n * sizeof(*prog));
	*len = np + n;
	return prog;
}

/* In the child: the filter, the listener to the parent, COMMAND. */
static void child_run(int sock, int errfd, const sigset_t *mask, struct sock_fprog prog, char *const *argv)
{
	char cmsgbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'L';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsgbuf, .msg_controllen = sizeof cmsgbuf
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	long listener;

	if (sigprocmask(SIG_SETMASK, mask, NULL) < 0)
		child_fail(errfd, STAGE_FILTER, errno);
	listener = sys_seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0 && errno == EACCES) {
		/* Without CAP_SYS_ADMIN a filter needs no_new_privs, as lucid-init sets anyway. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(errfd, STAGE_FILTER, errno);
		listener = sys_seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	}
	if (listener < 0)
		child_fail(errfd, STAGE_FILTER, errno);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &(int){ (int)listener }, sizeof(int));
	if (sendmsg(sock, &msg, LEARN_SEND_FLAGS) != 1)
		_exit(EXIT_SETUP); /* the parent sees the socket close without a listener */
	/* From here on every call is notified and answered. */
	close((int)listener);
	close(sock);
	execvp(argv[0], argv);
	child_fail(errfd, STAGE_EXEC, errno);
}

/* The listener from the child, or -1 (then the child said why, or died). */
static int receive_listener(int sock)
{
	char cmsgbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsgbuf, .msg_controllen = sizeof cmsgbuf
	};
	struct cmsghdr *cmsg;
	struct timeval timeout = { 10, 0 };
	int fd;

	(void)setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
	return fd;
}

static const char *stage_text(int stage)
{
	return stage == STAGE_FILTER ? "installing the learning filter" : "executing the command";
}

/* One notification: record it, let it continue. 0, or -1 when the kernel
 * cannot continue a notified call (said). */
static int answer(struct learner *L, int listener)
{
	struct seccomp_notif *req = L->req;
	struct seccomp_notif_resp *resp = L->resp;
	size_t arch;

	memset(req, 0, L->req_size);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return 0; /* ENOENT: the task died or its call was interrupted */
	L->notified++;
	arch = arch_index_of_audit(req->data.arch);
	if (arch == ARCH_NONE) {
		L->run.foreign++;
	} else if (learn_is_new(&L->run, arch, req->data.nr, (const uint64_t *)req->data.args, LEARN_SERVICE)) {
		/* Which phase: the task is under a filter of its own, or not yet. */
		int n = L->base_filters > 0 ? filters_of((pid_t)req->pid) : -1;
		unsigned phase = LEARN_SERVICE;

		if (n > L->base_filters)
			L->nested = true;
		else if (n == L->base_filters)
			phase = LEARN_INIT;
		learn_record(&L->run, arch, req->data.nr, (const uint64_t *)req->data.args, phase);
	}
	memset(resp, 0, L->resp_size);
	resp->id = req->id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno == EINVAL) {
		log_error("learn: the kernel cannot let a notified syscall continue (Linux 5.5 or later is needed)");
		return -1;
	}
	return 0;
}

/* Write what was learned (and merged) to -o, atomically for a regular file.
 * 0, or -1 (said). */
static int write_profile(struct learner *L, bool final)
{
	static struct learned out;
	struct learn_counts counts;
	struct report r = { 0 };
	char *text;
	int rc;

	memset(&out, 0, sizeof out);
	if (learn_init(&out) < 0) {
		log_error("learn: out of memory");
		return -1;
	}
	learn_add(&out, &L->merged, false);
	learn_add(&out, &L->run, !L->nested);
	text = learn_write(&out, &counts);
	learn_free(&out);
	if (!text) {
		log_error("learn: out of memory");
		return -1;
	}
	rc = output_file(L->o->out, text, strlen(text), &r);
	free(text);
	if (rc < 0) {
		log_error("learn: %s", r.error);
		return -1;
	}
	log_info(
		"learn: %zu syscalls for the service, %zu with the runtime's and lucid-init's, in %zu rules, from %llu "
		"notified calls%s, written to %s",
		counts.service, counts.all, counts.rules, (unsigned long long)L->notified, final ? "" : " so far",
		L->o->out);
	return 0;
}

/* --base PROFILE: a path, or a shipped profile's name in
 * /usr/share/lucid/seccomp (where the stage image keeps them). */
static const char *base_path(const char *base, char *mem, size_t size)
{
	struct buf b;

	if (strchr(base, '/') || strstr(base, ".json"))
		return base;
	buf_init(&b, mem, size);
	buf_fmt(&b, "%s/%s.json", LEARN_PROFILES_DIR, base);
	return buf_truncated(&b) ? base : mem;
}

/* --base: its entries into the output, and its filter for this arch with
 * the default action (what it does not allow) made USER_NOTIF: what the
 * base allows runs without a notification, what it kills or fails with
 * ENOSYS still does. 0, or the exit code (said). */
static int load_base(struct learner *L)
{
	static const struct build_context runtime = { .runtime = true };
	static struct profile p;
	struct filter f = { 0 };
	struct report r = { 0 };
	char mem[512], *text;
	const char *path = base_path(L->o->base, mem, sizeof mem);
	size_t len;
	int rc = EXIT_INVALID;

	if (json_read_file(path, &text, &len, &r) < 0) {
		log_error("learn: --base %s", r.error);
		return EXIT_INVALID;
	}
	memset(&p, 0, sizeof p);
	if (learn_add_base(&L->merged, path, text, len, &r) < 0 ||
	    profile_load(&p, path, text, len, &arch_targets[arch_index_of_audit(LEARN_NATIVE_ARCH)], &runtime) < 0 ||
	    compile_filter(&p, &f, &p.report) < 0) {
		log_error("learn: --base %s", r.error[0] ? r.error : p.report.error);
		goto out;
	}
	for (uint32_t i = 0; i < f.count; i++)
		if (f.insns[i].code == (BPF_RET | BPF_K) && f.insns[i].k == p.default_action)
			f.insns[i].k = SECCOMP_RET_USER_NOTIF;
	L->base_insns = f.insns;
	L->nbase_insns = f.count;
	f.insns = NULL;
	rc = 0;
out:
	filter_free(&f);
	profile_free(&p);
	free(text);
	return rc;
}

/* The output is writable, the --merge profile is one learn wrote. 0, or
 * the exit code (said). */
static int prepare(struct learner *L)
{
	char *text;
	struct report r = { 0 };
	size_t len;
	int code;

	if (learn_init(&L->run) < 0 || learn_init(&L->merged) < 0) {
		log_error("learn: out of memory");
		return EXIT_SETUP;
	}
	if (L->o->base && (code = load_base(L)) != 0)
		return code;
	for (size_t i = 0; i < L->o->nmerges; i++) {
		int rc = json_read_file(L->o->merges[i], &text, &len, &r);

		if (rc == 0) {
			rc = learn_merge(&L->merged, L->o->merges[i], text, len, &r);
			free(text);
		}
		if (rc < 0) {
			log_error("learn: --merge %s", r.error);
			return EXIT_INVALID;
		}
	}
	if (output_check(L->o->out, &r) < 0) {
		log_error("learn: %s", r.error);
		return EXIT_SETUP;
	}
	return 0;
}

/* SECCOMP_RET_USER_NOTIF works here, and the buffers for its ioctls, sized
 * as the kernel says. 0, or -1 (said). */
static int check_notify(struct learner *L)
{
	uint32_t action = SECCOMP_RET_USER_NOTIF;
	struct seccomp_notif_sizes sizes;

	if (sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0 ||
	    sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		log_error("learn: seccomp user notification is not available here (%s): Linux 5.5 or later, "
			  "and not under qemu-user",
			  strerror(errno));
		return -1;
	}
	L->req_size =
		sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif : sizeof(struct seccomp_notif);
	L->resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ? sizes.seccomp_notif_resp
										    : sizeof(struct seccomp_notif_resp);
	L->req = calloc(1, L->req_size);
	L->resp = calloc(1, L->resp_size);
	if (!L->req || !L->resp) {
		log_error("learn: out of memory");
		return -1;
	}
	return 0;
}

static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The learner's loop: answer notifications, forward signals, write a
 * snapshot on SIGUSR2, reap; until COMMAND exits. Its status, as an exit code. */
static int supervise(struct learner *L, int listener, int sigfd)
{
	struct pollfd fds[2] = { { listener, POLLIN, 0 }, { sigfd, POLLIN, 0 } };

	for (;;) {
		struct signalfd_siginfo si;

		if (fd_poll_forever(fds, 2) < 0) {
			log_error("learn: poll: %s", strerror(errno));
			return EXIT_SETUP;
		}
		if (fds[0].revents & POLLIN) {
			if (answer(L, listener) < 0) {
				kill(L->child, SIGKILL);
				return EXIT_SETUP;
			}
		} else if (fds[0].revents & (POLLHUP | POLLERR)) {
			fds[0].fd = -1; /* no task is left under the filter */
		}
		if (!(fds[1].revents & POLLIN))
			continue;
		while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
			int status;
			pid_t pid;

			if (si.ssi_signo == SIGUSR2) {
				(void)write_profile(L, false);
			} else if (signal_for_service((int)si.ssi_signo, si.ssi_code, (pid_t)si.ssi_pid, getpid())) {
				kill(L->child, (int)si.ssi_signo);
			} else if (si.ssi_signo == SIGCHLD) {
				while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
					if (pid == L->child)
						return exit_code(status);
			}
		}
	}
}

int command_learn(const struct options *o)
{
	static struct learner L;
	sigset_t all, old;
	int sv[2], errpipe[2], listener, sigfd, code, status;
	struct sock_filter *insns;
	size_t n_insns;
	struct child_error ce;

	L.o = o;
	if (!o->command_argv || !o->command_argv[0]) { /* --merge only */
		if ((code = prepare(&L)) != 0)
			return code;
		return write_profile(&L, true) < 0 ? EXIT_INVALID : 0;
	}
	if (check_notify(&L) < 0)
		return EXIT_SETUP;
	if ((code = prepare(&L)) != 0)
		return code;
	L.base_filters = filters_of(getpid());
	if (L.base_filters >= 0)
		L.base_filters++;
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, &old) < 0 || (sigfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(errpipe, O_CLOEXEC) < 0) {
		log_error("learn: setting up: %s", strerror(errno));
		return EXIT_SETUP;
	}
	insns = learning_filter(sv[1], L.base_insns, L.nbase_insns, &n_insns);
	if (!insns || n_insns > BPF_MAXINSNS) {
		log_error("learn: the learning filter: %s", insns ? "too long" : "out of memory");
		free(insns);
		return EXIT_SETUP;
	}
	L.child = fork();
	if (L.child < 0) {
		log_error("learn: fork: %s", strerror(errno));
		free(insns);
		return EXIT_SETUP;
	}
	if (L.child == 0) {
		close(sv[0]);
		close(errpipe[0]);
		child_run(sv[1], errpipe[1], &old, (struct sock_fprog){ (unsigned short)n_insns, insns },
			  o->command_argv);
	}
	free(insns); /* the child has its copy */
	close(sv[1]);
	close(errpipe[1]);
	listener = receive_listener(sv[0]);
	close(sv[0]);
	if (listener < 0) {
		kill(L.child, SIGKILL);
		wait_child(L.child, &status);
		if (read(errpipe[0], &ce, sizeof ce) == (ssize_t)sizeof ce)
			log_error("learn: %s: %s", stage_text(ce.stage), strerror(ce.err));
		else
			log_error("learn: the child never passed the listener on");
		return EXIT_SETUP;
	}
	/* Linux 6.6+: wake the notified task on this CPU, as a handoff
	 * (halves the round trip); older kernels refuse it, which is fine. */
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	code = supervise(&L, listener, sigfd);
	/* The run covered this arch, whether or not anything was notified (--base). */
	L.run.ran[arch_index_of_audit(LEARN_NATIVE_ARCH)] = true;
	if (read(errpipe[0], &ce, sizeof ce) == (ssize_t)sizeof ce) {
		log_error("learn: %s %s: %s", stage_text(ce.stage), o->command_argv[0], strerror(ce.err));
		return code;
	}
	if (write_profile(&L, true) < 0)
		return code == 0 ? EXIT_INVALID : code;
	return code;
}

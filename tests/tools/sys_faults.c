/* init/sys.c with faults injected, for tests/integration/faults.sh only
 * (never shipped: build.zig links it into zig-out/tests/.../lucid-init-faults).
 * LUCID_FAULT=NAME:N:ERRNO makes the Nth call (1-based, counted in each
 * process; a child starts from its parent's counts at fork) of the sys
 * seam's NAME (fork, pipe2, prctl, ...: the function name without "sys_")
 * fail with errno ERRNO instead of reaching the kernel. */
#include "init/sys.h"

#include <stdbool.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/parse.h"

/* Whether this call of NAME is the one to fail; errno set when it is. */
static bool inject(const char *name)
{
	static unsigned calls[32];
	static const char *names[32];
	static size_t n;
	const char *spec = getenv("LUCID_FAULT");
	size_t len = strlen(name), i;
	uint64_t nth, err;

	if (!spec || strncmp(spec, name, len) != 0 || spec[len] != ':')
		return false;
	for (i = 0; i < n && strcmp(names[i], name) != 0; i++)
		;
	if (i == n && n < 32)
		names[n++] = name;
	const char *a = spec + len + 1, *colon = strchr(a, ':');
	if (!colon || parse_u64_n(a, (size_t)(colon - a), 1000, &nth) < 0 || parse_u64(colon + 1, 4095, &err) < 0)
		return false;
	if (++calls[i] != nth)
		return false;
	errno = (int)err;
	return true;
}

pid_t sys_fork(void)
{
	if (inject("fork"))
		return -1;
	return fork();
}

pid_t sys_waitpid(pid_t pid, int *status, int options)
{
	if (inject("waitpid"))
		return -1;
	return waitpid(pid, status, options);
}

int sys_kill(pid_t pid, int sig)
{
	if (inject("kill"))
		return -1;
	return kill(pid, sig);
}

int sys_pidfd_open(pid_t pid)
{
	if (inject("pidfd_open"))
		return -1;
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	if (inject("pidfd_send_signal"))
		return -1;
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	if (inject("sigtimedwait"))
		return -1;
	return sigtimedwait(set, info, timeout);
}

int sys_signalfd(const sigset_t *set)
{
	if (inject("signalfd"))
		return -1;
	return signalfd(-1, set, SFD_CLOEXEC);
}

int sys_pipe2(int fds[2], int flags)
{
	if (inject("pipe2"))
		return -1;
	return pipe2(fds, flags);
}

int sys_close_range(unsigned first, unsigned last)
{
	if (inject("close_range"))
		return -1;
	return (int)syscall(SYS_close_range, first, last, 0);
}

int sys_setsid(void)
{
	if (inject("setsid"))
		return -1;
	return setsid() < 0 ? -1 : 0;
}

int sys_setpgid(pid_t pid, pid_t pgid)
{
	if (inject("setpgid"))
		return -1;
	return setpgid(pid, pgid);
}

int sys_tcsetpgrp(int fd, pid_t pgrp)
{
	if (inject("tcsetpgrp"))
		return -1;
	return tcsetpgrp(fd, pgrp);
}

int sys_execvp(const char *file, char *const argv[])
{
	if (inject("execvp"))
		return -1;
	return execvp(file, argv);
}

void sys_exit_child(int code)
{
	_exit(code);
}

int sys_prctl(int option, unsigned long arg)
{
	if (inject("prctl"))
		return -1;
	return prctl(option, arg, 0, 0, 0);
}

int sys_seccomp_filter(unsigned flags, const void *prog)
{
	if (inject("seccomp_filter"))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

int sys_capng_get_caps_process(void)
{
	if (inject("capng_get_caps_process"))
		return -1;
	return capng_get_caps_process();
}

int sys_capng_change_id(int uid, int gid, int flags)
{
	if (inject("capng_change_id"))
		return -1;
	return capng_change_id(uid, gid, (capng_flags_t)flags);
}

int sys_capng_apply(int select)
{
	if (inject("capng_apply"))
		return -1;
	return capng_apply((capng_select_t)select);
}

int sys_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	if (inject("getresuid"))
		return -1;
	return getresuid(r, e, s);
}

int sys_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	if (inject("getresgid"))
		return -1;
	return getresgid(r, e, s);
}

int sys_getgroups_count(void)
{
	if (inject("getgroups_count"))
		return -1;
	return getgroups(0, NULL);
}

#include "init/sys.h"

#include <cap-ng.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t sys_fork(void)
{
	return fork();
}

pid_t sys_waitpid(pid_t pid, int *status, int options)
{
	return waitpid(pid, status, options);
}

int sys_kill(pid_t pid, int sig)
{
	return kill(pid, sig);
}

int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	return sigtimedwait(set, info, timeout);
}

int sys_signalfd(const sigset_t *set)
{
	return signalfd(-1, set, SFD_CLOEXEC);
}

int sys_pipe2(int fds[2], int flags)
{
	return pipe2(fds, flags);
}

int sys_close_range(unsigned first, unsigned last)
{
	return (int)syscall(SYS_close_range, first, last, 0);
}

int sys_setsid(void)
{
	return setsid() < 0 ? -1 : 0;
}

int sys_setpgid(pid_t pid, pid_t pgid)
{
	return setpgid(pid, pgid);
}

int sys_tcsetpgrp(int fd, pid_t pgrp)
{
	return tcsetpgrp(fd, pgrp);
}

int sys_execvp(const char *file, char *const argv[])
{
	return execvp(file, argv);
}

void sys_exit_child(int code)
{
	_exit(code);
}

int sys_prctl(int option, unsigned long arg)
{
	return prctl(option, arg, 0, 0, 0);
}

int sys_seccomp_filter(unsigned flags, const void *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

int sys_capng_get_caps_process(void)
{
	return capng_get_caps_process();
}

int sys_capng_change_id(int uid, int gid, int flags)
{
	return capng_change_id(uid, gid, (capng_flags_t)flags);
}

int sys_capng_apply(int select)
{
	return capng_apply((capng_select_t)select);
}

int sys_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	return getresuid(r, e, s);
}

int sys_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	return getresgid(r, e, s);
}

int sys_getgroups_count(void)
{
	return getgroups(0, NULL);
}

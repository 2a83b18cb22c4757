#include "init/sys.h"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

int sys_seccomp_filter(unsigned flags, const void *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	return sigtimedwait(set, info, timeout);
}

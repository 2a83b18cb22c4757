#include "init/sys.h"

#include <sys/wait.h>

pid_t sys_waitpid(pid_t pid, int *status, int options)
{
	return waitpid(pid, status, options);
}

int sys_kill(pid_t pid, int sig)
{
	return kill(pid, sig);
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	return sigtimedwait(set, info, timeout);
}

/* Scripted stand-ins for init/sys.c. Each call takes its result from the
 * cmocka queue of the test that runs it:
 *   sys_waitpid       will_return_int(sys_waitpid, PID)  (0: none yet)
 *                     will_set_parameter_int(sys_waitpid, status, S) when PID > 0
 *                     will_set_errno(sys_waitpid, E) when PID is -1
 *   sys_kill          expect_int_value(sys_kill, pid/sig, ...) and will_return_int
 *   sys_sigtimedwait  will_return_int(sys_sigtimedwait, SIGNO)  (0: timed out)
 */
#include <cmocka.h>

#include <errno.h>

#include "init/sys.h"

pid_t sys_waitpid(pid_t pid, int *status, int options)
{
	(void)pid;
	(void)options;
	int r = mock_int();
	if (r > 0)
		*status = (int)mock_parameter_int(status);
	if (r < 0)
		mock_errno();
	return r;
}

int sys_kill(pid_t pid, int sig)
{
	check_expected_int(pid);
	check_expected_int(sig);
	int r = mock_int();
	if (r < 0)
		mock_errno();
	return r;
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	(void)set;
	(void)info;
	(void)timeout;
	int sig = mock_int();
	if (sig == 0) {
		errno = EAGAIN;
		return -1;
	}
	return sig;
}

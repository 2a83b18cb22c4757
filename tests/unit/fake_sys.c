/* Scripted stand-ins for init/sys.c. Each call takes its result from the
 * cmocka queue of the test that runs it:
 *   sys_waitpid       will_return_int(sys_waitpid, PID)  (0: none yet)
 *                     will_set_parameter_int(sys_waitpid, status, S) when PID > 0
 *                     will_set_errno(sys_waitpid, E) when PID is -1
 *   sys_kill          expect_int_value(sys_kill, pid/sig, ...) and will_return_int
 *   sys_seccomp_filter will_return_int(sys_seccomp_filter, R), will_set_errno when R < 0;
 *                     expect_uint_value(sys_seccomp_filter, flags, F)
 *   sys_pidfd_*       not scripted: ENOSYS, so the drain falls back to sys_kill
 *   sys_sigtimedwait  will_return_int(sys_sigtimedwait, SIGNO)  (0: timed out),
 *                     sent by FAKE_SENDER_PID with SI_USER; SIGNO | FAKE_SELF_RAISED:
 *                     sent by FAKE_SELF_PID (the init itself)
 */
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "fake_sys.h"
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

int sys_pidfd_open(pid_t pid)
{
	(void)pid;
	errno = ENOSYS;
	return -1;
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	(void)pidfd;
	(void)sig;
	errno = ENOSYS;
	return -1;
}

int sys_seccomp_filter(unsigned flags, const void *prog)
{
	(void)prog;
	check_expected_uint(flags);
	int r = mock_int();
	if (r < 0)
		mock_errno();
	return r;
}

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	(void)set;
	(void)timeout;
	int v = mock_int();
	int sig = v & ~FAKE_SELF_RAISED;
	if (sig == 0) {
		errno = EAGAIN;
		return -1;
	}
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = SI_USER;
	info->si_pid = v & FAKE_SELF_RAISED ? FAKE_SELF_PID : FAKE_SENDER_PID;
	return sig;
}

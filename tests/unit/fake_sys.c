/* Stand-ins for init/sys.c; see fake_sys.h. The cmocka-queued ones:
 *   sys_waitpid       will_return_int(sys_waitpid, PID)  (0: none yet)
 *                     will_set_parameter_int(sys_waitpid, status, S) when PID > 0
 *                     will_set_errno(sys_waitpid, E) when PID is -1
 *   sys_kill          expect_int_value(sys_kill, pid/sig, ...) and will_return_int
 *   sys_sigtimedwait  will_return_int(sys_sigtimedwait, SIGNO)  (0: timed out),
 *                     sent by FAKE_SENDER_PID with SI_USER; SIGNO | FAKE_SELF_RAISED:
 *                     sent by FAKE_SELF_PID (the init itself); SIGNO | FAKE_FAULT:
 *                     raised by the kernel as a fault (si_code 1)
 *   sys_pidfd_*       not scripted: ENOSYS, so the drain falls back to sys_kill
 */
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "fake_sys.h"
#include "init/sys.h"

struct fake_sys fake;

void fake_reset(void)
{
	jmp_buf *keep = fake.exit_jump;

	memset(&fake, 0, sizeof fake);
	fake.exit_jump = keep;
	fake.uid[0] = fake.uid[1] = fake.uid[2] = 65532;
	fake.gid[0] = fake.gid[1] = fake.gid[2] = 65532;
}

void fake_fail(enum fake_call c, unsigned nth, int e)
{
	fake.fail[c] = e;
	fake.fail_at[c] = nth;
}

/* Count the call; true (errno set) when this one is to fail. */
static bool fails(enum fake_call c)
{
	fake.calls[c]++;
	if (fake.fail[c] && fake.calls[c] == fake.fail_at[c]) {
		errno = fake.fail[c];
		return true;
	}
	return false;
}

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

int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	(void)set;
	(void)timeout;
	int v = mock_int();
	int sig = v & ~(FAKE_SELF_RAISED | FAKE_FAULT);
	if (sig == 0) {
		errno = EAGAIN;
		return -1;
	}
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = v & FAKE_FAULT ? 1 : SI_USER;
	info->si_pid = v & FAKE_SELF_RAISED ? FAKE_SELF_PID : v & FAKE_FAULT ? 0 : FAKE_SENDER_PID;
	return sig;
}

pid_t sys_fork(void)
{
	return fails(FAKE_FORK) ? -1 : fake.fork_result;
}

int sys_pipe2(int fds[2], int flags)
{
	return fails(FAKE_PIPE2) ? -1 : pipe2(fds, flags);
}

/* Records the range; closes nothing of the test process. */
int sys_close_range(unsigned first, unsigned last)
{
	fake.close_first = first;
	fake.close_last = last;
	return fails(FAKE_CLOSE_RANGE) ? -1 : 0;
}

int sys_signalfd(const sigset_t *set)
{
	return fails(FAKE_SIGNALFD) ? -1 : signalfd(-1, set, SFD_CLOEXEC);
}

int sys_setsid(void)
{
	return fails(FAKE_SETSID) ? -1 : 0;
}

int sys_setpgid(pid_t pid, pid_t pgid)
{
	(void)pid;
	(void)pgid;
	return fails(FAKE_SETPGID) ? -1 : 0;
}

int sys_tcsetpgrp(int fd, pid_t pgrp)
{
	(void)fd;
	(void)pgrp;
	return fails(FAKE_TCSETPGRP) ? -1 : 0;
}

int sys_execvp(const char *file, char *const argv[])
{
	(void)file;
	(void)argv;
	if (!fails(FAKE_EXECVP))
		errno = ENOENT; /* "ran": the test sees calls[FAKE_EXECVP] */
	return -1;
}

void sys_exit_child(int code)
{
	if (!fake.exit_jump)
		fail_msg("sys_exit_child(%d) without a test to jump back to", code);
	longjmp(*fake.exit_jump, code + 1);
}

int sys_prctl(int option, unsigned long arg)
{
	(void)arg;
	if (fake.calls[FAKE_PRCTL] < 16)
		fake.prctl_options[fake.calls[FAKE_PRCTL]] = option;
	return fails(FAKE_PRCTL) ? -1 : 0;
}

int sys_seccomp_filter(unsigned flags, const void *prog)
{
	(void)prog;
	if (fails(FAKE_SECCOMP))
		return -1;
	if (flags & fake.seccomp_refuses) {
		errno = EINVAL;
		return -1;
	}
	fake.seccomp_flags = flags;
	return 0;
}

int sys_capng_get_caps_process(void)
{
	return fails(FAKE_CAPNG_GET) ? -1 : 0;
}

int sys_capng_change_id(int uid, int gid, int flags)
{
	(void)flags;
	if (fails(FAKE_CAPNG_CHANGE_ID))
		return -1;
	if (fake.change_id_result || fake.change_id_lies)
		return fake.change_id_result;
	fake.uid[0] = fake.uid[1] = fake.uid[2] = (uid_t)uid;
	fake.gid[0] = fake.gid[1] = fake.gid[2] = (gid_t)gid;
	return 0;
}

int sys_capng_apply(int select)
{
	(void)select;
	return fails(FAKE_CAPNG_APPLY) ? -1 : 0;
}

int sys_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	if (fails(FAKE_GETRESUID))
		return -1;
	*r = fake.uid[0], *e = fake.uid[1], *s = fake.uid[2];
	return 0;
}

int sys_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	if (fails(FAKE_GETRESGID))
		return -1;
	*r = fake.gid[0], *e = fake.gid[1], *s = fake.gid[2];
	return 0;
}

int sys_getgroups_count(void)
{
	return fails(FAKE_GETGROUPS) ? -1 : fake.groups;
}

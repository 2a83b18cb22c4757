/* The thin seam between lucid-init's logic and the kernel: the calls whose
 * outcomes unit tests need to script (tests/unit/fake_sys.c). Production
 * links init/sys.c, which only forwards. */
#ifndef LUCID_INIT_SYS_H
#define LUCID_INIT_SYS_H

#include <signal.h>
#include <sys/types.h>
#include <time.h>

pid_t sys_waitpid(pid_t pid, int *status, int options);
int sys_kill(pid_t pid, int sig);
/* pidfd_open(2) and pidfd_send_signal(2), Linux 5.3 and 5.1; -1 with ENOSYS
 * on older kernels. */
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int pidfd, int sig);
/* sigtimedwait(2); a NULL timeout waits without limit. */
/* seccomp(2) SECCOMP_SET_MODE_FILTER with flags and a classic BPF program. */
int sys_seccomp_filter(unsigned flags, const void *prog);
int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);

#endif

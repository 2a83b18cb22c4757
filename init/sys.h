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
/* sigtimedwait(2); a NULL timeout waits without limit. */
int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);

#endif

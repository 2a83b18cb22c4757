/* The thin seam between lucid-init's logic and the kernel: every call whose
 * failure decides whether the service may start, and the ones unit tests
 * need to script (tests/unit/fake_sys.c). Production links init/sys.c,
 * which only forwards. */
#ifndef LUCID_INIT_SYS_H
#define LUCID_INIT_SYS_H

#include <signal.h>
#include <sys/types.h>
#include <time.h>

/* Processes and signals */
pid_t sys_fork(void);
pid_t sys_waitpid(pid_t pid, int *status, int options);
int sys_kill(pid_t pid, int sig);
/* pidfd_open(2) and pidfd_send_signal(2), Linux 5.3 and 5.1; -1 with ENOSYS
 * on older kernels. */
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int pidfd, int sig);
/* sigtimedwait(2); a NULL timeout waits without limit. */
int sys_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);
int sys_signalfd(const sigset_t *set); /* a new close-on-exec signalfd */
int sys_pipe2(int fds[2], int flags);
/* close_range(2) of first..last, Linux 5.9; -1 with ENOSYS before. */
int sys_close_range(unsigned first, unsigned last);

/* The child's steps before it becomes the service */
int sys_setsid(void);
int sys_setpgid(pid_t pid, pid_t pgid);
int sys_tcsetpgrp(int fd, pid_t pgrp);
int sys_execvp(const char *file, char *const argv[]);
_Noreturn void sys_exit_child(int code); /* _exit(2) */

/* Confinement */
int sys_prctl(int option, unsigned long arg);
/* seccomp(2) SECCOMP_SET_MODE_FILTER with flags and a classic BPF program. */
int sys_seccomp_filter(unsigned flags, const void *prog);

/* The privilege drop: libcap-ng's calls that change or read this process,
 * and what the kernel then reports. */
int sys_capng_get_caps_process(void);
int sys_capng_change_id(int uid, int gid, int flags);
int sys_capng_apply(int select);
int sys_getresuid(uid_t *r, uid_t *e, uid_t *s);
int sys_getresgid(gid_t *r, gid_t *e, gid_t *s);
int sys_getgroups_count(void);

#endif

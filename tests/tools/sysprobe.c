/* sysprobe NAME...: attempt each syscall with arguments that cannot change
 * anything (bad fds, NULL pointers, invalid flag combinations) and print
 * "NAME RESULT" per line, RESULT being "ok" or the errno's name (EPERM,
 * ENOSYS, ...). Under a seccomp filter, EPERM/ENOSYS from the filter differ
 * from the kernel's own EBADF/EINVAL/EFAULT, which mean "allowed".
 * A KILL action ends the probe on that name (the line before it is printed).
 * Exit: 0 all probed, 100 an unknown or unsupported NAME. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/io.h"
#include "common/fmt.h"

struct probe {
	const char *name;
	long nr;
	long args[6];
};

#define P(name, ...)                \
	{                           \
#name, SYS_##name,  \
		{                   \
			__VA_ARGS__ \
		}                   \
	}

static const struct probe probes[] = {
	P(read, -1, 0, 0),
	P(write, -1, 0, 0),
	P(close, -1),
	P(getpid, 0),
	P(openat, AT_FDCWD, (long)"", O_RDONLY | O_CLOEXEC),
	P(futex, 0, 1 /* FUTEX_WAKE */, 0),
	P(epoll_pwait, -1, 0, 1, 0, 0, 8),
	P(clock_gettime, -1, 0),
	P(faccessat2, AT_FDCWD, (long)"", 0, 0),
	P(openat2, AT_FDCWD, 0, 0, 0),
	P(mount, 0, 0, 0, 0, 0),
	P(umount2, (long)"", 0),
	P(unshare, -1),
	P(setns, -1, 0),
	P(ptrace, -1, 0, 0, 0),
	P(bpf, -1, 0, 0),
	P(keyctl, -1, 0, 0, 0, 0),
	P(add_key, 0, 0, 0, 0, 0),
	P(request_key, 0, 0, 0, 0),
	P(perf_event_open, 0, 0, -1, -1, 0),
	P(io_uring_setup, 0, 0),
	P(userfaultfd, -1),
	P(open_by_handle_at, -1, 0, 0),
	P(personality, 0xffffffff),
	P(clone3, 0, 0), /* size 0: EINVAL from the kernel */
	/* CLONE_SIGHAND without CLONE_VM is EINVAL in the kernel, so nothing forks. */
	{ "clone", SYS_clone, { CLONE_SIGHAND, 0, 0, 0, 0, 0 } },
	{ "clone_newuser", SYS_clone, { CLONE_SIGHAND | CLONE_NEWUSER, 0, 0, 0, 0, 0 } },
	P(kexec_load, 0, 0, 0, 0),
	P(init_module, 0, 0, 0),
	P(delete_module, 0, 0),
	/* What only lucid-init and the runtime may call: all invalid (EINVAL,
	 * EFAULT) or no-ops when allowed. */
	P(setuid, -1),
	P(setgid, -1),
	P(setresuid, -1, -1, -1),
	P(setresgid, -1, -1, -1),
	P(capset, 0, 0),
	P(seccomp, -1, 0, 0),
	{ "prctl_seccomp", SYS_prctl, { 22 /* PR_SET_SECCOMP */, 0, 0, 0, 0, 0 } },
	{ "prctl_name", SYS_prctl, { 16 /* PR_GET_NAME */, 0, 0, 0, 0, 0 } },
#ifdef SYS_mkdir
	P(mkdir, (long)"", 0),
#endif
};

static const char *errno_name(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },   { ENOSYS, "ENOSYS" },	    { EINVAL, "EINVAL" }, { EBADF, "EBADF" },
		{ EFAULT, "EFAULT" }, { ENOENT, "ENOENT" },	    { EACCES, "EACCES" }, { EIO, "EIO" },
		{ ESRCH, "ESRCH" },   { EOPNOTSUPP, "EOPNOTSUPP" }, { ENOMEM, "ENOMEM" }, { E2BIG, "E2BIG" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].e == e)
			return names[i].name;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		const struct probe *p = NULL;
		char mem[128];
		struct buf b;

		for (size_t j = 0; j < sizeof(probes) / sizeof(probes[0]); j++) {
			if (strcmp(argv[i], probes[j].name) == 0)
				p = &probes[j];
		}
		buf_init(&b, mem, sizeof(mem));
		if (!p) {
			buf_fmt(&b, "%s unsupported\n", argv[i]);
			rc = 100;
		} else {
			long ret =
				syscall(p->nr, p->args[0], p->args[1], p->args[2], p->args[3], p->args[4], p->args[5]);
			int e = errno;
			const char *name = ret < 0 ? errno_name(e) : "ok";

			if (name)
				buf_fmt(&b, "%s %s\n", p->name, name);
			else
				buf_fmt(&b, "%s errno%d\n", p->name, e);
		}
		if (write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0)
			return 1;
	}
	return rc;
}

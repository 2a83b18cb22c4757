/* A resolved profile (profile.h) into classic BPF with libseccomp, plus
 * lucid's ENOSYS prologue.
 *
 * ENOSYS for new syscalls (runc's approach, as a prologue): when the default
 * action is an ERRNO, the program starts with
 *     if (arch == target && nr > HIGHEST && nr < 0x40000000) return ERRNO(ENOSYS);
 * where HIGHEST is the highest target-arch number any applying rule names
 * (whatever its action). A syscall newer than everything the profile knows
 * about (clone3, faccessat2, openat2 on an older profile, or one newer than
 * libseccomp itself) then fails with ENOSYS, and libc falls back to the old
 * call instead of giving up on EPERM. 0x40000000 is x86_64's x32 bit: those
 * numbers stay with libseccomp's program, which treats them as a bad arch.
 * The prologue covers the target arch only; sub-architectures (x86, x32,
 * arm), which lucid's profiles do not enable, get the default action.
 * clone3 below HIGHEST but not named by the profile is mapped to
 * ERRNO(ENOSYS) by a libseccomp rule, so glibc's clone3 → clone fallback works. */
#ifndef LUCID_SECCOMP_COMPILE_H
#define LUCID_SECCOMP_COMPILE_H

#include <stdint.h>
#include <linux/filter.h>

#include "seccomp/profile.h"

/* Profiles naming more syscalls than this get libseccomp's binary tree. */
#define COMPILE_TREE_THRESHOLD 32
#define COMPILE_MAX_COMBINATIONS 256
/* Rules handed to libseccomp for a whole profile (combinations x syscalls). */
#define COMPILE_MAX_RULES 2048u

struct filter {
	uint32_t audit_arch;
	uint32_t flags; /* SECCOMP_FILTER_FLAG_* for the loader */
	uint32_t count;
	uint32_t prologue; /* instructions of the ENOSYS prologue, 0 if none */
	struct sock_filter *insns;
};

/* P's filter in *OUT. 0, or -1 with the reason in R. */
int compile_filter(const struct profile *p, struct filter *out, struct report *r);

/* libseccomp's pseudo-filter code for P on FD, after a description of the
 * ENOSYS prologue. 0 or -1 with the reason in R. */
int compile_explain(const struct profile *p, int fd, struct report *r);

void filter_free(struct filter *f);

#endif

/* The two architectures lucid-seccomp compiles for, and the profile
 * spellings of architectures (SCMP_ARCH_*, Go's GOARCH). */
#ifndef LUCID_SECCOMP_ARCH_H
#define LUCID_SECCOMP_ARCH_H

#include <stddef.h>
#include <stdint.h>

struct target_arch {
	const char *name;      /* --arch spelling and libseccomp's: "x86_64" */
	const char *goarch;    /* Docker's includes/excludes "arches": "amd64" */
	const char *scmp_name; /* "SCMP_ARCH_X86_64" */
	uint32_t token;	       /* libseccomp's SCMP_ARCH_X86_64 */
	uint32_t audit;	       /* AUDIT_ARCH_X86_64, what seccomp_data.arch holds */
	/* Sub-architectures whose syscalls the same kernel runs (x86, x32 on
	 * x86_64; arm on aarch64): the only extra arches a filter may carry. */
	uint32_t compat[2];
};

extern const struct target_arch arch_targets[2];

/* "x86_64"/"amd64" or "aarch64"/"arm64"; NULL for anything else. */
const struct target_arch *arch_by_name(const char *name);

/* The index in arch_targets of the arch whose seccomp_data.arch is AUDIT,
 * or ARCH_NONE (a sub-architecture, or another machine). */
#define ARCH_NONE ((size_t)-1)
size_t arch_index_of_audit(uint32_t audit);

/* libseccomp's token for an OCI name such as "SCMP_ARCH_PPC64LE", 0 if unknown. */
uint32_t arch_token_from_scmp(const char *scmp_name);

#endif

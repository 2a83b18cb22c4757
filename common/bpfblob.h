/* The LUCIDBPF file: one compiled seccomp filter plus what the loader needs
 * beside the BPF. Written by lucid-seccomp, embedded in lucid-init.
 *
 * Layout, every integer little-endian (both targets are):
 *   off  size  field
 *     0     8  magic "LUCIDBPF"
 *     8     4  format version (BPFBLOB_VERSION)
 *    12     4  AUDIT_ARCH_* of the target (AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64)
 *    16     4  flags for seccomp(SECCOMP_SET_MODE_FILTER, flags, ...):
 *              SECCOMP_FILTER_FLAG_TSYNC | _LOG | _SPEC_ALLOW only
 *    20     4  instruction count N, 1..BPFBLOB_MAX_INSNS
 *    24   8*N  struct sock_filter[N] (u16 code, u8 jt, u8 jf, u32 k)
 * The file is exactly 24 + 8*N bytes long. */
#ifndef LUCID_BPFBLOB_H
#define LUCID_BPFBLOB_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#define BPFBLOB_MAGIC "LUCIDBPF"
#define BPFBLOB_VERSION 1u
#define BPFBLOB_HEADER_SIZE 24u
#define BPFBLOB_MAX_INSNS 4096u /* BPF_MAXINSNS */
/* SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW */
#define BPFBLOB_KNOWN_FLAGS 0x7u

struct bpfblob {
	uint32_t version;
	uint32_t arch;	/* AUDIT_ARCH_* */
	uint32_t flags; /* SECCOMP_FILTER_FLAG_* */
	uint32_t count;
	const struct sock_filter *insns; /* points into the parsed data */
};

/* The AUDIT_ARCH_* of the machine this code is compiled for (0 if neither
 * x86_64 nor aarch64). */
uint32_t bpfblob_native_arch(void);

/* Validate DATA (LEN bytes, 4-byte aligned) as a LUCIDBPF file for ARCH:
 * magic, version, arch, flags, count, exact length, and a seccomp-safe
 * program (known opcodes, seccomp_data loads in bounds, jumps in range,
 * ending in a return). 0 and *OUT filled, or -1 with errno EINVAL (malformed
 * or misaligned), EPROTO (other version) or EXDEV (other arch). */
int bpfblob_parse_arch(const void *data, size_t len, uint32_t arch, struct bpfblob *out);

/* bpfblob_parse_arch for the arch this code runs on. */
int bpfblob_parse(const void *data, size_t len, struct bpfblob *out);

/* Encode a LUCIDBPF file into OUT (capacity CAP). Returns its size, or 0
 * when COUNT is out of range or CAP is too small. */
size_t bpfblob_encode(uint32_t arch, uint32_t flags, const struct sock_filter *insns, uint32_t count,
		      unsigned char *out, size_t cap);

#endif

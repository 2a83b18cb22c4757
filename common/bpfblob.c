/* The LUCIDBPF file format; see bpfblob.h for the layout. */
#include "common/bpfblob.h"

#include <errno.h>
#include <string.h>
#include <linux/audit.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "LUCIDBPF instructions are used in place: little-endian targets only"
#endif

/* struct seccomp_data: nr, arch, instruction_pointer, args[6]. */
#define SECCOMP_DATA_SIZE 64u

uint32_t bpfblob_native_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#else
	return 0;
#endif
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* The opcodes the kernel's seccomp_check_filter accepts, with their operand
 * limits; jumps must stay inside the program. */
static int insn_ok(const struct sock_filter *f, uint32_t pc, uint32_t count)
{
	uint32_t rest = count - pc - 1;

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return f->k < SECCOMP_DATA_SIZE && f->k % 4 == 0;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
		return 1;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return f->k < BPF_MEMWORDS;
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_MOD | BPF_K:
		return f->k != 0;
	/* NOLINTNEXTLINE(misc-redundant-expression): BPF_ADD and BPF_K are both 0, named as the kernel does */
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
		return 1;
	case BPF_ALU | BPF_LSH | BPF_K: /* the kernel refuses constant shifts of 32 or more */
	case BPF_ALU | BPF_RSH | BPF_K:
		return f->k < 32;
	case BPF_JMP | BPF_JA:
		return f->k < rest;
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return f->jt < rest && f->jf < rest;
	default:
		return 0;
	}
}

int bpfblob_parse_arch(const void *data, size_t len, uint32_t arch, struct bpfblob *out)
{
	const unsigned char *p = data;
	struct bpfblob b;

	if (!p || len < BPFBLOB_HEADER_SIZE || (uintptr_t)p % 4 != 0 || memcmp(p, BPFBLOB_MAGIC, 8) != 0) {
		errno = EINVAL;
		return -1;
	}
	b.version = get_le32(p + 8);
	b.arch = get_le32(p + 12);
	b.flags = get_le32(p + 16);
	b.count = get_le32(p + 20);
	if (b.version != BPFBLOB_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if (b.arch != arch || arch == 0) {
		errno = EXDEV;
		return -1;
	}
	if ((b.flags & ~BPFBLOB_KNOWN_FLAGS) != 0 || b.count == 0 || b.count > BPFBLOB_MAX_INSNS ||
	    len != BPFBLOB_HEADER_SIZE + (size_t)b.count * sizeof(struct sock_filter)) {
		errno = EINVAL;
		return -1;
	}
	b.insns = (const struct sock_filter *)(const void *)(p + BPFBLOB_HEADER_SIZE);
	for (uint32_t pc = 0; pc < b.count; pc++) {
		if (!insn_ok(&b.insns[pc], pc, b.count)) {
			errno = EINVAL;
			return -1;
		}
	}
	if (BPF_CLASS(b.insns[b.count - 1].code) != BPF_RET) {
		errno = EINVAL;
		return -1;
	}
	*out = b;
	return 0;
}

int bpfblob_parse(const void *data, size_t len, struct bpfblob *out)
{
	return bpfblob_parse_arch(data, len, bpfblob_native_arch(), out);
}

size_t bpfblob_encode(uint32_t arch, uint32_t flags, const struct sock_filter *insns, uint32_t count,
		      unsigned char *out, size_t cap)
{
	size_t size = BPFBLOB_HEADER_SIZE + (size_t)count * sizeof(struct sock_filter);

	/* Never write what bpfblob_parse would refuse. */
	if (count == 0 || count > BPFBLOB_MAX_INSNS || cap < size || (flags & ~BPFBLOB_KNOWN_FLAGS))
		return 0;
	memcpy(out, BPFBLOB_MAGIC, 8); /* NOLINT(bugprone-not-null-terminated-result): 8 bytes, no NUL, by format */
	put_le32(out + 8, BPFBLOB_VERSION);
	put_le32(out + 12, arch);
	put_le32(out + 16, flags);
	put_le32(out + 20, count);
	for (uint32_t i = 0; i < count; i++) {
		unsigned char *q = out + BPFBLOB_HEADER_SIZE + (size_t)i * 8;
		q[0] = (unsigned char)insns[i].code;
		q[1] = (unsigned char)(insns[i].code >> 8);
		q[2] = insns[i].jt;
		q[3] = insns[i].jf;
		put_le32(q + 4, insns[i].k);
	}
	return size;
}

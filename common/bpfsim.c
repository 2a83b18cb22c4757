/* The seccomp BPF simulator; see bpf_sim.h. */
#include "common/bpfsim.h"

#include <stddef.h>
#include <string.h>

static int load_word(const struct seccomp_data *data, uint32_t off, uint32_t *out)
{
	if (off % 4 != 0 || off + 4 > sizeof(*data))
		return -1;
	memcpy(out, (const unsigned char *)data + off, 4); /* host order, as the kernel */
	return 0;
}

static int alu(uint16_t code, uint32_t *a, uint32_t operand)
{
	switch (BPF_OP(code)) {
	case BPF_ADD:
		*a += operand;
		return 0;
	case BPF_SUB:
		*a -= operand;
		return 0;
	case BPF_MUL:
		*a *= operand;
		return 0;
	case BPF_DIV:
		if (!operand)
			return -1;
		*a /= operand;
		return 0;
	case BPF_MOD:
		if (!operand)
			return -1;
		*a %= operand;
		return 0;
	case BPF_AND:
		*a &= operand;
		return 0;
	case BPF_OR:
		*a |= operand;
		return 0;
	case BPF_XOR:
		*a ^= operand;
		return 0;
	case BPF_LSH:
		*a = operand < 32 ? *a << operand : 0;
		return 0;
	case BPF_RSH:
		*a = operand < 32 ? *a >> operand : 0;
		return 0;
	case BPF_NEG:
		*a = (uint32_t) - *a;
		return 0;
	default:
		return -1;
	}
}

uint32_t bpf_sim_run_traced(const struct sock_filter *prog, size_t count, const struct seccomp_data *data,
			    struct bpf_sim_trace *trace)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	struct bpf_sim_trace ignored;

	if (!trace)
		trace = &ignored;
	trace->insns = 0;
	trace->loaded_args = false;
	for (size_t pc = 0; pc < count; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
		int taken;

		trace->insns++;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (load_word(data, f->k, &a) < 0)
					return BPF_SIM_INVALID;
				if (f->k >= offsetof(struct seccomp_data, instruction_pointer))
					trace->loaded_args = true;
			} else if (f->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(*data);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = f->k;
			} else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				return BPF_SIM_INVALID;
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(*data);
			else if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				return BPF_SIM_INVALID;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return BPF_SIM_INVALID;
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			if (alu(f->code, &a, operand) < 0)
				return BPF_SIM_INVALID;
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				if (pc + 1 + f->k >= count)
					return BPF_SIM_INVALID;
				pc += f->k;
				break;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				taken = a == operand;
				break;
			case BPF_JGT:
				taken = a > operand;
				break;
			case BPF_JGE:
				taken = a >= operand;
				break;
			case BPF_JSET:
				taken = (a & operand) != 0;
				break;
			default:
				return BPF_SIM_INVALID;
			}
			if (pc + 1 + (taken ? f->jt : f->jf) >= count)
				return BPF_SIM_INVALID;
			pc += taken ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return BPF_SIM_INVALID;
		}
	}
	return BPF_SIM_INVALID; /* fell off the end */
}

uint32_t bpf_sim_run(const struct sock_filter *prog, size_t count, const struct seccomp_data *data)
{
	return bpf_sim_run_traced(prog, count, data, NULL);
}

uint32_t bpf_sim_syscall_traced(const struct sock_filter *prog, size_t count, uint32_t audit_arch, int nr,
				const uint64_t args[6], struct bpf_sim_trace *trace)
{
	struct seccomp_data data;

	memset(&data, 0, sizeof(data));
	data.nr = nr;
	data.arch = audit_arch;
	data.instruction_pointer = 0x400000;
	if (args)
		memcpy(data.args, args, sizeof(data.args));
	return bpf_sim_run_traced(prog, count, &data, trace);
}

uint32_t bpf_sim_syscall(const struct sock_filter *prog, size_t count, uint32_t audit_arch, int nr,
			 const uint64_t args[6])
{
	return bpf_sim_syscall_traced(prog, count, audit_arch, nr, args, NULL);
}

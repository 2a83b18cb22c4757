/* A classic-BPF interpreter for seccomp filters: runs a
 * struct sock_filter program on a struct seccomp_data the way the kernel
 * does, so filters for any arch can be checked on any machine: by the
 * tests, and by lucid-init before it installs a service's filter. */
#ifndef LUCID_BPFSIM_H
#define LUCID_BPFSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* The filter's return value for DATA, or 0xdeadbeef for a program the
 * kernel would have refused (bad opcode, jump or load out of range). */
#define BPF_SIM_INVALID 0xdeadbeefu
uint32_t bpf_sim_run(const struct sock_filter *prog, size_t count, const struct seccomp_data *data);

/* Shorthand: syscall NR on AUDIT_ARCH with up to six args. */
uint32_t bpf_sim_syscall(const struct sock_filter *prog, size_t count, uint32_t audit_arch, int nr,
			 const uint64_t args[6]);

/* What one run did, for measuring a filter's paths: the instructions
 * executed (the final return included), and whether any loaded a field
 * beyond nr and arch. Linux 5.11+ skips the filter for a syscall whose
 * answer is ALLOW for every argument (its action cache), which it proves
 * with a run that loads nothing else. */
struct bpf_sim_trace {
	uint32_t insns;
	bool loaded_args;
};

/* bpf_sim_run and bpf_sim_syscall, filling *TRACE as well. */
uint32_t bpf_sim_run_traced(const struct sock_filter *prog, size_t count, const struct seccomp_data *data,
			    struct bpf_sim_trace *trace);
uint32_t bpf_sim_syscall_traced(const struct sock_filter *prog, size_t count, uint32_t audit_arch, int nr,
				const uint64_t args[6], struct bpf_sim_trace *trace);

#endif

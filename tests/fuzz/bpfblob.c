/* A LUCIDBPF file given to --seccomp FILE.bpf: the blob validator
 * (common/bpfblob.c), then the BPF simulator lucid-init runs every service
 * filter through before it starts anything (common/bpfsim.c). */
#include "tests/fuzz/fuzz.h"

#include <sys/syscall.h>

#include "common/bpfblob.h"
#include "common/bpfsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* malloc's alignment, as init/filter.c reads a file. */
	char *copy = fuzz_copy(data, size, false);
	struct bpfblob b;

	if (bpfblob_parse(copy, size, &b) == 0) {
		if (b.count > BPFBLOB_MAX_INSNS || (const char *)(b.insns + b.count) > copy + size)
			abort();
		for (int nr = 0; nr < 512; nr += 7)
			(void)bpf_sim_syscall(b.insns, b.count, b.arch, nr, NULL);
		(void)bpf_sim_syscall(b.insns, b.count, b.arch, SYS_execve, NULL);
	}
	(void)bpfblob_parse_arch(copy, size, bpfblob_native_arch(), &b);
	free(copy);
	return 0;
}

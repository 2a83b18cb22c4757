/* The seccomp profile loader: JSON text to the rules libseccomp is given
 * (seccomp/profile.c), for both target arches, as the service's filter and
 * as the runtime's, with and without capabilities and a kernel version. */
#include "tests/fuzz/fuzz.h"

#include "seccomp/arch.h"
#include "seccomp/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct profile p;
	char *text = fuzz_copy(data, size, true); /* profile_load's contract: text[len] is NUL */
	struct build_context ctx = { .caps = { "CAP_SYS_ADMIN", "CAP_NET_ADMIN" } };
	unsigned variant = size ? data[0] & 3u : 0;

	ctx.ncaps = variant & 1u ? 2 : 0;
	ctx.runtime = (variant & 2u) != 0;
	ctx.kernel_major = ctx.ncaps ? 6 : 0;
	ctx.kernel_minor = ctx.ncaps ? 1 : 0;
	for (size_t i = 0; i < sizeof arch_targets / sizeof *arch_targets; i++) {
		memset(&p, 0, sizeof p);
		(void)profile_load(&p, "fuzz.json", text, size, &arch_targets[i], &ctx);
		profile_free(&p);
	}
	free(text);
	return 0;
}

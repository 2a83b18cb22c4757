/* lucid-seccomp's command line (compile/check/explain/flatten and their
 * options: --arch, --cap lists, --kernel versions). */
#include "tests/fuzz/options.h"

#include "seccomp/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct options o;
	static struct report r;
	struct fuzz_args a;

	if (fuzz_args(&a, "lucid-seccomp", data, size) < 0)
		return 0;
	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	(void)options_parse(a.argc, a.argv, &o, &r);
	free(a.text);
	return 0;
}

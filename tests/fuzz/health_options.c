/* lucid-health's command line and LUCID_HEALTH_* environment. */
#include "tests/fuzz/options.h"

#include "common/fmt.h"
#include "healthcheck/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct options o;
	struct fuzz_args a;
	char errmem[256];
	struct buf err;

	if (fuzz_args(&a, "lucid-health", data, size) < 0)
		return 0;
	buf_init(&err, errmem, sizeof errmem);
	memset(&o, 0, sizeof o);
	(void)options_parse(&o, a.argc, a.argv, a.envp, &err);
	free(a.text);
	return 0;
}

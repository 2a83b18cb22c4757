/* --status / LUCID_HEALTH_STATUS: "200-399,418". */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size, true);
	char errmem[160], outmem[512];
	struct buf err, out;
	struct status_set set;

	buf_init(&err, errmem, sizeof errmem);
	buf_init(&out, outmem, sizeof outmem);
	if (status_parse(text, &set, &err) == 0) {
		if (set.n > STATUS_RANGES_MAX)
			abort();
		for (unsigned code = 0; code < 1000; code += 37)
			(void)status_match(&set, code);
		status_format(&out, &set);
	}
	free(text);
	return 0;
}

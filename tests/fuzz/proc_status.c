/* /proc/PID/status as the audit reads it (the kernel writes it, but a
 * process names itself: Name: is the attacker's). */
#include "tests/fuzz/fuzz.h"

#include "common/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size, true);
	struct proc_status st;

	if (procfs_parse_status(text, &st) == 0 && st.n_groups > PROC_MAX_GROUPS)
		abort();
	free(text);
	return 0;
}

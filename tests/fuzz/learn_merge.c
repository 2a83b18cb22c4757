/* --merge's reader (seccomp/learn.c): a profile learn wrote, read back into
 * the record. Whatever it accepts, the profile written from it must read
 * back to the same profile (merging is idempotent), or the harness aborts. */
#include "tests/fuzz/fuzz.h"

#include "seccomp/learn.h"

static struct learned first, second;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size, true);
	struct report r = { 0 };
	struct learn_counts c;
	char *once = NULL, *twice = NULL;

	memset(&first, 0, sizeof first);
	memset(&second, 0, sizeof second);
	if (learn_init(&first) < 0 || learn_init(&second) < 0)
		abort();
	if (learn_merge(&first, "fuzz.json", text, size, &r) == 0) {
		once = learn_write(&first, &c);
		if (!once)
			abort();
		memset(&r, 0, sizeof r);
		if (learn_merge(&second, "once.json", once, strlen(once), &r) < 0)
			abort(); /* learn refused what it wrote */
		twice = learn_write(&second, &c);
		if (!twice || strcmp(once, twice) != 0)
			abort(); /* not idempotent */
	}
	free(once);
	free(twice);
	learn_free(&first);
	learn_free(&second);
	free(text);
	return 0;
}

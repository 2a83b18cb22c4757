/* A harness with a planted bug, for the fuzz suites to prove their checks
 * can fail: a heap overflow for any input that starts with "LU", which the
 * fuzzer finds within a second and a replay of such an input hits at once.
 * It is built with the others (tests/clang/build.py) and never shipped. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size, false);
	volatile char sink = 0;

	if (size >= 2 && copy[0] == 'L' && copy[1] == 'U')
		sink = copy[size]; /* one byte past the end */
	(void)sink;
	free(copy);
	return 0;
}

/* The option harnesses' input: NUL-separated strings; the first byte says
 * how many of them are argv (after the program name), the rest are the
 * environment, as a Dockerfile's ENTRYPOINT/CMD and ENV give them. */
#ifndef LUCID_FUZZ_OPTIONS_H
#define LUCID_FUZZ_OPTIONS_H

#include "tests/fuzz/fuzz.h"

#define FUZZ_ARGS_MAX 64

struct fuzz_args {
	char *text;
	char *argv[FUZZ_ARGS_MAX + 2];
	char *envp[FUZZ_ARGS_MAX + 1];
	int argc;
};

static inline int fuzz_args(struct fuzz_args *a, const char *prog, const uint8_t *data, size_t size)
{
	char *strings[2 * FUZZ_ARGS_MAX];
	size_t n, nargs, i;

	if (size < 1)
		return -1;
	a->text = fuzz_copy(data + 1, size - 1, true);
	n = fuzz_split(a->text, size - 1, strings, 2 * FUZZ_ARGS_MAX);
	nargs = data[0] % (FUZZ_ARGS_MAX + 1);
	if (nargs > n)
		nargs = n;
	a->argv[0] = (char *)prog;
	for (i = 0; i < nargs; i++)
		a->argv[1 + i] = strings[i];
	a->argv[1 + nargs] = NULL;
	a->argc = (int)(1 + nargs);
	for (i = 0; nargs + i < n && i < FUZZ_ARGS_MAX; i++)
		a->envp[i] = strings[nargs + i];
	a->envp[i] = NULL;
	return 0;
}

#endif

/* A main for the fuzz harnesses without libFuzzer: each argument is an input
 * file (or a directory of them), run through LLVMFuzzerTestOneInput once.
 * Zig builds every harness with it for both targets, so the corpora replay
 * natively and under qemu-aarch64; clang builds it for coverage.
 * Exit: 0 all inputs ran, 1 an input could not be read (a crash is a crash). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/io.h"
#include "tests/fuzz/fuzz.h"

#define REPLAY_MAX (1u << 20)

static int run_file(const char *path, unsigned *count)
{
	char *data;
	size_t len;

	if (file_read_alloc(path, REPLAY_MAX, &data, &len) < 0) {
		fprintf(stderr, "replay: %s: cannot read it\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	++*count;
	return 0;
}

static int run_path(const char *path, unsigned *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return run_file(path, count);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char sub[4096];
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
			continue;
		if (run_path(sub, count) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			rc = 1;
	if (count == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	return rc;
}

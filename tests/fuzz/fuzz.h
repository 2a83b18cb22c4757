/* What every harness in tests/fuzz shares. Each harness is one
 * LLVMFuzzerTestOneInput over one parser, fed exactly the bytes it would
 * get from outside (a socket, a file, argv, the environment), in buffers of
 * exactly the input's size, so ASan sees a read one byte past the end. */
#ifndef LUCID_FUZZ_H
#define LUCID_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A heap copy of the input, NUL-terminated when `nul` (for parsers that take
 * C strings), of exactly size (+1) bytes. Never NULL: the harness aborts
 * when out of memory, which is not the parser's failure. */
static inline char *fuzz_copy(const uint8_t *data, size_t size, bool nul)
{
	char *p = malloc(size + (nul ? 1 : 0) + (size == 0 && !nul));
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	if (nul)
		p[size] = '\0';
	return p;
}

/* Split a NUL-terminated copy of the input at its NUL bytes into at most
 * max strings (the rest joins the last): argv or environ from bytes. */
static inline size_t fuzz_split(char *text, size_t size, char **out, size_t max)
{
	size_t n = 0;
	char *p = text, *end = text + size;

	while (n < max && p <= end) {
		out[n++] = p;
		p += strlen(p) + 1;
	}
	return n;
}

/* Read sizes the way a socket delivers them: from a tiny generator seeded by
 * the input, so each input always replays the same split. */
struct fuzz_rng {
	uint32_t s;
};

static inline size_t fuzz_piece(struct fuzz_rng *r, size_t left)
{
	r->s = r->s * 1103515245u + 12345u;
	size_t n = 1 + ((r->s >> 16) % 64u);
	if ((r->s & 7u) == 0)
		n = left; /* sometimes all at once */
	return n < left ? n : left;
}

#endif

/* HPACK header blocks as healthcheck/grpc.c decodes them: one decoder for
 * the whole input, whose dynamic table carries from block to block as on a
 * connection; the input is cut into blocks the way fuzz_piece cuts socket
 * reads, each in a buffer of exactly its size. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/hpack.h"

static size_t fields;

static int count_field(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	(void)ctx;
	/* Touch every byte, so ASan checks the strings handed out. */
	for (size_t i = 0; i < name_len; i++)
		fields += (unsigned char)name[i];
	for (size_t i = 0; i < value_len; i++)
		fields += (unsigned char)value[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hpack_decoder d;
	struct fuzz_rng rng = { .s = (uint32_t)size };
	char errmem[160];
	struct buf err;
	size_t at = 0;

	hpack_decoder_init(&d);
	while (at < size) {
		size_t n = fuzz_piece(&rng, size - at);
		uint8_t *block = (uint8_t *)fuzz_copy(data + at, n, false);
		buf_init(&err, errmem, sizeof errmem);
		int rc = hpack_decode(&d, block, n, count_field, NULL, &err);
		free(block);
		at += n;
		if (rc < 0) /* the connection would end here */
			break;
	}
	return 0;
}

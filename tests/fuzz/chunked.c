/* A chunked body decoded in place as it arrives, and --body-contains
 * matched over the decoded bytes (healthcheck/probe.c check_body). Input:
 * one byte N, N bytes of needle (at most MATCH_MAX), then the body. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/http.h"
#include "healthcheck/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t nlen = data[0];
	if (nlen > size - 1)
		nlen = size - 1;
	char *needle = fuzz_copy(data + 1, nlen, false);
	size_t blen = size - 1 - nlen;
	char *body = fuzz_copy(data + 1 + nlen, blen, false);
	struct fuzz_rng rng = { .s = (uint32_t)size };
	struct http_chunked c;
	static struct matcher m;
	char errmem[160];
	struct buf err;
	size_t at = 0;

	buf_init(&err, errmem, sizeof errmem);
	http_chunked_init(&c);
	if (matcher_init(&m, needle, nlen) < 0)
		goto out;
	while (at < blen && !c.done) {
		size_t n = fuzz_piece(&rng, blen - at), got = n;
		/* Each piece in its own exact-size buffer, as a recv() gives it. */
		char *piece = fuzz_copy((const uint8_t *)body + at, n, false);
		at += n;
		if (http_chunked_decode(&c, piece, n, &got, &err) < 0) {
			free(piece);
			break;
		}
		if (got > n)
			abort(); /* more data than bytes in: the decoder is wrong */
		bool found = matcher_feed(&m, piece, got);
		free(piece);
		if (found)
			break;
	}
out:
	free(needle);
	free(body);
	return 0;
}

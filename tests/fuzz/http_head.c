/* The response head as the probe reads it (healthcheck/probe.c read_head):
 * bytes arrive in pieces; after each, the end of the head is looked for
 * incrementally, a partial status line is checked early, and a complete
 * head is parsed, 1xx interim heads skipped. Also the -H and --host checks. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size > HTTP_HEAD_MAX ? HTTP_HEAD_MAX : size, false);
	size_t total = size > HTTP_HEAD_MAX ? HTTP_HEAD_MAX : size;
	struct fuzz_rng rng = { .s = (uint32_t)size };
	size_t have = 0, scanned = 0, start = 0;
	char errmem[160], qmem[256];
	struct buf err, q;

	buf_init(&err, errmem, sizeof errmem);
	while (have < total) {
		have += fuzz_piece(&rng, total - have);
		for (;;) {
			/* The head's bytes start at `start` (interim heads before it). */
			size_t len = http_head_length(buf + start, have - start, scanned);
			scanned = have - start;
			if (!len) {
				if (have > start && http_check_status_start(buf + start, have - start, &err) < 0)
					goto done;
				break;
			}
			struct http_response r;
			if (http_parse_head(buf + start, len, &r, &err) < 0)
				goto done;
			(void)http_framing(&r, false);
			(void)http_framing(&r, true);
			if (!http_is_interim(r.status))
				goto done;
			start += len;
			scanned = 0;
		}
	}
done:
	buf_init(&q, qmem, sizeof qmem);
	http_quote(&q, buf, total, 64);
	{
		struct http_field f;
		(void)http_check_header(buf, total, &f, &err);
		(void)http_check_host(buf, total, &err);
	}
	free(buf);
	return 0;
}

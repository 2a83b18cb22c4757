/* The response head as the probe reads it (healthcheck/probe.c read_head):
 * bytes arrive in pieces and are fed to the incremental head parser, which
 * keeps a line at a time and streams past long fields; 1xx interim heads
 * are skipped. Also the -H and --host checks. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size, false);
	struct fuzz_rng rng = { .s = (uint32_t)size };
	static struct http_head head;
	size_t at = 0;
	char errmem[160], qmem[256];
	struct buf err, q;

	buf_init(&err, errmem, sizeof errmem);
	http_head_init(&head);
	while (at < size) {
		size_t piece = fuzz_piece(&rng, size - at), used;
		int rc = http_head_feed(&head, buf + at, piece, &used, &err);
		if (rc >= 0 && used > piece)
			abort();
		if (rc != 0) {
			if (rc == 1) {
				(void)http_framing(&head.r, false);
				(void)http_framing(&head.r, true);
				if (head.r.location && head.r.location_len > sizeof head.location)
					abort();
			}
			break;
		}
		at += piece;
	}
	buf_init(&q, qmem, sizeof qmem);
	http_quote(&q, buf, size, 64);
	{
		struct http_field f;
		(void)http_check_header(buf, size, &f, &err);
		(void)http_check_host(buf, size, &err);
	}
	free(buf);
	return 0;
}

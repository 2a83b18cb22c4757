/* url_parse (LUCID_HEALTH_URL, the probe's argument) and url_resolve (a
 * redirect's Location). Input: URL, then optionally "\n" and a Location. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t first = nl ? (size_t)(nl - data) : size;
	char *text = fuzz_copy(data, first, false);
	char *loc = nl ? fuzz_copy(nl + 1, size - first - 1, false) : NULL;
	char errmem[256], outmem[URL_MAX * 2];
	struct buf err, out;
	struct url u, next;

	buf_init(&err, errmem, sizeof errmem);
	buf_init(&out, outmem, sizeof outmem);
	if (url_parse(text, first, &u, &err) == 0) {
		url_format(&out, &u);
		url_authority(&out, &u);
		if (loc && url_resolve(&u, loc, size - first - 1, &next, &err) == 0) {
			(void)url_same_host(&u, &next);
			url_format(&out, &next);
		}
	}
	free(text);
	free(loc);
	return 0;
}

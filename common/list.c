#include "common/list.h"

#include <errno.h>
#include <string.h>

int list_each(const char *list, char sep, int (*fn)(const char *item, void *ctx), void *ctx)
{
	char item[LIST_ITEM_MAX];
	const char *s = list;

	/* Measure first: a list with an oversized item is refused whole. */
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, (char[]){ sep, '\0' });
		if (n >= sizeof item) {
			errno = E2BIG;
			return -1;
		}
		p += n;
		if (*p)
			p++;
	}
	if (!*s)
		return 0;
	for (;;) {
		size_t n = strcspn(s, (char[]){ sep, '\0' });
		memcpy(item, s, n);
		item[n] = '\0';
		if (fn(item, ctx) < 0)
			return -1;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

#include "healthcheck/match.h"

#include <errno.h>

int matcher_init(struct matcher *m, const char *needle, size_t len)
{
	size_t k = 0;

	if (len == 0 || len > MATCH_MAX) {
		errno = len ? E2BIG : EINVAL;
		return -1;
	}
	m->needle = needle;
	m->len = len;
	m->state = 0;
	m->found = false;
	/* fail[i]: the longest proper prefix of needle[0..i] that is also its suffix. */
	m->fail[0] = 0;
	for (size_t i = 1; i < len; i++) {
		while (k > 0 && needle[i] != needle[k])
			k = m->fail[k - 1];
		if (needle[i] == needle[k])
			k++;
		m->fail[i] = (uint16_t)k;
	}
	return 0;
}

bool matcher_feed(struct matcher *m, const char *data, size_t n)
{
	size_t k = m->state;

	for (size_t i = 0; i < n && !m->found; i++) {
		while (k > 0 && data[i] != m->needle[k])
			k = m->fail[k - 1];
		if (data[i] == m->needle[k])
			k++;
		if (k == m->len)
			m->found = true;
	}
	m->state = k;
	return m->found;
}

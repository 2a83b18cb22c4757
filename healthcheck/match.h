/* Streaming substring search for --body-contains: the body arrives in
 * whatever pieces the socket hands over, and the text must be found even
 * when it straddles two of them. Knuth-Morris-Pratt keeps no copy of the
 * body and looks at each byte once. */
#ifndef LUCID_HEALTH_MATCH_H
#define LUCID_HEALTH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MATCH_MAX 1024 /* the longest text --body-contains accepts */

struct matcher {
	const char *needle;
	size_t len;
	size_t state; /* how many needle bytes the input currently ends with */
	bool found;
	uint16_t fail[MATCH_MAX];
};

/* Prepare to look for needle[0..len); 1 <= len <= MATCH_MAX. 0, or -1 with
 * EINVAL (empty) or E2BIG (too long). needle must outlive the matcher. */
int matcher_init(struct matcher *m, const char *needle, size_t len);

/* Feed the next piece of the body; true once the needle has been seen. */
bool matcher_feed(struct matcher *m, const char *data, size_t n);

#endif

#include "healthcheck/status.h"

#include <errno.h>
#include <string.h>

#include "common/parse.h"

void status_default(struct status_set *set)
{
	set->n = 1;
	set->r[0].lo = 200;
	set->r[0].hi = 399;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int not_a_code(const char *s, size_t n, struct buf *err)
{
	buf_char(err, '\'');
	buf_mem(err, s, n < 16 ? n : 16);
	buf_str(err, n > 16 ? "...' is not a status code" : "' is not a status code");
	errno = EINVAL;
	return -1;
}

/* One code in s[0..n): a number from 100 to 599. */
static int parse_code(const char *s, size_t n, uint16_t *code, struct buf *err)
{
	uint64_t v;

	if (n == 0) {
		buf_str(err, "missing status code in a range");
		errno = EINVAL;
		return -1;
	}
	if (parse_u64_n(s, n, 9999999, &v) < 0)
		return not_a_code(s, n, err);
	if (v < 100 || v > 599) {
		buf_u64(err, v);
		buf_str(err, " is outside 100-599");
		errno = EINVAL;
		return -1;
	}
	*code = (uint16_t)v;
	return 0;
}

/* One entry in s[0..n), spaces trimmed: "204" or "301-308". */
static int parse_entry(const char *s, size_t n, struct status_range *r, struct buf *err)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n == 0) {
		buf_str(err, "empty entry in the status list");
		errno = EINVAL;
		return -1;
	}
	const char *dash = memchr(s, '-', n);
	if (!dash) {
		if (parse_code(s, n, &r->lo, err) < 0)
			return -1;
		r->hi = r->lo;
		return 0;
	}
	if (parse_code(s, (size_t)(dash - s), &r->lo, err) < 0 ||
	    parse_code(dash + 1, (size_t)(s + n - dash - 1), &r->hi, err) < 0)
		return -1;
	if (r->lo > r->hi) {
		buf_fmt(err, "range %u-%u is backwards", r->lo, r->hi);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int status_parse(const char *text, struct status_set *set, struct buf *err)
{
	const char *s = text;

	set->n = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if (set->n == STATUS_RANGES_MAX) {
			buf_str(err, "more than 32 entries in the status list");
			errno = EINVAL;
			return -1;
		}
		if (parse_entry(s, n, &set->r[set->n], err) < 0)
			return -1;
		set->n++;
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

bool status_match(const struct status_set *set, unsigned code)
{
	for (unsigned i = 0; i < set->n; i++)
		if (code >= set->r[i].lo && code <= set->r[i].hi)
			return true;
	return false;
}

void status_format(struct buf *b, const struct status_set *set)
{
	for (unsigned i = 0; i < set->n; i++) {
		if (i)
			buf_char(b, ',');
		buf_u64(b, set->r[i].lo);
		if (set->r[i].hi != set->r[i].lo) {
			buf_char(b, '-');
			buf_u64(b, set->r[i].hi);
		}
	}
}

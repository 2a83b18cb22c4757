#include "common/parse.h"

#include <errno.h>
#include <string.h>

int parse_u64_n(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			errno = EINVAL;
			return -1;
		}
		unsigned d = (unsigned)(s[i] - '0');
		if (d > max || v > (max - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	return parse_u64_n(s, strlen(s), max, out);
}

int parse_uint(const char *s, unsigned max, unsigned *out)
{
	uint64_t v;

	if (parse_u64(s, max, &v) < 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t max_ms, uint64_t *out_ms)
{
	size_t n = strlen(s);
	uint64_t whole, frac = 0, v;

	if (n > 2 && strcmp(s + n - 2, "ms") == 0) {
		if (parse_u64_n(s, n - 2, max_ms, &v) < 0)
			return -1;
		*out_ms = v;
		return 0;
	}
	if (n > 1 && s[n - 1] == 's')
		n--;

	const char *dot = memchr(s, '.', n);
	size_t int_len = dot ? (size_t)(dot - s) : n;
	if (parse_u64_n(s, int_len, max_ms / 1000, &whole) < 0)
		return -1;
	if (dot) {
		size_t frac_len = n - int_len - 1;
		if (frac_len == 0 || frac_len > 3) {
			errno = EINVAL;
			return -1;
		}
		if (parse_u64_n(dot + 1, frac_len, 999, &frac) < 0)
			return -1;
		for (size_t i = frac_len; i < 3; i++)
			frac *= 10;
	}
	v = whole * 1000 + frac;
	if (v > max_ms) {
		errno = ERANGE;
		return -1;
	}
	*out_ms = v;
	return 0;
}

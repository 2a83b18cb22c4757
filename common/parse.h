/* Strict number parsing for options and environment variables: decimal
 * digits only, no sign, no spaces, no trailing junk, no overflow. Each returns
 * 0, or -1 with errno EINVAL (not a number) or ERANGE (over the maximum). */
#ifndef LUCID_PARSE_H
#define LUCID_PARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_u64(const char *s, uint64_t max, uint64_t *out);
/* The same for the n bytes at s, which need not be NUL-terminated. */
int parse_u64_n(const char *s, size_t n, uint64_t max, uint64_t *out);
int parse_uint(const char *s, unsigned max, unsigned *out);

/* Seconds with up to three decimals ("5", "2.5", "0.25", "1.5s") or
 * milliseconds with an "ms" suffix ("250ms"), into milliseconds. */
int parse_duration_ms(const char *s, uint64_t max_ms, uint64_t *out_ms);

#endif

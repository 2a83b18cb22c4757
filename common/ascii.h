/* ASCII character helpers, the same in every locale (no <ctype.h>, whose
 * answers depend on the locale and on a cast to unsigned char), for the
 * protocol and file formats lucid reads: HTTP, URLs, /proc, seccomp JSON. */
#ifndef LUCID_ASCII_H
#define LUCID_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline bool ascii_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ascii_is_alnum(char c)
{
	return ascii_is_digit(c) || ascii_is_alpha(c);
}

static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The value of a hex digit (either case), or -1. */
static inline int ascii_hex_value(char c)
{
	return ascii_is_digit(c)      ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* The lowercase hex digit for the low four bits of v. */
static inline char ascii_hex_digit(unsigned v)
{
	return "0123456789abcdef"[v & 15];
}

/* s[0..n) equals the NUL-terminated word, ignoring ASCII case. */
static inline bool ascii_equal_nocase(const char *s, size_t n, const char *word)
{
	if (strlen(word) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s[i]) != ascii_lower(word[i]))
			return false;
	return true;
}

#endif

/* Integer-only snprintf and sscanf for lucid-init's static link.
 *
 * libcap-ng formats "/proc/%d/status" and "cap_%u" with snprintf and reads
 * "CapBnd:  %08x%08x" with sscanf. In musl those pull in the whole printf and
 * scanf cores, including floating-point formatting and parsing and, on
 * arm64, 128-bit long double soft-float: about a fifth of the binary for
 * conversions that are never used. Defining the two functions here keeps
 * musl's versions out of the link. They support exactly what a static
 * lucid-init can reach: %d %i %u %x %X %s %c %% with l/ll/z/h length and an
 * optional zero-padded width; anything else fails with EINVAL rather than
 * guessing. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/ascii.h"

struct spec {
	unsigned width;
	bool zero;
	int longs; /* 0 int, 1 long, 2 long long, -1 short */
	bool size;
	char conv;
};

/* Parse "%[0][width][h|l|ll|z]conv" after the '%'; the number of bytes used. */
static size_t parse_spec(const char *f, struct spec *sp)
{
	const char *p = f;

	memset(sp, 0, sizeof *sp);
	if (*p == '0') {
		sp->zero = true;
		p++;
	}
	while (*p >= '0' && *p <= '9' && sp->width < 1000)
		sp->width = sp->width * 10 + (unsigned)(*p++ - '0');
	if (*p == 'h') {
		sp->longs = -1;
		p++;
	}
	while (*p == 'l') {
		sp->longs++;
		p++;
	}
	if (*p == 'z') {
		sp->size = true;
		p++;
	}
	sp->conv = *p;
	return (size_t)(p - f) + (*p ? 1 : 0);
}

struct out {
	char *s;
	size_t n, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->s[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper, const struct spec *sp)
{
	char tmp[24];
	unsigned n = 0;

	do {
		char d = ascii_hex_digit((unsigned)(v % base));
		if (upper)
			d = ascii_upper(d);
		tmp[n++] = d;
		v /= base;
	} while (v);
	unsigned len = n + (negative ? 1 : 0);
	if (negative && sp->zero)
		put(o, '-');
	for (; len < sp->width; len++)
		put(o, sp->zero ? '0' : ' ');
	if (negative && !sp->zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

int vsnprintf(char *restrict s, size_t n, const char *restrict f, va_list ap)
{
	struct out o = { s, n, 0 };
	struct spec sp;

	while (*f) {
		if (*f != '%') {
			put(&o, *f++);
			continue;
		}
		f += 1 + parse_spec(f + 1, &sp);
		switch (sp.conv) {
		case 'd':
		case 'i': {
			int64_t v = sp.longs >= 2   ? va_arg(ap, long long)
				    : sp.longs == 1 ? va_arg(ap, long)
				    : sp.size	    ? (int64_t)va_arg(ap, size_t)
						    : va_arg(ap, int);
			put_number(&o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = sp.longs >= 2   ? va_arg(ap, unsigned long long)
				     : sp.longs == 1 ? va_arg(ap, unsigned long)
				     : sp.size	     ? va_arg(ap, size_t)
						     : va_arg(ap, unsigned);
			put_number(&o, v, false, sp.conv == 'u' ? 10 : 16, sp.conv == 'X', &sp);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t len = strlen(str ? str : "(null)");
			for (size_t pad = len; pad < sp.width; pad++)
				put(&o, ' ');
			for (const char *c = str ? str : "(null)"; *c; c++)
				put(&o, *c);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			if (n)
				s[0] = '\0';
			errno = EINVAL;
			return -1;
		}
	}
	if (n)
		s[o.len < n ? o.len : n - 1] = '\0';
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

int snprintf(char *restrict s, size_t n, const char *restrict f, ...)
{
	va_list ap;

	va_start(ap, f);
	int r = vsnprintf(s, n, f, ap);
	va_end(ap);
	return r;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int digit_value(char c, unsigned base)
{
	int d = ascii_hex_value(c);
	return d < (int)base ? d : -1;
}

int sscanf(const char *restrict s, const char *restrict f, ...)
{
	va_list ap;
	int assigned = 0;
	struct spec sp;

	va_start(ap, f);
	while (*f) {
		if (is_space(*f)) {
			while (is_space(*f))
				f++;
			while (is_space(*s))
				s++;
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			if (*f == '%')
				f++;
			if (*s != *f)
				break;
			s++;
			f++;
			continue;
		}
		f += 1 + parse_spec(f + 1, &sp);
		if (sp.conv != 'd' && sp.conv != 'u' && sp.conv != 'x' && sp.conv != 'X') {
			errno = EINVAL;
			assigned = assigned ? assigned : -1;
			break;
		}
		while (is_space(*s))
			s++;
		bool negative = false;
		if (sp.conv == 'd' && (*s == '-' || *s == '+'))
			negative = *s++ == '-';
		unsigned base = sp.conv == 'd' || sp.conv == 'u' ? 10 : 16;
		unsigned max = sp.width ? sp.width : UINT32_MAX;
		uint64_t v = 0;
		unsigned used = 0;
		int d;
		while (used < max && (d = digit_value(*s, base)) >= 0) {
			v = v * base + (unsigned)d;
			s++;
			used++;
		}
		if (!used)
			break;
		uint64_t out = negative ? 0 - v : v;
		if (sp.longs >= 2)
			*va_arg(ap, unsigned long long *) = (unsigned long long)out;
		else if (sp.longs == 1 || sp.size)
			*va_arg(ap, unsigned long *) = (unsigned long)out;
		else if (sp.longs == -1)
			*va_arg(ap, unsigned short *) = (unsigned short)out; /* %h: two bytes, not four */
		else
			*va_arg(ap, unsigned *) = (unsigned)out;
		assigned++;
	}
	va_end(ap);
	return assigned;
}

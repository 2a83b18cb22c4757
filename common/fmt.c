#include "common/ascii.h"
#include "common/fmt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void buf_init(struct buf *b, char *mem, size_t size)
{
	b->priv_p = mem;
	b->priv_cap = size ? size - 1 : 0;
	b->priv_len = 0;
	b->priv_tail = 0;
	b->priv_truncated = false;
	if (size)
		mem[0] = '\0';
}

void buf_init_line(struct buf *b, char *mem, size_t size)
{
	buf_init(b, mem, size > 5 ? size - 4 : size);
	b->priv_tail = size > 5 ? 4 : 0;
}

void buf_end_line(struct buf *b)
{
	b->priv_cap += b->priv_tail;
	b->priv_tail = 0;
	if (b->priv_truncated)
		buf_str(b, "...");
	buf_char(b, '\n');
}

const char *buf_text(const struct buf *b)
{
	return b->priv_p;
}

bool buf_truncated(const struct buf *b)
{
	return b->priv_truncated;
}

void buf_clear(struct buf *b)
{
	b->priv_len = 0;
	b->priv_truncated = false;
	if (b->priv_cap)
		b->priv_p[0] = '\0';
}

size_t buf_length(const struct buf *b)
{
	return b->priv_len;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->priv_len) {
		b->priv_len = len;
		b->priv_truncated = false;
		if (b->priv_cap)
			b->priv_p[len] = '\0';
	}
}

void buf_mem(struct buf *b, const char *s, size_t n)
{
	size_t room = b->priv_cap - b->priv_len;

	if (n > room) {
		n = room;
		b->priv_truncated = true;
	}
	memcpy(b->priv_p + b->priv_len, s, n);
	b->priv_len += n;
	if (b->priv_cap)
		b->priv_p[b->priv_len] = '\0';
}

void buf_str(struct buf *b, const char *s)
{
	buf_mem(b, s ? s : "(null)", strlen(s ? s : "(null)"));
}

void buf_char(struct buf *b, char c)
{
	buf_mem(b, &c, 1);
}

static void buf_unsigned(struct buf *b, uint64_t v, unsigned base)
{
	char digits[24];
	size_t i = sizeof digits;

	do {
		digits[--i] = ascii_hex_digit((unsigned)(v % base));
		v /= base;
	} while (v);
	buf_mem(b, digits + i, sizeof digits - i);
}

void buf_u64(struct buf *b, uint64_t v)
{
	buf_unsigned(b, v, 10);
}

void buf_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_char(b, '-');
		buf_unsigned(b, (uint64_t)0 - (uint64_t)v, 10);
	} else {
		buf_unsigned(b, (uint64_t)v, 10);
	}
}

void buf_fixed(struct buf *b, uint64_t num, uint64_t divisor, unsigned decimals)
{
	uint64_t scale = 1;

	for (unsigned i = 0; i < decimals; i++)
		scale *= 10;
	/* Round once, on the scaled value, so 0.96 with one decimal is "1.0". */
	uint64_t scaled = (num * scale + divisor / 2) / divisor;
	buf_u64(b, scaled / scale);
	if (!decimals)
		return;
	buf_char(b, '.');
	uint64_t frac = scaled % scale;
	for (uint64_t d = scale / 10; d; d /= 10) {
		buf_char(b, (char)('0' + frac / d));
		frac %= d;
	}
}

void buf_vfmt(struct buf *b, const char *f, va_list ap)
{
	while (*f) {
		const char *pct = strchr(f, '%');
		if (!pct) {
			buf_str(b, f);
			return;
		}
		buf_mem(b, f, (size_t)(pct - f));
		f = pct + 1;

		int longs = 0;
		bool size = false;
		while (*f == 'l') {
			longs++;
			f++;
		}
		if (*f == 'z') {
			size = true;
			f++;
		}
		/* What the format attribute lets through but this subset does not
		 * know (widths, flags, %p, %ld with z, ...) would misread the
		 * arguments that follow: a bug in the caller, stopped at once. */
		if ((longs > 2 || (size && longs)) || ((longs || size) && !strchr("diux", *f)) ||
		    (size && (*f == 'd' || *f == 'i')) || !strchr("sciudx%", *f) || !*f)
			abort();
		switch (*f) {
		case 's':
			buf_str(b, va_arg(ap, const char *));
			break;
		case 'c':
			buf_char(b, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			/* va_arg must name the type passed, long or long long, though both
			 * have one size on LP64: the branches are not clones. */
			if (longs >= 2)
				/* NOLINTNEXTLINE(bugprone-branch-clone): each branch reads another va_arg type */
				buf_i64(b, va_arg(ap, long long));
			else if (longs == 1)
				buf_i64(b, va_arg(ap, long));
			else
				buf_i64(b, va_arg(ap, int));
			break;
		case 'u':
		case 'x':
			if (size)
				/* NOLINTNEXTLINE(bugprone-branch-clone): each branch reads another va_arg type */
				buf_unsigned(b, va_arg(ap, size_t), *f == 'x' ? 16 : 10);
			else if (longs >= 2)
				/* NOLINTNEXTLINE(bugprone-branch-clone): each branch reads another va_arg type */
				buf_unsigned(b, va_arg(ap, unsigned long long), *f == 'x' ? 16 : 10);
			else if (longs == 1)
				buf_unsigned(b, va_arg(ap, unsigned long), *f == 'x' ? 16 : 10);
			else
				buf_unsigned(b, va_arg(ap, unsigned), *f == 'x' ? 16 : 10);
			break;
		default: /* '%' */
			buf_char(b, '%');
			break;
		}
		f++;
	}
}

void buf_fmt(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vfmt(b, fmt, ap);
	va_end(ap);
}

int buf_error(struct buf *err, const char *why)
{
	buf_str(err, why);
	errno = EINVAL;
	return -1;
}

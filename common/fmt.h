/* Bounded text building without stdio.
 *
 * musl's vfprintf always links its floating-point formatter; the probe and
 * the init format only strings and integers, so they use this instead. A
 * struct buf never overflows: text past its capacity is dropped and
 * `truncated` is set, so callers can report it instead of hiding it. */
#ifndef LUCID_FMT_H
#define LUCID_FMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUCID_PRINTF(f, a) __attribute__((format(printf, f, a)))

struct buf {
	char *p;
	size_t cap; /* usable bytes; one more is reserved for the NUL */
	size_t len;
	bool truncated;
};

void buf_init(struct buf *b, char *mem, size_t size);
/* Bytes written so far, and cutting back to such a length. */
size_t buf_length(const struct buf *b);
void buf_truncate(struct buf *b, size_t len);
void buf_mem(struct buf *b, const char *s, size_t n);
void buf_str(struct buf *b, const char *s);
void buf_char(struct buf *b, char c);
void buf_u64(struct buf *b, uint64_t v);
void buf_i64(struct buf *b, int64_t v);
/* num/divisor with `decimals` digits after the point, rounded half up:
 * buf_fixed(b, 1234, 1000, 1) writes "1.2". */
void buf_fixed(struct buf *b, uint64_t num, uint64_t divisor, unsigned decimals);

/* A printf subset: %s %c %d %i %u %x %ld %lu %lx %lld %llu %llx %zu %zx %%
 * (no widths, flags or floats). Anything else aborts: the printf format
 * attribute would let "%5d" compile, and reading on would misread every
 * argument after it. */
void buf_vfmt(struct buf *b, const char *fmt, va_list ap);
void buf_fmt(struct buf *b, const char *fmt, ...) LUCID_PRINTF(2, 3);

#endif

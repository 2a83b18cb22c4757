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

/* Only common/fmt.c touches the fields (curl's dynbuf rule; the selftest
 * checks it): everyone else goes through the functions below. */
struct buf {
	char *priv_p;
	size_t priv_cap; /* usable bytes; one more is reserved for the NUL */
	size_t priv_len;
	size_t priv_tail; /* reserved for buf_end_line */
	bool priv_truncated;
};

void buf_init(struct buf *b, char *mem, size_t size);
/* The text so far (NUL-terminated), and whether some of it was dropped. */
const char *buf_text(const struct buf *b);
bool buf_truncated(const struct buf *b);
/* Empty the buffer again, for the next line. */
void buf_clear(struct buf *b);
/* For one line of output: buf_init_line keeps room for buf_end_line, which
 * ends the text with "...\n" when it was cut, "\n" otherwise. */
void buf_init_line(struct buf *b, char *mem, size_t size);
void buf_end_line(struct buf *b);
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

/* The parsers' one way to refuse: WHY into err, errno EINVAL, -1. */
int buf_error(struct buf *err, const char *why);

#endif

/* HPACK (RFC 7541), the header compression of HTTP/2, as the gRPC probe
 * needs it. The encoder writes only what a request needs: static-table
 * references and literals that are not indexed, never Huffman, so the
 * server's table is never touched. The decoder is complete (dynamic table,
 * Huffman) but bounded: its table lives in a fixed array of the size we
 * advertise, and a header list past HPACK_LIST_MAX is an error. No I/O. */
#ifndef LUCID_HEALTH_HPACK_H
#define LUCID_HEALTH_HPACK_H

#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define HPACK_TABLE_MAX 4096			 /* our SETTINGS_HEADER_TABLE_SIZE (the default) */
#define HPACK_LIST_MAX 16384			 /* our SETTINGS_MAX_HEADER_LIST_SIZE */
#define HPACK_ENTRIES_MAX (HPACK_TABLE_MAX / 32) /* each entry costs its strings + 32 */

/* The decoder's state, which lives as long as the connection. Only
 * hpack.c touches the fields. */
struct hpack_decoder {
	size_t limit; /* the table size the server's encoder chose, <= HPACK_TABLE_MAX */
	size_t size;  /* the entries' RFC 7541 size */
	size_t count; /* entries, oldest first */
	struct hpack_entry {
		uint16_t off, name_len, value_len;
	} entry[HPACK_ENTRIES_MAX];
	size_t start, end;		   /* the entries' bytes are data[start..end) */
	char data[2 * HPACK_TABLE_MAX];	   /* room to append before compacting */
	char scratch[HPACK_LIST_MAX - 32]; /* the field being decoded: name, then value */
};

/* Called for each header field, in order; the strings are valid only
 * during the call (and not NUL-terminated). Nonzero stops the decoding,
 * which then returns -1 (the callback writes its own reason). */
typedef int (*hpack_field_fn)(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len);

void hpack_decoder_init(struct hpack_decoder *d);

/* Decode one complete header block (HEADERS and its CONTINUATIONs put
 * together). 0, or -1 with EINVAL and the reason in err: a malformed
 * block is a COMPRESSION_ERROR, and the connection cannot go on. */
int hpack_decode(struct hpack_decoder *d, const uint8_t *block, size_t n, hpack_field_fn fn, void *ctx,
		 struct buf *err);

/* Encoding into b, whose truncation the caller checks. */
void hpack_put_int(struct buf *b, uint8_t first, unsigned prefix_bits, uint32_t v);
/* A field of the static table, name and value (RFC 7541 Appendix A). */
void hpack_put_indexed(struct buf *b, unsigned index);
/* A literal field without indexing: the name from the static table at
 * name_index, or the lowercase `name` when name_index is 0. */
void hpack_put_literal(struct buf *b, unsigned name_index, const char *name, const char *value, size_t value_len);

#endif

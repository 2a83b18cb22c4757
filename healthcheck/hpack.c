#include "healthcheck/hpack.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* RFC 7541 Appendix A, entries 1-61 as "name\0value\0" in order (a digit
 * after \0 starts a new literal: "\0200" would be one octal escape). */
static const char static_table[] = ":authority\0\0:method\0GET\0:method\0POST\0:path\0/\0:path\0/index.html\0"
				   ":scheme\0http\0:scheme\0https\0:status\0"
				   "200\0:status\0"
				   "204\0:status\0"
				   "206\0"
				   ":status\0"
				   "304\0:status\0"
				   "400\0:status\0"
				   "404\0:status\0"
				   "500\0accept-charset\0\0"
				   "accept-encoding\0gzip, deflate\0accept-language\0\0accept-ranges\0\0accept\0\0"
				   "access-control-allow-origin\0\0age\0\0allow\0\0authorization\0\0cache-control\0\0"
				   "content-disposition\0\0content-encoding\0\0content-language\0\0content-length\0\0"
				   "content-location\0\0content-range\0\0content-type\0\0cookie\0\0date\0\0etag\0\0"
				   "expect\0\0expires\0\0from\0\0host\0\0if-match\0\0if-modified-since\0\0"
				   "if-none-match\0\0if-range\0\0if-unmodified-since\0\0last-modified\0\0link\0\0"
				   "location\0\0max-forwards\0\0proxy-authenticate\0\0proxy-authorization\0\0range\0\0"
				   "referer\0\0refresh\0\0retry-after\0\0server\0\0set-cookie\0\0"
				   "strict-transport-security\0\0transfer-encoding\0\0user-agent\0\0vary\0\0via\0\0"
				   "www-authenticate\0";
#define STATIC_ENTRIES 61

/* The Huffman code of RFC 7541 Appendix B is canonical: codes of one length
 * are consecutive and follow the symbols' order, and each length's first
 * code follows the last code of the length before, shifted. So the code is
 * fully given by how many codes each length has and the symbols sorted by
 * (length, value); EOS (256) is the one code left after the last symbol. */
static const uint8_t huff_count[31] = {
	0, 0, 0, 0, 0, 10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3, 0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4,
};
static const uint8_t huff_symbol[256] = {
	48,  49,  50,  97,  99,	 101, 105, 111, 115, 116, 32,  37,  45,	 46,  47,  51,	52,  53,  54,  55,  56,	 57,
	61,  65,  95,  98,  100, 102, 103, 104, 108, 109, 110, 112, 114, 117, 58,  66,	67,  68,  69,  70,  71,	 72,
	73,  74,  75,  76,  77,	 78,  79,  80,	81,  82,  83,  84,  85,	 86,  87,  89,	106, 107, 113, 118, 119, 120,
	121, 122, 38,  42,  44,	 59,  88,  90,	33,  34,  40,  41,  63,	 39,  43,  124, 35,  62,  0,   36,  64,	 91,
	93,  126, 94,  125, 60,	 96,  123, 92,	195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172,
	176, 177, 179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170,
	173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233, 1,   135, 137, 138, 139, 140, 141, 143, 147,
	149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239, 9,	 142,
	144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193, 200, 201, 202, 205, 210, 213,
	218, 219, 238, 240, 242, 243, 255, 203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250,
	251, 252, 253, 254, 2,	 3,   4,   5,	6,   7,	  8,   11,  12,	 14,  15,  16,	17,  18,  19,  20,  21,	 23,
	24,  25,  26,  27,  28,	 29,  30,  31,	127, 220, 249, 10,  13,	 22,
};

/* The block being read, and where its errors go. */
struct cursor {
	const uint8_t *p, *end;
	struct buf *err;
};

/* -1 here, not buf_error's value, so the analyzers see every failure
 * return -1 without reading common/fmt.c. */
static int fail(struct cursor *c, const char *why)
{
	buf_str(c->err, "HPACK: ");
	(void)buf_error(c->err, why);
	return -1;
}

void hpack_decoder_init(struct hpack_decoder *d)
{
	d->limit = HPACK_TABLE_MAX;
	d->size = d->count = d->start = d->end = 0;
}

/* An integer with a prefix_bits-bit prefix (RFC 7541 5.1), at most 2^31-1:
 * no index, length or table size we accept comes near it. */
static int get_int(struct cursor *c, unsigned prefix_bits, uint32_t *v)
{
	uint32_t max = (1u << prefix_bits) - 1;
	uint64_t x;

	if (c->p == c->end)
		return fail(c, "truncated header block");
	x = *c->p++ & max;
	if (x == max) {
		for (unsigned shift = 0;; shift += 7) {
			if (c->p == c->end)
				return fail(c, "truncated integer");
			if (shift > 28)
				return fail(c, "integer overflows");
			uint8_t b = *c->p++;
			x += (uint64_t)(b & 0x7f) << shift;
			if (!(b & 0x80))
				break;
		}
		if (x > 0x7fffffff)
			return fail(c, "integer overflows");
	}
	*v = (uint32_t)x;
	return 0;
}

/* Canonical Huffman decoding, a bit at a time: `code` holds the bits since
 * the last symbol; `first` is the first code of its length and `index` the
 * position of that code's symbol in huff_symbol. What is left at the end
 * must be padding: at most 7 bits, all ones (a prefix of EOS). */
static int huff_decode(struct cursor *c, const uint8_t *in, size_t n, char *out, size_t cap, size_t *out_len)
{
	uint32_t code = 0, first = 0;
	unsigned len = 0, index = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			code = code << 1 | ((in[i] >> bit) & 1u);
			len++;
			if (code - first < huff_count[len]) {
				index += code - first;
				if (index == 256)
					return fail(c, "Huffman string contains EOS");
				if (o == cap)
					return fail(c, "header list exceeds 16384 bytes");
				out[o++] = (char)huff_symbol[index];
				code = first = 0;
				len = index = 0;
				continue;
			}
			index += huff_count[len];
			first = (first + huff_count[len]) << 1;
		}
	}
	if (len > 7 || code != (1u << len) - 1)
		return fail(c, "invalid Huffman padding");
	*out_len = o;
	return 0;
}

/* A string literal (RFC 7541 5.2) into out[0..cap). */
static int get_string(struct cursor *c, char *out, size_t cap, size_t *len)
{
	uint32_t n;
	bool huffman;

	if (c->p == c->end)
		return fail(c, "truncated header block");
	huffman = *c->p & 0x80;
	if (get_int(c, 7, &n) < 0)
		return -1;
	if (n > (size_t)(c->end - c->p))
		return fail(c, "string is longer than the header block");
	const uint8_t *s = c->p;
	c->p += n;
	if (huffman)
		return huff_decode(c, s, n, out, cap, len);
	if (n > cap)
		return fail(c, "header list exceeds 16384 bytes");
	memcpy(out, s, n);
	*len = n;
	return 0;
}

static void evict_oldest(struct hpack_decoder *d)
{
	size_t len = (size_t)d->entry[0].name_len + d->entry[0].value_len;

	d->size -= len + 32;
	d->start += len;
	d->count--;
	memmove(d->entry, d->entry + 1, d->count * sizeof d->entry[0]);
	if (d->count == 0)
		d->start = d->end = 0;
}

static void shrink_to(struct hpack_decoder *d, size_t limit)
{
	while (d->size > limit)
		evict_oldest(d);
}

/* Add scratch's name_len + value_len bytes as the newest entry (RFC 7541
 * 4.4): older entries make room, and an entry larger than the whole table
 * empties it and is not added. */
static void insert(struct hpack_decoder *d, size_t name_len, size_t value_len)
{
	size_t len = name_len + value_len;

	if (len + 32 > d->limit) {
		shrink_to(d, 0);
		return;
	}
	shrink_to(d, d->limit - len - 32);
	/* The live bytes are at most HPACK_TABLE_MAX - len - 32, so after
	 * moving them to the front the rest of data has room for len. */
	if (d->end + len > sizeof d->data) {
		memmove(d->data, d->data + d->start, d->end - d->start);
		for (size_t i = 0; i < d->count; i++)
			d->entry[i].off = (uint16_t)(d->entry[i].off - d->start);
		d->end -= d->start;
		d->start = 0;
	}
	memcpy(d->data + d->end, d->scratch, len);
	d->entry[d->count].off = (uint16_t)d->end;
	d->entry[d->count].name_len = (uint16_t)name_len;
	d->entry[d->count].value_len = (uint16_t)value_len;
	d->count++;
	d->end += len;
	d->size += len + 32;
}

/* Copy entry `index` (static 1-61, then dynamic, newest first) into
 * scratch: its name, and its value too when with_value. */
static int lookup(struct hpack_decoder *d, struct cursor *c, uint32_t index, bool with_value, size_t *name_len,
		  size_t *value_len)
{
	const char *name, *value;

	if (index == 0)
		return fail(c, "index 0");
	if (index <= STATIC_ENTRIES) {
		name = static_table;
		for (uint32_t i = 1; i < index; i++) {
			name += strlen(name) + 1; /* the name, */
			name += strlen(name) + 1; /* and the value */
		}
		*name_len = strlen(name);
		value = name + *name_len + 1;
		*value_len = strlen(value);
	} else if (index - STATIC_ENTRIES <= d->count) {
		const struct hpack_entry *e = &d->entry[d->count - (index - STATIC_ENTRIES)];
		name = d->data + e->off;
		*name_len = e->name_len;
		value = name + e->name_len;
		*value_len = e->value_len;
	} else {
		buf_fmt(c->err, "HPACK: index %u is not in the table", (unsigned)index);
		errno = EINVAL;
		return -1;
	}
	memcpy(d->scratch, name, *name_len);
	if (with_value)
		memcpy(d->scratch + *name_len, value, *value_len);
	return 0;
}

/* A literal field (RFC 7541 6.2) into scratch; the first byte says how. */
static int get_literal(struct hpack_decoder *d, struct cursor *c, size_t *name_len, size_t *value_len)
{
	bool indexing = *c->p & 0x40;
	uint32_t index;

	if (get_int(c, indexing ? 6 : 4, &index) < 0)
		return -1;
	if (index) {
		if (lookup(d, c, index, false, name_len, value_len) < 0)
			return -1;
	} else if (get_string(c, d->scratch, sizeof d->scratch, name_len) < 0) {
		return -1;
	}
	if (get_string(c, d->scratch + *name_len, sizeof d->scratch - *name_len, value_len) < 0)
		return -1;
	if (indexing)
		insert(d, *name_len, *value_len);
	return 0;
}

int hpack_decode(struct hpack_decoder *d, const uint8_t *block, size_t n, hpack_field_fn fn, void *ctx, struct buf *err)
{
	struct cursor c = { .p = block, .end = block + n, .err = err };
	size_t list = 0;
	bool fields = false;

	while (c.p < c.end) {
		size_t name_len, value_len;
		uint32_t v;

		if (*c.p & 0x80) {
			if (get_int(&c, 7, &v) < 0 || lookup(d, &c, v, true, &name_len, &value_len) < 0)
				return -1;
		} else if ((*c.p & 0xe0) == 0x20) {
			/* RFC 7541 4.2: only at the start of a block, and within
			 * the size we advertised. */
			if (fields)
				return fail(&c, "table size update after a header field");
			if (get_int(&c, 5, &v) < 0)
				return -1;
			if (v > HPACK_TABLE_MAX) {
				buf_fmt(err, "HPACK: table size update to %u exceeds our %u", (unsigned)v,
					HPACK_TABLE_MAX);
				errno = EINVAL;
				return -1;
			}
			d->limit = v;
			shrink_to(d, v);
			continue;
		} else if (get_literal(d, &c, &name_len, &value_len) < 0) {
			return -1;
		}
		fields = true;
		list += name_len + value_len + 32;
		if (list > HPACK_LIST_MAX)
			return fail(&c, "header list exceeds 16384 bytes");
		if (fn(ctx, d->scratch, name_len, d->scratch + name_len, value_len) != 0) {
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

void hpack_put_int(struct buf *b, uint8_t first, unsigned prefix_bits, uint32_t v)
{
	uint32_t max = (1u << prefix_bits) - 1;

	if (v < max) {
		buf_char(b, (char)(first | v));
		return;
	}
	buf_char(b, (char)(first | max));
	v -= max;
	while (v >= 0x80) {
		buf_char(b, (char)(0x80 | (v & 0x7f)));
		v >>= 7;
	}
	buf_char(b, (char)v);
}

void hpack_put_indexed(struct buf *b, unsigned index)
{
	hpack_put_int(b, 0x80, 7, index);
}

static void put_string(struct buf *b, const char *s, size_t n)
{
	hpack_put_int(b, 0, 7, (uint32_t)n);
	buf_mem(b, s, n);
}

void hpack_put_literal(struct buf *b, unsigned name_index, const char *name, const char *value, size_t value_len)
{
	hpack_put_int(b, 0, 4, name_index);
	if (!name_index)
		put_string(b, name, strlen(name));
	put_string(b, value, value_len);
}

/* The chunked transfer coding (RFC 9112 section 7.1), decoded in place:
 *
 *   chunk-size [ ; ext ] CRLF  data CRLF  ...  0 [ ; ext ] CRLF  trailers CRLF
 *
 * CRLF is required everywhere the framing has one: a lenient chunk parser is
 * how request smuggling starts, and a probe has no reason to be lenient. */
#include "healthcheck/http.h"

#include <errno.h>
#include <string.h>

#include "common/ascii.h"

enum {
	CH_SIZE_FIRST, /* the first hex digit of a size */
	CH_SIZE,       /* more hex digits, or what ends them */
	CH_SIZE_WS,    /* whitespace after the size, before ';' or CR */
	CH_EXT,	       /* a chunk extension, skipped */
	CH_SIZE_LF,    /* the LF after the size line's CR */
	CH_DATA,
	CH_DATA_CR, /* the CRLF after the data */
	CH_DATA_LF,
	CH_TRAILER_START, /* a trailer line, or the final CRLF */
	CH_TRAILER,
	CH_TRAILER_LF,
	CH_END_LF,
	CH_DONE,
};

void http_chunked_init(struct http_chunked *c)
{
	memset(c, 0, sizeof *c);
	c->state = CH_SIZE_FIRST;
	c->want = UINT64_MAX;
}

/* Extension and trailer bytes are not body, so --max-body does not bound
 * them; this does. */
static int count_meta(struct http_chunked *c, struct buf *err)
{
	if (++c->meta > HTTP_CHUNK_META_MAX)
		return buf_error(err, "chunk extensions and trailers exceed 16384 bytes");
	return 0;
}

int http_chunked_decode(struct http_chunked *c, char *buf, size_t n, size_t *out, struct buf *err)
{
	size_t i = 0, o = 0;

	while (i < n && c->state != CH_DONE && c->want) {
		char ch = buf[i];
		int h;

		switch (c->state) {
		case CH_SIZE_FIRST:
			if ((h = ascii_hex_value(ch)) < 0)
				return buf_error(err, "bad chunk size");
			c->left = (uint64_t)h;
			c->state = CH_SIZE;
			break;
		case CH_SIZE:
			if ((h = ascii_hex_value(ch)) >= 0) {
				if (c->left > (UINT64_MAX >> 4))
					return buf_error(err, "chunk size overflows");
				c->left = c->left << 4 | (uint64_t)h;
			} else if (ch == ' ' || ch == '\t') {
				c->state = CH_SIZE_WS;
			} else if (ch == ';') {
				c->state = CH_EXT;
			} else if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else {
				return buf_error(err, "bad chunk size");
			}
			break;
		case CH_SIZE_WS:
			if (ch == ';')
				c->state = CH_EXT;
			else if (ch == '\r')
				c->state = CH_SIZE_LF;
			else if (ch != ' ' && ch != '\t')
				return buf_error(err, "bad chunk size");
			break;
		case CH_EXT:
			if (ch == '\r')
				c->state = CH_SIZE_LF;
			else if (ch == '\n' || ch == '\0')
				return buf_error(err, "bad chunk extension");
			else if (count_meta(c, err) < 0)
				return -1;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return buf_error(err, "chunk size line does not end in CRLF");
			c->state = c->left ? CH_DATA : CH_TRAILER_START;
			break;
		case CH_DATA: {
			size_t take = n - i;
			if (take > c->left)
				take = (size_t)c->left;
			if (take > c->want)
				take = (size_t)c->want;
			c->want -= take;
			memmove(buf + o, buf + i, take);
			o += take;
			i += take;
			c->left -= take;
			if (c->left == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		case CH_DATA_CR:
			if (ch != '\r')
				return buf_error(err, "chunk data is longer than its size");
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return buf_error(err, "chunk data does not end in CRLF");
			c->state = CH_SIZE_FIRST;
			break;
		case CH_TRAILER_START:
			if (ch == '\r') {
				c->state = CH_END_LF;
				break;
			}
			c->state = CH_TRAILER;
			/* fall through */
		case CH_TRAILER:
			if (ch == '\r')
				c->state = CH_TRAILER_LF;
			else if (ch == '\n' || ch == '\0')
				return buf_error(err, "bad trailer line");
			else if (count_meta(c, err) < 0)
				return -1;
			break;
		case CH_TRAILER_LF:
			if (ch != '\n')
				return buf_error(err, "trailer line does not end in CRLF");
			c->state = CH_TRAILER_START;
			break;
		case CH_END_LF:
			if (ch != '\n')
				return buf_error(err, "chunked body does not end in CRLF");
			c->state = CH_DONE;
			c->done = true;
			break;
		}
		i++;
	}
	*out = o;
	return 0;
}

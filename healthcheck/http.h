/* HTTP/1.1 as the probe speaks it: the request it sends, and pure parsers
 * for the response head and a chunked body. No I/O here, so every rule can
 * be unit-tested byte by byte; probe.c feeds these from the socket. */
#ifndef LUCID_HEALTH_HTTP_H
#define LUCID_HEALTH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define HTTP_HEAD_MAX 16384	  /* status line and headers, interim responses included */
#define HTTP_CHUNK_META_MAX 16384 /* chunk extensions and trailers, which carry no body */

/* "Name: value" split into its parts (pointers into the original text). */
struct http_field {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

struct http_response {
	unsigned minor; /* HTTP/1.x */
	unsigned status;
	bool chunked; /* Transfer-Encoding ends in "chunked" */
	bool encoded; /* any Transfer-Encoding: the body runs to the close unless chunked */
	bool has_length;
	uint64_t length;      /* Content-Length */
	const char *location; /* points into the head; NULL when absent */
	size_t location_len;
};

enum http_framing {
	HTTP_BODY_NONE,	   /* HEAD, 1xx, 204, 304 */
	HTTP_BODY_LENGTH,  /* Content-Length bytes */
	HTTP_BODY_CHUNKED, /* chunked transfer coding */
	HTTP_BODY_CLOSE,   /* everything until the server closes */
};

/* A -H argument: "Name: value" with a token name, no CR, LF, NUL or other
 * control bytes (a header must not smuggle in another header or request),
 * and not one of the headers that frame the request (Connection,
 * Content-Length, Transfer-Encoding), which the probe owns. 0, or -1 with
 * EINVAL and the reason in err. */
int http_check_header(const char *text, size_t len, struct http_field *f, struct buf *err);

/* The longest Host value accepted: a 253-byte name and ":65535" + slack. */
#define HTTP_HOST_MAX 261

/* A Host value from --host: non-empty, no spaces, no control bytes. */
int http_check_host(const char *text, size_t len, struct buf *err);

/* Field name equality, ASCII case-insensitive. */
bool http_field_is(const struct http_field *f, const char *name);

struct http_request {
	const char *method; /* "GET" or "HEAD" */
	const char *target; /* origin-form: "/path?query" */
	const char *host;   /* the Host value */
	size_t host_len;
	const struct http_field *headers; /* checked by http_check_header */
	size_t n_headers;
};

/* The request bytes: request line, Host, User-Agent and Accept (unless a
 * header of the same name replaces them), the extra headers, Connection:
 * close, and the blank line. 0, or -1 with E2BIG when b is too small. */
int http_build_request(struct buf *b, const struct http_request *rq);

/* How long the head at the start of buf[0..n) is, through its blank line,
 * or 0 while it is incomplete. Lines may end in CRLF or a bare LF. `from`
 * is how much of buf an earlier call already scanned, so a response
 * arriving a byte at a time costs linear, not quadratic, time. */
size_t http_head_length(const char *buf, size_t n, size_t from);

/* Early rejection: 0 while buf[0..n) can still become an HTTP status line,
 * -1 with the reason in err as soon as it cannot, so a server that answers
 * with something else fails the probe at once instead of at the deadline. */
int http_check_status_start(const char *buf, size_t n, struct buf *err);

/* "HTTP/1.x NNN[ reason]" in s[0..n) (no line end). */
int http_parse_status_line(const char *s, size_t n, struct http_response *r, struct buf *err);

/* A complete head (as measured by http_head_length): the status line, then
 * headers, of which Content-Length, Transfer-Encoding and Location matter.
 * 0, or -1 with EINVAL and the reason in err. */
int http_parse_head(const char *head, size_t n, struct http_response *r, struct buf *err);

/* An interim 1xx response, which the real response follows (101 is final). */
bool http_is_interim(unsigned status);

/* How the body after this head is delimited, for a GET or a HEAD request. */
enum http_framing http_framing(const struct http_response *r, bool head_request);

/* A chunked body decoder that works in place on whatever the socket gave. */
struct http_chunked {
	uint8_t state;
	bool done;     /* the last chunk and the trailers have been read */
	uint64_t left; /* data bytes left in the current chunk */
	size_t meta;   /* extension and trailer bytes seen */
};

void http_chunked_init(struct http_chunked *c);

/* Decode buf[0..n) in place: the chunk data lands at buf[0..*out). Bytes
 * after the end of the body are ignored. 0, or -1 with EINVAL and the reason
 * in err (bad or overflowing size, missing CRLF, oversized metadata). */
int http_chunked_decode(struct http_chunked *c, char *buf, size_t n, size_t *out, struct buf *err);

/* s[0..n) in double quotes for a one-line message: at most max bytes, with
 * anything but printable ASCII (and '"', '\\') written as \xNN, and "..."
 * when cut, so a hostile server cannot put escapes in a health log. */
void http_quote(struct buf *b, const char *s, size_t n, size_t max);

#endif

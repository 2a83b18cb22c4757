/* HTTP/1.1 as the probe speaks it: the request it sends, and pure parsers
 * for the response head and a chunked body. No I/O here, so every rule can
 * be unit-tested byte by byte; probe.c feeds these from the socket. */
#ifndef LUCID_HEALTH_HTTP_H
#define LUCID_HEALTH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define HTTP_LINE_MAX 4096		/* a head line read whole: the status line, Location, ... */
#define HTTP_HEAD_TOTAL_MAX (10u << 20) /* all head bytes, as Go's client (and so the kubelet) allows */
#define HTTP_INTERIM_MAX 5		/* 1xx responses before the final one, as Go allows */
#define HTTP_BODY_READ 10240		/* body bytes read, as the kubelet reads them */
#define HTTP_CHUNK_META_MAX 16384	/* chunk extensions and trailers, which carry no body */

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
	const char *location; /* points into struct http_head; NULL when absent */
	size_t location_len;
};

/* The response head, read incrementally with bounded memory: the status
 * line and the three fields the probe needs (Content-Length,
 * Transfer-Encoding, Location) are kept, every other line is streamed past
 * however long it is, within HTTP_HEAD_TOTAL_MAX in all. Only struct
 * http_head's functions touch the fields. */
struct http_head {
	struct http_response r;
	uint64_t total;	  /* head bytes taken, interim heads included */
	unsigned interim; /* 1xx heads skipped */
	uint8_t skip;	  /* streaming past a long line: 0 no, 1 its value, 2 its name */
	int8_t last;	  /* the kept field the previous line was, for obs-fold; -1 none */
	bool status_done; /* the status line of the current head was read */
	bool fields;	  /* a field line followed it */
	uint8_t n_te;	  /* Transfer-Encoding lines */
	size_t len;	  /* bytes in line */
	size_t lens[3];	  /* of the kept fields' values */
	char line[HTTP_LINE_MAX];
	char location[HTTP_LINE_MAX];
	char te[64];
	char cl[32];
};

void http_head_init(struct http_head *h);

/* Take bytes of the response from buf[0..n). 1 when the final head (1xx
 * heads skipped) ended: *used says how many bytes it took, the rest is body,
 * and h->r describes it. 0 when all n were taken and more are needed. -1
 * with EINVAL and the reason in err, as early as the bytes allow (a reply
 * that does not start with "HTTP/" fails at its first byte). */
int http_head_feed(struct http_head *h, const char *buf, size_t n, size_t *used, struct buf *err);

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

/* "HTTP/1.x NNN[ reason]" in s[0..n) (no line end). */
int http_parse_status_line(const char *s, size_t n, struct http_response *r, struct buf *err);

/* An interim 1xx response, which the real response follows (101 is final). */
bool http_is_interim(unsigned status);

/* How the body after this head is delimited, for a GET or a HEAD request. */
enum http_framing http_framing(const struct http_response *r, bool head_request);

/* A chunked body decoder that works in place on whatever the socket gave. */
struct http_chunked {
	uint8_t state;
	bool done;     /* the last chunk and the trailers have been read */
	uint64_t left; /* data bytes left in the current chunk */
	uint64_t want; /* data bytes still wanted: decoding stops there */
	size_t meta;   /* extension and trailer bytes seen */
};

void http_chunked_init(struct http_chunked *c);

/* Decode buf[0..n) in place: the chunk data lands at buf[0..*out). Bytes
 * after the end of the body, or after `want` data bytes (all, unless the
 * caller lowers it after init), are not looked at. 0, or -1 with EINVAL and the reason
 * in err (bad or overflowing size, missing CRLF, oversized metadata). */
int http_chunked_decode(struct http_chunked *c, char *buf, size_t n, size_t *out, struct buf *err);

/* s[0..n) in double quotes for a one-line message: at most max bytes, with
 * anything but printable ASCII (and '"', '\\') written as \xNN, and "..."
 * when cut, so a hostile server cannot put escapes in a health log. */
void http_quote(struct buf *b, const char *s, size_t n, size_t max);

#endif

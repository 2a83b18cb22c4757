#include "healthcheck/http.h"

#include <errno.h>
#include <string.h>

#include "common/ascii.h"
#include "common/parse.h"

#ifndef LUCID_VERSION
#define LUCID_VERSION "dev"
#endif

/* RFC 9110 tchar: the bytes a field name (a token) is made of. */
static bool is_tchar(char c)
{
	if (ascii_is_alnum(c))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* A control byte other than HT; DEL included. */
static bool is_ctl(char c)
{
	unsigned char u = (unsigned char)c;
	return (u < 0x20 && u != '\t') || u == 0x7f;
}

enum split_error { SPLIT_OK, SPLIT_NO_NAME, SPLIT_BAD_NAME, SPLIT_NO_COLON, SPLIT_CTL };

/* "Name: value" with the value's surrounding whitespace trimmed. */
static enum split_error split_field(const char *s, size_t n, struct http_field *f)
{
	size_t i = 0;

	while (i < n && is_tchar(s[i]))
		i++;
	if (i == 0)
		return n && s[0] != ':' ? SPLIT_BAD_NAME : SPLIT_NO_NAME;
	if (i == n)
		return SPLIT_NO_COLON;
	if (s[i] != ':')
		return SPLIT_BAD_NAME;
	f->name = s;
	f->name_len = i;
	i++;
	while (i < n && is_ows(s[i]))
		i++;
	while (n > i && is_ows(s[n - 1]))
		n--;
	for (size_t j = i; j < n; j++)
		if (is_ctl(s[j]))
			return SPLIT_CTL;
	f->value = s + i;
	f->value_len = n - i;
	return SPLIT_OK;
}

bool http_field_is(const struct http_field *f, const char *name)
{
	return ascii_equal_nocase(f->name, f->name_len, name);
}

int http_check_header(const char *text, size_t len, struct http_field *f, struct buf *err)
{
	if (memchr(text, '\r', len) || memchr(text, '\n', len) || memchr(text, '\0', len))
		return buf_error(err, "header contains CR, LF or NUL (header injection)");
	switch (split_field(text, len, f)) {
	case SPLIT_OK:
		break;
	case SPLIT_NO_NAME:
		return buf_error(err, "header has no name (expected 'Name: value')");
	case SPLIT_BAD_NAME:
		return buf_error(
			err, "header name may hold only letters, digits and !#$%&'*+-.^_`|~ (expected 'Name: value')");
	case SPLIT_NO_COLON:
		return buf_error(err, "header has no ':' (expected 'Name: value')");
	case SPLIT_CTL:
		return buf_error(err, "header value contains a control character");
	}
	if (http_field_is(f, "Connection") || http_field_is(f, "Content-Length") ||
	    http_field_is(f, "Transfer-Encoding"))
		return buf_error(err, "Connection, Content-Length and Transfer-Encoding are set by lucid-health");
	return 0;
}

int http_check_host(const char *text, size_t len, struct buf *err)
{
	if (len == 0)
		return buf_error(err, "Host is empty");
	/* A DNS name is at most 253 bytes; a bracketed IPv6 literal and a port
	 * fit in the rest. Checked here so a long Host fails as a usage error,
	 * not later as a request that does not fit. */
	if (len > HTTP_HOST_MAX)
		return buf_error(err, "Host is longer than 261 bytes");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] <= 0x20 || text[i] == 0x7f)
			return buf_error(err, "Host contains a space or a control character (header injection)");
	return 0;
}

static bool has_header(const struct http_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_headers; i++)
		if (http_field_is(&rq->headers[i], name))
			return true;
	return false;
}

int http_build_request(struct buf *b, const struct http_request *rq)
{
	buf_fmt(b, "%s %s HTTP/1.1\r\nHost: ", rq->method, rq->target);
	buf_mem(b, rq->host, rq->host_len);
	buf_str(b, "\r\n");
	if (!has_header(rq, "User-Agent"))
		buf_str(b, "User-Agent: lucid-health/" LUCID_VERSION "\r\n");
	if (!has_header(rq, "Accept"))
		buf_str(b, "Accept: */*\r\n");
	for (size_t i = 0; i < rq->n_headers; i++) {
		const struct http_field *f = &rq->headers[i];
		buf_mem(b, f->name, f->name_len);
		buf_str(b, ": ");
		buf_mem(b, f->value, f->value_len);
		buf_str(b, "\r\n");
	}
	buf_str(b, "Connection: close\r\n\r\n");
	if (buf_truncated(b)) {
		errno = E2BIG;
		return -1;
	}
	return 0;
}

static void quote_line(struct buf *err, const char *s, size_t n)
{
	const char *lf = memchr(s, '\n', n);
	if (lf)
		n = (size_t)(lf - s);
	if (n && s[n - 1] == '\r')
		n--;
	http_quote(err, s, n, 40);
}

int http_parse_status_line(const char *s, size_t n, struct http_response *r, struct buf *err)
{
	/* "HTTP/1.1 200" is the shortest: 12 bytes. */
	if (n < 12 || memcmp(s, "HTTP/", 5) != 0 || !ascii_is_digit(s[5]) || s[6] != '.' || !ascii_is_digit(s[7]) ||
	    s[8] != ' ' || !ascii_is_digit(s[9]) || !ascii_is_digit(s[10]) || !ascii_is_digit(s[11]) ||
	    (n > 12 && s[12] != ' ')) {
		buf_str(err, "bad status line: ");
		quote_line(err, s, n);
		errno = EINVAL;
		return -1;
	}
	if (s[5] != '1') {
		buf_str(err, "unsupported HTTP version: ");
		quote_line(err, s, n);
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 13; i < n; i++) {
		if (is_ctl(s[i])) {
			buf_str(err, "control character in the status line");
			errno = EINVAL;
			return -1;
		}
	}
	r->minor = (unsigned)(s[7] - '0');
	r->status = (unsigned)(s[9] - '0') * 100 + (unsigned)(s[10] - '0') * 10 + (unsigned)(s[11] - '0');
	if (r->status < 100 || r->status > 599) {
		buf_fmt(err, "status %u is outside 100-599", r->status);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* The fields the probe keeps, in struct http_head's lens[] order. */
enum { F_LOCATION, F_TE, F_CL };
static const char *const kept_names[] = { "Location", "Transfer-Encoding", "Content-Length" };

static char *kept_mem(struct http_head *h, int f, size_t *cap)
{
	*cap = f == F_LOCATION ? sizeof h->location : f == F_TE ? sizeof h->te : sizeof h->cl;
	return f == F_LOCATION ? h->location : f == F_TE ? h->te : h->cl;
}

/* A field name as Go's client reads one: token bytes, and spaces, which it
 * accepts (Name : value) but never takes for a known field. */
static bool is_name_byte(char c)
{
	return is_tchar(c) || c == ' ';
}

/* Which kept field the name s[0..n) is, or -1. */
static int kept_field(const char *s, size_t n)
{
	for (int f = 0; f < 3; f++)
		if (ascii_equal_nocase(s, n, kept_names[f]))
			return f;
	return -1;
}

static int too_long(struct buf *err, const char *what)
{
	buf_fmt(err, "%s longer than %u bytes", what, HTTP_LINE_MAX);
	errno = EINVAL;
	return -1;
}

/* Append s[0..n) to a kept field (" " first for a folded line). */
static int keep_value(struct http_head *h, int f, const char *s, size_t n, bool fold, struct buf *err)
{
	size_t cap;
	char *mem = kept_mem(h, f, &cap);

	for (size_t i = 0; i < n; i++) {
		if (is_ctl(s[i])) {
			buf_fmt(err, "control character in %s", kept_names[f]);
			errno = EINVAL;
			return -1;
		}
	}
	if (fold && h->lens[f] && n) {
		if (h->lens[f] + 1 > cap)
			return too_long(err, kept_names[f]);
		mem[h->lens[f]++] = ' ';
	}
	if (h->lens[f] + n > cap)
		return too_long(err, kept_names[f]);
	memcpy(mem + h->lens[f], s, n);
	h->lens[f] += n;
	return 0;
}

static void trim_ows(const char **s, size_t *n)
{
	while (*n && is_ows(**s))
		(*s)++, (*n)--;
	while (*n && is_ows((*s)[*n - 1]))
		(*n)--;
}

/* One field line, whole, without its line end. */
static int field_line(struct http_head *h, const char *s, size_t n, struct buf *err)
{
	if (is_ows(s[0])) {
		/* obs-fold (RFC 9112 section 5.2): the line continues the last
		 * field, joined by a space. */
		if (!h->fields)
			return buf_error(err, "folded line before the first header field");
		trim_ows(&s, &n);
		return h->last >= 0 ? keep_value(h, h->last, s, n, true, err) : 0;
	}
	h->fields = true;
	h->last = -1;
	const char *colon = memchr(s, ':', n);
	size_t name_len = colon ? (size_t)(colon - s) : n;
	bool ok = colon != NULL;
	for (size_t i = 0; i < name_len && ok; i++)
		ok = is_name_byte(s[i]);
	if (!ok) {
		buf_str(err, "malformed header line: ");
		http_quote(err, s, n, 40);
		errno = EINVAL;
		return -1;
	}
	int f = kept_field(s, name_len);
	const char *v = colon + 1;
	size_t vn = n - name_len - 1;
	trim_ows(&v, &vn);
	if (f < 0)
		return 0;
	h->last = (int8_t)f;
	if (f == F_TE && h->n_te++)
		return 0; /* a second line: refused at the end, as Go does */
	if (f == F_CL && h->lens[F_CL]) {
		/* Repeated: only the same value again is no conflict. */
		if (vn != h->lens[F_CL] || memcmp(v, h->cl, vn) != 0)
			return buf_error(err, "conflicting Content-Length headers");
		return 0;
	}
	if (f == F_LOCATION && h->r.location)
		return 0; /* the first one counts */
	if (f == F_LOCATION)
		h->r.location = h->location;
	return keep_value(h, f, v, vn, false, err);
}

/* The end of a head: decide its framing from the kept fields. Go's client,
 * and so the kubelet, takes exactly one Transfer-Encoding line, "chunked",
 * from HTTP/1.1 and ignores it from HTTP/1.0. */
static int finish_head(struct http_head *h, struct buf *err)
{
	struct http_response *r = &h->r;

	r->location_len = h->lens[F_LOCATION];
	if (h->n_te && r->minor >= 1) {
		if (h->n_te > 1 || !ascii_equal_nocase(h->te, h->lens[F_TE], "chunked")) {
			buf_str(err, "unsupported Transfer-Encoding: ");
			http_quote(err, h->te, h->lens[F_TE], 40);
			errno = EINVAL;
			return -1;
		}
		r->encoded = r->chunked = true;
		return 0;
	}
	if (h->lens[F_CL]) {
		if (parse_u64_n(h->cl, h->lens[F_CL], UINT64_MAX >> 2, &r->length) < 0)
			return buf_error(err, "bad Content-Length");
		r->has_length = true;
	}
	return 0;
}

static void next_head(struct http_head *h)
{
	uint64_t total = h->total;
	unsigned interim = h->interim;

	http_head_init(h);
	h->total = total;
	h->interim = interim;
}

/* One whole line of the head, without its line end. 1 at the end of the
 * final head, else 0 or -1. */
static int head_line(struct http_head *h, const char *s, size_t n, struct buf *err)
{
	if (n && s[n - 1] == '\r')
		n--;
	if (!h->status_done) {
		if (http_parse_status_line(s, n, &h->r, err) < 0)
			return -1;
		h->status_done = true;
		return 0;
	}
	if (n)
		return field_line(h, s, n, err);
	if (!http_is_interim(h->r.status))
		return finish_head(h, err) < 0 ? -1 : 1;
	if (++h->interim > HTTP_INTERIM_MAX) {
		buf_fmt(err, "more than %u interim (1xx) responses", HTTP_INTERIM_MAX);
		errno = EINVAL;
		return -1;
	}
	next_head(h);
	return 0;
}

/* The line buffer is full and no LF came: stream past the rest of the line
 * when it is a field the probe does not keep. */
static int line_overflow(struct http_head *h, struct buf *err)
{
	const char *s = h->line;
	const char *colon = memchr(s, ':', h->len);

	if (!h->status_done)
		return too_long(err, "status line");
	if (is_ows(s[0])) {
		if (!h->fields)
			return buf_error(err, "folded line before the first header field");
		if (h->last >= 0)
			return too_long(err, kept_names[h->last]);
		h->skip = 1;
		return 0;
	}
	size_t name_len = colon ? (size_t)(colon - s) : h->len;
	for (size_t i = 0; i < name_len; i++)
		if (!is_name_byte(s[i]))
			return buf_error(err, "malformed header line");
	int f = colon ? kept_field(s, name_len) : -1;
	if (f >= 0)
		return too_long(err, kept_names[f]);
	h->fields = true;
	h->last = -1;
	h->skip = colon ? 1 : 2;
	return 0;
}

void http_head_init(struct http_head *h)
{
	memset(&h->r, 0, sizeof h->r);
	h->total = 0;
	h->interim = 0;
	h->skip = 0;
	h->last = -1;
	h->status_done = h->fields = false;
	h->n_te = 0;
	h->len = 0;
	memset(h->lens, 0, sizeof h->lens);
}

int http_head_feed(struct http_head *h, const char *buf, size_t n, size_t *used, struct buf *err)
{
	size_t i = 0;

	while (i < n) {
		const char *lf = memchr(buf + i, '\n', n - i);
		size_t take = lf ? (size_t)(lf - (buf + i)) : n - i;

		if (h->total + take + 1 > HTTP_HEAD_TOTAL_MAX)
			return buf_error(err, "response headers exceed 10 MiB");
		if (h->skip) {
			/* Streaming past a long line: only a name still needs looking at. */
			for (size_t k = 0; k < take && h->skip == 2; k++) {
				if (buf[i + k] == ':')
					h->skip = 1;
				else if (!is_name_byte(buf[i + k]))
					return buf_error(err, "malformed header line");
			}
			if (lf && h->skip == 2)
				return buf_error(err, "malformed header line");
			if (lf)
				h->skip = 0;
			h->total += take + (lf ? 1 : 0);
			i += take + (lf ? 1 : 0);
			continue;
		}
		size_t room = sizeof h->line - h->len;
		bool cut = take > room;
		size_t copy = cut ? room : take;
		memcpy(h->line + h->len, buf + i, copy);
		h->len += copy;
		h->total += copy;
		i += copy;
		if (!h->status_done) {
			/* Fail a reply that is not HTTP at its first bytes, not at the deadline. */
			size_t k = h->len < 5 ? h->len : 5;
			if (memcmp(h->line, "HTTP/", k) != 0) {
				buf_str(err, "not an HTTP response: ");
				quote_line(err, h->line, h->len);
				errno = EINVAL;
				return -1;
			}
		}
		if (cut || (!lf && h->len == sizeof h->line)) {
			if (line_overflow(h, err) < 0)
				return -1;
			h->len = 0;
			continue;
		}
		if (!lf)
			break;
		i++;
		h->total++;
		size_t len = h->len;
		h->len = 0;
		int rc = head_line(h, h->line, len, err);
		if (rc != 0) {
			*used = i;
			return rc;
		}
	}
	*used = i;
	return 0;
}

bool http_is_interim(unsigned status)
{
	return status >= 100 && status < 200 && status != 101;
}

enum http_framing http_framing(const struct http_response *r, bool head_request)
{
	if (head_request || r->status < 200 || r->status == 204 || r->status == 304)
		return HTTP_BODY_NONE;
	if (r->encoded)
		return r->chunked ? HTTP_BODY_CHUNKED : HTTP_BODY_CLOSE;
	if (r->has_length)
		return HTTP_BODY_LENGTH;
	return HTTP_BODY_CLOSE;
}

void http_quote(struct buf *b, const char *s, size_t n, size_t max)
{
	buf_char(b, '"');
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			buf_str(b, "\\x");
			buf_char(b, ascii_hex_digit(c >> 4));
			buf_char(b, ascii_hex_digit(c));
		} else {
			buf_char(b, (char)c);
		}
	}
	buf_str(b, n > max ? "\"..." : "\"");
}

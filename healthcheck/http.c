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

size_t http_head_length(const char *buf, size_t n, size_t from)
{
	size_t i = from > 2 ? from - 2 : 0;

	while (i < n) {
		const char *lf = memchr(buf + i, '\n', n - i);
		if (!lf)
			return 0;
		i = (size_t)(lf - buf) + 1;
		if (i < n && buf[i] == '\n')
			return i + 1;
		if (i + 1 < n && buf[i] == '\r' && buf[i + 1] == '\n')
			return i + 2;
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

int http_check_status_start(const char *buf, size_t n, struct buf *err)
{
	static const char prefix[] = "HTTP/";
	size_t k = n < 5 ? n : 5;
	const char *lf;

	if (memcmp(buf, prefix, k) != 0) {
		buf_str(err, "not an HTTP response: ");
		quote_line(err, buf, n);
		errno = EINVAL;
		return -1;
	}
	lf = memchr(buf, '\n', n);
	if (lf) {
		struct http_response r;
		size_t len = (size_t)(lf - buf);
		if (len && buf[len - 1] == '\r')
			len--;
		return http_parse_status_line(buf, len, &r, err);
	}
	return 0;
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

/* Transfer-Encoding is a list; only its last coding decides the framing. */
static bool last_coding_is_chunked(const char *v, size_t n)
{
	const char *comma;
	while ((comma = memchr(v, ',', n)) != NULL) {
		n -= (size_t)(comma - v) + 1;
		v = comma + 1;
	}
	while (n && is_ows(*v))
		v++, n--;
	return ascii_equal_nocase(v, n, "chunked");
}

static int parse_length(const struct http_field *f, struct http_response *r, struct buf *err)
{
	uint64_t v;

	if (parse_u64_n(f->value, f->value_len, UINT64_MAX >> 2, &v) < 0)
		return buf_error(err, "bad Content-Length");
	if (r->has_length && r->length != v)
		return buf_error(err, "conflicting Content-Length headers");
	r->has_length = true;
	r->length = v;
	return 0;
}

static int parse_field(const char *line, size_t n, struct http_response *r, struct buf *err)
{
	struct http_field f;

	if (is_ows(line[0]))
		return buf_error(err, "obsolete folded header line");
	if (split_field(line, n, &f) != SPLIT_OK) {
		buf_str(err, "malformed header line: ");
		http_quote(err, line, n, 40);
		errno = EINVAL;
		return -1;
	}
	if (http_field_is(&f, "Content-Length"))
		return parse_length(&f, r, err);
	if (http_field_is(&f, "Transfer-Encoding")) {
		r->encoded = true;
		r->chunked = last_coding_is_chunked(f.value, f.value_len);
	} else if (http_field_is(&f, "Location") && !r->location) {
		r->location = f.value;
		r->location_len = f.value_len;
	}
	return 0;
}

int http_parse_head(const char *head, size_t n, struct http_response *r, struct buf *err)
{
	const char *p = head, *end = head + n;
	bool first = true;

	memset(r, 0, sizeof *r);
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len = lf ? (size_t)(lf - p) : (size_t)(end - p);

		/* cppcheck-suppress knownConditionTrueFalse ; len is 0 for an empty line ("\n" at p) */
		if (len && p[len - 1] == '\r')
			len--;
		if (memchr(p, '\r', len))
			return buf_error(err, "stray CR in the response head");
		if (first) {
			if (http_parse_status_line(p, len, r, err) < 0)
				return -1;
			first = false;
		} else if (len == 0) {
			return 0;
		} else if (parse_field(p, len, r, err) < 0) {
			return -1;
		}
		if (!lf)
			break;
		p = lf + 1;
	}
	return buf_error(err, "incomplete response head");
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

#include "healthcheck/url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "common/ascii.h"
#include "common/parse.h"

/* Only visible ASCII may appear in a URL we send: a space or a control byte
 * would let a value rewrite the request line, and bytes >= 0x80 must be
 * percent-encoded by whoever wrote the URL. */
static bool url_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* A DNS name or IPv4 address as written: letters, digits, '-', '.', '_'. */
static bool host_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ascii_is_alpha(s[i]) && !ascii_is_digit(s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '_')
			return false;
	return true;
}

static int parse_port(const char *s, size_t n, uint16_t *port, struct buf *err)
{
	uint64_t v;

	if (parse_u64_n(s, n, 65535, &v) < 0 || v < 1)
		return buf_error(err, "port must be a number from 1 to 65535");
	*port = (uint16_t)v;
	return 0;
}

/* host[:port] or [v6][:port], already known to hold no '@', '/', '?' or '#'. */
static int parse_authority(const char *s, size_t n, struct url *u, bool *has_port, struct buf *err)
{
	const char *port = NULL;
	size_t host_len;

	*has_port = false;
	if (n == 0)
		return buf_error(err, "missing host");
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		char text[INET6_ADDRSTRLEN];
		unsigned char bin[16];

		if (!close)
			return buf_error(err, "unterminated IPv6 address (missing ']')");
		host_len = (size_t)(close - s) - 1;
		if (host_len == 0 || host_len >= sizeof text)
			return buf_error(err, "bad IPv6 address");
		memcpy(text, s + 1, host_len);
		text[host_len] = '\0';
		if (inet_pton(AF_INET6, text, bin) != 1)
			return buf_error(err, "bad IPv6 address");
		memcpy(u->host, text, host_len + 1);
		u->ipv6 = true;
		if (close + 1 < s + n) {
			if (close[1] != ':')
				return buf_error(err, "unexpected text after the IPv6 address");
			port = close + 2;
		}
	} else {
		const char *colon = memchr(s, ':', n);

		host_len = colon ? (size_t)(colon - s) : n;
		if (host_len == 0)
			return buf_error(err, "missing host");
		if (host_len > URL_HOST_MAX)
			return buf_error(err, "host name longer than 253 bytes");
		if (!host_chars_ok(s, host_len))
			return buf_error(err, "bad host name (letters, digits, '-', '.', '_' only; IPv6 in brackets)");
		memcpy(u->host, s, host_len);
		u->host[host_len] = '\0';
		if (colon)
			port = colon + 1;
	}
	if (port) {
		*has_port = true;
		return parse_port(port, (size_t)(s + n - port), &u->port, err);
	}
	return 0;
}

/* The request target from what follows the authority: "" becomes "/", "?q"
 * becomes "/?q", and a fragment is dropped (it never goes on the wire). */
static int set_target(struct url *u, const char *s, size_t n, struct buf *err)
{
	const char *hash = memchr(s, '#', n);
	size_t at = 0;

	if (hash)
		n = (size_t)(hash - s);
	if (n == 0 || s[0] != '/')
		u->target[at++] = '/';
	if (at + n > URL_MAX)
		return buf_error(err, "URL longer than 2048 bytes");
	memcpy(u->target + at, s, n);
	u->target[at + n] = '\0';
	return 0;
}

/* How many bytes at s make an RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static size_t scheme_length(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !ascii_is_alpha(s[0]))
		return 0;
	while (i < n && (ascii_is_alpha(s[i]) || ascii_is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	return i;
}

int url_parse(const char *text, size_t len, struct url *u, struct buf *err)
{
	const char *sep, *auth, *end = text + len;
	bool has_port;

	memset(u, 0, sizeof *u);
	if (len > URL_MAX)
		return buf_error(err, "URL longer than 2048 bytes");
	if (!url_chars_ok(text, len))
		return buf_error(err,
				 "URL contains a space, a control character or a non-ASCII byte (percent-encode it)");
	sep = text + scheme_length(text, len);
	if (sep == text || end - sep < 3 || memcmp(sep, "://", 3) != 0)
		return buf_error(err, "missing scheme (http://host[:port]/path or tcp://host:port)");
	size_t scheme_len = (size_t)(sep - text);
	if (ascii_equal_nocase(text, scheme_len, "http")) {
		u->scheme = URL_HTTP;
		u->port = 80;
	} else if (ascii_equal_nocase(text, scheme_len, "tcp")) {
		u->scheme = URL_TCP;
	} else if (ascii_equal_nocase(text, scheme_len, "https")) {
		return buf_error(err, "https is not supported yet");
	} else {
		return buf_error(err, "unsupported scheme (use http:// or tcp://)");
	}

	auth = sep + 3;
	const char *rest = auth;
	while (rest < end && *rest != '/' && *rest != '?' && *rest != '#')
		rest++;
	if (memchr(auth, '@', (size_t)(rest - auth)))
		return buf_error(err, "credentials in the URL (user@host) are not supported");
	if (parse_authority(auth, (size_t)(rest - auth), u, &has_port, err) < 0)
		return -1;

	if (u->scheme == URL_TCP) {
		if (!has_port)
			return buf_error(err, "tcp:// needs a port (tcp://host:port)");
		if (rest < end && !(end - rest == 1 && *rest == '/'))
			return buf_error(err, "tcp:// takes no path or query");
		u->target[0] = '/';
		return 0;
	}
	return set_target(u, rest, (size_t)(end - rest), err);
}

bool url_same_origin(const struct url *a, const struct url *b)
{
	size_t n = strlen(a->host);

	if (a->scheme != b->scheme || a->port != b->port || a->ipv6 != b->ipv6 || strlen(b->host) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a->host[i]) != ascii_lower(b->host[i]))
			return false;
	return true;
}

void url_authority(struct buf *b, const struct url *u)
{
	if (u->ipv6)
		buf_char(b, '[');
	buf_str(b, u->host);
	if (u->ipv6)
		buf_char(b, ']');
	if (u->scheme != URL_HTTP || u->port != 80) {
		buf_char(b, ':');
		buf_u64(b, u->port);
	}
}

void url_format(struct buf *b, const struct url *u)
{
	buf_str(b, u->scheme == URL_HTTP ? "http://" : "tcp://");
	url_authority(b, u);
	if (u->scheme == URL_HTTP)
		buf_str(b, u->target);
}

/* RFC 3986 5.2.4 remove_dot_segments over in[0..n) (a path that starts with
 * '/'), appended to out[0..*len) which holds at most cap bytes. */
static int remove_dot_segments(const char *in, size_t n, char *out, size_t *len, size_t cap)
{
	char work[2 * URL_MAX + 2]; /* a base path and a Location, merged */
	char *p = work, *end;

	if (n > sizeof work) /* checked before work + n, which would point past work */
		return -1;
	end = work + n;
	memcpy(work, in, n);
	while (p < end) {
		size_t left = (size_t)(end - p);

		if (left >= 3 && memcmp(p, "../", 3) == 0) {
			p += 3;
		} else if ((left >= 2 && memcmp(p, "./", 2) == 0) || (left >= 3 && memcmp(p, "/./", 3) == 0)) {
			p += 2; /* "./" goes; "/./" becomes "/" */
		} else if (left == 2 && memcmp(p, "/.", 2) == 0) {
			p += 1;
			*p = '/';
		} else if ((left >= 4 && memcmp(p, "/../", 4) == 0) || (left == 3 && memcmp(p, "/..", 3) == 0)) {
			p += left >= 4 ? 3 : 2;
			*p = '/';
			while (*len > 0 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 0)
				(*len)--;
		} else if ((left == 1 && *p == '.') || (left == 2 && memcmp(p, "..", 2) == 0)) {
			p = end;
		} else {
			char *seg_end = p + 1;
			while (seg_end < end && *seg_end != '/')
				seg_end++;
			size_t seg = (size_t)(seg_end - p);
			if (*len + seg > cap)
				return -1;
			memcpy(out + *len, p, seg);
			*len += seg;
			p = seg_end;
		}
	}
	return 0;
}

/* A reference that starts with a scheme ("http:", "https:", "ftp:") is absolute. */
static bool has_scheme(const char *s, size_t n)
{
	size_t i = scheme_length(s, n);

	return i > 0 && i < n && s[i] == ':';
}

int url_resolve(const struct url *base, const char *loc, size_t len, struct url *out, struct buf *err)
{
	char merged[2 * URL_MAX + 2];
	size_t mlen = 0, path_len, base_path_len, outlen = 0;
	const char *hash, *query;

	if (len == 0)
		return buf_error(err, "empty Location");
	if (len > URL_MAX)
		return buf_error(err, "Location longer than 2048 bytes");
	if (!url_chars_ok(loc, len))
		return buf_error(err, "Location contains a space, a control character or a non-ASCII byte");
	if (has_scheme(loc, len)) {
		const char *colon = memchr(loc, ':', len);
		if ((size_t)(colon - loc) + 3 > len || memcmp(colon, "://", 3) != 0)
			return buf_error(err, "unsupported scheme (use http:// or tcp://)");
		return url_parse(loc, len, out, err);
	}
	if (len >= 2 && loc[0] == '/' && loc[1] == '/') {
		/* Scheme-relative: the base's scheme with a new authority. */
		memcpy(merged, base->scheme == URL_HTTP ? "http:" : "tcp:", base->scheme == URL_HTTP ? 5 : 4);
		mlen = base->scheme == URL_HTTP ? 5 : 4;
		memcpy(merged + mlen, loc, len);
		return url_parse(merged, mlen + len, out, err);
	}

	hash = memchr(loc, '#', len);
	if (hash)
		len = (size_t)(hash - loc);
	*out = *base;
	query = memchr(base->target, '?', strlen(base->target));
	base_path_len = query ? (size_t)(query - base->target) : strlen(base->target);

	if (len == 0)
		return 0; /* only a fragment: the same resource */
	if (loc[0] == '/') {
		memcpy(merged, loc, len);
		mlen = len;
	} else if (loc[0] == '?') {
		memcpy(merged, base->target, base_path_len);
		memcpy(merged + base_path_len, loc, len);
		mlen = base_path_len + len;
	} else {
		/* Relative path: replace the base's last segment. */
		size_t dir = base_path_len;
		while (dir > 0 && base->target[dir - 1] != '/')
			dir--;
		memcpy(merged, base->target, dir);
		memcpy(merged + dir, loc, len);
		mlen = dir + len;
	}

	query = memchr(merged, '?', mlen);
	path_len = query ? (size_t)(query - merged) : mlen;
	if (remove_dot_segments(merged, path_len, out->target, &outlen, URL_MAX) < 0)
		return buf_error(err, "Location longer than 2048 bytes");
	if (outlen == 0)
		out->target[outlen++] = '/';
	if (outlen + (mlen - path_len) > URL_MAX)
		return buf_error(err, "Location longer than 2048 bytes");
	memcpy(out->target + outlen, merged + path_len, mlen - path_len);
	out->target[outlen + mlen - path_len] = '\0';
	return 0;
}

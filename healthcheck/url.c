#include "healthcheck/url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "common/ascii.h"
#include "common/parse.h"

static bool is_ctl_byte(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

/* Bytes a request target never carries as they are: a space or a control
 * byte would rewrite the request line, bytes >= 0x80 are not ASCII, and in
 * the path Go also encodes the delimiters RFC 3986 leaves out of it. */
static bool must_encode(char c, bool in_query)
{
	unsigned char u = (unsigned char)c;

	if (u <= 0x20 || u >= 0x7f)
		return true;
	return !in_query && strchr("\"<>\\^`{|}", c) != NULL;
}

/* s[0..n) (a path, a query and maybe a fragment) percent-encoded into
 * out[0..*len), at most cap bytes. */
static int encode_target(const char *s, size_t n, char *out, size_t *len, size_t cap, struct buf *err)
{
	bool in_query = false;

	*len = 0;
	for (size_t i = 0; i < n; i++) {
		in_query = in_query || s[i] == '?';
		if (*len + 3 > cap)
			return buf_error(err, "URL longer than 2048 bytes (percent-encoded)");
		if (must_encode(s[i], in_query)) {
			out[(*len)++] = '%';
			out[(*len)++] = ascii_upper(ascii_hex_digit((unsigned char)s[i] >> 4));
			out[(*len)++] = ascii_upper(ascii_hex_digit((unsigned char)s[i]));
		} else {
			out[(*len)++] = s[i];
		}
	}
	return 0;
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

static const struct {
	const char *name;
	enum url_scheme scheme;
	uint16_t port; /* 0: the URL must give one */
} schemes[] = {
	{ "http", URL_HTTP, 80 }, { "https", URL_HTTPS, 443 }, { "tcp", URL_TCP, 0 },
	{ "grpc", URL_GRPC, 0 },  { "grpcs", URL_GRPCS, 0 },
};

static const char *scheme_name(enum url_scheme s)
{
	return schemes[s].name;
}

int url_parse(const char *text, size_t len, struct url *u, struct buf *err)
{
	const char *sep, *auth, *end = text + len;
	bool has_port;
	size_t i;

	memset(u, 0, sizeof *u);
	if (len > URL_MAX)
		return buf_error(err, "URL longer than 2048 bytes");
	sep = text + scheme_length(text, len);
	if (sep == text || end - sep < 3 || memcmp(sep, "://", 3) != 0)
		return buf_error(err,
				 "missing scheme (http[s]://host[:port]/path, tcp://host:port, grpc[s]://host:port)");
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (ascii_equal_nocase(text, (size_t)(sep - text), schemes[i].name))
			break;
	if (i == sizeof schemes / sizeof schemes[0])
		return buf_error(err, "unsupported scheme (use http, https, tcp, grpc or grpcs)");
	u->scheme = schemes[i].scheme;
	u->port = schemes[i].port;

	auth = sep + 3;
	const char *rest = auth;
	while (rest < end && *rest != '/' && *rest != '?' && *rest != '#')
		rest++;
	for (const char *c = auth; c < rest; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			return buf_error(err, "the host contains a space, a control character or a non-ASCII byte");
	if (memchr(auth, '@', (size_t)(rest - auth)))
		return buf_error(err, "credentials in the URL (user@host) are not supported");
	if (parse_authority(auth, (size_t)(rest - auth), u, &has_port, err) < 0)
		return -1;

	if (!url_is_http(u)) {
		const char *name = schemes[i].name;
		u->target[0] = '/';
		if (!has_port)
			buf_fmt(err, "%s:// needs a port (%s://host:port)", name, name);
		else if (rest < end && !(end - rest == 1 && *rest == '/'))
			buf_fmt(err, "%s:// takes no path or query", name);
		else
			return 0;
		errno = EINVAL;
		return -1;
	}
	char encoded[URL_MAX + 1] = { 0 };
	size_t n;
	if (encode_target(rest, (size_t)(end - rest), encoded, &n, sizeof encoded - 1, err) < 0)
		return -1;
	return set_target(u, encoded, n, err);
}

bool url_is_http(const struct url *u)
{
	return u->scheme == URL_HTTP || u->scheme == URL_HTTPS;
}

bool url_is_grpc(const struct url *u)
{
	return u->scheme == URL_GRPC || u->scheme == URL_GRPCS;
}

bool url_is_tls(const struct url *u)
{
	return u->scheme == URL_HTTPS || u->scheme == URL_GRPCS;
}

bool url_same_host(const struct url *a, const struct url *b)
{
	return a->ipv6 == b->ipv6 && strcmp(a->host, b->host) == 0;
}

void url_authority(struct buf *b, const struct url *u)
{
	if (u->ipv6)
		buf_char(b, '[');
	buf_str(b, u->host);
	if (u->ipv6)
		buf_char(b, ']');
	if (u->port != schemes[u->scheme].port) {
		buf_char(b, ':');
		buf_u64(b, u->port);
	}
}

void url_format(struct buf *b, const struct url *u)
{
	buf_str(b, scheme_name(u->scheme));
	buf_str(b, "://");
	url_authority(b, u);
	if (url_is_http(u))
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
	for (size_t i = 0; i < len; i++)
		if (is_ctl_byte(loc[i]))
			return buf_error(err, "control character in the Location"); /* as Go refuses it */
	if (has_scheme(loc, len)) {
		const char *colon = memchr(loc, ':', len);
		if ((size_t)(colon - loc) + 3 > len || memcmp(colon, "://", 3) != 0)
			return buf_error(err, "unsupported scheme");
		return url_parse(loc, len, out, err);
	}
	if (len >= 2 && loc[0] == '/' && loc[1] == '/') {
		/* Scheme-relative: the base's scheme with a new authority. */
		const char *name = scheme_name(base->scheme);
		mlen = strlen(name);
		memcpy(merged, name, mlen);
		merged[mlen++] = ':';
		memcpy(merged + mlen, loc, len);
		return url_parse(merged, mlen + len, out, err);
	}
	char encoded[URL_MAX + 1];
	if (encode_target(loc, len, encoded, &len, sizeof encoded - 1, err) < 0)
		return -1;
	loc = encoded;

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

/* Probe targets: http://host[:port][/path][?query] and tcp://host:port.
 *
 * Parsing is strict on purpose: the probe only ever talks to one service it
 * was pointed at, so anything ambiguous (credentials, spaces, control bytes,
 * unknown schemes) is a configuration mistake to report, not to guess at. */
#ifndef LUCID_HEALTH_URL_H
#define LUCID_HEALTH_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define URL_MAX 2048	 /* a whole URL, and the request target it yields */
#define URL_HOST_MAX 253 /* the longest DNS name */

enum url_scheme { URL_HTTP, URL_TCP };

struct url {
	enum url_scheme scheme;
	bool ipv6;		     /* host is an IPv6 literal, written in brackets */
	uint16_t port;		     /* explicit, or 80 for http */
	char host[URL_HOST_MAX + 1]; /* without brackets */
	char target[URL_MAX + 1];    /* path and query, always starting with '/' */
};

/* Parse text[0..len) into u. 0, or -1 with EINVAL and the reason in err
 * ("https is not supported yet", "port must be a number from 1 to 65535"). */
int url_parse(const char *text, size_t len, struct url *u, struct buf *err);

/* The URL a redirect's Location value leads to from base, resolved as
 * RFC 3986 section 5 says (absolute, scheme-relative, absolute-path, query-only
 * and relative references; dot segments removed; fragment dropped).
 * 0, or -1 with EINVAL and the reason in err. */
int url_resolve(const struct url *base, const char *loc, size_t len, struct url *out, struct buf *err);

/* Same scheme, host (ASCII case-insensitive) and port: the only redirects
 * the probe follows, so a health check can never be sent somewhere else. */
bool url_same_origin(const struct url *a, const struct url *b);

/* "host[:port]", IPv6 in brackets; the port is left out when it is http's 80.
 * This is the Host header's value and how messages name the service. */
void url_authority(struct buf *b, const struct url *u);

/* The whole URL, "http://host[:port]/target" or "tcp://host:port". */
void url_format(struct buf *b, const struct url *u);

#endif

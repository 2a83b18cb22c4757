/* Probe targets: http[s]://host[:port][/path][?query], tcp://host:port and
 * grpc[s]://host:port.
 *
 * The authority is parsed strictly: the probe only ever talks to the one
 * service it was pointed at, so credentials, odd host bytes and unknown
 * schemes are configuration mistakes to report, not to guess at. The path
 * and query are taken as the kubelet takes a probe's path (Go's URL
 * handling): a space, a control byte or a non-ASCII byte is percent-encoded,
 * not refused. */
#ifndef LUCID_HEALTH_URL_H
#define LUCID_HEALTH_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define URL_MAX 2048	 /* a whole URL, and the request target it yields */
#define URL_HOST_MAX 253 /* the longest DNS name */

enum url_scheme { URL_HTTP, URL_HTTPS, URL_TCP, URL_GRPC, URL_GRPCS };

struct url {
	enum url_scheme scheme;
	bool ipv6;		     /* host is an IPv6 literal, written in brackets */
	uint16_t port;		     /* explicit, or 80 for http, 443 for https */
	char host[URL_HOST_MAX + 1]; /* without brackets */
	char target[URL_MAX + 1];    /* path and query, always starting with '/' */
};

/* Parse text[0..len) into u. 0, or -1 with EINVAL and the reason in err
 * ("port must be a number from 1 to 65535"). */
int url_parse(const char *text, size_t len, struct url *u, struct buf *err);

/* The URL a redirect's Location value leads to from base, resolved as
 * RFC 3986 section 5 says (absolute, scheme-relative, absolute-path, query-only
 * and relative references; dot segments removed; fragment dropped).
 * 0, or -1 with EINVAL and the reason in err. */
int url_resolve(const struct url *base, const char *loc, size_t len, struct url *out, struct buf *err);

/* The same host name, byte for byte (any scheme, any port): the kubelet's
 * rule for the redirects it follows (Go's URL.Hostname() compared). */
bool url_same_host(const struct url *a, const struct url *b);

/* http:// or https:// */
bool url_is_http(const struct url *u);

/* grpc:// or grpcs:// */
bool url_is_grpc(const struct url *u);

/* https:// or grpcs:// */
bool url_is_tls(const struct url *u);

/* "host[:port]", IPv6 in brackets; the port is left out when it is the
 * scheme's default (80, 443). This is the Host header's (and gRPC's
 * :authority) value and how messages name the service. */
void url_authority(struct buf *b, const struct url *u);

/* The whole URL, "http://host[:port]/target", "tcp://host:port", ... */
void url_format(struct buf *b, const struct url *u);

#endif

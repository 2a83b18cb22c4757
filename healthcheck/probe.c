#include "healthcheck/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "healthcheck/conn.h"
#include "healthcheck/errors.h"
#include "healthcheck/match.h"
#include "healthcheck/link.h"
#include "healthcheck/resolve.h"
#ifndef LUCID_HEALTH_HTTP_ONLY
#include "healthcheck/grpc.h"
#include "healthcheck/tls.h"
#endif

struct probe {
	const struct options *o;
	struct buf *out;
	uint64_t start_us;
	uint64_t end_us;       /* the one deadline */
	size_t have;	       /* body bytes at the start of buf, read with the head */
	struct http_head head; /* the response head as it is read */
	char buf[16384];       /* what the socket gives, a piece at a time */
};

/* "5.0 s"; "0.250 s" when tenths would round the value. */
static void put_seconds(struct buf *b, uint64_t ms)
{
	buf_fixed(b, ms, 1000, ms % 100 ? 3 : 1);
	buf_str(b, " s");
}

static void put_elapsed(struct probe *p)
{
	buf_str(p->out, " in ");
	buf_fixed(p->out, clock_now_us() - p->start_us, 1000, 1);
	buf_str(p->out, " ms");
}

static int timed_out(struct probe *p, const char *during)
{
	buf_str(p->out, "timed out after ");
	put_seconds(p->out, p->o->timeout_ms);
	buf_str(p->out, " while ");
	buf_str(p->out, during);
	return -1;
}

/* "GET http://host:port/path", how messages name a request. */
static void put_request(struct probe *p, const struct url *u)
{
	if (url_is_http(u))
		buf_str(p->out, p->o->head ? "HEAD " : "GET ");
	url_format(p->out, u);
	if (p->o->unix_socket)
		buf_fmt(p->out, " via unix:%s", p->o->unix_socket);
}

/* "127.0.0.1:8080", "[::1]:80", "localhost:8080": always with the port. */
static void put_host_port(struct buf *b, const struct url *u)
{
	buf_fmt(b, u->ipv6 ? "[%s]:%u" : "%s:%u", u->host, u->port);
}

/* Resolve u's host (or take the Unix socket) and connect, within
 * --connect-timeout when set. The socket, or -1 with the story in p->out. */
static int connect_service(struct probe *p, const struct url *u, struct address *peer)
{
	struct address addrs[RESOLVE_MAX];
	char why[128];
	struct buf w;
	int n, fd;
	size_t used = 0;

	buf_init(&w, why, sizeof why);
	if (p->o->unix_socket) {
		n = 1;
		if (resolve_unix(p->o->unix_socket, &addrs[0]) < 0) {
			/* options.c has checked it; say so anyway rather than nothing */
			buf_fmt(p->out, "connect unix:%s: ", p->o->unix_socket);
			error_put(p->out, errno);
			return -1;
		}
	} else {
		n = resolve_host(u->host, u->port, addrs, RESOLVE_MAX, p->end_us, &w);
		if (n < 0 && errno == ETIMEDOUT)
			return timed_out(p, "resolving the host name");
		if (n < 0) {
			buf_fmt(p->out, "resolve %s: %s", u->host, why);
			return -1;
		}
	}

	uint64_t connect_end = p->end_us;
	if (p->o->connect_timeout_ms) {
		uint64_t limit = clock_now_us() + p->o->connect_timeout_ms * 1000;
		if (limit < connect_end)
			connect_end = limit;
	}
	fd = conn_open(addrs, (size_t)n, connect_end, &used);
	if (fd >= 0) {
		*peer = addrs[used];
		return fd;
	}
	int e = errno;
	if (e == ETIMEDOUT && clock_now_us() >= p->end_us)
		return timed_out(p, "connecting");
	buf_str(p->out, "connect ");
	if (p->o->unix_socket)
		buf_fmt(p->out, "unix:%s", p->o->unix_socket);
	else
		put_host_port(p->out, u);
	buf_str(p->out, ": ");
	if (e == ETIMEDOUT) {
		buf_str(p->out, "timed out after ");
		put_seconds(p->out, p->o->connect_timeout_ms);
		buf_str(p->out, " (--connect-timeout)");
	} else {
		error_put(p->out, e);
	}
	if (n > 1)
		buf_fmt(p->out, " (tried %d addresses)", n);
	return -1;
}

#ifndef LUCID_HEALTH_HTTP_ONLY
static bool is_ipv4_literal(const char *host)
{
	struct in_addr a;

	return inet_pton(AF_INET, host, &a) == 1;
}

static int start_tls(struct probe *p, const struct url *u, struct link *l, const char *alpn)
{
	const struct options *o = p->o;
	struct tls_options t = {
		.cacert = o->cacert,
		.verify = o->verify,
		.server_name = o->server_name,
		.cert = o->cert,
		.key = o->key,
		.alpn = alpn,
	};
	char why[200];
	struct buf w;
	bool ip = u->ipv6 || is_ipv4_literal(u->host);

	buf_init(&w, why, sizeof why);
	if (tls_start(l, &t, u->host, ip, p->end_us, &w) == 0)
		return 0;
	if (errno == ETIMEDOUT)
		return timed_out(p, "in the TLS handshake");
	if (errno == EINVAL) { /* a file of ours, not the server */
		buf_str(p->out, why);
		return -1;
	}
	buf_str(p->out, "TLS handshake with ");
	put_host_port(p->out, u);
	buf_fmt(p->out, ": %s", why);
	return -1;
}
#endif

/* A connection to u, with TLS for https:// and grpcs://. 0 with l set, or
 * -1 with the story in p->out (and l closed). */
static int open_link(struct probe *p, const struct url *u, struct link *l, const char *alpn)
{
	struct address peer;

	l->tls = NULL;
	l->fd = connect_service(p, u, &peer);
	if (l->fd < 0)
		return -1;
	if (url_is_tls(u) || url_is_grpc(u)) {
		/* TLS and HTTP/2 write several small records in a row: without
		 * this, Nagle holds each back for the last one's delayed ACK
		 * (40 ms a time on Linux). */
		int one = 1;
		(void)setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
#ifndef LUCID_HEALTH_HTTP_ONLY
	if (url_is_tls(u) && start_tls(p, u, l, alpn) < 0) {
		link_close(l);
		return -1;
	}
#else
	(void)alpn;
#endif
	return 0;
}

static int send_request(struct probe *p, struct link *l, const struct url *u, bool keep_host)
{
	char mem[8192], host[URL_HOST_MAX + 16];
	struct buf req, hb;
	struct http_request rq = {
		.method = p->o->head ? "HEAD" : "GET",
		.target = u->target,
		.host = keep_host ? p->o->host : NULL,
		.host_len = p->o->host_len,
		.headers = p->o->headers,
		.n_headers = p->o->n_headers,
	};

	if (!rq.host) {
		buf_init(&hb, host, sizeof host);
		url_authority(&hb, u);
		rq.host = buf_text(&hb);
		rq.host_len = buf_length(&hb);
	}
	buf_init(&req, mem, sizeof mem);
	if (http_build_request(&req, &rq) < 0) {
		buf_str(p->out, "the request would exceed 8192 bytes");
		return -1;
	}
	if (link_send(l, buf_text(&req), buf_length(&req), p->end_us) == 0)
		return 0;
	if (errno == ETIMEDOUT)
		return timed_out(p, "sending the request");
	put_request(p, u);
	buf_str(p->out, ": sending the request: ");
	link_error(p->out, l, errno);
	return -1;
}

/* Read until the head of the final response (1xx interim ones skipped) has
 * been taken; p->head.r describes it, and the first p->have bytes of p->buf
 * are body. */
static int read_head(struct probe *p, struct link *l, const struct url *u)
{
	char why[160];
	struct buf w;

	buf_init(&w, why, sizeof why);
	http_head_init(&p->head);
	for (;;) {
		ssize_t n = link_recv(l, p->buf, sizeof p->buf, p->end_us);
		if (n < 0 && errno == ETIMEDOUT)
			return timed_out(p, "reading headers");
		if (n <= 0) {
			put_request(p, u);
			if (n < 0) {
				buf_str(p->out, ": reading the response: ");
				link_error(p->out, l, errno);
			} else {
				buf_str(p->out, p->head.total ? ": connection closed in the middle of the headers"
							      : ": connection closed before any response");
			}
			return -1;
		}
		size_t used;
		int rc = http_head_feed(&p->head, p->buf, (size_t)n, &used, &w);
		if (rc < 0) {
			put_request(p, u);
			buf_str(p->out, ": ");
			buf_str(p->out, why);
			return -1;
		}
		if (rc == 1) {
			p->have = (size_t)n - used;
			memmove(p->buf, p->buf + used, p->have);
			log_debug("response status %u", p->head.r.status);
			return 0;
		}
	}
}

/* The body, read through its framing as the kubelet reads it: up to
 * HTTP_BODY_READ bytes (more with --body-contains, up to --max-body), all
 * within the deadline, and a body that ends early or breaks its framing
 * fails. With --body-contains, 0 only when the text was found. */
static int read_body(struct probe *p, struct link *l, const struct url *u)
{
	const struct options *o = p->o;
	const struct http_response *r = &p->head.r;
	enum http_framing framing = http_framing(r, o->head);
	static struct matcher m;
	struct http_chunked chunked;
	char why[160];
	struct buf w;
	uint64_t seen = 0, left = r->length;
	uint64_t limit = o->body_contains && o->max_body > HTTP_BODY_READ ? o->max_body : HTTP_BODY_READ;
	size_t n = p->have;
	bool ended = framing == HTTP_BODY_NONE || (framing == HTTP_BODY_LENGTH && left == 0);

	buf_init(&w, why, sizeof why);
	http_chunked_init(&chunked);
	chunked.want = limit;
	if (o->body_contains)
		matcher_init(&m, o->body_contains, o->body_contains_len); /* length checked by options.c */
	while (!ended && seen < limit) {
		size_t data = n;
		if (framing == HTTP_BODY_CHUNKED && http_chunked_decode(&chunked, p->buf, n, &data, &w) < 0) {
			put_request(p, u);
			buf_fmt(p->out, " -> %u, but the chunked body is malformed: %s", r->status, why);
			return -1;
		}
		if (framing == HTTP_BODY_LENGTH) {
			if (data > left)
				data = (size_t)left;
			left -= data;
		}
		size_t take = limit - seen < data ? (size_t)(limit - seen) : data;
		if (o->body_contains && seen < o->max_body) {
			size_t look = o->max_body - seen < take ? (size_t)(o->max_body - seen) : take;
			if (matcher_feed(&m, p->buf, look))
				return 0;
		}
		seen += take;
		if ((framing == HTTP_BODY_LENGTH && left == 0) || (framing == HTTP_BODY_CHUNKED && chunked.done) ||
		    seen >= limit)
			break;

		ssize_t got = link_recv(l, p->buf, sizeof p->buf, p->end_us);
		if (got < 0 && errno == ETIMEDOUT)
			return timed_out(p, "reading the body");
		if (got < 0 || (got == 0 && framing != HTTP_BODY_CLOSE)) {
			put_request(p, u);
			buf_fmt(p->out, " -> %u, but the body ", r->status);
			if (got < 0) {
				buf_str(p->out, "could not be read: ");
				link_error(p->out, l, errno);
			} else if (framing == HTTP_BODY_LENGTH)
				buf_fmt(p->out, "ended early after %llu of %llu bytes",
					(unsigned long long)(r->length - left), (unsigned long long)r->length);
			else
				buf_str(p->out, "ended before its last chunk");
			return -1;
		}
		ended = got == 0;
		n = (size_t)got;
	}
	log_debug("read %llu body bytes%s", (unsigned long long)seen, seen >= limit ? " (the limit)" : "");
	if (!o->body_contains)
		return 0;
	put_request(p, u);
	buf_fmt(p->out, " -> %u", r->status);
	put_elapsed(p);
	buf_str(p->out, ", but the body does not contain ");
	http_quote(p->out, o->body_contains, o->body_contains_len, 64);
	if (seen >= o->max_body)
		buf_fmt(p->out, " in its first %llu bytes (--max-body)", (unsigned long long)o->max_body);
	return -1;
}

static bool is_redirect(unsigned status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* A reference with a scheme ("https://...") is absolute. */
static bool is_absolute(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':')
			return i > 0;
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return false;
	}
	return false;
}

enum hop { HOP_FOLLOW, HOP_STAY, HOP_FAIL };

/* What the kubelet does with a redirect: follow it to the same host name
 * (any port, http or https) until a 10th would be needed, which fails;
 * to another host, stop and judge the redirect itself. */
static enum hop next_hop(struct probe *p, const struct url *u, unsigned hops, struct url *next)
{
	const struct http_response *r = &p->head.r;
	char why[160];
	struct buf w;

	buf_init(&w, why, sizeof why);
	if (url_resolve(u, r->location, r->location_len, next, &w) < 0)
		; /* w says why */
	else if (!url_same_host(u, next)) {
		log_debug("redirect to another host (%s), not followed", next->host);
		return HOP_STAY;
	} else if (!url_is_http(next))
		buf_str(&w, "unsupported scheme");
	else if (hops >= p->o->follow)
		buf_fmt(&w, "stopped after %u redirects", hops + 1);
	else {
		log_debug("following redirect %u to %s", hops + 1, next->target);
		return HOP_FOLLOW;
	}
	put_request(p, u);
	buf_fmt(p->out, " -> %u, redirect to ", r->status);
	http_quote(p->out, r->location, r->location_len, 80);
	buf_fmt(p->out, ": %s", why);
	return HOP_FAIL;
}

static int probe_http(struct probe *p)
{
	const struct options *o = p->o;
	struct url cur = o->url, next;
	unsigned hops = 0;
	bool keep_host = true; /* -H Host goes along on relative redirects, as Go's client does */
	struct link l;

	for (;;) {
		int rc = open_link(p, &cur, &l, NULL);
		if (rc < 0)
			return -1;
		rc = send_request(p, &l, &cur, keep_host);
		if (rc == 0)
			rc = read_head(p, &l, &cur);
		const struct http_response *r = &p->head.r;
		if (rc == 0 && !o->no_follow && is_redirect(r->status) && r->location) {
			enum hop h = next_hop(p, &cur, hops, &next);
			if (h != HOP_STAY) {
				link_close(&l);
				if (h == HOP_FAIL)
					return -1;
				keep_host = keep_host && !is_absolute(r->location, r->location_len);
				cur = next;
				hops++;
				continue;
			}
		}
		if (rc == 0 && !status_match(&o->status, r->status)) {
			put_request(p, &cur);
			buf_fmt(p->out, " -> %u", r->status);
			put_elapsed(p);
			buf_str(p->out, " (expected ");
			status_format(p->out, &o->status);
			buf_char(p->out, ')');
			rc = -1;
		} else if (rc == 0) {
			rc = read_body(p, &l, &cur);
		}
		link_close(&l);
		if (rc == 0) {
			put_request(p, &cur);
			buf_fmt(p->out, " -> %u", r->status);
			put_elapsed(p);
			if (hops)
				buf_fmt(p->out, " after %u redirect%s", hops, hops == 1 ? "" : "s");
			if (is_redirect(r->status) && r->location && !o->no_follow)
				buf_str(p->out, " (a redirect to another host, not followed)");
		}
		return rc;
	}
}

static int probe_tcp(struct probe *p)
{
	struct address peer;
	int fd = connect_service(p, &p->o->url, &peer);

	if (fd < 0)
		return -1;
	close(fd);
	char named[URL_HOST_MAX + 16], reached[64];
	struct buf nb, rb;

	buf_init(&nb, named, sizeof named);
	buf_init(&rb, reached, sizeof reached);
	put_host_port(&nb, &p->o->url);
	address_format(&rb, &peer);
	buf_fmt(p->out, "connect %s", named);
	if (strcmp(named, reached) != 0) /* a name: say which address answered */
		buf_fmt(p->out, " (%s)", reached);
	put_elapsed(p);
	return 0;
}

#ifndef LUCID_HEALTH_HTTP_ONLY
/* grpc.health.v1.Health/Check, as the kubelet's grpc: probe asks it. */
static int probe_grpc(struct probe *p)
{
	const struct options *o = p->o;
	const struct url *u = &o->url;
	char authority[URL_HOST_MAX + 16];
	struct grpc_result res;
	struct buf ab;
	struct link l;

	if (open_link(p, u, &l, "h2") < 0)
		return -1;
	if (l.tls && (!tls_alpn(&l) || strcmp(tls_alpn(&l), "h2") != 0)) {
		/* gRPC servers refuse TLS without h2 (RFC 9113 9.2 and gRPC's own rule). */
		buf_str(p->out, "grpcs ");
		put_host_port(p->out, u);
		buf_str(p->out, ": the server did not choose HTTP/2 (ALPN h2) in the TLS handshake");
		link_close(&l);
		return -1;
	}
	buf_init(&ab, authority, sizeof authority);
	url_authority(&ab, u);
	buf_str(p->out, url_is_tls(u) ? "grpcs " : "grpc ");
	put_host_port(p->out, u);
	buf_str(p->out, " service ");
	http_quote(p->out, o->service, o->service_len, 80);
	int rc = grpc_check(&l, buf_text(&ab), l.tls != NULL, o->service, o->service_len, p->end_us, &res, p->out);
	link_close(&l);
	if (rc == 0)
		put_elapsed(p);
	return rc;
}
#endif

int probe_run(const struct options *o, struct buf *out)
{
	static struct probe p;

	p.o = o;
	p.out = out;
	p.start_us = clock_now_us();
	p.end_us = p.start_us + o->timeout_ms * 1000;
	p.have = 0;
	if (o->url.scheme == URL_TCP)
		return probe_tcp(&p);
#ifndef LUCID_HEALTH_HTTP_ONLY
	if (url_is_grpc(&o->url))
		return probe_grpc(&p);
#endif
	return probe_http(&p);
}

#include "healthcheck/probe.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "healthcheck/conn.h"
#include "healthcheck/errors.h"
#include "healthcheck/match.h"
#include "healthcheck/resolve.h"

struct probe {
	const struct options *o;
	struct buf *out;
	uint64_t start_us;
	uint64_t end_us;	 /* the one deadline */
	size_t have;		 /* bytes in buf */
	size_t head_len;	 /* of the final response head at the start of buf */
	char buf[HTTP_HEAD_MAX]; /* the response head, then pieces of the body */
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
static int open_connection(struct probe *p, const struct url *u, struct address *peer)
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

static int send_request(struct probe *p, int fd, const struct url *u)
{
	char mem[8192], host[URL_HOST_MAX + 16];
	struct buf req, hb;
	struct http_request rq = {
		.method = p->o->head ? "HEAD" : "GET",
		.target = u->target,
		.host = p->o->host,
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
	if (conn_send(fd, buf_text(&req), buf_length(&req), p->end_us) == 0)
		return 0;
	if (errno == ETIMEDOUT)
		return timed_out(p, "sending the request");
	put_request(p, u);
	buf_str(p->out, ": sending the request: ");
	error_put(p->out, errno);
	return -1;
}

/* Read until the head of the final response (1xx interim ones skipped) is
 * in p->buf, bounded by HTTP_HEAD_MAX in all; r describes it. */
static int read_head(struct probe *p, int fd, const struct url *u, struct http_response *r)
{
	char why[160];
	struct buf w;
	size_t scanned = 0, budget = sizeof p->buf;

	buf_init(&w, why, sizeof why);
	p->have = 0;
	for (;;) {
		size_t len = http_head_length(p->buf, p->have, scanned);
		scanned = p->have;
		if (len) {
			if (http_parse_head(p->buf, len, r, &w) < 0)
				goto bad;
			log_debug("response status %u", r->status);
			if (!http_is_interim(r->status)) {
				p->head_len = len;
				return 0;
			}
			memmove(p->buf, p->buf + len, p->have - len);
			p->have -= len;
			budget -= len;
			scanned = 0;
			continue;
		}
		if (p->have && http_check_status_start(p->buf, p->have, &w) < 0)
			goto bad;
		if (p->have >= budget) {
			put_request(p, u);
			buf_str(p->out, ": response headers exceed 16384 bytes");
			return -1;
		}
		ssize_t n = conn_recv(fd, p->buf + p->have, budget - p->have, p->end_us);
		if (n < 0 && errno == ETIMEDOUT)
			return timed_out(p, "reading headers");
		if (n <= 0) {
			put_request(p, u);
			if (n < 0) {
				buf_str(p->out, ": reading the response: ");
				error_put(p->out, errno);
			} else {
				buf_str(p->out, p->have ? ": connection closed in the middle of the headers"
							: ": connection closed before any response");
			}
			return -1;
		}
		p->have += (size_t)n;
	}
bad:
	put_request(p, u);
	buf_str(p->out, ": ");
	buf_str(p->out, why);
	return -1;
}

/* Look for --body-contains in the body, through its framing, reading at
 * most --max-body bytes of it. 0 when found. */
static int check_body(struct probe *p, int fd, const struct url *u, const struct http_response *r)
{
	const struct options *o = p->o;
	enum http_framing framing = http_framing(r, o->head);
	struct http_chunked chunked;
	struct matcher m;
	char why[160];
	struct buf w;
	uint64_t seen = 0, left = r->length;
	size_t n = p->have - p->head_len;
	bool over = false, ended = framing == HTTP_BODY_NONE || (framing == HTTP_BODY_LENGTH && left == 0);

	buf_init(&w, why, sizeof why);
	http_chunked_init(&chunked);
	matcher_init(&m, o->body_contains, o->body_contains_len); /* length checked by options.c */
	memmove(p->buf, p->buf + p->head_len, n);
	while (!ended) {
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
		size_t take = o->max_body - seen < data ? (size_t)(o->max_body - seen) : data;
		if (matcher_feed(&m, p->buf, take))
			return 0;
		seen += take;
		if (data > take) {
			over = true;
			break;
		}
		if ((framing == HTTP_BODY_LENGTH && left == 0) || (framing == HTTP_BODY_CHUNKED && chunked.done))
			break;

		ssize_t got = conn_recv(fd, p->buf, sizeof p->buf, p->end_us);
		if (got < 0 && errno == ETIMEDOUT)
			return timed_out(p, "reading the body");
		if (got < 0 || (got == 0 && framing != HTTP_BODY_CLOSE)) {
			put_request(p, u);
			buf_fmt(p->out, " -> %u, but the body ", r->status);
			if (got < 0) {
				buf_str(p->out, "could not be read: ");
				error_put(p->out, errno);
			} else if (framing == HTTP_BODY_LENGTH)
				buf_fmt(p->out, "ended after %llu of %llu bytes",
					(unsigned long long)(r->length - left), (unsigned long long)r->length);
			else
				buf_str(p->out, "ended before its last chunk");
			return -1;
		}
		ended = got == 0;
		n = (size_t)got;
	}
	put_request(p, u);
	buf_fmt(p->out, " -> %u", r->status);
	put_elapsed(p);
	buf_str(p->out, ", but the body does not contain ");
	http_quote(p->out, o->body_contains, o->body_contains_len, 64);
	if (over)
		buf_fmt(p->out, " in its first %llu bytes (--max-body)", (unsigned long long)o->max_body);
	return -1;
}

static bool is_redirect(unsigned status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Where a redirect leads, if the probe may go there: same origin only, and
 * at most --follow hops. */
static int next_hop(struct probe *p, const struct url *u, const struct http_response *r, unsigned hops,
		    struct url *next)
{
	char why[160];
	struct buf w;
	int rc = -1;

	buf_init(&w, why, sizeof why);
	if (hops == p->o->follow)
		buf_fmt(&w, "more than %u redirects (--follow)", p->o->follow);
	else if (url_resolve(u, r->location, r->location_len, next, &w) < 0)
		; /* w says why */
	else if (!url_same_origin(u, next)) {
		buf_str(&w, "leaves ");
		url_authority(&w, u);
		buf_str(&w, ", not followed");
	} else
		rc = 0;
	if (rc == 0) {
		log_debug("following redirect %u to %s", hops + 1, next->target);
		return 0;
	}
	put_request(p, u);
	buf_fmt(p->out, " -> %u, redirect to ", r->status);
	http_quote(p->out, r->location, r->location_len, 80);
	buf_fmt(p->out, ": %s", why);
	return -1;
}

static int probe_http(struct probe *p)
{
	struct url cur = p->o->url, next;
	struct http_response r;
	struct address peer;
	unsigned hops = 0;

	for (;;) {
		int fd = open_connection(p, &cur, &peer), rc;
		if (fd < 0)
			return -1;
		rc = send_request(p, fd, &cur);
		if (rc == 0)
			rc = read_head(p, fd, &cur, &r);
		if (rc == 0 && p->o->follow && is_redirect(r.status) && r.location) {
			rc = next_hop(p, &cur, &r, hops, &next);
			close(fd);
			if (rc < 0)
				return -1;
			cur = next;
			hops++;
			continue;
		}
		if (rc == 0 && !status_match(&p->o->status, r.status)) {
			put_request(p, &cur);
			buf_fmt(p->out, " -> %u", r.status);
			put_elapsed(p);
			buf_str(p->out, " (expected ");
			status_format(p->out, &p->o->status);
			buf_char(p->out, ')');
			rc = -1;
		} else if (rc == 0 && p->o->body_contains) {
			rc = check_body(p, fd, &cur, &r);
		}
		close(fd);
		if (rc == 0) {
			put_request(p, &cur);
			buf_fmt(p->out, " -> %u", r.status);
			put_elapsed(p);
			if (hops)
				buf_fmt(p->out, " after %u redirect%s", hops, hops == 1 ? "" : "s");
		}
		return rc;
	}
}

static int probe_tcp(struct probe *p)
{
	struct address peer;
	int fd = open_connection(p, &p->o->url, &peer);

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

int probe_run(const struct options *o, struct buf *out)
{
	struct probe p;

	p.o = o;
	p.out = out;
	p.start_us = clock_now_us();
	p.end_us = p.start_us + o->timeout_ms * 1000;
	p.have = p.head_len = 0;
	return o->url.scheme == URL_TCP ? probe_tcp(&p) : probe_http(&p);
}

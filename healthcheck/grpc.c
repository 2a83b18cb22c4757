/* One Health/Check call: the request out, then every frame in until the
 * response's END_STREAM, each checked by h2.c, header blocks decoded by
 * hpack.c, the message by pb.c. Fixed buffers only; every wait is bounded
 * by the one deadline that link_recv and link_send honour. */
#include "healthcheck/grpc.h"

#include <errno.h>
#include <string.h>

#include "common/ascii.h"
#include "common/clock.h"
#include "common/parse.h"
#include "healthcheck/h2.h"
#include "healthcheck/hpack.h"
#include "healthcheck/http.h"
#include "healthcheck/pb.h"

#ifndef LUCID_VERSION
#define LUCID_VERSION "dev"
#endif

#define PATH "/grpc.health.v1.Health/Check"
#define TEXT_MAX 256 /* of grpc-message and content-type, kept for the message */

struct exchange {
	struct link *l;
	uint64_t end_us;
	struct grpc_result *res;
	struct buf *out;
	struct buf err; /* why, when the exchange fails */
	char err_mem[256];

	char req[GRPC_PREFIX + 3 + GRPC_SERVICE_MAX]; /* the request message */
	size_t req_len, req_sent;

	struct h2_conn h2;
	struct hpack_decoder hpack;
	uint8_t in[H2_FRAME_HEADER + H2_FRAME_MAX]; /* frames as they arrive */
	size_t have;
	bool first; /* no frame has been read yet */

	bool final;	  /* the final (non-1xx) response headers came */
	bool trailers;	  /* the block being decoded is the trailers */
	bool field_error; /* a field, not HPACK, failed the block */
	bool done;	  /* END_STREAM */
	bool type_ok;	  /* content-type is application/grpc[+proto...] */
	char type[TEXT_MAX], message[TEXT_MAX];
	size_t type_len, message_len;
	uint8_t msg[GRPC_PREFIX + GRPC_MESSAGE_MAX]; /* the response message */
	size_t msg_len, msg_want;		     /* received, and its prefix's length + 5 */
};

const char *grpc_status_name(int code)
{
	static const char *const names[] = {
		"OK",	     "CANCELLED",	"UNKNOWN",	     "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
		"NOT_FOUND", "ALREADY_EXISTS",	"PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
		"ABORTED",   "OUT_OF_RANGE",	"UNIMPLEMENTED",     "INTERNAL",	   "UNAVAILABLE",
		"DATA_LOSS", "UNAUTHENTICATED",
	};
	return code >= 0 && code < (int)(sizeof names / sizeof names[0]) ? names[code] : "";
}

static bool named(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static void keep_text(char *to, size_t *len, const char *s, size_t n)
{
	*len = n < TEXT_MAX ? n : TEXT_MAX;
	memcpy(to, s, *len);
}

/* grpc-message is percent-encoded (gRPC's PROTOCOL-HTTP2); a '%' that
 * starts no escape stays as it is. Kept up to TEXT_MAX bytes: the
 * message shows fewer, and "..." when there were more. */
static void keep_message(struct exchange *x, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		char c = s[i];
		if (c == '%' && i + 2 < n && (hi = ascii_hex_value(s[i + 1])) >= 0 &&
		    (lo = ascii_hex_value(s[i + 2])) >= 0) {
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (o == TEXT_MAX)
			break;
		x->message[o++] = c;
	}
	x->message_len = o;
}

/* hpack_decode's callback: the four fields a gRPC answer is judged by. */
static int on_field(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	struct exchange *x = ctx;
	uint64_t v;

	if (name_len && name[0] == ':') {
		if (x->trailers) {
			x->field_error = true;
			return buf_error(&x->err, "pseudo-header field in the trailers");
		}
		if (!named(name, name_len, ":status"))
			return 0;
		if (value_len != 3 || parse_u64_n(value, value_len, 999, &v) < 0 || v < 100) {
			x->field_error = true;
			buf_str(&x->err, "bad :status ");
			http_quote(&x->err, value, value_len, 16);
			return buf_error(&x->err, "");
		}
		x->res->http_status = (unsigned)v;
	} else if (named(name, name_len, "content-type")) {
		static const char grpc[] = "application/grpc";
		size_t k = sizeof grpc - 1;
		keep_text(x->type, &x->type_len, value, value_len);
		x->type_ok = value_len >= k && memcmp(value, grpc, k) == 0 &&
			     (value_len == k || value[k] == '+' || value[k] == ';');
	} else if (named(name, name_len, "grpc-status")) {
		if (parse_u64_n(value, value_len, 0x7fffffff, &v) < 0) {
			x->field_error = true;
			buf_str(&x->err, "bad grpc-status ");
			http_quote(&x->err, value, value_len, 16);
			return buf_error(&x->err, "");
		}
		x->res->grpc_status = (int)v;
	} else if (named(name, name_len, "grpc-message")) {
		keep_message(x, value, value_len);
	}
	return 0;
}

/* We found the server at fault: tell it with GOAWAY (best effort), and
 * the caller why. */
static int protocol_failure(struct exchange *x)
{
	char mem[H2_FRAME_HEADER + 8 + 1];
	struct buf b;

	buf_init(&b, mem, sizeof mem);
	h2_put_goaway(&b, x->h2.error ? x->h2.error : H2_PROTOCOL_ERROR);
	(void)link_send(x->l, buf_text(&b), buf_length(&b), x->end_us);
	buf_str(x->out, ": ");
	buf_str(x->out, buf_text(&x->err));
	return -1;
}

/* A failure of the stream that h2.c does not see: a protocol error. */
static int stream_failure(struct exchange *x, const char *why)
{
	x->h2.error = H2_PROTOCOL_ERROR;
	buf_str(&x->err, why);
	return protocol_failure(x);
}

static int io_failure(struct exchange *x, int err, ssize_t got, const char *during)
{
	if (got == 0) {
		buf_str(x->out, ": the server closed the connection ");
		buf_str(x->out, x->first ? "before its SETTINGS (not an HTTP/2 server?)" : "before the response ended");
	} else if (err == ETIMEDOUT) {
		x->res->timed_out = true;
		buf_str(x->out, ": timed out while ");
		if (x->req_sent < x->req_len && x->h2.settled && h2_send_room(&x->h2) == 0)
			buf_str(x->out, "waiting for the server's flow-control window to open to send the request "
					"(it is 0)");
		else
			buf_str(x->out, during);
	} else {
		buf_fmt(x->out, ": %s: ", during);
		link_error(x->out, x->l, err);
	}
	return -1;
}

static int send_bytes(struct exchange *x, const char *p, size_t n)
{
	if (link_send(x->l, p, n, x->end_us) < 0)
		return io_failure(x, errno, -1, "sending the request");
	return 0;
}

/* Preface, SETTINGS and the request's HEADERS, in one write. */
static int send_opening(struct exchange *x, const char *authority, bool tls)
{
	char mem[H2_FRAME_HEADER * 2 + 96 + 1024], block[1024], timeout[24];
	struct buf b, h, t;
	uint64_t now = clock_now_us(), ms = x->end_us > now ? (x->end_us - now) / 1000 : 0;

	buf_init(&h, block, sizeof block);
	hpack_put_indexed(&h, 3);	    /* :method POST */
	hpack_put_indexed(&h, tls ? 7 : 6); /* :scheme https or http */
	hpack_put_literal(&h, 4, NULL, PATH, sizeof PATH - 1);
	hpack_put_literal(&h, 1, NULL, authority, strlen(authority));
	hpack_put_literal(&h, 31, NULL, "application/grpc", 16); /* content-type */
	hpack_put_literal(&h, 0, "te", "trailers", 8);
	hpack_put_literal(&h, 58, NULL, "lucid-health/" LUCID_VERSION, sizeof "lucid-health/" LUCID_VERSION - 1);
	/* The deadline, so the server gives up when we do: 1 to 8 digits. */
	buf_init(&t, timeout, sizeof timeout);
	buf_fmt(&t, "%llum", (unsigned long long)(ms > 99999999 ? 99999999 : ms ? ms : 1));
	hpack_put_literal(&h, 0, "grpc-timeout", buf_text(&t), buf_length(&t));

	buf_init(&b, mem, sizeof mem);
	h2_put_preface(&b, HPACK_TABLE_MAX, HPACK_LIST_MAX);
	h2_put_frame_header(&b, (uint32_t)buf_length(&h), H2_HEADERS, H2_END_HEADERS, H2_STREAM);
	buf_mem(&b, buf_text(&h), buf_length(&h));
	if (buf_truncated(&h) || buf_truncated(&b)) {
		buf_str(x->out, ": the request headers exceed 1024 bytes");
		return -1;
	}
	return send_bytes(x, buf_text(&b), buf_length(&b));
}

/* The request message on stream 1 with END_STREAM, as far as the
 * server's flow-control windows let it go now. */
static int send_data(struct exchange *x)
{
	while (x->req_sent < x->req_len) {
		char mem[H2_FRAME_HEADER + sizeof x->req + 1];
		struct buf b;
		size_t n = x->req_len - x->req_sent, room = h2_send_room(&x->h2);

		if (room == 0)
			return 0;
		if (n > room)
			n = room;
		buf_init(&b, mem, sizeof mem);
		h2_put_frame_header(&b, (uint32_t)n, H2_DATA, x->req_sent + n == x->req_len ? H2_END_STREAM : 0,
				    H2_STREAM);
		buf_mem(&b, x->req + x->req_sent, n);
		if (send_bytes(x, buf_text(&b), buf_length(&b)) < 0)
			return -1;
		h2_sent(&x->h2, n);
		x->req_sent += n;
	}
	return 0;
}

/* Read until x->in starts with a whole frame; f is its header. A frame
 * too long for us is refused from its header, before its payload. */
static int read_frame(struct exchange *x, struct h2_frame *f)
{
	bool parsed = false;

	for (;;) {
		if (!parsed && x->have >= H2_FRAME_HEADER) {
			if (x->first && memcmp(x->in, "HTTP/", 5) == 0)
				return stream_failure(x, "the server answered in HTTP/1.x, not HTTP/2");
			if (h2_parse_frame_header(&x->h2, x->in, f, &x->err) < 0)
				return protocol_failure(x);
			parsed = true;
		}
		if (parsed && x->have >= H2_FRAME_HEADER + f->length)
			return 0;
		ssize_t got = link_recv(x->l, x->in + x->have, sizeof x->in - x->have, x->end_us);
		if (got <= 0)
			return io_failure(x, errno, got, "waiting for the response");
		x->have += (size_t)got;
	}
}

static int on_headers(struct exchange *x, const struct h2_event *ev)
{
	x->trailers = x->final;
	if (hpack_decode(&x->hpack, ev->data, ev->len, on_field, x, &x->err) < 0) {
		x->h2.error = x->field_error ? H2_PROTOCOL_ERROR : H2_COMPRESSION_ERROR;
		return protocol_failure(x);
	}
	if (x->trailers) {
		if (!ev->end_stream)
			return stream_failure(x, "trailers without END_STREAM");
	} else if (x->res->http_status == 0) {
		return stream_failure(x, "response headers without :status");
	} else if (x->res->http_status < 200) {
		/* An interim response (RFC 9113 8.1); the real one follows. */
		if (ev->end_stream)
			return stream_failure(x, "an interim response with END_STREAM");
		x->res->http_status = 0;
		return 0;
	}
	x->final = true;
	x->done = ev->end_stream;
	return 0;
}

static int on_data(struct exchange *x, const struct h2_event *ev)
{
	size_t room = sizeof x->msg - x->msg_len, take = ev->len < room ? ev->len : room;
	uint32_t len;

	if (!x->final)
		return stream_failure(x, "DATA before the response headers");
	/* msg has room for the prefix and the largest message it may
	 * announce: what does not fit is another message. */
	memcpy(x->msg + x->msg_len, ev->data, take);
	x->msg_len += take;
	if (x->msg_len >= GRPC_PREFIX) {
		if (pb_check_prefix(x->msg, &len, &x->err) < 0) {
			x->h2.error = H2_PROTOCOL_ERROR;
			return protocol_failure(x);
		}
		x->msg_want = GRPC_PREFIX + len;
		if (x->msg_len > x->msg_want || take < ev->len)
			return stream_failure(x, "the response carries more than one message");
	}
	x->done = ev->end_stream;
	return 0;
}

static int on_event(struct exchange *x, const struct h2_event *ev)
{
	switch (ev->kind) {
	case H2_EV_HEADERS:
		return on_headers(x, ev);
	case H2_EV_DATA:
		return on_data(x, ev);
	case H2_EV_RESET:
		buf_str(x->out, ": server sent RST_STREAM (");
		h2_put_error(x->out, ev->code);
		buf_char(x->out, ')');
		return -1;
	case H2_EV_GOAWAY:
		/* A graceful shutdown that still answers stream 1 is no failure. */
		if (ev->code == H2_NO_ERROR && ev->last_stream >= H2_STREAM)
			return 0;
		buf_str(x->out, ": server sent GOAWAY (");
		h2_put_error(x->out, ev->code);
		buf_char(x->out, ')');
		if (ev->len) {
			buf_str(x->out, ": ");
			http_quote(x->out, (const char *)ev->data, ev->len, 80);
		}
		return -1;
	default:
		return 0;
	}
}

/* The complete response, judged. */
static int verdict(struct exchange *x)
{
	struct grpc_result *res = x->res;
	struct buf *out = x->out;

	if (res->http_status != 200) {
		buf_fmt(out, " -> HTTP status %u, not a gRPC response", res->http_status);
		return -1;
	}
	/* Before content-type: a proxy's trailers-only error may lack one. */
	if (res->grpc_status > 0) {
		const char *name = grpc_status_name(res->grpc_status);
		buf_fmt(out, " -> grpc-status %d%s%s", res->grpc_status, *name ? " " : "", name);
		if (x->message_len) {
			buf_str(out, ": ");
			http_quote(out, x->message, x->message_len, 120);
		}
		return -1;
	}
	if (!x->type_len) {
		buf_str(out, " -> no content-type, not a gRPC response");
		return -1;
	}
	if (!x->type_ok) {
		buf_str(out, " -> content-type ");
		http_quote(out, x->type, x->type_len, 64);
		buf_str(out, ", not application/grpc");
		return -1;
	}
	if (res->grpc_status < 0) {
		buf_str(out, " -> the response has no grpc-status");
		return -1;
	}
	if (x->msg_len == 0 || x->msg_len != x->msg_want) {
		buf_str(out, x->msg_len ? " -> OK, but the response message is truncated"
					: " -> OK, but without a response message");
		return -1;
	}
	if (pb_parse_response(x->msg + GRPC_PREFIX, x->msg_len - GRPC_PREFIX, &res->serving, &x->err) < 0) {
		buf_fmt(out, " -> OK, but the response message is malformed: %s", buf_text(&x->err));
		return -1;
	}
	buf_str(out, " -> ");
	pb_put_status(out, res->serving);
	return res->serving == PB_SERVING ? 0 : -1;
}

int grpc_check(struct link *l, const char *authority, bool tls, const char *service, size_t service_len,
	       uint64_t end_us, struct grpc_result *res, struct buf *out)
{
	struct exchange x; /* 60 KiB of fixed buffers, on the stack for this one call */
	struct buf req;

	res->http_status = 0;
	res->grpc_status = res->serving = -1;
	res->timed_out = false;
	if (service_len > GRPC_SERVICE_MAX) {
		buf_fmt(out, ": the service name exceeds %u bytes", GRPC_SERVICE_MAX);
		return -1;
	}
	memset(&x, 0, sizeof x);
	x.l = l;
	x.end_us = end_us;
	x.res = res;
	x.out = out;
	x.first = true;
	buf_init(&x.err, x.err_mem, sizeof x.err_mem);
	h2_conn_init(&x.h2);
	hpack_decoder_init(&x.hpack);
	buf_init(&req, x.req, sizeof x.req);
	pb_put_request(&req, service, service_len);
	x.req_len = buf_length(&req);

	if (send_opening(&x, authority, tls) < 0)
		return -1;
	while (!x.done) {
		char mem[H2_FRAME_HEADER + 8 + H2_FRAME_HEADER + 1];
		struct buf reply;
		struct h2_frame f = { 0 };
		struct h2_event ev;

		if (read_frame(&x, &f) < 0)
			return -1;
		buf_init(&reply, mem, sizeof mem);
		if (h2_receive(&x.h2, &f, x.in + H2_FRAME_HEADER, &ev, &reply, &x.err) < 0)
			return protocol_failure(&x);
		x.first = false;
		if (buf_length(&reply) && send_bytes(&x, buf_text(&reply), buf_length(&reply)) < 0)
			return -1;
		if (on_event(&x, &ev) < 0)
			return -1;
		/* ev points into x.in: only now may the next frame move in. */
		size_t used = H2_FRAME_HEADER + f.length;
		memmove(x.in, x.in + used, x.have - used);
		x.have -= used;
		if (x.h2.settled && send_data(&x) < 0)
			return -1;
	}
	return verdict(&x);
}

#include "healthcheck/h2.h"

#include <errno.h>
#include <string.h>

#define WINDOW_MAX 0x7fffffff

static const char *const type_names[] = {
	"DATA",		"HEADERS", "PRIORITY", "RST_STREAM",	"SETTINGS",
	"PUSH_PROMISE", "PING",	   "GOAWAY",   "WINDOW_UPDATE", "CONTINUATION",
};

static const char *const error_names[] = {
	"NO_ERROR",
	"PROTOCOL_ERROR",
	"INTERNAL_ERROR",
	"FLOW_CONTROL_ERROR",
	"SETTINGS_TIMEOUT",
	"STREAM_CLOSED",
	"FRAME_SIZE_ERROR",
	"REFUSED_STREAM",
	"CANCEL",
	"COMPRESSION_ERROR",
	"CONNECT_ERROR",
	"ENHANCE_YOUR_CALM",
	"INADEQUATE_SECURITY",
	"HTTP_1_1_REQUIRED",
};

void h2_put_error(struct buf *b, uint32_t code)
{
	if (code < sizeof error_names / sizeof error_names[0])
		buf_str(b, error_names[code]);
	else
		buf_fmt(b, "error 0x%x", (unsigned)code);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_u32(struct buf *b, uint32_t v)
{
	char be[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	buf_mem(b, be, sizeof be);
}

void h2_conn_init(struct h2_conn *c)
{
	c->settled = false;
	c->window = c->stream_window = c->initial_window = H2_WINDOW_DEFAULT;
	c->received = c->error = 0;
	c->in_block = c->block_end_stream = false;
	c->block_len = c->block_cost = 0;
}

/* The server broke the protocol: say why with the code we answer. */
static int refuse(struct h2_conn *c, uint32_t code, struct buf *err, const char *why)
{
	c->error = code;
	buf_str(err, why);
	buf_str(err, " (");
	h2_put_error(err, code);
	(void)buf_error(err, ")");
	return -1; /* buf_error's value too, said where the analyzers see it */
}

/* A frame of `type` on the wrong stream, which RFC 9113 makes a
 * connection error. */
static int wrong_stream(struct h2_conn *c, const struct h2_frame *f, struct buf *err)
{
	buf_fmt(err, "%s frame on stream %u", type_names[f->type], (unsigned)f->stream);
	return refuse(c, H2_PROTOCOL_ERROR, err, f->stream > H2_STREAM ? ", which the client never opened" : "");
}

static int bad_length(struct h2_conn *c, const struct h2_frame *f, struct buf *err)
{
	buf_fmt(err, "%s frame of %u bytes", type_names[f->type], (unsigned)f->length);
	return refuse(c, H2_FRAME_SIZE_ERROR, err, "");
}

void h2_put_frame_header(struct buf *b, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream)
{
	char h[5] = { (char)(length >> 16), (char)(length >> 8), (char)length, (char)type, (char)flags };
	buf_mem(b, h, sizeof h);
	put_u32(b, stream & 0x7fffffff);
}

int h2_parse_frame_header(struct h2_conn *c, const uint8_t *p, struct h2_frame *f, struct buf *err)
{
	f->length = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	f->type = p[3];
	f->flags = p[4];
	f->stream = get_u32(p + 5) & 0x7fffffff; /* the reserved bit is ignored */
	if (f->length <= H2_FRAME_MAX)
		return 0;
	buf_fmt(err, "a frame of %u bytes exceeds our maximum of %u", (unsigned)f->length, H2_FRAME_MAX);
	return refuse(c, H2_FRAME_SIZE_ERROR, err, "");
}

void h2_put_preface(struct buf *b, uint32_t table_size, uint32_t list_max)
{
	static const char no_push[6] = { 0, H2_SETTINGS_ENABLE_PUSH, 0, 0, 0, 0 };

	buf_str(b, H2_PREFACE);
	h2_put_frame_header(b, 18, H2_SETTINGS, 0, 0);
	buf_mem(b, "\0\1", 2); /* H2_SETTINGS_HEADER_TABLE_SIZE */
	put_u32(b, table_size);
	buf_mem(b, no_push, sizeof no_push);
	buf_mem(b, "\0\6", 2); /* H2_SETTINGS_MAX_HEADER_LIST_SIZE */
	put_u32(b, list_max);
}

void h2_put_goaway(struct buf *b, uint32_t code)
{
	h2_put_frame_header(b, 8, H2_GOAWAY, 0, 0);
	put_u32(b, 0); /* we processed no stream the server opened */
	put_u32(b, code);
}

/* The payload of a DATA or HEADERS frame without its padding and
 * priority fields: p[*off..*off + *n). */
static int unpad(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, size_t *off, size_t *n, struct buf *err)
{
	size_t len = f->length, pad = 0;

	*off = 0;
	if (f->flags & H2_PADDED) {
		if (len < 1)
			return bad_length(c, f, err);
		pad = p[0];
		*off = 1;
		len--;
	}
	if (f->type == H2_HEADERS && (f->flags & H2_PRIORITY_FLAG)) {
		if (len < 5)
			return bad_length(c, f, err);
		*off += 5;
		len -= 5;
	}
	if (pad > len) {
		buf_fmt(err, "%s frame padding longer than its payload", type_names[f->type]);
		return refuse(c, H2_PROTOCOL_ERROR, err, "");
	}
	*n = len - pad;
	return 0;
}

/* A piece of a header block; the whole block is the event once
 * END_HEADERS comes. Frame headers count against the bound too, so a
 * stream of empty CONTINUATIONs ends as soon as it passes it. */
static int add_fragment(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, size_t n, struct h2_event *ev,
			struct buf *err)
{
	c->block_cost += H2_FRAME_HEADER + f->length;
	if (c->block_cost > H2_BLOCK_MAX) {
		buf_fmt(err, "the response's header block exceeds %u bytes", H2_BLOCK_MAX);
		return refuse(c, H2_PROTOCOL_ERROR, err, "");
	}
	memcpy(c->block + c->block_len, p, n);
	c->block_len += n;
	c->in_block = !(f->flags & H2_END_HEADERS);
	if (!c->in_block) {
		ev->kind = H2_EV_HEADERS;
		ev->data = c->block;
		ev->len = c->block_len;
		ev->end_stream = c->block_end_stream;
	}
	return 0;
}

static int on_stream_frame(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct h2_event *ev,
			   struct buf *err)
{
	size_t off, n;

	if (f->stream != H2_STREAM)
		return wrong_stream(c, f, err);
	switch (f->type) {
	case H2_DATA:
		/* We never open our receive window past the default, and a
		 * health answer is far smaller. */
		c->received += f->length;
		if (c->received > H2_WINDOW_DEFAULT)
			return refuse(c, H2_FLOW_CONTROL_ERROR, err,
				      "the server sent more DATA than our window allows");
		if (unpad(c, f, p, &off, &n, err) < 0)
			return -1;
		ev->kind = H2_EV_DATA;
		ev->data = p + off;
		ev->len = n;
		ev->end_stream = f->flags & H2_END_STREAM;
		return 0;
	case H2_HEADERS:
		if (unpad(c, f, p, &off, &n, err) < 0)
			return -1;
		c->block_len = c->block_cost = 0;
		c->block_end_stream = f->flags & H2_END_STREAM;
		return add_fragment(c, f, p + off, n, ev, err);
	case H2_CONTINUATION:
		if (!c->in_block)
			return refuse(c, H2_PROTOCOL_ERROR, err, "CONTINUATION frame without HEADERS");
		return add_fragment(c, f, p, f->length, ev, err);
	default: /* H2_RST_STREAM */
		if (f->length != 4)
			return bad_length(c, f, err);
		ev->kind = H2_EV_RESET;
		ev->code = get_u32(p);
		return 0;
	}
}

static int on_settings(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct buf *reply,
		       struct buf *err)
{
	if (f->flags & H2_ACK)
		return f->length ? bad_length(c, f, err) : 0;
	if (f->length % 6)
		return bad_length(c, f, err);
	for (size_t i = 0; i < f->length; i += 6) {
		unsigned id = (unsigned)p[i] << 8 | p[i + 1];
		uint32_t v = get_u32(p + i + 2);

		if (id == H2_SETTINGS_ENABLE_PUSH && v > 1)
			return refuse(c, H2_PROTOCOL_ERROR, err, "SETTINGS_ENABLE_PUSH is neither 0 nor 1");
		if (id == H2_SETTINGS_MAX_FRAME_SIZE && (v < 16384 || v > 0xffffff))
			return refuse(c, H2_PROTOCOL_ERROR, err, "SETTINGS_MAX_FRAME_SIZE is outside 16384-16777215");
		if (id == H2_SETTINGS_INITIAL_WINDOW_SIZE) {
			/* RFC 9113 6.9.2: the change applies to open streams' windows. */
			if (v > WINDOW_MAX)
				return refuse(c, H2_FLOW_CONTROL_ERROR, err,
					      "SETTINGS_INITIAL_WINDOW_SIZE exceeds 2^31-1");
			c->stream_window += (int64_t)v - c->initial_window;
			c->initial_window = v;
			if (c->stream_window > WINDOW_MAX)
				return refuse(c, H2_FLOW_CONTROL_ERROR, err, "the stream's window exceeds 2^31-1");
		}
	}
	c->settled = true;
	h2_put_frame_header(reply, 0, H2_SETTINGS, H2_ACK, 0);
	return 0;
}

static int on_window_update(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct buf *err)
{
	uint32_t inc;
	int64_t *w = f->stream ? &c->stream_window : &c->window;

	if (f->stream > H2_STREAM)
		return wrong_stream(c, f, err);
	if (f->length != 4)
		return bad_length(c, f, err);
	inc = get_u32(p) & 0x7fffffff;
	if (inc == 0)
		return refuse(c, H2_PROTOCOL_ERROR, err, "WINDOW_UPDATE of 0");
	*w += inc;
	if (*w > WINDOW_MAX)
		return refuse(c, H2_FLOW_CONTROL_ERROR, err, "WINDOW_UPDATE takes the window past 2^31-1");
	return 0;
}

/* The frames of the connection itself: SETTINGS, PING, GOAWAY. */
static int on_connection_frame(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct h2_event *ev,
			       struct buf *reply, struct buf *err)
{
	if (f->stream != 0)
		return wrong_stream(c, f, err);
	switch (f->type) {
	case H2_SETTINGS:
		return on_settings(c, f, p, reply, err);
	case H2_PING:
		if (f->length != 8)
			return bad_length(c, f, err);
		if (!(f->flags & H2_ACK)) {
			h2_put_frame_header(reply, 8, H2_PING, H2_ACK, 0);
			buf_mem(reply, (const char *)p, 8);
		}
		return 0;
	default: /* H2_GOAWAY */
		if (f->length < 8)
			return bad_length(c, f, err);
		ev->kind = H2_EV_GOAWAY;
		ev->last_stream = get_u32(p) & 0x7fffffff;
		ev->code = get_u32(p + 4);
		ev->data = p + 8;
		ev->len = f->length - 8;
		return 0;
	}
}

int h2_receive(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct h2_event *ev, struct buf *reply,
	       struct buf *err)
{
	memset(ev, 0, sizeof *ev);
	/* RFC 9113 6.10: nothing may come between HEADERS and its last
	 * CONTINUATION; 3.4: the server's preface is a SETTINGS frame. */
	if (c->in_block && f->type != H2_CONTINUATION)
		return refuse(c, H2_PROTOCOL_ERROR, err, "a header block is interrupted by another frame");
	if (!c->settled && (f->type != H2_SETTINGS || (f->flags & H2_ACK)))
		return refuse(c, H2_PROTOCOL_ERROR, err, "the server did not start with its SETTINGS frame");
	switch (f->type) {
	case H2_DATA:
	case H2_HEADERS:
	case H2_CONTINUATION:
	case H2_RST_STREAM:
		return on_stream_frame(c, f, p, ev, err);
	case H2_SETTINGS:
	case H2_PING:
	case H2_GOAWAY:
		return on_connection_frame(c, f, p, ev, reply, err);
	case H2_WINDOW_UPDATE:
		return on_window_update(c, f, p, err);
	case H2_PRIORITY: /* advice we have no use for, on any stream */
		if (f->stream == 0)
			return wrong_stream(c, f, err);
		return f->length == 5 ? 0 : bad_length(c, f, err);
	case H2_PUSH_PROMISE:
		return refuse(c, H2_PROTOCOL_ERROR, err, "PUSH_PROMISE, though the client disabled push");
	default: /* RFC 9113 4.1: unknown frame types are ignored */
		return 0;
	}
}

size_t h2_send_room(const struct h2_conn *c)
{
	int64_t w = c->window < c->stream_window ? c->window : c->stream_window;
	return w > 0 ? (size_t)w : 0;
}

void h2_sent(struct h2_conn *c, size_t n)
{
	c->window -= (int64_t)n;
	c->stream_window -= (int64_t)n;
}

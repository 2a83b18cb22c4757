/* HTTP/2 framing (RFC 9113) for a client with one stream: stream 1. Pure
 * functions, no I/O: grpc.c reads frames from the connection and hands
 * each to h2_receive, which checks it against the RFC, keeps the
 * connection's state (settings, flow-control windows, a header block
 * arriving in pieces) and says what it means for stream 1. Byte by byte
 * testable, like http.c. */
#ifndef LUCID_HEALTH_H2_H
#define LUCID_HEALTH_H2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define H2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" /* 24 bytes */
#define H2_FRAME_HEADER 9
#define H2_FRAME_MAX 16384 /* our SETTINGS_MAX_FRAME_SIZE (the default) */
/* A header block with its frame headers: HEADERS and CONTINUATIONs past
 * this are an error, so endless empty CONTINUATIONs end too. */
#define H2_BLOCK_MAX 16384
#define H2_WINDOW_DEFAULT 65535
#define H2_STREAM 1 /* the client's one stream */

enum h2_type {
	H2_DATA = 0,
	H2_HEADERS = 1,
	H2_PRIORITY = 2,
	H2_RST_STREAM = 3,
	H2_SETTINGS = 4,
	H2_PUSH_PROMISE = 5,
	H2_PING = 6,
	H2_GOAWAY = 7,
	H2_WINDOW_UPDATE = 8,
	H2_CONTINUATION = 9,
};

enum h2_flags {
	H2_END_STREAM = 0x1,
	H2_ACK = 0x1,
	H2_END_HEADERS = 0x4,
	H2_PADDED = 0x8,
	H2_PRIORITY_FLAG = 0x20,
};

enum h2_error {
	H2_NO_ERROR = 0x0,
	H2_PROTOCOL_ERROR = 0x1,
	H2_INTERNAL_ERROR = 0x2,
	H2_FLOW_CONTROL_ERROR = 0x3,
	H2_FRAME_SIZE_ERROR = 0x6,
	H2_COMPRESSION_ERROR = 0x9,
};

enum h2_settings {
	H2_SETTINGS_HEADER_TABLE_SIZE = 0x1,
	H2_SETTINGS_ENABLE_PUSH = 0x2,
	H2_SETTINGS_INITIAL_WINDOW_SIZE = 0x4,
	H2_SETTINGS_MAX_FRAME_SIZE = 0x5,
	H2_SETTINGS_MAX_HEADER_LIST_SIZE = 0x6,
};

struct h2_frame {
	uint32_t length; /* of the payload */
	uint8_t type, flags;
	uint32_t stream;
};

/* What a frame meant for stream 1. */
enum h2_event_kind {
	H2_EV_NONE,    /* connection housekeeping, or a piece of a header block */
	H2_EV_HEADERS, /* a whole header block: data[0..len) */
	H2_EV_DATA,    /* data[0..len), padding removed */
	H2_EV_RESET,   /* RST_STREAM with `code` */
	H2_EV_GOAWAY,  /* GOAWAY with `code`, `last_stream`, debug data[0..len) */
};

struct h2_event {
	enum h2_event_kind kind;
	bool end_stream;
	const uint8_t *data;
	size_t len;
	uint32_t code;
	uint32_t last_stream;
};

/* One connection's state; only h2.c writes it, the others read it. */
struct h2_conn {
	bool settled;		 /* the server's first SETTINGS arrived */
	int64_t window;		 /* the connection's send window */
	int64_t stream_window;	 /* stream 1's send window */
	uint32_t initial_window; /* the server's SETTINGS_INITIAL_WINDOW_SIZE */
	uint32_t received;	 /* DATA bytes on stream 1, against our window */
	uint32_t error;		 /* the h2_error for our GOAWAY after a failure */
	bool in_block;		 /* HEADERS came without END_HEADERS */
	bool block_end_stream;
	size_t block_len, block_cost;
	uint8_t block[H2_BLOCK_MAX];
};

void h2_conn_init(struct h2_conn *c);

/* The 9-byte frame header. */
void h2_put_frame_header(struct buf *b, uint32_t length, uint8_t type, uint8_t flags, uint32_t stream);
/* Parse p[0..9): 0, or -1 with the reason in err (and c->error) for a
 * frame longer than H2_FRAME_MAX, refused before its payload is read. */
int h2_parse_frame_header(struct h2_conn *c, const uint8_t *p, struct h2_frame *f, struct buf *err);

/* Our connection preface: the magic, then our SETTINGS (no push, the
 * HPACK table and header list bounds). */
void h2_put_preface(struct buf *b, uint32_t table_size, uint32_t list_max);
/* GOAWAY with `code`, for the stream-less error we end with. */
void h2_put_goaway(struct buf *b, uint32_t code);

/* Take one frame, payload p[0..f->length). Appends what must be sent in
 * reply (SETTINGS and PING acknowledgements) to reply, and fills ev.
 * 0, or -1 with EINVAL, the violation in err and c->error its h2 code. */
int h2_receive(struct h2_conn *c, const struct h2_frame *f, const uint8_t *p, struct h2_event *ev, struct buf *reply,
	       struct buf *err);

/* How much stream 1 may send now: the smaller window, at least 0. */
size_t h2_send_room(const struct h2_conn *c);
/* Count n bytes of DATA sent on stream 1. */
void h2_sent(struct h2_conn *c, size_t n);

/* "PROTOCOL_ERROR", or "error 0x1f" for a code RFC 9113 does not name. */
void h2_put_error(struct buf *b, uint32_t code);

#endif

/* What a gRPC server sends, as healthcheck/grpc.c reads it: bytes arrive
 * in pieces; each whole frame header is checked (a frame too long is
 * refused before its payload), each frame goes through h2_receive, header
 * blocks through one HPACK decoder, DATA through the message prefix check
 * and the HealthCheckResponse parser. Each frame's payload sits in a
 * buffer of exactly its size. */
#include "tests/fuzz/fuzz.h"

#include "common/fmt.h"
#include "healthcheck/h2.h"
#include "healthcheck/hpack.h"
#include "healthcheck/pb.h"

static int ignore_field(void *ctx, const char *name, size_t name_len, const char *value, size_t value_len)
{
	(void)ctx, (void)name, (void)name_len, (void)value, (void)value_len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct h2_conn c;
	static struct hpack_decoder d;
	char errmem[256], replymem[64];
	struct buf err, reply;
	size_t at = 0;

	h2_conn_init(&c);
	hpack_decoder_init(&d);
	while (size - at >= H2_FRAME_HEADER) {
		struct h2_frame f;
		struct h2_event ev;
		int32_t status;
		uint32_t len;

		buf_init(&err, errmem, sizeof errmem);
		buf_init(&reply, replymem, sizeof replymem);
		if (h2_parse_frame_header(&c, data + at, &f, &err) < 0 || f.length > size - at - H2_FRAME_HEADER)
			break;
		uint8_t *payload = (uint8_t *)fuzz_copy(data + at + H2_FRAME_HEADER, f.length, false);
		int rc = h2_receive(&c, &f, payload, &ev, &reply, &err);
		if (rc == 0 && ev.kind == H2_EV_HEADERS)
			rc = hpack_decode(&d, ev.data, ev.len, ignore_field, NULL, &err);
		if (rc == 0 && ev.kind == H2_EV_DATA && ev.len >= GRPC_PREFIX &&
		    pb_check_prefix(ev.data, &len, &err) == 0 && len <= ev.len - GRPC_PREFIX)
			(void)pb_parse_response(ev.data + GRPC_PREFIX, len, &status, &err);
		(void)h2_send_room(&c);
		free(payload);
		at += H2_FRAME_HEADER + f.length;
		if (rc < 0)
			break;
	}
	return 0;
}

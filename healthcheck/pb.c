#include "healthcheck/pb.h"

#include <errno.h>

#define GROUP_DEPTH 8 /* nested groups we skip through */

/* buf_error, with its -1 where the analyzers see it. */
static int refuse(struct buf *err, const char *why)
{
	(void)buf_error(err, why);
	return -1;
}

static void put_be32(struct buf *b, uint32_t v)
{
	char be[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	buf_mem(b, be, sizeof be);
}

void pb_put_request(struct buf *b, const char *service, size_t service_len)
{
	/* Field 1, wire type 2: tag 0x0a, a varint length, the bytes. */
	size_t varint = service_len < 0x80 ? 1 : 2;

	buf_char(b, 0); /* not compressed */
	put_be32(b, service_len ? (uint32_t)(1 + varint + service_len) : 0);
	if (!service_len)
		return;
	buf_char(b, 0x0a);
	if (varint == 2)
		buf_char(b, (char)(0x80 | (service_len & 0x7f)));
	buf_char(b, (char)(service_len >> (7 * (varint - 1))));
	buf_mem(b, service, service_len);
}

int pb_check_prefix(const uint8_t *p, uint32_t *len, struct buf *err)
{
	*len = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
	if (p[0] == 1)
		return refuse(err, "the response message is compressed, though we accept no encoding");
	if (p[0] != 0) {
		buf_fmt(err, "bad message flags 0x%x", (unsigned)p[0]);
		return refuse(err, "");
	}
	if (*len > GRPC_MESSAGE_MAX) {
		buf_fmt(err, "a response message of %u bytes exceeds %u", (unsigned)*len, GRPC_MESSAGE_MAX);
		return refuse(err, "");
	}
	return 0;
}

/* A base-128 varint of at most 10 bytes whose value fits 64 bits. */
static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v, struct buf *err)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < 10; i++) {
		if (*p == end)
			return refuse(err, "truncated protobuf varint");
		uint8_t b = *(*p)++;
		if (i == 9 && b > 1)
			return refuse(err, "protobuf varint overflows 64 bits");
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return refuse(err, "protobuf varint overflows 64 bits"); /* not reached: i == 9 stops */
}

static int skip(const uint8_t **p, const uint8_t *end, uint64_t n, struct buf *err)
{
	if (n > (uint64_t)(end - *p))
		return refuse(err, "truncated protobuf field");
	*p += n;
	return 0;
}

int pb_parse_response(const uint8_t *p, size_t n, int32_t *status, struct buf *err)
{
	const uint8_t *end = p + n;
	uint64_t groups[GROUP_DEPTH];
	unsigned depth = 0;

	*status = PB_UNKNOWN;
	while (p < end) {
		uint64_t key, v, field;
		int rc = 0;

		if (get_varint(&p, end, &key, err) < 0)
			return -1;
		field = key >> 3;
		if (field == 0 || field > 0x1fffffff)
			return refuse(err, "bad protobuf field number");
		switch (key & 7) {
		case 0:
			rc = get_varint(&p, end, &v, err);
			if (rc == 0 && field == 1 && depth == 0)
				*status = (int32_t)(uint32_t)v; /* int32: the low 32 bits */
			break;
		case 1:
			rc = skip(&p, end, 8, err);
			break;
		case 2:
			rc = get_varint(&p, end, &v, err);
			if (rc == 0)
				rc = skip(&p, end, v, err);
			break;
		case 3:
			if (depth == GROUP_DEPTH)
				return refuse(err, "protobuf groups nest too deep");
			groups[depth++] = field;
			break;
		case 4:
			if (depth == 0 || groups[depth - 1] != field)
				return refuse(err, "unbalanced protobuf group");
			depth--;
			break;
		case 5:
			rc = skip(&p, end, 4, err);
			break;
		default:
			return refuse(err, "bad protobuf wire type");
		}
		if (rc < 0)
			return -1;
	}
	if (depth)
		return refuse(err, "unterminated protobuf group");
	return 0;
}

void pb_put_status(struct buf *b, int32_t status)
{
	static const char *const names[] = { "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" };

	if (status >= 0 && status < 4)
		buf_str(b, names[status]);
	else
		buf_fmt(b, "status %d", (int)status);
}

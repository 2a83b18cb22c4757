/* The one message pair of grpc.health.v1.Health/Check, in protobuf, and
 * the gRPC length prefix around a message:
 *
 *   message HealthCheckRequest { string service = 1; }
 *   message HealthCheckResponse { ServingStatus status = 1; }
 *
 * No I/O, no allocation. */
#ifndef LUCID_HEALTH_PB_H
#define LUCID_HEALTH_PB_H

#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"

#define GRPC_PREFIX 5	      /* compressed flag, 4-byte big-endian length */
#define GRPC_MESSAGE_MAX 4096 /* the largest response message we read */
#define GRPC_SERVICE_MAX 1024 /* the longest service name we send */

enum pb_serving_status {
	PB_UNKNOWN = 0,
	PB_SERVING = 1,
	PB_NOT_SERVING = 2,
	PB_SERVICE_UNKNOWN = 3,
};

/* The request as a gRPC message: prefix, then the protobuf (empty for the
 * empty service, as proto3 omits default values). The caller checks b for
 * truncation; service_len is at most GRPC_SERVICE_MAX. */
void pb_put_request(struct buf *b, const char *service, size_t service_len);

/* Check a gRPC message prefix p[0..5): not compressed (we sent no
 * grpc-accept-encoding), at most GRPC_MESSAGE_MAX. *len is the message's
 * length. 0, or -1 with EINVAL and the reason in err. */
int pb_check_prefix(const uint8_t *p, uint32_t *len, struct buf *err);

/* Decode a HealthCheckResponse from p[0..n): *status is its status (0,
 * UNKNOWN, when absent; the last one when repeated), as protobuf decodes
 * an int32 enum. Unknown fields of every wire type are skipped (field 1 of
 * another wire type too, as protobuf does); truncated fields, overlong
 * varints and unbalanced groups are refused: 0, or -1 with EINVAL and the
 * reason in err. */
int pb_parse_response(const uint8_t *p, size_t n, int32_t *status, struct buf *err);

/* "SERVING", ..., or "status N" for a value the enum does not name. */
void pb_put_status(struct buf *b, int32_t status);

#endif

/* The gRPC health check, as the kubelet's grpc: probe and grpc_health_probe
 * make it: grpc.health.v1.Health/Check on stream 1 of an HTTP/2
 * connection (h2c with prior knowledge, or TLS with ALPN h2), healthy only
 * when the answer is SERVING. */
#ifndef LUCID_HEALTH_GRPC_H
#define LUCID_HEALTH_GRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"
#include "healthcheck/link.h"

struct grpc_result {
	unsigned http_status; /* :status, 0 when none came */
	int grpc_status;      /* grpc-status, -1 when none came */
	int32_t serving;      /* the response's ServingStatus, -1 when none was decoded */
	bool timed_out;	      /* end_us passed; out ends in ": timed out while ..." */
};

/* Ask over l, which is connected (and for TLS, handshaken with h2): the
 * connection preface, HEADERS for `authority` (":scheme https" when tls),
 * the request for service[0..service_len) (at most 1024 bytes), then the
 * frames until the response ends, all before end_us (clock_now_us).
 *
 * 0 when the status is SERVING, -1 otherwise. Either way the story is
 * appended to out, after the prefix the caller wrote ("grpc HOST:PORT
 * service \"\""): " -> SERVING" (the caller may add the time), " ->
 * NOT_SERVING", " -> grpc-status 12 UNIMPLEMENTED: \"...\"", or ": " and
 * what went wrong ("server sent GOAWAY (PROTOCOL_ERROR)", "timed out while
 * waiting for the response", ...). The caller closes l. */
int grpc_check(struct link *l, const char *authority, bool tls, const char *service, size_t service_len,
	       uint64_t end_us, struct grpc_result *res, struct buf *out);

/* "UNIMPLEMENTED", ..., or "" for a code gRPC does not name. */
const char *grpc_status_name(int code);

#endif

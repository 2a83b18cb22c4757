/* A connection to the probed service: a socket, with or without TLS on it.
 * HTTP/1.1 and gRPC speak through these two calls and never ask which; both
 * honour the probe's one monotonic deadline. */
#ifndef LUCID_HEALTH_LINK_H
#define LUCID_HEALTH_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/fmt.h"

struct tls_session; /* healthcheck/tls.h; NULL for plain TCP */

struct link {
	int fd;
	struct tls_session *tls;
};

/* Send all of data[0..n). 0, or -1 with errno (ETIMEDOUT, EPIPE, EPROTO for
 * a TLS failure, whose text link_error then gives). */
int link_send(struct link *l, const void *data, size_t n, uint64_t end_us);

/* Receive up to n bytes: how many (> 0), 0 at the end of the stream (for TLS:
 * a close_notify or a plain close), or -1 with errno as for link_send. */
ssize_t link_recv(struct link *l, void *buf, size_t n, uint64_t end_us);

/* Why the last call on l failed with errno err: TLS's own reason when there
 * is one, else the errno text. */
void link_error(struct buf *b, const struct link *l, int err);

/* Shut TLS down (no close_notify wait) and close the socket. */
void link_close(struct link *l);

#endif

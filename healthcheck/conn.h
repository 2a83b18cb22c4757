/* Socket I/O against one monotonic deadline. Every fd is non-blocking and
 * close-on-exec, and every wait is a poll() for the time that is left, so no
 * peer (a silent one, one that trickles a byte a second) can stretch it. */
#ifndef LUCID_HEALTH_CONN_H
#define LUCID_HEALTH_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "healthcheck/resolve.h"

/* Connect to the first of a[0..n) that accepts, in order; each failure is
 * logged with -v and the next address tried. Returns the socket, with *used
 * its index, or -1 with the errno of the last attempt (ETIMEDOUT when end_us
 * came first). */
int conn_open(const struct address *a, size_t n, uint64_t end_us, size_t *used);

/* Send all of data[0..n). 0, or -1 with errno (ETIMEDOUT, EPIPE, ...). */
int conn_send(int fd, const void *data, size_t n, uint64_t end_us);

/* Receive up to n bytes: how many (> 0), 0 at the end of the stream, or -1
 * with errno (ETIMEDOUT, ECONNRESET, ...). */
ssize_t conn_recv(int fd, void *buf, size_t n, uint64_t end_us);

/* poll fd for events until the monotonic clock reaches end_us: 0 when
 * ready, -1 with ETIMEDOUT (or poll's errno). Never spins, never oversleeps. */
int conn_wait(int fd, short events, uint64_t end_us);

#endif

/* Error texts for the errno values a probe meets. */
#ifndef LUCID_HEALTH_ERRORS_H
#define LUCID_HEALTH_ERRORS_H

#include "common/fmt.h"

/* Write the message for err, worded as musl's strerror words it, for the
 * errors that sockets, connects and Unix socket paths produce, and
 * "error N" for the rest. musl's full table is 2 KiB of a 64 KiB budget,
 * almost all of it about files, terminals and processes. */
void error_put(struct buf *b, int err);

#endif

/* One probe: resolve, connect, ask, judge, all within the one deadline
 * that --timeout sets. */
#ifndef LUCID_HEALTH_PROBE_H
#define LUCID_HEALTH_PROBE_H

#include "common/fmt.h"
#include "healthcheck/options.h"

/* Probe what o describes. 0 when healthy, -1 when not; either way `out`
 * receives what happened, one line without a newline, for example
 * "GET http://127.0.0.1:8080/health -> 200 in 0.6 ms" or
 * "connect 127.0.0.1:8080: Connection refused". */
int probe_run(const struct options *o, struct buf *out);

#endif

/* Which HTTP status codes count as healthy: "200", "200-299",
 * "200,204,301-308". The default is Kubernetes' rule, 200 to 399. */
#ifndef LUCID_HEALTH_STATUS_H
#define LUCID_HEALTH_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fmt.h"

#define STATUS_RANGES_MAX 32

struct status_set {
	unsigned n;
	struct status_range {
		uint16_t lo, hi;
	} r[STATUS_RANGES_MAX];
};

/* 200-399: success and redirects, which are not followed by default. */
void status_default(struct status_set *set);

/* Parse a comma-separated list of codes and lo-hi ranges, each within
 * 100-599 with lo <= hi; spaces around entries are allowed. 0, or -1 with
 * EINVAL and the reason in err ("600 is outside 100-599"). */
int status_parse(const char *text, struct status_set *set, struct buf *err);

bool status_match(const struct status_set *set, unsigned code);

/* The set as it would be written on the command line: "200-399". */
void status_format(struct buf *b, const struct status_set *set);

#endif

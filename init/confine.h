/* lucid-init confining itself once the service is forked, before it may
 * exec: no service ever sees a privileged or unfiltered PID 1. */
#ifndef LUCID_INIT_CONFINE_H
#define LUCID_INIT_CONFINE_H

#include <stdbool.h>

struct confine_plan {
	bool empty_caps; /* the drop kept capabilities for the service (ambient) */
	bool filter;	 /* install the init's own filter (false: --seccomp none) */
};

/* Empty the init's own capability sets when it kept some, set
 * no_new_privs, make it non-dumpable and install its own filter (waiting,
 * reaping, signalling and logging need no privilege). 0, or -1 after
 * logging which step failed: the start must stop (fail closed). */
int confine_self(const struct confine_plan *plan);

#endif

/* Who the service runs as, and getting there with libcap-ng. */
#ifndef LUCID_INIT_PRIVDROP_H
#define LUCID_INIT_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/fmt.h"

#define NONROOT_ID 65532

struct identity {
	uid_t uid;
	gid_t gid;
};

/* Resolve a --user spec: "UID", "UID:GID", "NAME", "NAME:GROUP" (mixes too).
 * Names come from passwd_path/group_path. A bare UID takes its primary group
 * from passwd when listed there, else GID = UID (never a silent 0). 0, or -1
 * with the reason in `why`. */
int identity_resolve(const char *spec, const char *passwd_path, const char *group_path, struct identity *id,
		     struct buf *why);

struct drop_plan {
	struct identity id;
	const unsigned *keep; /* capabilities to keep, through the ambient set */
	size_t n_keep;
	bool bounding; /* CAP_SETPCAP is held: reduce the bounding set too */
};

/* Before forking: can this root process carry out `plan`? Fills in
 * plan->bounding (warning once when CAP_SETPCAP is missing). 0, or -1 with
 * a one-line reason and what to do in `why`. */
int privdrop_precheck(struct drop_plan *plan, struct buf *why);

/* Become plan->id with no supplementary groups and no capabilities but
 * plan->keep, raised in the ambient set so they survive execve; the bounding
 * set is reduced to them too when plan->bounding. For a root process that
 * passed the precheck. 0, or -1 with errno and *step naming what failed. */
int drop_privileges(const struct drop_plan *plan, const char **step);

/* Empty this process's effective, permitted, inheritable and ambient sets
 * (lowering needs no privilege). The bounding set stays as it is: emptying
 * it needs CAP_SETPCAP. 0, or -1 with errno. */
int drop_own_capabilities(void);

#endif

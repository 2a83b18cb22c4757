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
int identity_resolve(const char *spec, const char *passwd_path, const char *group_path,
		     struct identity *id, struct buf *why);

/* Before forking: can this root process become `id` and keep `keep`?
 * 0, or -1 with a one-line reason and what to do in `why`. */
int privdrop_precheck(const unsigned *keep, size_t n_keep, struct buf *why);

/* Become `id` with no supplementary groups and no capabilities but `keep`,
 * which are raised in the ambient set so they survive execve. The bounding
 * set is reduced to `keep` too (when CAP_SETPCAP allows; else warned). For
 * a root process. 0, or -1 with errno and *step naming what failed. */
int drop_privileges(const struct identity *id, const unsigned *keep, size_t n_keep, const char **step);

#endif

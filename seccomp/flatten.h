/* A plain OCI profile from a resolved one: what containerd and runc apply
 * as written, because they silently drop Docker's archMap, includes and
 * excludes and would then apply conditional rules unconditionally. */
#ifndef LUCID_SECCOMP_FLATTEN_H
#define LUCID_SECCOMP_FLATTEN_H

#include <cJSON.h>

#include "seccomp/profile.h"

/* P's top level as written, but with "architectures" listing the target arch
 * and its enabled sub-arches in place of archMap, and "syscalls" keeping
 * only the rules that apply to P's arch and context and differ from the
 * default action, without includes/excludes and with "name" as "names".
 * Numbers keep their source text. NULL when out of memory. */
cJSON *flatten_profile(const struct profile *p);

#endif

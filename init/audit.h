/* `lucid-init audit`: the compliance view of every process in the PID
 * namespace, for images that have no id or ps. */
#ifndef LUCID_INIT_AUDIT_H
#define LUCID_INIT_AUDIT_H

#include <stdbool.h>

#include "common/procfs.h"

/* Why a process is not confined, as a short phrase; NULL when it is: no
 * root uid or gid (real, effective, saved, filesystem, supplementary), no
 * effective, permitted, inheritable or ambient capabilities, no_new_privs,
 * and a seccomp filter (mode 2). The bounding set is reported but not
 * judged: under no_new_privs execve cannot grant anything from it. */
const char *audit_violation(const struct proc_status *st);

/* Print the report; 0 when every process (but the audit itself) is
 * confined, 1 when one is not, 111 when /proc cannot be read. */
int audit_main(int argc, char **argv);

#endif

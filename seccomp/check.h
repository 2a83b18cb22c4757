/* The per-arch summary `lucid-seccomp check` prints. */
#ifndef LUCID_SECCOMP_CHECK_H
#define LUCID_SECCOMP_CHECK_H

#include "common/fmt.h"
#include "seccomp/compile.h"

/* Describe P and its compiled filter F into OUT: default action, rules per
 * action, skipped names, conditional rules, flags, filter size. */
void check_summary(const struct profile *p, const struct filter *f, struct buf *out);

#endif

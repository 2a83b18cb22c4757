/* lucid-seccomp's four commands. Each prints its own diagnostics and
 * returns 0, or -1 when the profile is invalid or the output failed. */
#ifndef LUCID_SECCOMP_COMMANDS_H
#define LUCID_SECCOMP_COMMANDS_H

#include "seccomp/cli.h"

int command_compile(const struct options *o);
int command_check(const struct options *o);
int command_explain(const struct options *o);
int command_flatten(const struct options *o);

#endif

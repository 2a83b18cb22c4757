/* lucid-seccomp learn: COMMAND run under a notifying filter, its syscalls
 * recorded into a least-privilege profile (learn.h). See learner.c for how,
 * and why the learner lets through nothing another filter denies. */
#ifndef LUCID_SECCOMP_LEARNER_H
#define LUCID_SECCOMP_LEARNER_H

#include "seccomp/cli.h"

/* Run O->command, learn, write O->out. The exit code: COMMAND's (N, or
 * 128+S when a signal S killed it); 1 when the profile could not be written
 * after COMMAND exited 0, or --merge is not a learned profile; 111 when
 * learning cannot start (no user notification: an old kernel, qemu-user;
 * the output not writable); 126 and 127 when COMMAND cannot be executed or
 * found. */
int command_learn(const struct options *o);

#endif

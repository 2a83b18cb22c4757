/* Which signals a supervisor forwards: one rule for lucid-init and for
 * lucid-seccomp learn. */
#ifndef LUCID_FORWARDING_H
#define LUCID_FORWARDING_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether a signal that reached a supervisor (lucid-init, lucid-seccomp
 * learn) is a message for the process it runs, from its number, si_code and
 * si_pid. Not: SIGCHLD (the supervisor's own reaping); a signal the
 * supervisor raised on itself (the kernel's SIGPIPE or SIGXFSZ for a write of
 * ours arrives as SI_USER from our own pid: forwarding it would be wrong,
 * and with -v each forward could log, write and raise it again); a fault
 * number the kernel raised (si_code > 0: a fault of the supervisor, which
 * blocking cannot hold back anyway). Everything sent by a process
 * (si_code <= 0: kill, sigqueue, tgkill), whatever its number, and what the
 * kernel sends on behalf of a terminal or a parent's death, is. */
bool signal_for_service(int sig, int code, pid_t sender, pid_t self);

#endif

/* One-line diagnostics on stderr: "PROGRAM: message" (or
 * "PROGRAM: warning: message"), written with a single write(2) so lines from
 * the init and its service do not interleave. errno is preserved. */
#ifndef LUCID_LOG_H
#define LUCID_LOG_H

#include "common/fmt.h"

/* verbosity -1: errors only (--quiet); 0: errors and warnings; 1: and debug (-v). */
void log_setup(const char *program, int verbosity);
int log_verbosity(void);

void log_error(const char *fmt, ...) LUCID_PRINTF(1, 2);
void log_warn(const char *fmt, ...) LUCID_PRINTF(1, 2);
/* A result worth a line (a summary), without "warning:"; not with --quiet. */
void log_info(const char *fmt, ...) LUCID_PRINTF(1, 2);
/* Only with -v. */
void log_debug(const char *fmt, ...) LUCID_PRINTF(1, 2);

#endif

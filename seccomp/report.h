/* What loading or compiling a profile has to say: one error and a bounded
 * list of warnings, each one line without the program name. Collected rather
 * than printed so main decides where they go and tests can read them. */
#ifndef LUCID_SECCOMP_REPORT_H
#define LUCID_SECCOMP_REPORT_H

#include <stddef.h>

#include "common/fmt.h"

#define REPORT_MAX_WARNINGS 64
#define REPORT_LINE 240

struct report {
	char error[REPORT_LINE];
	char warnings[REPORT_MAX_WARNINGS][REPORT_LINE];
	size_t nwarnings;
	size_t lost; /* warnings past REPORT_MAX_WARNINGS */
};

void report_error(struct report *r, const char *fmt, ...) LUCID_PRINTF(2, 3);
void report_warn(struct report *r, const char *fmt, ...) LUCID_PRINTF(2, 3);

#endif

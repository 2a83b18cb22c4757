/* Collecting a profile's diagnostics; see report.h. */
#include "seccomp/report.h"

#include <stdarg.h>

/* The first error wins: later ones are usually its consequences. */
void report_error(struct report *r, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (r->error[0] != '\0')
		return;
	buf_init(&b, r->error, sizeof(r->error));
	va_start(ap, fmt);
	buf_vfmt(&b, fmt, ap);
	va_end(ap);
}

void report_warn(struct report *r, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (r->nwarnings == REPORT_MAX_WARNINGS) {
		r->lost++;
		return;
	}
	buf_init(&b, r->warnings[r->nwarnings++], REPORT_LINE);
	va_start(ap, fmt);
	buf_vfmt(&b, fmt, ap);
	va_end(ap);
}

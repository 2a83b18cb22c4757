#include "common/io.h"
#include "common/log.h"

#include <errno.h>
#include <unistd.h>

static struct {
	const char *program;
	int verbosity;
	bool stderr_gone; /* a write failed with EPIPE: nobody reads stderr */
} logger = { "lucid", 0, false };

void log_setup(const char *program, int verbosity)
{
	logger.program = program;
	logger.verbosity = verbosity;
}

int log_verbosity(void)
{
	return logger.verbosity;
}

static void log_line(const char *kind, const char *fmt, va_list ap)
{
	int saved = errno;
	char mem[1024];
	struct buf b;

	buf_init_line(&b, mem, sizeof mem);
	buf_str(&b, logger.program);
	buf_str(&b, ": ");
	if (kind)
		buf_str(&b, kind);
	buf_vfmt(&b, fmt, ap);
	buf_end_line(&b);
	/* Once nobody reads stderr, stop writing: no log line may raise
	 * SIGPIPE again and again (a PID 1 that logs what it receives). */
	if (!logger.stderr_gone && write_all(STDERR_FILENO, buf_text(&b), buf_length(&b)) < 0 && errno == EPIPE)
		logger.stderr_gone = true;
	errno = saved;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(NULL, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	if (logger.verbosity < 0)
		return;
	va_start(ap, fmt);
	log_line("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (logger.verbosity < 0)
		return;
	va_start(ap, fmt);
	log_line(NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (logger.verbosity < 1)
		return;
	va_start(ap, fmt);
	log_line("debug: ", fmt, ap);
	va_end(ap);
}

/* lucid-health: probe a service once, say what happened in one line, and
 * exit 0 when it is healthy or 1 for anything else (Docker reserves 2).
 *
 *   parse options and LUCID_HEALTH_* -> probe within one deadline -> report -> exit */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/fmt.h"
#include "common/log.h"
#include "healthcheck/help.h"
#include "healthcheck/options.h"
#include "healthcheck/probe.h"

#ifndef LUCID_VERSION
#define LUCID_VERSION "dev"
#endif

enum { EXIT_HEALTHY = 0, EXIT_UNHEALTHY = 1 };

/* A probe started with stdout closed would otherwise get fd 1 for its
 * socket and write its verdict (or, with -v, its log) into the service:
 * fill any closed standard fd with /dev/null (poll reports a closed fd as
 * POLLNVAL). 0, or -1 when that cannot be made sure of: then no socket may
 * be opened at all. */
static int keep_std_fds_open(void)
{
	struct pollfd fds[3] = { { .fd = 0 }, { .fd = 1 }, { .fd = 2 } };

	if (poll(fds, 3, 0) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if ((fds[i].revents & POLLNVAL) && open("/dev/null", O_RDWR | O_CLOEXEC) != i)
			return -1;
	return 0;
}

/* Writing the verdict to a closed pipe must fail with EPIPE, not kill the
 * probe with a signal that Docker would read as "unhealthy". Sockets send
 * with MSG_NOSIGNAL; this covers stdout and stderr. */
static void ignore_sigpipe(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int main(int argc, char **argv)
{
	struct options opt;
	char err_mem[512], detail_mem[3800];
	struct buf err, detail;

	/* Nothing can be said where there is nowhere to say it: unhealthy. */
	if (keep_std_fds_open() < 0)
		return EXIT_UNHEALTHY;
	ignore_sigpipe();
	log_setup("lucid-health", 0);

	buf_init(&err, err_mem, sizeof err_mem);
	if (options_parse(&opt, argc, argv, environ, &err) < 0) {
		log_error("%s (see --help)", buf_text(&err));
		return EXIT_UNHEALTHY;
	}
	if (opt.help) {
		(void)write_all(STDOUT_FILENO, help_text, strlen(help_text));
		return EXIT_HEALTHY;
	}
	if (opt.version) {
		(void)write_all(STDOUT_FILENO, "lucid-health " LUCID_VERSION "\n",
				sizeof("lucid-health " LUCID_VERSION));
		return EXIT_HEALTHY;
	}
	log_setup("lucid-health", opt.verbose);

	buf_init(&detail, detail_mem, sizeof detail_mem);
	bool healthy = probe_run(&opt, &detail) == 0;

	if (!opt.quiet) {
		char line_mem[3840];
		struct buf line;
		buf_init(&line, line_mem, sizeof line_mem);
		buf_str(&line, healthy ? "healthy: " : "unhealthy: ");
		buf_str(&line, buf_text(&detail));
		if (buf_truncated(&detail))
			buf_str(&line, "...");
		buf_char(&line, '\n');
		(void)write_all(STDOUT_FILENO, buf_text(&line), buf_length(&line));
	}
	return healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}

/* sigrecord FILE: a service that records every signal it receives.
 * Writes "ready" to FILE once its handlers are in place, then one line per
 * signal number; exits 0 after recording SIGTERM. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int out_fd = -1;
static volatile sig_atomic_t got_term;

static void record(int sig)
{
	char line[8];
	int n = 0;

	if (sig >= 10)
		line[n++] = (char)('0' + sig / 10);
	line[n++] = (char)('0' + sig % 10);
	line[n++] = '\n';
	(void)write(out_fd, line, (size_t)n);
	if (sig == SIGTERM)
		got_term = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc != 2)
		return 2;
	out_fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (out_fd < 0)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = record;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < 65; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD)
			continue;
		(void)sigaction(sig, &sa, NULL); /* musl refuses 32-34: fine */
	}
	(void)write(out_fd, "ready\n", 6);
	while (!got_term)
		pause();
	return 0;
}

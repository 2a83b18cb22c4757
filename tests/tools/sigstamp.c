/* sigstamp: a service for the bench's signal-forwarding latency. It blocks
 * SIGUSR1 and SIGTERM, writes "ready\n", then for each SIGUSR1 that arrives
 * writes the CLOCK_MONOTONIC time of its arrival in ns, one line each, to
 * stdout; it exits 0 on SIGTERM. The sender takes the same clock right
 * before kill(2): the difference is the time through the init. */
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/io.h"

int main(void)
{
	sigset_t set;
	char mem[32];
	struct buf b;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (write_all(STDOUT_FILENO, "ready\n", 6) < 0)
		return 1;
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (sig == SIGTERM)
			return 0;
		if (sig != SIGUSR1)
			continue;
		buf_init(&b, mem, sizeof mem);
		buf_fmt(&b, "%llu\n", (unsigned long long)ts.tv_sec * 1000000000u + (unsigned long long)ts.tv_nsec);
		if (write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0)
			return 1;
	}
}

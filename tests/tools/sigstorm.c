/* sigstorm PID N OUT: send N signals to PID, round-robin over standard and
 * real-time kinds, and write "SIGNO SENT" lines to OUT, then "ns ELAPSED".
 * Real-time signals go by sigqueue; when the queue is full (EAGAIN) it
 * waits and sends again, so every one counted was really queued. Every
 * 1000 signals it lets the receiver's queue (SigQ in /proc/PID/status) fall
 * below 2000: Linux dequeues a real-time signal by scanning the queue, so a
 * backlog of tens of thousands makes every receiver crawl, and the test is
 * about PID 1, not about that. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/io.h"
#include "common/parse.h"

/* The receiver's queued signals, or 0 when unknown. */
static unsigned long queued(pid_t pid)
{
	char path[64], text[4096];
	struct buf b;
	uint64_t v;

	buf_init(&b, path, sizeof path);
	buf_fmt(&b, "/proc/%d/status", (int)pid);
	if (file_read_small(path, text, sizeof text) < 0)
		return 0;
	const char *q = strstr(text, "\nSigQ:\t");
	if (!q)
		return 0;
	q += 7;
	size_t n = strcspn(q, "/");
	return parse_u64_n(q, n, UINT64_MAX, &v) < 0 ? 0 : (unsigned long)v;
}

int main(int argc, char **argv)
{
	static const int kinds[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGWINCH, 35, 36, 63, 64 };
	unsigned long sent[65] = { 0 };
	uint64_t pid, n;
	struct timespec t0, t1, pause = { 0, 100000 };

	if (argc != 4 || parse_u64(argv[1], INT32_MAX, &pid) < 0 || parse_u64(argv[2], 10000000, &n) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < n; i++) {
		int sig = kinds[i % (sizeof kinds / sizeof *kinds)];
		union sigval v = { .sival_int = (int)i };
		while ((sig >= 32 ? sigqueue((pid_t)pid, sig, v) : kill((pid_t)pid, sig)) < 0) {
			if (errno != EAGAIN)
				return 1;
			nanosleep(&pause, NULL);
		}
		sent[sig]++;
		while (i % 1000 == 999 && queued((pid_t)pid) > 2000)
			nanosleep(&pause, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	char mem[1024];
	struct buf b;
	buf_init(&b, mem, sizeof mem);
	for (int sig = 1; sig <= 64; sig++)
		if (sent[sig])
			buf_fmt(&b, "%d %lu\n", sig, sent[sig]);
	buf_fmt(&b, "ns %llu\n",
		(unsigned long long)((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)));
	int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	return fd < 0 || write_all(fd, buf_text(&b), buf_length(&b)) < 0 ? 1 : 0;
}

/* runstat [--rss] CMD [ARG...]: run CMD once, as the bench measures every
 * tool. Prints one line, "status=S wall_ns=W cpu_us=C maxrss_kib=M
 * exit_rss_kib=R": the raw wait status, the monotonic time from spawn to
 * reaped, user+system CPU of CMD and the children it waited for, the peak
 * RSS wait4 reports, and (--rss only, else 0) CMD's resident memory at its
 * exit. Exit 0 when it ran (whatever CMD's status), 1 when it could not be
 * spawned, 2 on usage.
 *
 * Why both: since Linux 6.2 the kernel counts RSS per CPU in batches of 32
 * pages and folds them in lazily, so wait4's ru_maxrss reads 0 for a process
 * of a hundred KiB or so. With --rss, CMD runs traced: stopped at its exit
 * (PTRACE_O_TRACEEXIT), before its memory is torn down, its
 * /proc/PID/smaps_rollup Rss is read -- a page-table walk, exact. Tracing
 * costs time, so timings come from runs without it. Without --rss, CMD is
 * posix_spawned (vfork-like: it starts from this small static process, not
 * from a large parent whose pages would count as its peak). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/io.h"
#include "common/parse.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The Rss line of /proc/PID/smaps_rollup, in KiB; 0 if unreadable. */
static uint64_t rss_kib(pid_t pid)
{
	char path[48], text[2048];
	struct buf b;
	uint64_t kib = 0;

	buf_init(&b, path, sizeof path);
	buf_fmt(&b, "/proc/%d/smaps_rollup", (int)pid);
	if (file_read_small(path, text, sizeof text) < 0)
		return 0;
	const char *p = strstr(text, "\nRss:");
	if (!p)
		return 0;
	p += 5;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	(void)parse_u64_n(p, n, UINT64_MAX, &kib);
	return kib;
}

/* fork; the child asks to be traced and execs; the parent follows it to its
 * exit event, reads its RSS there, and lets it finish. */
static pid_t spawn_traced(char **argv, uint64_t *exit_rss)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execvp(argv[0], argv);
		_exit(127);
	}
	/* The exec stops the child with SIGTRAP. */
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status))
		return pid;
	(void)ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)PTRACE_O_TRACEEXIT);
	(void)ptrace(PTRACE_CONT, pid, NULL, NULL);
	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0 || !WIFSTOPPED(status))
			return pid; /* gone: the caller's wait4 reaps it */
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP && (status >> 16) == PTRACE_EVENT_EXIT) {
			*exit_rss = rss_kib(pid);
			(void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
			return pid;
		}
		/* Any other stop: pass its signal on. */
		(void)ptrace(PTRACE_CONT, pid, NULL, (void *)(long)(sig == SIGTRAP ? 0 : sig));
	}
}

int main(int argc, char **argv)
{
	pid_t pid;
	int status;
	struct rusage ru;
	char mem[192];
	struct buf b;
	bool traced = argc > 1 && strcmp(argv[1], "--rss") == 0;
	char **cmd = argv + 1 + traced;
	uint64_t exit_rss = 0;

	if (!*cmd)
		return 2;
	uint64_t start = now_ns();
	if (traced) {
		if ((pid = spawn_traced(cmd, &exit_rss)) < 0)
			return 1;
	} else if (posix_spawnp(&pid, cmd[0], NULL, NULL, cmd, environ) != 0) {
		return 1;
	}
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	uint64_t wall = now_ns() - start;
	uint64_t cpu = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec +
		       (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "status=%d wall_ns=%llu cpu_us=%llu maxrss_kib=%ld exit_rss_kib=%llu\n", status,
		(unsigned long long)wall, (unsigned long long)cpu, ru.ru_maxrss, (unsigned long long)exit_rss);
	return write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0;
}

/* sigcount DIR: a service for the PID-1 stress test. Counts every signal it
 * receives (sigwaitinfo, all blocked), while a helper child keeps making
 * orphans: it forks a child that forks a grandchild and exits at once, so
 * the grandchild is reparented to PID 1, which must reap it. Writes
 * DIR/ready (with the helper's pid) once running; on SIGTERM it writes one
 * "SIGNO COUNT" line per signal received to DIR/counts, stops the helper and
 * exits 7. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/io.h"

static int write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char path[256];
	struct buf b;

	buf_init(&b, path, sizeof path);
	buf_fmt(&b, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || write_all(fd, text, len) < 0)
		return -1;
	return close(fd);
}

static void make_orphans(void)
{
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			if (fork() == 0)
				_exit(0); /* the grandchild: reparented, reaped by PID 1 */
			_exit(0);
		}
		if (p > 0)
			(void)waitpid(p, NULL, 0);
		else
			usleep(1000);
	}
}

int main(int argc, char **argv)
{
	static unsigned long counts[65];
	sigset_t all;
	char mem[4096];
	struct buf b;

	if (argc != 2)
		return 2;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	pid_t helper = fork();
	if (helper == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		make_orphans();
	}
	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "%d\n", (int)helper);
	if (helper < 0 || write_file(argv[1], "ready", buf_text(&b), buf_length(&b)) < 0)
		return 2;
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(&all, &info);
		if (sig <= 0 || sig > 64 || sig == SIGCHLD)
			continue;
		counts[sig]++;
		if (sig == SIGTERM)
			break;
	}
	/* sigwaitinfo takes the lowest number first: real-time signals still
	 * queued behind SIGTERM are counted too. */
	struct timespec now = { 0, 0 };
	for (int sig; (sig = sigtimedwait(&all, NULL, &now)) > 0;)
		if (sig <= 64)
			counts[sig]++;
	kill(helper, SIGKILL);
	(void)waitpid(helper, NULL, 0);
	buf_init(&b, mem, sizeof mem);
	for (int sig = 1; sig <= 64; sig++)
		if (counts[sig])
			buf_fmt(&b, "%d %lu\n", sig, counts[sig]);
	return write_file(argv[1], "counts", buf_text(&b), buf_length(&b)) < 0 ? 2 : 7;
}

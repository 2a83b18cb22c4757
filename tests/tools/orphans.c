/* orphans N: a service that leaves N orphaned grandchildren for the init.
 * A helper child forks N grandchildren and exits at once, so they are
 * re-parented to the init; each grandchild exits after a few milliseconds,
 * all at nearly the same moment (their SIGCHLDs coalesce). Then this waits
 * up to 10 s for /proc to show none of them left, not even as a zombie.
 * Prints "zombies=Z alive=A" and exits 0 only when both are 0. */
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fmt.h"
#include "common/parse.h"

/* The PPid of pid from /proc/PID/stat, or -1. */
static long parent_of(uint64_t pid)
{
	char path[64], stat[256];
	struct buf b;
	uint64_t ppid;

	buf_init(&b, path, sizeof path);
	buf_fmt(&b, "/proc/%llu/stat", (unsigned long long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, stat, sizeof stat - 1);
	close(fd);
	if (n <= 0)
		return -1;
	stat[n] = '\0';
	char *p = strrchr(stat, ')');
	if (!p || strlen(p) < 5)
		return -1;
	char *end = strchr(p + 4, ' ');
	if (end)
		*end = '\0';
	return parse_u64(p + 4, 1u << 30, &ppid) < 0 ? -1 : (long)ppid;
}

/* Count processes other than us and our ancestors (the init, and whatever
 * started it), split into zombies and the rest. */
static void count_others(unsigned *zombies, unsigned *alive)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long ancestors[64];
	size_t n_anc = 0;

	for (long p = getpid(); p > 0 && n_anc < 64; p = parent_of((uint64_t)p))
		ancestors[n_anc++] = p;

	*zombies = *alive = 0;
	while (d && (e = readdir(d))) {
		uint64_t pid;
		char path[64], stat[256];
		struct buf b;

		if (parse_u64(e->d_name, 1u << 30, &pid) < 0)
			continue;
		bool skip = false;
		for (size_t i = 0; i < n_anc; i++)
			skip = skip || (uint64_t)ancestors[i] == pid;
		if (skip)
			continue;
		buf_init(&b, path, sizeof path);
		buf_fmt(&b, "/proc/%llu/stat", (unsigned long long)pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, stat, sizeof stat - 1);
		close(fd);
		if (n <= 0)
			continue;
		stat[n] = '\0';
		char *p = strrchr(stat, ')');
		if (p && p[1] == ' ' && p[2] == 'Z')
			(*zombies)++;
		else
			(*alive)++;
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	unsigned n, zombies = 0, alive = 0;

	if (argc != 2 || parse_uint(argv[1], 100000, &n) < 0)
		return 2;
	pid_t helper = fork();
	if (helper < 0)
		return 2;
	if (helper == 0) {
		for (unsigned i = 0; i < n; i++) {
			pid_t g = fork();
			if (g == 0) {
				struct timespec ts = { 0, 20 * 1000 * 1000 };
				nanosleep(&ts, NULL);
				_exit(0);
			}
		}
		_exit(0);
	}
	waitpid(helper, NULL, 0);

	for (int tries = 0; tries < 200; tries++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		count_others(&zombies, &alive);
		if (!zombies && !alive)
			break;
	}
	char mem[64];
	struct buf b;
	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "zombies=%u alive=%u\n", zombies, alive);
	(void)write_all(STDOUT_FILENO, b.p, b.len);
	return zombies || alive ? 1 : 0;
}

/* orphans N: a service that leaves N orphaned grandchildren for the init.
 * A helper child forks N grandchildren and exits at once, so they are
 * re-parented to the init; each grandchild exits after a few milliseconds,
 * all at nearly the same moment (their SIGCHLDs coalesce). Then this waits
 * up to 10 s for /proc to show none of them left, not even as a zombie.
 * Prints "zombies=Z alive=A reap_ms=M" (M: from the last fork to the first
 * scan that found none left; the bench's reaping time) and exits 0 only
 * when both are 0. */
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/io.h"
#include "common/fmt.h"
#include "common/parse.h"
#include "common/procfs.h"

/* Count processes other than us and our ancestors (the init, and whatever
 * started it), split into zombies and the rest. */
static void count_others(unsigned *zombies, unsigned *alive)
{
	pid_t *pids = NULL, ancestors[64];
	size_t n = 0;
	size_t n_anc = 0;
	struct proc_status st;

	for (pid_t p = getpid(); p > 0 && n_anc < 64; p = procfs_read_status(p, &st) < 0 ? 0 : st.ppid)
		ancestors[n_anc++] = p;

	*zombies = *alive = 0;
	if (procfs_list_pids(&pids, &n) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		bool ancestor = false;
		for (size_t j = 0; j < n_anc; j++)
			ancestor = ancestor || ancestors[j] == pids[i];
		if (ancestor || procfs_read_status(pids[i], &st) < 0)
			continue;
		if (st.state == 'Z')
			(*zombies)++;
		else
			(*alive)++;
	}
	free(pids);
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
	uint64_t forked = clock_now_ms(), done = 0;

	while (clock_now_ms() < forked + 10000) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		count_others(&zombies, &alive);
		if (!zombies && !alive) {
			done = clock_now_ms();
			break;
		}
	}
	char mem[64];
	struct buf b;
	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "zombies=%u alive=%u reap_ms=%llu\n", zombies, alive,
		(unsigned long long)(done ? done - forked : 0));
	(void)write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b));
	return zombies || alive ? 1 : 0;
}

/* syscost [N] [CALL...]: the cost of one syscall through the seccomp filter
 * in place, for bench/filters.py. Makes CALL (default personality) N times
 * (default 2000000) and prints "ns_per_call=X" with one decimal; with more
 * than one CALL, one "CALL ns_per_call=X" line each, in the order given,
 * then "seccomp_filters=F": the filters stacked on the process, from
 * /proc/self/status ("?" when it cannot be read), so a caller can tell that
 * the filter it meant to measure was really there.
 * Nothing is subtracted: the number is the whole call, filter included.
 * Each CALL takes arguments the filters under test let through and the
 * kernel answers at once, so the difference between two runs is the filter:
 *   getppid      always allowed: since Linux 5.11 the kernel's action cache
 *                answers it without running the filter (the call still
 *                takes the slower syscall entry that any filter brings)
 *   personality  personality(0xffffffff), a query; lucid's and Docker's
 *                profiles allow only listed values, so the filter looks at
 *                the argument
 *   socket       socket(AF_INET, SOCK_STREAM | 0x100, 0): the filters look
 *                at the family and protocol, not at the type; the kernel
 *                refuses the unknown type flag (EINVAL) before it creates
 *                anything, so no socket code is timed and no fd is left
 *   clone        clone(CLONE_SIGHAND): no namespace flag, so the filters
 *                allow it; the kernel refuses it (EINVAL: shared handlers
 *                without a shared VM) before it copies anything, so
 *                nothing forks
 * Up to 16 CALLs. Exit 0; 1 when a CALL does not answer as above (a
 * filter refused it: EPERM, ENOSYS), with one line on stderr; 2 on usage. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/io.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/log.h"
#include "common/parse.h"

/* A type flag the kernel does not know (SOCK_TYPE_MASK is 0xf; only
 * SOCK_NONBLOCK and SOCK_CLOEXEC may be set above it). */
#define SOCK_BAD_FLAG 0x100

struct call {
	const char *name;
	long nr;
	long args[3];
	int expect; /* 0: succeeds; else the errno the kernel answers */
};

static const struct call calls[] = {
	{ "getppid", SYS_getppid, { 0, 0, 0 }, 0 },
	{ "personality", SYS_personality, { 0xffffffffL, 0, 0 }, 0 },
	{ "socket", SYS_socket, { AF_INET, SOCK_STREAM | SOCK_BAD_FLAG, 0 }, EINVAL },
	{ "clone", SYS_clone, { CLONE_SIGHAND, 0, 0 }, EINVAL },
};
#define NCALLS (sizeof calls / sizeof *calls)
#define MAX_CHOSEN 16

static const struct call *find_call(const char *name)
{
	for (size_t i = 0; i < NCALLS; i++)
		if (!strcmp(name, calls[i].name))
			return &calls[i];
	return NULL;
}

static long make(const struct call *c)
{
	return syscall(c->nr, c->args[0], c->args[1], c->args[2], 0L, 0L, 0L);
}

/* 0 when C answers as expected, else -1 with the reason logged. */
static int check_call(const struct call *c)
{
	errno = 0;
	long r = make(c);
	int err = errno;

	if (c->expect == 0 && r >= 0)
		return 0;
	if (c->expect != 0 && r < 0 && err == c->expect)
		return 0;
	if (r >= 0)
		log_error("%s: succeeded, expected %s from the kernel", c->name, strerror(c->expect));
	else
		log_error("%s: %s (refused by a filter?)", c->name, strerror(err));
	return -1;
}

/* The Seccomp_filters count of /proc/self/status (Linux 5.9+), or -1. */
static int64_t seccomp_filters(void)
{
	static const char key[] = "\nSeccomp_filters:\t";
	char status[8192];
	uint64_t v;

	if (file_read_small("/proc/self/status", status, sizeof status) < 0)
		return -1;
	const char *p = strstr(status, key);
	if (!p)
		return -1;
	p += sizeof key - 1;
	size_t n = strcspn(p, "\n");
	return parse_u64_n(p, n, INT32_MAX, &v) < 0 ? -1 : (int64_t)v;
}

static uint64_t time_call(const struct call *c, uint64_t n)
{
	uint64_t start = clock_now_us();

	for (uint64_t i = 0; i < n; i++)
		(void)make(c);
	return clock_now_us() - start;
}

int main(int argc, char **argv)
{
	const struct call *chosen[MAX_CHOSEN];
	size_t nchosen = 0;
	uint64_t n = 2000000;
	char mem[1024];
	struct buf b;

	log_setup("syscost", 0);
	for (int i = 1; i < argc; i++) {
		const struct call *c = find_call(argv[i]);

		if (c && nchosen < MAX_CHOSEN)
			chosen[nchosen++] = c;
		else if (c || parse_u64(argv[i], UINT32_MAX, &n) < 0) {
			log_error("usage: syscost [N] [getppid|personality|socket|clone]...");
			return 2;
		}
	}
	if (nchosen == 0)
		chosen[nchosen++] = find_call("personality");
	for (size_t i = 0; i < nchosen; i++)
		if (check_call(chosen[i]) < 0)
			return 1;
	buf_init(&b, mem, sizeof mem);
	for (size_t i = 0; i < nchosen; i++) {
		uint64_t us = time_call(chosen[i], n);
		if (nchosen > 1)
			buf_fmt(&b, "%s ", chosen[i]->name);
		buf_str(&b, "ns_per_call=");
		buf_fixed(&b, us * 1000, n ? n : 1, 1);
		buf_char(&b, '\n');
	}
	if (nchosen > 1) {
		int64_t f = seccomp_filters();
		if (f < 0)
			buf_str(&b, "seccomp_filters=?\n");
		else
			buf_fmt(&b, "seccomp_filters=%lld\n", (long long)f);
	}
	return write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0;
}

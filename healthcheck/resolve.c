#include "healthcheck/resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/io.h"
#include "common/clock.h"
#include "healthcheck/conn.h"
#include "healthcheck/errors.h"

/* What the resolver child sends back through its pipe: one write, smaller
 * than PIPE_BUF, so it arrives whole or not at all. */
struct reply {
	int herr; /* h_errno-style: HOST_NOT_FOUND, NO_DATA, TRY_AGAIN, NO_RECOVERY */
	unsigned n;
	struct address a[RESOLVE_MAX];
};

_Static_assert(sizeof(struct reply) <= PIPE_BUF, "resolver reply must be one atomic pipe write");

static void set_port(struct address *a, uint16_t port)
{
	if (a->u.sa.sa_family == AF_INET)
		a->u.in.sin_port = htons(port);
	else
		a->u.in6.sin6_port = htons(port);
}

static int from_literal(const char *host, struct address *a)
{
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, host, &a->u.in.sin_addr) == 1) {
		a->u.in.sin_family = AF_INET;
		a->len = sizeof a->u.in;
		return 1;
	}
	if (inet_pton(AF_INET6, host, &a->u.in6.sin6_addr) == 1) {
		a->u.in6.sin6_family = AF_INET6;
		a->len = sizeof a->u.in6;
		return 1;
	}
	return 0;
}

/* How telling a lookup failure is: a server that did not answer says more
 * than a name that one family does not have. */
static int failure_rank(int herr)
{
	return herr == TRY_AGAIN ? 3 : herr == NO_RECOVERY ? 2 : herr == NO_DATA ? 1 : 0;
}

/* Whether the reply already holds this address: a hosts file may name one
 * twice (glibc returns "127.0.0.1 localhost" once per matching line), and
 * trying it again would only spend the deadline. */
static bool listed(const struct reply *r, int family, const char *addr)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct address *a = &r->a[i];
		if (a->u.sa.sa_family != family)
			continue;
		if (family == AF_INET6 ? !memcmp(&a->u.in6.sin6_addr, addr, 16) : !memcmp(&a->u.in.sin_addr, addr, 4))
			return true;
	}
	return false;
}

/* musl's resolver in this process: the hosts file, then the DNS servers of
 * /etc/resolv.conf with its search domains (musl has no NSS). IPv6 is asked
 * for first, then IPv4, the order RFC 6724 gives loopback and global
 * addresses; every address is tried in that order until one connects.
 * gethostbyname2_r rather than getaddrinfo: the same lookup code, without
 * getaddrinfo's malloc and service lookup, 5 KiB of a 64 KiB binary. */
static void lookup(const char *host, struct reply *r)
{
	static const int families[] = { AF_INET6, AF_INET };

	r->n = 0;
	r->herr = HOST_NOT_FOUND;
	for (size_t f = 0; f < 2; f++) {
		struct hostent he, *hp = NULL;
		char tmp[4096];
		int herr = NO_RECOVERY;

		if (gethostbyname2_r(host, families[f], &he, tmp, sizeof tmp, &hp, &herr) != 0 || !hp) {
			if (failure_rank(herr) > failure_rank(r->herr))
				r->herr = herr;
			continue;
		}
		for (char **addr = hp->h_addr_list; *addr && r->n < RESOLVE_MAX; addr++) {
			if (listed(r, families[f], *addr))
				continue;
			struct address *a = &r->a[r->n++];
			memset(a, 0, sizeof *a);
			if (families[f] == AF_INET6) {
				a->u.in6.sin6_family = AF_INET6;
				memcpy(&a->u.in6.sin6_addr, *addr, 16);
				a->len = sizeof a->u.in6;
			} else {
				a->u.in.sin_family = AF_INET;
				memcpy(&a->u.in.sin_addr, *addr, 4);
				a->len = sizeof a->u.in;
			}
		}
	}
	if (r->n)
		r->herr = 0;
}

static const char *lookup_error(int herr)
{
	switch (herr) {
	case HOST_NOT_FOUND:
		return "Name does not resolve";
	case NO_DATA:
		return "Name has no usable address";
	case TRY_AGAIN:
		return "Name could not be resolved at this time";
	default:
		return "Non-recoverable failure in name resolution";
	}
}

/* The resolver cannot be interrupted or given a deadline (musl's resolver has
 * its own timeouts, 5 s and 2 attempts by default), so it runs in a child:
 * the probe waits on the pipe until end_us, then kills the child. This keeps
 * one deadline over the whole probe even when DNS does not answer. */
static int lookup_bounded(const char *host, struct reply *r, uint64_t end_us)
{
	int fds[2];
	size_t got = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	/* _Fork (POSIX.1-2024): fork without atfork handlers, which this
	 * single-threaded program has none of; 1.3 KiB smaller than fork. */
	pid = _Fork();
	if (pid < 0) {
		int saved = errno;
		close(fds[0]);
		close(fds[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		lookup(host, r);
		(void)write_all(fds[1], r, sizeof *r);
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof *r && conn_wait(fds[0], POLLIN, end_us) == 0) {
		ssize_t n = fd_read(fds[0], (char *)r + got, sizeof *r - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	if (got != sizeof *r)
		kill(pid, SIGKILL); /* late, or failed: either way not waited for */
	(void)wait_child(pid, NULL);
	if (got == sizeof *r)
		return 0;
	errno = clock_now_us() >= end_us ? ETIMEDOUT : EIO;
	return -1;
}

int resolve_host(const char *host, uint16_t port, struct address *out, size_t max, uint64_t end_us, struct buf *err)
{
	struct reply r;

	if (max == 0) {
		errno = EINVAL;
		return -1;
	}
	if (from_literal(host, &out[0])) {
		set_port(&out[0], port);
		return 1;
	}
	if (clock_now_us() >= end_us) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (lookup_bounded(host, &r, end_us) < 0) {
		if (errno == ETIMEDOUT)
			return -1;
		if (errno == EIO) {
			buf_str(err, "the resolver process died");
			return -1;
		}
		/* No child possible (pids or fd limit, a filter): resolving here
		 * would be bounded only by the resolver's own 10 s of retries, and
		 * a probe must never outlast its deadline. */
		int saved = errno;
		buf_str(err, "cannot start the resolver: ");
		error_put(err, saved);
		errno = saved;
		return -1;
	}
	if (r.herr) {
		buf_str(err, lookup_error(r.herr));
		errno = EHOSTUNREACH;
		return -1;
	}
	size_t n = r.n < max ? r.n : max;
	for (size_t i = 0; i < n; i++) {
		out[i] = r.a[i];
		set_port(&out[i], port);
	}
	return (int)n;
}

int resolve_unix(const char *path, struct address *out)
{
	size_t n = strlen(path);

	memset(out, 0, sizeof *out);
	if (n == 0 || n >= sizeof out->u.un.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out->u.un.sun_family = AF_UNIX;
	memcpy(out->u.un.sun_path, path, n + 1);
	out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static void format_ipv6(struct buf *b, const unsigned char *a)
{
	unsigned g[8];
	int best = -1, best_len = 0;

	for (size_t i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	/* RFC 5952: the longest run of two or more zero groups becomes "::". */
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			buf_str(b, "::");
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			buf_char(b, ':');
		buf_fmt(b, "%x", g[i]);
	}
}

void address_format(struct buf *b, const struct address *a)
{
	if (a->u.sa.sa_family == AF_UNIX) {
		buf_str(b, "unix:");
		buf_str(b, a->u.un.sun_path);
	} else if (a->u.sa.sa_family == AF_INET) {
		const unsigned char *p = (const unsigned char *)&a->u.in.sin_addr;
		buf_fmt(b, "%u.%u.%u.%u:%u", p[0], p[1], p[2], p[3], ntohs(a->u.in.sin_port));
	} else {
		buf_char(b, '[');
		format_ipv6(b, a->u.in6.sin6_addr.s6_addr);
		buf_fmt(b, "]:%u", ntohs(a->u.in6.sin6_port));
	}
}

#include "healthcheck/conn.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "healthcheck/errors.h"

/* Wait until fd has one of events, or end_us passes. 0, or -1 with errno. */
int conn_wait(int fd, short events, uint64_t end_us)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		uint64_t now = clock_now_us();

		if (now >= end_us) {
			errno = ETIMEDOUT;
			return -1;
		}
		uint64_t ms = (end_us - now + 999) / 1000; /* round up: never spin */
		int r = poll(&p, 1, ms > INT_MAX ? INT_MAX : (int)ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* One non-blocking connect, finished within end_us. */
static int connect_one(const struct address *a, uint64_t end_us)
{
	int fd = socket(a->u.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int soerr = 0;
	socklen_t len = sizeof soerr;

	if (fd < 0)
		return -1;
	if (connect(fd, &a->u.sa, a->len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	if (conn_wait(fd, POLLOUT, end_us) < 0)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		goto fail;
	if (soerr == 0)
		return fd;
	errno = soerr;
fail:;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int conn_open(const struct address *a, size_t n, uint64_t end_us, size_t *used)
{
	int err = EINVAL;

	for (size_t i = 0; i < n; i++) {
		int fd = connect_one(&a[i], end_us);
		if (fd >= 0) {
			*used = i;
			return fd;
		}
		err = errno;
		if (log_verbosity() > 0) {
			char mem[128];
			struct buf b;
			buf_init(&b, mem, sizeof mem);
			address_format(&b, &a[i]);
			buf_str(&b, ": ");
			error_put(&b, err);
			log_debug("connect %s", mem);
		}
		if (err == ETIMEDOUT && clock_now_us() >= end_us)
			break;
	}
	errno = err;
	return -1;
}

int conn_send(int fd, const void *data, size_t n, uint64_t end_us)
{
	const char *p = data;

	while (n) {
		if (clock_now_us() >= end_us) {
			errno = ETIMEDOUT;
			return -1;
		}
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			if (conn_wait(fd, POLLOUT, end_us) < 0)
				return -1;
			continue;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t conn_recv(int fd, void *buf, size_t n, uint64_t end_us)
{
	for (;;) {
		/* Checked before every read too: a peer that never lets the socket
		 * run dry must not outlast the deadline either. */
		if (clock_now_us() >= end_us) {
			errno = ETIMEDOUT;
			return -1;
		}
		ssize_t r = recv(fd, buf, n, 0);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (conn_wait(fd, POLLIN, end_us) < 0)
			return -1;
	}
}

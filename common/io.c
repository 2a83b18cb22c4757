#include "common/io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

ssize_t fd_read(int fd, void *buf, size_t len)
{
	int saved = errno;
	ssize_t r;

	do
		r = read(fd, buf, len);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		errno = saved;
	return r;
}

ssize_t fd_write(int fd, const void *buf, size_t len)
{
	int saved = errno;
	ssize_t r;

	do
		r = write(fd, buf, len);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		errno = saved;
	return r;
}

int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n) {
		ssize_t w = fd_write(fd, p, n);
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t fd_read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = fd_read(fd, (char *)buf + got, len - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Close FD keeping errno; returns -1 for the caller's convenience. */
static int close_failing(int fd, int err)
{
	close(fd);
	errno = err;
	return -1;
}

int file_read_alloc(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return close_failing(fd, errno);
	if (!S_ISREG(st.st_mode))
		return close_failing(fd, EINVAL);
	if (st.st_size < 0 || (uint64_t)st.st_size > max)
		return close_failing(fd, EFBIG);
	/* One byte more than fstat said: a file that grew shows as too long. */
	size_t size = (size_t)st.st_size;
	char *buf = malloc(size + 2);
	if (!buf)
		return close_failing(fd, ENOMEM);
	ssize_t n = fd_read_full(fd, buf, size + 1);
	int err = n < 0 ? errno : (size_t)n < size ? EIO : (size_t)n > size ? EFBIG : 0;
	close(fd);
	if (err) {
		free(buf);
		errno = err;
		return -1;
	}
	buf[size] = '\0';
	*data = buf;
	*len = size;
	return 0;
}

ssize_t file_read_small(const char *path, char *dst, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* Ask for one byte more than fits: getting it means too large. */
	ssize_t n = fd_read_full(fd, dst, size);
	int err = n < 0 ? errno : (size_t)n == size ? EFBIG : 0;
	close(fd);
	if (err) {
		errno = err;
		return -1;
	}
	dst[n] = '\0';
	return n;
}

int fd_poll_forever(struct pollfd *fds, size_t n)
{
	int r;

	do
		r = ppoll(fds, (nfds_t)n, NULL, NULL);
	while (r < 0 && errno == EINTR);
	return r;
}

pid_t wait_child(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r;
}

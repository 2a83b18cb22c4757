/* The one place that talks read(2)/write(2)/waitpid(2) in a loop: EINTR is
 * retried here and nowhere else, and errno is kept on success (skalibs'
 * fd_read). Every fd opened here is O_CLOEXEC. */
#ifndef LUCID_IO_H
#define LUCID_IO_H

#include <stddef.h>
#include <sys/types.h>

/* read(2) and write(2), retried on EINTR: what they returned, errno as
 * before the call on success. */
ssize_t fd_read(int fd, void *buf, size_t len);
ssize_t fd_write(int fd, const void *buf, size_t len);

/* Write all N bytes, across short writes. 0, or -1 with errno. */
int write_all(int fd, const void *data, size_t n);

/* Read up to LEN bytes, across short reads, stopping early only at EOF:
 * the count (less than LEN means EOF), or -1 with errno. */
ssize_t fd_read_full(int fd, void *buf, size_t len);

/* The whole of PATH, a regular file of at most MAX bytes, in a malloc'd
 * buffer with a NUL after the last byte: 0 with *data and *len set, or -1
 * with errno: EFBIG when larger than MAX (refused unread, never cut),
 * EINVAL when not a regular file, EIO when it shrank while being read. */
int file_read_alloc(const char *path, size_t max, char **data, size_t *len);

/* A small file (a /proc entry, whose size says nothing) read to EOF into
 * DST, NUL-terminated: its length, or -1 with errno; EFBIG when it does
 * not fit in SIZE - 1 bytes. */
ssize_t file_read_small(const char *path, char *dst, size_t size);

struct pollfd;
/* ppoll(2) with no timeout and no signal mask change, retried on EINTR:
 * the count of ready fds, or -1 with errno. */
int fd_poll_forever(struct pollfd *fds, size_t n);

/* waitpid(2) for one child, retried on EINTR. */
pid_t wait_child(pid_t pid, int *status);

#endif

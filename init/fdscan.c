#include "init/fdscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/fmt.h"
#include "common/io.h"
#include "common/parse.h"
#include "common/procfs.h"

#define MAX_MOUNTS (1u << 20)
#define MAX_MOUNTINFO (64u << 20)

static int push(unsigned **ids, size_t *n, size_t *cap, unsigned v)
{
	if (*n == *cap) {
		if (*cap >= MAX_MOUNTS) {
			errno = E2BIG;
			return -1;
		}
		size_t grown_cap = *cap ? 2 * *cap : 64;
		unsigned *grown = realloc(*ids, grown_cap * sizeof **ids);
		if (!grown)
			return -1;
		*ids = grown;
		*cap = grown_cap;
	}
	(*ids)[(*n)++] = v;
	return 0;
}

int fdscan_mount_ids(const char *text, size_t len, unsigned **ids, size_t *n)
{
	size_t cap = 0, i = 0;

	*ids = NULL;
	*n = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && ascii_is_digit(text[i]))
			i++;
		uint64_t v;
		if (i == start || i == len || text[i] != ' ' ||
		    parse_u64_n(text + start, i - start, UINT32_MAX, &v) < 0 || push(ids, n, &cap, (unsigned)v) < 0) {
			int err = i == start || i == len || text[i] != ' ' ? EINVAL : errno;
			free(*ids);
			*ids = NULL;
			errno = err ? err : EINVAL;
			return -1;
		}
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	return 0;
}

/* /proc/PID/mountinfo, whole, in a malloc'd buffer. */
static int read_mountinfo(pid_t pid, char **text, size_t *len)
{
	char path[PROCFS_PATH_MAX];
	int fd = open(procfs_path(path, sizeof path, pid, "mountinfo", NULL), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t cap = 16384, n = 0;
	char *data = malloc(cap);
	for (;;) {
		if (!data)
			break;
		ssize_t r = fd_read(fd, data + n, cap - n);
		if (r <= 0) {
			if (r == 0) {
				close(fd);
				*text = data;
				*len = n;
				return 0;
			}
			break;
		}
		n += (size_t)r;
		if (n == cap) {
			char *grown = cap < MAX_MOUNTINFO ? realloc(data, cap * 2) : NULL;
			if (!grown) {
				errno = cap < MAX_MOUNTINFO ? ENOMEM : EFBIG;
				break;
			}
			data = grown;
			cap *= 2;
		}
	}
	int err = errno;
	free(data);
	close(fd);
	errno = err;
	return -1;
}

/* The mnt_id line of /proc/PID/fdinfo/FD, or -1. */
static long fd_mount(pid_t pid, const char *fd)
{
	char path[PROCFS_PATH_MAX], text[1024];
	int mnt;

	procfs_path(path, sizeof path, pid, "fdinfo", fd);
	/* An fdinfo longer than the buffer (epoll, inotify) has mnt_id on its
	 * third line: read what fits, and end it. */
	if (file_read_small(path, text, sizeof text) < 0) {
		if (errno != EFBIG)
			return -1;
		text[sizeof text - 1] = '\0';
	}
	return procfs_int_field(text, "mnt_id", &mnt) < 0 ? -1 : mnt;
}

/* Whether fd's target is a path on a real mount: "/..." but not a memfd,
 * whose "/memfd:NAME" lives on an internal mount. */
static bool is_path(pid_t pid, const char *fd)
{
	char path[PROCFS_PATH_MAX], target[64];
	ssize_t n = readlink(procfs_path(path, sizeof path, pid, "fd", fd), target, sizeof target - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return target[0] == '/' && strncmp(target, "/memfd:", 7) != 0;
}

static bool known(const unsigned *ids, size_t n, long id)
{
	for (size_t i = 0; i < n; i++)
		if ((long)ids[i] == id)
			return true;
	return false;
}

/* Without ptrace access: the fd count as the size of /proc/PID/fd. */
static int count_only(pid_t pid, struct fd_census *out)
{
	char path[PROCFS_PATH_MAX];
	struct stat st;

	if (stat(procfs_path(path, sizeof path, pid, "fd", NULL), &st) < 0)
		return -1;
	out->open = st.st_size > 0 ? (long)st.st_size : -1; /* 0 before Linux 6.2 */
	return 0;
}

int fdscan_census(pid_t pid, struct fd_census *out)
{
	char path[PROCFS_PATH_MAX];

	out->open = out->foreign = out->first_foreign = -1;
	DIR *d = opendir(procfs_path(path, sizeof path, pid, "fd", NULL));
	if (!d)
		return errno == EACCES || errno == EPERM ? count_only(pid, out) : -1;

	char *info = NULL;
	size_t info_len = 0, n_ids = 0;
	unsigned *ids = NULL;
	bool judge = read_mountinfo(pid, &info, &info_len) == 0 && fdscan_mount_ids(info, info_len, &ids, &n_ids) == 0;
	free(info);

	long open_fds = 0, foreign = 0, first = -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		unsigned fd;
		if (parse_uint(e->d_name, 0x7fffffff, &fd) < 0)
			continue;
		open_fds++;
		if (!judge || fd <= 2 || !is_path(pid, e->d_name))
			continue;
		long mnt = fd_mount(pid, e->d_name);
		if (mnt >= 0 && !known(ids, n_ids, mnt)) {
			foreign++;
			if (first < 0 || (long)fd < first)
				first = (long)fd;
		}
	}
	closedir(d);
	free(ids);
	out->open = open_fds;
	out->foreign = judge ? foreign : -1;
	out->first_foreign = first;
	return 0;
}

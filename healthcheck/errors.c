#include "healthcheck/errors.h"

#include <errno.h>
#include <stddef.h>

static const struct {
	int err;
	const char *text;
} texts[] = {
	{ ECONNREFUSED, "Connection refused" },
	{ ECONNRESET, "Connection reset by peer" },
	{ ECONNABORTED, "Connection aborted" },
	{ ETIMEDOUT, "Operation timed out" },
	{ EHOSTUNREACH, "Host is unreachable" },
	{ ENETUNREACH, "Network unreachable" },
	{ ENETDOWN, "Network is down" },
	{ EADDRNOTAVAIL, "Address not available" },
	{ EAFNOSUPPORT, "Address family not supported by protocol" },
	{ EPROTOTYPE, "Protocol wrong type for socket" },
	{ ENOTCONN, "Socket not connected" },
	{ EPIPE, "Broken pipe" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ EACCES, "Permission denied" },
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ ENOTDIR, "Not a directory" },
	{ ENAMETOOLONG, "Filename too long" },
	{ ELOOP, "Symbolic link loop" },
	{ EMFILE, "No file descriptors available" },
	{ ENFILE, "Too many open files in system" },
	{ ENOBUFS, "No buffer space available" },
	{ ENOMEM, "Out of memory" },
	{ EIO, "I/O error" },
};

void error_put(struct buf *b, int err)
{
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (texts[i].err == err) {
			buf_str(b, texts[i].text);
			return;
		}
	}
	buf_fmt(b, "error %d", err);
}

/* The image's /etc/passwd and /etc/group, looked up by name and by id as
 * --user does (init/passwd.c reads the file itself: musl has no NSS). */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "init/passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	uid_t uid;
	gid_t gid;

	if (fd < 0) {
		fd = memfd_create("passwd", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	(void)passwd_by_name(path, "nonroot", &uid, &gid);
	(void)passwd_by_name(path, "root", &uid, &gid);
	(void)passwd_by_uid(path, 65532, &gid);
	(void)passwd_by_uid(path, 0, &gid);
	(void)group_by_name(path, "nonroot", &gid);
	(void)group_by_name(path, "", &gid);
	return 0;
}

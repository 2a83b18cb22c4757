/* Name lookups in the image's own /etc/passwd and /etc/group, read directly:
 * a static musl binary has no NSS, and distroless images ship these files
 * (nonroot is 65532). Each returns 0 when found, -1 with errno ENOENT when
 * the name or id is absent, or another errno when the file cannot be read. */
#ifndef LUCID_INIT_PASSWD_H
#define LUCID_INIT_PASSWD_H

#include <sys/types.h>

int passwd_by_name(const char *path, const char *name, uid_t *uid, gid_t *gid);
int passwd_by_uid(const char *path, uid_t uid, gid_t *gid);
int group_by_name(const char *path, const char *name, gid_t *gid);

#endif

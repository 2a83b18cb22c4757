#include "init/passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/parse.h"

/* Account databases bigger than this are refused rather than half-read. */
#define DB_MAX (1u << 20)

/* The whole file, NUL-terminated, in a malloc'd buffer. */
static char *read_db(const char *path)
{
	char *data;
	size_t len;

	return file_read_alloc(path, DB_MAX, &data, &len) < 0 ? NULL : data;
}

/* Split one line into at most `max` ':'-separated fields, in place. */
static size_t split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;

	fields[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == ':') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

/* Call match(fields, n, ctx) on every line until it returns nonzero. */
static int scan_db(const char *path, size_t nfields, int (*match)(char **fields, size_t n, void *ctx), void *ctx)
{
	char *data = read_db(path);
	if (!data)
		return -1;

	int found = 0;
	char *line = data;
	while (line && *line && !found) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *fields[7];
		size_t n = split_fields(line, fields, nfields);
		if (line[0] != '#' && n == nfields)
			found = match(fields, n, ctx);
		line = next;
	}
	free(data);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

struct id_query {
	const char *name;
	uid_t uid;
	uid_t out_id;
	gid_t out_gid;
};

static int id_field(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT32_MAX - 1, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int match_passwd_name(char **f, size_t n, void *ctx)
{
	struct id_query *q = ctx;
	uint32_t uid, gid;

	(void)n;
	if (strcmp(f[0], q->name) != 0 || id_field(f[2], &uid) || id_field(f[3], &gid))
		return 0;
	q->out_id = uid;
	q->out_gid = gid;
	return 1;
}

static int match_passwd_uid(char **f, size_t n, void *ctx)
{
	struct id_query *q = ctx;
	uint32_t uid, gid;

	(void)n;
	if (id_field(f[2], &uid) || uid != q->uid || id_field(f[3], &gid))
		return 0;
	q->out_gid = gid;
	return 1;
}

static int match_group_name(char **f, size_t n, void *ctx)
{
	struct id_query *q = ctx;
	uint32_t gid;

	(void)n;
	if (strcmp(f[0], q->name) != 0 || id_field(f[2], &gid))
		return 0;
	q->out_gid = gid;
	return 1;
}

int passwd_by_name(const char *path, const char *name, uid_t *uid, gid_t *gid)
{
	struct id_query q = { .name = name };

	if (scan_db(path, 7, match_passwd_name, &q) < 0)
		return -1;
	*uid = q.out_id;
	*gid = q.out_gid;
	return 0;
}

int passwd_by_uid(const char *path, uid_t uid, gid_t *gid)
{
	struct id_query q = { .uid = uid };

	if (scan_db(path, 7, match_passwd_uid, &q) < 0)
		return -1;
	*gid = q.out_gid;
	return 0;
}

int group_by_name(const char *path, const char *name, gid_t *gid)
{
	struct id_query q = { .name = name };

	if (scan_db(path, 4, match_group_name, &q) < 0)
		return -1;
	*gid = q.out_gid;
	return 0;
}

#include "common/procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/fmt.h"
#include "common/io.h"
#include "common/parse.h"

/* The value of "Key:\t..." up to the end of its line, or NULL. */
static const char *field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			*len = strcspn(p, "\n");
			return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* Up to max whitespace-separated decimal numbers from [s, s+len). */
static int numbers(const char *s, size_t len, uint32_t *out, size_t max, size_t *count, bool *truncated)
{
	char tok[16];
	size_t n = 0, i = 0;

	*truncated = false;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		size_t tl = i - start;
		if (!tl)
			break;
		uint64_t v;
		if (tl >= sizeof tok)
			return -1;
		memcpy(tok, s + start, tl);
		tok[tl] = '\0';
		if (parse_u64(tok, UINT32_MAX, &v) < 0)
			return -1;
		if (n == max) {
			*truncated = true;
			continue;
		}
		out[n++] = (uint32_t)v;
	}
	*count = n;
	return 0;
}

static int hex_field(const char *text, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = field(text, key, &len);
	uint64_t x = 0;

	if (!v || len == 0 || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];
		int d = ascii_hex_value(c);
		if (d < 0)
			return -1;
		x = x << 4 | (unsigned)d;
	}
	*out = x;
	return 0;
}

int procfs_int_field(const char *text, const char *key, int *out)
{
	size_t len, n;
	uint32_t v;
	bool trunc;
	const char *s = field(text, key, &len);

	if (!s || numbers(s, len, &v, 1, &n, &trunc) < 0 || n != 1 || v > INT32_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int procfs_parse_status(const char *text, struct proc_status *st)
{
	size_t len, n;
	bool trunc;
	const char *v;
	int pid, ppid;

	memset(st, 0, sizeof *st);
	st->no_new_privs = st->seccomp = st->seccomp_filters = -1;

	if (!(v = field(text, "Name", &len)))
		goto bad;
	if (len >= sizeof st->name)
		len = sizeof st->name - 1;
	memcpy(st->name, v, len);

	if ((v = field(text, "State", &len)) && len)
		st->state = v[0];
	if (procfs_int_field(text, "Pid", &pid) < 0 || procfs_int_field(text, "PPid", &ppid) < 0)
		goto bad;
	st->pid = pid;
	st->ppid = ppid;

	if (!(v = field(text, "Uid", &len)) || numbers(v, len, st->uid, 4, &n, &trunc) < 0 || n != 4)
		goto bad;
	if (!(v = field(text, "Gid", &len)) || numbers(v, len, st->gid, 4, &n, &trunc) < 0 || n != 4)
		goto bad;
	if ((v = field(text, "Groups", &len)) &&
	    numbers(v, len, st->groups, PROC_MAX_GROUPS, &st->n_groups, &st->groups_truncated) < 0)
		goto bad;

	/* Capability lines are absent only on kernels without capabilities;
	 * treat that as "all set" so an audit can never pass by omission. */
	if (hex_field(text, "CapInh", &st->cap_inh) < 0)
		st->cap_inh = UINT64_MAX;
	if (hex_field(text, "CapPrm", &st->cap_prm) < 0)
		st->cap_prm = UINT64_MAX;
	if (hex_field(text, "CapEff", &st->cap_eff) < 0)
		st->cap_eff = UINT64_MAX;
	if (hex_field(text, "CapBnd", &st->cap_bnd) < 0)
		st->cap_bnd = UINT64_MAX;
	if (hex_field(text, "CapAmb", &st->cap_amb) < 0)
		st->cap_amb = UINT64_MAX;
	/* Unknown dispositions read as "default": nothing caught or ignored. */
	if (hex_field(text, "SigIgn", &st->sig_ign) < 0)
		st->sig_ign = 0;
	if (hex_field(text, "SigCgt", &st->sig_cgt) < 0)
		st->sig_cgt = 0;
	(void)procfs_int_field(text, "NoNewPrivs", &st->no_new_privs);
	(void)procfs_int_field(text, "Seccomp", &st->seccomp);
	(void)procfs_int_field(text, "Seccomp_filters", &st->seccomp_filters);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

const char *procfs_path(char *dst, size_t size, pid_t pid, const char *leaf, const char *sub)
{
	struct buf b;

	buf_init(&b, dst, size);
	buf_fmt(&b, "/proc/%d/%s", (int)pid, leaf);
	if (sub)
		buf_fmt(&b, "/%s", sub);
	return dst;
}

/* Read a small /proc file into dst (NUL-terminated); its length, or -1
 * (EFBIG: it does not fit, and is not read in part). */
static ssize_t read_proc_file(pid_t pid, const char *leaf, char *dst, size_t size)
{
	char path[PROCFS_PATH_MAX];

	return file_read_small(procfs_path(path, sizeof path, pid, leaf, NULL), dst, size);
}

int procfs_read_status(pid_t pid, struct proc_status *out)
{
	char text[4096];

	if (read_proc_file(pid, "status", text, sizeof text) < 0)
		return -1;
	return procfs_parse_status(text, out);
}

int procfs_read_cmdline(pid_t pid, char *dst, size_t size)
{
	char path[PROCFS_PATH_MAX];

	/* For display: a long command line is cut, not refused. */
	int fd = open(procfs_path(path, sizeof path, pid, "cmdline", NULL), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = fd_read_full(fd, dst, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && dst[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (dst[i] == '\0')
			dst[i] = ' ';
	dst[n] = '\0';
	return 0;
}

int procfs_list_pids(pid_t **pids, size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t cap = 0, len = 0;
	pid_t *list = NULL;

	if (!d)
		return -1;
	errno = 0;
	while ((e = readdir(d))) {
		uint64_t v;
		if (parse_u64(e->d_name, INT32_MAX, &v) < 0 || v == 0)
			continue;
		if (len == cap) {
			pid_t *grown = NULL;
			if (cap < PROCFS_MAX_PIDS) {
				cap = cap ? 2 * cap : 256;
				grown = realloc(list, cap * sizeof *list);
			}
			if (!grown) {
				int err = cap >= PROCFS_MAX_PIDS ? E2BIG : ENOMEM;
				free(list);
				closedir(d);
				errno = err;
				return -1;
			}
			list = grown;
		}
		list[len++] = (pid_t)v;
		errno = 0;
	}
	int err = errno; /* readdir's: 0 at the end of the directory */
	closedir(d);
	if (err) {
		free(list);
		errno = err;
		return -1;
	}
	*pids = list;
	*n = len;
	return 0;
}

/* PPid of pid from /proc/PID/stat; the comm field may hold spaces and
 * parentheses, so parse after the last ')'. */
static pid_t parent_of(pid_t pid)
{
	char text[512];
	uint64_t v;

	if (read_proc_file(pid, "stat", text, sizeof text) < 0)
		return -1;
	char *p = strrchr(text, ')');
	if (!p || strncmp(p, ") ", 2) != 0)
		return -1;
	p += 4; /* ") S " */
	char *end = strchr(p, ' ');
	if (!end)
		return -1;
	*end = '\0';
	if (parse_u64(p, INT32_MAX, &v) < 0)
		return -1;
	return (pid_t)v;
}

int procfs_descendants(pid_t ancestor, pid_t **out, size_t *n)
{
	pid_t *pids, *parents, *found;
	size_t count, nfound = 0;

	if (procfs_list_pids(&pids, &count) < 0)
		return -1;
	parents = malloc((count ? count : 1) * sizeof *parents);
	found = malloc((count ? count : 1) * sizeof *found);
	if (!parents || !found) {
		free(pids);
		free(parents);
		free(found);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		parents[i] = parent_of(pids[i]);

	/* Grow the set from the ancestor until a pass adds nobody. */
	bool grew = true;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < count; i++) {
			if (pids[i] == ancestor || parents[i] <= 0)
				continue;
			bool in = false, parent_in = parents[i] == ancestor;
			for (size_t j = 0; j < nfound; j++) {
				in = in || found[j] == pids[i];
				parent_in = parent_in || found[j] == parents[i];
			}
			if (!in && parent_in) {
				found[nfound++] = pids[i];
				grew = true;
			}
		}
	}
	free(pids);
	free(parents);
	*out = found;
	*n = nfound;
	return 0;
}

bool procfs_is_descendant(pid_t pid, pid_t ancestor)
{
	/* A chain longer than any real one means a loop through reused pids. */
	for (int depth = 0; depth < 4096 && pid > 1; depth++) {
		pid = parent_of(pid);
		if (pid == ancestor)
			return true;
	}
	return false;
}

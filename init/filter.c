#include "init/filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/bpfsim.h"
#include "common/io.h"
#include "common/log.h"
#include "init/sys.h"

/* A filter file larger than the largest valid blob is refused unread. */
#define MAX_BLOB (BPFBLOB_HEADER_SIZE + 8u * BPFBLOB_MAX_INSNS)

/* malloc's alignment suits the blob's 4-byte fields. */
static int read_blob(const char *path, void **data, size_t *len)
{
	char *text;

	if (file_read_alloc(path, MAX_BLOB, &text, len) < 0)
		return -1;
	*data = text;
	return 0;
}

static const char *blob_error(int err)
{
	switch (err) {
	case EXDEV:
		return "compiled for another architecture";
	case EPROTO:
		return "written by an incompatible lucid-seccomp (format version)";
	case EINVAL:
		return "not a valid LUCIDBPF filter";
	default:
		return strerror(err);
	}
}

static const struct {
	const char *name;
	const unsigned char *data;
	const unsigned long *len;
} builtin[] = {
	{ "default", lucid_filter_default, &lucid_filter_default_len },
	{ "python", lucid_filter_python, &lucid_filter_python_len },
	{ "node", lucid_filter_node, &lucid_filter_node_len },
	{ "static", lucid_filter_static, &lucid_filter_static_len },
};

static bool is_path(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 4 && !strcmp(spec + n - 4, ".bpf"));
}

/* What the service must be able to call under its filter: the child's
 * last steps are execve and, if that fails, a report and _exit. A filter
 * that denies exit_group (SPO's "block all") would leave the child looping
 * on exit(111) = -EPERM, and the start would never end. */
static int check_service_filter(const struct bpfblob *f, const char *spec, struct buf *why)
{
	static const struct {
		int nr;
		const char *name;
	} needed[] = { { SYS_execve, "execve" }, { SYS_exit_group, "exit_group" }, { SYS_exit, "exit" } };

	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
		uint32_t action = bpf_sim_syscall(f->insns, f->count, f->arch, needed[i].nr, NULL);
		uint32_t kind = action & SECCOMP_RET_ACTION_FULL;
		if (kind != SECCOMP_RET_ALLOW && kind != SECCOMP_RET_LOG) {
			buf_fmt(why,
				"--seccomp %s: the filter does not allow %s, so the service could never "
				"start or end",
				spec, needed[i].name);
			return -1;
		}
	}
	return 0;
}

/* The bytes of the last filter file chosen: the blob points into them. */
static void *loaded;

int filter_choose(const char *spec, struct bpfblob *storage, const struct bpfblob **filter, struct buf *why)
{
	void *data;
	size_t len;

	free(loaded);
	loaded = NULL;

	if (!spec)
		spec = "default";
	if (!strcmp(spec, "none")) {
		*filter = NULL;
		return 0;
	}
	if (!is_path(spec)) {
		for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++) {
			if (strcmp(spec, builtin[i].name) != 0)
				continue;
			if (bpfblob_parse(builtin[i].data, *builtin[i].len, storage) < 0) {
				buf_fmt(why, "the built-in %s filter is unusable: %s", spec, blob_error(errno));
				return -1;
			}
			*filter = storage;
			return check_service_filter(storage, spec, why);
		}
		buf_fmt(why,
			"--seccomp %s: not a built-in profile (default, python, node, static), "
			"none, or a FILE.bpf path",
			spec);
		return -1;
	}
	if (read_blob(spec, &data, &len) < 0) {
		buf_fmt(why, "--seccomp %s: %s", spec, strerror(errno));
		return -1;
	}
	if (bpfblob_parse(data, len, storage) < 0) {
		buf_fmt(why, "--seccomp %s: %s", spec, blob_error(errno));
		free(data);
		return -1;
	}
	if (check_service_filter(storage, spec, why) < 0) {
		free(data);
		return -1;
	}
	loaded = data;
	*filter = storage;
	return 0;
}

int filter_install(const struct bpfblob *filter)
{
	static const struct {
		unsigned flag;
		const char *name;
	} relaxing[] = {
		{ SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW (Linux 4.17)" },
		{ SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG (Linux 4.14)" },
	};
	struct sock_fprog prog = {
		.len = (unsigned short)filter->count,
		.filter = (struct sock_filter *)filter->insns,
	};
	unsigned flags = filter->flags;

	/* A kernel too old for a flag says EINVAL. Flags that only relax
	 * (speculation mitigations) or log may be dropped, with a warning;
	 * never one that tightens (TSYNC): then the install fails. */
	for (size_t i = 0;; i++) {
		if (sys_seccomp_filter(flags, &prog) == 0)
			return 0;
		while (i < sizeof relaxing / sizeof *relaxing && !(flags & relaxing[i].flag))
			i++;
		if (errno != EINVAL || i == sizeof relaxing / sizeof *relaxing)
			return -1;
		log_warn("the kernel refuses %s: installing the seccomp filter without it", relaxing[i].name);
		flags &= ~relaxing[i].flag;
	}
}

int filter_install_self(void)
{
	struct bpfblob self;

	if (bpfblob_parse(lucid_self_filter, lucid_self_filter_len, &self) < 0)
		return -1;
	return filter_install(&self);
}

/* Unit tests for init/filter.c: choosing the service's filter (built-in
 * names, files, none), refusing a filter the service could never start or
 * end under, and installing with the kernel's flag fallbacks, through the
 * sys seam (tests/unit/fake_sys.c; tests/unit/fake_filters.c provides the
 * built-ins). */
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bpfblob.h"
#include "fake_sys.h"
#include "init/filter.h"

static char mem[512];
static struct buf why;
static char dir[] = "/tmp/lucid-test-filter.XXXXXX";

static int setup(void **state)
{
	(void)state;
	fake_reset();
	buf_init(&why, mem, sizeof mem);
	return 0;
}

/* A LUCIDBPF file for this arch holding PROG, at DIR/NAME; its path. */
static const char *blob_file(const char *name, const struct sock_filter *prog, uint32_t count, size_t cut)
{
	static char path[128];
	unsigned char data[256];
	size_t n = bpfblob_encode(bpfblob_native_arch(), 0, prog, count, data, sizeof data);

	assert_true(n > cut);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n - cut), (ssize_t)(n - cut));
	close(fd);
	return path;
}

static void names_files_and_none(void **state)
{
	static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct bpfblob storage;
	const struct bpfblob *f;

	(void)state;
	assert_int_equal(filter_choose(NULL, &storage, &f, &why), 0);
	assert_ptr_equal(f, &storage);
	for (const char *const *n = (const char *const[]){ "default", "python", "node", "static", NULL }; *n; n++)
		assert_int_equal(filter_choose(*n, &storage, &f, &why), 0);
	assert_int_equal(filter_choose("none", &storage, &f, &why), 0);
	assert_null(f);
	assert_int_equal(filter_choose("pyhton", &storage, &f, &why), -1);
	assert_non_null(strstr(mem, "not a built-in profile"));
	assert_int_equal(filter_choose(blob_file("allow.bpf", allow, 1, 0), &storage, &f, &why), 0);
	assert_int_equal(f->count, 1);
}

/* A file cut short is an error that says so, not a stale errno. */
static void a_truncated_file_is_refused(void **state)
{
	static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct bpfblob storage;
	const struct bpfblob *f;

	(void)state;
	errno = ENOENT; /* what a stale errno would say */
	assert_int_equal(filter_choose(blob_file("cut.bpf", allow, 1, 4), &storage, &f, &why), -1);
	assert_non_null(strstr(mem, "not a valid LUCIDBPF filter"));
	setup(NULL);
	assert_int_equal(filter_choose("/nonexistent/x.bpf", &storage, &f, &why), -1);
	assert_non_null(strstr(mem, "No such file"));
}

/* Denying exit_group (SPO's block-all) would leave the child looping. */
static void a_filter_the_service_could_not_start_or_end_under_is_refused(void **state)
{
	static const struct sock_filter deny[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM) };
	struct bpfblob storage;
	const struct bpfblob *f;

	(void)state;
	assert_int_equal(filter_choose(blob_file("deny.bpf", deny, 1, 0), &storage, &f, &why), -1);
	assert_non_null(strstr(mem, "does not allow execve"));
}

static void install_falls_back_only_on_relaxing_flags(void **state)
{
	static const struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct bpfblob f = { .arch = bpfblob_native_arch(), .count = 1, .insns = allow };

	(void)state;
	f.flags = SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	fake.seccomp_refuses = SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	assert_int_equal(filter_install(&f), 0);
	assert_int_equal(fake.seccomp_flags, 0);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 3);

	setup(NULL);
	f.flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG;
	fake.seccomp_refuses = SECCOMP_FILTER_FLAG_TSYNC;
	assert_int_equal(filter_install(&f), -1);
	assert_int_equal(errno, EINVAL);

	setup(NULL);
	f.flags = SECCOMP_FILTER_FLAG_LOG;
	fake_fail(FAKE_SECCOMP, 1, EACCES); /* not EINVAL: no retry */
	assert_int_equal(filter_install(&f), -1);
	assert_int_equal(fake.calls[FAKE_SECCOMP], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(names_files_and_none, setup),
		cmocka_unit_test_setup(a_truncated_file_is_refused, setup),
		cmocka_unit_test_setup(a_filter_the_service_could_not_start_or_end_under_is_refused, setup),
		cmocka_unit_test_setup(install_falls_back_only_on_relaxing_flags, setup),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)!system(cmd);
	return rc;
}

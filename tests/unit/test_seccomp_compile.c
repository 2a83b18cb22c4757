/* Unit tests for lucid-seccomp's compiler (seccomp/compile.c, output.c) and
 * the LUCIDBPF format (common/bpfblob.c): filters are judged by running them
 * in the BPF simulator, not by their instruction bytes. */
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/audit.h>

#include "common/bpfsim.h"
#include "common/bpfblob.h"
#include "seccomp/compile.h"
#include "seccomp/output.h"

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_EPERM (SECCOMP_RET_ERRNO | EPERM)
#define RET_ENOSYS (SECCOMP_RET_ERRNO | ENOSYS)

static struct {
	struct profile prof;
	struct filter filter;
	const struct target_arch *arch;
} t;

static int teardown(void **state)
{
	(void)state;
	filter_free(&t.filter);
	profile_free(&t.prof);
	return 0;
}

/* Load and compile JSON for ARCH; fails the test on any error. */
static void compile(const char *json, const char *arch)
{
	static const struct build_context none;
	struct report r = { 0 };

	teardown(NULL);
	memset(&t.prof, 0, sizeof(t.prof));
	t.arch = arch_by_name(arch);
	if (profile_load(&t.prof, "t.json", json, strlen(json), t.arch, &none) < 0)
		fail_msg("load: %s", t.prof.report.error);
	if (compile_filter(&t.prof, &t.filter, &r) < 0)
		fail_msg("compile: %s", r.error);
}

static uint32_t call(const char *name, uint64_t a0, uint64_t a1)
{
	uint64_t args[6] = { a0, a1, 0, 0, 0, 0 };
	int nr = seccomp_syscall_resolve_name_arch(t.arch->token, name);

	assert_true(nr >= 0);
	return bpf_sim_syscall(t.filter.insns, t.filter.count, t.arch->audit, nr, args);
}

static uint32_t call_nr(int nr)
{
	return bpf_sim_syscall(t.filter.insns, t.filter.count, t.arch->audit, nr, NULL);
}

static void same_index_args_are_ored(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"personality\"], "
		"\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"},"
		" {\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"x86_64");
	assert_uint_equal(call("personality", 0, 0), RET_ALLOW);
	assert_uint_equal(call("personality", 8, 0), RET_ALLOW);
	assert_uint_equal(call("personality", 0xffffffff, 0), RET_ALLOW);
	assert_uint_equal(call("personality", 9, 0), RET_EPERM);
}

static void different_indexes_stay_anded(void **state)
{
	(void)state;
	/* arg0 in {1, 2} and arg1 == 5: one libseccomp rule per combination. */
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"kill\"], "
		"\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
		" {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		"aarch64");
	assert_uint_equal(call("kill", 1, 5), RET_ALLOW);
	assert_uint_equal(call("kill", 2, 5), RET_ALLOW);
	assert_uint_equal(call("kill", 1, 6), RET_EPERM);
	assert_uint_equal(call("kill", 3, 5), RET_EPERM);
}

static void masked_eq_is_arg_and_value_equals_value_two(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone\"], "
		"\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0,"
		" \"op\": \"SCMP_CMP_MASKED_EQ\"}]}, {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 1, \"value\": 15, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		"x86_64");
	assert_uint_equal(call("clone", 17 /* SIGCHLD */, 0), RET_ALLOW);
	assert_uint_equal(call("clone", 0x10000000 | 17 /* CLONE_NEWUSER */, 0), RET_EPERM);
	assert_uint_equal(call("socket", 2, 1 | 0x80000 /* SOCK_STREAM | SOCK_CLOEXEC */), RET_ALLOW);
	assert_uint_equal(call("socket", 2, 2 /* SOCK_DGRAM */), RET_EPERM);
}

static void comparisons_use_64_bit_values(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"ioctl\"], "
		"\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 1, \"value\": 4294967296, \"op\": \"SCMP_CMP_GE\"}]}]}",
		"x86_64");
	assert_uint_equal(call("ioctl", 0, 0xffffffffull), RET_ALLOW);
	assert_uint_equal(call("ioctl", 0, 0x100000000ull), RET_EPERM);
	assert_uint_equal(t.filter.prologue, 0); /* default ALLOW: no ENOSYS prologue */
	assert_uint_equal(call_nr(1000), RET_ALLOW);
}

static void new_syscalls_get_enosys_old_ones_the_default(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"write\", \"openat\"], "
		"\"action\": \"SCMP_ACT_ALLOW\"}]}",
		"x86_64");
	assert_int_equal(t.prof.max_nr, 257); /* openat */
	assert_uint_equal(call("read", 0, 0), RET_ALLOW);
	assert_uint_equal(call("mount", 0, 0), RET_EPERM);		  /* 165 < 257 */
	assert_uint_equal(call("faccessat2", 0, 0), RET_ENOSYS);	  /* 439 > 257 */
	assert_uint_equal(call_nr(600), RET_ENOSYS);			  /* unknown even to libseccomp */
	assert_uint_equal(call_nr(0x40000000), SECCOMP_RET_KILL_PROCESS); /* x32: bad arch */
	assert_uint_equal(bpf_sim_syscall(t.filter.insns, t.filter.count, AUDIT_ARCH_I386, 500, NULL),
			  SECCOMP_RET_KILL_PROCESS);
}

/* runc's rule: every default but a permissive one gets the stub, each
 * sub-arch with its own boundary, so i386 and x32 callers get ENOSYS for
 * *_time64, io_uring and the like and libc falls back. */
static void enosys_covers_kill_defaults_and_sub_arches(void **state)
{
	static const char subs[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
		" \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}],"
		" \"syscalls\": [{\"names\": [\"read\", \"openat\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	int i386_openat = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "openat");
	int x32_openat = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "openat");
	int x32_mount = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "mount");
	uint32_t x32_bit = 0x40000000u;

	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": [{\"names\": [\"read\", \"openat\"],"
		" \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"x86_64");
	assert_uint_equal(call("mount", 0, 0), SECCOMP_RET_KILL_PROCESS); /* known, not allowed */
	assert_uint_equal(call("faccessat2", 0, 0), RET_ENOSYS);	  /* newer than the profile */

	compile(subs, "x86_64");
	assert_int_equal(t.prof.compat_max[0], i386_openat);
	assert_int_equal(t.prof.compat_max[1], x32_openat & ~(int)x32_bit);
	/* i386: its own numbers, its own boundary */
	assert_uint_equal(bpf_sim_syscall(t.filter.insns, t.filter.count, AUDIT_ARCH_I386, i386_openat, NULL),
			  RET_ALLOW);
	assert_uint_equal(bpf_sim_syscall(t.filter.insns, t.filter.count, AUDIT_ARCH_I386, 21 /* mount */, NULL),
			  RET_EPERM);
	assert_uint_equal(
		bpf_sim_syscall(t.filter.insns, t.filter.count, AUDIT_ARCH_I386, 403 /* clock_gettime64 */, NULL),
		RET_ENOSYS);
	/* x32: numbers with bit 30, above its highest named one */
	assert_uint_equal(call_nr(x32_openat), RET_ALLOW);
	assert_uint_equal(call_nr(x32_mount), RET_EPERM);
	assert_uint_equal(call_nr((int)(x32_bit | 600)), RET_ENOSYS);
	/* x86_64 itself is unchanged */
	assert_uint_equal(call("faccessat2", 0, 0), RET_ENOSYS);
	assert_uint_equal(call("mount", 0, 0), RET_EPERM);

	/* An ERRNO(ENOSYS) default is its own stub; ALLOW needs none. */
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"x86_64");
	assert_int_equal(t.filter.prologue, 0);
	compile("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
		"x86_64");
	assert_int_equal(t.filter.prologue, 0);
	assert_uint_equal(call_nr(600), RET_ALLOW);
}

static void clone3_gets_enosys_when_the_profile_skips_it(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"epoll_pwait2\"], "
		"\"action\": \"SCMP_ACT_ALLOW\"}]}",
		"aarch64");
	assert_int_equal(t.prof.max_nr, 441);
	assert_uint_equal(call("clone3", 0, 0), RET_ENOSYS);	/* 435 < 441: the clone3 rule */
	assert_uint_equal(call("pidfd_open", 0, 0), RET_EPERM); /* 434: the default */
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"clone3\", \"epoll_pwait2\"], "
		"\"action\": \"SCMP_ACT_ALLOW\"}]}",
		"aarch64");
	assert_uint_equal(call("clone3", 0, 0), RET_ALLOW);
}

static void actions_reach_the_kernel_values(void **state)
{
	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": ["
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\"}, {\"names\": [\"write\"], \"action\": \"SCMP_ACT_TRAP\"},"
		" {\"names\": [\"close\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13},"
		" {\"names\": [\"dup\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7},"
		" {\"names\": [\"dup3\"], \"action\": \"SCMP_ACT_LOG\"}]}",
		"aarch64");
	assert_uint_equal(call("read", 0, 0), SECCOMP_RET_KILL_THREAD);
	assert_uint_equal(call("write", 0, 0), SECCOMP_RET_TRAP);
	assert_uint_equal(call("close", 0, 0), SECCOMP_RET_ERRNO | 13);
	assert_uint_equal(call("dup", 0, 0), SECCOMP_RET_TRACE | 7);
	assert_uint_equal(call("dup3", 0, 0), SECCOMP_RET_LOG); /* equal to the default: dropped */
	assert_int_equal(t.prof.rules_default, 1);
	assert_uint_equal(call("getpid", 0, 0), SECCOMP_RET_LOG);
}

static void flags_are_recorded_beside_the_bpf(void **state)
{
	unsigned char *data;
	struct bpfblob blob;
	size_t len;

	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
		"\"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"aarch64");
	data = output_encode(&t.filter, &len);
	assert_non_null(data);
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), 0);
	assert_uint_equal(blob.flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_LOG);
	assert_uint_equal(blob.count, t.filter.count);
	assert_memory_equal(blob.insns, t.filter.insns, t.filter.count * sizeof(struct sock_filter));
	free(data);
}

/* A small valid blob: "return ALLOW". */
static size_t tiny_blob(uint32_t arch, unsigned char *out, size_t cap)
{
	static const struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	return bpfblob_encode(arch, 0, &ret, 1, out, cap);
}

static void blob_round_trip_and_rejections(void **state)
{
	_Alignas(8) unsigned char data[64];
	struct bpfblob blob;
	size_t len = tiny_blob(AUDIT_ARCH_X86_64, data, sizeof(data));

	(void)state;
	assert_int_equal(len, 32);
	assert_memory_equal(data, "LUCIDBPF\x01\0\0\0\x3e\0\0\xc0", 16);
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_X86_64, &blob), 0);
	assert_uint_equal(blob.count, 1);
	assert_uint_equal(blob.insns[0].k, SECCOMP_RET_ALLOW);
	assert_int_equal(bpfblob_parse_arch(data, len - 1, AUDIT_ARCH_X86_64, &blob), -1); /* truncated */
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bpfblob_parse_arch(data, 20, AUDIT_ARCH_X86_64, &blob), -1);	/* short header */
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), -1); /* wrong arch */
	assert_int_equal(errno, EXDEV);
	data[8] = 2; /* version */
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EPROTO);
	data[8] = 1;
	data[0] = 'X'; /* magic */
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EINVAL);
	data[0] = 'L';
	data[16] = 0x80; /* unknown filter flag */
	errno = 0;
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EINVAL);
	data[16] = 0;
	data[21] = 0x10; /* count 4097, with a length that would match it */
	errno = 0;
	assert_int_equal(bpfblob_parse_arch(data, 24 + 8 * 4097, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EINVAL);
	data[21] = 0;
	errno = 0; /* trailing bytes */
	assert_int_equal(bpfblob_parse_arch(data, len + 8, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EINVAL);
	memmove(data + 1, data, len); /* misaligned */
	errno = 0;
	assert_int_equal(bpfblob_parse_arch(data + 1, len, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EINVAL);
	memmove(data, data + 1, len);
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_X86_64, &blob), 0);
}

static void blob_programs_are_validated(void **state)
{
	_Alignas(8) unsigned char data[64];
	struct sock_filter prog[2] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), /* jf past the end */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct bpfblob blob;
	size_t len;

	(void)state;
	len = bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, sizeof(data));
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), -1);
	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64); /* past seccomp_data */
	len = bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, sizeof(data));
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), -1);
	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4);
	prog[1] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1); /* no return at the end */
	len = bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, sizeof(data));
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), -1);
	/* A constant shift of 32 or more: the kernel's checker refuses it. */
	prog[0] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32);
	prog[1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	len = bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, sizeof(data));
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), -1);
	prog[0].k = 31;
	len = bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, sizeof(data));
	assert_int_equal(bpfblob_parse_arch(data, len, AUDIT_ARCH_AARCH64, &blob), 0);
	/* The encoder never writes flags the parser would refuse. */
	assert_int_equal(bpfblob_encode(AUDIT_ARCH_AARCH64, 0x80, prog, 2, data, sizeof(data)), 0);
	assert_int_equal(bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 0, data, sizeof(data)), 0);
	assert_int_equal(bpfblob_encode(AUDIT_ARCH_AARCH64, 0, prog, 2, data, 30), 0);
}

static void c_array_holds_the_same_bytes(void **state)
{
	char path[] = "/tmp/lucid-seccomp-test-XXXXXX";
	struct report r = { 0 };
	char text[4096];
	int fd;
	ssize_t n;

	(void)state;
	compile("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"x86_64");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(output_c_array(path, "my_filter", "t.json", &t.filter, &r), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	text[n] = '\0';
	assert_non_null(strstr(text, "_Alignas(8) const unsigned char my_filter["));
	assert_non_null(strstr(text, "\t0x4c, 0x55, 0x43, 0x49, 0x44, 0x42, 0x50, 0x46, 0x01, 0x00,"));
	assert_non_null(strstr(text, "const unsigned long my_filter_len = "));
	assert_false(output_valid_symbol("1abc"));
	assert_false(output_valid_symbol("a-b"));
	assert_true(output_valid_symbol("lucid_seccomp_filter"));
}

/* The largest filter the format allows must fit the C source buffer. */
static void c_array_holds_the_largest_filter(void **state)
{
	static struct sock_filter insns[BPFBLOB_MAX_INSNS];
	struct filter big = { .audit_arch = AUDIT_ARCH_X86_64, .count = BPFBLOB_MAX_INSNS, .insns = insns };
	char path[] = "/tmp/lucid-seccomp-test-XXXXXX";
	struct report r = { 0 };
	struct stat st;
	int fd;

	(void)state;
	for (size_t i = 0; i < BPFBLOB_MAX_INSNS; i++)
		insns[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	int rc = output_c_array(path, "big_filter", "big.json", &big, &r);
	if (rc != 0)
		fail_msg("a %u-instruction filter did not fit: %s", BPFBLOB_MAX_INSNS, r.error);
	assert_int_equal(stat(path, &st), 0);
	unlink(path);
	assert_true(st.st_size > 8 * BPFBLOB_MAX_INSNS * 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(same_index_args_are_ored, teardown),
		cmocka_unit_test_teardown(different_indexes_stay_anded, teardown),
		cmocka_unit_test_teardown(masked_eq_is_arg_and_value_equals_value_two, teardown),
		cmocka_unit_test_teardown(comparisons_use_64_bit_values, teardown),
		cmocka_unit_test_teardown(new_syscalls_get_enosys_old_ones_the_default, teardown),
		cmocka_unit_test_teardown(enosys_covers_kill_defaults_and_sub_arches, teardown),
		cmocka_unit_test_teardown(clone3_gets_enosys_when_the_profile_skips_it, teardown),
		cmocka_unit_test_teardown(actions_reach_the_kernel_values, teardown),
		cmocka_unit_test_teardown(flags_are_recorded_beside_the_bpf, teardown),
		cmocka_unit_test(blob_round_trip_and_rejections),
		cmocka_unit_test(blob_programs_are_validated),
		cmocka_unit_test_teardown(c_array_holds_the_same_bytes, teardown),
		cmocka_unit_test(c_array_holds_the_largest_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

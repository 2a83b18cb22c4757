/* seccomp/default.json as it ships: compiled at build time by the host
 * lucid-seccomp for x86_64 and aarch64 (the same C arrays lucid-init
 * embeds), parsed with bpfblob and run through the BPF simulator with each
 * arch's own syscall numbers. qemu-user cannot install a foreign filter, so
 * this is how the arm64 filter is checked. */
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <linux/audit.h>
#include <seccomp.h>

#include "common/bpfsim.h"
#include "common/bpfblob.h"

extern const unsigned char default_filter_x86_64[];
extern const unsigned long default_filter_x86_64_len;
extern const unsigned char default_filter_aarch64[];
extern const unsigned long default_filter_aarch64_len;

#define RET_ALLOW SECCOMP_RET_ALLOW
#define RET_EPERM (SECCOMP_RET_ERRNO | EPERM)
#define RET_ENOSYS (SECCOMP_RET_ERRNO | ENOSYS)
#define RET_KILL SECCOMP_RET_KILL_PROCESS

struct arch_case {
	const char *name;
	uint32_t token, audit;
	const unsigned char *data;
	const unsigned long *len;
};

static const struct arch_case arches[] = {
	{ "x86_64", SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, default_filter_x86_64, &default_filter_x86_64_len },
	{ "aarch64", SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, default_filter_aarch64, &default_filter_aarch64_len },
};

static struct bpfblob load(const struct arch_case *a)
{
	struct bpfblob blob;

	assert_int_equal(bpfblob_parse_arch(a->data, *a->len, a->audit, &blob), 0);
	assert_uint_equal(blob.arch, a->audit);
	return blob;
}

/* The filter's answer for syscall NAME on A with ARG0. */
static uint32_t run(const struct arch_case *a, const char *name, uint64_t arg0)
{
	struct bpfblob blob = load(a);
	uint64_t args[6] = { arg0, 0, 0, 0, 0, 0 };
	int nr = seccomp_syscall_resolve_name_arch(a->token, name);

	if (nr < 0)
		fail_msg("%s: no syscall %s", a->name, name);
	return bpf_sim_syscall(blob.insns, blob.count, a->audit, nr, args);
}

static void expect(const struct arch_case *a, const char *const *names, uint32_t want)
{
	for (; *names; names++) {
		uint32_t got = run(a, *names, 0);

		if (got != want)
			fail_msg("%s %s: filter returned 0x%08x, expected 0x%08x", a->name, *names, got, want);
	}
}

static const char *const allowed[] = {
	"read",
	"write",
	"openat",
	"close",
	"futex",
	"epoll_pwait",
	"epoll_ctl",
	"clock_gettime",
	"mmap",
	"munmap",
	"mprotect",
	"brk",
	"rt_sigaction",
	"rt_sigprocmask",
	"getrandom",
	"exit_group",
	"socket",
	"bind",
	"listen",
	"accept4",
	"connect",
	"sendto",
	"recvfrom",
	"newfstatat",
	"statx",
	"set_robust_list",
	"rseq",
	"prlimit64",
	"sched_getaffinity",
	"faccessat2",
	"epoll_pwait2",
	NULL,
};

static const char *const denied[] = {
	"mount",       "umount2",	    "unshare",	   "setns",	      "ptrace",		"bpf",
	"keyctl",      "add_key",	    "request_key", "perf_event_open", "io_uring_setup", "io_uring_enter",
	"userfaultfd", "open_by_handle_at", NULL,
};

static const char *const killed[] = { "kexec_load", "init_module", "finit_module", "delete_module", NULL };

static void allows_what_services_need(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++)
		expect(&arches[i], allowed, RET_ALLOW);
}

static void denies_with_eperm(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++)
		expect(&arches[i], denied, RET_EPERM);
}

static void kills_the_process_for_kexec_and_modules(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++)
		expect(&arches[i], killed, RET_KILL);
}

static void clone3_and_new_syscalls_get_enosys(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct bpfblob blob = load(&arches[i]);

		assert_uint_equal(run(&arches[i], "clone3", 0), RET_ENOSYS);
		/* Numbers past everything the profile names, known to libseccomp or not. */
		assert_uint_equal(bpf_sim_syscall(blob.insns, blob.count, arches[i].audit, 470, NULL), RET_ENOSYS);
		assert_uint_equal(bpf_sim_syscall(blob.insns, blob.count, arches[i].audit, 1000, NULL), RET_ENOSYS);
	}
}

static void clone_with_namespace_flags_is_denied(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		assert_uint_equal(run(&arches[i], "clone", SIGCHLD), RET_ALLOW);
		assert_uint_equal(run(&arches[i], "clone",
				      CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
					      CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID),
				  RET_ALLOW);
		assert_uint_equal(run(&arches[i], "clone", CLONE_NEWUSER | SIGCHLD), RET_EPERM);
		assert_uint_equal(run(&arches[i], "clone", CLONE_NEWNET), RET_EPERM);
		assert_uint_equal(run(&arches[i], "clone", CLONE_NEWNS | CLONE_NEWPID), RET_EPERM);
	}
}

static void personality_only_safe_values(void **state)
{
	static const uint64_t safe[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 5; j++)
			assert_uint_equal(run(&arches[i], "personality", safe[j]), RET_ALLOW);
		assert_uint_equal(run(&arches[i], "personality", 0x0040000 /* ADDR_NO_RANDOMIZE */), RET_EPERM);
	}
}

static void other_arches_are_killed(void **state)
{
	struct bpfblob blob = load(&arches[0]);

	(void)state;
	/* i386 int 0x80 and x32 calls on an x86_64 kernel. */
	assert_uint_equal(bpf_sim_syscall(blob.insns, blob.count, AUDIT_ARCH_I386, 3, NULL), RET_KILL);
	assert_uint_equal(bpf_sim_syscall(blob.insns, blob.count, AUDIT_ARCH_X86_64, 0x40000000 | 0, NULL), RET_KILL);
	blob = load(&arches[1]);
	assert_uint_equal(bpf_sim_syscall(blob.insns, blob.count, AUDIT_ARCH_ARM, 3, NULL), RET_KILL);
}

static void blobs_are_for_their_arch_only(void **state)
{
	struct bpfblob blob;

	(void)state;
	assert_int_equal(
		bpfblob_parse_arch(default_filter_x86_64, default_filter_x86_64_len, AUDIT_ARCH_AARCH64, &blob), -1);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(
		bpfblob_parse_arch(default_filter_aarch64, default_filter_aarch64_len, AUDIT_ARCH_X86_64, &blob), -1);
	assert_int_equal(errno, EXDEV);
	/* bpfblob_parse picks the running arch: one of the two fits. */
	assert_int_equal(bpfblob_parse(default_filter_x86_64, default_filter_x86_64_len, &blob) +
				 bpfblob_parse(default_filter_aarch64, default_filter_aarch64_len, &blob),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allows_what_services_need),
		cmocka_unit_test(denies_with_eperm),
		cmocka_unit_test(kills_the_process_for_kexec_and_modules),
		cmocka_unit_test(clone3_and_new_syscalls_get_enosys),
		cmocka_unit_test(clone_with_namespace_flags_is_denied),
		cmocka_unit_test(personality_only_safe_values),
		cmocka_unit_test(other_arches_are_killed),
		cmocka_unit_test(blobs_are_for_their_arch_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

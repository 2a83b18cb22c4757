/* Unit tests for init/procfs.c's /proc/PID/status parser and the audit's
 * verdict on what it read. */
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "init/audit.h"
#include "common/procfs.h"

static const char dropped[] = "Name:\tpython3 -m http\n"
			      "Umask:\t0022\n"
			      "State:\tS (sleeping)\n"
			      "Tgid:\t7\n"
			      "Ngid:\t0\n"
			      "Pid:\t7\n"
			      "PPid:\t1\n"
			      "TracerPid:\t0\n"
			      "Uid:\t65532\t65532\t65532\t65532\n"
			      "Gid:\t65532\t65532\t65532\t65532\n"
			      "FDSize:\t64\n"
			      "Groups:\t \n"
			      "NStgid:\t7\n"
			      "CapInh:\t0000000000000000\n"
			      "CapPrm:\t0000000000000000\n"
			      "CapEff:\t0000000000000000\n"
			      "CapBnd:\t0000000000000000\n"
			      "CapAmb:\t0000000000000000\n"
			      "NoNewPrivs:\t1\n"
			      "Seccomp:\t2\n"
			      "Seccomp_filters:\t1\n"
			      "Speculation_Store_Bypass:\tthread force mitigated\n";

static void parses_a_dropped_process(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	assert_string_equal(st.name, "python3 -m http");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.pid, 7);
	assert_int_equal(st.ppid, 1);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(st.uid[i], 65532);
		assert_int_equal(st.gid[i], 65532);
	}
	assert_int_equal(st.n_groups, 0);
	assert_uint_equal(st.cap_eff, 0);
	assert_uint_equal(st.cap_bnd, 0);
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.seccomp_filters, 1);
	assert_null(audit_violation(&st));
}

static void parses_root_with_groups_and_caps(void **state)
{
	struct proc_status st;
	const char *text = "Name:\tsh\nState:\tR (running)\nPid:\t1\nPPid:\t0\n"
			   "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t0 1 2 3 4 6 10 11 20 26 27\n"
			   "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
			   "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n";

	(void)state;
	assert_int_equal(procfs_parse_status(text, &st), 0);
	assert_int_equal(st.n_groups, 11);
	assert_int_equal(st.groups[10], 27);
	assert_uint_equal(st.cap_eff, 0x1ffffffffffull);
	assert_int_equal(st.seccomp_filters, -1); /* older kernels: not reported */
	assert_string_equal(audit_violation(&st), "root uid");
}

static void missing_fields_never_pass_an_audit(void **state)
{
	struct proc_status st;
	const char *no_caps = "Name:\tx\nPid:\t9\nPPid:\t1\nUid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\n";

	(void)state;
	assert_int_equal(procfs_parse_status(no_caps, &st), 0);
	assert_uint_equal(st.cap_eff, UINT64_MAX);
	assert_int_equal(st.no_new_privs, -1);
	assert_string_equal(audit_violation(&st), "has capabilities");
}

static void malformed_status_is_rejected(void **state)
{
	struct proc_status st;

	(void)state;
	errno = 0;
	assert_int_equal(procfs_parse_status("Name:\tx\nPid:\t9\nPPid:\t1\nGid:\t1\t1\t1\t1\n", &st), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(procfs_parse_status("Name:\tx\nPid:\t9\nPPid:\t1\nUid:\t1\t1\t1\nGid:\t1\t1\t1\t1\n", &st),
			 -1);
	assert_int_equal(
		procfs_parse_status("Name:\tx\nPid:\tnine\nPPid:\t1\nUid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\n", &st), -1);
	assert_int_equal(procfs_parse_status("", &st), -1);
}

static void each_violation_is_named(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.uid[2] = 0; /* saved uid 0 is root enough to get back */
	assert_string_equal(audit_violation(&st), "root uid");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.gid[0] = 0;
	assert_string_equal(audit_violation(&st), "root gid");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.cap_amb = 1u << 10;
	assert_string_equal(audit_violation(&st), "has capabilities");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.groups[st.n_groups++] = 0;
	assert_string_equal(audit_violation(&st), "root in supplementary groups");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.cap_bnd = 0x1ffffffffffull; /* a runtime's bounding set under no_new_privs */
	assert_null(audit_violation(&st));
	st.no_new_privs = 0; /* ...without it, a setuid binary could use it */
	assert_string_equal(audit_violation(&st), "no_new_privs not set");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.no_new_privs = 0;
	assert_string_equal(audit_violation(&st), "no_new_privs not set");
	assert_int_equal(procfs_parse_status(dropped, &st), 0);
	st.seccomp = 0;
	assert_string_equal(audit_violation(&st), "no seccomp filter");
	st.seccomp = -1; /* a kernel that does not say is not trusted */
	assert_string_equal(audit_violation(&st), "no seccomp filter");
}

static void reads_this_process(void **state)
{
	struct proc_status st;
	char cmd[256];

	(void)state;
	assert_int_equal(procfs_read_status(getpid(), &st), 0);
	assert_int_equal(st.pid, getpid());
	assert_int_equal(st.ppid, getppid());
	assert_int_equal(procfs_read_cmdline(getpid(), cmd, sizeof cmd), 0);
	assert_non_null(strstr(cmd, "test_procfs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_dropped_process),
		cmocka_unit_test(parses_root_with_groups_and_caps),
		cmocka_unit_test(missing_fields_never_pass_an_audit),
		cmocka_unit_test(malformed_status_is_rejected),
		cmocka_unit_test(each_violation_is_named),
		cmocka_unit_test(reads_this_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for lucid-seccomp's profile loading (seccomp/profile.c,
 * rule.c, json.c) and flattening: every rule of the Docker schema, resolved
 * for a target arch and an explicit build context. */
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "seccomp/flatten.h"
#include "seccomp/profile.h"

static struct profile prof;

static int teardown(void **state)
{
	(void)state;
	profile_free(&prof);
	return 0;
}

/* Load JSON for ARCH with CTX (NULL: no caps, oldest kernel). 0 or -1. */
static int load(const char *json, const char *arch, const struct build_context *ctx)
{
	static const struct build_context none;

	profile_free(&prof);
	memset(&prof, 0, sizeof(prof));
	return profile_load(&prof, "p.json", json, strlen(json), arch_by_name(arch), ctx ? ctx : &none);
}

static bool warned(const char *needle)
{
	for (size_t i = 0; i < prof.report.nwarnings; i++) {
		if (strstr(prof.report.warnings[i], needle))
			return true;
	}
	return false;
}

#define ALLOW_READ "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}"

static void archmap_is_expanded_for_the_target_arch(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
		" {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]},"
		" {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],"
		" \"syscalls\": [" ALLOW_READ "]}";

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_uint_equal(prof.compat[0], SCMP_ARCH_X86);
	assert_uint_equal(prof.compat[1], SCMP_ARCH_X32);
	assert_int_equal(load(json, "aarch64", NULL), 0);
	assert_uint_equal(prof.compat[0], SCMP_ARCH_ARM);
	assert_uint_equal(prof.compat[1], 0);
}

static void archmap_without_entry_means_target_only(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": "
			      "\"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}]}",
			      "aarch64", NULL),
			 0);
	assert_uint_equal(prof.compat[0], 0);
	/* Plain architectures: foreign families are dead code and dropped. */
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", "
			      "\"SCMP_ARCH_X86\", \"SCMP_ARCH_AARCH64\"]}",
			      "x86_64", NULL),
			 0);
	assert_uint_equal(prof.compat[0], SCMP_ARCH_X86);
	assert_uint_equal(prof.compat[1], 0);
}

static void architectures_and_archmap_together_are_refused(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
			      " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
			      "x86_64", NULL),
			 -1);
	assert_non_null(strstr(prof.report.error, "either architectures or archMap"));
	assert_int_equal(
		load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_VAX\"]}", "x86_64", NULL),
		-1);
	assert_non_null(strstr(prof.report.error, "unknown architecture"));
}

static void includes_and_excludes_arches_use_goarch(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		" {\"names\": [\"open\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd64\"]}}]}";

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "open");
	assert_int_equal(prof.rules_excluded, 1);
	assert_int_equal(load(json, "aarch64", NULL), 0);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "read");
	assert_int_equal(prof.nskipped, 0); /* open was never looked up on aarch64 */
}

static void includes_need_every_cap_excludes_any(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		" {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_NET_ADMIN\"]}},"
		" {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";
	struct build_context ctx = { 0 };
	char a[64], b[64];

	(void)state;
	assert_int_equal(load(json, "x86_64", &ctx), 0);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "clone");
	assert_int_equal(context_add_cap(&ctx, "sys_admin", a, sizeof(a)), 0);
	assert_string_equal(a, "CAP_SYS_ADMIN");
	assert_int_equal(load(json, "x86_64", &ctx), 0);
	assert_int_equal(prof.nrules, 0);
	assert_int_equal(context_add_cap(&ctx, "CAP_NET_ADMIN", b, sizeof(b)), 0);
	assert_int_equal(load(json, "x86_64", &ctx), 0);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "mount");
	assert_true(prof.rules[0].conditional);
	assert_int_equal(context_add_cap(&ctx, "NET ADMIN", b, sizeof(b)), -1);
}

static void min_kernel_holds_only_when_asked(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		" {\"names\": [\"faccessat2\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.8\"}},"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"4.0\"}}]}";
	struct build_context ctx = { 0 };

	(void)state;
	assert_int_equal(load(json, "x86_64", &ctx), 0); /* oldest kernel: include fails, exclude fails */
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "read");
	ctx.kernel_major = 5;
	ctx.kernel_minor = 10; /* 5.10 >= 5.8: numeric, not textual */
	assert_int_equal(load(json, "x86_64", &ctx), 0);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "faccessat2");
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
			      "\"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5\"}}]}",
			      "x86_64", &ctx),
			 -1);
	assert_non_null(strstr(prof.report.error, "minKernel"));
}

static void masked_eq_and_64_bit_values_are_exact(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"},"
		"          {\"index\": 1, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"},"
		"          {\"index\": 2, \"value\": 9007199254740993, \"op\": \"SCMP_CMP_LE\"}]}]}";

	(void)state;
	assert_int_equal(load(json, "aarch64", NULL), 0);
	assert_int_equal(prof.rules[0].nconds, 3);
	assert_int_equal(prof.rules[0].conds[0].op, SCMP_CMP_MASKED_EQ);
	assert_uint_equal(prof.rules[0].conds[0].value, 0x7E020000); /* the mask */
	assert_uint_equal(prof.rules[0].conds[0].value_two, 0);	     /* what arg & mask must be */
	assert_uint_equal(prof.rules[0].conds[1].value, UINT64_MAX);
	assert_int_equal(prof.rules[0].conds[1].op, SCMP_CMP_NE);
	assert_uint_equal(prof.rules[0].conds[2].value, 9007199254740993ull); /* 2^53 + 1 */
}

static void bad_args_are_refused(void **state)
{
	static const char *const bad[] = {
		"{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}",
		"{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}",
		"{\"index\": 0, \"value\": 1.5, \"op\": \"SCMP_CMP_EQ\"}",
		"{\"index\": 0, \"value\": 1e3, \"op\": \"SCMP_CMP_EQ\"}",
		"{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}",
		"{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_MASKED_NE\"}",
	};
	char json[512];
	struct buf b;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_init(&b, json, sizeof(json));
		buf_fmt(&b,
			"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
			"\"action\": \"SCMP_ACT_ALLOW\", \"args\": [%s]}]}",
			bad[i]);
		if (load(json, "x86_64", NULL) != -1)
			fail_msg("accepted args %s", bad[i]);
		if (!strstr(prof.report.error, "args"))
			fail_msg("args %s refused for another reason: %s", bad[i], prof.report.error);
	}
}

static void errno_defaults_to_eperm(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			      " {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
			      " {\"names\": [\"write\"], \"action\": \"SCMP_ACT_TRACE\"},"
			      " {\"names\": [\"close\"], \"action\": \"SCMP_ACT_KILL\"},"
			      " {\"names\": [\"dup\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
			      " {\"names\": [\"dup3\"], \"action\": \"SCMP_ACT_LOG\"},"
			      " {\"names\": [\"pipe2\"], \"action\": \"SCMP_ACT_TRAP\"}]}",
			      "x86_64", NULL),
			 0);
	assert_uint_equal(prof.default_action, SCMP_ACT_ERRNO(EPERM));
	assert_int_equal(prof.nrules, 6);
	assert_uint_equal(prof.rules[0].action, SCMP_ACT_ERRNO(38));
	assert_uint_equal(prof.rules[1].action, SCMP_ACT_TRACE(EPERM));
	assert_uint_equal(prof.rules[2].action, SCMP_ACT_KILL_THREAD);
	assert_uint_equal(prof.rules[3].action, SCMP_ACT_KILL_PROCESS);
	assert_uint_equal(prof.rules[4].action, SCMP_ACT_LOG);
	assert_uint_equal(prof.rules[5].action, SCMP_ACT_TRAP);
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13}", "x86_64", NULL), 0);
	assert_uint_equal(prof.default_action, SCMP_ACT_ERRNO(EACCES));
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096}", "x86_64", NULL),
			 -1);
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}", "x86_64", NULL), 0);
	assert_true(warned("errnoRet ignored"));
}

static void rules_equal_to_the_default_are_dropped(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
			      " {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"},"
			      " {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
			      " {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}",
			      "x86_64", NULL),
			 0);
	assert_int_equal(prof.rules_default, 2);
	assert_int_equal(prof.nrules, 1);
	assert_string_equal(prof.rules[0].names[0], "clone3");
	assert_int_equal(prof.max_nr, 435); /* dropped rules still count for the ENOSYS boundary */
}

static void unknown_and_absent_names_are_reported(void **state)
{
	static const char json[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
				   "[\"read\", \"no_such_call\", \"mkdir\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

	(void)state;
	assert_int_equal(load(json, "aarch64", NULL), 0);
	assert_int_equal(prof.nskipped, 2);
	assert_string_equal(prof.skipped[0].name, "no_such_call");
	assert_true(prof.skipped[0].unknown);
	assert_string_equal(prof.skipped[1].name, "mkdir"); /* no arm64 number */
	assert_false(prof.skipped[1].unknown);
	assert_int_equal(prof.rules[0].nsyscalls, 1);
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_int_equal(prof.nskipped, 1);
	assert_int_equal(prof.rules[0].nsyscalls, 2);
}

/* A name only an enabled sub-arch has stays in the rule for it: Docker's own
 * profile names _llseek and socketcall for 32-bit x86 processes. */
static void names_of_enabled_sub_arches_are_kept(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": "
		"\"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": "
		"[{\"names\": [\"read\", \"_llseek\", \"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_int_equal(prof.rules[0].nsyscalls, 2);
	assert_string_equal(prof.rules[0].names[1], "_llseek");
	assert_int_equal(prof.nskipped, 1);
	assert_string_equal(prof.skipped[0].name, "no_such_call");
	/* Without the sub-arch, _llseek has nowhere to go and is reported. */
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
			      "[\"_llseek\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			      "x86_64", NULL),
			 0);
	assert_int_equal(prof.nskipped, 1);
}

/* Docker's fields are Go pointers: null is the same as absent. */
static void null_optional_fields_mean_absent(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": null, \"syscalls\": "
			      "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": null, "
			      "\"excludes\": null, \"errnoRet\": null}]}",
			      "x86_64", NULL),
			 0);
	assert_int_equal(prof.nrules, 1);
	assert_int_equal(prof.rules_excluded, 0);
	assert_int_equal(prof.default_action, SCMP_ACT_ERRNO(EPERM));
}

/* Docker's fields are Go pointers: null is "absent" for every optional one
 * (moby's own default.json has "subArchitectures": null). */
static void every_optional_field_may_be_null(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": null, \"flags\": null,"
		" \"listenerPath\": null, \"listenerMetadata\": null,"
		" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": null},"
		"             {\"architecture\": \"SCMP_ARCH_RISCV64\", \"subArchitectures\": null}],"
		" \"syscalls\": [{\"names\": null, \"name\": \"read\", \"action\": \"SCMP_ACT_ALLOW\", \"args\": null,"
		"   \"includes\": {\"caps\": null, \"arches\": null, \"minKernel\": null}, \"excludes\": null,"
		"   \"errnoRet\": null, \"lucidInitOnly\": null},"
		"  {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": null, \"op\": \"SCMP_CMP_EQ\"}]}]}";

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_int_equal(prof.nrules, 2);
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": null}", "aarch64", NULL), 0);
	assert_int_equal(prof.nrules, 0);
}

/* Go keeps the last of two equal keys, cJSON the first: a profile with
 * both readings is refused, so an ALLOW placed before the real default can
 * never make an allow-all filter. */
static void duplicate_keys_are_refused(void **state)
{
	static const char *const jsons[] = {
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultAction\": \"SCMP_ACT_ERRNO\"}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"mount\"],"
		" \"action\": \"SCMP_ACT_ALLOW\", \"action\": \"SCMP_ACT_ERRNO\"}]}",
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
		" \"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof jsons / sizeof *jsons; i++) {
		assert_int_equal(load(jsons[i], "x86_64", NULL), -1);
		assert_non_null(strstr(prof.report.error, "appears twice"));
	}
}

/* What Go reads otherwise or refuses: a BOM, a NUL byte, \u0000. */
static void nul_bom_and_escaped_nul_are_refused(void **state)
{
	static const char nul[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}\0";
	static const struct build_context none;

	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ALLOW\\u0000junk\"}", "x86_64", NULL), -1);
	assert_non_null(strstr(prof.report.error, "u0000 in a string"));
	assert_int_equal(load("\xef\xbb\xbf{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", "x86_64", NULL), -1);
	assert_non_null(strstr(prof.report.error, "byte order mark"));
	profile_free(&prof);
	memset(&prof, 0, sizeof(prof));
	assert_int_equal(profile_load(&prof, "p.json", nul, sizeof nul - 1, arch_by_name("x86_64"), &none), -1);
	assert_non_null(strstr(prof.report.error, "a NUL byte"));
	/* An escaped backslash before u0000 is text, not a NUL. */
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"comment\": \"\\\\u0000\"}", "x86_64", NULL),
			 0);
}

/* lucidInitOnly rules: in the runtime's filter, not in the service's. */
static void init_only_rules_are_for_the_runtime(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [" ALLOW_READ ","
		" {\"names\": [\"seccomp\", \"setuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"lucidInitOnly\": true},"
		" {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"lucidInitOnly\": false}]}";
	struct build_context runtime = { .runtime = true };

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	assert_int_equal(prof.nrules, 2);
	assert_int_equal(prof.rules_init_only, 1);
	assert_int_equal(prof.names_init_only, 2);
	/* Their names still bound the ENOSYS prologue: seccomp (317) is named. */
	assert_int_equal(prof.max_nr, 317);
	assert_int_equal(load(json, "x86_64", &runtime), 0);
	assert_int_equal(prof.nrules, 3);
	assert_int_equal(prof.rules_init_only, 0);
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
			      " \"action\": \"SCMP_ACT_ALLOW\", \"lucidInitOnly\": 1}]}",
			      "x86_64", NULL),
			 -1);
	assert_non_null(strstr(prof.report.error, "lucidInitOnly must be true or false"));
}

static void notify_and_listeners_are_refused(void **state)
{
	(void)state;
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
			      "\"action\": \"SCMP_ACT_NOTIFY\"}]}",
			      "x86_64", NULL),
			 -1);
	assert_non_null(strstr(prof.report.error, "SCMP_ACT_NOTIFY is not supported"));
	assert_int_equal(
		load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/run/agent.sock\"}", "x86_64", NULL),
		-1);
	assert_non_null(strstr(prof.report.error, "listenerPath is not supported"));
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerMetadata\": \"x\"}", "x86_64", NULL),
			 -1);
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "x86_64", NULL), -1);
}

static void bad_json_is_located_by_line_and_column(void **state)
{
	(void)state;
	/* A missing comma: the position of the token after the gap. */
	assert_int_equal(load("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n"
			      "    {\"names\": [] \"action\": 1}\n  ]\n}",
			      "x86_64", NULL),
			 -1);
	assert_string_equal(prof.report.error, "p.json:4:18: invalid JSON");
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\"syscalls\": [1,]}", "x86_64", NULL), -1);
	assert_string_equal(prof.report.error, "p.json:2:16: invalid JSON");
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\"} trailing", "x86_64", NULL), -1);
	assert_string_equal(prof.report.error, "p.json:1:37: invalid JSON");
	assert_int_equal(load("", "x86_64", NULL), -1);
	assert_string_equal(prof.report.error, "p.json:1:1: invalid JSON");
}

static void unknown_keys_are_warned_comments_are_not(void **state)
{
	(void)state;
	assert_int_equal(load("{\"comment\": \"x\", \"comments\": [\"y\"], \"defaultAction\": \"SCMP_ACT_ERRNO\","
			      " \"defaultErrnoret\": 2, \"syscalls\": [{\"nmes\": [\"read\"], \"comment\": \"z\","
			      " \"action\": \"SCMP_ACT_ALLOW\"}]}",
			      "x86_64", NULL),
			 0);
	assert_int_equal(prof.report.nwarnings, 2);
	assert_true(warned("p.json: unknown key \"defaultErrnoret\""));
	assert_true(warned("p.json: syscalls[0]: unknown key \"nmes\""));
}

static void legacy_name_and_flags(void **state)
{
	(void)state;
	assert_int_equal(
		load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
		     " \"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": [{\"name\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"}]}",
		     "x86_64", NULL),
		0);
	assert_uint_equal(prof.flags, 4 | 2);
	assert_string_equal(prof.rules[0].names[0], "read");
	assert_int_equal(load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"read\", "
			      "\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
			      "x86_64", NULL),
			 -1);
	assert_int_equal(
		load("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}",
		     "x86_64", NULL),
		-1);
	assert_non_null(strstr(prof.report.error, "unsupported flag"));
}

static void flatten_resolves_docker_fields(void **state)
{
	static const char json[] =
		"{\"comment\": \"c\", \"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
		" {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X32\"]}],"
		" \"syscalls\": ["
		" {\"name\": \"open\", \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\"]}},"
		" {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
		" {\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
		" \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"}]}]}";
	cJSON *flat;
	char *text;

	(void)state;
	assert_int_equal(load(json, "x86_64", NULL), 0);
	flat = flatten_profile(&prof);
	assert_non_null(flat);
	text = cJSON_PrintUnformatted(flat);
	assert_string_equal(text, "{\"comment\":\"c\",\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
				  "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X32\"],\"syscalls\":["
				  "{\"action\":\"SCMP_ACT_ALLOW\",\"names\":[\"open\"]},"
				  "{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,"
				  "\"value\":18446744073709551615,\"op\":\"SCMP_CMP_NE\"}]}]}");
	cJSON_free(text);
	cJSON_Delete(flat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(archmap_is_expanded_for_the_target_arch, teardown),
		cmocka_unit_test_teardown(archmap_without_entry_means_target_only, teardown),
		cmocka_unit_test_teardown(architectures_and_archmap_together_are_refused, teardown),
		cmocka_unit_test_teardown(includes_and_excludes_arches_use_goarch, teardown),
		cmocka_unit_test_teardown(includes_need_every_cap_excludes_any, teardown),
		cmocka_unit_test_teardown(min_kernel_holds_only_when_asked, teardown),
		cmocka_unit_test_teardown(masked_eq_and_64_bit_values_are_exact, teardown),
		cmocka_unit_test_teardown(bad_args_are_refused, teardown),
		cmocka_unit_test_teardown(errno_defaults_to_eperm, teardown),
		cmocka_unit_test_teardown(rules_equal_to_the_default_are_dropped, teardown),
		cmocka_unit_test_teardown(unknown_and_absent_names_are_reported, teardown),
		cmocka_unit_test_teardown(names_of_enabled_sub_arches_are_kept, teardown),
		cmocka_unit_test_teardown(null_optional_fields_mean_absent, teardown),
		cmocka_unit_test_teardown(every_optional_field_may_be_null, teardown),
		cmocka_unit_test_teardown(duplicate_keys_are_refused, teardown),
		cmocka_unit_test_teardown(nul_bom_and_escaped_nul_are_refused, teardown),
		cmocka_unit_test_teardown(init_only_rules_are_for_the_runtime, teardown),
		cmocka_unit_test_teardown(notify_and_listeners_are_refused, teardown),
		cmocka_unit_test_teardown(bad_json_is_located_by_line_and_column, teardown),
		cmocka_unit_test_teardown(unknown_keys_are_warned_comments_are_not, teardown),
		cmocka_unit_test_teardown(legacy_name_and_flags, teardown),
		cmocka_unit_test_teardown(flatten_resolves_docker_fields, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

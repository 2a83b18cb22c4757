/* lucid-seccomp's command line; see cli.h. */
#include "seccomp/cli.h"

#include <string.h>

#include "common/cli.h"
#include "common/list.h"
#include "seccomp/output.h"

const char cli_help[] =
	"usage: lucid-seccomp compile PROFILE.json --arch x86_64|aarch64 -o OUT [--c-array NAME]\n"
	"                     [--runtime] [--caps CAP,...] [--min-kernel X.Y] [--strict]\n"
	"       lucid-seccomp check PROFILE.json [--runtime] [--caps CAP,...] [--min-kernel X.Y] [--strict]\n"
	"       lucid-seccomp explain PROFILE.json --arch A [--runtime] [--caps CAP,...] [--min-kernel X.Y]\n"
	"       lucid-seccomp flatten PROFILE.json --arch A -o OUT.json [--caps CAP,...] [--min-kernel X.Y]\n"
	"       lucid-seccomp learn [-o PROFILE.json] [--merge OLD.json]... [--base PROFILE]\n"
	"                           [-- COMMAND [ARG...]]\n"
	"       lucid-seccomp --help | --version\n"
	"\n"
	"Compiles a Docker/OCI seccomp profile (archMap, includes/excludes, args,\n"
	"errnoRet, flags) into a LUCIDBPF filter for lucid-init, as runc would load it.\n"
	"\n"
	"  compile   write the filter (LUCIDBPF, see common/bpfblob.h), or with\n"
	"            --c-array NAME a C file defining NAME[] and NAME_len\n"
	"  check     validate and summarise the profile for x86_64 and aarch64\n"
	"  explain   print libseccomp's pseudo-filter code for --arch\n"
	"  flatten   write a plain OCI profile for --arch with Docker-only fields\n"
	"            resolved, for runtimes that ignore them (containerd)\n"
	"  learn     run COMMAND (normally lucid-init -- SERVICE...) and write a\n"
	"            profile that allows what it called and nothing else: every\n"
	"            syscall is notified to lucid-seccomp (SECCOMP_RET_USER_NOTIF,\n"
	"            Linux 5.5+, no privilege) and continues; clone, socket,\n"
	"            personality, prctl and ioctl only with the argument values\n"
	"            seen. Written when COMMAND exits and on SIGUSR2; every other\n"
	"            signal goes to COMMAND. -o defaults to seccomp-learned.json;\n"
	"            --merge (repeatable) adds the runs an earlier learned profile\n"
	"            holds; with --merge and no COMMAND, the profiles are only merged;\n"
	"            --base PROFILE (a file, or default, python, node, static from\n"
	"            /usr/share/lucid/seccomp) is not notified of what PROFILE\n"
	"            allows and copies PROFILE's rules into the output\n"
	"\n"
	"One profile serves both places it is applied. By default the filter is the\n"
	"service's, as lucid-init installs it: rules marked \"lucidInitOnly\": true\n"
	"(what runc and lucid-init call before the service execs: set*id,\n"
	"setgroups, capset, prctl, seccomp) are left out. --runtime keeps them: the\n"
	"filter as docker, podman or the kubelet apply the profile to the whole\n"
	"container; flatten always writes that one.\n"
	"\n"
	"  --arch A          target: x86_64 (amd64) or aarch64 (arm64)\n"
	"  --runtime         the runtime's filter, lucidInitOnly rules included\n"
	"  --caps LIST       capabilities the container keeps, for includes/excludes\n"
	"                    (default none)\n"
	"  --min-kernel X.Y  the oldest kernel the filter runs on, for minKernel\n"
	"                    (default: no minKernel condition holds)\n"
	"  --strict          syscall names unknown or absent on the arch are errors\n"
	"                    (default: warnings, the names are skipped)\n"
	"\n"
	"New syscalls above the highest one the profile names get ENOSYS, not the\n"
	"default errno, so libc falls back (clone3, faccessat2, openat2).\n"
	"\n"
	"Exit codes: 0 ok, 1 invalid profile or failed compile, 100 usage error;\n"
	"learn: COMMAND's status (128+S for signal S), 1 when the profile cannot be\n"
	"written or --merge is not a learned profile, 111 when learning cannot start\n"
	"(no user notification here: old kernel, qemu-user), 126/127 when COMMAND\n"
	"cannot be executed or found.\n";

/* One --caps item into the build context. */
static int add_cap(const char *cap, void *ctx)
{
	struct options *o = ctx;

	if (!*cap || o->ctx.ncaps == CONTEXT_MAX_CAPS)
		return -1;
	return context_add_cap(&o->ctx, cap, o->cap_names[o->ctx.ncaps], sizeof(o->cap_names[0]));
}

enum {
	O_ARCH,
	O_OUT,
	O_C_ARRAY,
	O_CAPS,
	O_MIN_KERNEL,
	O_STRICT,
	O_RUNTIME,
	O_MERGE,
	O_BASE,
	O_HELP,
	O_VERSION,
	O_COUNT
};
static const struct cli_option table[O_COUNT] = {
	[O_ARCH] = { "arch", 0, true, false, NULL },
	[O_OUT] = { "out", 'o', true, false, NULL },
	[O_C_ARRAY] = { "c-array", 0, true, false, NULL },
	[O_CAPS] = { "caps", 0, true, false, NULL },
	[O_MIN_KERNEL] = { "min-kernel", 0, true, false, NULL },
	[O_STRICT] = { "strict", 0, false, false, NULL },
	[O_RUNTIME] = { "runtime", 0, false, false, NULL },
	[O_MERGE] = { "merge", 0, true, true, NULL },
	[O_BASE] = { "base", 0, true, false, NULL },
	[O_HELP] = { "help", 'h', false, false, NULL },
	[O_VERSION] = { "version", 'V', false, false, NULL },
};

static int apply(struct options *o, const struct cli *c, struct report *r)
{
	const char *v;

	o->strict = cli_given(c, O_STRICT);
	o->ctx.runtime = cli_given(c, O_RUNTIME);
	o->out = cli_value(c, O_OUT, NULL);
	o->base = cli_value(c, O_BASE, NULL);
	for (size_t cursor = 0; (v = cli_next(c, O_MERGE, &cursor));) {
		if (o->nmerges == sizeof(o->merges) / sizeof(o->merges[0])) {
			report_error(r, "--merge: at most 16 profiles");
			return -1;
		}
		o->merges[o->nmerges++] = v;
	}
	if ((v = cli_value(c, O_ARCH, NULL)) && !(o->arch = arch_by_name(v))) {
		report_error(r, "--arch '%s': unknown arch (x86_64 or aarch64)", v);
		return -1;
	}
	if ((v = cli_value(c, O_C_ARRAY, NULL))) {
		if (!output_valid_symbol(v)) {
			report_error(r, "--c-array '%s': not a C identifier", v);
			return -1;
		}
		o->c_array = v;
	}
	if ((v = cli_value(c, O_CAPS, NULL)) && list_each(v, ',', add_cap, o) < 0) {
		report_error(r, "--caps '%s': not a list of capabilities (CAP_SYS_ADMIN,NET_RAW)", v);
		return -1;
	}
	if ((v = cli_value(c, O_MIN_KERNEL, NULL)) &&
	    kernel_version_parse(v, &o->ctx.kernel_major, &o->ctx.kernel_minor) < 0) {
		report_error(r, "--min-kernel '%s': not X.Y", v);
		return -1;
	}
	return 0;
}

/* Which options each command takes. */
static int check_combination(struct options *o, struct report *r)
{
	bool needs_arch = o->command != CMD_CHECK;
	bool needs_out = o->command == CMD_COMPILE || o->command == CMD_FLATTEN;

	if (o->command == CMD_LEARN) {
		if (o->arch || o->c_array || o->strict || o->ctx.runtime || o->ctx.ncaps || o->ctx.kernel_major) {
			report_error(r, "learn takes -o, --merge and --base only");
			return -1;
		}
		if (o->profile) {
			report_error(r, "learn: unexpected argument '%s' (the command goes after --)", o->profile);
			return -1;
		}
		if ((!o->command_argv || !o->command_argv[0]) && !o->nmerges) {
			report_error(r, "learn: missing -- COMMAND");
			return -1;
		}
		if (!o->out)
			o->out = "seccomp-learned.json";
		return 0;
	}
	if (o->nmerges || o->base || o->command_argv) {
		report_error(r, o->command_argv ? "only learn takes a command after --"
						: "--merge and --base are only for learn");
		return -1;
	}
	if (!o->profile) {
		report_error(r, "missing PROFILE");
		return -1;
	}
	if (needs_arch != (o->arch != NULL)) {
		report_error(r, needs_arch ? "missing --arch" : "check covers both arches: no --arch");
		return -1;
	}
	if (needs_out != (o->out != NULL)) {
		report_error(r, needs_out ? "missing -o OUT" : "-o is only for compile and flatten");
		return -1;
	}
	if (o->c_array && o->command != CMD_COMPILE) {
		report_error(r, "--c-array is only for compile");
		return -1;
	}
	if (o->strict && (o->command == CMD_EXPLAIN || o->command == CMD_FLATTEN)) {
		report_error(r, "--strict is only for compile and check");
		return -1;
	}
	if (o->command == CMD_FLATTEN) {
		if (o->ctx.runtime) {
			report_error(r, "flatten always writes the runtime's profile: no --runtime");
			return -1;
		}
		o->ctx.runtime = true;
	}
	return 0;
}

int options_parse(int argc, char **argv, struct options *o, struct report *r)
{
	static const char *const commands[] = { "compile", "check", "explain", "flatten", "learn" };
	struct cli c;
	char mem[256];
	struct buf err;
	size_t i;

	cli_init(&c, table, O_COUNT, NULL);
	memset(o, 0, sizeof(*o));
	buf_init(&err, mem, sizeof mem);
	if (cli_parse(&c, CLI_OPERANDS_COMMAND, argc, argv, NULL, &err) < 0) {
		report_error(r, "%s", mem);
		return -1;
	}
	if (cli_given(&c, O_HELP)) {
		o->command = CMD_HELP;
		return 0;
	}
	if (cli_given(&c, O_VERSION)) {
		o->command = CMD_VERSION;
		return 0;
	}
	if (c.noperands == 0) {
		report_error(r, "missing command (compile, check, explain, flatten, learn)");
		return -1;
	}
	for (i = 0; i < 5 && strcmp(c.operands[0], commands[i]) != 0; i++)
		;
	if (i == 5) {
		report_error(r, "unknown command '%s'", c.operands[0]);
		return -1;
	}
	o->command = (enum command)i;
	if (c.noperands > 2) {
		report_error(r, "unexpected argument '%s'", c.operands[2]);
		return -1;
	}
	o->profile = c.noperands == 2 ? c.operands[1] : NULL;
	o->command_argv = c.command ? argv + c.command : NULL;
	if (apply(o, &c, r) < 0)
		return -1;
	return check_combination(o, r);
}

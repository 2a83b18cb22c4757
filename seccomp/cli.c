/* lucid-seccomp's command line; see cli.h. */
#include "seccomp/cli.h"

#include <string.h>

#include "seccomp/output.h"

const char cli_help[] =
	"usage: lucid-seccomp compile PROFILE.json --arch x86_64|aarch64 -o OUT [--c-array NAME]\n"
	"                     [--runtime] [--caps CAP,...] [--min-kernel X.Y] [--strict]\n"
	"       lucid-seccomp check PROFILE.json [--runtime] [--caps CAP,...] [--min-kernel X.Y] [--strict]\n"
	"       lucid-seccomp explain PROFILE.json --arch A [--runtime] [--caps CAP,...] [--min-kernel X.Y]\n"
	"       lucid-seccomp flatten PROFILE.json --arch A -o OUT.json [--caps CAP,...] [--min-kernel X.Y]\n"
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
	"Exit codes: 0 ok, 1 invalid profile or failed compile, 100 usage error.\n";

static int add_caps(struct options *o, const char *list, struct report *r)
{
	const char *s = list;

	while (*s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		char one[64];

		if (n == 0 || n >= sizeof(one) || o->ctx.ncaps == CONTEXT_MAX_CAPS) {
			report_error(r, "--caps: bad list \"%s\"", list);
			return -1;
		}
		memcpy(one, s, n);
		one[n] = '\0';
		if (context_add_cap(&o->ctx, one, o->cap_names[o->ctx.ncaps], sizeof(o->cap_names[0])) < 0) {
			report_error(r, "--caps: bad capability \"%s\"", one);
			return -1;
		}
		s += n + (comma ? 1 : 0);
		if (comma && *s == '\0') {
			report_error(r, "--caps: bad list \"%s\"", list);
			return -1;
		}
	}
	return 0;
}

/* The value of option NAME: "--name=V" or "--name V". NULL if not this option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

static int parse_option(int argc, char **argv, int *i, struct options *o, struct report *r)
{
	bool missing = false;
	const char *v;

	if (strcmp(argv[*i], "--strict") == 0) {
		o->strict = true;
	} else if (strcmp(argv[*i], "--runtime") == 0) {
		o->ctx.runtime = true;
	} else if ((v = option_value(argc, argv, i, "--arch", &missing))) {
		o->arch = arch_by_name(v);
		if (!o->arch) {
			report_error(r, "--arch: unknown arch \"%s\" (x86_64 or aarch64)", v);
			return -1;
		}
	} else if ((v = option_value(argc, argv, i, "-o", &missing))) {
		o->out = v;
	} else if ((v = option_value(argc, argv, i, "--c-array", &missing))) {
		if (!output_valid_symbol(v)) {
			report_error(r, "--c-array: \"%s\" is not a C identifier", v);
			return -1;
		}
		o->c_array = v;
	} else if ((v = option_value(argc, argv, i, "--caps", &missing))) {
		return add_caps(o, v, r);
	} else if ((v = option_value(argc, argv, i, "--min-kernel", &missing))) {
		if (kernel_version_parse(v, &o->ctx.kernel_major, &o->ctx.kernel_minor) < 0) {
			report_error(r, "--min-kernel: \"%s\" is not X.Y", v);
			return -1;
		}
	} else {
		report_error(r, missing ? "%s needs a value" : "unknown option %s", argv[*i]);
		return -1;
	}
	return 0;
}

/* Which options each command takes. */
static int check_combination(struct options *o, struct report *r)
{
	bool needs_arch = o->command != CMD_CHECK;
	bool needs_out = o->command == CMD_COMPILE || o->command == CMD_FLATTEN;

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

int cli_parse(int argc, char **argv, struct options *o, struct report *r)
{
	static const char *const commands[] = { "compile", "check", "explain", "flatten" };
	int i;

	memset(o, 0, sizeof(*o));
	if (argc < 2) {
		report_error(r, "missing command (compile, check, explain, flatten)");
		return -1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		o->command = CMD_HELP;
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		o->command = CMD_VERSION;
		return 0;
	}
	for (i = 0; i < 4 && strcmp(argv[1], commands[i]) != 0; i++)
		;
	if (i == 4) {
		report_error(r, "unknown command \"%s\"", argv[1]);
		return -1;
	}
	o->command = (enum command)i;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			o->command = CMD_HELP;
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (parse_option(argc, argv, &i, o, r) < 0)
				return -1;
		} else if (!o->profile) {
			o->profile = argv[i];
		} else {
			report_error(r, "unexpected argument \"%s\"", argv[i]);
			return -1;
		}
	}
	return check_combination(o, r);
}

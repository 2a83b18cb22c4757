/* lucid-seccomp's command line. */
#ifndef LUCID_SECCOMP_CLI_H
#define LUCID_SECCOMP_CLI_H

#include <stdbool.h>

#include "seccomp/profile.h"

enum command { CMD_COMPILE, CMD_CHECK, CMD_EXPLAIN, CMD_FLATTEN, CMD_LEARN, CMD_HELP, CMD_VERSION };

struct options {
	enum command command;
	const char *profile;
	const char *out;	/* -o */
	const char *c_array;	/* --c-array NAME */
	const char *merges[16]; /* learn --merge, in order */
	size_t nmerges;
	const char *base;	   /* learn --base */
	char *const *command_argv; /* learn: after "--", NULL-terminated */
	const struct target_arch *arch;
	bool strict;
	struct build_context ctx;
	char cap_names[CONTEXT_MAX_CAPS][64];
};

/* Parse ARGV into O (common/cli.h's convention). 0, or -1 with a one-line
 * reason in R (a usage error). */
int options_parse(int argc, char **argv, struct options *o, struct report *r);

/* The --help text. */
extern const char cli_help[];

#endif

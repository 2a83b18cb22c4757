/* The command-line convention of all three binaries, in one parser.
 *
 * Each program lists its options in a table (long name, short letter,
 * whether it takes a value, whether it may repeat, its environment
 * variable). The rule, the same everywhere: an option given on the command
 * line replaces its variable, which is then not read at all; a repeated
 * option keeps every command-line occurrence (and the variable, a list,
 * applies only when the option is not on the command line). Variables with
 * the program's prefix that no option names are usage errors, so a typo
 * (LUCID_INIT_SECOMP) is never silently a default. Values are "--name V",
 * "--name=V", "-xV" or "-x V"; short flags combine ("-qv"). Usage errors
 * are one line, "PROGRAM: WHAT (see --help)", and each program's exit code
 * for them is in common/exits.h. */
#ifndef LUCID_CLI_H
#define LUCID_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "common/fmt.h"

#define CLI_MAX_OPTIONS 24
#define CLI_MAX_VALUES 512 /* command-line occurrences of options, in all: -e for each exit code fits */
#define CLI_MAX_OPERANDS 4

struct cli_option {
	const char *name; /* long name, without "--" */
	char short_name;  /* or 0 */
	bool has_arg;
	bool repeat;
	const char *env; /* its variable, or NULL */
};

enum cli_mode {
	CLI_OPERANDS,	      /* non-options anywhere are operands; "--" ends options */
	CLI_COMMAND_AFTER,    /* options, then "--", then a command (lucid-init) */
	CLI_OPERANDS_COMMAND, /* operands and options, then "--" and a command (lucid-seccomp learn) */
};

struct cli {
	const struct cli_option *opts;
	size_t nopts;
	const char *env_prefix; /* "LUCID_INIT_": unknown ones are errors; NULL: none */
	/* filled by cli_parse */
	struct cli_occurrence {
		size_t id;
		const char *value; /* "1" for a flag */
	} given[CLI_MAX_VALUES];
	size_t ngiven;
	const char *env[CLI_MAX_OPTIONS]; /* each option's variable, when set and not empty */
	const char *operands[CLI_MAX_OPERANDS];
	size_t noperands;
	int command; /* CLI_COMMAND_AFTER, CLI_OPERANDS_COMMAND: argv index after "--", or 0 */
};

/* Set C's table and prefix, and nothing else: struct cli is large (a slot
 * for every occurrence), and a `= { ... }` initializer would make the
 * compiler keep a zeroed copy of it in the binary. */
void cli_init(struct cli *c, const struct cli_option *opts, size_t nopts, const char *env_prefix);

/* Collect ARGV (from index 1) and ENVP into C (set up by cli_init). 0, or
 * -1 with the one-line reason in ERR. */
int cli_parse(struct cli *c, enum cli_mode mode, int argc, char *const argv[], char *const envp[], struct buf *err);

/* The value that applies to option ID: its last command-line occurrence,
 * else its variable, else NULL; *from_env says which (may be NULL). */
const char *cli_value(const struct cli *c, size_t id, bool *from_env);

/* A repeatable option's command-line occurrences: call with *cursor 0, get
 * each value in order, NULL at the end. */
const char *cli_next(const struct cli *c, size_t id, size_t *cursor);

/* Whether option ID was on the command line. */
bool cli_given(const struct cli *c, size_t id);

/* "--name 'VALUE'" or "VAR='VALUE'", for "...: why" messages. */
void cli_name(struct buf *b, const struct cli *c, size_t id, bool from_env, const char *value);

/* "1/0, true/false, yes/no, on/off": 0 with *out set, or -1. */
int cli_bool(const char *s, bool *out);

#endif

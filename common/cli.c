#include "common/cli.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

static int usage(struct buf *err, const char *what, const char *arg)
{
	buf_str(err, what);
	if (arg)
		buf_fmt(err, " '%s'", arg);
	errno = EINVAL;
	return -1;
}

static int find_long(const struct cli *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (c->opts[i].name && strlen(c->opts[i].name) == len && !memcmp(c->opts[i].name, name, len))
			return (int)i;
	return -1;
}

static int find_short(const struct cli *c, char s)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (c->opts[i].short_name && c->opts[i].short_name == s)
			return (int)i;
	return -1;
}

static int record(struct cli *c, size_t id, const char *value, struct buf *err)
{
	if (c->ngiven == CLI_MAX_VALUES)
		return usage(err, "more than 512 options", NULL);
	c->given[c->ngiven++] = (struct cli_occurrence){ id, value };
	return 0;
}

/* Every variable with the prefix must be one an option names; empty
 * values count as unset. The first unknown one is kept for the error. */
/* cppcheck-suppress constParameter ; envp is main's environ (char **): C does not make it const char *const * */
static void collect_env(struct cli *c, char *const envp[], const char **unknown)
{
	size_t plen = c->env_prefix ? strlen(c->env_prefix) : 0;

	for (size_t i = 0; envp && envp[i]; i++) {
		const char *e = envp[i], *eq = strchr(e, '=');
		bool known = false;

		if (!plen || !eq || strncmp(e, c->env_prefix, plen) != 0)
			continue;
		for (size_t id = 0; id < c->nopts && !known; id++) {
			const char *name = c->opts[id].env;
			if (name && strlen(name) == (size_t)(eq - e) && !memcmp(name, e, (size_t)(eq - e))) {
				known = true;
				if (eq[1])
					c->env[id] = eq + 1;
			}
		}
		if (!known && !*unknown)
			*unknown = e;
	}
}

/* One option argument ARGV[*i], long or short, with its value. */
static int take_option(struct cli *c, int argc, char *const argv[], int *i, struct buf *err)
{
	const char *a = argv[*i], *value = NULL;
	int id = -1; /* a is "-x..." or "--...": set below in either branch */

	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if ((id = find_long(c, a + 2, len)) < 0)
			return usage(err, "unknown option", a);
		if (eq && !c->opts[id].has_arg)
			return usage(err, "this option takes no value:", a);
		value = eq ? eq + 1 : NULL;
	} else {
		/* "-q", "-qv", "-H value", "-Hvalue" */
		for (const char *p = a + 1; *p; p++) {
			if ((id = find_short(c, *p)) < 0) {
				char one[3] = { '-', *p, '\0' };
				return usage(err, "unknown option", one);
			}
			if (c->opts[id].has_arg) {
				value = p[1] ? p + 1 : NULL;
				break;
			}
			if (record(c, (size_t)id, "1", err) < 0)
				return -1;
		}
		if (!c->opts[id].has_arg)
			return 0;
	}
	if (!c->opts[id].has_arg)
		return record(c, (size_t)id, "1", err);
	if (!value) {
		if (*i + 1 >= argc)
			return usage(err, "option needs a value:", a);
		value = argv[++*i];
	}
	return record(c, (size_t)id, value, err);
}

void cli_init(struct cli *c, const struct cli_option *opts, size_t nopts, const char *env_prefix)
{
	c->opts = opts;
	c->nopts = nopts;
	c->env_prefix = env_prefix;
}

int cli_parse(struct cli *c, enum cli_mode mode, int argc, char *const argv[], char *const envp[], struct buf *err)
{
	bool options_done = false;
	const char *unknown = NULL;

	c->ngiven = c->noperands = 0;
	c->command = 0;
	memset(c->env, 0, sizeof c->env);
	if (c->nopts > CLI_MAX_OPTIONS)
		return usage(err, "too many options in the table", NULL);
	collect_env(c, envp, &unknown);
	for (int i = 1; i < argc && !c->command; i++) {
		const char *a = argv[i];

		if (!options_done && !strcmp(a, "--")) {
			if (mode != CLI_OPERANDS) {
				c->command = i + 1;
				break;
			}
			options_done = true;
			continue;
		}
		if (options_done || a[0] != '-' || a[1] == '\0') {
			if (mode == CLI_COMMAND_AFTER)
				return usage(err, "missing '--' before the command", a);
			if (c->noperands == CLI_MAX_OPERANDS)
				return usage(err, "unexpected argument", a);
			c->operands[c->noperands++] = a;
			continue;
		}
		if (take_option(c, argc, argv, &i, err) < 0)
			return -1;
	}
	/* --help and --version work whatever the environment holds. */
	for (size_t i = 0; unknown && i < c->ngiven; i++) {
		const char *name = c->opts[c->given[i].id].name;
		if (name && (!strcmp(name, "help") || !strcmp(name, "version")))
			return 0;
	}
	if (unknown) {
		const char *eq = strchr(unknown, '=');
		buf_str(err, "unknown environment variable ");
		buf_mem(err, unknown, (size_t)(eq - unknown) < 64 ? (size_t)(eq - unknown) : 64);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

const char *cli_value(const struct cli *c, size_t id, bool *from_env)
{
	for (size_t i = c->ngiven; i-- > 0;) {
		if (c->given[i].id == id) {
			if (from_env)
				*from_env = false;
			return c->given[i].value;
		}
	}
	if (from_env)
		*from_env = c->env[id] != NULL;
	return c->env[id];
}

const char *cli_next(const struct cli *c, size_t id, size_t *cursor)
{
	for (; *cursor < c->ngiven; ++*cursor) {
		if (c->given[*cursor].id == id)
			return c->given[(*cursor)++].value;
	}
	return NULL;
}

bool cli_given(const struct cli *c, size_t id)
{
	for (size_t i = 0; i < c->ngiven; i++)
		if (c->given[i].id == id)
			return true;
	return false;
}

void cli_name(struct buf *b, const struct cli *c, size_t id, bool from_env, const char *value)
{
	if (from_env)
		buf_fmt(b, "%s='%s'", c->opts[id].env, value);
	else
		buf_fmt(b, "--%s '%s'", c->opts[id].name, value);
}

int cli_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" }, *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			*out = !strcasecmp(s, yes[i]);
			return 0;
		}
	}
	return -1;
}

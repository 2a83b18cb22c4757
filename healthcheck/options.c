#include "healthcheck/options.h"

#include <errno.h>
#include <string.h>
#include <sys/un.h>

#include "common/parse.h"
#include "healthcheck/match.h"

enum opt_id {
	O_URL,
	O_TIMEOUT,
	O_CONNECT_TIMEOUT,
	O_STATUS,
	O_FOLLOW,
	O_BODY,
	O_MAX_BODY,
	O_METHOD,
	O_HOST,
	O_HEADER,
	O_UNIX,
	O_QUIET,
	O_VERBOSE,
	O_HELP,
	O_VERSION,
	O_COUNT
};

static const struct opt_def {
	const char *name; /* long option, without "--" */
	char short_name;
	bool has_arg;
	bool http_only;   /* meaningless for tcp:// */
	const char *env;
} defs[O_COUNT] = {
	[O_URL] = { NULL, 0, true, false, "LUCID_HEALTH_URL" },
	[O_TIMEOUT] = { "timeout", 't', true, false, "LUCID_HEALTH_TIMEOUT" },
	[O_CONNECT_TIMEOUT] = { "connect-timeout", 0, true, false, "LUCID_HEALTH_CONNECT_TIMEOUT" },
	[O_STATUS] = { "status", 's', true, true, "LUCID_HEALTH_STATUS" },
	[O_FOLLOW] = { "follow", 0, true, true, "LUCID_HEALTH_FOLLOW" },
	[O_BODY] = { "body-contains", 0, true, true, "LUCID_HEALTH_BODY_CONTAINS" },
	[O_MAX_BODY] = { "max-body", 0, true, true, "LUCID_HEALTH_MAX_BODY" },
	[O_METHOD] = { "method", 'X', true, true, "LUCID_HEALTH_METHOD" },
	[O_HOST] = { "host", 0, true, true, "LUCID_HEALTH_HOST" },
	[O_HEADER] = { "header", 'H', true, true, "LUCID_HEALTH_HEADERS" },
	[O_UNIX] = { "unix-socket", 0, true, true, "LUCID_HEALTH_UNIX_SOCKET" },
	[O_QUIET] = { "quiet", 'q', false, false, "LUCID_HEALTH_QUIET" },
	[O_VERBOSE] = { "verbose", 'v', false, false, "LUCID_HEALTH_VERBOSE" },
	[O_HELP] = { "help", 'h', false, false, NULL },
	[O_VERSION] = { "version", 'V', false, false, NULL },
};

/* One option's raw value and where it came from, for messages. */
struct setting {
	const char *value;
	enum opt_id id;
	bool from_env;
};

/* Everything collected before validation: the last value of each option,
 * and the -H arguments, which accumulate instead. */
struct collected {
	struct setting s[O_COUNT];
	struct setting cli_headers[OPT_HEADERS_MAX];
	size_t n_cli_headers;
};

static int usage(struct buf *err, const char *what, const char *detail)
{
	buf_str(err, what);
	if (detail)
		buf_str(err, detail);
	errno = EINVAL;
	return -1;
}

/* "--status \"600\": " or "LUCID_HEALTH_STATUS=\"600\": " */
static void name_setting(struct buf *err, const struct setting *s, const char *value, size_t len)
{
	if (s->id == O_URL && !s->from_env)
		buf_str(err, "URL ");
	else if (s->from_env)
		buf_fmt(err, "%s=", defs[s->id].env);
	else
		buf_fmt(err, "--%s ", defs[s->id].name);
	http_quote(err, value, len, 80);
	buf_str(err, ": ");
}

static int bad(struct buf *err, const struct setting *s, const char *why)
{
	name_setting(err, s, s->value, strlen(s->value));
	return usage(err, why, NULL);
}

static const struct opt_def *find_long(const char *name, size_t len, enum opt_id *id)
{
	for (int i = 1; i < O_COUNT; i++) {
		if (strlen(defs[i].name) == len && memcmp(defs[i].name, name, len) == 0) {
			*id = (enum opt_id)i;
			return &defs[i];
		}
	}
	return NULL;
}

static const struct opt_def *find_short(char c, enum opt_id *id)
{
	for (int i = 1; i < O_COUNT; i++) {
		if (defs[i].short_name && defs[i].short_name == c) {
			*id = (enum opt_id)i;
			return &defs[i];
		}
	}
	return NULL;
}

static int record(struct collected *c, enum opt_id id, const char *value, bool from_env, struct buf *err)
{
	struct setting s = { value, id, from_env };

	if (id == O_HEADER && !from_env) {
		if (c->n_cli_headers == OPT_HEADERS_MAX)
			return usage(err, "more than 32 -H headers", NULL);
		c->cli_headers[c->n_cli_headers++] = s;
		return 0;
	}
	c->s[id] = s;
	return 0;
}

/* Every LUCID_HEALTH_* variable must be one we know: a misspelt
 * LUCID_HEALTH_TIMOUT silently ignored would be a probe nobody configured.
 * Empty values count as unset. */
static void collect_env(struct collected *c, char *const envp[], const char **unknown)
{
	*unknown = NULL;
	for (size_t i = 0; envp && envp[i]; i++) {
		const char *e = envp[i], *eq = strchr(e, '=');
		bool known = false;

		if (strncmp(e, "LUCID_HEALTH_", 13) != 0 || !eq)
			continue;
		for (int id = 0; id < O_COUNT && !known; id++) {
			const char *name = defs[id].env;
			if (name && strlen(name) == (size_t)(eq - e) && memcmp(name, e, (size_t)(eq - e)) == 0) {
				known = true;
				if (eq[1])
					record(c, (enum opt_id)id, eq + 1, true, NULL);
			}
		}
		if (!known && !*unknown)
			*unknown = e;
	}
}

static int collect_argv(struct collected *c, int argc, char *const argv[], struct buf *err)
{
	bool options_done = false, have_url = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value = NULL;
		const struct opt_def *d = NULL;
		enum opt_id id = O_URL;

		if (options_done || a[0] != '-' || a[1] == '\0') {
			if (have_url)
				return usage(err, "more than one URL: ", a);
			have_url = true;
			record(c, O_URL, a, false, err);
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			if (!(d = find_long(a + 2, len, &id)))
				return usage(err, "unknown option ", a);
			if (eq && !d->has_arg)
				return usage(err, "option takes no value: ", a);
			value = eq ? eq + 1 : NULL;
		} else {
			/* Short options: "-q", "-qv", "-H value", "-Hvalue". */
			for (const char *p = a + 1; *p; p++) {
				if (!(d = find_short(*p, &id))) {
					buf_fmt(err, "unknown option -%c", *p);
					return usage(err, " in ", a);
				}
				if (d->has_arg) {
					value = p[1] ? p + 1 : NULL;
					break;
				}
				record(c, id, "1", false, err);
			}
			if (!d->has_arg)
				continue;
		}
		if (d->has_arg && !value) {
			if (i + 1 >= argc)
				return usage(err, "option needs a value: ", a);
			value = argv[++i];
		}
		if (record(c, id, d->has_arg ? value : "1", false, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_bool(const struct setting *s, bool *out, struct buf *err)
{
	static const char *const yes[] = { "1", "true", "yes", "on" }, *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(s->value, yes[i]) == 0 || strcmp(s->value, no[i]) == 0) {
			*out = strcmp(s->value, yes[i]) == 0;
			return 0;
		}
	}
	return bad(err, s, "expected 1 or 0 (true/false, yes/no, on/off)");
}

static int parse_timeout(const struct setting *s, uint64_t *ms, struct buf *err)
{
	if (parse_duration_ms(s->value, 86400000, ms) < 0)
		return bad(err, s, errno == ERANGE ? "longer than a day" : "not a duration (5, 2.5, 250ms)");
	if (*ms == 0)
		return bad(err, s, "must be more than 0");
	return 0;
}

/* Bytes, with an optional k or m suffix (binary: 64k = 65536). */
static int parse_size(const struct setting *s, uint64_t *out, struct buf *err)
{
	size_t n = strlen(s->value);
	uint64_t scale = 1, v;

	if (n && (s->value[n - 1] == 'k' || s->value[n - 1] == 'K'))
		scale = 1024;
	else if (n && (s->value[n - 1] == 'm' || s->value[n - 1] == 'M'))
		scale = 1024 * 1024;
	if (scale > 1)
		n--;
	if (parse_u64_n(s->value, n, 1 << 30, &v) < 0)
		return bad(err, s, errno == ERANGE ? "more than 1 GiB" : "not a size (65536, 64k, 1m)");
	if (v * scale > (1 << 30))
		return bad(err, s, "more than 1 GiB");
	if (v == 0)
		return bad(err, s, "must be more than 0");
	*out = v * scale;
	return 0;
}

/* Check one "Name: value" header and add it, or take it as the Host. */
static int add_header(struct options *o, const struct setting *s, const char *text, size_t len, size_t *bytes,
		      struct buf *err)
{
	struct http_field f;
	char why[160];
	struct buf w;

	buf_init(&w, why, sizeof why);
	if (http_check_header(text, len, &f, &w) < 0) {
		name_setting(err, s, text, len);
		return usage(err, why, NULL);
	}
	if (http_field_is(&f, "Host")) {
		if (http_check_host(f.value, f.value_len, &w) < 0) {
			name_setting(err, s, text, len);
			return usage(err, why, NULL);
		}
		o->host = f.value;
		o->host_len = f.value_len;
		return 0;
	}
	*bytes += len;
	if (o->n_headers == OPT_HEADERS_MAX)
		return usage(err, "more than 32 headers", NULL);
	if (*bytes > OPT_HEADER_BYTES_MAX)
		return usage(err, "headers longer than 4096 bytes in all", NULL);
	o->headers[o->n_headers++] = f;
	return 0;
}

/* -H arguments replace LUCID_HEALTH_HEADERS (one header per line) as a whole. */
static int apply_headers(struct options *o, const struct collected *c, struct buf *err)
{
	size_t bytes = 0;

	if (c->n_cli_headers) {
		for (size_t i = 0; i < c->n_cli_headers; i++) {
			const struct setting *s = &c->cli_headers[i];
			if (add_header(o, s, s->value, strlen(s->value), &bytes, err) < 0)
				return -1;
		}
		return 0;
	}
	const struct setting *s = &c->s[O_HEADER];
	for (const char *p = s->value; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && add_header(o, s, p, len, &bytes, err) < 0)
			return -1;
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

static int check_url(struct options *o, const struct collected *c, struct buf *err)
{
	const struct setting *s = &c->s[O_URL];
	char why[160];
	struct buf w;

	if (!s->value)
		return usage(err, "no URL: give one (lucid-health http://127.0.0.1:8080/health) or set LUCID_HEALTH_URL",
			     NULL);
	buf_init(&w, why, sizeof why);
	if (url_parse(s->value, strlen(s->value), &o->url, &w) < 0)
		return bad(err, s, why);
	if (o->url.scheme == URL_TCP) {
		for (int id = 0; id < O_COUNT; id++) {
			if (defs[id].http_only && (c->s[id].value || (id == O_HEADER && c->n_cli_headers))) {
				buf_fmt(err, "--%s (%s) needs an http:// URL, not tcp://", defs[id].name, defs[id].env);
				errno = EINVAL;
				return -1;
			}
		}
	}
	return 0;
}

static int apply(struct options *o, const struct collected *c, struct buf *err)
{
	const struct setting *s;
	char why[160];
	struct buf w;

	buf_init(&w, why, sizeof why);
	if (check_url(o, c, err) < 0)
		return -1;
	if ((s = &c->s[O_TIMEOUT])->value && parse_timeout(s, &o->timeout_ms, err) < 0)
		return -1;
	if ((s = &c->s[O_CONNECT_TIMEOUT])->value && parse_timeout(s, &o->connect_timeout_ms, err) < 0)
		return -1;
	if ((s = &c->s[O_STATUS])->value && status_parse(s->value, &o->status, &w) < 0)
		return bad(err, s, why);
	if ((s = &c->s[O_FOLLOW])->value && parse_uint(s->value, 20, &o->follow) < 0)
		return bad(err, s, "not a number from 0 to 20");
	if ((s = &c->s[O_BODY])->value) {
		o->body_contains = s->value;
		o->body_contains_len = strlen(s->value);
		if (o->body_contains_len == 0)
			return bad(err, s, "must not be empty");
		if (o->body_contains_len > MATCH_MAX)
			return bad(err, s, "longer than 1024 bytes");
	}
	if ((s = &c->s[O_MAX_BODY])->value && parse_size(s, &o->max_body, err) < 0)
		return -1;
	if ((s = &c->s[O_METHOD])->value) {
		if (strcmp(s->value, "GET") == 0 || strcmp(s->value, "get") == 0)
			o->head = false;
		else if (strcmp(s->value, "HEAD") == 0 || strcmp(s->value, "head") == 0)
			o->head = true;
		else
			return bad(err, s, "only GET and HEAD are supported");
	}
	if ((s = &c->s[O_HOST])->value) {
		if (http_check_host(s->value, strlen(s->value), &w) < 0)
			return bad(err, s, why);
		o->host = s->value;
		o->host_len = strlen(s->value);
	}
	if (apply_headers(o, c, err) < 0)
		return -1;
	if ((s = &c->s[O_UNIX])->value) {
		if (!*s->value)
			return bad(err, s, "must not be empty");
		if (strlen(s->value) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return bad(err, s, "longer than 107 bytes");
		o->unix_socket = s->value;
	}
	if ((s = &c->s[O_QUIET])->value && parse_bool(s, &o->quiet, err) < 0)
		return -1;
	if ((s = &c->s[O_VERBOSE])->value) {
		bool v;
		if (parse_bool(s, &v, err) < 0)
			return -1;
		o->verbose = v;
	}
	if (o->head && o->body_contains)
		return usage(err, "--body-contains cannot be used with --method HEAD (a HEAD response has no body)", NULL);
	return 0;
}

int options_parse(struct options *o, int argc, char *const argv[], char *const envp[], struct buf *err)
{
	struct collected c;
	const char *unknown;

	memset(o, 0, sizeof *o);
	memset(&c, 0, sizeof c);
	for (int id = 0; id < O_COUNT; id++)
		c.s[id].id = (enum opt_id)id;
	o->timeout_ms = OPT_TIMEOUT_DEFAULT_MS;
	o->max_body = OPT_MAX_BODY_DEFAULT;
	status_default(&o->status);

	collect_env(&c, envp, &unknown);
	if (collect_argv(&c, argc, argv, err) < 0)
		return -1;
	o->help = c.s[O_HELP].value != NULL;
	o->version = c.s[O_VERSION].value != NULL;
	if (o->help || o->version)
		return 0;
	if (unknown) {
		const char *eq = strchr(unknown, '=');
		buf_str(err, "unknown environment variable ");
		buf_mem(err, unknown, (size_t)(eq - unknown) < 64 ? (size_t)(eq - unknown) : 64);
		return usage(err, " (see --help)", NULL);
	}
	return apply(o, &c, err);
}

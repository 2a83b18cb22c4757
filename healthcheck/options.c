#include "healthcheck/options.h"

#include <errno.h>
#include <string.h>
#include <sys/un.h>

#include "common/cli.h"
#include "common/parse.h"
#include "healthcheck/match.h"

enum opt_id {
	O_URL,
	O_TIMEOUT,
	O_CONNECT_TIMEOUT,
	O_STATUS,
	O_FOLLOW,
	O_NO_FOLLOW,
	O_BODY,
	O_MAX_BODY,
	O_METHOD,
	O_HOST,
	O_HEADER,
	O_UNIX,
	O_CACERT,
	O_VERIFY,
	O_SERVER_NAME,
	O_CERT,
	O_KEY,
	O_SERVICE,
	O_QUIET,
	O_VERBOSE,
	O_HELP,
	O_VERSION,
	O_COUNT
};

static const struct cli_option table[O_COUNT] = {
	[O_URL] = { NULL, 0, true, false, "LUCID_HEALTH_URL" },
	[O_TIMEOUT] = { "timeout", 't', true, false, "LUCID_HEALTH_TIMEOUT" },
	[O_CONNECT_TIMEOUT] = { "connect-timeout", 0, true, false, "LUCID_HEALTH_CONNECT_TIMEOUT" },
	[O_STATUS] = { "status", 's', true, false, "LUCID_HEALTH_STATUS" },
	[O_FOLLOW] = { "follow", 0, true, false, "LUCID_HEALTH_FOLLOW" },
	[O_NO_FOLLOW] = { "no-follow", 0, false, false, "LUCID_HEALTH_NO_FOLLOW" },
	[O_BODY] = { "body-contains", 0, true, false, "LUCID_HEALTH_BODY_CONTAINS" },
	[O_MAX_BODY] = { "max-body", 0, true, false, "LUCID_HEALTH_MAX_BODY" },
	[O_METHOD] = { "method", 'X', true, false, "LUCID_HEALTH_METHOD" },
	[O_HOST] = { "host", 0, true, false, "LUCID_HEALTH_HOST" },
	[O_HEADER] = { "header", 'H', true, true, "LUCID_HEALTH_HEADERS" },
	[O_UNIX] = { "unix-socket", 0, true, false, "LUCID_HEALTH_UNIX_SOCKET" },
	[O_CACERT] = { "cacert", 0, true, false, "LUCID_HEALTH_CACERT" },
	[O_VERIFY] = { "verify", 0, false, false, "LUCID_HEALTH_VERIFY" },
	[O_SERVER_NAME] = { "server-name", 0, true, false, "LUCID_HEALTH_SERVER_NAME" },
	[O_CERT] = { "cert", 0, true, false, "LUCID_HEALTH_CERT" },
	[O_KEY] = { "key", 0, true, false, "LUCID_HEALTH_KEY" },
	[O_SERVICE] = { "service", 0, true, false, "LUCID_HEALTH_SERVICE" },
	[O_QUIET] = { "quiet", 'q', false, false, "LUCID_HEALTH_QUIET" },
	[O_VERBOSE] = { "verbose", 'v', false, false, "LUCID_HEALTH_VERBOSE" },
	[O_HELP] = { "help", 'h', false, false, NULL },
	[O_VERSION] = { "version", 'V', false, false, NULL },
};

/* The schemes each option means something for; 0: all. */
enum { FOR_HTTP = 1, FOR_TLS = 2, FOR_GRPC = 4 };
static const unsigned char only_for[O_COUNT] = {
	[O_STATUS] = FOR_HTTP,	 [O_FOLLOW] = FOR_HTTP, [O_NO_FOLLOW] = FOR_HTTP, [O_BODY] = FOR_HTTP,
	[O_MAX_BODY] = FOR_HTTP, [O_METHOD] = FOR_HTTP, [O_HOST] = FOR_HTTP,	  [O_HEADER] = FOR_HTTP,
	[O_UNIX] = FOR_HTTP,	 [O_CACERT] = FOR_TLS,	[O_VERIFY] = FOR_TLS,	  [O_SERVER_NAME] = FOR_TLS,
	[O_CERT] = FOR_TLS,	 [O_KEY] = FOR_TLS,	[O_SERVICE] = FOR_GRPC,
};
static const char *const only_for_text[] = {
	[FOR_HTTP] = "an http:// or https:// URL",
	[FOR_TLS] = "an https:// or grpcs:// URL",
	[FOR_GRPC] = "a grpc:// or grpcs:// URL",
};

/* One option's value and where it came from, for messages. */
struct setting {
	const char *value;
	enum opt_id id;
	bool from_env;
};

/* The URL operand, or else LUCID_HEALTH_URL. */
struct collected {
	struct cli cli;
	struct setting s[O_COUNT];
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
		buf_fmt(err, "%s=", table[s->id].env);
	else
		buf_fmt(err, "--%s ", table[s->id].name);
	http_quote(err, value, len, 80);
	buf_str(err, ": ");
}

static int bad(struct buf *err, const struct setting *s, const char *why)
{
	name_setting(err, s, s->value, strlen(s->value));
	return usage(err, why, NULL);
}

/* Each option's value that applies (the command line replaces the
 * variable), in the settings the checks below name in messages. */
static int collect(struct collected *c, int argc, char *const argv[], char *const envp[], struct buf *err)
{
	cli_init(&c->cli, table, O_COUNT, "LUCID_HEALTH_");
	if (cli_parse(&c->cli, CLI_OPERANDS, argc, argv, envp, err) < 0)
		return -1;
	for (int id = 0; id < O_COUNT; id++) {
		c->s[id].id = (enum opt_id)id;
		c->s[id].value = cli_value(&c->cli, (size_t)id, &c->s[id].from_env);
	}
	if (c->cli.noperands > 1)
		return usage(err, "more than one URL: ", c->cli.operands[1]);
	if (c->cli.noperands == 1)
		c->s[O_URL] = (struct setting){ c->cli.operands[0], O_URL, false };
	return 0;
}

static int parse_bool(const struct setting *s, bool *out, struct buf *err)
{
	return cli_bool(s->value, out) == 0 ? 0 : bad(err, s, "expected 1 or 0 (true/false, yes/no, on/off)");
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
		scale = UINT64_C(1) << 20;
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
	size_t bytes = 0, cursor = 0;

	if (cli_given(&c->cli, O_HEADER)) {
		const char *v;
		while ((v = cli_next(&c->cli, O_HEADER, &cursor))) {
			const struct setting one = { v, O_HEADER, false };
			if (add_header(o, &one, v, strlen(v), &bytes, err) < 0)
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
		return usage(err,
			     "no URL: give one (lucid-health http://127.0.0.1:8080/health) or set LUCID_HEALTH_URL",
			     NULL);
	buf_init(&w, why, sizeof why);
	if (url_parse(s->value, strlen(s->value), &o->url, &w) < 0)
		return bad(err, s, why);
#ifdef LUCID_HEALTH_HTTP_ONLY
	if (url_is_tls(&o->url) || url_is_grpc(&o->url))
		return bad(err, s, "lucid-health-http probes http:// and tcp:// only: use lucid-health");
#endif
	unsigned fits = (url_is_http(&o->url) ? FOR_HTTP : 0) | (url_is_tls(&o->url) ? FOR_TLS : 0) |
			(url_is_grpc(&o->url) ? FOR_GRPC : 0);
	for (int id = 0; id < O_COUNT; id++) {
		if (only_for[id] && !(only_for[id] & fits) && c->s[id].value) {
			buf_fmt(err, "--%s (%s) needs %s", table[id].name, table[id].env, only_for_text[only_for[id]]);
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

/* A file option: non-empty, the file is read when the probe starts TLS. */
static int take_path(const struct setting *s, const char **out, struct buf *err)
{
	if (!s->value)
		return 0;
	if (!*s->value)
		return bad(err, s, "must not be empty");
	*out = s->value;
	return 0;
}

static int apply_tls(struct options *o, const struct collected *c, struct buf *err)
{
	const struct setting *s;

	if (take_path(&c->s[O_CACERT], &o->cacert, err) < 0 || take_path(&c->s[O_CERT], &o->cert, err) < 0 ||
	    take_path(&c->s[O_KEY], &o->key, err) < 0)
		return -1;
	if ((s = &c->s[O_VERIFY])->value && parse_bool(s, &o->verify, err) < 0)
		return -1;
	if ((s = &c->s[O_SERVER_NAME])->value) {
		size_t n = strlen(s->value);
		if (n == 0 || n > URL_HOST_MAX)
			return bad(err, s, "must be 1 to 253 bytes");
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s->value[i] <= 0x20 || (unsigned char)s->value[i] >= 0x7f)
				return bad(err, s, "contains a space, a control character or a non-ASCII byte");
		o->server_name = s->value;
	}
	if (!o->cert != !o->key)
		return usage(err, o->cert ? "--cert needs --key" : "--key needs --cert", NULL);
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
	if ((s = &c->s[O_NO_FOLLOW])->value && parse_bool(s, &o->no_follow, err) < 0)
		return -1;
	if (apply_tls(o, c, err) < 0)
		return -1;
	if ((s = &c->s[O_SERVICE])->value) {
		o->service = s->value;
		o->service_len = strlen(s->value);
		if (o->service_len > OPT_SERVICE_MAX)
			return bad(err, s, "longer than 1024 bytes");
	}
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
		return usage(err, "--body-contains cannot be used with --method HEAD (a HEAD response has no body)",
			     NULL);
	return 0;
}

int options_parse(struct options *o, int argc, char *const argv[], char *const envp[], struct buf *err)
{
	static struct collected c;

	memset(o, 0, sizeof *o);
	memset(&c, 0, sizeof c);
	o->timeout_ms = OPT_TIMEOUT_DEFAULT_MS;
	o->max_body = OPT_MAX_BODY_DEFAULT;
	o->follow = OPT_FOLLOW_DEFAULT;
	o->service = "";
	status_default(&o->status);

	if (collect(&c, argc, argv, envp, err) < 0)
		return -1;
	o->help = cli_given(&c.cli, O_HELP);
	o->version = cli_given(&c.cli, O_VERSION);
	if (o->help || o->version)
		return 0;
	return apply(o, &c, err);
}

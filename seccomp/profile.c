/* A profile's top level: default action, architectures, flags, listener
 * fields; each syscalls[] entry is rule.c's. See profile.h. */
#include "seccomp/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "common/ascii.h"
#include "common/parse.h"
#include "seccomp/json.h"

static const struct {
	const char *name;
	uint32_t action; /* with data 0 */
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
};

int action_parse(const cJSON *action, const cJSON *errno_ret, uint32_t *out, const char *where, struct report *r)
{
	uint32_t base = 0;
	size_t i;
	uint64_t ret = EPERM;

	if (!cJSON_IsString(action)) {
		report_error(r, "%s: action must be a string such as \"SCMP_ACT_ERRNO\"", where);
		return -1;
	}
	if (strcmp(action->valuestring, "SCMP_ACT_NOTIFY") == 0) {
		report_error(r, "%s: SCMP_ACT_NOTIFY is not supported: lucid has no seccomp agent", where);
		return -1;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strcmp(action->valuestring, actions[i].name) == 0)
			break;
	}
	if (i == sizeof(actions) / sizeof(actions[0])) {
		report_error(r, "%s: unknown action \"%s\"", where, action->valuestring);
		return -1;
	}
	base = actions[i].action;
	if (base != SCMP_ACT_ERRNO(0) && base != SCMP_ACT_TRACE(0)) {
		if (errno_ret)
			report_warn(r, "%s: errnoRet ignored with %s", where, action->valuestring);
		*out = base;
		return 0;
	}
	/* The kernel keeps errno below MAX_ERRNO; TRACE passes 16 bits to the tracer. */
	if (errno_ret && json_u64(errno_ret, base == SCMP_ACT_ERRNO(0) ? 4095 : 0xffff, &ret) < 0) {
		report_error(r, "%s: errnoRet must be an integer from 0 to %u", where,
			     base == SCMP_ACT_ERRNO(0) ? 4095u : 0xffffu);
		return -1;
	}
	*out = base | (uint32_t)ret;
	return 0;
}

const char *action_name(uint32_t action, unsigned *ret)
{
	*ret = action & SECCOMP_RET_DATA;
	for (size_t i = 1; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if ((action & SECCOMP_RET_ACTION_FULL) == actions[i].action)
			return actions[i].name;
	}
	return "SCMP_ACT_KILL";
}

int kernel_version_parse(const char *s, unsigned *major, unsigned *minor)
{
	const char *dot = strchr(s, '.');
	uint64_t v;

	if (!dot || parse_u64_n(s, (size_t)(dot - s), 1000, &v) < 0 || parse_uint(dot + 1, 1000, minor) < 0)
		return -1;
	*major = (unsigned)v;
	return 0;
}

int context_add_cap(struct build_context *ctx, const char *cap, char *storage, size_t size)
{
	struct buf b;

	if (strncasecmp(cap, "CAP_", 4) == 0)
		cap += 4;
	if (*cap == '\0' || ctx->ncaps == CONTEXT_MAX_CAPS)
		return -1;
	buf_init(&b, storage, size);
	buf_str(&b, "CAP_");
	for (const char *c = cap; *c; c++) {
		if (!ascii_is_alnum(*c) && *c != '_')
			return -1;
		buf_char(&b, ascii_upper(*c));
	}
	if (buf_truncated(&b))
		return -1;
	ctx->caps[ctx->ncaps++] = storage;
	return 0;
}

/* A listener only makes sense with SCMP_ACT_NOTIFY, which has no agent here. */
static int check_listener(struct profile *p)
{
	static const char *const keys[] = { "listenerPath", "listenerMetadata" };

	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = json_optional(p->root, keys[i]);

		if (v && !(cJSON_IsString(v) && v->valuestring[0] == '\0')) {
			report_error(&p->report, "%s: %s is not supported: SCMP_ACT_NOTIFY has no agent in lucid",
				     p->path, keys[i]);
			return -1;
		}
	}
	return 0;
}

/* Add sub-architecture NAME when the target's kernel runs it; a foreign
 * family could never reach the filter (seccomp_data.arch is the kernel's). */
static int add_compat(struct profile *p, const char *name, bool warn_foreign)
{
	uint32_t token = arch_token_from_scmp(name);

	if (token == 0) {
		report_error(&p->report, "%s: unknown architecture \"%s\"", p->path, name);
		return -1;
	}
	if (token == p->arch->token)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		if (p->arch->compat[i] == token) {
			for (size_t j = 0; j < 2; j++) {
				if (p->compat[j] == 0 || p->compat[j] == token) {
					p->compat[j] = token;
					break;
				}
			}
			return 0;
		}
	}
	if (warn_foreign)
		report_warn(&p->report, "%s: %s cannot run on a %s kernel, ignored", p->path, name, p->arch->name);
	return 0;
}

/* "architectures" (runc: every listed arch) or Docker's "archMap" (the entry
 * for the target arch, with its subArchitectures), never both. */
static int load_architectures(struct profile *p)
{
	const cJSON *list = json_optional(p->root, "architectures");
	const cJSON *map = json_optional(p->root, "archMap");
	const cJSON *item;

	if ((list && !cJSON_IsArray(list)) || (map && !cJSON_IsArray(map))) {
		report_error(&p->report, "%s: architectures and archMap must be arrays", p->path);
		return -1;
	}
	if (cJSON_GetArraySize(list) > 0 && cJSON_GetArraySize(map) > 0) {
		report_error(&p->report, "%s: use either architectures or archMap, not both", p->path);
		return -1;
	}
	cJSON_ArrayForEach (item, list) {
		if (!cJSON_IsString(item)) {
			report_error(&p->report, "%s: architectures: not a string", p->path);
			return -1;
		}
		if (add_compat(p, item->valuestring, false) < 0)
			return -1;
	}
	cJSON_ArrayForEach (item, map) {
		static const char *const keys[] = { "architecture", "subArchitectures", NULL };
		const cJSON *main_arch = cJSON_GetObjectItemCaseSensitive(item, "architecture");
		const cJSON *subs = json_optional(item, "subArchitectures");
		const cJSON *sub;
		char where[128];
		struct buf b;

		buf_init(&b, where, sizeof(where));
		buf_fmt(&b, "%s: archMap", p->path);
		if (!cJSON_IsObject(item) || !cJSON_IsString(main_arch) || (subs && !cJSON_IsArray(subs))) {
			report_error(&p->report, "%s: entries need \"architecture\" and a \"subArchitectures\" array",
				     where);
			return -1;
		}
		json_warn_unknown_keys(item, keys, where, &p->report);
		if (arch_token_from_scmp(main_arch->valuestring) == 0) {
			report_error(&p->report, "%s: unknown architecture \"%s\"", where, main_arch->valuestring);
			return -1;
		}
		bool target = strcmp(main_arch->valuestring, p->arch->scmp_name) == 0;
		cJSON_ArrayForEach (sub, subs) {
			if (!cJSON_IsString(sub) || arch_token_from_scmp(sub->valuestring) == 0) {
				report_error(&p->report, "%s: unknown sub-architecture", where);
				return -1;
			}
			if (target && add_compat(p, sub->valuestring, true) < 0)
				return -1;
		}
	}
	return 0;
}

/* OCI's "flags": recorded beside the BPF for the loader. */
static int load_flags(struct profile *p)
{
	static const struct {
		const char *name;
		uint32_t flag;
	} known[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	};
	const cJSON *flags = json_optional(p->root, "flags");
	const cJSON *item;

	if (flags && !cJSON_IsArray(flags)) {
		report_error(&p->report, "%s: flags must be an array", p->path);
		return -1;
	}
	cJSON_ArrayForEach (item, flags) {
		size_t i;

		for (i = 0; i < 3; i++) {
			if (cJSON_IsString(item) && strcmp(item->valuestring, known[i].name) == 0)
				break;
		}
		if (i == 3) {
			report_error(&p->report, "%s: unsupported flag %s", p->path,
				     cJSON_IsString(item) ? item->valuestring : "(not a string)");
			return -1;
		}
		p->flags |= known[i].flag;
	}
	return 0;
}

int profile_load(struct profile *p, const char *path, const char *text, size_t len, const struct target_arch *arch,
		 const struct build_context *ctx)
{
	static const char *const keys[] = {
		"defaultAction", "defaultErrnoRet",  "architectures",	   "archMap", "syscalls", "flags",
		"listenerPath",	 "listenerMetadata", "lucidLearnedArches", NULL,
	};
	const cJSON *syscalls, *entry;
	char where[128];
	struct buf b;
	size_t i = 0;

	p->path = path;
	p->arch = arch;
	p->max_nr = -1;
	p->compat_max[0] = p->compat_max[1] = -1;
	p->root = json_parse(path, text, len, &p->report);
	if (!p->root)
		return -1;
	if (!cJSON_IsObject(p->root)) {
		report_error(&p->report, "%s: a profile is a JSON object", path);
		return -1;
	}
	json_warn_unknown_keys(p->root, keys, path, &p->report);
	if (check_listener(p) < 0)
		return -1;
	buf_init(&b, where, sizeof(where));
	buf_fmt(&b, "%s: defaultAction", path);
	if (!cJSON_GetObjectItemCaseSensitive(p->root, "defaultAction")) {
		report_error(&p->report, "%s: defaultAction is missing", path);
		return -1;
	}
	if (action_parse(cJSON_GetObjectItemCaseSensitive(p->root, "defaultAction"),
			 json_optional(p->root, "defaultErrnoRet"), &p->default_action, where, &p->report) < 0)
		return -1;
	if (load_architectures(p) < 0 || load_flags(p) < 0)
		return -1;
	syscalls = json_optional(p->root, "syscalls");
	if (syscalls && !cJSON_IsArray(syscalls)) {
		report_error(&p->report, "%s: syscalls must be an array", path);
		return -1;
	}
	if (cJSON_GetArraySize(syscalls) > (int)PROFILE_MAX_RULES) {
		report_error(&p->report, "%s: more than %u syscalls[] entries", path, PROFILE_MAX_RULES);
		return -1;
	}
	p->rules = calloc(PROFILE_MAX_RULES, sizeof(*p->rules));
	p->skipped = calloc(PROFILE_MAX_NAMES, sizeof(*p->skipped));
	if (!p->rules || !p->skipped) {
		report_error(&p->report, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	cJSON_ArrayForEach (entry, syscalls) {
		if (rule_load(p, entry, i++, ctx) < 0)
			return -1;
	}
	p->rules_total = i;
	return 0;
}

void profile_free(struct profile *p)
{
	for (size_t i = 0; p->rules && i < p->nrules; i++) {
		free(p->rules[i].names);
	}
	free(p->rules);
	free(p->skipped);
	cJSON_Delete(p->root);
	p->rules = NULL;
	p->skipped = NULL;
	p->root = NULL;
}

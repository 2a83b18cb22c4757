/* One syscalls[] entry of a profile: includes/excludes, names, action,
 * args. Docker's semantics (moby's profiles/seccomp) for the conditions,
 * runc's for everything else. See profile.h. */
#include "seccomp/profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/json.h"

static bool cap_in_context(const struct build_context *ctx, const char *cap)
{
	if (strncasecmp(cap, "CAP_", 4) == 0)
		cap += 4;
	for (size_t i = 0; i < ctx->ncaps; i++) {
		if (strcasecmp(ctx->caps[i] + 4, cap) == 0)
			return true;
	}
	return false;
}

static bool string_in(const cJSON *list, const char *s)
{
	const cJSON *item;

	cJSON_ArrayForEach (item, list) {
		if (cJSON_IsString(item) && strcmp(item->valuestring, s) == 0)
			return true;
	}
	return false;
}

/* One includes/excludes object against the context: has_* says the field
 * is present and non-empty; caps_any/caps_all: some/every listed cap is in
 * the context; arch: the target's GOARCH is listed; kernel: the context's
 * kernel is at least minKernel. */
struct filter_eval {
	bool has_caps, caps_any, caps_all;
	bool has_arches, arch;
	bool has_kernel, kernel;
};

static int eval_filter(struct profile *p, const cJSON *obj, const struct build_context *ctx, const char *where,
		       struct filter_eval *e)
{
	static const char *const keys[] = { "caps", "arches", "minKernel", NULL };
	const cJSON *caps = json_optional(obj, "caps");
	const cJSON *arches = json_optional(obj, "arches");
	const cJSON *kernel = json_optional(obj, "minKernel");
	const cJSON *item;

	memset(e, 0, sizeof(*e));
	if (!obj)
		return 0;
	if (!cJSON_IsObject(obj) || (caps && !cJSON_IsArray(caps)) || (arches && !cJSON_IsArray(arches)) ||
	    (kernel && !cJSON_IsString(kernel) && !cJSON_IsNull(kernel))) {
		report_error(&p->report, "%s: expected {\"caps\": [...], \"arches\": [...], \"minKernel\": \"X.Y\"}",
			     where);
		return -1;
	}
	json_warn_unknown_keys(obj, keys, where, &p->report);
	e->has_caps = cJSON_GetArraySize(caps) > 0;
	e->caps_all = true;
	cJSON_ArrayForEach (item, caps) {
		if (!cJSON_IsString(item)) {
			report_error(&p->report, "%s: caps: not a string", where);
			return -1;
		}
		bool in = cap_in_context(ctx, item->valuestring);
		e->caps_any = e->caps_any || in;
		e->caps_all = e->caps_all && in;
	}
	e->has_arches = cJSON_GetArraySize(arches) > 0;
	e->arch = string_in(arches, p->arch->goarch);
	if (kernel && cJSON_IsString(kernel)) {
		unsigned major, minor;

		if (kernel_version_parse(kernel->valuestring, &major, &minor) < 0) {
			report_error(&p->report, "%s: minKernel \"%s\" is not X.Y", where, kernel->valuestring);
			return -1;
		}
		e->has_kernel = true;
		e->kernel = ctx->kernel_major > major || (ctx->kernel_major == major && ctx->kernel_minor >= minor);
	}
	return 0;
}

/* Docker's order: excludes (arch listed, any cap held, kernel new enough)
 * drop the rule; includes (arch not listed, a cap missing, kernel too old)
 * drop it too. *APPLIES false means dropped. */
static int evaluate_conditions(struct profile *p, const cJSON *entry, const struct build_context *ctx,
			       const char *where, bool *applies, bool *conditional)
{
	const cJSON *inc = json_optional(entry, "includes");
	const cJSON *exc = json_optional(entry, "excludes");
	struct filter_eval in, ex;
	char sub[160];
	struct buf b;

	buf_init(&b, sub, sizeof(sub));
	buf_fmt(&b, "%s: excludes", where);
	if (eval_filter(p, exc, ctx, sub, &ex) < 0)
		return -1;
	buf_init(&b, sub, sizeof(sub));
	buf_fmt(&b, "%s: includes", where);
	if (eval_filter(p, inc, ctx, sub, &in) < 0)
		return -1;
	*conditional = ex.has_caps || ex.has_arches || ex.has_kernel || in.has_caps || in.has_arches || in.has_kernel;
	*applies = !(ex.has_arches && ex.arch) && !(ex.has_caps && ex.caps_any) && !(ex.has_kernel && ex.kernel) &&
		   !(in.has_arches && !in.arch) && !(in.has_caps && !in.caps_all) && !(in.has_kernel && !in.kernel);
	return 0;
}

static int load_conds(struct profile *p, struct rule *rule, const cJSON *args, const char *where)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
	static const char *const ops[] = {
		[SCMP_CMP_NE] = "SCMP_CMP_NE",
		[SCMP_CMP_LT] = "SCMP_CMP_LT",
		[SCMP_CMP_LE] = "SCMP_CMP_LE",
		[SCMP_CMP_EQ] = "SCMP_CMP_EQ",
		[SCMP_CMP_GE] = "SCMP_CMP_GE",
		[SCMP_CMP_GT] = "SCMP_CMP_GT",
		[SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};
	const cJSON *arg;

	if (args && !cJSON_IsArray(args) && !cJSON_IsNull(args)) {
		report_error(&p->report, "%s: args must be an array", where);
		return -1;
	}
	if (cJSON_GetArraySize(args) > RULE_MAX_CONDS) {
		report_error(&p->report, "%s: more than %u args", where, RULE_MAX_CONDS);
		return -1;
	}
	cJSON_ArrayForEach (arg, args) {
		struct cond *c = &rule->conds[rule->nconds++];
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(arg, "op");
		const cJSON *value = json_optional(arg, "value");
		const cJSON *two = json_optional(arg, "valueTwo");
		uint64_t index;
		size_t i;

		if (!cJSON_IsObject(arg) || json_u64(cJSON_GetObjectItemCaseSensitive(arg, "index"), 5, &index) < 0) {
			report_error(&p->report, "%s: args: index must be an integer from 0 to 5", where);
			return -1;
		}
		json_warn_unknown_keys(arg, keys, where, &p->report);
		c->index = (unsigned)index;
		if ((value && json_u64(value, UINT64_MAX, &c->value) < 0) ||
		    (two && json_u64(two, UINT64_MAX, &c->value_two) < 0)) {
			report_error(&p->report, "%s: args: value and valueTwo must be integers from 0 to 2^64-1",
				     where);
			return -1;
		}
		for (i = SCMP_CMP_NE; i <= SCMP_CMP_MASKED_EQ; i++) {
			if (cJSON_IsString(op) && strcmp(op->valuestring, ops[i]) == 0)
				break;
		}
		if (i > SCMP_CMP_MASKED_EQ) {
			report_error(&p->report, "%s: args: unknown op %s", where,
				     cJSON_IsString(op) ? op->valuestring : "(missing)");
			return -1;
		}
		/* runc and libseccomp agree: MASKED_EQ is (arg & value) == valueTwo. */
		c->op = (enum scmp_compare)i;
	}
	return 0;
}

/* Resolve NAMES for the target arch; the ones it lacks are recorded in
 * P->skipped, not fatal here (main decides with --strict). */
static int resolve_names(struct profile *p, struct rule *rule, const cJSON *names, size_t index)
{
	const cJSON *name;
	size_t n = (size_t)cJSON_GetArraySize(names);

	rule->names = calloc(n ? n : 1, sizeof(*rule->names));
	if (!rule->names) {
		report_error(&p->report, "%s: %s", p->path, strerror(ENOMEM));
		return -1;
	}
	cJSON_ArrayForEach (name, names) {
		int nr = seccomp_syscall_resolve_name_arch(p->arch->token, name->valuestring);

		/* Every sub-arch gets its own ENOSYS boundary (compile.h). */
		for (size_t i = 0; i < 2; i++) {
			int c = p->compat[i] ? seccomp_syscall_resolve_name_arch(p->compat[i], name->valuestring) : -1;
			if (c >= 0 && (c & ~0x40000000) > p->compat_max[i])
				p->compat_max[i] = c & ~0x40000000; /* x32's numbers carry bit 30 */
		}

		if (nr < 0) {
			/* A name only an enabled sub-arch has (_llseek, socketcall
			 * on x86) is kept for it: libseccomp adds it where it exists. */
			bool on_compat = false;
			for (size_t i = 0; i < 2; i++)
				on_compat = on_compat ||
					    (p->compat[i] &&
					     seccomp_syscall_resolve_name_arch(p->compat[i], name->valuestring) >= 0);
			if (on_compat) {
				rule->names[rule->nsyscalls++] = name->valuestring;
				continue;
			}
			if (p->nskipped < PROFILE_MAX_NAMES)
				p->skipped[p->nskipped++] =
					(struct skipped_name){ name->valuestring, index, nr == __NR_SCMP_ERROR };
			continue;
		}
		rule->names[rule->nsyscalls++] = name->valuestring;
		if (nr > p->max_nr)
			p->max_nr = nr;
		if (nr < 1024 && !(p->named[nr / 8] & (1u << (nr % 8)))) {
			p->named[nr / 8] |= (unsigned char)(1u << (nr % 8));
			p->nnames++;
		}
		if (strcmp(name->valuestring, "clone3") == 0)
			p->names_clone3 = true;
	}
	return 0;
}

int rule_load(struct profile *p, const cJSON *entry, size_t index, const struct build_context *ctx)
{
	static const char *const keys[] = {
		"names",    "name",	     "action",	     "errnoRet",  "args", "includes",
		"excludes", "lucidInitOnly", "lucidDerived", "lucidBase", NULL,
	};
	struct rule *rule = &p->rules[p->nrules];
	const cJSON *names, *one, *item, *init_only;
	cJSON *single = NULL;
	bool applies, conditional, kept = false;
	char where[128];
	struct buf b;
	int rc = -1;

	buf_init(&b, where, sizeof(where));
	buf_fmt(&b, "%s: syscalls[%zu]", p->path, index);
	if (!cJSON_IsObject(entry)) {
		report_error(&p->report, "%s: not an object", where);
		return -1;
	}
	json_warn_unknown_keys(entry, keys, where, &p->report);
	memset(rule, 0, sizeof(*rule));
	rule->index = index;
	rule->json = entry;
	names = json_optional(entry, "names");
	one = json_optional(entry, "name");
	if (one && cJSON_GetArraySize(names) > 0) {
		report_error(&p->report, "%s: use either name or names", where);
		return -1;
	}
	if ((names && !cJSON_IsArray(names)) || (one && !cJSON_IsString(one))) {
		report_error(&p->report, "%s: names must be an array of strings", where);
		return -1;
	}
	cJSON_ArrayForEach (item, names) {
		if (!cJSON_IsString(item)) {
			report_error(&p->report, "%s: names must be an array of strings", where);
			return -1;
		}
	}
	init_only = json_optional(entry, "lucidInitOnly");
	if (init_only && !cJSON_IsBool(init_only)) {
		report_error(&p->report, "%s: lucidInitOnly must be true or false", where);
		return -1;
	}
	if (one) {
		single = cJSON_CreateArray();
		if (!single || !cJSON_AddItemToArray(single, cJSON_CreateStringReference(one->valuestring)))
			goto out;
		names = single;
	}
	if (evaluate_conditions(p, entry, ctx, where, &applies, &conditional) < 0 ||
	    action_parse(cJSON_GetObjectItemCaseSensitive(entry, "action"), json_optional(entry, "errnoRet"),
			 &rule->action, where, &p->report) < 0 ||
	    load_conds(p, rule, json_optional(entry, "args"), where) < 0)
		goto out;
	if (!applies) {
		p->rules_excluded++;
		rc = 0;
		goto out;
	}
	rule->conditional = conditional;
	if (resolve_names(p, rule, names, index) < 0)
		goto out;
	if (conditional)
		p->rules_conditional++;
	if (rule->action == p->default_action) {
		/* libseccomp refuses such rules; runc skips them. Their names
		 * still count for the ENOSYS boundary, as in runc. */
		p->rules_default++;
	} else if (cJSON_IsTrue(init_only) && !ctx->runtime) {
		/* Left out of the service's filter. Its names still count for
		 * the ENOSYS boundary, so the service gets the default errno
		 * for them (EPERM for seccomp or setuid), not ENOSYS. */
		p->rules_init_only++;
		p->names_init_only += rule->nsyscalls;
	} else {
		p->nrules++;
		kept = true;
	}
	rc = 0;
out:
	if (!kept) {
		free(rule->names);
		memset(rule, 0, sizeof(*rule));
	}
	if (rc < 0 && !p->report.error[0])
		report_error(&p->report, "%s: %s", where, strerror(ENOMEM));
	cJSON_Delete(single);
	return rc;
}

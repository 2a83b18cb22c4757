/* Docker profile → plain OCI profile; see flatten.h. */
#include "seccomp/flatten.h"

#include <string.h>

/* cJSON prints numbers from their double; print the source text instead so
 * 64-bit masks survive. */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the JSON, which cJSON caps at CJSON_NESTING_LIMIT (1000) */
static void numbers_as_raw(cJSON *item)
{
	for (; item; item = item->next) {
		if (cJSON_IsNumber(item) && item->valuestring)
			item->type = cJSON_Raw;
		numbers_as_raw(item->child);
	}
}

static cJSON *architectures(const struct profile *p)
{
	cJSON *list = cJSON_CreateArray();

	if (!list || !cJSON_AddItemToArray(list, cJSON_CreateString(p->arch->scmp_name)))
		goto fail;
	for (size_t i = 0; i < 2; i++) {
		if (p->compat[i] == SCMP_ARCH_X86 && !cJSON_AddItemToArray(list, cJSON_CreateString("SCMP_ARCH_X86")))
			goto fail;
		if (p->compat[i] == SCMP_ARCH_X32 && !cJSON_AddItemToArray(list, cJSON_CreateString("SCMP_ARCH_X32")))
			goto fail;
		if (p->compat[i] == SCMP_ARCH_ARM && !cJSON_AddItemToArray(list, cJSON_CreateString("SCMP_ARCH_ARM")))
			goto fail;
	}
	return list;
fail:
	cJSON_Delete(list);
	return NULL;
}

static cJSON *flat_rule(const struct rule *rule)
{
	cJSON *copy = cJSON_Duplicate(rule->json, 1);
	cJSON *one;

	if (!copy)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "includes");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "excludes");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "lucidInitOnly");
	one = cJSON_DetachItemFromObjectCaseSensitive(copy, "name");
	if (one) {
		cJSON *names = cJSON_CreateArray();

		if (!names || !cJSON_AddItemToArray(names, one) || !cJSON_AddItemToObject(copy, "names", names)) {
			cJSON_Delete(names);
			cJSON_Delete(copy);
			return NULL;
		}
	}
	return copy;
}

cJSON *flatten_profile(const struct profile *p)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *member;
	bool archs_done = false;

	if (!out)
		return NULL;
	cJSON_ArrayForEach (member, p->root) {
		const char *key = member->string;
		cJSON *value = NULL;

		if (strcmp(key, "archMap") == 0 || strcmp(key, "architectures") == 0) {
			if (archs_done)
				continue;
			archs_done = true;
			key = "architectures";
			value = architectures(p);
		} else if (strcmp(key, "syscalls") == 0) {
			value = cJSON_CreateArray();
			for (size_t i = 0; value && i < p->nrules; i++) {
				if (!cJSON_AddItemToArray(value, flat_rule(&p->rules[i]))) {
					cJSON_Delete(value);
					value = NULL;
				}
			}
		} else {
			value = cJSON_Duplicate(member, 1);
		}
		if (!value || !cJSON_AddItemToObject(out, key, value)) {
			cJSON_Delete(value);
			cJSON_Delete(out);
			return NULL;
		}
	}
	if (!archs_done && !cJSON_AddItemToObject(out, "architectures", architectures(p))) {
		cJSON_Delete(out);
		return NULL;
	}
	numbers_as_raw(out->child);
	return out;
}

/* Profile JSON; see json.h. */
#include "seccomp/json.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/parse.h"

int json_read_file(const char *path, char **text, size_t *len, struct report *r)
{
	if (file_read_alloc(path, JSON_MAX_FILE, text, len) == 0)
		return 0;
	if (errno == EFBIG)
		report_error(r, "%s: larger than %u bytes", path, JSON_MAX_FILE);
	else if (errno == EINVAL)
		report_error(r, "%s: not a regular file", path);
	else
		report_error(r, "%s: %s", path, strerror(errno));
	return -1;
}

static void position(const char *text, size_t offset, unsigned long *line, unsigned long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* The next number token at or after *POS outside strings: cJSON starts a
 * number at '-' or a digit and, in a document it accepted, the token runs
 * over [0-9+-.eE] exactly as far as its strtod did. */
static int next_number(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos;

	while (i < len) {
		char c = text[i];

		if (c == '"') {
			for (i++; i < len && text[i] != '"'; i++) {
				if (text[i] == '\\')
					i++;
			}
			i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			*start = i;
			while (i < len && strchr("0123456789+-.eE", text[i]) && text[i] != '\0')
				i++;
			*end = i;
			*pos = i;
			return 0;
		} else {
			i++;
		}
	}
	return -1;
}

const cJSON *json_optional(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNull(item) ? NULL : item;
}

/* Walk ITEM in document order (cJSON keeps members and elements in source
 * order), giving every number the source text of the next number token. */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the JSON, which cJSON caps at CJSON_NESTING_LIMIT (1000) */
static int attach_numbers(cJSON *item, const char *text, size_t len, size_t *pos)
{
	for (; item; item = item->next) {
		if (cJSON_IsNumber(item)) {
			size_t start, end;

			if (next_number(text, len, pos, &start, &end) < 0)
				return -1;
			item->valuestring = strndup(text + start, end - start);
			if (!item->valuestring)
				return -1;
		}
		if (item->child && attach_numbers(item->child, text, len, pos) < 0)
			return -1;
	}
	return 0;
}

/* Bytes Go's encoding/json (docker, podman, runc) reads differently from
 * cJSON, or refuses: a byte order mark, a NUL byte, and \u0000 in a string,
 * where cJSON's C string would end ("SCMP_ACT_ALLOW\u0000junk" would read as
 * SCMP_ACT_ALLOW; runc sees an unknown action). 0, or -1 with the position. */
static int check_bytes(const char *path, const char *text, size_t len, struct report *r)
{
	unsigned long line, col;
	bool in_string = false;
	const char *what = NULL;
	size_t i;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		report_error(r, "%s:1:1: a byte order mark: docker and runc refuse it, so does lucid", path);
		return -1;
	}
	for (i = 0; i < len && !what; i++) {
		if (text[i] == '\0') {
			what = "a NUL byte";
		} else if (in_string && text[i] == '\\') {
			if (i + 5 < len && text[i + 1] == 'u' && !memcmp(text + i + 2, "0000", 4))
				what = "\\u0000 in a string (C strings end there)";
			i++; /* the escaped character */
		} else if (text[i] == '"') {
			in_string = !in_string;
		}
	}
	if (!what)
		return 0;
	position(text, i - 1, &line, &col);
	report_error(r, "%s:%lu:%lu: %s: refused", path, line, col, what);
	return -1;
}

/* The first key that appears twice in one object, anywhere in ITEM. Go
 * keeps the last of them, cJSON's lookups the first: a profile whose
 * readings differ is refused, never read the permissive way. */
/* NOLINTNEXTLINE(misc-no-recursion): as deep as the JSON, which cJSON caps at CJSON_NESTING_LIMIT (1000) */
static const cJSON *duplicate_key(const cJSON *item)
{
	for (; item; item = item->next) {
		if (cJSON_IsObject(item)) {
			for (const cJSON *a = item->child; a; a = a->next)
				for (const cJSON *b = a->next; b; b = b->next)
					if (a->string && b->string && !strcmp(a->string, b->string))
						return b;
		}
		const cJSON *d = item->child ? duplicate_key(item->child) : NULL;
		if (d)
			return d;
	}
	return NULL;
}

cJSON *json_parse(const char *path, const char *text, size_t len, struct report *r)
{
	const char *end = NULL;
	const cJSON *dup;
	size_t pos = 0;

	if (check_bytes(path, text, len, r) < 0)
		return NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!root) {
		unsigned long line, col;
		size_t offset = end && end >= text && end <= text + len ? (size_t)(end - text) : len;

		position(text, offset, &line, &col);
		report_error(r, "%s:%lu:%lu: invalid JSON", path, line, col);
		return NULL;
	}
	if (attach_numbers(root, text, len, &pos) < 0) {
		cJSON_Delete(root);
		report_error(r, "%s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	if ((dup = duplicate_key(root))) {
		report_error(r,
			     "%s: key \"%s\" appears twice in one object: docker and runc take the last, "
			     "lucid refuses the profile",
			     path, dup->string);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int json_u64(const cJSON *item, uint64_t max, uint64_t *out)
{
	const char *raw;

	if (!cJSON_IsNumber(item) || !item->valuestring)
		return -1;
	/* The literal text, not valuedouble: exact above 2^53 too, and no
	 * sign, fraction or exponent gets through parse_u64. */
	raw = item->valuestring;
	return parse_u64(raw, max, out);
}

void json_warn_unknown_keys(const cJSON *obj, const char *const *known, const char *where, struct report *r)
{
	const cJSON *member;

	cJSON_ArrayForEach (member, obj) {
		const char *key = member->string;
		int found = strcmp(key, "comment") == 0 || strcmp(key, "comments") == 0;

		for (const char *const *k = known; !found && *k; k++)
			found = strcmp(key, *k) == 0;
		if (!found)
			report_warn(r, "%s: unknown key \"%s\" ignored", where, key);
	}
}

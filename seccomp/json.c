/* Profile JSON; see json.h. */
#include "seccomp/json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/parse.h"

int json_read_file(const char *path, char **text, size_t *len, struct report *r)
{
	size_t cap = 64 * 1024, n = 0;
	char *data = malloc(cap + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !data) {
		report_error(r, "%s: %s", path, strerror(fd < 0 ? errno : ENOMEM));
		goto fail;
	}
	for (;;) {
		ssize_t got;

		if (n == cap) {
			char *more;

			if (cap >= JSON_MAX_FILE) {
				report_error(r, "%s: larger than %u bytes", path, JSON_MAX_FILE);
				goto fail;
			}
			cap *= 2;
			more = realloc(data, cap + 1);
			if (!more) {
				report_error(r, "%s: %s", path, strerror(ENOMEM));
				goto fail;
			}
			data = more;
		}
		got = read(fd, data + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			report_error(r, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	data[n] = '\0';
	*text = data;
	*len = n;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(data);
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

cJSON *json_parse(const char *path, const char *text, size_t len, struct report *r)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	size_t pos = 0;

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

void json_warn_unknown_keys(const cJSON *obj, const char *const *known, const char *where,
			    struct report *r)
{
	const cJSON *member;

	cJSON_ArrayForEach(member, obj) {
		const char *key = member->string;
		int found = strcmp(key, "comment") == 0 || strcmp(key, "comments") == 0;

		for (const char *const *k = known; !found && *k; k++)
			found = strcmp(key, *k) == 0;
		if (!found)
			report_warn(r, "%s: unknown key \"%s\" ignored", where, key);
	}
}

/* Reading profile JSON with cJSON: positioned syntax errors, exact 64-bit
 * integers, and warnings for keys a schema does not know. */
#ifndef LUCID_SECCOMP_JSON_H
#define LUCID_SECCOMP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "seccomp/report.h"

#define JSON_MAX_FILE (4u << 20)

/* Read PATH whole (at most JSON_MAX_FILE bytes) into a NUL-terminated
 * malloc'd buffer. 0, or -1 with the reason in R. */
int json_read_file(const char *path, char **text, size_t *len, struct report *r);

/* Parse TEXT (LEN bytes, NUL-terminated at TEXT[LEN]; nothing but white
 * space may follow the value) from PATH. On malformed JSON, NULL and R's error is
 * "PATH:LINE:COLUMN: invalid JSON" (1-based, where cJSON stopped). Every
 * number in the tree keeps its source text in valuestring (freed by
 * cJSON_Delete), so json_u64 can read values above 2^53 exactly. */
cJSON *json_parse(const char *path, const char *text, size_t len, struct report *r);

/* The exact unsigned integer ITEM holds: a JSON number written with decimal
 * digits only (no sign, fraction or exponent), at most MAX. 0 or -1. */
/* OBJ's member KEY, or NULL when it is absent or null: Docker's profile
 * fields are Go pointers, so "includes": null means "no includes". */
const cJSON *json_optional(const cJSON *obj, const char *key);

int json_u64(const cJSON *item, uint64_t max, uint64_t *out);

/* Warn "WHERE: unknown key "K" ignored" for every member of OBJ not in KNOWN
 * (NULL-terminated). "comment" and "comments" are always allowed. */
void json_warn_unknown_keys(const cJSON *obj, const char *const *known, const char *where, struct report *r);

#endif

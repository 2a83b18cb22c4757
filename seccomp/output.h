/* Writing a compiled filter: the LUCIDBPF file (common/bpfblob.h) or a C
 * source that embeds the same bytes. */
#ifndef LUCID_SECCOMP_OUTPUT_H
#define LUCID_SECCOMP_OUTPUT_H

#include <stddef.h>

#include "seccomp/compile.h"

/* F as LUCIDBPF bytes in a malloc'd buffer. NULL when out of memory. */
unsigned char *output_encode(const struct filter *f, size_t *len);

/* Write F to PATH as a LUCIDBPF file. 0 or -1 with the reason in R. */
int output_blob(const char *path, const struct filter *f, struct report *r);

/* Write F to PATH as C defining `const unsigned char NAME[]` (8-byte
 * aligned, so bpfblob_parse can use it in place) and
 * `const unsigned long NAME_len`; ORIGIN goes into the header comment. */
int output_c_array(const char *path, const char *name, const char *origin, const struct filter *f, struct report *r);

/* Write LEN bytes of DATA to PATH (0644): whole or not at all, through a
 * temporary next to PATH renamed over it; a PATH that exists and is not a
 * regular file (/dev/stdout, a FIFO) is written in place. 0 or -1 with the
 * reason in R. */
int output_file(const char *path, const void *data, size_t len, struct report *r);

/* Whether output_file could write PATH: 0, or -1 with the reason in R. */
int output_check(const char *path, struct report *r);

/* NAME is a C identifier of at most 64 characters. */
int output_valid_symbol(const char *name);

#endif

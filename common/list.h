/* Comma lists ("NET_BIND_SERVICE,NET_RAW", "200-299,304", "TERM:QUIT,USR1:0"),
 * split in one place: on the command line and in LUCID_* variables alike. */
#ifndef LUCID_LIST_H
#define LUCID_LIST_H

#include <stddef.h>

#define LIST_ITEM_MAX 64 /* bytes of one item, its NUL included */

/* fn(item, ctx) for each SEP-separated item of LIST, in order, item being a
 * NUL-terminated copy; an empty item ("a,,b", a trailing ',') is passed as
 * "", for fn to skip or refuse. An empty LIST has no items. 0 when every
 * call returned 0, else the first -1; or -1 with errno E2BIG before any
 * call of fn for an item of LIST_ITEM_MAX bytes or more. */
int list_each(const char *list, char sep, int (*fn)(const char *item, void *ctx), void *ctx);

#endif

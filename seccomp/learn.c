/* The learner's record and the profile made of it; see learn.h. */
#include "seccomp/learn.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <seccomp.h>

#include "common/fmt.h"
#include "seccomp/json.h"

static const struct {
	const char *name;
	int index;
} arg_rules[] = {
	{ "clone", 0 },	      /* flags: namespaces, threads, fork */
	{ "socket", 0 },      /* address family */
	{ "personality", 0 }, /* persona */
	{ "prctl", 0 },	      /* option */
	{ "ioctl", 1 },	      /* request */
};

/* What an x86_64-only call is on aarch64, which has only the *at and
 * flag-taking forms. fork and vfork become clone with their flags. */
static const struct {
	const char *x86;
	const char *arm;
} counterparts[] = {
	{ "access", "faccessat" },
	{ "alarm", "setitimer" },
	{ "chmod", "fchmodat" },
	{ "chown", "fchownat" },
	{ "creat", "openat" },
	{ "dup2", "dup3" },
	{ "epoll_create", "epoll_create1" },
	{ "epoll_wait", "epoll_pwait" },
	{ "eventfd", "eventfd2" },
	{ "futimesat", "utimensat" },
	{ "getdents", "getdents64" },
	{ "getpgrp", "getpgid" },
	{ "inotify_init", "inotify_init1" },
	{ "lchown", "fchownat" },
	{ "link", "linkat" },
	{ "lstat", "newfstatat" },
	{ "mkdir", "mkdirat" },
	{ "mknod", "mknodat" },
	{ "open", "openat" },
	{ "pause", "ppoll" },
	{ "pipe", "pipe2" },
	{ "poll", "ppoll" },
	{ "readlink", "readlinkat" },
	{ "rename", "renameat" },
	{ "rmdir", "unlinkat" },
	{ "select", "pselect6" },
	{ "signalfd", "signalfd4" },
	{ "stat", "newfstatat" },
	{ "symlink", "symlinkat" },
	{ "unlink", "unlinkat" },
	{ "utime", "utimensat" },
	{ "utimes", "utimensat" },
};
/* What no program can do without, called or not: ending a thread, returning
 * from a signal handler (the first SIGTERM may come after learning), and
 * restarting an interrupted call. */
static const char *const always[] = { "exit", "exit_group", "restart_syscall", "rt_sigreturn" };

static bool is_always(const char *name)
{
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strcmp(name, always[i]) == 0)
			return true;
	return false;
}

/* What the runtime calls between installing the container's filter and
 * exec'ing the entrypoint, which no learner inside the container can see:
 * runc's init (Go) sets the user and capabilities, looks the entrypoint up,
 * signals its parent through a FIFO, closes every fd above the passed ones
 * by listing /proc/self/fd, and execs; the Go runtime on that thread may
 * take a lock, sleep, grow its heap or handle a signal. crun needs a subset.
 * Written as lucidInitOnly: the runtime's filter only, never the service's. */
static const char *const runtime_calls[] = {
	"access",	  "arch_prctl",
	"capget",	  "capset",
	"chdir",	  "clone",
	"close",	  "close_range",
	"dup3",		  "epoll_create1",
	"epoll_ctl",	  "epoll_pwait",
	"execve",	  "execveat",
	"faccessat",	  "faccessat2",
	"fchdir",	  "fcntl",
	"fstat",	  "fstatfs",
	"futex",	  "getcwd",
	"getdents64",	  "getegid",
	"geteuid",	  "getgid",
	"getpid",	  "getppid",
	"getrandom",	  "gettid",
	"getuid",	  "lstat",
	"madvise",	  "mmap",
	"mprotect",	  "munmap",
	"nanosleep",	  "newfstatat",
	"openat",	  "pipe2",
	"prctl",	  "read",
	"readlinkat",	  "rt_sigaction",
	"rt_sigprocmask", "sched_getaffinity",
	"sched_yield",	  "setgid",
	"setgroups",	  "setresgid",
	"setresuid",	  "setsid",
	"setuid",	  "sigaltstack",
	"stat",		  "tgkill",
	"umask",	  "write",
};

/* clone's flags for fork (musl; glibc) and vfork on aarch64. */
static const uint64_t fork_flags[] = { 0x11, 0x1200011 };
static const uint64_t vfork_flags[] = { 0x4111 };

static const char learned_comment[] =
	"Learned by lucid-seccomp learn: what the learned runs called, and nothing else. Add runs with --merge; "
	"everything else fails with EPERM.";

int learn_arg_index(const char *name)
{
	for (size_t i = 0; i < sizeof(arg_rules) / sizeof(arg_rules[0]); i++)
		if (strcmp(name, arg_rules[i].name) == 0)
			return arg_rules[i].index;
	return -1;
}

static int nr_of(size_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch_targets[arch].token, name);
}

static bool exists_on(size_t arch, const char *name)
{
	int nr = nr_of(arch, name);

	return nr >= 0 && nr < LEARN_MAX_NR;
}

int learn_init(struct learned *l)
{
	for (size_t a = 0; a < 2; a++) {
		for (size_t nr = 0; nr < LEARN_MAX_NR; nr++)
			l->arg_index[a][nr] = -1;
		for (size_t i = 0; i < sizeof(arg_rules) / sizeof(arg_rules[0]); i++) {
			int nr = nr_of(a, arg_rules[i].name);

			if (nr < 0 || nr >= LEARN_MAX_NR)
				continue;
			l->arg_index[a][nr] = arg_rules[i].index;
			l->calls[a][nr].values = calloc(LEARN_MAX_VALUES, sizeof(struct learn_value));
			if (!l->calls[a][nr].values)
				return -1;
		}
	}
	return 0;
}

void learn_free(struct learned *l)
{
	for (size_t i = 0; i < l->nbase; i++)
		free(l->base[i]);
	free(l->base);
	l->base = NULL;
	l->nbase = 0;
	for (size_t a = 0; a < 2; a++)
		for (size_t nr = 0; nr < LEARN_MAX_NR; nr++)
			free(l->calls[a][nr].values);
}

static struct learn_value *find_value(const struct learn_call *c, uint64_t v)
{
	for (unsigned i = 0; i < c->nvalues; i++)
		if (c->values[i].value == v)
			return &c->values[i];
	return NULL;
}

bool learn_is_new(const struct learned *l, size_t arch, int nr, const uint64_t args[6], unsigned phase)
{
	const struct learn_call *c;
	const struct learn_value *v;

	if (nr < 0 || nr >= LEARN_MAX_NR)
		return true;
	c = &l->calls[arch][nr];
	if (!(c->phases & phase))
		return true;
	if (l->arg_index[arch][nr] < 0 || (c->any_value & phase))
		return false;
	v = find_value(c, args[l->arg_index[arch][nr]]);
	return !v || !(v->phases & phase);
}

int learn_record(struct learned *l, size_t arch, int nr, const uint64_t args[6], unsigned phase)
{
	struct learn_call *c;
	struct learn_value *v;

	if (nr < 0 || nr >= LEARN_MAX_NR) {
		l->foreign++;
		return -1;
	}
	l->ran[arch] = true;
	c = &l->calls[arch][nr];
	c->phases |= phase;
	if (l->arg_index[arch][nr] < 0 || (c->any_value & phase))
		return 0;
	v = find_value(c, args[l->arg_index[arch][nr]]);
	if (v) {
		v->phases |= phase;
	} else if (c->nvalues < LEARN_MAX_VALUES) {
		c->values[c->nvalues].value = args[l->arg_index[arch][nr]];
		c->values[c->nvalues++].phases = phase;
	} else {
		c->any_value |= phase;
	}
	return 0;
}

/* P with the init phase made the service's when AS_SERVICE. */
static unsigned phases(unsigned p, bool as_service)
{
	return as_service && (p & LEARN_INIT) ? (p & ~(unsigned)LEARN_INIT) | LEARN_SERVICE : p;
}

void learn_add(struct learned *dst, const struct learned *src, bool init_as_service)
{
	for (size_t i = 0; i < src->nbase; i++)
		(void)learn_add_base_entry(dst, src->base[i]);
	for (size_t a = 0; a < 2; a++) {
		dst->ran[a] |= src->ran[a];
		for (int nr = 0; nr < LEARN_MAX_NR; nr++) {
			const struct learn_call *c = &src->calls[a][nr];
			uint64_t args[6] = { 0 };
			int index = src->arg_index[a][nr];

			if (!c->phases)
				continue;
			dst->calls[a][nr].phases |= phases(c->phases, init_as_service);
			dst->calls[a][nr].any_value |= phases(c->any_value, init_as_service);
			for (unsigned i = 0; index >= 0 && i < c->nvalues; i++) {
				args[index] = c->values[i].value;
				learn_record(dst, a, nr, args, phases(c->values[i].phases, init_as_service));
			}
		}
	}
}

int learn_add_base_entry(struct learned *l, const char *text)
{
	char **grown;

	for (size_t i = 0; i < l->nbase; i++)
		if (strcmp(l->base[i], text) == 0)
			return 0;
	grown = realloc(l->base, (l->nbase + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	l->base = grown;
	if (!(l->base[l->nbase] = strdup(text)))
		return -1;
	l->nbase++;
	return 0;
}

/* ENTRY, compact, marked as the base's, into L. 0 or -1 (out of memory). */
static int add_marked(struct learned *l, const cJSON *entry)
{
	cJSON *copy = cJSON_Duplicate(entry, 1);
	char *text;
	int rc = -1;

	if (!copy)
		return -1;
	if (!cJSON_GetObjectItemCaseSensitive(copy, "lucidBase") && !cJSON_AddTrueToObject(copy, "lucidBase"))
		goto out;
	text = cJSON_PrintUnformatted(copy);
	if (text) {
		rc = learn_add_base_entry(l, text);
		cJSON_free(text);
	}
out:
	cJSON_Delete(copy);
	return rc;
}

int learn_add_base(struct learned *l, const char *path, const char *text, size_t len, struct report *r)
{
	cJSON *root = json_parse(path, text, len, r);
	const cJSON *syscalls, *entry;
	int rc = -1;

	if (!root)
		return -1;
	syscalls = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	if (!cJSON_IsArray(syscalls)) {
		report_error(r, "%s: no syscalls array", path);
		goto out;
	}
	cJSON_ArrayForEach (entry, syscalls) {
		if (!cJSON_IsObject(entry) || add_marked(l, entry) < 0) {
			report_error(r, "%s: a syscalls[] entry that is not an object (or out of memory)", path);
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- reading a learned profile back ---- */

/* The arches an entry applies to (a bit per arch_targets index). */
static int entry_arches(const struct learned *l, const cJSON *entry, unsigned *mask, const char *where,
			struct report *r)
{
	const cJSON *inc = json_optional(entry, "includes");
	const cJSON *arches, *one;
	const struct target_arch *t;

	*mask = (l->ran[0] ? 1u : 0) | (l->ran[1] ? 2u : 0);
	if (!inc)
		return 0;
	arches = cJSON_GetObjectItemCaseSensitive(inc, "arches");
	one = cJSON_IsArray(arches) && cJSON_GetArraySize(arches) == 1 ? arches->child : NULL;
	t = one && cJSON_IsString(one) ? arch_by_name(one->valuestring) : NULL;
	if (!cJSON_IsObject(inc) || cJSON_GetArraySize(inc) != 1 || !t) {
		report_error(r, "%s: includes other than one arch: not written by learn", where);
		return -1;
	}
	*mask &= t == &arch_targets[0] ? 1u : 2u;
	return 0;
}

/* args[] of a learned entry: every condition "index I, value V, op EQ" on
 * the one argument learn keeps for NAME. */
static int merge_args(struct learned *l, const char *name, const cJSON *args, unsigned mask, unsigned phase,
		      const char *where, struct report *r)
{
	int index = learn_arg_index(name);
	const cJSON *cond;

	if (index < 0) {
		report_error(r, "%s: argument rules for %s: not written by learn", where, name);
		return -1;
	}
	cJSON_ArrayForEach (cond, args) {
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(cond, "op");
		const cJSON *idx = cJSON_GetObjectItemCaseSensitive(cond, "index");
		uint64_t v, i;

		if (!cJSON_IsString(op) || strcmp(op->valuestring, "SCMP_CMP_EQ") != 0 || json_u64(idx, 5, &i) < 0 ||
		    i != (uint64_t)index ||
		    json_u64(cJSON_GetObjectItemCaseSensitive(cond, "value"), UINT64_MAX, &v) < 0 ||
		    json_optional(cond, "valueTwo")) {
			report_error(
				r, "%s: an argument rule other than \"index %d, op SCMP_CMP_EQ\": not written by learn",
				where, index);
			return -1;
		}
		for (size_t a = 0; a < 2; a++) {
			uint64_t vals[6] = { 0 };

			vals[index] = v;
			if ((mask & (1u << a)) && exists_on(a, name))
				learn_record(l, a, nr_of(a, name), vals, phase);
		}
	}
	return 0;
}

static int merge_entry(struct learned *l, const cJSON *entry, const char *where, struct report *r)
{
	static const char *const keys[] = {
		"names", "action", "args", "includes", "lucidInitOnly", "lucidDerived", NULL
	};
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(entry, "names");
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(entry, "action");
	const cJSON *args = json_optional(entry, "args");
	const cJSON *name;
	unsigned phase = cJSON_IsTrue(json_optional(entry, "lucidInitOnly")) ? LEARN_INIT : LEARN_SERVICE;
	unsigned mask;
	struct report ignored = { 0 };

	if (cJSON_IsTrue(json_optional(entry, "lucidDerived")))
		return 0; /* made again from what was learned */
	if (cJSON_IsTrue(json_optional(entry, "lucidBase"))) {
		if (add_marked(l, entry) < 0) {
			report_error(r, "%s: out of memory", where);
			return -1;
		}
		return 0;
	}
	json_warn_unknown_keys(entry, keys, where, &ignored);
	if (ignored.nwarnings || !cJSON_IsArray(names) || !cJSON_IsString(action) ||
	    strcmp(action->valuestring, "SCMP_ACT_ALLOW") != 0) {
		report_error(r, "%s: not an entry learn writes (names, SCMP_ACT_ALLOW, args on one argument)", where);
		return -1;
	}
	if (entry_arches(l, entry, &mask, where, r) < 0)
		return -1;
	if (args && (!cJSON_IsArray(args) || cJSON_GetArraySize(names) != 1)) {
		report_error(r, "%s: argument rules for more than one name: not written by learn", where);
		return -1;
	}
	cJSON_ArrayForEach (name, names) {
		if (!cJSON_IsString(name)) {
			report_error(r, "%s: a name that is not a string", where);
			return -1;
		}
		if (args) {
			if (merge_args(l, name->valuestring, args, mask, phase, where, r) < 0)
				return -1;
			continue;
		}
		for (size_t a = 0; a < 2; a++) {
			int nr = nr_of(a, name->valuestring);
			struct learn_call *c;

			if (!(mask & (1u << a)) || nr < 0 || nr >= LEARN_MAX_NR)
				continue;
			c = &l->calls[a][nr];
			c->phases |= phase;
			if (l->arg_index[a][nr] >= 0)
				c->any_value |= phase;
		}
	}
	return 0;
}

int learn_merge(struct learned *l, const char *path, const char *text, size_t len, struct report *r)
{
	cJSON *root = json_parse(path, text, len, r);
	const cJSON *arches, *item, *syscalls;
	char where[160];
	struct buf b;
	size_t i = 0;
	int rc = -1;

	if (!root)
		return -1;
	arches = cJSON_GetObjectItemCaseSensitive(root, "lucidLearnedArches");
	if (!cJSON_IsArray(arches) || cJSON_GetArraySize(arches) == 0) {
		report_error(r, "%s: not a profile written by lucid-seccomp learn (no lucidLearnedArches)", path);
		goto out;
	}
	cJSON_ArrayForEach (item, arches) {
		const struct target_arch *t = cJSON_IsString(item) ? arch_by_name(item->valuestring) : NULL;

		if (!t) {
			report_error(r, "%s: lucidLearnedArches: x86_64 or aarch64", path);
			goto out;
		}
		l->ran[t - arch_targets] = true;
	}
	syscalls = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	if (!cJSON_IsArray(syscalls)) {
		report_error(r, "%s: no syscalls array", path);
		goto out;
	}
	cJSON_ArrayForEach (item, syscalls) {
		buf_init(&b, where, sizeof where);
		buf_fmt(&b, "%s: syscalls[%zu]", path, i++);
		if (merge_entry(l, item, where, r) < 0)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* ---- writing ---- */

struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *grown;

		while (cap < t->len + n + 1)
			cap *= 2;
		grown = realloc(t->s, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->s = grown;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

static void put_u64(struct text *t, uint64_t v)
{
	char mem[24];
	struct buf b;

	buf_init(&b, mem, sizeof mem);
	buf_u64(&b, v);
	put(t, mem);
}

/* A name and the arches (bits) it goes to. */
struct item {
	char *name;
	unsigned mask;
};

struct list {
	struct item *items;
	size_t n;
};

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}

static int add_item(struct list *list, const char *name, unsigned mask)
{
	struct item *grown;

	for (size_t i = 0; i < list->n; i++) {
		if (strcmp(list->items[i].name, name) == 0) {
			list->items[i].mask |= mask;
			return 0;
		}
	}
	grown = realloc(list->items, (list->n + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	list->items = grown;
	if (!(list->items[list->n].name = strdup(name)))
		return -1;
	list->items[list->n++].mask = mask;
	return 0;
}

static bool has_item(const struct list *list, const char *name, unsigned mask)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->items[i].name, name) == 0 && (list->items[i].mask & mask) == mask)
			return true;
	return false;
}

static void free_list(struct list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].name);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

struct writer {
	const struct learned *l;
	struct text t;
	bool first_entry;
	size_t rules;
	struct list allowed; /* every name any entry allows, for the counts */
	struct list service; /* ... and those the service's filter allows */
};

static void entry_open(struct writer *w, const char *comment)
{
	put(&w->t, w->first_entry ? "\n    {\n" : ",\n    {\n");
	w->first_entry = false;
	w->rules++;
	if (comment) {
		put(&w->t, "      \"comment\": \"");
		put(&w->t, comment);
		put(&w->t, "\",\n");
	}
}

/* The rest of an entry after its names: action, args, includes, markers. */
static void entry_close(struct writer *w, unsigned mask, unsigned phase, bool counterpart)
{
	put(&w->t, "      \"action\": \"SCMP_ACT_ALLOW\"");
	if (mask != 3) {
		put(&w->t, ",\n      \"includes\": { \"arches\": [\"");
		put(&w->t, arch_targets[mask == 1 ? 0 : 1].goarch);
		put(&w->t, "\"] }");
	}
	if (phase == LEARN_INIT)
		put(&w->t, ",\n      \"lucidInitOnly\": true");
	if (counterpart)
		put(&w->t, ",\n      \"lucidDerived\": true");
	put(&w->t, "\n    }");
}

static void count_name(struct writer *w, const char *name, unsigned phase)
{
	if (add_item(&w->allowed, name, 0) < 0 || (phase == LEARN_SERVICE && add_item(&w->service, name, 0) < 0))
		w->t.oom = true;
}

static void put_names(struct writer *w, const struct list *list, unsigned mask, unsigned phase)
{
	bool first = true;

	put(&w->t, "      \"names\": [");
	for (size_t i = 0; i < list->n; i++) {
		if (list->items[i].mask != mask)
			continue;
		put(&w->t, first ? "\n        \"" : ",\n        \"");
		put(&w->t, list->items[i].name);
		put(&w->t, "\"");
		first = false;
		count_name(w, list->items[i].name, phase);
	}
	put(&w->t, "\n      ],\n");
}

static size_t count_mask(const struct list *list, unsigned mask)
{
	size_t n = 0;

	for (size_t i = 0; i < list->n; i++)
		n += list->items[i].mask == mask;
	return n;
}

/* One entry per 16 values of NAME (sorted), as "args" conditions. */
static void put_values(struct writer *w, const char *name, const uint64_t *values, size_t n, unsigned mask,
		       unsigned phase, bool counterpart, const char *comment)
{
	int index = learn_arg_index(name);

	for (size_t start = 0; start < n; start += LEARN_VALUES_PER_RULE) {
		entry_open(w, comment);
		put(&w->t, "      \"names\": [\"");
		put(&w->t, name);
		put(&w->t, "\"],\n      \"args\": [");
		for (size_t i = start; i < n && i < start + LEARN_VALUES_PER_RULE; i++) {
			put(&w->t, i == start ? "\n        { \"index\": " : ",\n        { \"index\": ");
			put_u64(&w->t, (uint64_t)index);
			put(&w->t, ", \"value\": ");
			put_u64(&w->t, values[i]);
			put(&w->t, ", \"op\": \"SCMP_CMP_EQ\" }");
		}
		put(&w->t, "\n      ],\n");
		entry_close(w, mask, phase, counterpart);
	}
	if (n)
		count_name(w, name, phase);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether a call is allowed in PHASE without an argument rule, and for the
 * first phase it counts in (the service's wins over the init's). */
static bool unconditional(const struct learned *l, size_t a, size_t nr, unsigned phase)
{
	const struct learn_call *c = &l->calls[a][nr];
	unsigned bits = l->arg_index[a][nr] >= 0 ? c->any_value : c->phases;

	if (phase == LEARN_INIT && (bits & LEARN_SERVICE))
		return false;
	return (bits & phase) != 0;
}

/* The arches a name seen on SEEN (bits) is written for: those seen when
 * both arches were learned; otherwise the learned one, and the other one
 * too when the name exists there. */
static unsigned arches_for(const struct learned *l, const char *name, unsigned seen)
{
	if (l->ran[0] && l->ran[1])
		return seen;
	for (size_t a = 0; a < 2; a++)
		if (!l->ran[a] && exists_on(a, name))
			seen |= 1u << a;
	return seen;
}

static void write_phase(struct writer *w, unsigned phase)
{
	const struct learned *l = w->l;
	const bool init = phase == LEARN_INIT;
	struct list names = { 0 }, counter = { 0 };
	size_t learned_arch = l->ran[0] ? 0 : 1;

	for (size_t a = 0; a < 2; a++) {
		for (size_t nr = 0; nr < LEARN_MAX_NR; nr++) {
			char *name;

			if (!l->ran[a] || !unconditional(l, a, nr, phase))
				continue;
			name = seccomp_syscall_resolve_num_arch(arch_targets[a].token, (int)nr);
			if (!name)
				continue;
			if (is_always(name)) {
				free(name);
				continue;
			}
			if (add_item(&names, name, 1u << a) < 0)
				w->t.oom = true;
			free(name);
		}
	}
	for (size_t i = 0; i < names.n; i++)
		names.items[i].mask = arches_for(l, names.items[i].name, names.items[i].mask);
	if (names.n)
		qsort(names.items, names.n, sizeof(*names.items), cmp_item);
	if (count_mask(&names, 3)) {
		entry_open(
			w,
			init ? "Called by lucid-init (or the runtime) before the service's own filter, on both arches."
			     : "Called on both arches.");
		put_names(w, &names, 3, phase);
		entry_close(w, 3, phase, false);
	}
	for (size_t a = 0; a < 2; a++) {
		if (!count_mask(&names, 1u << a))
			continue;
		entry_open(w, a == 0 ? (init ? "Called by lucid-init before the service's filter; x86_64 only."
					     : "Called on x86_64; these syscalls do not exist on aarch64.")
				     : (init ? "Called by lucid-init before the service's filter; aarch64 only."
					     : "Called on aarch64; these syscalls do not exist on x86_64."));
		put_names(w, &names, 1u << a, phase);
		entry_close(w, 1u << a, phase, false);
	}
	/* Learned on x86_64 only: what its x86_64-only calls are on aarch64. */
	if (!(l->ran[0] && l->ran[1]) && learned_arch == 0) {
		bool fork = false, vfork = false;

		for (size_t i = 0; i < names.n; i++) {
			if (names.items[i].mask != 1)
				continue;
			fork |= strcmp(names.items[i].name, "fork") == 0;
			vfork |= strcmp(names.items[i].name, "vfork") == 0;
			for (size_t k = 0; k < sizeof(counterparts) / sizeof(counterparts[0]); k++)
				if (strcmp(names.items[i].name, counterparts[k].x86) == 0 &&
				    !has_item(&names, counterparts[k].arm, 2) &&
				    add_item(&counter, counterparts[k].arm, 2) < 0)
					w->t.oom = true;
		}
		if (counter.n) {
			qsort(counter.items, counter.n, sizeof(*counter.items), cmp_item);
			entry_open(w, "Not learned: what the x86_64-only calls above are on aarch64.");
			put_names(w, &counter, 2, phase);
			entry_close(w, 2, phase, true);
		}
		if (fork)
			put_values(w, "clone", fork_flags, 2, 2, phase, true, "Not learned: fork on aarch64.");
		if (vfork)
			put_values(w, "clone", vfork_flags, 1, 2, phase, true, "Not learned: vfork on aarch64.");
	}
	/* Argument rules: the values seen, per syscall. */
	for (size_t k = 0; k < sizeof(arg_rules) / sizeof(arg_rules[0]); k++) {
		const char *name = arg_rules[k].name;
		uint64_t values[2 * LEARN_MAX_VALUES];
		size_t n = 0;
		unsigned seen = 0;

		for (size_t a = 0; a < 2; a++) {
			int nr = nr_of(a, name);
			const struct learn_call *c;

			if (!l->ran[a] || nr < 0 || nr >= LEARN_MAX_NR || unconditional(l, a, (size_t)nr, phase) ||
			    (l->calls[a][nr].any_value & LEARN_SERVICE))
				continue;
			c = &l->calls[a][nr];
			for (unsigned i = 0; i < c->nvalues; i++) {
				unsigned p = c->values[i].phases;
				bool dup = false;

				if (init ? (p & LEARN_SERVICE) || !(p & LEARN_INIT) : !(p & LEARN_SERVICE))
					continue;
				seen |= 1u << a;
				for (size_t j = 0; j < n; j++)
					dup |= values[j] == c->values[i].value;
				if (!dup)
					values[n++] = c->values[i].value;
			}
		}
		if (n)
			qsort(values, n, sizeof(values[0]), cmp_u64);
		put_values(w, name, values, n, arches_for(l, name, seen), phase, false,
			   init ? "Called by lucid-init before the service's filter, with these values only."
				: "Called with these values only.");
	}
	free_list(&names);
	free_list(&counter);
}

/* runtime_calls, per arch they exist on. */
static void write_runtime(struct writer *w)
{
	struct list list = { 0 };

	for (size_t i = 0; i < sizeof(runtime_calls) / sizeof(runtime_calls[0]); i++) {
		unsigned mask = (exists_on(0, runtime_calls[i]) ? 1u : 0) | (exists_on(1, runtime_calls[i]) ? 2u : 0);

		if (mask && add_item(&list, runtime_calls[i], mask) < 0)
			w->t.oom = true;
	}
	if (list.n)
		qsort(list.items, list.n, sizeof(*list.items), cmp_item);
	for (unsigned mask = 3; mask >= 1; mask--) {
		if (!count_mask(&list, mask))
			continue;
		entry_open(
			w,
			mask == 3
				? "Not learned: what the runtime (runc, crun) calls after installing this profile and "
				  "before the entrypoint runs."
				: "Not learned: the same, on one arch.");
		put_names(w, &list, mask, LEARN_INIT);
		entry_close(w, mask, LEARN_INIT, true);
	}
	free_list(&list);
}

char *learn_write(const struct learned *l, struct learn_counts *c)
{
	struct writer w = { .l = l, .first_entry = true };
	bool first = true;

	put(&w.t, "{\n  \"comment\": \"");
	put(&w.t, learned_comment);
	put(&w.t, "\",\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": 1,\n"
		  "  \"archMap\": [\n"
		  "    { \"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [] },\n"
		  "    { \"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [] }\n"
		  "  ],\n  \"lucidLearnedArches\": [");
	for (size_t a = 0; a < 2; a++) {
		if (!l->ran[a])
			continue;
		put(&w.t, first ? "\"" : ", \"");
		put(&w.t, arch_targets[a].name);
		put(&w.t, "\"");
		first = false;
	}
	put(&w.t, "],\n  \"syscalls\": [");
	entry_open(&w, "Allowed whether called or not: no program can do without these.");
	put(&w.t, "      \"names\": [");
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		put(&w.t, i ? ", \"" : "\"");
		put(&w.t, always[i]);
		put(&w.t, "\"");
		count_name(&w, always[i], LEARN_SERVICE);
	}
	put(&w.t, "],\n");
	entry_close(&w, 3, LEARN_SERVICE, true);
	write_phase(&w, LEARN_SERVICE);
	write_phase(&w, LEARN_INIT);
	write_runtime(&w);
	for (size_t i = 0; i < l->nbase; i++) {
		cJSON *entry = cJSON_Parse(l->base[i]);
		const cJSON *action = cJSON_GetObjectItemCaseSensitive(entry, "action");

		put(&w.t, ",\n    ");
		put(&w.t, l->base[i]);
		w.rules++;
		if (cJSON_IsString(action) && strcmp(action->valuestring, "SCMP_ACT_ALLOW") == 0) {
			const cJSON *name;

			cJSON_ArrayForEach (name, cJSON_GetObjectItemCaseSensitive(entry, "names"))
				if (cJSON_IsString(name))
					count_name(
						&w, name->valuestring,
						cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, "lucidInitOnly"))
							? LEARN_INIT
							: LEARN_SERVICE);
		}
		cJSON_Delete(entry);
	}
	entry_open(&w, "glibc and musl fall back to clone on ENOSYS; clone3's flags cannot be filtered.");
	put(&w.t, "      \"names\": [\"clone3\"],\n      \"action\": \"SCMP_ACT_ERRNO\",\n      \"errnoRet\": 38,\n"
		  "      \"lucidDerived\": true\n    }");
	put(&w.t, "\n  ]\n}\n");
	c->service = w.service.n;
	c->all = w.allowed.n;
	c->rules = w.rules;
	free_list(&w.allowed);
	free_list(&w.service);
	if (w.t.oom) {
		free(w.t.s);
		return NULL;
	}
	return w.t.s;
}

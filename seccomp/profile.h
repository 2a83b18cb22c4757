/* A seccomp profile (Docker's JSON schema, a superset of OCI's) resolved
 * for one target arch and one build context: archMap expanded,
 * includes/excludes evaluated, names resolved to that arch's syscalls,
 * actions reduced to libseccomp's. compile.c turns it into BPF. */
#ifndef LUCID_SECCOMP_PROFILE_H
#define LUCID_SECCOMP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>
#include <seccomp.h>

#include "seccomp/arch.h"
#include "seccomp/report.h"

#define RULE_MAX_CONDS 16 /* args[] entries per rule */
#define PROFILE_MAX_RULES 1024
#define PROFILE_MAX_NAMES 4096 /* names over all rules */
#define CONTEXT_MAX_CAPS 64

/* What includes/excludes are evaluated against, as Docker evaluates them
 * against the container it is creating. */
struct build_context {
	const char *caps[CONTEXT_MAX_CAPS]; /* "CAP_SYS_ADMIN", ... */
	size_t ncaps;
	/* The oldest kernel the filter must run on; 0.0 satisfies no minKernel. */
	unsigned kernel_major, kernel_minor;
	/* The filter as the runtime applies it to the whole container, with the
	 * rules marked "lucidInitOnly": true. Otherwise (the default) the filter
	 * lucid-init installs for the service, without them. */
	bool runtime;
};

struct cond {
	unsigned index;
	enum scmp_compare op;
	uint64_t value;	    /* MASKED_EQ: the mask */
	uint64_t value_two; /* MASKED_EQ: what (arg & mask) must equal */
};

struct rule {
	size_t index;	   /* position in the profile's syscalls[] */
	const cJSON *json; /* that entry */
	uint32_t action;   /* libseccomp action, errno/trace data included */
	bool conditional;  /* it had includes or excludes, and they matched */
	size_t nsyscalls;
	const char **names; /* syscalls that exist on the target arch, into the JSON */
	size_t nconds;
	struct cond conds[RULE_MAX_CONDS];
};

struct skipped_name {
	const char *name; /* into the JSON */
	size_t rule;	  /* index in syscalls[] */
	bool unknown;	  /* unknown to libseccomp, rather than absent on this arch */
};

struct profile {
	const char *path; /* for messages */
	const struct target_arch *arch;
	cJSON *root;
	uint32_t default_action;
	uint32_t flags;	    /* SECCOMP_FILTER_FLAG_* from "flags" */
	uint32_t compat[2]; /* sub-arches the filter also covers (0 = none) */
	struct rule *rules; /* the rules that apply, minus those equal to the default */
	size_t nrules;
	size_t rules_total;	/* entries in syscalls[] */
	size_t rules_excluded;	/* dropped by includes/excludes */
	size_t rules_default;	/* dropped: action equals the default action */
	size_t rules_init_only; /* dropped: lucidInitOnly, in the service's filter */
	size_t names_init_only; /* the names those rules carry on this arch */
	size_t rules_conditional;
	struct skipped_name *skipped;
	size_t nskipped;
	size_t nnames;	   /* distinct syscalls named by the rules that apply */
	int max_nr;	   /* the highest of them on the target arch, -1 if none */
	int compat_max[2]; /* the same for compat[i] (x32 without its bit), -1 if none */
	bool names_clone3;
	unsigned char named[128]; /* bitmap of the target numbers below 1024 named */
	struct report report;
};

/* Resolve the profile TEXT (LEN bytes, NUL-terminated), read from PATH, for
 * ARCH and CTX into P, which the caller zeroes first. 0, or -1 with the reason
 * in P->report.error. Warnings (unknown keys, skipped names) go to
 * P->report either way. profile_free releases P in both cases. */
int profile_load(struct profile *p, const char *path, const char *text, size_t len, const struct target_arch *arch,
		 const struct build_context *ctx);
void profile_free(struct profile *p);

/* "SCMP_ACT_ERRNO" plus optional errnoRet into a libseccomp action, as runc
 * does: ERRNO and TRACE without errnoRet mean EPERM, KILL is KILL_THREAD.
 * NOTIFY is refused. 0 or -1 with the reason in R (prefixed with WHERE). */
int action_parse(const cJSON *action, const cJSON *errno_ret, uint32_t *out, const char *where, struct report *r);

/* The profile spelling of ACTION ("SCMP_ACT_ERRNO"), its data in *RET. */
const char *action_name(uint32_t action, unsigned *ret);

/* Parse "X.Y" into a kernel version. 0 or -1. */
int kernel_version_parse(const char *s, unsigned *major, unsigned *minor);

/* Add CAP ("SYS_ADMIN" or "CAP_SYS_ADMIN", any case) to CTX, normalised to
 * "CAP_SYS_ADMIN" in STORAGE (at least 64 bytes, kept by the caller). 0 or -1. */
int context_add_cap(struct build_context *ctx, const char *cap, char *storage, size_t size);

/* rule.c: resolve syscalls[INDEX] into P (appending to P->rules when it
 * applies and differs from the default). 0 or -1 with the reason in P->report. */
int rule_load(struct profile *p, const cJSON *entry, size_t index, const struct build_context *ctx);

#endif

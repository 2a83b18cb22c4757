/* What `lucid-seccomp learn` saw, and the profile it makes of it.
 *
 * The record is per arch and per syscall number: whether the call was made,
 * and in which phase. A call made by a task under a filter of its own
 * (stacked on the learner's: lucid-init's, installed right before the
 * service execs) is the service's; a call made only before that (lucid-init
 * dropping privileges, installing the filter) is the init's, written as
 * "lucidInitOnly": true, which the runtime's filter keeps and the service's
 * leaves out. A run in which no task stacked a filter has no init phase:
 * everything is the service's.
 *
 * For the syscalls the shipped profiles filter by argument (learn_arg_index)
 * the values seen are kept too, and the profile allows those values only.
 *
 * The profile written is plain Docker/OCI JSON. It is also the record: --merge
 * reads a learned profile back (learn_merge) into the same sets, so merging
 * is a union and merging a profile into itself changes nothing. */
#ifndef LUCID_SECCOMP_LEARN_H
#define LUCID_SECCOMP_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp/arch.h"
#include "seccomp/report.h"

#define LEARN_MAX_NR 1024	 /* syscall numbers recorded, per arch */
#define LEARN_MAX_VALUES 64	 /* argument values kept per syscall; more: any value */
#define LEARN_VALUES_PER_RULE 16 /* args[] entries per written rule (rule.c's limit) */

enum { LEARN_INIT = 1, LEARN_SERVICE = 2 }; /* phase bits */

struct learn_value {
	uint64_t value;
	unsigned phases;
};

struct learn_call {
	unsigned phases;    /* seen without an argument rule, or at all */
	unsigned any_value; /* phases in which more than LEARN_MAX_VALUES values were seen */
	unsigned nvalues;
	struct learn_value *values; /* only for an argument-filtered syscall */
};

struct learned {
	struct learn_call calls[2][LEARN_MAX_NR]; /* [arch_targets index][nr] */
	int arg_index[2][LEARN_MAX_NR];		  /* which argument is kept, -1: none */
	bool ran[2];				  /* a run or a merged profile covered this arch */
	uint64_t foreign;			  /* calls of another arch or number, not recorded */
	char **base;				  /* --base: its syscalls[] entries, verbatim (compact JSON) */
	size_t nbase;
};

/* Set L up (the caller zeroes it first). 0, or -1 when out of memory. */
int learn_init(struct learned *l);
void learn_free(struct learned *l);

/* The argument a profile filters syscall NAME by (clone, socket,
 * personality and prctl: 0; ioctl: 1), or -1. */
int learn_arg_index(const char *name);

/* Whether recording NR with ARGS on ARCH (an arch_targets index) in PHASE
 * would add anything: the hot path asks this before finding out the phase. */
bool learn_is_new(const struct learned *l, size_t arch, int nr, const uint64_t args[6], unsigned phase);

/* Record one call. 0; -1 when NR is out of range (counted in L->foreign). */
int learn_record(struct learned *l, size_t arch, int nr, const uint64_t args[6], unsigned phase);

/* Add everything SRC holds to DST (set up by learn_init). With
 * INIT_AS_SERVICE, SRC's init phase counts as the service's: a run in which
 * no task stacked a filter of its own has no init phase. */
void learn_add(struct learned *dst, const struct learned *src, bool init_as_service);

/* Add the learned profile PATH (TEXT, LEN bytes, NUL-terminated) to L.
 * Only what learn_write writes is taken; anything else is an error naming
 * the entry. 0, or -1 with the reason in R. */
int learn_merge(struct learned *l, const char *path, const char *text, size_t len, struct report *r);

struct learn_counts {
	size_t service; /* distinct names the service's filter allows, on some arch */
	size_t all;	/* ... the runtime's filter (lucidInitOnly rules too) */
	size_t rules;	/* entries of syscalls[] */
};

/* --base: add the syscalls[] entries of the profile PATH (TEXT, LEN bytes,
 * NUL-terminated) to L as they are, marked "lucidBase": true; the learner
 * is not told of the calls they allow, so the profile must allow them
 * whatever was called. 0, or -1 with the reason in R. */
int learn_add_base(struct learned *l, const char *path, const char *text, size_t len, struct report *r);

/* Add the entry TEXT (compact JSON) to L's base entries unless it is there. 0 or -1. */
int learn_add_base_entry(struct learned *l, const char *text);

/* L as a profile, into a malloc'd NUL-terminated buffer, and its counts for
 * the summary line in *C. NULL when out of memory. */
char *learn_write(const struct learned *l, struct learn_counts *c);

#endif

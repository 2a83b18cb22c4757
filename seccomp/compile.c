/* Profile → BPF; see compile.h for the ENOSYS prologue. */
#include "seccomp/compile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "common/io.h"

#define X32_SYSCALL_BIT 0x40000000u
#define PROLOGUE_MAX 32u

/* As runc: every default but a permissive one (ALLOW, LOG) gets the ENOSYS
 * stub, except an ERRNO(ENOSYS) default, which already is one. */
static bool has_prologue(const struct profile *p)
{
	uint32_t kind = p->default_action & SECCOMP_RET_ACTION_FULL;

	return kind != SCMP_ACT_ALLOW && kind != SCMP_ACT_LOG && p->default_action != SCMP_ACT_ERRNO(ENOSYS) &&
	       p->max_nr >= 0;
}

/* How many libseccomp rules RULE becomes for each of its syscalls: the
 * product of the condition counts per argument index. */
static size_t combinations(const struct rule *rule)
{
	size_t counts[6] = { 0 }, combos = 1;

	for (size_t i = 0; i < rule->nconds; i++)
		counts[rule->conds[i].index]++;
	for (size_t i = 0; i < 6; i++)
		combos *= counts[i] ? counts[i] : 1;
	return combos;
}

/* Add RULE for the syscall NAME: one libseccomp rule when no arg index
 * repeats; otherwise one per combination of the conditions, taking one
 * condition of each index, so conditions on one index are OR'd and
 * different indexes stay AND'd (runc ORs them all when an index repeats;
 * the two agree whenever every condition shares one index). */
static int add_rule(scmp_filter_ctx ctx, const struct rule *rule, const char *name, struct report *r)
{
	int nr = seccomp_syscall_resolve_name(name); /* libseccomp translates from native numbers */
	const struct cond *groups[6][RULE_MAX_CONDS];
	size_t counts[6] = { 0 }, pick[6] = { 0 }, combos = 1;
	struct scmp_arg_cmp cmp[6];
	int rc = 0;

	for (size_t i = 0; i < rule->nconds; i++) {
		const struct cond *c = &rule->conds[i];

		groups[c->index][counts[c->index]++] = c;
	}
	for (size_t i = 0; i < 6; i++)
		combos *= counts[i] ? counts[i] : 1;
	if (combos > COMPILE_MAX_COMBINATIONS) {
		report_error(r, "syscalls[%zu]: %s: more than %u argument combinations", rule->index, name,
			     COMPILE_MAX_COMBINATIONS);
		return -1;
	}
	for (size_t n = 0; n < combos && rc == 0; n++) {
		unsigned ncmp = 0;

		for (size_t i = 0; i < 6; i++) {
			if (counts[i] == 0)
				continue;
			const struct cond *c = groups[i][pick[i]];
			cmp[ncmp++] = (struct scmp_arg_cmp){ c->index, c->op, c->value, c->value_two };
		}
		rc = seccomp_rule_add_array(ctx, rule->action, nr, ncmp, ncmp ? cmp : NULL);
		for (size_t i = 0; i < 6; i++) { /* next combination, odometer style */
			if (counts[i] == 0)
				continue;
			if (++pick[i] < counts[i])
				break;
			pick[i] = 0;
		}
	}
	if (rc < 0) {
		report_error(r, "syscalls[%zu]: %s: libseccomp refused the rule: %s", rule->index, name, strerror(-rc));
		return -1;
	}
	return 0;
}

static int set_attrs(scmp_filter_ctx ctx, const struct profile *p)
{
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);

	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc == 0 && p->nnames > COMPILE_TREE_THRESHOLD)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	/* The kernel flags are not part of the BPF; set them anyway so the
	 * context describes the whole filter, and record them in the blob. */
	if (rc == 0 && (p->flags & SECCOMP_FILTER_FLAG_LOG))
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	if (rc == 0 && (p->flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW))
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
	return rc;
}

/* A libseccomp context holding P for its target arch only (plus enabled
 * sub-arches), whatever arch lucid-seccomp itself runs on. */
static scmp_filter_ctx build(const struct profile *p, struct report *r)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	/* Answer libseccomp's kernel feature probes with "everything" (API
	 * level 7): the filter is exported, not loaded, and the output must
	 * not depend on the build machine's kernel or on qemu-user. */
	if (seccomp_api_set(7) < 0) {
		report_error(r, "libseccomp: cannot set API level 7");
		return NULL;
	}
	ctx = seccomp_init(p->default_action);
	if (!ctx) {
		report_error(r, "libseccomp: seccomp_init failed");
		return NULL;
	}
	if (seccomp_arch_native() != p->arch->token) {
		rc = seccomp_arch_add(ctx, p->arch->token);
		if (rc == 0)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		if (p->compat[i])
			rc = seccomp_arch_add(ctx, p->compat[i]);
	}
	if (rc == 0)
		rc = set_attrs(ctx, p);
	if (rc < 0) {
		report_error(r, "libseccomp: setting up a %s filter: %s", p->arch->name, strerror(-rc));
		goto fail;
	}
	if (has_prologue(p) && !p->names_clone3 && p->default_action != SCMP_ACT_ERRNO(ENOSYS)) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name("clone3"), 0);
		if (rc < 0) {
			report_error(r, "libseccomp: clone3 → ENOSYS: %s", strerror(-rc));
			goto fail;
		}
	}
	/* libseccomp's time grows faster than linearly with the rules it holds
	 * (4096 two-argument rules take it 15 s here), and a filter of more than
	 * COMPILE_MAX_RULES could never fit the kernel's 4096 instructions:
	 * refuse at once rather than after minutes. */
	size_t total = 0;
	for (size_t i = 0; i < p->nrules; i++)
		total += combinations(&p->rules[i]) * p->rules[i].nsyscalls;
	if (total > COMPILE_MAX_RULES) {
		report_error(r,
			     "%s: the profile expands to %zu libseccomp rules for %s (argument values "
			     "times syscalls); more than %u cannot fit the kernel's 4096 instructions",
			     p->path, total, p->arch->name, COMPILE_MAX_RULES);
		goto fail;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		for (size_t j = 0; j < p->rules[i].nsyscalls; j++) {
			if (add_rule(ctx, &p->rules[i], p->rules[i].names[j], r) < 0)
				goto fail;
		}
	}
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

/* The ENOSYS prologue (compile.h), one section per AUDIT_ARCH value the
 * filter admits: the target's (on x86_64 also x32's, told apart by bit 30
 * of the number), then each sub-arch's (i386, arm), each with its own
 * highest named number. Jump targets are labels, resolved at the end. */
enum { L_NEXT = -1, L_ENOSYS = -2, L_FILTER = -3 };
struct emitter {
	struct sock_filter insn[PROLOGUE_MAX];
	int jt[PROLOGUE_MAX], jf[PROLOGUE_MAX]; /* labels, or 0 (next insn) */
	int section[PROLOGUE_MAX];		/* which section an insn is in */
	size_t n;
	int cur;
};

static void emit(struct emitter *e, uint16_t code, uint32_t k, int jt, int jf)
{
	e->insn[e->n] = (struct sock_filter){ code, 0, 0, k };
	e->jt[e->n] = jt;
	e->jf[e->n] = jf;
	e->section[e->n++] = e->cur;
}

/* One section: if the arch is AUDIT, syscalls above MAX (and, with
 * x32_max >= 0, x32 ones above it) get ENOSYS; -1 for MAX: no stub for the
 * native numbers (x32 only). Numbers with bit 30 are never native ones. */
static void section(struct emitter *e, uint32_t audit, int max, int x32_max)
{
	emit(e, BPF_JMP | BPF_JEQ | BPF_K, audit, 0, L_NEXT);
	emit(e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
	if (audit == AUDIT_ARCH_X86_64) {
		/* bit 30 set: x32's one instruction, else the native one after it */
		emit(e, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 0, 1);
		if (x32_max >= 0)
			emit(e, BPF_JMP | BPF_JGT | BPF_K, X32_SYSCALL_BIT | (uint32_t)x32_max, L_ENOSYS, L_FILTER);
		else
			emit(e, BPF_JMP | BPF_JA, 0, 0, 0), e->jt[e->n - 1] = L_FILTER;
	}
	if (max >= 0)
		emit(e, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max, L_ENOSYS, L_FILTER);
	else
		emit(e, BPF_JMP | BPF_JA, 0, 0, 0), e->jt[e->n - 1] = L_FILTER;
	e->cur++;
}

static size_t prologue(const struct profile *p, struct sock_filter *out)
{
	struct emitter e = { .n = 0, .cur = 0 };
	int x32 = -1;

	for (size_t i = 0; i < 2; i++)
		if (p->compat[i] == SCMP_ARCH_X32)
			x32 = p->compat_max[i];
	emit(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	e.cur = 1;
	section(&e, p->arch->audit, p->max_nr, x32);
	for (size_t i = 0; i < 2; i++) {
		if (p->compat[i] == SCMP_ARCH_X86 && p->compat_max[i] >= 0)
			section(&e, AUDIT_ARCH_I386, p->compat_max[i], -1);
		if (p->compat[i] == SCMP_ARCH_ARM && p->compat_max[i] >= 0)
			section(&e, AUDIT_ARCH_ARM, p->compat_max[i], -1);
	}
	size_t sections_end = e.n;
	emit(&e, BPF_JMP | BPF_JA, 0, 0, 0); /* no arch matched */
	e.jt[e.n - 1] = L_FILTER;
	size_t enosys = e.n;
	emit(&e, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
	size_t filter = e.n;

	for (size_t pc = 0; pc < e.n; pc++) {
		int labels[2] = { e.jt[pc], e.jf[pc] };
		uint32_t off[2];
		for (int j = 0; j < 2; j++) {
			size_t target = pc + 1 + (labels[j] > 0 ? (size_t)labels[j] : 0);
			if (labels[j] == L_ENOSYS)
				target = enosys;
			else if (labels[j] == L_FILTER)
				target = filter;
			else if (labels[j] == L_NEXT) {
				target = pc + 1;
				while (target < sections_end && e.section[target] == e.section[pc])
					target++;
			}
			off[j] = (uint32_t)(target - pc - 1);
		}
		out[pc] = e.insn[pc];
		if (BPF_CLASS(e.insn[pc].code) == BPF_JMP && BPF_OP(e.insn[pc].code) == BPF_JA) {
			out[pc].k = off[0];
		} else if (BPF_CLASS(e.insn[pc].code) == BPF_JMP) {
			out[pc].jt = (uint8_t)off[0];
			out[pc].jf = (uint8_t)off[1];
		}
	}
	return e.n;
}

int compile_filter(const struct profile *p, struct filter *out, struct report *r)
{
	scmp_filter_ctx ctx = build(p, r);
	struct sock_filter pro_insns[PROLOGUE_MAX];
	size_t size = 0;
	uint32_t pro = has_prologue(p) ? (uint32_t)prologue(p, pro_insns) : 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!ctx)
		return -1;
	rc = seccomp_export_bpf_mem(ctx, NULL, &size);
	if (rc < 0 || size % sizeof(struct sock_filter) != 0) {
		report_error(r, "libseccomp: exporting the %s filter: %s", p->arch->name,
			     rc < 0 ? strerror(-rc) : "a partial instruction");
		goto fail;
	}
	if (size / sizeof(struct sock_filter) + pro > 4096) {
		report_error(r, "the %s filter needs %zu instructions, more than the kernel's 4096", p->arch->name,
			     size / sizeof(struct sock_filter) + pro);
		goto fail;
	}
	out->insns = malloc(size + pro * sizeof(struct sock_filter));
	if (!out->insns) {
		report_error(r, "%s", strerror(ENOMEM));
		goto fail;
	}
	rc = seccomp_export_bpf_mem(ctx, out->insns + pro, &size);
	if (rc < 0) {
		report_error(r, "libseccomp: exporting the %s filter: %s", p->arch->name, strerror(-rc));
		goto fail;
	}
	memcpy(out->insns, pro_insns, pro * sizeof *pro_insns);
	out->count = (uint32_t)(size / sizeof(struct sock_filter)) + pro;
	out->prologue = pro;
	out->audit_arch = p->arch->audit;
	out->flags = p->flags;
	seccomp_release(ctx);
	return 0;
fail:
	filter_free(out);
	seccomp_release(ctx);
	return -1;
}

int compile_explain(const struct profile *p, int fd, struct report *r)
{
	scmp_filter_ctx ctx = build(p, r);
	char mem[512];
	struct buf b;
	int rc;

	if (!ctx)
		return -1;
	buf_init(&b, mem, sizeof(mem));
	buf_fmt(&b, "#\n# lucid-seccomp %s filter for %s, flags 0x%x\n", p->arch->name, p->path, p->flags);
	if (has_prologue(p)) {
		buf_fmt(&b,
			"# prologue, before libseccomp's program:\n"
			"#   if ($arch == %u && $syscall > %d && $syscall < %u) action ERRNO(%d);\n",
			(unsigned)p->arch->audit, p->max_nr, X32_SYSCALL_BIT, ENOSYS);
		for (size_t i = 0; i < 2; i++)
			if (p->compat[i] && p->compat_max[i] >= 0)
				buf_fmt(&b, "#   and for sub-arch %u: $syscall above %d: ERRNO(%d)\n",
					(unsigned)p->compat[i], p->compat_max[i], ENOSYS);
	} else {
		buf_str(&b, "# no ENOSYS prologue (a permissive or ENOSYS default action)\n");
	}
	/* write_all gives -1 and errno, libseccomp a negative errno. */
	rc = write_all(fd, buf_text(&b), buf_length(&b)) < 0 ? -errno : seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	if (rc != 0) {
		report_error(r, "writing the pseudo-filter code: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

void filter_free(struct filter *f)
{
	free(f->insns);
	f->insns = NULL;
	f->count = 0;
}

/* Profile → BPF; see compile.h for the ENOSYS prologue. */
#include "seccomp/compile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>

#define X32_SYSCALL_BIT 0x40000000u
#define PROLOGUE_LEN 6u

static bool has_prologue(const struct profile *p)
{
	return (p->default_action & SECCOMP_RET_ACTION_FULL) == SCMP_ACT_ERRNO(0) && p->max_nr >= 0;
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
		report_error(r, "syscalls[%zu]: %s: libseccomp refused the rule: %s", rule->index, name,
			     strerror(-rc));
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

static void prologue(const struct profile *p, struct sock_filter *f)
{
	f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, p->arch->audit, 0, 4);
	f[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)p->max_nr, 0, 2);
	f[4] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 1, 0);
	f[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
}

int compile_filter(const struct profile *p, struct filter *out, struct report *r)
{
	scmp_filter_ctx ctx = build(p, r);
	size_t size = 0;
	uint32_t pro = has_prologue(p) ? PROLOGUE_LEN : 0;
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
	if (pro)
		prologue(p, out->insns);
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
	if (has_prologue(p))
		buf_fmt(&b, "# prologue, before libseccomp's program:\n"
			     "#   if ($arch == %u && $syscall > %d && $syscall < %u) action ERRNO(%d);\n",
			(unsigned)p->arch->audit, p->max_nr, X32_SYSCALL_BIT, ENOSYS);
	else
		buf_str(&b, "# no ENOSYS prologue (the default action is not an ERRNO)\n");
	/* write_all gives -1 and errno, libseccomp a negative errno. */
	rc = write_all(fd, b.p, b.len) < 0 ? -errno : seccomp_export_pfc(ctx, fd);
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

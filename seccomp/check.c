/* `check`'s summary; see check.h. */
#include "seccomp/check.h"

#include <linux/seccomp.h>

static void action_text(struct buf *out, uint32_t action)
{
	unsigned ret;
	const char *name = action_name(action, &ret);

	buf_str(out, name);
	if ((action & SECCOMP_RET_ACTION_FULL) == SCMP_ACT_ERRNO(0) ||
	    (action & SECCOMP_RET_ACTION_FULL) == SCMP_ACT_TRACE(0))
		buf_fmt(out, "(%u)", ret);
}

void check_summary(const struct profile *p, const struct filter *f, struct buf *out)
{
	uint32_t seen[PROFILE_MAX_RULES];
	size_t nseen = 0;
	static const char *const flag_names[] = { "TSYNC", "LOG", "SPEC_ALLOW" };

	buf_fmt(out, "%s:\n  default action  ", p->arch->name);
	action_text(out, p->default_action);
	buf_fmt(out, "\n  rules           %zu of %zu apply", p->nrules, p->rules_total);
	for (size_t i = 0; i < p->nrules; i++) {
		uint32_t a = p->rules[i].action;
		size_t rules = 0, names = 0, k;

		for (k = 0; k < nseen && seen[k] != a; k++)
			;
		if (k < nseen)
			continue;
		seen[nseen++] = a;
		for (size_t j = i; j < p->nrules; j++) {
			if (p->rules[j].action == a) {
				rules++;
				names += p->rules[j].nsyscalls;
			}
		}
		buf_str(out, nseen == 1 ? ": " : ", ");
		action_text(out, a);
		buf_fmt(out, " %zu (%zu syscalls)", rules, names);
	}
	buf_fmt(out, "\n  dropped         %zu excluded by includes/excludes, %zu equal to the default\n",
		p->rules_excluded, p->rules_default);
	if (p->rules_init_only)
		buf_fmt(out, "  lucid-init only %zu rules (%zu syscalls), in the runtime's filter, not the service's\n",
			p->rules_init_only, p->names_init_only);
	buf_fmt(out, "  conditional     %zu applied\n  skipped names   ", p->rules_conditional);
	if (p->nskipped == 0)
		buf_str(out, "none");
	for (size_t i = 0; i < p->nskipped; i++)
		buf_fmt(out, "%s%s (%s)", i ? ", " : "", p->skipped[i].name,
			p->skipped[i].unknown ? "unknown" : "not on this arch");
	buf_str(out, "\n  flags           ");
	if (p->flags == 0)
		buf_str(out, "none");
	for (unsigned i = 0, first = 1; i < 3; i++) {
		if (p->flags & (1u << i)) {
			buf_fmt(out, "%sSECCOMP_FILTER_FLAG_%s", first ? "" : ", ", flag_names[i]);
			first = 0;
		}
	}
	buf_fmt(out, "\n  filter          %u instructions", f->count);
	if (f->prologue)
		buf_fmt(out, ", ENOSYS above syscall %d", p->max_nr);
	buf_fmt(out, ", %zu syscalls named%s\n", p->nnames, p->nnames > COMPILE_TREE_THRESHOLD ? " (binary tree)" : "");
}

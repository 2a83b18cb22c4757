/* lucid-seccomp's commands: load → resolve → compile/print/write.
 * See commands.h. */
#include "seccomp/commands.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/log.h"
#include "seccomp/check.h"
#include "seccomp/compile.h"
#include "seccomp/flatten.h"
#include "seccomp/json.h"
#include "seccomp/output.h"

static bool shown_before(const struct report *shown, const char *line)
{
	if (!shown)
		return false;
	if (strcmp(shown->error, line) == 0)
		return true;
	for (size_t i = 0; i < shown->nwarnings; i++)
		if (strcmp(shown->warnings[i], line) == 0)
			return true;
	return false;
}

/* Print R, leaving out lines SHOWN (if any) already printed: check loads a
 * profile once per arch, and what is not about the arch is said once. */
static void print_report(const struct report *r, const struct report *shown)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		if (!shown_before(shown, r->warnings[i]))
			log_warn("%s", r->warnings[i]);
	if (r->lost)
		log_warn("%zu more warnings", r->lost);
	if (r->error[0] && !shown_before(shown, r->error))
		log_error("%s", r->error);
}

/* Read and resolve O's profile for ARCH into P; warnings printed, skipped
 * names reported one per line (errors with --strict). 0 or -1. */
static int load(const struct options *o, const struct target_arch *arch, struct profile *p, const struct report *shown)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if (json_read_file(o->profile, &text, &len, &p->report) < 0) {
		print_report(&p->report, shown);
		return -1;
	}
	rc = profile_load(p, o->profile, text, len, arch, &o->ctx);
	free(text);
	if (rc == 0) {
		for (size_t i = 0; i < p->nskipped; i++) {
			const struct skipped_name *s = &p->skipped[i];
			char why[64];
			struct buf b;

			buf_init(&b, why, sizeof(why));
			if (s->unknown)
				buf_str(&b, "unknown syscall");
			else
				buf_fmt(&b, "no such syscall on %s", arch->name);
			if (o->strict)
				log_error("%s: syscalls[%zu]: %s: %s", o->profile, s->rule, s->name, why);
			else
				log_warn("%s: syscalls[%zu]: %s: %s, skipped", o->profile, s->rule, s->name, why);
		}
		if (o->strict && p->nskipped > 0)
			report_error(&p->report, "%s: %zu syscall names do not exist on %s (--strict)", o->profile,
				     p->nskipped, arch->name);
	}
	print_report(&p->report, shown);
	return p->report.error[0] ? -1 : 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int command_compile(const struct options *o)
{
	struct profile p;
	struct filter f = { 0 };
	struct report r = { 0 };
	int rc = -1;

	if (load(o, o->arch, &p, NULL) < 0 || compile_filter(&p, &f, &r) < 0)
		goto out;
	if (o->c_array)
		rc = output_c_array(o->out, o->c_array, base_name(o->profile), &f, &r);
	else
		rc = output_blob(o->out, &f, &r);
out:
	print_report(&r, NULL);
	filter_free(&f);
	profile_free(&p);
	return rc;
}

#define SUMMARY_MAX (64u * 1024 - 1)

/* Write B to stdout; a summary cut short by its buffer says so. */
static int flush_summary(struct buf *b, const char *arch)
{
	if (buf_truncated(b))
		log_warn("the %s summary is longer than %u bytes: cut there", arch, SUMMARY_MAX);
	if (write_all(STDOUT_FILENO, buf_text(b), buf_length(b)) < 0) {
		log_error("writing the summary to stdout: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int command_check(const struct options *o)
{
	static char mem[SUMMARY_MAX + 1];
	struct buf b;
	int rc = 0;

	static struct report first; /* what the first arch's load said */

	for (size_t i = 0; i < 2; i++) {
		struct profile p;
		struct filter f = { 0 };
		struct report r = { 0 };
		bool unreadable = false;

		buf_init(&b, mem, sizeof(mem));
		int loaded = load(o, &arch_targets[i], &p, i ? &first : NULL);
		if (i == 0)
			first = p.report;
		if (loaded < 0 || compile_filter(&p, &f, &r) < 0) {
			print_report(&r, NULL);
			rc = -1;
			unreadable = p.root == NULL; /* no file or not JSON: say it once */
		} else {
			check_summary(&p, &f, &b);
			if (flush_summary(&b, arch_targets[i].name) < 0)
				rc = -1;
		}
		filter_free(&f);
		profile_free(&p);
		if (unreadable)
			break;
	}
	if (rc == 0) {
		buf_init(&b, mem, sizeof(mem));
		buf_fmt(&b, "%s: valid\n", o->profile);
		rc = flush_summary(&b, "final");
	}
	return rc;
}

int command_explain(const struct options *o)
{
	struct profile p;
	struct report r = { 0 };
	int rc = -1;

	if (load(o, o->arch, &p, NULL) == 0)
		rc = compile_explain(&p, STDOUT_FILENO, &r);
	print_report(&r, NULL);
	profile_free(&p);
	return rc;
}

int command_flatten(const struct options *o)
{
	struct profile p;
	struct report r = { 0 };
	cJSON *flat = NULL;
	char *text = NULL;
	int rc = -1;

	if (load(o, o->arch, &p, NULL) < 0)
		goto out;
	flat = flatten_profile(&p);
	text = flat ? cJSON_Print(flat) : NULL;
	if (!text) {
		report_error(&r, "%s: out of memory flattening", o->profile);
		goto out;
	}
	rc = output_file(o->out, text, strlen(text), &r);
out:
	print_report(&r, NULL);
	free(text);
	cJSON_Delete(flat);
	profile_free(&p);
	return rc;
}

#include "init/audit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/exits.h"
#include "common/ascii.h"
#include "common/io.h"
#include "common/fmt.h"
#include "common/log.h"
#include "init/fdscan.h"

const char *audit_violation(const struct proc_status *st)
{
	for (int i = 0; i < 4; i++)
		if (st->uid[i] == 0)
			return "root uid";
	for (int i = 0; i < 4; i++)
		if (st->gid[i] == 0)
			return "root gid";
	for (size_t i = 0; i < st->n_groups; i++)
		if (st->groups[i] == 0)
			return "root in supplementary groups";
	if (st->groups_truncated)
		return "too many supplementary groups to check";
	if (st->cap_eff || st->cap_prm || st->cap_inh || st->cap_amb)
		return "has capabilities";
	/* The bounding set only limits what execve could grant; with
	 * no_new_privs execve grants nothing, so it is listed, not judged. */
	if (st->no_new_privs != 1)
		return "no_new_privs not set";
	if (st->seccomp != 2)
		return "no seccomp filter";
	return NULL;
}

static void flush_line(struct buf *b)
{
	buf_char(b, '\n');
	(void)write_all(STDOUT_FILENO, buf_text(b), buf_length(b));
	buf_clear(b);
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void json_str(struct buf *b, const char *s)
{
	buf_char(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_char(b, '\\');
			buf_char(b, (char)c);
		} else if (c < 0x20) {
			buf_fmt(b, "\\u00%c%c", ascii_hex_digit(c >> 4), ascii_hex_digit(c));
		} else {
			buf_char(b, (char)c);
		}
	}
	buf_char(b, '"');
}

static void hex64(struct buf *b, uint64_t v)
{
	char digits[17];

	for (int i = 15; i >= 0; i--, v >>= 4)
		digits[i] = ascii_hex_digit((unsigned)v);
	buf_mem(b, digits, 16);
}

static void groups_text(struct buf *b, const struct proc_status *st, const char *sep)
{
	for (size_t i = 0; i < st->n_groups; i++)
		buf_fmt(b, "%s%u", i ? sep : "", (unsigned)st->groups[i]);
}

/* A count, or null when unknown (-1). */
static void json_count(struct buf *b, const char *key, long v)
{
	if (v < 0)
		buf_fmt(b, ",\"%s\":null", key);
	else
		buf_fmt(b, ",\"%s\":%ld", key, v);
}

static void print_json(struct buf *b, const struct proc_status *st, const struct fd_census *fds, const char *cmd,
		       const char *violation, bool self, bool first)
{
	buf_fmt(b, "%s{\"pid\":%d,\"ppid\":%d,\"state\":\"%c\",\"name\":", first ? "" : ",", (int)st->pid,
		(int)st->ppid, st->state ? st->state : '?');
	json_str(b, st->name);
	buf_fmt(b, ",\"uid\":[%u,%u,%u,%u],\"gid\":[%u,%u,%u,%u],\"groups\":[", st->uid[0], st->uid[1], st->uid[2],
		st->uid[3], st->gid[0], st->gid[1], st->gid[2], st->gid[3]);
	groups_text(b, st, ",");
	const struct {
		const char *key;
		uint64_t v;
	} caps[] = {
		{ "cap_eff", st->cap_eff }, { "cap_prm", st->cap_prm }, { "cap_inh", st->cap_inh },
		{ "cap_bnd", st->cap_bnd }, { "cap_amb", st->cap_amb },
	};
	buf_str(b, "]");
	for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
		buf_fmt(b, ",\"%s\":\"", caps[i].key);
		hex64(b, caps[i].v);
		buf_char(b, '"');
	}
	buf_fmt(b, ",\"no_new_privs\":%d,\"seccomp\":%d,\"seccomp_filters\":%d,\"cmdline\":", st->no_new_privs,
		st->seccomp, st->seccomp_filters);
	json_str(b, cmd);
	json_count(b, "fds", fds->open);
	json_count(b, "foreign_fds", fds->foreign);
	buf_fmt(b, ",\"audit_process\":%s,\"compliant\":%s", self ? "true" : "false", violation ? "false" : "true");
	if (violation) {
		buf_str(b, ",\"violation\":");
		json_str(b, violation);
	}
	buf_char(b, '}');
}

static void print_text(struct buf *b, const struct proc_status *st, const struct fd_census *fds, const char *cmd,
		       const char *violation, bool self)
{
	buf_fmt(b, "%d\t%d\t%c\t%u/%u\t", (int)st->pid, (int)st->ppid, st->state ? st->state : '?', st->uid[1],
		st->gid[1]);
	groups_text(b, st, ",");
	if (!st->n_groups)
		buf_char(b, '-');
	const uint64_t caps[] = { st->cap_eff, st->cap_prm, st->cap_bnd, st->cap_amb };
	for (size_t i = 0; i < 4; i++) {
		buf_char(b, '\t');
		hex64(b, caps[i]);
	}
	buf_fmt(b, "\t%d\t%d/%d\t", st->no_new_privs, st->seccomp, st->seccomp_filters);
	if (fds->open < 0)
		buf_char(b, '?');
	else
		buf_fmt(b, "%ld", fds->open);
	if (fds->foreign > 0)
		buf_fmt(b, "!%ld", fds->foreign);
	buf_fmt(b, "\t%s\t", self ? "audit" : violation ? violation : "ok");
	buf_str(b, cmd[0] ? cmd : st->name);
}

int audit_main(int argc, char **argv)
{
	pid_t *pids;
	size_t n;
	char line[8192], cmd[1024];
	struct buf b;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			log_error("audit: unknown argument '%s' (audit [--json])", argv[i]);
			return EXIT_USAGE;
		}
	}
	/* Every process or none: an audit that passed over some would say
	 * COMPLIANT about processes it never saw. */
	if (procfs_list_pids(&pids, &n) < 0) {
		log_error("audit: listing /proc: %s", strerror(errno));
		return EXIT_SETUP;
	}

	buf_init(&b, line, sizeof line - 1);
	if (json)
		buf_str(&b, "{\"processes\":[");
	else
		buf_str(&b,
			"PID\tPPID\tSTATE\tUID/GID\tGROUPS\tCAPEFF\tCAPPRM\tCAPBND\tCAPAMB\tNNP\tSECCOMP\tFDS\tVERDICT\tCMDLINE");
	flush_line(&b);

	pid_t self = getpid();
	int bad = 0, seen = 0, unreadable = 0;
	for (size_t i = 0; i < n; i++) {
		struct proc_status st;
		if (procfs_read_status(pids[i], &st) < 0) {
			if (errno == ENOENT || errno == ESRCH)
				continue; /* exited meanwhile */
			/* Hidden (hidepid) or unparsable: never pass it by omission. */
			log_error("audit: /proc/%d/status: %s", (int)pids[i], strerror(errno));
			unreadable++;
			continue;
		}
		if (procfs_read_cmdline(pids[i], cmd, sizeof cmd) < 0)
			cmd[0] = '\0';
		bool is_self = pids[i] == self;
		const char *violation = audit_violation(&st);
		struct fd_census fds;
		if (fdscan_census(pids[i], &fds) < 0)
			fds.open = fds.foreign = fds.first_foreign = -1;
		char why[80];
		if (!violation && fds.foreign > 0) {
			struct buf w;
			buf_init(&w, why, sizeof why);
			buf_fmt(&w, "fd %ld is on a mount of another mount namespace", fds.first_foreign);
			violation = why;
		}
		/* The audit itself runs with whatever `exec` gave it; it is listed
		 * but not judged. */
		if (violation && !is_self)
			bad++;
		if (json)
			print_json(&b, &st, &fds, cmd, violation, is_self, seen == 0);
		else
			print_text(&b, &st, &fds, cmd, violation, is_self);
		seen++;
		flush_line(&b);
	}

	free(pids);
	bad += unreadable;
	bool has_shell = access("/bin/sh", F_OK) == 0;
	if (json) {
		buf_fmt(&b, "],\"bin_sh\":%s,\"noncompliant\":%d,\"compliant\":%s}", has_shell ? "true" : "false", bad,
			bad ? "false" : "true");
		flush_line(&b);
	} else {
		buf_fmt(&b, "/bin/sh: %s", has_shell ? "present" : "absent");
		flush_line(&b);
		buf_fmt(&b, "%s: %d of %d processes not confined", bad ? "NONCOMPLIANT" : "COMPLIANT", bad,
			seen - 1 + unreadable);
		flush_line(&b);
	}
	return bad ? 1 : 0;
}

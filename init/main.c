/* lucid-init: PID 1 for distroless containers.
 * parse -> close inherited fds -> decide the identity and the filter -> take
 * over signals -> drop -> watch the parent -> spawn (confining itself before
 * the service may exec) -> forward and reap until the service exits ->
 * drain -> exit with its status. */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/exits.h"
#include "common/log.h"
#include "init/audit.h"
#include "init/confine.h"
#include "init/fds.h"
#include "init/filter.h"
#include "init/options.h"
#include "init/privdrop.h"
#include "init/reap.h"
#include "init/signals.h"
#include "init/spawn.h"
#include "init/supervise.h"
#include "init/sys.h"

/* Who the service will be (plan->id). Root drops to --user (default 65532:65532) unless
 * that is uid 0; anyone else keeps its identity and cannot ask for another.
 * 0 with *drop set when a drop is due (plan filled in), or -1 after logging why. */
static int choose_identity(const struct init_options *o, struct drop_plan *plan, bool *drop)
{
	struct identity *id = &plan->id;
	char mem[512];
	struct buf why;

	buf_init(&why, mem, sizeof mem);
	*drop = false;
	if (geteuid() != 0) {
		if (o->n_keep_caps) {
			log_error("--cap needs lucid-init to start as root (it runs as uid %u)", (unsigned)geteuid());
			return -1;
		}
		if (!o->user)
			return 0;
		if (identity_resolve(o->user, "/etc/passwd", "/etc/group", id, &why) < 0) {
			log_error("--user %s: %s", o->user, mem);
			return -1;
		}
		if (id->uid != geteuid() || id->gid != getegid()) {
			log_error("--user %s: cannot become %u:%u without root (lucid-init runs as %u:%u)", o->user,
				  (unsigned)id->uid, (unsigned)id->gid, (unsigned)geteuid(), (unsigned)getegid());
			return -1;
		}
		return 0;
	}

	const char *spec = o->user ? o->user : "65532:65532";
	if (identity_resolve(spec, "/etc/passwd", "/etc/group", id, &why) < 0) {
		log_error("--user %s: %s; the service was not started", spec, mem);
		return -1;
	}
	if (id->uid == 0) {
		log_warn("--user %s: the service runs as root with the container's capabilities", spec);
		return 0;
	}
	plan->keep = o->keep_caps;
	plan->n_keep = o->n_keep_caps;
	if (privdrop_precheck(plan, &why) < 0) {
		log_error("%s", mem);
		return -1;
	}
	*drop = true;
	return 0;
}

/* How the init confines itself (init/confine.h), decided before the fork. */
static struct confine_plan confine;

/* In the parent, right after the fork: the init lets go of the directory it
 * was started in (the service keeps the image's WORKDIR), so it pins no
 * mount, then confines itself. */
static int before_service_exec(void)
{
	if (chdir("/") < 0)
		log_warn("chdir /: %s", strerror(errno));
	return confine_self(&confine);
}

/* --pdeathsig, after the drop (a change of uid or gid clears it). 0 with
 * *already set when the parent died before it was in place, or -1. */
static int watch_parent(int sig, pid_t parent, bool *already)
{
	*already = false;
	if (!sig)
		return 0;
	if (sys_prctl(PR_SET_PDEATHSIG, (unsigned long)sig) < 0) {
		log_error("prctl(PR_SET_PDEATHSIG): %s; the service was not started", strerror(errno));
		return -1;
	}
	*already = getppid() != parent;
	return 0;
}

int main(int argc, char **argv)
{
	struct init_options opt;
	char errmem[512];
	struct buf err;

	log_setup("lucid-init", 0);
	if (argc > 1 && strcmp(argv[1], "audit") == 0)
		return audit_main(argc - 1, argv + 1);

	buf_init(&err, errmem, sizeof errmem);
	switch (options_parse(&opt, argc, argv, environ, &err)) {
	case OPTIONS_EXIT_OK:
		return 0;
	case OPTIONS_USAGE:
		log_error("%s (see --help)", errmem);
		return EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	log_setup("lucid-init", opt.verbosity);

	/* First, before anything of ours is open: what the runtime leaked
	 * above fd 2 is closed, so neither the init nor the service holds it. */
	struct fd_plan fds;
	buf_init(&err, errmem, sizeof errmem);
	fds_plan(opt.keep_fds, environ, getpid(), &fds, &err);
	if (buf_length(&err))
		log_warn("%s", errmem);
	if (fds_close_inherited(&fds) < 0) {
		log_error("closing inherited fds: %s; the service was not started", strerror(errno));
		return EXIT_SETUP;
	}

	pid_t parent = getppid();
	bool pid1 = getpid() == 1;
	if (!pid1 && sys_prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		log_error("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		return EXIT_SETUP;
	}

	struct drop_plan drop_plan = { 0 };
	bool drop;
	if (choose_identity(&opt, &drop_plan, &drop) < 0)
		return EXIT_SETUP;

	struct bpfblob filter_storage;
	const struct bpfblob *filter;
	buf_init(&err, errmem, sizeof errmem);
	if (filter_choose(opt.seccomp, &filter_storage, &filter, &err) < 0) {
		log_error("%s; the service was not started", errmem);
		return EXIT_SETUP;
	}
	if (!filter)
		log_warn("--seccomp none: neither the service nor lucid-init is seccomp-filtered");
	confine.filter = filter != NULL;

	sigset_t waitset;
	struct saved_signals saved;
	signals_wait_set(&waitset);
	if (signals_take_over(&waitset, &saved) < 0) {
		log_error("blocking signals: %s", strerror(errno));
		return EXIT_SETUP;
	}

	/* One drop, before the fork: the service inherits it, and the init
	 * itself is already non-root when the service starts. */
	const char *step;
	if (drop && drop_privileges(&drop_plan, &step) < 0) {
		log_error("%s (dropping to %u:%u): %s; the service was not started", step, (unsigned)drop_plan.id.uid,
			  (unsigned)drop_plan.id.gid, strerror(errno));
		return EXIT_SETUP;
	}
	confine.empty_caps = drop && drop_plan.n_keep;
	bool orphaned;
	if (watch_parent(opt.pdeathsig, parent, &orphaned) < 0)
		return EXIT_SETUP;

	bool tty = isatty(STDIN_FILENO);

	struct spawn_plan plan = {
		.argv = opt.command,
		.saved = &saved,
		.tty = tty,
		.listen_pid = fds.listen_pid,
		.parent_ready = before_service_exec,
		.filter = filter,
		.waitset = &waitset,
	};
	struct children kids = { 0 };
	switch (spawn_service(&plan, &kids.main_pid)) {
	case SPAWN_OK:
		break;
	case SPAWN_NOT_FOUND:
		return EXIT_NOT_FOUND;
	case SPAWN_NOT_EXEC:
		return EXIT_NOT_EXECUTABLE;
	case SPAWN_SETUP_FAILED:
		return EXIT_SETUP;
	}
	log_debug("service %s started as pid %d", opt.command[0], (int)kids.main_pid);

	const struct supervise_plan sup = {
		.waitset = &waitset,
		.process_group = opt.process_group,
		.grace_ms = opt.grace_ms,
		.rewrite = opt.rewrite,
		.self = getpid(),
		.pid1 = pid1,
		.tty = tty,
		.first_signal = orphaned ? opt.pdeathsig : 0,
	};
	supervise(&kids, &sup);
	const struct drain_plan leftovers = { .off = opt.drain_off, .term_ms = opt.drain_ms, .pid1 = pid1 };
	drain(&kids, &waitset, &leftovers);

	int code = exit_code_of(kids.main_status, opt.exit_zero, opt.n_exit_zero);
	log_debug("service exited; exiting with %d", code);
	return code;
}

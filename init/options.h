/* lucid-init's command line and LUCID_INIT_* environment, in the one
 * convention of common/cli.h: an option on the command line replaces its
 * variable; a variable that is read and invalid, or unknown, is a usage
 * error, never silently ignored. */
#ifndef LUCID_INIT_OPTIONS_H
#define LUCID_INIT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"
#include "init/fds.h"
#include "init/signames.h"

#define MAX_KEEP_CAPS 16
#define MAX_EXIT_ZERO 256 /* every exit code, each once */

struct init_options {
	const char *user;		   /* --user SPEC; NULL: 65532:65532 when root */
	unsigned keep_caps[MAX_KEEP_CAPS]; /* --cap NAME, as capability numbers */
	size_t n_keep_caps;
	bool process_group;	      /* -g: signal the child's process group */
	int exit_zero[MAX_EXIT_ZERO]; /* -e CODE: these exit codes become 0 */
	size_t n_exit_zero;
	bool drain_off;		     /* --drain off: leftovers are left alone */
	uint64_t drain_ms;	     /* --drain N: SIGTERM, SIGKILL after N; 0: SIGKILL at once */
	uint64_t grace_ms;	     /* --grace: 0 = never escalate a forwarded SIGTERM */
	int rewrite[SIGNAL_MAX + 1]; /* --rewrite: what signal N is forwarded as; 0 = dropped */
	const char *seccomp;	     /* --seccomp default|none|FILE.bpf; NULL: default */
	unsigned keep_fds;	     /* --keep-fds N: fds 3..N+2 go on to the service */
	int pdeathsig;		     /* --pdeathsig: the signal to get when the parent dies; 0: none */
	int verbosity;		     /* -1: --quiet (errors only), 0, 1: -v */
	char **command;		     /* after "--" */
};

enum options_result {
	OPTIONS_RUN,	 /* start the service */
	OPTIONS_EXIT_OK, /* --help or --version was printed */
	OPTIONS_USAGE,	 /* bad input; the one-line reason is in `err` */
};

#define DEFAULT_DRAIN_MS 2000u
#define MAX_DURATION_MS ((uint64_t)24 * 3600 * 1000)

/* Fill o from argv and envp (the command line replaces a variable; see
 * common/cli.h). Strings in o point into argv and envp. */
enum options_result options_parse(struct init_options *o, int argc, char **argv, char *const envp[], struct buf *err);

/* "NET_BIND_SERVICE", "cap_net_bind_service", "net_bind_service": the number, or -1. */
int capability_from_name(const char *name);

void options_usage(int fd);

#endif

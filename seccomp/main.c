/* lucid-seccomp: Docker/OCI seccomp profiles → LUCIDBPF filters for
 * lucid-init, plus check, explain and flatten. A build and CI tool.
 * Exit codes: 0 ok, 1 invalid profile or failed compile, 100 usage error;
 * learn: see seccomp/learner.h. */
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/exits.h"
#include "common/log.h"
#include "seccomp/cli.h"
#include "seccomp/commands.h"
#include "seccomp/learner.h"

int main(int argc, char **argv)
{
	static struct options options;
	struct report r = { 0 };
	int rc = -1;

	log_setup("lucid-seccomp", 0);
	if (options_parse(argc, argv, &options, &r) < 0) {
		log_error("%s (see --help)", r.error);
		return EXIT_USAGE;
	}
	switch (options.command) {
	case CMD_HELP:
		return write_all(STDOUT_FILENO, cli_help, strlen(cli_help)) < 0 ? EXIT_INVALID : 0;
	case CMD_VERSION:
		return write_all(STDOUT_FILENO, "lucid-seccomp " LUCID_VERSION "\n",
				 strlen("lucid-seccomp " LUCID_VERSION "\n")) < 0
			       ? EXIT_INVALID
			       : 0;
	case CMD_COMPILE:
		rc = command_compile(&options);
		break;
	case CMD_CHECK:
		rc = command_check(&options);
		break;
	case CMD_EXPLAIN:
		rc = command_explain(&options);
		break;
	case CMD_FLATTEN:
		rc = command_flatten(&options);
		break;
	case CMD_LEARN:
		return command_learn(&options);
	}
	return rc == 0 ? 0 : EXIT_INVALID;
}

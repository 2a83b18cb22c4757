#include "init/confine.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "common/log.h"
#include "init/filter.h"
#include "init/privdrop.h"
#include "init/sys.h"

int confine_self(const struct confine_plan *plan)
{
	const char *step = NULL;

	if (plan->empty_caps && drop_own_capabilities() < 0)
		step = "emptying lucid-init's own capabilities";
	else if (sys_prctl(PR_SET_NO_NEW_PRIVS, 1) < 0)
		step = "prctl(PR_SET_NO_NEW_PRIVS) on lucid-init";
	else if (sys_prctl(PR_SET_DUMPABLE, 0) < 0)
		step = "prctl(PR_SET_DUMPABLE) on lucid-init";
	else if (plan->filter && filter_install_self() < 0)
		step = "installing lucid-init's own seccomp filter";
	if (!step)
		return 0;
	log_error("%s: %s", step, strerror(errno));
	return -1;
}

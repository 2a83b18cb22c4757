#include "init/privdrop.h"

#include <cap-ng.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/parse.h"
#include "init/passwd.h"
#include "init/sys.h"

static bool is_number(const char *s)
{
	return *s >= '0' && *s <= '9';
}

int identity_resolve(const char *spec, const char *passwd_path, const char *group_path, struct identity *id,
		     struct buf *why)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	const char *group = colon ? colon + 1 : NULL;
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	uint64_t v;

	if (ulen == 0 || ulen >= sizeof user || (group && !*group)) {
		buf_fmt(why, "invalid user '%s' (UID[:GID] or NAME[:GROUP])", spec);
		return -1;
	}
	memcpy(user, spec, ulen);
	user[ulen] = '\0';

	if (is_number(user)) {
		if (parse_u64(user, UINT32_MAX - 1, &v) < 0) {
			buf_fmt(why, "invalid uid '%s'", user);
			return -1;
		}
		id->uid = (uid_t)v;
		/* UID:GROUP needs no primary group from passwd. */
		if (!group && passwd_by_uid(passwd_path, id->uid, &id->gid) < 0)
			id->gid = (gid_t)id->uid;
	} else {
		if (passwd_by_name(passwd_path, user, &id->uid, &id->gid) < 0) {
			buf_fmt(why, "user '%s' not found in %s%s%s", user, passwd_path, errno == ENOENT ? "" : ": ",
				errno == ENOENT ? "" : strerror(errno));
			return -1;
		}
	}

	if (group) {
		if (is_number(group)) {
			if (parse_u64(group, UINT32_MAX - 1, &v) < 0) {
				buf_fmt(why, "invalid gid '%s'", group);
				return -1;
			}
			id->gid = (gid_t)v;
		} else if (group_by_name(group_path, group, &id->gid) < 0) {
			buf_fmt(why, "group '%s' not found in %s%s%s", group, group_path, errno == ENOENT ? "" : ": ",
				errno == ENOENT ? "" : strerror(errno));
			return -1;
		}
	}
	return 0;
}

int privdrop_precheck(struct drop_plan *plan, struct buf *why)
{
	if (sys_capng_get_caps_process() < 0) {
		buf_fmt(why, "reading own capabilities: %s", strerror(errno));
		return -1;
	}
	if (!capng_have_capability(CAPNG_PERMITTED, CAP_SETUID) ||
	    !capng_have_capability(CAPNG_PERMITTED, CAP_SETGID)) {
		buf_str(why, "started as root without CAP_SETUID/CAP_SETGID, so the service cannot be "
			     "dropped to a non-root user: run the container as 65532 (e.g. --user 65532:65532) "
			     "or keep CAP_SETUID and CAP_SETGID");
		return -1;
	}
	for (size_t i = 0; i < plan->n_keep; i++) {
		if (!capng_have_capability(CAPNG_PERMITTED, plan->keep[i])) {
			const char *name = capng_capability_to_name(plan->keep[i]);
			buf_fmt(why,
				"--cap %s: lucid-init does not hold it, so it cannot pass it on "
				"(add it to the container, e.g. --cap-add %s)",
				name, name);
			return -1;
		}
	}
	plan->bounding = capng_have_capability(CAPNG_PERMITTED, CAP_SETPCAP);
	if (!plan->bounding)
		log_warn("no CAP_SETPCAP: the capability bounding set stays as the runtime set it "
			 "(no_new_privs keeps it from being used)");
	return 0;
}

/* capng_change_id's negative returns, as the step that failed. */
static const char *change_id_step(int rc)
{
	switch (rc) {
	case -2:
	case -7:
		return "prctl(PR_SET_KEEPCAPS)";
	case -3:
		return "capset (transition)";
	case -4:
		return "setresgid";
	case -8:
		return "bounding set";
	case -11:
		return "setgroups";
	case -6:
		return "setresuid";
	case -9:
		return "capset/ambient";
	default:
		return "capng_change_id";
	}
}

int drop_privileges(const struct drop_plan *plan, const char **step)
{
	const capng_type_t all = CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE | CAPNG_AMBIENT;
	const struct identity *id = &plan->id;

	/* Start from nothing: the capabilities to keep are added, all else is
	 * gone. (The precheck already read this process's sets.) */
	capng_clear(CAPNG_SELECT_ALL);
	for (size_t i = 0; i < plan->n_keep; i++) {
		*step = "selecting capabilities";
		if (capng_update(CAPNG_ADD, all | CAPNG_BOUNDING_SET, plan->keep[i]) < 0) {
			errno = EINVAL;
			return -1;
		}
	}

	capng_flags_t flags = CAPNG_DROP_SUPP_GRP;
	if (plan->bounding)
		flags |= CAPNG_APPLY_BOUNDING;

	errno = 0;
	int rc = sys_capng_change_id((int)id->uid, (int)id->gid, (int)flags);
	if (rc < 0) {
		*step = change_id_step(rc);
		if (!errno)
			errno = EPERM;
		return -1;
	}

	/* Verify rather than trust: the kernel must now report exactly this. */
	*step = "verifying the drop";
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (sys_getresuid(&ru, &eu, &su) < 0 || sys_getresgid(&rg, &eg, &sg) < 0)
		return -1; /* cannot know: fail, with the call's errno */
	int groups = sys_getgroups_count();
	if (groups < 0)
		return -1;
	if (ru != id->uid || eu != id->uid || su != id->uid || rg != id->gid || eg != id->gid || sg != id->gid ||
	    groups != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int drop_own_capabilities(void)
{
	capng_clear(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT);
	return sys_capng_apply(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) < 0 ? -1 : 0;
}

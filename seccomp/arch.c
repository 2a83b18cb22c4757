/* Architecture names; see arch.h. */
#include "seccomp/arch.h"

#include <string.h>
#include <linux/audit.h>
#include <seccomp.h>

#include "common/ascii.h"

const struct target_arch arch_targets[2] = {
	{ "x86_64", "amd64", "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
	{ "aarch64", "arm64", "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, { SCMP_ARCH_ARM, 0 } },
};

const struct target_arch *arch_by_name(const char *name)
{
	for (size_t i = 0; i < 2; i++) {
		if (strcmp(name, arch_targets[i].name) == 0 || strcmp(name, arch_targets[i].goarch) == 0)
			return &arch_targets[i];
	}
	return NULL;
}

size_t arch_index_of_audit(uint32_t audit)
{
	for (size_t i = 0; i < 2; i++)
		if (arch_targets[i].audit == audit)
			return i;
	return ARCH_NONE;
}

/* OCI spells libseccomp's arch names upper-case behind "SCMP_ARCH_". */
uint32_t arch_token_from_scmp(const char *scmp_name)
{
	static const char prefix[] = "SCMP_ARCH_";
	char lower[32];
	size_t n;

	if (strncmp(scmp_name, prefix, sizeof(prefix) - 1) != 0)
		return 0;
	scmp_name += sizeof(prefix) - 1;
	n = strlen(scmp_name);
	if (n == 0 || n >= sizeof(lower))
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (scmp_name[i] >= 'a' && scmp_name[i] <= 'z')
			return 0;
		lower[i] = ascii_lower(scmp_name[i]);
	}
	if (strcmp(lower, "native") == 0)
		return 0;
	return seccomp_arch_resolve_name(lower);
}

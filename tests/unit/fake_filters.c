/* Stand-ins for the filters build.zig embeds in lucid-init (init/filter.h):
 * each a valid LUCIDBPF blob for the arch the tests run on, whose program
 * allows everything, so the unit tests can link init/filter.c. */
#include <linux/audit.h>

#include "init/filter.h"

#if defined(__x86_64__)
#define ARCH_BYTES 0x3e, 0x00, 0x00, 0xc0 /* AUDIT_ARCH_X86_64, little-endian */
#elif defined(__aarch64__)
#define ARCH_BYTES 0xb7, 0x00, 0x00, 0xc0 /* AUDIT_ARCH_AARCH64 */
#endif

/* magic, version 1, arch, flags 0, one instruction: ret SECCOMP_RET_ALLOW */
#define ALLOW_ALL                                                                                                   \
	{                                                                                                           \
		'L', 'U', 'C', 'I', 'D', 'B', 'P', 'F', 1, 0, 0, 0, ARCH_BYTES, 0, 0, 0, 0, 1, 0, 0, 0, 0x06, 0x00, \
			0x00, 0x00, 0x00, 0x00, 0xff, 0x7f                                                          \
	}

_Alignas(8) const unsigned char lucid_filter_default[] = ALLOW_ALL;
_Alignas(8) const unsigned char lucid_filter_python[] = ALLOW_ALL;
_Alignas(8) const unsigned char lucid_filter_node[] = ALLOW_ALL;
_Alignas(8) const unsigned char lucid_filter_static[] = ALLOW_ALL;
_Alignas(8) const unsigned char lucid_self_filter[] = ALLOW_ALL;
const unsigned long lucid_filter_default_len = sizeof lucid_filter_default;
const unsigned long lucid_filter_python_len = sizeof lucid_filter_python;
const unsigned long lucid_filter_node_len = sizeof lucid_filter_node;
const unsigned long lucid_filter_static_len = sizeof lucid_filter_static;
const unsigned long lucid_self_filter_len = sizeof lucid_self_filter;

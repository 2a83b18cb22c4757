/* bpfpath FILE.bpf NR [ARG...]: the path one syscall takes through a
 * compiled filter (LUCIDBPF, common/bpfblob.h, of either arch), for
 * bench/filters.py. Runs the filter in the simulator (common/bpfsim.h) on
 * syscall NR of the file's arch with up to six ARGs (decimal, or hex with
 * 0x; the others 0) and prints one line:
 *   "action=A insns=N cached=yes|no"
 * A is ALLOW, LOG, ERRNO(e), TRAP, TRACE(d), USER_NOTIF, KILL_THREAD or
 * KILL_PROCESS; N the BPF instructions executed, the return included;
 * cached says whether Linux 5.11+ would answer the call from its action
 * cache without running the filter (ALLOW whatever the arguments: the path
 * loads nothing but nr and arch). N counts classic BPF instructions; the
 * kernel runs them JIT-compiled, so they are a measure of the path, not of
 * its time. Exit 0; 1 when FILE is unreadable or not a valid filter; 2 on
 * usage. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "common/bpfblob.h"
#include "common/bpfsim.h"
#include "common/fmt.h"
#include "common/io.h"
#include "common/log.h"
#include "common/parse.h"

#define MAX_BLOB (BPFBLOB_HEADER_SIZE + 8u * BPFBLOB_MAX_INSNS)

/* S as a number: decimal (parse_u64), or 0x and 1 to 16 hex digits. */
static int parse_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return parse_u64(s, UINT64_MAX, out);
	for (i = 2; s[i]; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (i - 2 == 16)
			break;
		v = v << 4 | d;
	}
	if (i == 2 || s[i]) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

static void action_name(struct buf *b, uint32_t ret)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		buf_str(b, "ALLOW");
		break;
	case SECCOMP_RET_LOG:
		buf_str(b, "LOG");
		break;
	case SECCOMP_RET_ERRNO:
		buf_fmt(b, "ERRNO(%u)", data);
		break;
	case SECCOMP_RET_TRAP:
		buf_str(b, "TRAP");
		break;
	case SECCOMP_RET_TRACE:
		buf_fmt(b, "TRACE(%u)", data);
		break;
	case SECCOMP_RET_USER_NOTIF:
		buf_str(b, "USER_NOTIF");
		break;
	case SECCOMP_RET_KILL_THREAD:
		buf_str(b, "KILL_THREAD");
		break;
	default: /* the kernel treats every other value as KILL_PROCESS */
		buf_str(b, "KILL_PROCESS");
		break;
	}
}

int main(int argc, char **argv)
{
	uint64_t nr, args[6] = { 0 };
	uint32_t arch = 0;
	struct bpfblob blob;
	struct bpf_sim_trace trace;
	char *data, mem[128];
	size_t len;
	struct buf b;

	log_setup("bpfpath", 0);
	if (argc < 3 || argc > 9 || parse_number(argv[2], &nr) < 0 || nr > INT32_MAX) {
		log_error("usage: bpfpath FILE.bpf NR [ARG...] (up to six ARGs)");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (parse_number(argv[i], &args[i - 3]) < 0) {
			log_error("%s: not a number (decimal, or hex with 0x)", argv[i]);
			return 2;
		}
	}
	if (file_read_alloc(argv[1], MAX_BLOB, &data, &len) < 0) {
		log_error("%s: %s", argv[1], strerror(errno));
		return 1;
	}
	if (len >= BPFBLOB_HEADER_SIZE)
		memcpy(&arch, data + 12, sizeof arch); /* the file's arch: both targets are little-endian */
	if (bpfblob_parse_arch(data, len, arch, &blob) < 0) {
		log_error("%s: not a valid LUCIDBPF filter: %s", argv[1], strerror(errno));
		return 1;
	}
	uint32_t ret = bpf_sim_syscall_traced(blob.insns, blob.count, blob.arch, (int)nr, args, &trace);
	if (ret == BPF_SIM_INVALID) {
		log_error("%s: the program fails on syscall %llu (a bad load or jump)", argv[1],
			  (unsigned long long)nr);
		return 1;
	}
	bool cached = (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW && !trace.loaded_args;
	buf_init(&b, mem, sizeof mem);
	buf_str(&b, "action=");
	action_name(&b, ret);
	buf_fmt(&b, " insns=%u cached=%s\n", trace.insns, cached ? "yes" : "no");
	return write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0;
}

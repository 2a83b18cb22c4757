/* syscost [N]: the cost of one argument-checked syscall, for bench/seccomp.sh.
 * Calls personality(0xffffffff) (a query; both lucid's and Docker's default
 * profiles allow it only for listed argument values, so the filter has to
 * look at the argument) N times (default 2000000) and prints
 * "ns_per_call=X" with one decimal. Exit 1 if the call is refused. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/io.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/parse.h"

int main(int argc, char **argv)
{
	uint64_t n = 2000000;
	char mem[64];
	struct buf b;

	if (argc > 1 && parse_u64(argv[1], UINT32_MAX, &n) < 0)
		return 2;
	if (syscall(SYS_personality, 0xffffffffL) < 0)
		return 1;
	uint64_t start = clock_now_us();
	for (uint64_t i = 0; i < n; i++)
		(void)syscall(SYS_personality, 0xffffffffL);
	uint64_t us = clock_now_us() - start;
	buf_init(&b, mem, sizeof mem);
	buf_str(&b, "ns_per_call=");
	buf_fixed(&b, us * 1000, n ? n : 1, 1);
	buf_char(&b, '\n');
	return write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b)) < 0;
}

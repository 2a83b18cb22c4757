/* Unit tests for init/fds.c (which inherited fds stay, and closing the rest
 * when close_range is refused) and init/fdscan.c's mountinfo reader. */
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_sys.h"
#include "init/fds.h"
#include "init/fdscan.h"

static char warnmem[256];

static void plan(unsigned keep, char *const envp[], pid_t self, struct fd_plan *p)
{
	struct buf warn;

	buf_init(&warn, warnmem, sizeof warnmem);
	fds_plan(keep, envp, self, p, &warn);
}

static void socket_activation_for_us_keeps_its_fds(void **state)
{
	struct fd_plan p;

	(void)state;
	plan(0, (char *[]){ "PATH=/bin", NULL }, 1, &p);
	assert_int_equal(p.keep, 0);
	assert_false(p.listen_pid);
	plan(2, (char *[]){ NULL }, 1, &p);
	assert_int_equal(p.keep, 2);
	plan(0, (char *[]){ "LISTEN_PID=1", "LISTEN_FDS=3", NULL }, 1, &p);
	assert_int_equal(p.keep, 3);
	assert_true(p.listen_pid);
	plan(5, (char *[]){ "LISTEN_FDS=3", "LISTEN_PID=1", NULL }, 1, &p);
	assert_int_equal(p.keep, 5); /* the larger of the two */
	assert_string_equal(warnmem, "");
}

static void socket_activation_for_others_keeps_nothing(void **state)
{
	struct fd_plan p;

	(void)state;
	plan(0, (char *[]){ "LISTEN_PID=7", "LISTEN_FDS=3", NULL }, 1, &p);
	assert_int_equal(p.keep, 0);
	assert_false(p.listen_pid);
	plan(0, (char *[]){ "LISTEN_PID=1x", "LISTEN_FDS=3", NULL }, 1, &p);
	assert_int_equal(p.keep, 0);
	plan(0, (char *[]){ "LISTEN_FDS=3", NULL }, 1, &p);
	assert_int_equal(p.keep, 0);
	plan(1, (char *[]){ "LISTEN_PID=1", "LISTEN_FDS=many", NULL }, 1, &p);
	assert_int_equal(p.keep, 1);
	assert_false(p.listen_pid);
	assert_non_null(strstr(warnmem, "LISTEN_FDS='many' is not a count of fds"));
	plan(0, (char *[]){ "LISTEN_PID=1", "LISTEN_FDS=65537", NULL }, 1, &p);
	assert_int_equal(p.keep, 0);
}

static void close_range_starts_above_the_kept(void **state)
{
	const struct fd_plan p = { .keep = 2 };

	(void)state;
	fake_reset();
	assert_int_equal(fds_close_inherited(&p), 0);
	assert_int_equal(fake.close_first, 5);
	assert_int_equal(fake.close_last, ~0u);
}

/* close_range refused (ENOSYS, or EPERM under a filter): the fds listed in
 * /proc/self/fd are closed one by one; the kept ones stay. */
static void refused_close_range_falls_back(void **state)
{
	const struct fd_plan p = { .keep = 97 }; /* fds 3..99 stay */

	(void)state;
	fake_reset();
	fake_fail(FAKE_CLOSE_RANGE, 1, ENOSYS);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 99), 99);
	assert_int_equal(dup2(fd, 100), 100);
	assert_int_equal(dup2(fd, 300), 300);
	assert_int_equal(fds_close_inherited(&p), 0);
	assert_int_equal(fcntl(99, F_GETFD), 0); /* dup2 makes it inheritable */
	assert_int_equal(fcntl(100, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(fcntl(300, F_GETFD), -1);
	close(99);
	close(fd);
}

static void listen_pid_becomes_the_service_pid(void **state)
{
	char entry[] = "LISTEN_PID=1";
	char *env[] = { "A=1", entry, "LISTEN_FDS=2", NULL };
	char **saved = environ;
	char want[32];
	struct buf b;

	(void)state;
	environ = env;
	assert_int_equal(fds_set_listen_pid(), 0);
	environ = saved;
	buf_init(&b, want, sizeof want);
	buf_fmt(&b, "LISTEN_PID=%d", (int)getpid());
	assert_string_equal(env[1], want);
	assert_string_equal(env[0], "A=1");

	char *none[] = { "A=1", NULL };
	environ = none;
	assert_int_equal(fds_set_listen_pid(), -1);
	environ = saved;
}

static void mountinfo_ids(void **state)
{
	static const char text[] = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
				   "4294967295 22 0:5 / /dev rw - devtmpfs udev rw\n"
				   "7 22 0:6 / /proc rw - proc proc rw";
	unsigned *ids;
	size_t n;

	(void)state;
	assert_int_equal(fdscan_mount_ids(text, sizeof text - 1, &ids, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], 22);
	assert_int_equal(ids[1], 4294967295u);
	assert_int_equal(ids[2], 7);
	free(ids);
	assert_int_equal(fdscan_mount_ids("", 0, &ids, &n), 0);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(fdscan_mount_ids("x 1 2\n", 6, &ids, &n), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fdscan_mount_ids("12", 2, &ids, &n), -1);
	assert_int_equal(fdscan_mount_ids("4294967296 1\n", 13, &ids, &n), -1);
}

/* This very process: three fds at least, none of another namespace. */
static void census_of_this_process(void **state)
{
	struct fd_census c;

	(void)state;
	assert_int_equal(fdscan_census(getpid(), &c), 0);
	assert_true(c.open >= 3);
	assert_int_equal(c.foreign, 0);
	assert_int_equal(c.first_foreign, -1);
	assert_int_equal(fdscan_census(0x7ffffff0, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(socket_activation_for_us_keeps_its_fds),
		cmocka_unit_test(socket_activation_for_others_keeps_nothing),
		cmocka_unit_test(close_range_starts_above_the_kept),
		cmocka_unit_test(refused_close_range_falls_back),
		cmocka_unit_test(listen_pid_becomes_the_service_pid),
		cmocka_unit_test(mountinfo_ids),
		cmocka_unit_test(census_of_this_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

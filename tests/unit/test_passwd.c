/* Unit tests for init/passwd.c and identity_resolve(): the image's own
 * /etc/passwd and /etc/group, read without NSS. */
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init/passwd.h"
#include "init/privdrop.h"

static char passwd_path[] = "/tmp/lucid-passwd-XXXXXX";
static char group_path[] = "/tmp/lucid-group-XXXXXX";

static void write_file(char *tmpl, const char *text)
{
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int make_db(void **state)
{
	(void)state;
	write_file(passwd_path, "root:x:0:0:root:/root:/sbin/nologin\n"
				"# a comment:x:1:1\n"
				"broken line without colons\n"
				"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
				"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
				"app:x:1000:2000::/app:/sbin/nologin\n"
				"badid:x:12x:1::/:/sbin/nologin\n"
				"last:x:4242:4243::/:/sbin/nologin"); /* no final newline */
	write_file(group_path, "root:x:0:\n"
			       "nonroot:x:65532:\n"
			       "staff:x:50:app,nonroot\n");
	return 0;
}

static int remove_db(void **state)
{
	(void)state;
	unlink(passwd_path);
	unlink(group_path);
	return 0;
}

static void lookups(void **state)
{
	uid_t uid;
	gid_t gid;

	(void)state;
	assert_int_equal(passwd_by_name(passwd_path, "nonroot", &uid, &gid), 0);
	assert_int_equal(uid, 65532);
	assert_int_equal(gid, 65532);
	assert_int_equal(passwd_by_name(passwd_path, "last", &uid, &gid), 0);
	assert_int_equal(uid, 4242);
	assert_int_equal(passwd_by_uid(passwd_path, 1000, &gid), 0);
	assert_int_equal(gid, 2000);
	assert_int_equal(group_by_name(group_path, "staff", &gid), 0);
	assert_int_equal(gid, 50);

	errno = 0;
	assert_int_equal(passwd_by_name(passwd_path, "ghost", &uid, &gid), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(passwd_by_name(passwd_path, "badid", &uid, &gid), -1);
	assert_int_equal(passwd_by_name(passwd_path, "# a comment", &uid, &gid), -1);
	assert_int_equal(passwd_by_name(passwd_path, "non", &uid, &gid), -1); /* no prefix match */
	assert_int_equal(group_by_name(group_path, "wheel", &gid), -1);
	errno = 0;
	assert_int_equal(passwd_by_name("/nonexistent/passwd", "root", &uid, &gid), -1);
	assert_int_equal(errno, ENOENT);
}

static void resolve(const char *spec, int want_uid, int want_gid)
{
	struct identity id;
	char mem[256];
	struct buf why;

	buf_init(&why, mem, sizeof mem);
	if (identity_resolve(spec, passwd_path, group_path, &id, &why) < 0)
		fail_msg("'%s' did not resolve: %s", spec, mem);
	assert_int_equal(id.uid, want_uid);
	assert_int_equal(id.gid, want_gid);
}

static void unresolved(const char *spec, const char *needle)
{
	struct identity id;
	char mem[256];
	struct buf why;

	buf_init(&why, mem, sizeof mem);
	assert_int_equal(identity_resolve(spec, passwd_path, group_path, &id, &why), -1);
	if (!strstr(mem, needle))
		fail_msg("error for '%s' was \"%s\", expected it to mention \"%s\"", spec, mem, needle);
}

static void user_specs(void **state)
{
	(void)state;
	resolve("65532", 65532, 65532);
	resolve("65532:65532", 65532, 65532);
	resolve("nonroot", 65532, 65532);
	resolve("nonroot:staff", 65532, 50);
	resolve("1000", 1000, 2000); /* primary group from passwd */
	resolve("3000", 3000, 3000); /* unlisted: gid = uid, never 0 */
	resolve("app:0", 1000, 0);   /* an explicit group is honoured */
	resolve("0", 0, 0);
	unresolved("ghost", "user 'ghost' not found");
	unresolved("nonroot:ghosts", "group 'ghosts' not found");
	unresolved("", "invalid user");
	unresolved(":1", "invalid user");
	unresolved("1:", "invalid user");
	unresolved("4294967296", "invalid uid");
	unresolved("1:4294967296", "invalid gid");
	unresolved("12x", "invalid uid '12x'"); /* digits first: a uid, and a bad one */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups),
		cmocka_unit_test(user_specs),
	};
	return cmocka_run_group_tests(tests, make_db, remove_db);
}

/* credcheck: print the credential and confinement lines of /proc/self/status
 * and of PID 1, prefixed "self " and "init ", for tests and images that have
 * no shell, cat or grep. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/io.h"
#include "common/fmt.h"

static const char *const keys[] = {
	"Uid:",	   "Gid:",    "Groups:",     "CapInh:",	 "CapPrm:",	     "CapEff:",
	"CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:", "Seccomp_filters:",
};

static int show(const char *path, const char *prefix)
{
	char text[4096], out[4096];
	struct buf b;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	buf_init(&b, out, sizeof out);
	for (char *line = text; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
			if (!strncmp(line, keys[i], strlen(keys[i])))
				buf_fmt(&b, "%s%s\n", prefix, line);
		line = next;
	}
	return write_all(STDOUT_FILENO, buf_text(&b), buf_length(&b));
}

int main(void)
{
	int rc = show("/proc/self/status", "self ");
	if (show("/proc/1/status", "init ") < 0)
		rc = -1;
	return rc < 0 ? 1 : 0;
}

/* bindport PORT: try to bind 127.0.0.1:PORT. Exit 0 bound, 1 refused
 * (EACCES: no CAP_NET_BIND_SERVICE), 2 any other failure. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/parse.h"

int main(int argc, char **argv)
{
	unsigned port;
	struct sockaddr_in sa = { .sin_family = AF_INET };

	if (argc != 2 || parse_uint(argv[1], 65535, &port) < 0)
		return 2;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 2;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return errno == EACCES ? 1 : 2;
	close(fd);
	return 0;
}

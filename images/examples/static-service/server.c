/* The static-service template's sample service: a tiny HTTP server with the
 * endpoints the template's HEALTHCHECK and the tests use. Stands in for your
 * Go, Rust or C binary; built static for both arches by `./zigw build`
 * (zig-out/examples/linux-ARCH/static-service).
 *
 *   GET /health    200 "ok", or 503 once told to fail
 *   GET /fail      from now on /health answers 503
 *   GET /recover   /health answers 200 again
 *   anything else  200 "hello"
 *
 * Listens on 0.0.0.0:$PORT (default 8080); SIGTERM ends it with status 0, as
 * a service should end on `docker stop`. One request per connection. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void answer(int fd, int status, const char *body)
{
	char head[160];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, status == 200 ? "OK" : "Service Unavailable", strlen(body));

	if (n > 0 && write(fd, head, (size_t)n) == n)
		(void)write(fd, body, strlen(body));
}

int main(void)
{
	const char *port_env = getenv("PORT");
	char *end = NULL;
	long port = port_env ? strtol(port_env, &end, 10) : 8080;
	int failing = 0, one = 1;

	if ((end && *end) || port < 1 || port > 65535) {
		fprintf(stderr, "static-service: PORT=%s is not a port number\n", port_env);
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_term };
	struct sockaddr_in addr = { .sin_family = AF_INET };

	addr.sin_port = htons((unsigned short)port);
	/* No SA_RESTART: accept() returns EINTR on SIGTERM, and the loop ends. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(srv, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(srv, 64) < 0) {
		fprintf(stderr, "static-service: listening on port %ld: %s\n", port, strerror(errno));
		return 1;
	}
	fprintf(stderr, "static-service: listening on port %ld\n", port);
	while (!stopping) {
		char req[1024];
		int fd = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, req, sizeof req - 1);
		req[n > 0 ? n : 0] = '\0';
		if (!strncmp(req, "GET /health ", 12))
			answer(fd, failing ? 503 : 200, failing ? "failing\n" : "ok\n");
		else if (!strncmp(req, "GET /fail ", 10))
			failing = 1, answer(fd, 200, "/health fails from now on\n");
		else if (!strncmp(req, "GET /recover ", 13))
			failing = 0, answer(fd, 200, "/health recovered\n");
		else
			answer(fd, 200, "hello\n");
		close(fd);
	}
	fprintf(stderr, "static-service: stopping\n");
	return 0;
}

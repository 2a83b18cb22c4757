/* hostile-server: an HTTP server that misbehaves on purpose, one way per
 * run, for the lucid-health integration tests.
 *
 *   hostile-server SCENARIO (--port N | --port 0 --port-file F | --unix PATH)
 *                  [--ipv4 | --ipv6-only] [--log FILE]
 *
 * Listens on 127.0.0.1 (--ipv4, the default) or on ::1 only (--ipv6-only),
 * or on a Unix socket; serves connections one after another until SIGTERM.
 * --port-file receives the bound port once the socket listens, so tests
 * never race for a free port. --log appends every request head it reads.
 *
 * Scenarios:
 *   100..599     that status (301-308 with Location: /moved), body "status N\n"
 *   body         200, a 20 KiB body with "all systems ready" at the end,
 *                written in pieces that split the text across reads
 *   big-body     200, 200000-byte body ending in "all systems ready"
 *   chunked      200, chunked, with extensions, a trailer, and the text split
 *                across chunks
 *   http10       HTTP/1.0 200 without Content-Length: the body runs to the close
 *   continue     100 Continue, 103 Early Hints, then 200 "ready"
 *   big-headers  200 with 20 KiB of headers
 *   garbage      "SSH-2.0-OpenSSH_9.6" instead of a status line, then waits
 *   close        reads the request and closes without a word
 *   reset        headers promising 100000 bytes, 1000 of them, then a TCP RST
 *   silent       reads the request and never answers (until the client leaves)
 *   trickle      a valid response, one byte every 200 ms
 *   trickle-body headers at once, then the body one byte every 200 ms
 *   redirect     by path: / -> /hop1 -> hop2 (relative) -> absolute /final
 *                (200 "final"); /away -> another host; /https -> https://;
 *                /loop -> /loop
 *   echo         200 whose body is the request head as received
 *   backlog      listens with a full backlog and never accepts: connects hang
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h> /* rename */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/io.h"
#include "common/fmt.h"
#include "common/log.h"
#include "common/parse.h"

#define REQUEST_MAX 16384

static struct {
	const char *scenario;
	const char *unix_path;
	const char *log_path;
	char request[REQUEST_MAX + 1];
	size_t request_len;
} server;

static void on_term(int sig)
{
	(void)sig;
	if (server.unix_path)
		unlink(server.unix_path);
	_exit(0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* false once the client is gone */
static bool send_mem(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

static bool send_str(int fd, const char *s)
{
	return send_mem(fd, s, strlen(s));
}

/* Read the request head (up to the blank line), at most 2 s and 16 KiB. */
static void read_request(int fd)
{
	struct timeval tv = { 2, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	server.request_len = 0;
	while (server.request_len < REQUEST_MAX) {
		ssize_t n = recv(fd, server.request + server.request_len, REQUEST_MAX - server.request_len, 0);
		if (n <= 0)
			break;
		server.request_len += (size_t)n;
		server.request[server.request_len] = '\0';
		if (strstr(server.request, "\r\n\r\n"))
			break;
	}
	server.request[server.request_len] = '\0';
	if (server.log_path) {
		int log = open(server.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (log >= 0) {
			(void)write_all(log, server.request, server.request_len);
			(void)write_all(log, "----\n", 5);
			close(log);
		}
	}
}

/* The request target ("/hop1"), into out. */
static void request_path(char *out, size_t size)
{
	const char *sp = strchr(server.request, ' '), *end;
	size_t n = 0;

	if (sp && (end = strchr(sp + 1, ' ')) != NULL) {
		n = (size_t)(end - sp - 1);
		if (n >= size)
			n = size - 1;
		memcpy(out, sp + 1, n);
	}
	out[n] = '\0';
}

/* The Host header's value, into out. */
static void request_host(char *out, size_t size)
{
	const char *h = strstr(server.request, "\r\nHost: "), *end;
	size_t n = 0;

	if (h && (end = strstr(h + 8, "\r\n")) != NULL) {
		n = (size_t)(end - h - 8);
		if (n >= size)
			n = size - 1;
		memcpy(out, h + 8, n);
	}
	out[n] = '\0';
}

/* Wait until the client goes away (or 30 s pass), discarding what it sends. */
static void hold(int fd)
{
	char sink[512];

	for (int waited = 0; waited < 30000; waited += 100) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) > 0 && recv(fd, sink, sizeof sink, MSG_DONTWAIT) == 0)
			return;
	}
}

static void respond(int fd, unsigned status, const char *extra_headers, const char *body)
{
	char mem[1024];
	struct buf b;
	bool no_body = status == 204 || status == 304 || status < 200;
	bool head = strncmp(server.request, "HEAD ", 5) == 0;

	buf_init(&b, mem, sizeof mem);
	buf_fmt(&b, "HTTP/1.1 %u Scenario\r\n", status);
	if (!no_body)
		buf_fmt(&b, "Content-Length: %zu\r\n", strlen(body));
	buf_fmt(&b, "%sConnection: close\r\n\r\n", extra_headers);
	send_mem(fd, buf_text(&b), buf_length(&b));
	if (!no_body && !head)
		send_str(fd, body);
}

static void serve_status(int fd, unsigned status)
{
	char body[32];
	struct buf b;
	bool redirect = status >= 301 && status <= 308 && status != 304 && status != 305 && status != 306;

	buf_init(&b, body, sizeof body);
	buf_fmt(&b, "status %u\n", status);
	respond(fd, status, redirect ? "Location: /moved\r\n" : "", body);
}

/* A 20 KiB body whose marker arrives split over several reads. */
static void serve_body(int fd)
{
	static const char tail[] = "status: all systems ready\n";
	char filler[1024];
	int one = 1;

	memset(filler, '.', sizeof filler);
	filler[sizeof filler - 1] = '\n';
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20506\r\n\r\n");
	for (int i = 0; i < 20; i++)
		send_mem(fd, filler, sizeof filler);
	for (size_t i = 0; i < sizeof tail - 1; i += 5) {
		sleep_ms(3);
		send_mem(fd, tail + i, sizeof tail - 1 - i < 5 ? sizeof tail - 1 - i : 5);
	}
}

static void serve_big_body(int fd)
{
	char filler[4000];

	memset(filler, 'x', sizeof filler);
	send_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n");
	for (int i = 0; i < 49; i++)
		send_mem(fd, filler, sizeof filler);
	send_mem(fd, filler, 4000 - 17);
	send_str(fd, "all systems ready");
}

static void serve_chunked(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	send_str(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
	send_str(fd, "8;note=first\r\nstatus: \r\n");
	sleep_ms(3);
	send_str(fd, "7\r\nall sys\r\n");
	sleep_ms(3);
	send_str(fd, "A\r\ntems ready\r\n");
	send_str(fd, "0\r\nX-Checksum: 1234\r\n\r\n");
}

static void serve_http10(int fd)
{
	send_str(fd, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n");
	sleep_ms(3);
	send_str(fd, "legacy server: all systems ready\n");
}

static void serve_continue(int fd)
{
	send_str(fd, "HTTP/1.1 100 Continue\r\n\r\n");
	sleep_ms(3);
	send_str(fd, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
	sleep_ms(3);
	send_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nready\n");
}

static void serve_big_headers(int fd)
{
	send_str(fd, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 400; i++)
		send_str(fd, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	send_str(fd, "Content-Length: 0\r\n\r\n");
}

static void serve_reset(int fd)
{
	char part[1000];
	struct linger lg = { 1, 0 };

	memset(part, 'r', sizeof part);
	send_str(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
	send_mem(fd, part, sizeof part);
	sleep_ms(20);
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

static void trickle(int fd, const char *s, const char *slow)
{
	char peek;

	send_str(fd, s);
	for (; *slow; slow++) {
		if (!send_mem(fd, slow, 1))
			return;
		sleep_ms(200);
		if (recv(fd, &peek, 1, MSG_DONTWAIT | MSG_PEEK) == 0)
			return; /* the client gave up */
	}
}

static void serve_redirect(int fd)
{
	char path[256], host[256], location[600];
	struct buf b;

	request_path(path, sizeof path);
	request_host(host, sizeof host);
	buf_init(&b, location, sizeof location);
	if (strcmp(path, "/") == 0 || strcmp(path, "/start") == 0) {
		respond(fd, 302, "Location: /hop1\r\n", "go to /hop1\n");
	} else if (strcmp(path, "/hop1") == 0) {
		respond(fd, 301, "Location: hop2\r\n", "go to hop2\n");
	} else if (strcmp(path, "/hop2") == 0) {
		buf_fmt(&b, "Location: http://%s/final\r\n", host);
		respond(fd, 307, location, "go to /final\n");
	} else if (strcmp(path, "/final") == 0) {
		respond(fd, 200, "", "final\n");
	} else if (strcmp(path, "/away") == 0) {
		respond(fd, 302, "Location: http://example.invalid/\r\n", "elsewhere\n");
	} else if (strcmp(path, "/https") == 0) {
		buf_fmt(&b, "Location: https://%s/\r\n", host);
		respond(fd, 302, location, "secure\n");
	} else if (strcmp(path, "/loop") == 0) {
		respond(fd, 302, "Location: /loop\r\n", "again\n");
	} else {
		respond(fd, 404, "", "no such hop\n");
	}
}

static void serve(int fd)
{
	const char *s = server.scenario;
	uint64_t status;

	read_request(fd);
	if (parse_u64(s, 599, &status) == 0 && status >= 100)
		serve_status(fd, (unsigned)status);
	else if (strcmp(s, "body") == 0)
		serve_body(fd);
	else if (strcmp(s, "big-body") == 0)
		serve_big_body(fd);
	else if (strcmp(s, "chunked") == 0)
		serve_chunked(fd);
	else if (strcmp(s, "http10") == 0)
		serve_http10(fd);
	else if (strcmp(s, "continue") == 0)
		serve_continue(fd);
	else if (strcmp(s, "big-headers") == 0)
		serve_big_headers(fd);
	else if (strcmp(s, "garbage") == 0) {
		send_str(fd, "SSH-2.0-OpenSSH_9.6\r\n");
		hold(fd);
	} else if (strcmp(s, "close") == 0)
		;
	else if (strcmp(s, "reset") == 0)
		serve_reset(fd);
	else if (strcmp(s, "silent") == 0)
		hold(fd);
	else if (strcmp(s, "trickle") == 0)
		trickle(fd, "", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	else if (strcmp(s, "trickle-body") == 0)
		trickle(fd, "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n",
			"all systems ready, slowly, very slowly..");
	else if (strcmp(s, "redirect") == 0)
		serve_redirect(fd);
	else if (strcmp(s, "echo") == 0)
		respond(fd, 200, "Content-Type: text/plain\r\n", server.request);
	close(fd);
}

static const char *const scenarios[] = {
	"body",	 "big-body", "chunked", "http10",	"continue", "big-headers", "garbage", "close",
	"reset", "silent",   "trickle", "trickle-body", "redirect", "echo",	   "backlog",
};

static bool known_scenario(const char *s)
{
	uint64_t status;

	if (parse_u64(s, 599, &status) == 0)
		return status >= 100;
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		if (strcmp(s, scenarios[i]) == 0)
			return true;
	return false;
}

static int usage(const char *why)
{
	log_error("%s; usage: hostile-server SCENARIO (--port N [--port-file F] | --unix PATH) "
		  "[--ipv4 | --ipv6-only] [--log FILE]",
		  why);
	return 2;
}

/* Write the port where tests can read it whole: to F.tmp, then renamed. */
static int write_port_file(const char *path, unsigned port)
{
	char tmp[4096], text[16];
	struct buf t, p;
	int fd;

	buf_init(&t, tmp, sizeof tmp);
	buf_fmt(&t, "%s.tmp", path);
	buf_init(&p, text, sizeof text);
	buf_fmt(&p, "%u\n", port);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, buf_text(&p), buf_length(&p)) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		log_error("port file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Fill the accept queue of a listen(fd, 0) socket so the kernel drops
 * further SYNs and clients hang in connect. */
static void fill_backlog(int family, const struct sockaddr *addr, socklen_t len)
{
	for (int i = 0; i < 4; i++) {
		int c = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c >= 0)
			connect(c, addr, len); /* kept open on purpose */
	}
	sleep_ms(50);
}

int main(int argc, char **argv)
{
	const char *port_text = NULL, *port_file = NULL;
	bool ipv6 = false;
	unsigned port = 0;
	int fd, one = 1;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
	} addr;
	socklen_t len;

	log_setup("hostile-server", 0);
	if (argc < 2)
		return usage("no scenario");
	server.scenario = argv[1];
	if (!known_scenario(server.scenario))
		return usage("unknown scenario");
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--ipv4") == 0)
			ipv6 = false;
		else if (strcmp(a, "--ipv6-only") == 0)
			ipv6 = true;
		else if (v && strcmp(a, "--port") == 0)
			port_text = v, i++;
		else if (v && strcmp(a, "--port-file") == 0)
			port_file = v, i++;
		else if (v && strcmp(a, "--unix") == 0)
			server.unix_path = v, i++;
		else if (v && strcmp(a, "--log") == 0)
			server.log_path = v, i++;
		else
			return usage("bad arguments");
	}
	if (!port_text == !server.unix_path)
		return usage("give --port or --unix");
	if (port_text && parse_uint(port_text, 65535, &port) < 0)
		return usage("bad port");

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);

	memset(&addr, 0, sizeof addr);
	if (server.unix_path) {
		addr.un.sun_family = AF_UNIX;
		if (strlen(server.unix_path) >= sizeof addr.un.sun_path)
			return usage("unix path too long");
		memcpy(addr.un.sun_path, server.unix_path, strlen(server.unix_path) + 1);
		len = sizeof addr.un;
		unlink(server.unix_path);
	} else if (ipv6) {
		addr.in6.sin6_family = AF_INET6;
		addr.in6.sin6_addr = in6addr_loopback;
		addr.in6.sin6_port = htons((uint16_t)port);
		len = sizeof addr.in6;
	} else {
		addr.in.sin_family = AF_INET;
		addr.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		addr.in.sin_port = htons((uint16_t)port);
		len = sizeof addr.in;
	}
	fd = socket(addr.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("socket: %s", strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ipv6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, &addr.sa, len) < 0 || listen(fd, strcmp(server.scenario, "backlog") == 0 ? 0 : 64) < 0) {
		log_error("bind/listen: %s", strerror(errno));
		return 1;
	}
	if (!server.unix_path) {
		len = sizeof addr;
		getsockname(fd, &addr.sa, &len);
		port = ntohs(ipv6 ? addr.in6.sin6_port : addr.in.sin_port);
	}
	if (strcmp(server.scenario, "backlog") == 0)
		fill_backlog(addr.sa.sa_family, &addr.sa, len);
	if (port_file && write_port_file(port_file, port) < 0)
		return 1;
	if (strcmp(server.scenario, "backlog") == 0)
		for (;;)
			pause();
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0)
			serve(c);
		else if (errno != EINTR && errno != ECONNABORTED)
			sleep_ms(10);
	}
}

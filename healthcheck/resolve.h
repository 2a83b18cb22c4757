/* Host names to socket addresses, inside the probe's deadline. */
#ifndef LUCID_HEALTH_RESOLVE_H
#define LUCID_HEALTH_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "common/fmt.h"

#define RESOLVE_MAX 16 /* addresses tried per name */

struct address {
	socklen_t len;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
	} u;
};

/* The addresses of host (a name, or an IPv4/IPv6 literal) with port, IPv6
 * ones first, then IPv4 (musl's hosts-file and DNS lookup, run in a child
 * that is killed at the deadline), so `localhost` works whether the service
 * listens on ::1 or 127.0.0.1. Literals never touch the resolver.
 * Returns how many (>= 1), or -1 with errno ETIMEDOUT when the monotonic
 * clock reaches end_us first, or another errno and the reason in err. */
int resolve_host(const char *host, uint16_t port, struct address *out, size_t max, uint64_t end_us, struct buf *err);

/* A Unix socket path as an address; -1 with ENAMETOOLONG when it does not fit. */
int resolve_unix(const char *path, struct address *out);

/* "127.0.0.1:8080", "[::1]:8080" or "unix:/run/app.sock", without stdio
 * (musl's inet_ntop would link snprintf and its float formatting). */
void address_format(struct buf *b, const struct address *a);

#endif

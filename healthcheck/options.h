/* What to probe and how, from the command line and LUCID_HEALTH_*
 * environment variables (the command line wins), validated up front so the
 * probe itself never meets a bad value. */
#ifndef LUCID_HEALTH_OPTIONS_H
#define LUCID_HEALTH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fmt.h"
#include "healthcheck/http.h"
#include "healthcheck/status.h"
#include "healthcheck/url.h"

#define OPT_HEADERS_MAX 32
#define OPT_HEADER_BYTES_MAX 4096 /* all -H values together */
#define OPT_TIMEOUT_DEFAULT_MS 5000
#define OPT_MAX_BODY_DEFAULT 65536
#define OPT_FOLLOW_DEFAULT 9 /* the kubelet stops at the 10th redirect */
#define OPT_SERVICE_MAX 1024

struct options {
	struct url url;
	const char *unix_socket; /* connect here instead of the URL's host */
	const char *host;	 /* Host header override, or NULL for the URL's */
	size_t host_len;
	bool head; /* --method HEAD */
	const char *body_contains;
	size_t body_contains_len;
	uint64_t timeout_ms;
	uint64_t connect_timeout_ms; /* 0: only the total timeout */
	uint64_t max_body;
	unsigned follow;    /* redirects followed to the same host; one more fails */
	bool no_follow;	    /* judge a redirect itself, as the final response */
	const char *cacert; /* TLS: verify against these CAs */
	bool verify;	    /* TLS: verify, against cacert or the image's bundle */
	const char *server_name;
	const char *cert; /* TLS client certificate, with key */
	const char *key;
	const char *service; /* gRPC: the service asked about ("" the server) */
	size_t service_len;
	struct status_set status;
	struct http_field headers[OPT_HEADERS_MAX];
	size_t n_headers;
	bool quiet;
	int verbose;
	bool help;
	bool version;
};

/* Fill o from envp, then argv (argv[0] is skipped). 0, or -1 with the
 * reason in err, naming the option or variable and its value. With --help
 * or --version nothing else is validated. Strings in o point into argv and
 * envp. */
int options_parse(struct options *o, int argc, char *const argv[], char *const envp[], struct buf *err);

#endif

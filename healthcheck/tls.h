/* TLS for https:// and grpcs://, through mbedTLS (TLS 1.2 and 1.3 client).
 *
 * By default the probe does what the kubelet does for scheme HTTPS: it
 * encrypts but verifies nothing, since a probe talks to its own pod.
 * --cacert (or --verify, with the image's CA bundle) makes it verify the
 * chain and the name, and --cert/--key present a client certificate. Only a
 * probe of a TLS URL ever calls into this file: a plain-HTTP probe loads no
 * CA, seeds no RNG and allocates nothing for TLS. */
#ifndef LUCID_HEALTH_TLS_H
#define LUCID_HEALTH_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fmt.h"
#include "healthcheck/link.h"

#define TLS_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt" /* Debian's, and distroless's */
#define TLS_FILE_MAX (4u << 20)				   /* a CA bundle, a certificate or a key */

struct tls_options {
	const char *cacert;	 /* verify against these CAs (PEM or DER); NULL: see verify */
	bool verify;		 /* verify, against cacert or TLS_CA_BUNDLE */
	const char *server_name; /* SNI and the name verified; NULL: the URL's host */
	const char *cert;	 /* client certificate chain, with key */
	const char *key;
	const char *alpn; /* "h2" for gRPC, NULL for none */
};

/* Start TLS on the connected socket l->fd for host (the URL's host; ip: it
 * is an address literal, which is sent as no SNI unless verified), within
 * end_us. 0 with l->tls set, or -1 with errno (ETIMEDOUT, or EPROTO with
 * the reason in why: "certificate has expired", "no protocol version in
 * common", ...). */
int tls_start(struct link *l, const struct tls_options *o, const char *host, bool ip, uint64_t end_us, struct buf *why);

/* "TLSv1.3", and the ALPN protocol the server chose ("h2") or NULL. */
const char *tls_version(const struct link *l);
const char *tls_alpn(const struct link *l);

int tls_send(struct link *l, const void *data, size_t n, uint64_t end_us);
ssize_t tls_recv(struct link *l, void *buf, size_t n, uint64_t end_us);
void tls_error(struct buf *b, const struct link *l, int err);
void tls_close(struct link *l);

#endif

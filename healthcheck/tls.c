#include "healthcheck/tls.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <mbedtls/pk.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "common/clock.h"
#include "common/io.h"
#include "common/log.h"
#include "healthcheck/conn.h"
#include "healthcheck/errors.h"

/* One probe holds at most one TLS connection at a time (a redirect closes
 * the last before it opens the next), so its state is static. */
struct tls_session {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_x509_crt ca;
	mbedtls_x509_crt own;
	mbedtls_pk_context key;
	int fd;
	int sys_errno;	/* the socket's errno behind a failed call, or 0 */
	int tls_err;	/* mbedTLS's code for the last failure, or 0 */
	uint32_t flags; /* the verification result when the chain failed */
	char what[96];	/* a file that could not be used, and why */
};

static struct tls_session session;
static bool psa_ready;

/* PSA's randomness (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG): the kernel's. */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context, uint8_t *output,
					     size_t output_size, size_t *output_length)
{
	size_t got = 0;

	(void)context;
	while (got < output_size) {
		/* A read from the initialised pool: never interrupted for up to
		 * 256 bytes, and PSA asks for less; anything else is a failure. */
		ssize_t n = getrandom(output + got, output_size - got, 0);
		if (n <= 0)
			return PSA_ERROR_INSUFFICIENT_ENTROPY;
		got += (size_t)n;
	}
	*output_length = got;
	return PSA_SUCCESS;
}

static int bio_send(void *ctx, const unsigned char *data, size_t n)
{
	struct tls_session *s = ctx;
	ssize_t w = send(s->fd, data, n, MSG_NOSIGNAL);

	if (w >= 0)
		return (int)w;
	if (errno == EAGAIN || errno == EWOULDBLOCK) /* non-blocking: never interrupted */
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	s->sys_errno = errno;
	return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

static int bio_recv(void *ctx, unsigned char *data, size_t n)
{
	struct tls_session *s = ctx;
	ssize_t r = recv(s->fd, data, n, 0);

	if (r > 0)
		return (int)r;
	if (r == 0)
		return MBEDTLS_ERR_SSL_CONN_EOF;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return MBEDTLS_ERR_SSL_WANT_READ;
	s->sys_errno = errno;
	return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

/* After an mbedTLS call returned rc: wait for the socket when it wants I/O
 * (1: call again), or fail with errno set (-1). */
static int settle(struct tls_session *s, int rc, uint64_t end_us)
{
	if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
		if (conn_wait(s->fd, rc == MBEDTLS_ERR_SSL_WANT_READ ? POLLIN : POLLOUT, end_us) < 0)
			return -1;
		return 1;
	}
	if (rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
		return 1; /* a TLS 1.3 ticket after the handshake: nothing to do with it */
	if (s->sys_errno) {
		errno = s->sys_errno;
		return -1;
	}
	s->tls_err = rc;
	errno = EPROTO;
	return -1;
}

/* A PEM or DER file into a certificate chain, or a key. */
static int load(struct tls_session *s, const char *option, const char *path, mbedtls_x509_crt *chain,
		mbedtls_pk_context *pk)
{
	char *data;
	size_t len;
	int rc;
	struct buf w;

	buf_init(&w, s->what, sizeof s->what);
	buf_fmt(&w, "%s %s: ", option, path);
	if (file_read_alloc(path, TLS_FILE_MAX, &data, &len) < 0) {
		error_put(&w, errno);
		return -1;
	}
	/* A PEM text is parsed with its NUL; DER is binary and without one. */
	size_t n = len + (memmem(data, len, "-----BEGIN", 10) ? 1 : 0);
	if (chain)
		rc = mbedtls_x509_crt_parse(chain, (const unsigned char *)data, n);
	else
		rc = mbedtls_pk_parse_key(pk, (const unsigned char *)data, n, NULL, 0, mbedtls_psa_get_random,
					  MBEDTLS_PSA_RANDOM_STATE);
	mbedtls_platform_zeroize(data, len);
	free(data);
	/* A bundle may hold certificates mbedTLS cannot read (rc > 0 counts
	 * them); it is usable as long as one was read. */
	if (rc < 0 || (chain && chain->version == 0)) {
		buf_str(&w, chain ? "no certificate could be read"
				  : "not a key mbedTLS can read (PEM or DER, unencrypted)");
		return -1;
	}
	return 0;
}

static int configure(struct tls_session *s, const struct tls_options *o, const char *host, bool ip)
{
	mbedtls_ssl_config *c = &s->conf;

	if (mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT) != 0)
		return -1;
	mbedtls_ssl_conf_rng(c, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
	mbedtls_ssl_conf_min_tls_version(c, MBEDTLS_SSL_VERSION_TLS1_2);
	bool verify = o->verify || o->cacert;
	if (verify) {
		if (load(s, o->cacert ? "--cacert" : "--verify", o->cacert ? o->cacert : TLS_CA_BUNDLE, &s->ca, NULL) <
		    0)
			return -1;
		mbedtls_ssl_conf_ca_chain(c, &s->ca, NULL);
		mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);
	} else {
		mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE);
	}
	if (o->cert) {
		if (load(s, "--cert", o->cert, &s->own, NULL) < 0 || load(s, "--key", o->key, NULL, &s->key) < 0)
			return -1;
		if (mbedtls_ssl_conf_own_cert(c, &s->own, &s->key) != 0)
			return -1;
	}
	if (o->alpn) {
		static const char *alpn[2]; /* mbedTLS keeps the pointer */
		alpn[0] = o->alpn;
		mbedtls_ssl_conf_alpn_protocols(c, alpn);
	}
	if (mbedtls_ssl_setup(&s->ssl, c) != 0)
		return -1;
	/* The name sent as SNI and verified: --server-name, else the URL's
	 * host. An address literal is no server name (RFC 6066), so it goes
	 * out only when it must be verified against the certificate. */
	const char *name = o->server_name ? o->server_name : (ip && !verify) ? NULL : host;
	if (name && mbedtls_ssl_set_hostname(&s->ssl, name) != 0)
		return -1;
	mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, NULL);
	return 0;
}

int tls_start(struct link *l, const struct tls_options *o, const char *host, bool ip, uint64_t end_us, struct buf *why)
{
	struct tls_session *s = &session;
	int rc;

	if (!psa_ready) {
		if (psa_crypto_init() != PSA_SUCCESS) {
			buf_str(why, "the TLS library could not start (no randomness from getrandom)");
			errno = EPROTO;
			return -1;
		}
		psa_ready = true;
	}
	memset(s, 0, sizeof *s);
	mbedtls_ssl_init(&s->ssl);
	mbedtls_ssl_config_init(&s->conf);
	mbedtls_x509_crt_init(&s->ca);
	mbedtls_x509_crt_init(&s->own);
	mbedtls_pk_init(&s->key);
	s->fd = l->fd;
	l->tls = s;
	if (configure(s, o, host, ip) < 0) {
		buf_str(why, s->what[0] ? s->what : "the TLS library could not be set up (out of memory?)");
		errno = EINVAL;
		return -1;
	}
	while ((rc = mbedtls_ssl_handshake(&s->ssl)) != 0) {
		int again = settle(s, rc, end_us);
		if (again < 0) {
			s->flags = mbedtls_ssl_get_verify_result(&s->ssl);
			tls_error(why, l, errno);
			return -1;
		}
	}
	log_debug("TLS: %s, %s, ALPN %s", mbedtls_ssl_get_version(&s->ssl), mbedtls_ssl_get_ciphersuite(&s->ssl),
		  tls_alpn(l) ? tls_alpn(l) : "none");
	return 0;
}

const char *tls_version(const struct link *l)
{
	return mbedtls_ssl_get_version(&l->tls->ssl);
}

const char *tls_alpn(const struct link *l)
{
	return mbedtls_ssl_get_alpn_protocol(&l->tls->ssl);
}

int tls_send(struct link *l, const void *data, size_t n, uint64_t end_us)
{
	struct tls_session *s = l->tls;
	const unsigned char *p = data;

	while (n) {
		int rc = mbedtls_ssl_write(&s->ssl, p, n);
		if (rc > 0) {
			p += rc;
			n -= (size_t)rc;
		} else if (settle(s, rc, end_us) < 0) {
			return -1;
		}
	}
	return 0;
}

ssize_t tls_recv(struct link *l, void *buf, size_t n, uint64_t end_us)
{
	struct tls_session *s = l->tls;

	for (;;) {
		if (clock_now_us() >= end_us) {
			errno = ETIMEDOUT;
			return -1;
		}
		int rc = mbedtls_ssl_read(&s->ssl, buf, n);
		if (rc > 0)
			return rc;
		if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF)
			return 0;
		if (settle(s, rc, end_us) < 0)
			return -1;
	}
}

/* Why the chain was refused, from the verification flags, most telling first. */
static void put_verify_flags(struct buf *b, uint32_t f)
{
	static const struct {
		uint32_t flag;
		const char *text;
	} why[] = {
		{ MBEDTLS_X509_BADCERT_EXPIRED, "the server's certificate has expired" },
		{ MBEDTLS_X509_BADCERT_FUTURE, "the server's certificate is not valid yet" },
		{ MBEDTLS_X509_BADCERT_CN_MISMATCH, "the server's certificate is for another name" },
		{ MBEDTLS_X509_BADCERT_NOT_TRUSTED, "the server's certificate is not signed by a trusted CA" },
		{ MBEDTLS_X509_BADCERT_MISSING, "the server sent no certificate" },
		{ MBEDTLS_X509_BADCERT_BAD_KEY, "the server's certificate has an unacceptable key" },
		{ MBEDTLS_X509_BADCERT_BAD_MD, "the server's certificate is signed with an unacceptable hash" },
		{ MBEDTLS_X509_BADCERT_KEY_USAGE, "the server's certificate is not for TLS servers (key usage)" },
		{ MBEDTLS_X509_BADCERT_EXT_KEY_USAGE,
		  "the server's certificate is not for TLS servers (extended key usage)" },
		{ MBEDTLS_X509_BADCRL_EXPIRED, "a CA certificate has expired" },
	};
	for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
		if (f & why[i].flag) {
			buf_str(b, why[i].text);
			return;
		}
	}
	buf_fmt(b, "the server's certificate was refused (flags 0x%x)", (unsigned)f);
}

void tls_error(struct buf *b, const struct link *l, int err)
{
	static const struct {
		int code;
		const char *text;
	} why[] = {
		{ MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, "the server ended the handshake with an alert" },
		{ MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, "no TLS version in common (lucid-health speaks 1.2 and 1.3)" },
		{ MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, "handshake failure (no cipher, group or signature in common)" },
		{ MBEDTLS_ERR_SSL_NO_APPLICATION_PROTOCOL, "the server speaks none of the ALPN protocols asked for" },
		{ MBEDTLS_ERR_SSL_DECODE_ERROR, "the server sent a malformed TLS message" },
		{ MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE, "the server sent an unexpected TLS message" },
		{ MBEDTLS_ERR_SSL_INVALID_RECORD, "the server sent an invalid TLS record (not TLS?)" },
		{ MBEDTLS_ERR_SSL_INVALID_MAC, "a TLS record failed its integrity check" },
		{ MBEDTLS_ERR_SSL_ALLOC_FAILED, "out of memory" },
	};
	const struct tls_session *s = l->tls;

	if (err != EPROTO || !s) {
		error_put(b, err);
		return;
	}
	buf_str(b, "TLS: ");
	if (s->tls_err == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
		put_verify_flags(b, s->flags);
		return;
	}
	for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
		if (s->tls_err == why[i].code) {
			buf_str(b, why[i].text);
			return;
		}
	}
	buf_fmt(b, "mbedTLS error -0x%x", (unsigned)-s->tls_err);
}

void tls_close(struct link *l)
{
	struct tls_session *s = l->tls;

	if (!s)
		return;
	mbedtls_ssl_free(&s->ssl);
	mbedtls_ssl_config_free(&s->conf);
	mbedtls_x509_crt_free(&s->ca);
	mbedtls_x509_crt_free(&s->own);
	mbedtls_pk_free(&s->key);
	l->tls = NULL;
}

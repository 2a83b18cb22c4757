/* mbedTLS 3.6 as lucid-health needs it, and nothing more: a TLS 1.2 and 1.3
 * client (SNI, ALPN for gRPC) that can verify a server's certificate chain
 * and present a client certificate. build.zig compiles the library with
 * MBEDTLS_CONFIG_FILE pointing here.
 *
 * Key exchange: ECDHE over X25519, P-256 and P-384 (no finite-field DH, no
 * static RSA). Ciphers: AES-GCM and ChaCha20-Poly1305, the AEADs TLS 1.3
 * defines and every TLS 1.2 server of the last decade offers (no CBC, no
 * CCM). Signatures: ECDSA, RSA PKCS#1 v1.5 and PSS, over SHA-256/384/512.
 * Certificates: X.509 from PEM or DER. Randomness: the kernel's getrandom,
 * through PSA's external RNG hook (tls.c), instead of a DRBG of mbedTLS's
 * own. Errors are worded by tls.c, not by mbedtls_strerror's table. */
#ifndef LUCID_MBEDTLS_CONFIG_H
#define LUCID_MBEDTLS_CONFIG_H

/* System */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE /* certificate validity dates */
#define MBEDTLS_DEPRECATED_REMOVED
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_ECP_NIST_OPTIM /* 2 KB for P-256/P-384 reduction: halves a verified handshake's CPU */

/* Randomness and PSA, which TLS 1.3 is built on */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
/* No MBEDTLS_USE_PSA_CRYPTO: TLS 1.2 and X.509 then use the classic API
 * alongside PSA instead of PSA's wrappers around it, 12 KB less. */

/* Symmetric */
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C

#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_SHA256_SMALLER /* rolled loops: a probe hashes a few KB */
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_HKDF_C

/* Public key */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C

/* Certificates */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_REMOVE_INFO
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT /* RSA certificates under TLS 1.3 sign with PSS */
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C

/* TLS client */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED

/* A client reads 16 KiB records (the server picks their size) but writes
 * only a request: 4 KiB out is plenty and saves 12 KiB of memory. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

#endif

#!/bin/sh
# tests/tools/testca.sh DIR: a throwaway PKI for the HTTPS and gRPC probe
# tests, made with openssl at test time in a second or two. Nothing here is
# a secret: DIR is the suite's $WORK. Keys are EC P-256 unless named -rsa.
# Every certificate but the expired one is valid from now for 30 days.
#
#   ca.crt ca.key                 the test CA: the probe's --cacert
#   server.crt server.key         CN localhost, SAN DNS:localhost,
#                                 IP:127.0.0.1, IP:::1, signed by the CA
#   server-rsa.crt server-rsa.key the same names, RSA-2048, signed by the CA
#   server-chain.crt              server.crt followed by ca.crt (servers
#                                 that send the whole chain)
#   expired.crt expired.key       localhost, signed by the CA, valid only
#                                 during 2020-01-01 (expired)
#   wrongname.crt wrongname.key   CN and SAN DNS:other.example only, signed
#                                 by the CA (name mismatch for localhost)
#   other-ca.crt other-ca.key     a second CA the probe is never told about
#   untrusted.crt untrusted.key   localhost names, signed by other-ca
#   client.crt client.key         CN lucid-health, clientAuth, signed by the
#                                 CA (mutual TLS: the client's certificate)
#   client-untrusted.crt .key     the same, signed by other-ca (a server
#                                 requiring client certs rejects it)
#
# Usage in a suite:
#   sh "$root/tests/tools/testca.sh" "$WORK/pki" || fail ...
#   tls-server.py --cert "$WORK/pki/server.crt" --key "$WORK/pki/server.key" ...
#   lucid-health ... --cacert "$WORK/pki/ca.crt" https://localhost:PORT/health
# Exit: 0 done, 1 an openssl step failed (its message on stderr), 100 usage.
set -eu

[ $# = 1 ] || { echo "usage: testca.sh DIR" >&2; exit 100; }
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# make_ca NAME CN: a self-signed CA with the extensions a verifier checks.
make_ca() {
	ec_key "$1.key"
	openssl req -new -x509 -key "$1.key" -out "$1.crt" -days 30 -sha256 -subj "/CN=$2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash"
}

# ext_file NAME SAN EKU: the extensions of a leaf certificate.
ext_file() {
	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		"keyUsage=critical,digitalSignature,keyEncipherment" \
		"extendedKeyUsage=$3" \
		"authorityKeyIdentifier=keyid" >"$1.ext"
	[ -z "$2" ] || echo "subjectAltName=$2" >>"$1.ext"
}

# leaf NAME CA CN SAN EKU: NAME.crt for the existing NAME.key, signed by CA
# (a random serial: two runs never issue the same issuer+serial pair).
leaf() {
	ext_file "$1" "$4" "$5"
	openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr"
	openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
		-days 30 -sha256 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}

localhost_san="DNS:localhost,IP:127.0.0.1,IP:::1"

make_ca ca "lucid test CA"
make_ca other-ca "lucid untrusted test CA"

ec_key server.key
leaf server ca localhost "$localhost_san" serverAuth
cat server.crt ca.crt >server-chain.crt

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server-rsa.key 2>/dev/null
leaf server-rsa ca localhost "$localhost_san" serverAuth

ec_key wrongname.key
leaf wrongname ca other.example "DNS:other.example" serverAuth

ec_key untrusted.key
leaf untrusted other-ca localhost "$localhost_san" serverAuth

ec_key client.key
leaf client ca lucid-health "" clientAuth
ec_key client-untrusted.key
leaf client-untrusted other-ca lucid-health "" clientAuth

# The expired certificate: `openssl x509` cannot date a certificate in the
# past, `openssl ca` can (-startdate/-enddate), given its database files.
ec_key expired.key
ext_file expired "$localhost_san" serverAuth
openssl req -new -key expired.key -subj "/CN=localhost" -out expired.csr
mkdir -p ca-db
: >ca-db/index.txt
cat >ca-db/ca.cnf <<'EOF'
[ca]
default_ca = test
[test]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
EOF
echo 01 >ca-db/serial
openssl ca -batch -notext -config ca-db/ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr -out expired.crt \
	-startdate 20200101000000Z -enddate 20200102000000Z -extfile expired.ext 2>/dev/null
rm -rf ca-db expired.csr expired.ext

# Servers run as other users in some tests: certificates and keys readable.
chmod 644 ./*.crt ./*.key

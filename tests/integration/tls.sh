#!/bin/bash
# tests/integration/tls.sh: lucid-health's https:// and grpc[s]:// probes
# against real servers on loopback: Python's ssl + http.server
# (tests/tools/tls-server.py: TLS 1.2-only, 1.3-only, client certificate
# required) with a throwaway CA that openssl makes now (tests/tools/testca.sh:
# expired, wrong-name and untrusted certificates); Debian's nginx with TLS and
# HTTP/2; grpcio's own health servicer (tests/tools/grpc-health-server.py,
# from the pinned venv deps/host-setup grpc makes), switched between SERVING
# and NOT_SERVING; and the project's hostile HTTP/2 server
# (tests/tools/h2-hostile.py). Every probe runs with --timeout 2 and must
# end within it. Natively, and the main cases on arm64 under $QEMU.
# shellcheck source=tests/lib.sh
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/probe.bash
source "$(dirname "$0")/probe.bash"

root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/tests/tools
venv=$root/.cache/venv-grpc/bin/python3
need python3 python3 openssl openssl nginx nginx
if [ ! -x "$venv" ]; then
	fail "tls can run" "no $venv: deps/host-setup grpc makes it (python3-venv and the pinned grpcio wheels)"
	finish
fi
unset "${!LUCID_HEALTH_@}" http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY

if ! sh "$tools/testca.sh" "$WORK/pki" 2>"$WORK/pki.err"; then
	fail "testca.sh makes the test PKI" "$(head -c 300 "$WORK/pki.err")"
	finish
fi
pki=$WORK/pki

# tls NAME CERT [tls-server.py options]: an HTTPS server on $WORK/NAME.port.
tls() {
	local name=$1 cert=$2
	shift 2
	spawn python3 "$tools/tls-server.py" --cert "$pki/$cert.crt" --key "$pki/$cert.key" --port 0 \
		--port-file "$WORK/$name.port" --log "$WORK/$name.log" "$@" >/dev/null 2>>"$WORK/servers.err"
}
tls any server
tls tls12 server --tls12-only
tls tls13 server --tls13-only
tls rsa server-rsa
tls expired expired
tls wrongname wrongname
tls untrusted untrusted
tls mtls server --client-ca "$pki/ca.crt"
spawn "$venv" "$tools/grpc-health-server.py" --port 0 --port-file "$WORK/grpc.port" --log "$WORK/grpc.log" \
	>/dev/null 2>>"$WORK/servers.err"
grpc_pid=$spawned
spawn "$venv" "$tools/grpc-health-server.py" --port 0 --port-file "$WORK/grpcs.port" \
	--tls "$pki/server.crt" "$pki/server.key" >/dev/null 2>>"$WORK/servers.err"
modes=(serving not-serving not-found no-trailers http-503 huge-message bad-preface huge-settings bad-frame
	data-stream0 continuation window-0 trickle goaway rst)
for m in "${modes[@]}"; do
	spawn python3 "$tools/h2-hostile.py" --mode "$m" --port 0 --port-file "$WORK/h2-$m.port" >/dev/null 2>>"$WORK/servers.err"
done
spawn python3 "$tools/h2-hostile.py" --mode serving --tls "$pki/server.crt" "$pki/server.key" --port 0 \
	--port-file "$WORK/h2-tls.port" >/dev/null 2>>"$WORK/servers.err"
spawn python3 "$tools/kubelet-server.py" "$WORK/plain.ports"
spawn sh "$tools/nginx-tls.sh" "$WORK/nginx" 0 "$pki/server.crt" "$pki/server.key" >/dev/null 2>>"$WORK/servers.err"

all_up() {
	local f
	for f in any tls12 tls13 rsa expired wrongname untrusted mtls grpc grpcs h2-tls "${modes[@]/#/h2-}"; do
		[ -s "$WORK/$f.port" ] || return 1
	done
	[ -s "$WORK/plain.ports" ] && [ -s "$WORK/nginx/nginx.port" ] &&
		python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
			"$(cat "$WORK/nginx/nginx.port")" 2>/dev/null
}
if ! wait_for 200 all_up; then
	fail "the test servers start" "not all up within 20 s: $(head -c 400 "$WORK/servers.err" "$WORK/nginx/error.log" 2>/dev/null | tr '\n' '|')"
	finish
fi
port() { cat "$WORK/$1.port"; }
read -r plain _ <"$WORK/plain.ports"
nginx_port=$(cat "$WORK/nginx/nginx.port")

# probe NAME WANT_EXIT REGEX ARGS...: lucid-health --timeout 2 ARGS; the exit
# code, one stdout line matching REGEX, and an end within 2 s (+1 s for
# qemu and a loaded machine). The debug lines (-v) are kept in $WORK/err.
probe() {
	local name=$1 want=$2 pattern=$3
	shift 3
	probe_line "$label: $name" "$want" 3000 "$pattern" "${runner[@]}" "$lh" -t 2 "$@"
}

# negotiated VERSION: the last probe (-v) said it spoke VERSION.
negotiated() { grep -q "debug: TLS: $1," "$WORK/err"; }

https_cases() {
	local ms='in [0-9.]+ ms'
	probe "https: TLS 1.3, no verification (the kubelet's default)" 0 "^healthy: GET https://127\.0\.0\.1:$(port any)/health -> 200 $ms$" \
		"https://127.0.0.1:$(port any)/health"
	probe "https: a TLS 1.2-only server" 0 "^healthy: " -v "https://127.0.0.1:$(port tls12)/health"
	check_true "$label: https: TLS 1.2 was negotiated" "$(head -c 300 "$WORK/err")" negotiated TLSv1.2
	probe "https: a TLS 1.3-only server" 0 "^healthy: " -v "https://127.0.0.1:$(port tls13)/health"
	check_true "$label: https: TLS 1.3 was negotiated" "$(head -c 300 "$WORK/err")" negotiated TLSv1.3
	probe "https: --cacert verifies the chain and the name" 0 "^healthy: " --cacert "$pki/ca.crt" "https://localhost:$(port any)/health"
	probe "https: --cacert and an IP address in the certificate" 0 "^healthy: " --cacert "$pki/ca.crt" "https://127.0.0.1:$(port any)/health"
	probe "https: an RSA certificate, verified" 0 "^healthy: " --cacert "$pki/ca.crt" "https://localhost:$(port rsa)/health"
	probe "https: expired, verified: unhealthy" 1 "TLS: the server's certificate has expired$" --cacert "$pki/ca.crt" "https://localhost:$(port expired)/health"
	probe "https: expired, not verified: healthy as to the kubelet" 0 "^healthy: " "https://localhost:$(port expired)/health"
	probe "https: wrong name, verified: unhealthy" 1 "TLS: the server's certificate is for another name$" --cacert "$pki/ca.crt" "https://localhost:$(port wrongname)/health"
	probe "https: wrong name, --server-name the certificate's" 0 "^healthy: " --cacert "$pki/ca.crt" --server-name other.example "https://127.0.0.1:$(port wrongname)/health"
	probe "https: untrusted CA, verified: unhealthy" 1 "TLS: the server's certificate is not signed by a trusted CA$" --cacert "$pki/ca.crt" "https://localhost:$(port untrusted)/health"
	probe "https: --verify uses the system bundle, which lacks the test CA" 1 "not signed by a trusted CA$" --verify "https://localhost:$(port any)/health"
	# TLS 1.3 ends the client's handshake before the server judges its
	# certificate: the refusal then arrives as an alert or a closed socket.
	local refused="^unhealthy: .*(TLS|Broken pipe|Connection reset)"
	probe "https: client certificate required, none given" 1 "$refused" "https://localhost:$(port mtls)/health"
	probe "https: client certificate required, --cert/--key given" 0 "^healthy: " --cert "$pki/client.crt" --key "$pki/client.key" "https://localhost:$(port mtls)/health"
	probe "https: client certificate of another CA" 1 "$refused" --cert "$pki/client-untrusted.crt" --key "$pki/client-untrusted.key" "https://localhost:$(port mtls)/health"
	probe "https: a missing --cacert file" 1 "^unhealthy: --cacert $WORK/none\.pem: No such file or directory$" --cacert "$WORK/none.pem" "https://localhost:$(port any)/health"
	probe "https: 503 is unhealthy" 1 " -> 503 $ms \(expected 200-399\)$" "https://127.0.0.1:$(port any)/fail"
	probe "https: a redirect is followed" 0 "/health -> 200 $ms after 1 redirect$" "https://127.0.0.1:$(port any)/redirect"
	probe "https: a stalled body ends at the deadline" 1 "timed out after 2\.0 s while reading the body$" "https://127.0.0.1:$(port any)/stall"
	probe "https: http:// redirected to https:// on the same host" 0 "^healthy: GET https://127\.0\.0\.1:$(port any)/health -> 200 .* after 1 redirect$" \
		"http://127.0.0.1:$plain/redirect/https/$(port any)"
	probe "https: a plain HTTP server fails in the handshake, within the deadline" 1 "timed out after 2\.0 s while in the TLS handshake$" \
		"https://127.0.0.1:$plain/"
	probe "https: nginx with TLS and HTTP/2, verified" 0 "^healthy: GET https://localhost:$nginx_port/health -> 200 " \
		--cacert "$pki/ca.crt" "https://localhost:$nginx_port/health"
	probe "https: nginx 503" 1 " -> 503 " "https://127.0.0.1:$nginx_port/fail"
}

grpc_cases() {
	local g ms='in [0-9.]+ ms'
	g=$(port grpc)
	probe "grpc: the server is SERVING" 0 "^healthy: grpc 127\.0\.0\.1:$g service \"\" -> SERVING $ms$" "grpc://127.0.0.1:$g"
	probe "grpc: --service app is SERVING" 0 "^healthy: grpc 127\.0\.0\.1:$g service \"app\" -> SERVING " --service app "grpc://127.0.0.1:$g"
	probe "grpc: an unknown service" 1 "service \"nope\" -> grpc-status 5 NOT_FOUND" --service nope "grpc://127.0.0.1:$g"
	probe "grpcs: TLS with ALPN h2, not verified" 0 "^healthy: grpcs 127\.0\.0\.1:$(port grpcs) service \"\" -> SERVING " "grpcs://127.0.0.1:$(port grpcs)"
	probe "grpcs: verified" 0 "^healthy: grpcs localhost:" --cacert "$pki/ca.crt" "grpcs://localhost:$(port grpcs)"
	probe "grpcs: against a plain h2c port" 1 "^unhealthy: (TLS handshake|timed out)" "grpcs://127.0.0.1:$g"
	probe "grpc: against a TLS port" 1 "^unhealthy: grpc .*: " "grpc://127.0.0.1:$(port grpcs)"
	probe "grpc: an HTTPS (HTTP/1.1) server" 1 "^unhealthy: " "grpcs://127.0.0.1:$(port any)"
}

# The service flips to NOT_SERVING and back; the probe follows it.
grpc_switch_cases() {
	local g
	g=$(port grpc)
	kill -USR1 "$grpc_pid"
	wait_for 30 grep -q "set app NOT_SERVING" "$WORK/grpc.log"
	probe "grpc: app switched to NOT_SERVING" 1 "service \"app\" -> NOT_SERVING$" --service app "grpc://127.0.0.1:$g"
	probe "grpc: the server itself still SERVING" 0 "service \"\" -> SERVING " "grpc://127.0.0.1:$g"
	kill -USR2 "$grpc_pid"
	wait_for 30 eval '[ "$(grep -c "set app SERVING" "$WORK/grpc.log")" -ge 2 ]'
	probe "grpc: app back to SERVING" 0 "service \"app\" -> SERVING " --service app "grpc://127.0.0.1:$g"
}

hostile_cases() {
	h() { echo "grpc://127.0.0.1:$(port "h2-$1")"; }
	probe "h2: a minimal correct server" 0 "-> SERVING " "$(h serving)"
	probe "h2: the same over TLS" 0 "^healthy: grpcs " "grpcs://127.0.0.1:$(port h2-tls)"
	probe "h2: NOT_SERVING" 1 "-> NOT_SERVING$" "$(h not-serving)"
	probe "h2: trailers-only NOT_FOUND" 1 "-> grpc-status 5 NOT_FOUND: \"unknown service\"$" "$(h not-found)"
	probe "h2: no grpc-status" 1 "-> the response has no grpc-status$" "$(h no-trailers)"
	probe "h2: HTTP 503" 1 "-> HTTP status 503, not a gRPC response$" "$(h http-503)"
	probe "h2: a 2 GiB message announced" 1 "a response message of 2147483647 bytes exceeds 4096$" "$(h huge-message)"
	probe "h2: an HTTP/1.1 answer" 1 "the server answered in HTTP/1\.x, not HTTP/2$" "$(h bad-preface)"
	probe "h2: a huge SETTINGS frame" 1 "exceeds our maximum of 16384 \(FRAME_SIZE_ERROR\)$" "$(h huge-settings)"
	probe "h2: a malformed SETTINGS frame" 1 "SETTINGS frame of 5 bytes \(FRAME_SIZE_ERROR\)$" "$(h bad-frame)"
	probe "h2: DATA on stream 0" 1 "DATA frame on stream 0 \(PROTOCOL_ERROR\)$" "$(h data-stream0)"
	probe "h2: endless CONTINUATION" 1 "(CONTINUATION|header block|exceeds)" "$(h continuation)"
	probe "h2: a window of 0, never opened" 1 "timed out while waiting for the server's flow-control window" "$(h window-0)"
	probe "h2: a trickled answer ends at the deadline" 1 "timed out while waiting for the response$" "$(h trickle)"
	probe "h2: GOAWAY" 1 "server sent GOAWAY \(PROTOCOL_ERROR\)" "$(h goaway)"
	probe "h2: RST_STREAM" 1 "server sent RST_STREAM \(INTERNAL_ERROR\)$" "$(h rst)"
}

label=native
runner=()
lh="$BIN/lucid-health"
https_cases
grpc_cases
grpc_switch_cases
hostile_cases
if [ -n "${QEMU:-}" ] && [ -x "$ARM_BIN/lucid-health" ] && [ -z "${LUCID_MUTANT_RUN:-}" ]; then
	label=arm64
	runner=("$QEMU")
	lh="$ARM_BIN/lucid-health"
	https_cases
	grpc_cases
	hostile_cases
fi
finish

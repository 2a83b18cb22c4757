#!/bin/bash
# tests/integration/kubelet.sh: lucid-health's default verdict is the
# kubelet's httpGet verdict. Each case below is a server behaviour
# (tests/tools/kubelet-server.py) and what the kubelet's prober decides about
# it, as its code does (pkg/probe/http: Go's client with the kubelet's
# redirect checker, a 10 KiB body read, 200 <= status < 400), grouped as the
# issue found lucid and the kubelet disagreeing:
#   body       the body is read (up to 10 KiB) within the deadline: a stall,
#              a short body or broken framing fails; what lies past 10 KiB
#              is never looked at
#   redirects  the same host name is followed on any port, up to a 10th
#              redirect, which fails; another host ends it, and the redirect
#              itself is judged (a 3xx: healthy)
#   headers    obs-fold is joined, "Name : v" accepted, and any number or
#              size of fields streams past
#   urls       a space, UTF-8 or a control byte in the path is percent-encoded
# The verdicts are the kubelet's; each line also pins the reason lucid-health
# gives. The cases run natively and on arm64 under $QEMU.
# shellcheck source=tests/lib.sh
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/integration/probe.bash
source "$(dirname "$0")/probe.bash"

need python3 python3
unset "${!LUCID_HEALTH_@}" http_proxy HTTP_PROXY no_proxy NO_PROXY

spawn python3 "$(dirname "$0")/../tools/kubelet-server.py" "$WORK/ports"
if ! wait_for 100 test -s "$WORK/ports"; then
	fail "kubelet-server starts" "no port file within 10 s"
	finish
fi
read -r A B <"$WORK/ports"
base="http://127.0.0.1:$A"

# verdict NAME WANT_EXIT REGEX PATH [ARGS...]: probe $base$PATH with
# --timeout 1; WANT_EXIT is the kubelet's verdict, and the probe must end
# within its deadline (2 s allows for qemu and a loaded machine).
verdict() {
	local name=$1 want=$2 pattern=$3 path=$4
	shift 4
	probe_line "$label: $name" "$want" 2000 "$pattern" "${runner[@]}" "$lh" -t 1 "$@" "$base$path"
}

cases() {
	# --- body ---
	verdict "body: 200 then a stall fails at the deadline" 1 "timed out after 1\.0 s while reading the body$" /body/stall
	verdict "body: shorter than Content-Length fails" 1 "-> 200, but the body ended early after 12 of 40 bytes$" /body/short
	verdict "body: broken chunked framing fails" 1 "-> 200, but the chunked body is malformed: bad chunk size$" /body/bad-chunk
	verdict "body: no last chunk before the close fails" 1 "-> 200, but the body ended before its last chunk$" /body/no-last-chunk
	verdict "body: no length and no close fails at the deadline" 1 "timed out after 1\.0 s while reading the body$" /body/no-length-stall
	verdict "body: a stall after 10 KiB is not seen" 0 "^healthy: GET .*/body/10k-then-stall -> 200 " /body/10k-then-stall
	verdict "body: broken framing after 10 KiB is not seen" 0 "^healthy: " /body/10k-then-broken
	verdict "body: HTTP/1.0 to the close" 0 "^healthy: " /body/http10-close
	verdict "body: a 503 fails on its status" 1 "-> 503 in [0-9.]+ ms \(expected 200-399\)$" /body/503-stall

	# --- redirects ---
	verdict "redirects: 9 followed" 0 "^healthy: GET .*/chain/9/9 -> 200 in [0-9.]+ ms after 9 redirects$" /chain/9/0
	verdict "redirects: a 10th fails" 1 "redirect to \"/chain/10/10\": stopped after 10 redirects$" /chain/10/0
	verdict "redirects: same host, another port, followed" 0 "^healthy: GET http://127\.0\.0\.1:$B/status/200 -> 200 .* after 1 redirect$" /redirect/other-port
	verdict "redirects: same host, another port, its 503 counts" 1 "^unhealthy: GET http://127\.0\.0\.1:$B/status/503 -> 503 " /redirect/other-port-503
	verdict "redirects: another host ends it, the 302 is healthy" 0 "-> 302 in [0-9.]+ ms \(a redirect to another host, not followed\)$" /redirect/other-host
	verdict "redirects: localhost is another host name than 127.0.0.1" 0 "/redirect/localhost -> 301 .*not followed\)$" /redirect/localhost
	verdict "redirects: a 303 to a 503 fails" 1 "/status/503 -> 503 .*\(expected 200-399\)$" /redirect/to-503
	verdict "redirects: a 302 without Location is judged itself" 0 "/redirect/no-location -> 302 in [0-9.]+ ms$" /redirect/no-location
	verdict "redirects: a 300 is never followed" 0 "/redirect/300 -> 300 " /redirect/300
	verdict "redirects: another scheme on the same host fails" 1 "redirect to \"ftp://127\.0\.0\.1/\": unsupported scheme" /redirect/ftp-same-host
	verdict "redirects: a control byte in Location fails" 1 "control character in (the )?Location$" /redirect/bad-location
	verdict "redirects: --no-follow judges the first" 1 "/redirect/to-503 -> 303 .*\(expected 200\)$" /redirect/to-503 --no-follow -s 200

	# --- headers ---
	verdict "headers: obs-fold is joined" 0 "^healthy: " /head/obs-fold
	verdict "headers: 'Name : v' is accepted" 0 "^healthy: " /head/space-before-colon
	verdict "headers: 1,000 fields" 0 "^healthy: " /head/1000-fields
	verdict "headers: a 64 KiB line" 0 "^healthy: " /head/64k-line
	verdict "headers: 200 KiB of Set-Cookie and CSP" 0 "^healthy: " /head/200k-cookies
	verdict "headers: a line without a colon fails" 1 "malformed header line: \"Just some words\"$" /head/no-colon
	verdict "headers: Transfer-Encoding other than chunked fails" 1 "unsupported Transfer-Encoding: \"gzip, chunked\"$" /head/gzip-chunked
	verdict "headers: 100 and 103 before the 200" 0 "^healthy: .* -> 200 " /head/continue-then-200
	verdict "headers: 101 is a final status, outside 200-399" 1 "-> 101 .*\(expected 200-399\)$" /head/101

	# --- urls ---
	verdict "urls: a space is sent as %20" 0 "^healthy: GET http://127\.0\.0\.1:$A/a%20b -> 200 " "/a b"
	verdict "urls: UTF-8 is percent-encoded" 0 "^healthy: GET .*/caf%C3%A9 -> 200 " "/café"
	verdict "urls: a control byte is percent-encoded" 0 "^healthy: GET .*/x%0Ay -> 200 " $'/x\ny'
}

label=native
runner=()
lh="$BIN/lucid-health"
cases
if [ -n "${QEMU:-}" ] && [ -x "$ARM_BIN/lucid-health" ] && [ -z "${LUCID_MUTANT_RUN:-}" ]; then
	label=arm64
	runner=("$QEMU")
	lh="$ARM_BIN/lucid-health"
	cases
fi
finish

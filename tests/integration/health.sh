#!/bin/bash
# tests/integration/health.sh: the real static lucid-health against
# tests/tools/hostile-server, one server per misbehaviour, over real loopback
# sockets. Every probe case checks the exit code (0 healthy, 1 anything
# else), that the probe came back within its deadline (plus its start-up
# and 200 ms: measure_slack), and the one
# line it printed. The cases run twice: with the native binary, then with
# the arm64 binary under $QEMU (against the same native servers).
# shellcheck source=tests/lib.sh
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

# Hermetic: nothing from the caller's environment may configure the probe.
unset "${!LUCID_HEALTH_@}" http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# serve NAME SCENARIO [hostile-server options]: start a server in the background,
# logging its requests to $WORK/NAME.log (all_up below waits for the ports).
serve() {
	local name=$1 scenario=$2
	shift 2
	spawn "$TOOLS/hostile-server" "$scenario" --log "$WORK/$name.log" "$@" 2>"$WORK/$name.err"
}

port_of() { cat "$WORK/$1.port"; }

for s in 200 204 301 404 500 503 body big-body chunked http10 continue big-headers garbage close reset \
	silent trickle trickle-body redirect echo backlog; do
	serve "$s" "$s" --port 0 --port-file "$WORK/$s.port"
done
serve v6only 200 --port 0 --port-file "$WORK/v6only.port" --ipv6-only
serve v6echo echo --port 0 --port-file "$WORK/v6echo.port" --ipv6-only
serve unix echo --unix "$WORK/app.sock"
# A port nothing listens on: bound by a server that is then stopped.
serve dead 200 --port 0 --port-file "$WORK/dead.port"
dead_pid=$spawned

all_up() {
	local f
	for f in 200 204 301 404 500 503 body big-body chunked http10 continue big-headers garbage close reset \
		silent trickle trickle-body redirect echo backlog v6only v6echo dead; do
		[ -s "$WORK/$f.port" ] || return 1
	done
	[ -S "$WORK/app.sock" ]
}
if ! wait_for 50 all_up; then
	fail "hostile-server starts" "not every server wrote its port file within 5 s: $(cat "$WORK"/*.err 2>/dev/null | head -c 300)"
	finish
fi
kill "$dead_pid"
wait "$dead_pid" 2>/dev/null
dead=$(port_of dead)

# A private /etc/hosts with localhost on both ::1 and 127.0.0.1, mounted over
# the real one in a mount namespace, so the IPv6-only and IPv4-only cases
# hold whatever this machine's /etc/hosts says (musl reads the file directly).
printf '::1 localhost\n127.0.0.1 localhost\n' >"$WORK/hosts"
if unshare -rm true 2>/dev/null; then
	dual_hosts=(unshare -rm sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$WORK/hosts")
else
	dual_hosts=()
fi

# A network namespace whose only nameserver (127.0.0.1:53) never answers:
# nothing listens there, and musl's unconnected UDP socket never hears the
# ICMP error, so only the probe's own deadline can end the lookup.
printf 'nameserver 127.0.0.1\n' >"$WORK/resolv.conf"
if command -v ip >/dev/null && unshare -rnm true 2>/dev/null; then
	silent_dns=(unshare -rnm sh -c 'ip link set lo up && mount --bind "$0" /etc/resolv.conf && exec "$@"' "$WORK/resolv.conf")
else
	silent_dns=()
fi

probe_env=()

# The time a probe may take beyond LIMIT_MS: what starting it costs here
# with this runner (the median of three --version runs, so one cold start
# of qemu-user does not set it; the wrappers that unshare and mount cost
# theirs) plus 200 ms for a loaded 2-core CI machine. A probe that ignored
# its deadline overshoots by seconds (the next step's own timeout, musl's
# 5 s DNS retry), not by this.
measure_slack() {
	local t0 runs=() start
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		env "${probe_env[@]}" "${runner[@]}" "${LH[@]}" --version >/dev/null 2>&1
		runs+=($((($(date +%s%N) - t0) / 1000000)))
	done
	start=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
	slack=$((start + 200))
	echo "# $label: a probe may overrun its deadline by $slack ms (start-up $start ms, of ${runs[*]}, + 200)"
}

# expect NAME WANT_EXIT LIMIT_MS STDOUT_REGEX ARGS...: run the probe with ARGS
# and check its exit code, that it took at most LIMIT_MS + $slack, and that
# stdout is exactly one line matching STDOUT_REGEX (empty regex: stdout must
# be empty).
expect() {
	local name="$label: $1" want=$2 limit=$(($3 + slack)) pattern=$4 t0 t1 ms rc said
	shift 4
	t0=$(date +%s%N)
	timeout -k 1 20 env "${probe_env[@]}" "${runner[@]}" "${LH[@]}" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	said="stdout: $(head -c 400 "$WORK/out" | tr '\n' '|'); stderr: $(head -c 200 "$WORK/err" | tr '\n' '|')"
	if [ "$rc" != "$want" ]; then
		fail "$name" "probe exited $rc, expected $want; $said"
	elif [ "$ms" -gt "$limit" ]; then
		fail "$name" "probe took $ms ms, more than the $limit ms its deadline allows; $said"
	elif [ -z "$pattern" ] && [ -s "$WORK/out" ]; then
		fail "$name" "expected no stdout; $said"
	elif [ -n "$pattern" ] && { [ "$(wc -l <"$WORK/out")" != 1 ] || ! grep -Eq -- "$pattern" "$WORK/out"; }; then
		fail "$name" "expected one stdout line matching /$pattern/; $said"
	else
		pass "$name"
	fi
}

# expect_usage NAME STDERR_REGEX ARGS...: a usage error: exit 1 (never 2,
# which Docker reserves), within a second, nothing on stdout, one stderr line.
expect_usage() {
	local name="$label: $1" pattern=$2 rc said t0 ms
	shift 2
	t0=$(date +%s%N)
	timeout -k 1 20 env "${probe_env[@]}" "${runner[@]}" "${LH[@]}" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	said="stdout: $(head -c 200 "$WORK/out"); stderr: $(head -c 300 "$WORK/err" | tr '\n' '|')"
	if [ "$rc" != 1 ]; then
		fail "$name" "exited $rc on a usage error, expected 1; $said"
	elif [ "$ms" -gt 1000 ]; then
		fail "$name" "a usage error took $ms ms; it should need no network at all"
	elif [ -s "$WORK/out" ] || [ "$(wc -l <"$WORK/err")" != 1 ] || ! grep -Eq -- "^lucid-health: .*$pattern" "$WORK/err"; then
		fail "$name" "expected one stderr line 'lucid-health: ...$pattern'; $said"
	else
		pass "$name"
	fi
}

# request_has SERVER LINE: the requests SERVER logged (since the log was
# last emptied) contain LINE, CRLF-terminated.
request_has() {
	grep -qF -- "$2"$'\r' "$WORK/$1.log"
}

ms_re='in [0-9]+\.[0-9] ms'

probe_cases() {
	local p t=2 T=2000 # --timeout 2 for cases that should not time out

	# --- status codes (the kubelet's rule: 200-399, after its redirects) ---
	p=$(port_of 200)
	expect "HTTP 200 is healthy" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/health -> 200 $ms_re$" -t $t "http://127.0.0.1:$p/health"
	p=$(port_of 204)
	expect "HTTP 204 is healthy" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/ -> 204 $ms_re$" -t $t "http://127.0.0.1:$p/"
	p=$(port_of 301)
	expect "a 301 to itself fails at the 10th redirect" 1 $T "^unhealthy: GET .* -> 301, redirect to \"/moved\": stopped after 10 redirects$" -t $t "http://127.0.0.1:$p/"
	expect "--no-follow: HTTP 301 is healthy" 0 $T "^healthy: GET .* -> 301 $ms_re$" -t $t --no-follow "http://127.0.0.1:$p/"
	expect "--no-follow --status 200 makes 301 unhealthy" 1 $T "^unhealthy: GET .* -> 301 $ms_re \(expected 200\)$" -t $t --no-follow -s 200 "http://127.0.0.1:$p/"
	for code in 404 500 503; do
		p=$(port_of $code)
		expect "HTTP $code is unhealthy" 1 $T "^unhealthy: GET http://127\.0\.0\.1:$p/health -> $code $ms_re \(expected 200-399\)$" \
			-t $t "http://127.0.0.1:$p/health"
	done
	expect "--status 500-503 makes 503 healthy" 0 $T "^healthy: .* -> 503 " -t $t --status 500-503 "http://127.0.0.1:$p/"
	expect "-q prints nothing and still exits 1 on 503" 1 $T "" -q -t $t "http://127.0.0.1:$p/"
	p=$(port_of 200)
	expect "-q prints nothing and exits 0 on 200" 0 $T "" -q -t $t "http://127.0.0.1:$p/"
	expect "HEAD is healthy on 200" 0 $T "^healthy: HEAD http://.* -> 200 " -t $t -X HEAD "http://127.0.0.1:$p/"

	# --- bodies ---
	p=$(port_of body)
	expect "body text found across reads" 0 $T "^healthy: GET .* -> 200 $ms_re$" -t $t --body-contains "all systems ready" "http://127.0.0.1:$p/"
	expect "missing body text is unhealthy" 1 $T "^unhealthy: GET .* -> 200 $ms_re, but the body does not contain \"degraded\"$" \
		-t $t --body-contains degraded "http://127.0.0.1:$p/"
	p=$(port_of big-body)
	expect "body over --max-body is unhealthy, not truncated" 1 $T "does not contain \"all systems ready\" in its first 65536 bytes \(--max-body\)$" \
		-t $t --body-contains "all systems ready" "http://127.0.0.1:$p/"
	expect "a larger --max-body reads the whole body" 0 $T "^healthy: " -t $t --max-body 200000 --body-contains "all systems ready" "http://127.0.0.1:$p/"
	p=$(port_of chunked)
	expect "chunked body text found" 0 $T "^healthy: GET .* -> 200 " -t $t --body-contains "all systems ready" "http://127.0.0.1:$p/"
	expect "chunked body without the text is unhealthy" 1 $T "does not contain \"absent\"$" -t $t --body-contains absent "http://127.0.0.1:$p/"
	p=$(port_of http10)
	expect "HTTP/1.0 close-delimited body text found" 0 $T "^healthy: GET .* -> 200 " -t $t --body-contains "all systems ready" "http://127.0.0.1:$p/"
	p=$(port_of continue)
	expect "100 Continue and 103 are skipped" 0 $T "^healthy: GET .* -> 200 " -t $t --body-contains ready "http://127.0.0.1:$p/"

	# --- hostile responses ---
	p=$(port_of big-headers)
	expect "20 KiB of headers are healthy, as to the kubelet" 0 $T "^healthy: GET .* -> 200 $ms_re$" -t $t "http://127.0.0.1:$p/"
	p=$(port_of garbage)
	expect "garbage status line fails at once" 1 1000 "^unhealthy: GET .*: not an HTTP response: \"SSH-2\.0-OpenSSH_9\.6\"$" -t 3 "http://127.0.0.1:$p/"
	p=$(port_of close)
	expect "close before responding is unhealthy" 1 $T "^unhealthy: GET .*: connection closed before any response$" -t $t "http://127.0.0.1:$p/"
	p=$(port_of reset)
	expect "reset mid-body is unhealthy" 1 $T "^unhealthy: GET .*: Connection reset by peer$" -t $t --body-contains never "http://127.0.0.1:$p/"

	# --- the one deadline ---
	p=$(port_of silent)
	expect "silent server: exit 1 within --timeout 1" 1 1000 "^unhealthy: timed out after 1\.0 s while reading headers$" -t 1 "http://127.0.0.1:$p/"
	p=$(port_of trickle)
	expect "trickling headers cannot stretch the deadline" 1 1000 "^unhealthy: timed out after 1\.0 s while reading headers$" -t 1 "http://127.0.0.1:$p/"
	p=$(port_of trickle-body)
	expect "trickling body cannot stretch the deadline" 1 1000 "^unhealthy: timed out after 1\.0 s while reading the body$" \
		-t 1 --body-contains ready "http://127.0.0.1:$p/"
	p=$(port_of backlog)
	expect "a hanging connect ends at the deadline" 1 700 "^unhealthy: timed out after 0\.6 s while connecting$" -t 0.6 "http://127.0.0.1:$p/"
	expect "--connect-timeout bounds the connect" 1 300 "^unhealthy: connect 127\.0\.0\.1:$p: timed out after 0\.3 s \(--connect-timeout\)$" \
		-t 2 --connect-timeout 0.3 "http://127.0.0.1:$p/"
	expect "--connect-timeout never extends --timeout" 1 500 "^unhealthy: timed out after 0\.5 s while connecting$" \
		-t 0.5 --connect-timeout 5 "http://127.0.0.1:$p/"
	expect "nothing listening: connection refused" 1 $T "^unhealthy: connect 127\.0\.0\.1:$dead: Connection refused$" -t $t "http://127.0.0.1:$dead/"

	# --- addresses ---
	p=$(port_of v6only)
	expect "IPv6 literal" 0 $T "^healthy: GET http://\[::1\]:$p/ -> 200 " -t $t "http://[::1]:$p/"
	if [ ${#dual_hosts[@]} -gt 0 ]; then
		local saved=("${runner[@]}") saved_slack=$slack
		runner=("${dual_hosts[@]}" "${saved[@]}")
		measure_slack # the wrapper costs its own start-up
		expect "IPv6-only listener reached via localhost" 0 $T "^healthy: GET http://localhost:$p/ -> 200 " -t $t "http://localhost:$p/"
		p=$(port_of 200)
		expect "IPv4-only listener reached via localhost after ::1 refuses" 0 $T "^healthy: GET http://localhost:$p/ -> 200 " -v -t $t "http://localhost:$p/"
		check_true "$label: localhost tried ::1 first, then 127.0.0.1" "stderr did not show the refused [::1]:$p attempt: $(head -c 300 "$WORK/err")" \
			grep -qF "connect [::1]:$p: Connection refused" "$WORK/err"
		expect "tcp:// via localhost names the address that answered" 0 $T "^healthy: connect localhost:$p \(127\.0\.0\.1:$p\) $ms_re$" -t $t "tcp://localhost:$p"
		expect "every localhost address refused" 1 $T "^unhealthy: connect localhost:$dead: Connection refused \(tried 2 addresses\)$" -t $t "http://localhost:$dead/"
		runner=("${saved[@]}")
		slack=$saved_slack
	else
		pass "$label: IPv6/IPv4 localhost cases # SKIP unshare -rm unavailable, cannot provide a dual-stack /etc/hosts"
	fi
	p=$(port_of 200)
	if grep -Eq '^[[:space:]]*127\.0\.0\.1[[:space:]].*\blocalhost\b' /etc/hosts; then
		expect "localhost from this machine's /etc/hosts" 0 $T "^healthy: GET http://localhost:$p/ -> 200 " -t $t "http://localhost:$p/"
	fi
	expect "unresolvable name is unhealthy" 1 $T "^unhealthy: (resolve nosuch\.invalid: |timed out after 2\.0 s while resolving)" \
		-t $t "http://nosuch.invalid:$p/"
	if [ ${#silent_dns[@]} -gt 0 ]; then
		local saved=("${runner[@]}") saved_slack=$slack
		runner=("${silent_dns[@]}" "${saved[@]}")
		measure_slack # the wrapper costs its own start-up
		# musl alone would wait 5 s x 2 attempts for this nameserver.
		# glibc (the sanitized build) hears the ICMP error and fails at once.
		local silent_re="^unhealthy: timed out after 1\.0 s while resolving the host name$"
		[ -n "${LUCID_SANITIZED:-}" ] && silent_re="^unhealthy: (timed out after 1\.0 s while resolving the host name|resolve service\.example\.test: Name could not be resolved at this time)$"
		# Without the probe's own bound it would take musl's 5 s x 2: 2 s tells
		# them apart and leaves the namespace set-up room on a loaded machine.
		expect "DNS that never answers cannot stretch the deadline" 1 2000 "$silent_re" \
			-t 1 http://service.example.test:8080/health
		runner=("${saved[@]}")
		slack=$saved_slack
	else
		pass "$label: silent DNS case # SKIP unshare -rnm or ip unavailable"
	fi

	# --- Unix socket, TCP ---
	: >"$WORK/unix.log"
	expect "HTTP over a Unix socket" 0 $T "^healthy: GET http://localhost/ready via unix:$WORK/app\.sock -> 200 " -t $t --unix-socket "$WORK/app.sock" http://localhost/ready
	check_true "$label: Unix socket request has Host from the URL" "request was: $(head -c 300 "$WORK/unix.log" | tr '\r\n' '  ')" \
		request_has unix "Host: localhost"
	expect "missing Unix socket is unhealthy" 1 $T "^unhealthy: connect unix:$WORK/nope\.sock: No such file or directory$" -t $t --unix-socket "$WORK/nope.sock" http://localhost/
	expect "tcp:// open port is healthy" 0 $T "^healthy: connect 127\.0\.0\.1:$p $ms_re$" -t $t "tcp://127.0.0.1:$p"
	expect "tcp:// closed port is unhealthy" 1 $T "^unhealthy: connect 127\.0\.0\.1:$dead: Connection refused$" -t $t "tcp://127.0.0.1:$dead"

	# --- the request itself ---
	p=$(port_of echo)
	: >"$WORK/echo.log"
	probe_env=("HTTP_PROXY=http://127.0.0.1:$dead" "http_proxy=http://127.0.0.1:$dead" "ALL_PROXY=http://127.0.0.1:$dead"
		"all_proxy=socks5://127.0.0.1:$dead" "NO_PROXY=" "no_proxy=")
	expect "proxy variables pointing at a dead port are ignored" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/echo\?x=1 -> 200 " \
		-t $t -H "X-Probe: yes" "http://127.0.0.1:$p/echo?x=1"
	probe_env=()
	check_true "$label: request line is origin-form (no proxy)" "request was: $(head -c 300 "$WORK/echo.log" | tr '\r\n' '  ')" \
		request_has echo "GET /echo?x=1 HTTP/1.1"
	check_true "$label: Host carries the port" "no 'Host: 127.0.0.1:$p' in the request" request_has echo "Host: 127.0.0.1:$p"
	check_true "$label: User-Agent names lucid-health" "no lucid-health User-Agent in the request" request_has echo "User-Agent: lucid-health/0.1.0"
	check_true "$label: Accept and Connection: close sent" "missing Accept or Connection: close" \
		eval 'request_has echo "Accept: */*" && request_has echo "Connection: close"'
	check_true "$label: -H header sent" "no X-Probe header in the request" request_has echo "X-Probe: yes"

	: >"$WORK/echo.log"
	expect "--host overrides the Host header" 0 $T "^healthy: " -t $t --host app.example.com "http://127.0.0.1:$p/"
	check_true "$label: one Host header, the override" "request was: $(head -c 300 "$WORK/echo.log" | tr '\r\n' '  ')" \
		eval 'request_has echo "Host: app.example.com" && [ "$(grep -c "^Host:" "$WORK/echo.log")" = 1 ]'
	: >"$WORK/echo.log"
	expect "-H Host replaces the Host header" 0 $T "^healthy: " -t $t -H "Host: api.internal" "http://127.0.0.1:$p/"
	check_true "$label: -H Host sent once" "request was: $(head -c 300 "$WORK/echo.log" | tr '\r\n' '  ')" \
		eval 'request_has echo "Host: api.internal" && [ "$(grep -c "^Host:" "$WORK/echo.log")" = 1 ]'
	p=$(port_of v6echo)
	: >"$WORK/v6echo.log"
	expect "IPv6 literal request" 0 $T "^healthy: " -t $t "http://[::1]:$p/v6"
	check_true "$label: IPv6 Host in brackets" "no 'Host: [::1]:$p' in the request" request_has v6echo "Host: [::1]:$p"

	# --- redirects ---
	p=$(port_of redirect)
	expect "--follow 3 follows a relative and absolute chain" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/final -> 200 $ms_re after 3 redirects$" \
		-t $t --follow 3 "http://127.0.0.1:$p/"
	expect "--follow 2 is not enough for 3 redirects" 1 $T "redirect to \"http://127\.0\.0\.1:$p/final\": stopped after 3 redirects$" -t $t --follow 2 "http://127.0.0.1:$p/"
	expect "redirect to another host: judged as the redirect itself" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/away -> 302 $ms_re \(a redirect to another host, not followed\)$" \
		-t $t "http://127.0.0.1:$p/away"
	expect "redirect to https on a plain port fails in the TLS handshake" 1 3000 "^unhealthy: timed out after 1\.0 s while in the TLS handshake$" -t 1 "http://127.0.0.1:$p/https"

	# --- environment configuration ---
	p=$(port_of 200)
	probe_env=("LUCID_HEALTH_URL=http://127.0.0.1:$p/env" "LUCID_HEALTH_TIMEOUT=2")
	expect "LUCID_HEALTH_URL without an argument" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/env -> 200 "
	probe_env=("LUCID_HEALTH_URL=http://127.0.0.1:$p/env" "LUCID_HEALTH_STATUS=204")
	expect "LUCID_HEALTH_STATUS=204 makes 200 unhealthy" 1 $T "-> 200 $ms_re \(expected 204\)$"
	expect "the command line overrides the environment" 0 $T "^healthy: GET http://127\.0\.0\.1:$p/cli -> 200 " -s 200 "http://127.0.0.1:$p/cli"
	p=$(port_of echo)
	: >"$WORK/echo.log"
	probe_env=("LUCID_HEALTH_URL=http://127.0.0.1:$p/" "LUCID_HEALTH_HEADERS=X-One: 1"$'\n'"X-Two: 2" "LUCID_HEALTH_QUIET=1")
	expect "LUCID_HEALTH_HEADERS and LUCID_HEALTH_QUIET" 0 $T ""
	check_true "$label: both LUCID_HEALTH_HEADERS lines sent" "request was: $(head -c 300 "$WORK/echo.log" | tr '\r\n' '  ')" \
		eval 'request_has echo "X-One: 1" && request_has echo "X-Two: 2"'
	probe_env=("LUCID_HEALTH_URL=http://127.0.0.1:$p/" "LUCID_HEALTH_TIMOUT=3")
	expect_usage "misspelt LUCID_HEALTH_ variable is an error" "unknown environment variable LUCID_HEALTH_TIMOUT"
	probe_env=()

	# --- usage errors: exit 1 and one line on stderr ---
	expect_usage "no URL" "no URL"
	expect_usage "bad scheme" "unsupported scheme" ftp://127.0.0.1/
	expect_usage "--cert without --key" "--cert needs --key" --cert /c.pem https://127.0.0.1/
	expect_usage "credentials in the URL" "credentials" http://user:pw@127.0.0.1/
	expect_usage "bad port" "port must be a number from 1 to 65535" http://127.0.0.1:70000/
	expect_usage "bad status list" "600 is outside 100-599" --status 200,600 http://127.0.0.1/
	expect_usage "backwards status range" "range 399-200 is backwards" --status 399-200 http://127.0.0.1/
	expect_usage "header with CR/LF" "header injection" -H $'X-A: 1\r\nX-Evil: 2' http://127.0.0.1/
	expect_usage "header with LF only" "header injection" -H $'X-A: 1\nGET /admin HTTP/1.1' http://127.0.0.1/
	expect_usage "unknown option" "unknown option '--frobnicate' \(see --help\)" --frobnicate http://127.0.0.1/
	expect_usage "bad timeout" "not a duration" --timeout soon http://127.0.0.1/
	expect_usage "body check on tcp://" "needs an http:// or https:// URL" --body-contains x tcp://127.0.0.1:1

	# --- help, version, unprivileged ---
	local rc
	timeout 10 "${runner[@]}" "${LH[@]}" --help >"$WORK/out" 2>&1
	rc=$?
	check_true "$label: --help exits 0 and documents env vars and exit codes" "--help exited $rc and said: $(head -c 200 "$WORK/out")" \
		eval '[ $rc = 0 ] && grep -q LUCID_HEALTH_URL "$WORK/out" && grep -q "exit 0 if healthy, 1" "$WORK/out"'
	check_true "$label: --version" "--version printed: $(timeout 10 "${runner[@]}" "${LH[@]}" --version 2>&1)" \
		eval '[ "$(timeout 10 "${runner[@]}" "${LH[@]}" --version)" = "lucid-health 0.1.0" ]'
	if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
		local saved=("${runner[@]}") saved_slack=$slack
		runner=(setpriv --reuid=65532 --regid=65532 --clear-groups "${saved[@]}")
		measure_slack # the wrapper costs its own start-up
		p=$(port_of 200)
		expect "works as uid 65532" 0 $T "^healthy: " -t $t "http://127.0.0.1:$p/"
		# At its pids limit the probe cannot fork its resolver: it must say
		# so at once, never resolve unbounded in-process (musl retries 10 s).
		# Natively only: qemu-user itself needs threads under that limit.
		if [ "$label" = native ]; then
			runner=(setpriv --reuid=65532 --regid=65532 --clear-groups prlimit --nproc=1)
			# LeakSanitizer's exit check needs a thread, which the limit forbids.
			[ -n "${LUCID_SANITIZED:-}" ] && probe_env=("ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0")
			measure_slack # the wrapper costs its own start-up
			expect "a resolver that cannot be forked fails at once, within the deadline" 1 1000 \
				"^unhealthy: resolve service\.example\.test: cannot start the resolver: " \
				-t 1 "http://service.example.test/"
		fi
		runner=("${saved[@]}")
		slack=$saved_slack
		probe_env=()
	fi
}

label=native
runner=()
LH=("$BIN/lucid-health")
measure_slack
probe_cases

if [ -n "${ARM_BIN:-}" ] && [ -x "$ARM_BIN/lucid-health" ] && { [ -z "${QEMU:-}" ] || command -v "$QEMU" >/dev/null; }; then
	label=arm64
	runner=()
	LH=(${QEMU:+"$QEMU"} "$ARM_BIN/lucid-health")
	measure_slack
	probe_cases
elif [ -n "${LUCID_SANITIZED:-}" ]; then
	pass "arm64 cases # SKIP the sanitized run is native only"
else
	fail "arm64 cases" "no arm64 lucid-health in ARM_BIN='${ARM_BIN:-}' or no QEMU='${QEMU:-}'"
fi

# No /dev/null to fill a closed stdout with (a tmpfs over /dev): the socket
# would become fd 1 and the verdict would go into the service. The probe
# must refuse to probe at all.
check_exit "with stdout closed and no /dev/null, the probe fails before it opens a socket" 1 \
	unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0" "$1" >&-' "$BIN/lucid-health" "http://127.0.0.1:$(port_of 200)/"
check_exit "...while with /dev/null there it probes as usual" 0 \
	sh -c 'exec "$0" "$1" >&-' "$BIN/lucid-health" "http://127.0.0.1:$(port_of 200)/"

finish

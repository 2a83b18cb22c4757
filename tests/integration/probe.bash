# shellcheck shell=bash
# tests/integration/probe.bash: sourced by the lucid-health suites that judge
# one probe per check (kubelet.sh, tls.sh), after tests/lib.sh.
#
# probe_line NAME WANT_EXIT LIMIT_MS REGEX CMD...: run CMD (the probe, with
# its runner) and check its exit code, that it ended within LIMIT_MS, and that
# stdout is exactly one line matching REGEX. stdout and stderr stay in
# $WORK/out and $WORK/err for checks after it.
probe_line() {
	local name=$1 want=$2 limit=$3 pattern=$4 rc t0 ms said
	shift 4
	t0=$(date +%s%N)
	timeout -k 1 10 "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	ms=$(ms_since "$t0")
	said="stdout: $(head -c 300 "$WORK/out" | tr '\n' '|'); stderr: $(head -c 300 "$WORK/err" | tr '\n' '|')"
	if [ "$rc" != "$want" ]; then
		fail "$name" "exited $rc, expected $want; $said"
	elif [ "$ms" -gt "$limit" ]; then
		fail "$name" "took $ms ms, more than $limit; $said"
	elif [ "$(wc -l <"$WORK/out")" != 1 ] || ! grep -Eq -- "$pattern" "$WORK/out"; then
		fail "$name" "expected one line matching /$pattern/; $said"
	else
		pass "$name"
	fi
}

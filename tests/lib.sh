# tests/lib.sh: sourced by every integration suite (tests/integration/*.sh).
#
# A suite runs checks and reports each as "ok - NAME" or "not ok - NAME: WHY"
# (the reason says what a user would see), then calls `finish`, which prints
# "SUITE: N passed, N failed" for tests/run to add up. A suite exits 0 when it
# ran to the end; failures are counted, not signalled by the exit code.
#
# Environment (set by tests/run from the install prefix):
#   BIN        the host's shipped binaries (lucid-init, lucid-health)
#   TOOLS      the host's test tools (sigrecord, orphans, hostile-server, ...)
#   ARM_BIN    the arm64 binaries, ARM_TOOLS the arm64 test tools
#   QEMU       qemu-aarch64-static
#   WORK       a scratch directory for this suite, removed afterwards

suite_name=$(basename "$0" .sh)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1: $2"; }

# check_exit NAME WANT_EXIT CMD...: run CMD (bounded by 30 s) and compare its
# exit code. CMD must be a program: `timeout` cannot run a shell function and
# would exit 127 itself, which could pass a check that expects 127.
check_exit() {
	local name=$1 want=$2 got
	shift 2
	if declare -F "$1" >/dev/null || ! command -v "$1" >/dev/null; then
		fail "$name" "test bug: '$1' is not a program check_exit can run (use check_true for functions)"
		return
	fi
	timeout -k 5 30 "$@" >"$WORK/out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "exited $got, expected $want; output: $(head -c 300 "$WORK/out" | tr '\n' ' ')"
	fi
}

# check_true NAME WHY CMD...: pass when CMD succeeds, else fail with WHY.
check_true() {
	local name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# wait_for N_DECISECONDS CMD...: poll until CMD succeeds; 1 on timeout.
wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

finish() {
	echo "$suite_name: $passed passed, $failed failed"
	exit 0
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lucid-$suite_name.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

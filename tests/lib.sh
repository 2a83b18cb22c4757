# shellcheck shell=bash
# tests/lib.sh: sourced by every shell suite (tests/integration/*.sh,
# tests/e2e/*.sh, tests/selftest/*.sh).
#
# A suite runs checks and reports each as "ok - NAME" or "not ok - NAME: WHY"
# (the reason says what a user would see), then calls `finish`, which prints
# "SUITE: N passed, N failed" for tests/run to add up. A suite exits 0 when it
# ran to the end; failures are counted, not signalled by the exit code.
#
# One check is one command: a check helper judges exactly the command it is
# given. `check_true N W [ a ] && [ b ]` would judge only `[ a ]`, so write
# conditions that need more than one command as a function, or use
# check_between for ranges; tests/selftest/lib.sh rejects any suite line that
# chains a check with &&, ||, | or ;.
#
# Environment (set by tests/run from the install prefix):
#   BIN        the host's shipped binaries (lucid-init, lucid-health, lucid-seccomp)
#   TOOLS      the host's test tools (sigrecord, orphans, hostile-server, ...)
#   ARM_BIN    the arm64 binaries, ARM_TOOLS the arm64 test tools
#   QEMU       qemu-aarch64-static
#   PREFIX     the staged install prefix (zig-out)
#   WORK       a scratch directory for this suite, removed afterwards

suite_name=$(basename "$0" .sh)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "not ok - $1: $2"; }

# Refuse what a check helper cannot run as a program: `timeout` cannot run
# a shell function and would exit 127 itself.
is_program() { ! declare -F "$1" >/dev/null && command -v "$1" >/dev/null; }

# check_exit NAME WANT_EXIT CMD...: run CMD (bounded by 30 s) and compare its
# exit code. CMD must be a program, not a shell function (use check_true).
check_exit() {
	local name=$1 want=$2 got
	shift 2
	if ! is_program "$1"; then
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

# check_true NAME WHY CMD...: pass when the one command CMD succeeds, else
# fail with WHY. CMD may be a shell function.
check_true() {
	local name=$1 why=$2
	shift 2
	if [ $# = 0 ]; then
		fail "$name" "test bug: no command to check"
	elif "$@"; then
		pass "$name"
	else
		fail "$name" "$why"
	fi
}

# check_false NAME WHY CMD...: pass when CMD fails (and ran: exit 1-125).
check_false() {
	local name=$1 why=$2 rc
	shift 2
	"$@"
	rc=$?
	if [ "$rc" -ge 1 ] && [ "$rc" -le 125 ]; then pass "$name"; else fail "$name" "$why (exit $rc)"; fi
}

# check_between NAME LO HI VALUE [UNIT]: LO <= VALUE <= HI, all integers.
# A timing that is the behaviour gets both bounds.
check_between() {
	local name=$1 lo=$2 hi=$3 value=$4 unit=${5:-}
	if ! [[ "$value" =~ ^-?[0-9]+$ && "$lo" =~ ^-?[0-9]+$ && "$hi" =~ ^-?[0-9]+$ ]]; then
		fail "$name" "test bug: '$value' is not a number (bounds $lo..$hi)"
	elif [ "$value" -ge "$lo" ] && [ "$value" -le "$hi" ]; then
		pass "$name"
	else
		fail "$name" "$value$unit is outside $lo$unit..$hi$unit"
	fi
}

# check_eq NAME GOT WANT: the two strings are equal.
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$(head -c 300 <<<"$2" | tr '\n' ' ')', expected '$3'"; fi
}

# check_grep NAME FILE ERE: some line of FILE matches the extended regex.
check_grep() {
	if grep -qE -- "$3" "$2" 2>/dev/null; then
		pass "$1"
	else
		fail "$1" "no line matches /$3/ in: $(head -c 300 "$2" 2>/dev/null | tr '\n' ' ')"
	fi
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

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# need PROGRAM PACKAGE...: every PROGRAM this suite runs must exist; if one is
# missing, say in one line which Debian package to install, count one
# failure and end the suite (no cascade of failures).
need() {
	local missing=()
	while [ $# -ge 2 ]; do
		command -v "$1" >/dev/null || missing+=("$1 (Debian package $2)")
		shift 2
	done
	if [ ${#missing[@]} -gt 0 ]; then
		fail "$suite_name can run" "missing: ${missing[*]}; deps/host-setup installs them"
		finish
	fi
}

# Background processes and cleanups, undone at exit, also on failure:
#   spawn CMD...  start CMD in the background; its pid is in $spawned, and it
#                 is SIGKILLed at exit if still there (an `unshare
#                 --kill-child` namespace then dies with it)
#   on_exit CMD   run CMD (a string) at exit, before the scratch dir goes
bg_pids=()
exit_cmds=()
spawn() {
	"$@" &
	spawned=$!
	bg_pids+=("$spawned")
}
on_exit() { exit_cmds+=("$1"); }
lib_cleanup() {
	local p c
	for c in "${exit_cmds[@]}"; do eval "$c" >/dev/null 2>&1; done
	for p in "${bg_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$WORK"
}

finish() {
	echo "$suite_name: $passed passed, $failed failed"
	exit 0
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lucid-$suite_name.XXXXXX")
trap lib_cleanup EXIT

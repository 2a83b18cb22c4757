#!/bin/bash
# The harness itself: every check helper of tests/lib.sh passes what it
# should and fails what it should, and no suite chains a check with &&, ||,
# |, ; or & (tests/selftest/lint-checks.py), so no check judges only half of
# its condition.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

# verdict HELPER ARGS...: "pass" or "fail", as HELPER reports it in a
# subshell with fresh counters (its output is kept in $WORK/verdict).
verdict() {
	(
		passed=0 failed=0
		"$@" >"$WORK/verdict" 2>&1
		if [ "$passed" = 1 ] && [ "$failed" = 0 ]; then echo pass
		elif [ "$passed" = 0 ] && [ "$failed" = 1 ]; then echo fail
		else echo "broken($passed/$failed)"; fi
	)
}
# expect WANT HELPER ARGS...: the helper's verdict is WANT.
expect() {
	local want=$1 got
	shift
	got=$(verdict "$@")
	if [ "$got" = "$want" ]; then
		pass "$1 ${*:2:3} -> $want"
	else
		fail "$1 ${*:2:3} -> $want" "got $got: $(head -c 200 "$WORK/verdict")"
	fi
}
truth() { return 0; }
falsehood() { return 1; }

expect pass check_exit n 0 true
expect fail check_exit n 0 false
expect fail check_exit n 3 sh -c 'exit 4'
expect fail check_exit n 127 truth              # a function: timeout would say 127 itself
expect fail check_exit n 127 /nonexistent/prog  # not a program
expect pass check_true n w truth
expect fail check_true n w falsehood
expect fail check_true n w                      # no command at all
expect pass check_false n w false
expect fail check_false n w true
expect fail check_false n w /nonexistent/prog   # 127 is not "failed"
expect pass check_between n 10 20 10
expect pass check_between n 10 20 20
expect fail check_between n 10 20 9
expect fail check_between n 10 20 21
expect fail check_between n 10 20 ""
expect fail check_between n 10 20 12ms
expect pass check_eq n abc abc
expect fail check_eq n abc abd
expect fail check_eq n "" x
printf 'one\ntwo\n' >"$WORK/lines"
expect pass check_grep n "$WORK/lines" '^two$'
expect fail check_grep n "$WORK/lines" '^three$'
expect fail check_grep n "$WORK/nonexistent" 'x'

# The linter finds a chained check, and every suite is clean.
printf '%s\n' 'check_true "n" "w" [ 1 = 1 ] && [ 1 = 2 ]' 'check_eq n a b || true' \
	'check_exit n 0 true | cat' 'check_true n w truth; false' >"$WORK/chained.sh"
python3 "$root/tests/selftest/lint-checks.py" "$WORK/chained.sh" >"$WORK/lint" 2>&1
check_eq "the linter reports each of four chained checks" "$(grep -c 'one check is one command' "$WORK/lint")" 4
printf '%s\n' 'check_true "a && b" "x || y" f "a|b"' 'check_grep n f "x;y"' >"$WORK/clean.sh"
check_exit "the linter leaves quoted operators alone" 0 python3 "$root/tests/selftest/lint-checks.py" "$WORK/clean.sh"
check_exit "no suite chains a check with &&, ||, |, ; or &" 0 python3 "$root/tests/selftest/lint-checks.py" \
	"$root"/tests/integration/*.sh "$root"/tests/e2e/*.sh "$root"/tests/selftest/*.sh "$root"/tests/mutants/*.sh

# A background process started with spawn is gone after the suite exits.
bash -c 'source "$1/tests/lib.sh"; spawn sleep 300; echo "$spawned" >"$2"; finish' _ "$root" "$WORK/pid" >/dev/null
pid=$(cat "$WORK/pid")
check_false "spawn: a suite's background process is killed when it exits" "pid $pid still runs" \
	sh -c "kill -0 $pid 2>/dev/null"

finish

#!/bin/bash
# tests/mutants/mutants.sh: every suite must be able to fail. For each mutant in
# $TOOLS/mutants/list (built by build.zig: a shipped program with one
# deliberate bug), run the suite named there against an install prefix in
# which that program is the mutant, and require the suite to report at least
# one failure. A suite that passes a mutant is a failing test here.
# Environment as for the suites (tests/run sets BIN, TOOLS, PREFIX, ...).
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"


root=$(cd "$(dirname "$0")/../.." && pwd)
native=$(basename "$BIN")
list=$TOOLS/mutants/list
[ -s "$list" ] || { fail "mutants are built" "no $list"; finish; }

# The dropped services (65532) run the staged binaries: let them in.
chmod 755 "$WORK"

# run_against NAME PROGRAM SUITE: SUITE against PREFIX with PROGRAM replaced
# by mutant NAME ("control": unchanged). Leaves "$summary" and "$failures".
run_against() {
	local name=$1 program=$2 suite=$3 stage=$WORK/$1
	cp -a "$PREFIX" "$stage"
	if [ "$name" != control ]; then
		cp "$TOOLS/mutants/$name/$program" "$stage/$native/$program"
		cp "$TOOLS/mutants/$name/$program" "$stage/bin/$program"
	fi
	# LUCID_MUTANT_RUN: suites may skip their arm64 half, which runs the
	# unchanged arm64 build and so cannot see a (host) mutant.
	LUCID_MUTANT_RUN=1 BIN=$stage/$native TOOLS=$stage/tests/$native PREFIX=$stage \
		timeout -k 5 300 bash "$root/tests/integration/$suite.sh" </dev/null >"$WORK/$name.log" 2>&1
	summary=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed$" "$WORK/$name.log" | tail -1)
	failures=$(sed -n 's/.* passed, \([0-9]*\) failed$/\1/p' <<<"$summary")
	rm -rf "$stage"
}

# Controls first: each suite passes against an unchanged staged copy, so a
# mutant's failures come from its bug, not from the staging.
cut -d' ' -f3 "$list" | sort -u >"$WORK/suites"
while read -r suite; do
	run_against control - "$suite"
	check_eq "control: the $suite suite passes against an unchanged staged prefix" "${failures:-none}" 0
done <"$WORK/suites"

while read -r name program suite bug; do
	run_against "$name" "$program" "$suite"
	if [ -z "$summary" ]; then
		fail "the $suite suite runs to its end against mutant $name" "no summary line: $(tail -2 "$WORK/$name.log" | tr '\n' ' ')"
	elif [ "$failures" -gt 0 ]; then
		pass "the $suite suite fails mutant $name ($program ${bug//-/ }): $failures failed, first: $(grep -m1 '^not ok' "$WORK/$name.log" | cut -c10- | cut -d: -f1)"
	else
		fail "the $suite suite fails mutant $name ($program ${bug//-/ })" "$summary: the suite cannot see this bug"
	fi
done <"$list"

finish

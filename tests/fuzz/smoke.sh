#!/bin/bash
# tests/fuzz/smoke.sh: each libFuzzer harness (ASan + UBSan) fuzzes for
# LUCID_FUZZ_SMOKE_SECONDS (default 12) from its committed corpus, with its
# dictionary; new inputs go to a scratch copy, never into the repository.
# A crash, leak, timeout or out-of-memory fails the harness and names the
# input. The long runs are `zig build fuzz -Dfuzz-seconds=N`.
# shellcheck source=tests/lib.sh
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/fuzz/fuzz.bash
source "$(dirname "$0")/fuzz.bash"

seconds=${LUCID_FUZZ_SMOKE_SECONDS:-12}
if [ ! -s "$FUZZ_LIST" ]; then
	fail "the harness list" "no $FUZZ_LIST (zig build installs it)"
	finish
fi

while read -r name dict seeds _; do
	if [ ! -x "$FUZZ_LIBFUZZER/$name" ]; then
		fail "$name: the libFuzzer build" "no $FUZZ_LIBFUZZER/$name (zig build test builds it with clang 14)"
		continue
	fi
	mkdir -p "$WORK/$name.new"
	mapfile -t dirs < <(fuzz_corpora "$name" "$seeds")
	mapfile -t flags < <(fuzz_flags "$name" "$dict" "$WORK")
	timeout -k 10 $((seconds + 60)) "$FUZZ_LIBFUZZER/$name" "${flags[@]}" -max_total_time="$seconds" \
		"$WORK/$name.new" "${dirs[@]}" >"$WORK/$name.log" 2>&1
	rc=$?
	found=$(fuzz_finding "$WORK" "$name")
	execs=$(fuzz_stat "$WORK/$name.log" number_of_executed_units)
	check_true "$name: $seconds s of fuzzing find nothing (${execs:-0} executions)" \
		"exit $rc${found:+, $(fuzz_describe "$found")}: $(grep -m3 -E 'ERROR|runtime error|SUMMARY|deadly' "$WORK/$name.log")" \
		eval '[ "$rc" = 0 ] && [ -z "$found" ]'
	check_true "$name: the harness ran (executions counted)" "no executions reported: $(tail -c 300 "$WORK/$name.log")" \
		test "${execs:-0}" -gt 0
done < <(fuzz_harnesses)

# The checks above can fail: the fuzzer must find the planted overflow of
# canary.c (any input starting "LU") from an empty corpus, and leave it.
if [ -x "$FUZZ_LIBFUZZER/canary" ]; then
	mkdir -p "$WORK/canary.new"
	timeout -k 5 90 "$FUZZ_LIBFUZZER/canary" -max_total_time=30 -close_fd_mask=3 "-artifact_prefix=$WORK/canary-" \
		"$WORK/canary.new" >"$WORK/canary.log" 2>&1
	rc=$?
	found=$(fuzz_finding "$WORK" canary)
	check_true "the fuzzer finds a planted overflow and names its input (the checks above can fail)" \
		"exit $rc, artifact '$found': $(tail -c 300 "$WORK/canary.log")" \
		eval '[ "$rc" != 0 ] && [ -n "$found" ]'
else
	fail "the canary harness" "no $FUZZ_LIBFUZZER/canary"
fi

finish

#!/bin/bash
# tests/fuzz/replay.sh: every committed fuzz corpus (tests/fuzz/corpus/NAME,
# with the shipped profiles and filters as more seeds) through its harness:
# the Zig-built replay binary natively and, for arm64, under qemu-aarch64
# (musl, both targets: what ships), and the libFuzzer build with ASan and
# UBSan (-runs=0: every input once, nothing new). Also: every hostile-server
# scenario the suites use has its seed (tests/fuzz/seeds.py).
# shellcheck source=tests/lib.sh
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/fuzz/fuzz.bash
source "$(dirname "$0")/fuzz.bash"

if [ ! -s "$FUZZ_LIST" ]; then
	fail "the harness list" "no $FUZZ_LIST (zig build installs it)"
	finish
fi

while read -r name dict seeds _; do
	[ -d "$FUZZ_DIR/corpus/$name" ] || { fail "$name: corpus" "no tests/fuzz/corpus/$name"; continue; }
	n=$(find "$FUZZ_DIR/corpus/$name" -type f | wc -l)
	check_between "$name: a committed seed corpus (1-200 inputs)" 1 200 "$n"
	mapfile -t dirs < <(fuzz_corpora "$name" "$seeds")
	check_true "$name: the corpus replays natively (musl, ReleaseSmall)" "the replay crashed or could not read an input" \
		timeout -k 5 300 "$PREFIX/tests/$FUZZ_NATIVE/fuzz/$name" "${dirs[@]}"
	if [ "$FUZZ_NATIVE" = linux-amd64 ] && [ -n "${QEMU:-}" ]; then
		check_true "$name: the corpus replays on arm64 (qemu-aarch64)" "the replay crashed or could not read an input" \
			timeout -k 5 600 "$QEMU" "$PREFIX/tests/linux-arm64/fuzz/$name" "${dirs[@]}"
	fi
	if [ -x "$FUZZ_LIBFUZZER/$name" ]; then
		mapfile -t flags < <(fuzz_flags "$name" "$dict" "$WORK")
		timeout -k 5 300 "$FUZZ_LIBFUZZER/$name" "${flags[@]}" -runs=0 "${dirs[@]}" >"$WORK/$name.log" 2>&1
		rc=$?
		found=$(fuzz_finding "$WORK" "$name")
		check_true "$name: the corpus replays under ASan + UBSan (libFuzzer -runs=0)" \
			"exit $rc${found:+, $(fuzz_describe "$found")}: $(grep -m3 -E 'ERROR|runtime error|SUMMARY' "$WORK/$name.log")" \
			eval '[ "$rc" = 0 ] && [ -z "$found" ]'
	else
		fail "$name: the libFuzzer build" "no $FUZZ_LIBFUZZER/$name (zig build test builds it with clang 14)"
	fi
done < <(fuzz_harnesses)

# The check above can fail: a harness with a planted overflow (canary.c)
# replaying an input that triggers it must be reported, with its artifact.
if [ -x "$FUZZ_LIBFUZZER/canary" ]; then
	mkdir -p "$WORK/canary-corpus"
	printf 'LUCID' >"$WORK/canary-corpus/trigger"
	timeout -k 5 60 "$FUZZ_LIBFUZZER/canary" -runs=0 "-artifact_prefix=$WORK/canary-" "$WORK/canary-corpus" >"$WORK/canary.log" 2>&1
	rc=$?
	check_true "a planted overflow is caught by the ASan replay (the check above can fail)" \
		"exit $rc, artifact '$(fuzz_finding "$WORK" canary)': $(tail -c 300 "$WORK/canary.log")" \
		eval '[ "$rc" != 0 ] && grep -q "heap-buffer-overflow" "$WORK/canary.log"'
else
	fail "the canary harness" "no $FUZZ_LIBFUZZER/canary"
fi

# Every scenario of the hostile server has its seed in the two HTTP corpora.
mapfile -t scenarios < <(sed -n '/scenarios\[\] = {/,/};/p' "$FUZZ_ROOT/tests/tools/hostile-server.c" | grep -o '"[a-z0-9-]*"' | tr -d '"')
missing=()
for s in "${scenarios[@]}"; do
	for corpus in http_head chunked; do
		[ -f "$FUZZ_DIR/corpus/$corpus/hostile-$s" ] || missing+=("$corpus/hostile-$s")
	done
done
check_true "every hostile-server scenario (${#scenarios[@]}) seeds the http_head and chunked corpora" \
	"missing: ${missing[*]} (run python3 tests/fuzz/seeds.py \$PREFIX/tests/$FUZZ_NATIVE/hostile-server)" \
	test "${#scenarios[@]}" -gt 10 -a "${#missing[@]}" = 0

finish

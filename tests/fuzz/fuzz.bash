# tests/fuzz/fuzz.bash: what the fuzz suites (replay.sh, smoke.sh) and
# tests/fuzz/run share. Needs $PREFIX (the install prefix); the libFuzzer
# builds are tests/clang/build.py's, in .cache/clang/{fuzz,coverage}/fuzz.
FUZZ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FUZZ_ROOT=$(cd "$FUZZ_DIR/../.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
FUZZ_LIBFUZZER=$FUZZ_ROOT/.cache/clang/fuzz/fuzz
# shellcheck disable=SC2034 # used by the scripts that source this file
FUZZ_COVERAGE=$FUZZ_ROOT/.cache/clang/coverage/fuzz
case "$(uname -m)" in
aarch64) FUZZ_NATIVE=linux-arm64 ;;
*) FUZZ_NATIVE=linux-amd64 ;;
esac
FUZZ_LIST=$PREFIX/tests/$FUZZ_NATIVE/fuzz/list

# fuzz_harnesses: "NAME DICT SEEDS" per harness, from build.zig's table.
fuzz_harnesses() { cat "$FUZZ_LIST"; }

# fuzz_corpora NAME SEEDS: the corpus directories of a harness: the
# committed one, and the extra seeds under the prefix.
fuzz_corpora() {
	echo "$FUZZ_DIR/corpus/$1"
	[ "$2" != - ] && echo "$PREFIX/$2"
}

# fuzz_flags NAME DICT WORKDIR: libFuzzer's options for a bounded run whose
# findings land in WORKDIR (a crash- / leak- / timeout- / oom- file).
fuzz_flags() {
	local flags=(-timeout=10 -rss_limit_mb=2048 -max_len=65536 -close_fd_mask=3 -print_final_stats=1
		"-artifact_prefix=$3/$1-")
	[ "$2" != - ] && flags+=("-dict=$FUZZ_DIR/$2.dict")
	printf '%s\n' "${flags[@]}"
}

# fuzz_finding WORKDIR NAME: the first artifact a run left, or nothing.
fuzz_finding() {
	find "$1" -maxdepth 1 -name "$2-*" -type f | head -1
}

# fuzz_describe FILE: what to say of a finding: its name and first bytes.
fuzz_describe() {
	echo "$(basename "$1") ($(stat -c %s "$1") bytes: $(head -c 48 "$1" | od -An -c | tr -s ' \n' ' ' | head -c 160)); once fixed, add it to tests/fuzz/corpus/NAME/ as a regression input and write the unit test"
}

# fuzz_stat LOG KEY: a number from libFuzzer's -print_final_stats output.
fuzz_stat() {
	sed -n "s/^stat::$2: *\([0-9]*\).*/\1/p" "$1" | tail -1
}

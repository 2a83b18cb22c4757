#!/bin/bash
# Static analysis inside the test command: clang-tidy (.clang-tidy) and
# cppcheck over every C source of common/ init/ healthcheck/ seccomp/, both
# clean; both shown to fail on a deliberately bad file; and every
# suppression with its reason on its own line: each check .clang-tidy turns
# off, each NOLINT and each cppcheck-suppress in the sources.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
need clang-tidy clang-tidy cppcheck cppcheck

cd "$root" || exit 1
mapfile -t sources < <(ls common/*.c init/*.c healthcheck/*.c seccomp/*.c)
deps=.cache/deps/src
if [ ! -f "$deps/libseccomp/include/seccomp.h.in" ]; then
	fail "the dependency sources are there" "no $deps (./zigw build fetches them)"
	finish
fi
# libseccomp's seccomp.h as build.zig writes it from seccomp.h.in.
mkdir -p "$WORK/include"
sed 's/@VERSION_MAJOR@/2/; s/@VERSION_MINOR@/6/; s/@VERSION_MICRO@/0/' \
	"$deps/libseccomp/include/seccomp.h.in" >"$WORK/include/seccomp.h"
cp "$deps/libseccomp/include/seccomp-syscalls.h" "$WORK/include/"
cflags=(-std=c11 -D_GNU_SOURCE '-DLUCID_VERSION="0.1.0"' '-DMBEDTLS_CONFIG_FILE="healthcheck/mbedtls_config.h"'
	-I. -I"$deps/libcap-ng/src" -I"$deps/cjson" -I"$deps/mbedtls/include" -I"$WORK/include")

# tidy FILE: clang-tidy's findings for one file, on stdout.
tidy() {
	local extra=()
	# libc_small.c defines snprintf/sscanf, which it builds against musl: the analysis sees glibc's headers, whose parameter names differ.
	[ "$1" = init/libc_small.c ] && extra=(--checks=-readability-inconsistent-declaration-parameter-name)
	clang-tidy --quiet "${extra[@]}" "$1" -- "${cflags[@]}" 2>/dev/null | grep -E '(error|warning):'
}
export -f tidy
export WORK
t0=$(date +%s%N)
printf '%s\n' "${sources[@]}" | xargs -P2 -I{} bash -c "$(declare -p cflags); tidy {}" >"$WORK/tidy.out"
why="$(wc -l <"$WORK/tidy.out") findings: $(head -3 "$WORK/tidy.out" | sed "s|$root/||" | tr '\n' ' ')"
check_true "clang-tidy: no finding in ${#sources[@]} files ($(ms_since "$t0") ms)" "$why" test ! -s "$WORK/tidy.out"

cppcheck_run() { # cppcheck_run FILE...: every finding one line; exit 1 on any
	cppcheck -q --enable=warning,style,performance,portability --inline-suppr --std=c11 -D_GNU_SOURCE \
		'-DLUCID_VERSION="0.1.0"' -I. --suppress=missingIncludeSystem --error-exitcode=1 \
		--template='{file}:{line}: {severity}: {message} [{id}]' "$@" 2>&1
}
out=$(cppcheck_run "${sources[@]}")
rc=$?
check_true "cppcheck: no finding in ${#sources[@]} files" "exit $rc: $(head -3 <<<"$out" | tr '\n' ' ')" \
	test "$rc" = 0

# Both can fail: a file with a null dereference, an unchecked strcmp and a
# variable whose scope can shrink is reported by each.
cp .clang-tidy "$WORK/"
cat >"$WORK/bad.c" <<'EOF'
#include <string.h>
int bad(const char *a, int n)
{
	int *p = 0;
	int unused_scope = 3;
	if (strcmp(a, "x"))
		return 1;
	if (n > 2)
		return unused_scope;
	return *p;
}
EOF
found=$(cd "$WORK" && clang-tidy --quiet bad.c -- -std=c11 2>/dev/null | grep -cE 'NullDereference|suspicious-string-compare')
check_eq "clang-tidy reports the bad file's null dereference and unchecked strcmp (the check above can fail)" "$found" 2
cppcheck_run "$WORK/bad.c" >"$WORK/bad.cppcheck"
check_grep "cppcheck reports the bad file (the check above can fail)" "$WORK/bad.cppcheck" 'nullPointer|variableScope'

# Every disabled check in .clang-tidy has a "# -check: reason" line.
missing=()
while read -r check; do
	grep -qE "^# ${check//./\\.}: .{12,}" .clang-tidy || missing+=("$check")
done < <(sed -n '/^Checks:/,/^[A-Z]/p' .clang-tidy | grep -oE '^\s+-[a-zA-Z0-9.-]+' | tr -d ' ')
check_true ".clang-tidy: every disabled check has its reason" "no '# -CHECK: reason' for: ${missing[*]}" \
	test "${#missing[@]}" = 0

# Every NOLINT names its check and says why on its line; so does every
# cppcheck suppression ("cppcheck-suppress ID ; reason").
bare=$(grep -nE 'NOLINT' "${sources[@]}" common/*.h init/*.h healthcheck/*.h seccomp/*.h |
	grep -vE 'NOLINT(NEXTLINE)?\([a-zA-Z0-9.,-]+\): .{12,}')
check_true "every NOLINT names its check and gives its reason" "$(head -3 <<<"$bare" | tr '\n' ' ')" test -z "$bare"
bare=$(grep -nE 'cppcheck-suppress' "${sources[@]}" common/*.h init/*.h healthcheck/*.h seccomp/*.h |
	grep -vE 'cppcheck-suppress [a-zA-Z]+ ; .{12,}')
check_true "every cppcheck suppression gives its reason" "$(head -3 <<<"$bare" | tr '\n' ' ')" test -z "$bare"

finish

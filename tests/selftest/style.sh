#!/bin/bash
# Style checked by tools, not by memory: clang-format (.clang-format),
# script checker shellcheck (.shellcheckrc) on every script, and the house rules of
# shared/STYLE.md that a grep can hold: no banned string functions, no
# <ctype.h>, struct buf's fields touched only in common/fmt.c, and no
# read/write loop of its own outside common/io.c.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
need clang-format clang-format shellcheck shellcheck git git

cd "$root" || exit 1
# The files of the clone (git), without the fetched and built trees.
mapfile -t c_files < <(git ls-files '*.c' '*.h')
mapfile -t scripts < <(git ls-files | while read -r f; do
	case $f in *.sh | *.bash) echo "$f" ;; *) head -c 64 "$f" 2>/dev/null | grep -qE '^#!.*/(ba)?sh' && echo "$f" ;; esac
done | sort -u)

check_true "clang-format: every C file is formatted (${#c_files[@]} files)" \
	"$(clang-format --dry-run -Werror "${c_files[@]}" 2>&1 | grep -m3 'error:' | tr '\n' ' ')" \
	clang-format --dry-run -Werror "${c_files[@]}"
check_true "shellcheck: every script is clean (${#scripts[@]} scripts)" \
	"$(shellcheck -x -f gcc "${scripts[@]}" 2>&1 | head -3 | tr '\n' ' ')" shellcheck -x "${scripts[@]}"

# The two tools can fail: a mis-formatted file and a broken script are found.
cp .clang-format "$WORK/"
printf 'int  f( void ){return 1;}\n' >"$WORK/bad.c"
check_false "clang-format refuses a mis-formatted file (the check above can fail)" "it passed" \
	sh -c 'clang-format --dry-run -Werror "$1" 2>/dev/null' sh "$WORK/bad.c"
printf '#!/bin/sh\nrm -rf $1/*\n' >"$WORK/bad.sh"
check_false "shellcheck refuses an unquoted expansion (the check above can fail)" "it passed" \
	sh -c 'shellcheck "$1" >/dev/null' sh "$WORK/bad.sh"

ours=(common/*.[ch] init/*.[ch] healthcheck/*.[ch] seccomp/*.[ch])
# lacking NAME ERE [ALLOWED-FILE...]: no line of our C matches ERE but in the allowed files
lacking() {
	local name=$1 ere=$2 hits f
	shift 2
	hits=$(grep -nE "$ere" "${ours[@]}" | grep -vE '^[^:]+:[0-9]+:\s*(/\*|\*)' | while IFS=: read -r f rest; do
		case " $* " in *" $f "*) ;; *) echo "$f:$rest" ;; esac
	done)
	check_true "$name" "$(head -3 <<<"$hits" | tr '\n' ' ')" test -z "$hits"
}
lacking "no banned string functions (sprintf, strcpy, strcat, atoi, strtok, gets)" \
	'\b(v?sprintf|strcpy|strcat|atoi|atol|strtok|gets)\s*\('
lacking "no <ctype.h>: common/ascii.h answers the same in every locale" '#include <ctype\.h>'
lacking "struct buf's fields are common/fmt.c's alone" '\bpriv_(p|cap|len|tail|truncated)\b' common/fmt.c common/fmt.h
# EINTR is retried in common/io.c; the others wait for something else than
# a read or a write: sigtimedwait (signals.c), waitpid(WNOHANG) as test_reap
# scripts it (reap.c), the probe's one deadline-bounded poll and connect (conn.c).
lacking "no EINTR loop outside common/io.c but the waits that are not reads" '\bEINTR\b' \
	common/io.c init/signals.c init/reap.c healthcheck/conn.c
lacking "no file reader outside common/io.c (open(2) then read(2) in a loop)" '\bread\s*\([^)]*\)\s*;\s*$' common/io.c

finish

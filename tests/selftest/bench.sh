#!/bin/bash
# The benchmark cannot pass off a broken comparison: a compared tool that
# did not really probe (a curl that exits 0 whatever the server says) stops
# bench/bench.py with exit 1 and one line naming it, before any number is
# measured; the real tools pass the same check.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
need nginx nginx curl curl wget wget busybox busybox-static gnuplot gnuplot-nox

prefix=$(dirname "$BIN") # the staged install prefix
mkdir "$WORK/shim"
printf '#!/bin/sh\nexit 0\n' >"$WORK/shim/curl"
chmod 755 "$WORK/shim/curl"

PATH=$WORK/shim:$PATH python3 "$root/bench/bench.py" "$prefix" --quick --only probe --out "$WORK/out" >"$WORK/log" 2>&1
check_eq "bench stops (exit 1) when curl exits 0 on a 503" "$?" 1
check_grep "...naming the tool and why" "$WORK/log" '^bench: curl -fsS: exited 0 on HTTP 503, so it does not check the status; no results written$'
check_true "...and writes no results" "$WORK/out/latest.md exists" test ! -e "$WORK/out/latest.md"

finish

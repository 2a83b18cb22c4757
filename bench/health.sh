#!/bin/bash
# lucid-health against its targets: stripped size per arch, peak memory of a
# probe, and wall time per probe next to `curl -fsS` against the same local
# hostile-server in the same run. Reports PASS/MISS; never fails the build.
set -u
prefix=$(cd "${1:?usage: bench/health.sh PREFIX}" && pwd)
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
row() { printf '%-38s %10s %10s %s\n' "$@"; }

case "$(uname -m)" in
x86_64) native=linux-amd64 ;;
aarch64) native=linux-arm64 ;;
*) native=native ;;
esac

# The reference tools, from Debian, only when absent.
missing=""
command -v curl >/dev/null || missing="$missing curl"
command -v hyperfine >/dev/null || missing="$missing hyperfine"
if [ -n "$missing" ]; then
	echo "bench/health.sh: installing$missing" >&2
	# shellcheck disable=SC2086 # a list of package names, split on purpose
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

row "measure" "value" "target" "verdict"
for arch in linux-amd64 linux-arm64; do
	size=$(stat -c %s "$prefix/$arch/lucid-health" 2>/dev/null || echo 0)
	row "size $arch (bytes)" "$size" "65536" "$(verdict $((size > 0 && size <= 65536)))"
	row "  stretch" "" "49152" "$(verdict $((size > 0 && size <= 49152)))"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lucid-bench-health.XXXXXX")
"$prefix/tests/$native/hostile-server" 200 --port 0 --port-file "$work/port" &
server=$!
trap 'kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")/health"
probe="$prefix/$native/lucid-health -q $url"
if ! $probe; then
	echo "bench/health.sh: the probe is not healthy against $url; no timings" >&2
	exit 0
fi

# Peak RSS: the process's own VmHWM, read while it is blocked writing its
# last output into a full pipe, so after all of its work. (GNU time's %M is
# no use here: it also counts the pages time's own fork touched before exec,
# about 450 KiB, whatever the program.) The largest of 5 runs.
peak() {
	local max=0 kib pid
	for _ in 1 2 3 4 5; do
		rm -f "$work/fifo"
		mkfifo "$work/fifo"
		exec 3<>"$work/fifo"
		head -c 65536 /dev/zero >&3 # the pipe is full: the next write blocks
		"$@" >&3 2>/dev/null &
		pid=$!
		sleep 0.3
		kib=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		head -c 65536 <&3 >/dev/null
		wait "$pid"
		exec 3<&-
		[ "${kib:-0}" -gt "$max" ] && max=$kib
	done
	echo "$max"
}
ours_rss=$(peak "$prefix/$native/lucid-health" "$url")
curl_rss=$(peak curl -fsS "$url")
row "peak RSS lucid-health (KiB)" "$ours_rss" "512" "$(verdict $((ours_rss > 0 && ours_rss <= 512)))"
row "peak RSS curl -fsS (KiB, reference)" "$curl_rss" "" ""

# Wall time per probe, 200 runs each, no shell in between.
csv="$work/times.csv"
hyperfine -N --warmup 20 --runs 200 --export-csv "$csv" "$probe" "curl -fsS -o /dev/null $url" >/dev/null 2>&1
read -r ours theirs < <(awk -F, 'NR == 2 { a = $2 } NR == 3 { b = $2 } END { printf "%d %d\n", a * 1e6, b * 1e6 }' "$csv")
if [ "${theirs:-0}" -gt 0 ]; then
	row "wall per probe lucid-health (us)" "$ours" "$((theirs / 4))" "$(verdict $((ours * 4 <= theirs)))"
	row "wall per probe curl -fsS (us)" "$theirs" "" ""
	row "  ratio lucid-health / curl" "$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.3f", a / b }')" "0.25" ""
else
	row "wall per probe" "-" "" "MISS (hyperfine did not run)"
fi
exit 0

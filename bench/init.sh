#!/bin/bash
# lucid-init against its targets: stripped size per arch, start-to-exit time
# of `lucid-init -- /bin/true` next to Debian's tini in the same run, idle
# wake-ups and peak memory while supervising.
set -u
prefix=$1
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }

printf '%-34s %10s %10s %s\n' "measure" "value" "target" "verdict"
for arch in linux-amd64 linux-arm64; do
	size=$(stat -c %s "$prefix/$arch/lucid-init")
	printf '%-34s %10s %10s %s\n' "size $arch (bytes)" "$size" "98304" "$(verdict $((size <= 98304)))"
	printf '%-34s %10s %10s %s\n' "  stretch" "" "81920" "$(verdict $((size <= 81920)))"
done
printf '%-34s %10s\n' "tini-static (Debian, reference)" "$(stat -c %s /usr/bin/tini-static 2>/dev/null || echo -)"

# Start-to-exit, same machine, same run. Both run as root; lucid-init also
# drops to 65532 and sets no_new_privs, tini does neither.
json=$(mktemp)
hyperfine -N --warmup 20 --runs 300 --export-json "$json" \
	"$prefix/linux-amd64/lucid-init -- /bin/true" "tini -s -- /bin/true" >/dev/null 2>&1
read -r ours theirs < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["mean"]*1e6, r[1]["mean"]*1e6)' "$json")
rm -f "$json"
printf '%-34s %10.0f %10s %s\n' "lucid-init -- /bin/true (us)" "$ours" "<= tini" "$(verdict "$(python3 -c "print(int($ours <= $theirs * 1.0))")")"
printf '%-34s %10.0f\n' "tini -s -- /bin/true (us)" "$theirs"

# Idle wake-ups: context switches of PID 1 over 3 s with a sleeping service.
unshare --pid --fork --mount-proc --kill-child "$prefix/linux-amd64/lucid-init" -- sleep 10 &
ns=$!
sleep 0.5
pid=$(pgrep -P "$ns" | head -1)
before=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
sleep 3
after=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$ns" 2>/dev/null
printf '%-34s %10s %10s %s\n' "idle wake-ups of PID 1 in 3 s" "$((after - before))" "0" "$(verdict $((after - before == 0)))"
printf '%-34s %10s\n' "peak RSS of PID 1 (KiB)" "$hwm"

tini -s -- sleep 10 &
tpid=$!
sleep 0.5
before=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$tpid/status")
sleep 3
after=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$tpid/status")
kill -TERM "$tpid"
wait "$tpid" 2>/dev/null
printf '%-34s %10s\n' "idle wake-ups of tini in 3 s" "$((after - before))"

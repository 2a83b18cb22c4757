#!/bin/bash
# lucid-init as PID 1 in fresh PID namespaces (and as a subreaper), with the
# real static binary, real signals and real credentials.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

INIT=$BIN/lucid-init
chmod 755 "$WORK" # the dropped service (65532) writes its records here

# "${NS[@]}" CMD...: run CMD as PID 1 of a new PID namespace with its own /proc.
NS=(unshare --pid --fork --mount-proc --kill-child)

# The host PID of the namespace's PID 1, given the PID of `"${NS[@]}" ... &`.
ns_init_pid() { pgrep -P "$1" | head -1; }

# --- every forwarded signal arrives, real-time ones included ----------------
signals=(1 2 3 10 12 13 14 18 20 23 24 25 26 27 28 29 30 35 37 38 50 64)
rec=$WORK/signals
install -m 666 /dev/null "$rec"
spawn "${NS[@]}" "$INIT" -- "$TOOLS/sigrecord" "$rec"
ns=$spawned
if wait_for 50 grep -q ready "$rec" 2>/dev/null; then
	init_pid=$(ns_init_pid "$ns")
	for s in "${signals[@]}"; do
		kill -s "$s" "$init_pid"
		wait_for 20 grep -qx "$s" "$rec"
	done
	kill -TERM "$init_pid"
	timeout 10 tail --pid="$ns" -f /dev/null
	wait "$ns"
	rc=$?
	missing=()
	for s in "${signals[@]}" 15; do grep -qx "$s" "$rec" || missing+=("$s"); done
	check_true "forwards every catchable signal incl. SIGRTMIN+3 (37/38) and SIGRTMAX" \
		"service never received signals: ${missing[*]}" [ ${#missing[@]} = 0 ]
	check_true "exits with the service's status after SIGTERM" "init exited $rc, expected 0" [ "$rc" = 0 ]
else
	fail "forwards every catchable signal" "sigrecord never became ready under lucid-init"
	kill "$ns" 2>/dev/null
fi

# --- with -g the whole process group gets the signal ------------------------
rec=$WORK/pgroup
install -m 666 /dev/null "$rec.a"
install -m 666 /dev/null "$rec.b"
spawn "${NS[@]}" "$INIT" -g -- sh -c "$TOOLS/sigrecord $rec.a & exec $TOOLS/sigrecord $rec.b"
ns=$spawned
if wait_for 50 grep -q ready "$rec.a" 2>/dev/null && wait_for 50 grep -q ready "$rec.b" 2>/dev/null; then
	kill -USR1 "$(ns_init_pid "$ns")"
	wait_for 20 grep -qx 10 "$rec.a"
	check_true "-g forwards to the whole process group" "a group member other than the main child did not get SIGUSR1" \
		grep -qx 10 "$rec.a"
	kill -TERM "$(ns_init_pid "$ns")"
	wait "$ns"
else
	fail "-g forwards to the whole process group" "services never became ready"
	kill "$ns" 2>/dev/null
fi

# --- --rewrite: USR2 arrives as HUP, USR1 is dropped --------------------------
rec=$WORK/rewrite
install -m 666 /dev/null "$rec"
spawn "${NS[@]}" "$INIT" -r USR2:HUP --rewrite USR1:0 -- "$TOOLS/sigrecord" "$rec"
ns=$spawned
if wait_for 50 grep -q ready "$rec"; then
	kill -USR1 "$(ns_init_pid "$ns")"
	kill -USR2 "$(ns_init_pid "$ns")"
	wait_for 20 grep -qx 1 "$rec"
	kill -TERM "$(ns_init_pid "$ns")"
	wait "$ns"
	check_true "--rewrite USR2:HUP forwards SIGUSR2 as SIGHUP, USR1:0 drops SIGUSR1" \
		"the service recorded: $(grep -v ready "$rec" | tr '\n' ' ')" \
		[ "$(grep -v ready "$rec" | tr '\n' ' ')" = "1 15 " ]
else
	fail "--rewrite forwards signals as asked" "sigrecord never became ready"
	kill "$ns" 2>/dev/null
fi

# --- a stderr nobody reads: PID 1's own SIGPIPE is not a signal to forward ---
# With -v every forward is logged; the log write to the dead pipe raises
# SIGPIPE on the init itself. It must neither forward it (and log that,
# and raise it again) nor spin: the service's 7 comes back within its second.
read -r rc cpu < <(python3 "$(dirname "$0")/../tools/closed-stderr.py" 10 \
	"$INIT" -v -- sh -c 'trap "" USR1; sleep 1; exit 7')
check_eq "with stderr a closed pipe, lucid-init -v still exits with the service's status" "$rc" 7
check_between "...without spinning (CPU ms of the init and its service)" 0 300 "$cpu" " ms"

# --- 1000 orphaned grandchildren leave no zombie ----------------------------
check_exit "1000 orphaned grandchildren are all reaped (0 zombies)" 0 "${NS[@]}" "$INIT" -- "$TOOLS/orphans" 1000
check_exit "orphans reaped when lucid-init is a subreaper, not PID 1" 0 "${NS[@]}" sh -c "$INIT -- $TOOLS/orphans 200"

# --- exit statuses ----------------------------------------------------------
check_exit "exit code 0 passes through" 0 "${NS[@]}" "$INIT" -- sh -c 'exit 0'
check_exit "exit code 3 passes through" 3 "${NS[@]}" "$INIT" -- sh -c 'exit 3'
check_exit "killed by SIGKILL reports 128+9" 137 "${NS[@]}" "$INIT" -- sh -c 'kill -9 $$'
check_exit "command not found exits 127" 127 "${NS[@]}" "$INIT" -- /nonexistent/service
check_exit "command not executable exits 126" 126 "${NS[@]}" "$INIT" -- /etc/passwd
check_exit "-e 143 maps a SIGTERM death to 0" 0 "${NS[@]}" "$INIT" -e 143 -- sh -c 'kill -TERM $$'
check_exit "LUCID_INIT_EXIT_ZERO=143 maps a SIGTERM death to 0" 0 env LUCID_INIT_EXIT_ZERO=143 unshare --pid --fork --mount-proc "$INIT" -- sh -c 'kill -TERM $$'
out=$("${NS[@]}" "$INIT" -- /nonexistent/service 2>&1)
check_true "exec failure says what failed" "stderr was: $out" \
	[ "$out" = "lucid-init: exec /nonexistent/service: No such file or directory" ]

# --- drain: leftovers get SIGTERM, then SIGKILL after --drain ---------------
start=$(date +%s%N)
check_exit "drain: a leftover that ignores SIGTERM is killed" 0 \
	"${NS[@]}" "$INIT" --drain 1 -- sh -c '(trap "" TERM; exec sleep 60) & sleep 0.2; exit 0'
t=$(ms_since "$start")
check_between "drain waits --drain (1 s) before SIGKILL, no longer" 1000 3500 "$t" " ms"
start=$(date +%s%N)
check_exit "drain: a leftover that honours SIGTERM ends the drain at once" 0 \
	"${NS[@]}" "$INIT" --drain 10 -- sh -c 'sleep 60 & sleep 0.2; exit 0'
t=$(ms_since "$start")
check_between "drain ends as soon as nothing is left (with --drain 10)" 200 3000 "$t" " ms"

# As a subreaper the drain must find descendants through /proc.
marker="sleep 61.$RANDOM"
"$INIT" --drain 0.5 -- sh -c "(trap '' TERM; exec $marker) & sleep 0.2; exit 0"
sleep 0.2
check_true "subreaper drain kills a leftover descendant" "a '$marker' process survived lucid-init" \
	sh -c "! pgrep -f '^$marker' >/dev/null"

# --- grace: a service that ignores SIGTERM is killed after --grace ----------
# The service ignores SIGTERM, and so does its sleep (ignored dispositions
# survive exec): grace kills the service after 1 s, the drain the sleep 0.5 s
# later. The signal goes once the sleep runs, so the trap is in place.
marker="sleep 60.$RANDOM"
spawn "${NS[@]}" "$INIT" --grace 1 --drain 0.5 -- sh -c "trap '' TERM; $marker; exit 0"
ns=$spawned
wait_for 50 pgrep -f "^$marker" >/dev/null
start=$(date +%s%N)
kill -TERM "$(ns_init_pid "$ns")"
wait "$ns"
rc=$?
t=$(ms_since "$start")
check_eq "grace: SIGKILL after --grace when SIGTERM is ignored (exit 137)" "$rc" 137
check_between "grace: the kill comes after --grace (1 s) plus the drain (0.5 s), not before" 1400 4000 "$t" " ms"

# --- credentials: the service and PID 1 hold nothing ------------------------
# No sleep: PID 1 drops itself before it lets the service exec.
creds=$("${NS[@]}" "$INIT" -- "$TOOLS/credcheck")
expect_line() { # NAME PATTERN
	if echo "$creds" | grep -qP "$2"; then pass "$1"; else fail "$1" "no line /$2/ in: $(echo "$creds" | tr '\n' '|')"; fi
}
expect_line "service runs as uid 65532" '^self Uid:\t65532\t65532\t65532\t65532$'
expect_line "service runs as gid 65532" '^self Gid:\t65532\t65532\t65532\t65532$'
expect_line "service has no supplementary groups" '^self Groups:\s*$'
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	expect_line "service $c is empty" "^self $c:\t0000000000000000$"
done
expect_line "service has no_new_privs" '^self NoNewPrivs:\t1$'
expect_line "PID 1 itself drops to uid 65532 once the service runs" '^init Uid:\t65532\t65532\t65532\t65532$'
expect_line "PID 1 itself holds no capabilities" '^init CapEff:\t0000000000000000$'
expect_line "PID 1 itself has no_new_privs" '^init NoNewPrivs:\t1$'

creds=$("${NS[@]}" "$INIT" -u 1000:1001 -- "$TOOLS/credcheck")
expect_line "--user UID:GID is honoured" '^self Uid:\t1000\t1000\t1000\t1000$'
expect_line "--user UID:GID sets the group" '^self Gid:\t1001\t1001\t1001\t1001$'
creds=$(LUCID_INIT_USER=daemon "${NS[@]}" "$INIT" -- "$TOOLS/credcheck")
expect_line "LUCID_INIT_USER=daemon is looked up in /etc/passwd" "^self Uid:\t$(id -u daemon)\t"

# --- capabilities kept on request, through the ambient set ------------------
check_exit "--cap NET_BIND_SERVICE lets uid 65532 bind port 80" 0 "${NS[@]}" "$INIT" --cap NET_BIND_SERVICE -- "$TOOLS/bindport" 80
check_exit "without --cap uid 65532 cannot bind port 80" 1 "${NS[@]}" "$INIT" -- "$TOOLS/bindport" 80
creds=$("${NS[@]}" "$INIT" --cap NET_BIND_SERVICE -- "$TOOLS/credcheck")
expect_line "--cap keeps exactly that capability (ambient)" '^self CapAmb:\t0000000000000400$'
expect_line "--cap still leaves PID 1 without capabilities" '^init CapEff:\t0000000000000000$'

# --- failing closed -----------------------------------------------------------
check_exit "unknown user name fails closed with 111" 111 "${NS[@]}" "$INIT" -u nosuchuser -- touch "$WORK/ran"
check_true "the service never runs when the drop fails" "$WORK/ran exists" [ ! -e "$WORK/ran" ]
check_exit "root without CAP_SETUID/CAP_SETGID fails closed with 111" 111 \
	setpriv --bounding-set=-setuid,-setgid "$INIT" -- touch "$WORK/ran"
check_true "...and the service never ran" "$WORK/ran exists" [ ! -e "$WORK/ran" ]
out=$(setpriv --bounding-set=-setuid,-setgid "$INIT" -- true 2>&1)
check_true "the message says what to do" "stderr was: $out" grep -q "run the container as 65532" <<<"$out"
check_exit "--cap of a capability the init lacks fails closed" 111 \
	setpriv --bounding-set=-net_bind_service "$INIT" --cap NET_BIND_SERVICE -- touch "$WORK/ran"
check_exit "non-root lucid-init cannot switch to another user" 111 \
	setpriv --reuid=1000 --regid=1000 --clear-groups "$INIT" -u 1001 -- true
creds=$(setpriv --reuid=1000 --regid=1000 --clear-groups "$INIT" -- "$TOOLS/credcheck")
expect_line "non-root lucid-init keeps its identity" '^self Uid:\t1000\t1000\t1000\t1000$'
expect_line "non-root lucid-init still sets no_new_privs" '^self NoNewPrivs:\t1$'

# --- terminals: foreground group on a TTY, a new session without one -------
# /proc/self/stat after the comm: state ppid pgrp session tty_nr tpgid.
stat_fields='f=$(sed "s/.*) //" /proc/self/stat); set -- $f; echo "pid=$$ pgrp=$3 sid=$4 tty=$5 tpgid=$6"'
line=$(script -qec "$INIT -- sh -c '$stat_fields'" /dev/null | tr -d '\r' | grep '^pid=')
pid='' pgrp='' sid='' tty='' tpgid=''
eval "$line"
leads_group() { [ -n "$pid" ] && [ "$pgrp" = "$pid" ]; }
check_true "on a TTY the service leads its own process group" "got: $line" leads_group
check_eq "on a TTY the service is the terminal's foreground group (Ctrl-C reaches it)" "$tpgid" "$pgrp"
line=$("$INIT" -- sh -c "$stat_fields" </dev/null)
pid='' pgrp='' sid='' tty='' tpgid=''
eval "$line"
own_session_no_tty() { [ -n "$pid" ] && [ "$sid" = "$pid" ] && [ "$tty" = 0 ]; }
check_true "without a TTY the service gets a new session and no controlling terminal" "got: $line" \
	own_session_no_tty

# --- usage errors -----------------------------------------------------------
check_exit "a command without '--' is a usage error (100)" 100 "$INIT" true
check_exit "no command is a usage error (100)" 100 "$INIT" --
check_exit "a bad --drain is a usage error (100)" 100 "$INIT" --drain 1x -- true
check_exit "an unknown capability is a usage error (100)" 100 "$INIT" --cap NET_FLY -- true
check_exit "a bad LUCID_INIT_GRACE is a usage error (100)" 100 env LUCID_INIT_GRACE=soon "$INIT" -- true
check_exit "--help exits 0" 0 "$INIT" --help
out=$("$INIT" --drain 1x -- true 2>&1)
check_eq "usage errors are one line naming the value" "$out" \
	"lucid-init: --drain '1x': not off or a duration in seconds (e.g. 2, 0.5, 250ms; at most 86400; 0: SIGKILL at once) (see --help)"

# --- no cap on how many processes are drained or audited -------------------
# More processes than any fixed table the init or the audit had (1024 for
# the drain, 4096 for the audit): every one is listed, every one signalled.
many() { # N: a shell line starting N `sleep 60` that ignore SIGTERM
	echo "trap '' TERM; i=0; while [ \$i -lt $1 ]; do sleep 60.$RANDOM & i=\$((i + 1)); done"
}
install -m 666 /dev/null "$WORK/audit.many"
"${NS[@]}" "$INIT" -- sh -c "$(many 4500); $INIT audit >$WORK/audit.many; exit 0" >/dev/null 2>&1
check_between "audit lists every process, past 4096 (4500 sleeps, the shell, PID 1, the audit)" \
	4503 4503 "$(grep -cE '^[0-9]+'$'\t' "$WORK/audit.many")"
marker="sleep 61.$RANDOM"
"$INIT" --drain 0.2 -- sh -c "trap '' TERM; i=0; while [ \$i -lt 1500 ]; do $marker & i=\$((i + 1)); done; exit 0" 2>/dev/null
check_eq "the subreaper drain signals every leftover, past 1024 (1500 that ignore SIGTERM)" \
	"$(pgrep -cf "^$marker")" 0

# --- audit ------------------------------------------------------------------
check_exit "audit exits 0 when every process is dropped" 0 \
	"${NS[@]}" "$INIT" -- sh -c "sleep 5 & sleep 0.3; $INIT audit; rc=\$?; kill %1; exit \$rc"
check_exit "audit exits 1 when a process is root" 1 \
	"${NS[@]}" "$INIT" -u 0 -- sh -c "sleep 0.3; exec $INIT audit"
json=$("${NS[@]}" "$INIT" -- sh -c "sleep 0.3; exec $INIT audit --json")
check_true "audit --json is valid JSON listing PID 1 as compliant" "output: $json" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=[x for x in d["processes"] if x["pid"]==1][0]; sys.exit(0 if d["compliant"] and p["compliant"] and p["uid"]==[65532]*4 else 1)' "$json"

# --- arm64: the same binary under qemu-aarch64-static -------------------------
# qemu-user cannot install a seccomp filter (ENOSYS), so the default start
# must refuse to run the service; the rest runs with --seccomp none.
if [ -n "$QEMU" ]; then
	ARM_INIT=("$QEMU" "$ARM_BIN/lucid-init")
	check_exit "arm64: a filter that cannot be installed fails closed (111, qemu)" 111 "${NS[@]}" "${ARM_INIT[@]}" -- touch "$WORK/ran"
	check_true "arm64: ...and the service never ran" "$WORK/ran exists" [ ! -e "$WORK/ran" ]
	check_exit "arm64: exit code 3 passes through (qemu)" 3 "${NS[@]}" "${ARM_INIT[@]}" --seccomp none -- sh -c 'exit 3'
	creds=$("${NS[@]}" "${ARM_INIT[@]}" --seccomp none -- "$TOOLS/credcheck" 2>/dev/null)
	expect_line "arm64: service dropped to 65532 (qemu)" '^self Uid:\t65532\t65532\t65532\t65532$'
	expect_line "arm64: service has no capabilities (qemu)" '^self CapEff:\t0000000000000000$'
	expect_line "arm64: PID 1 dropped itself (qemu)" '^init Uid:\t65532\t65532\t65532\t65532$'
	check_exit "arm64: exec failure exits 127 (qemu)" 127 "${NS[@]}" "${ARM_INIT[@]}" --seccomp none -- /nonexistent
	check_exit "arm64: unknown user fails closed with 111 (qemu)" 111 "${NS[@]}" "${ARM_INIT[@]}" -u nosuchuser -- true
	check_exit "arm64: orphans reaped (qemu)" 0 "${NS[@]}" "${ARM_INIT[@]}" --seccomp none -- "$TOOLS/orphans" 100
fi

finish

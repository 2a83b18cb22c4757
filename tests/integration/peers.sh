#!/bin/bash
# What users of tini, dumb-init and catatonit rely on, against the real
# static lucid-init: signals with fault numbers sent by kill(2), job control
# with and without a terminal, inherited fds (closed, socket activation,
# --keep-fds) and the audit of what processes hold, the working directory,
# --pdeathsig, -e for every exit code, the three --drain cases, --quiet,
# and a CPU-bound pipeline that exits promptly on SIGTERM.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

need python3 python3 script bsdutils setsid util-linux

INIT=$BIN/lucid-init
FAULTS=${FAULTS_INIT:-$TOOLS/lucid-init-faults}
JOBCTL=$(dirname "$0")/../tools/jobctl.py
chmod 755 "$WORK" # the dropped service (65532) writes its records here
NS=(unshare --pid --fork --mount-proc --kill-child)
ns_init_pid() { pgrep -P "$1" | head -1; }

# --- fault-numbered signals sent by kill(2) are forwarded --------------------
# ILL TRAP BUS FPE SEGV SYS: as PID 1 they were dropped, as a subreaper they
# killed lucid-init and orphaned the service.
faults=(4 5 7 8 11 31)
rec=$WORK/faults
install -m 666 /dev/null "$rec"
spawn "${NS[@]}" "$INIT" -- "$TOOLS/sigrecord" "$rec"
ns=$spawned
if wait_for 50 grep -q ready "$rec"; then
	for s in "${faults[@]}"; do
		kill -s "$s" "$(ns_init_pid "$ns")"
		wait_for 20 grep -qx "$s" "$rec"
	done
	kill -TERM "$(ns_init_pid "$ns")"
	wait "$ns"
	check_eq "as PID 1, SIGILL/TRAP/BUS/FPE/SEGV/SYS sent by kill(2) reach the service" \
		"$(grep -v ready "$rec" | tr '\n' ' ')" "4 5 7 8 11 31 15 "
else
	fail "as PID 1, fault-numbered signals reach the service" "sigrecord never became ready"
fi

rec=$WORK/faults.sub
install -m 666 /dev/null "$rec"
spawn "$INIT" -q -- "$TOOLS/sigrecord" "$rec"
init=$spawned
if wait_for 50 grep -q ready "$rec"; then
	for s in "${faults[@]}"; do
		kill -s "$s" "$init"
		wait_for 20 grep -qx "$s" "$rec"
	done
	check_true "as a subreaper, lucid-init survives kill -SEGV (and the others)" "lucid-init died" kill -0 "$init"
	kill -TERM "$init"
	wait "$init"
	check_eq "as a subreaper, SIGILL/TRAP/BUS/FPE/SEGV/SYS sent by kill(2) reach the service" \
		"$(grep -v ready "$rec" | tr '\n' ' ')" "4 5 7 8 11 31 15 "
else
	fail "as a subreaper, fault-numbered signals reach the service" "sigrecord never became ready"
fi

# --- -r works for every signal it accepts, and refuses what cannot work -----
rec=$WORK/rewrite
install -m 666 /dev/null "$rec"
spawn "${NS[@]}" "$INIT" -r SEGV:USR1 -r TTIN:USR2 -r TSTP:HUP -- "$TOOLS/sigrecord" "$rec"
ns=$spawned
if wait_for 50 grep -q ready "$rec"; then
	for s in SEGV TTIN TSTP; do
		kill -s "$s" "$(ns_init_pid "$ns")"
		wait_for 20 sh -c "[ \$(grep -cv ready $rec) -ge 1 ]"
		sleep 0.05
	done
	kill -TERM "$(ns_init_pid "$ns")"
	wait "$ns"
	check_eq "-r SEGV:USR1, TTIN:USR2, TSTP:HUP each take effect" "$(grep -v ready "$rec" | tr '\n' ' ')" "10 12 1 15 "
else
	fail "-r rewrites fault and job-control signals" "sigrecord never became ready"
fi
check_exit "-r 1:32 is refused: no service can receive 32 (100)" 100 "$INIT" -r 1:32 -- true
check_exit "-r HUP:33 is refused (100)" 100 "$INIT" -r HUP:33 -- true
check_exit "-r STOP:TERM is refused: STOP never reaches lucid-init (100)" 100 "$INIT" -r STOP:TERM -- true

# --- job control -------------------------------------------------------------
# Without a TTY the service's group is orphaned, where the kernel ignores
# TSTP/TTIN/TTOU: they go as SIGSTOP. lucid-init stops with its service, so
# whoever runs it sees the job stopped; SIGCONT resumes both.
for s in TSTP TTIN TTOU; do
	check_exit "no TTY: SIG$s stops the service and lucid-init, SIGCONT resumes both" 0 \
		python3 "$JOBCTL" notty "$s" "$INIT" -q
done
check_exit "TTY: Ctrl-Z stops the service's group and lucid-init; SIGCONT resumes it" 0 \
	python3 "$JOBCTL" tty TSTP "$INIT" -q
check_exit "TTY, PID 1: Ctrl-Z stops the service, PID 1 says so on the terminal, SIGCONT resumes it" 0 \
	python3 "$JOBCTL" tty1 TSTP "$INIT"

# --- inherited fds -------------------------------------------------------------
# fds 3-9 as the runtime leaves them: a directory, files, a socket.
open_fds() { # the fds above 2 of the calling shell, as "3 4 ..."
	echo 'for f in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$f ] && printf "%s " $f; done; echo'
}
exec 3<"$WORK" 4</etc/passwd 5</etc/group 6<>"$WORK/fd6"
check_eq "every inherited fd above 2 is closed before the service runs" \
	"$("${NS[@]}" "$INIT" -- sh -c "$(open_fds)")" ""
check_eq "--keep-fds 2 passes fds 3 and 4 on, closes 5 and 6" \
	"$("${NS[@]}" "$INIT" --keep-fds 2 -- sh -c "$(open_fds)")" "3 4 "
check_eq "LISTEN_FDS=3 with LISTEN_PID naming lucid-init (1) keeps fds 3-5" \
	"$(LISTEN_PID=1 LISTEN_FDS=3 "${NS[@]}" "$INIT" -- sh -c "$(open_fds)")" "3 4 5 "
check_eq "...and the service gets LISTEN_PID=its own pid" \
	"$(LISTEN_PID=1 LISTEN_FDS=3 "${NS[@]}" "$INIT" -- sh -c 'echo $LISTEN_PID=$$')" "2=2"
check_eq "LISTEN_FDS for another pid (LISTEN_PID=7) keeps nothing" \
	"$(LISTEN_PID=7 LISTEN_FDS=3 "${NS[@]}" "$INIT" -- sh -c "$(open_fds)")" ""
check_eq "a LISTEN_FDS that is no count keeps nothing, and says so" \
	"$(LISTEN_PID=1 LISTEN_FDS=x "${NS[@]}" "$INIT" -- sh -c "$(open_fds)" 2>&1)" \
	"lucid-init: warning: LISTEN_FDS='x' is not a count of fds: the socket-activation fds are closed"
# close_range refused (ENOSYS before Linux 5.9, EPERM under a filter without
# it): the fds listed in /proc/self/fd are closed one by one.
check_eq "close_range failing with ENOSYS: the fds are closed all the same" \
	"$(LUCID_FAULT=close_range:1:38 "${NS[@]}" "$FAULTS" -- sh -c "$(open_fds)")" ""
check_eq "close_range failing with EPERM: the fds are closed all the same" \
	"$(LUCID_FAULT=close_range:1:1 "${NS[@]}" "$FAULTS" --keep-fds 1 -- sh -c "$(open_fds)")" "3 "
# PID 1 itself holds none of them either.
spawn "${NS[@]}" "$INIT" -q -- sleep 60
ns=$spawned
wait_for 50 pgrep -P "$(ns_init_pid "$ns")" >/dev/null
init_fds() { find "/proc/$(ns_init_pid "$ns")/fd" -mindepth 1 -printf '%f ' | tr ' ' '\n' | sort -n | tr '\n' ' '; }
check_eq "PID 1 keeps no inherited fd itself (0-2 only)" "$(init_fds)" "0 1 2 "
kill "$ns"
exec 3<&- 4<&- 5<&- 6<&-

# --- the audit lists fds, and fails a process holding a host fd ---------------
# A directory opened before unshare made the namespace is on a mount of the
# host's mount namespace: the shape of CVE-2024-21626.
# The shell runs the audit as a child (not its last command, so it is not
# exec'd) and redirects nothing (dash would keep a copy of the old stdout
# above fd 2, and this suite's stdout is a host file).
exec 3<"$WORK"
"${NS[@]}" "$INIT" --keep-fds 1 -- sh -c "$INIT audit; exit \$?" >"$WORK/audit.out" 2>/dev/null
rc=$?
check_eq "audit exits 1 when a process holds an fd of another mount namespace" "$rc" 1
check_grep "...naming the fd" "$WORK/audit.out" $'^2\t1\t.*\t4!1\tfd 3 is on a mount of another mount namespace\t'
exec 3<&-
"${NS[@]}" "$INIT" -- sh -c "exec 3</etc/passwd; $INIT audit; exit \$?" >"$WORK/audit.out" 2>/dev/null
rc=$?
check_eq "a file the service opened itself is no violation (audit exits 0)" "$rc" 0
check_grep "audit shows the fd count of each process (FDS column)" "$WORK/audit.out" $'^2\t1\t.*\t2/1\t4\tok\t'
json=$("${NS[@]}" "$INIT" -- sh -c "sleep 0.2; exec $INIT audit --json")
check_true "audit --json has fds and foreign_fds per process" "output: $json" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=[x for x in d["processes"] if x["pid"]==1][0]; sys.exit(0 if p["fds"]==3 and "foreign_fds" in p else 1)' "$json"

# --- the working directory ---------------------------------------------------
mkdir -m 755 "$WORK/app"
install -m 666 /dev/null "$WORK/cwd"
spawn sh -c "cd '$WORK/app' && exec ${NS[*]} '$INIT' -- sh -c 'pwd >$WORK/cwd; exec sleep 60'"
ns=$spawned
wait_for 50 grep -q . "$WORK/cwd"
check_eq "the service keeps the directory it was started in (the image's WORKDIR)" "$(cat "$WORK/cwd")" "$WORK/app"
check_eq "PID 1 moves to / and pins no mount" "$(readlink "/proc/$(ns_init_pid "$ns")/cwd")" "/"
kill "$ns"

# --- --pdeathsig: the parent's death is forwarded ------------------------------
pdeath() { # SIG_OPTION...: start lucid-init under a parent that exits after 0.3 s
	setsid sh -c "$INIT -q $* -- $TOOLS/sigrecord $rec & sleep 0.3" </dev/null
}
rec=$WORK/pdeath
install -m 666 /dev/null "$rec"
pdeath --pdeathsig USR1
wait_for 30 grep -qx 10 "$rec"
check_grep "--pdeathsig USR1: the service gets SIGUSR1 when lucid-init's parent dies" "$rec" '^10$'
pkill -TERM -f "sigrecord $rec\$"
rec=$WORK/pdeath.none
install -m 666 /dev/null "$rec"
pdeath
sleep 0.5
check_eq "without --pdeathsig the parent's death sends nothing" "$(grep -v ready "$rec")" ""
pkill -TERM -f "sigrecord $rec\$"
check_exit "--pdeathsig KILL is refused (100)" 100 "$INIT" --pdeathsig KILL -- true

# --- -e takes every exit code -------------------------------------------------
all=()
for c in $(seq 0 255); do all+=(-e "$c"); done
check_exit "-e given 256 times, once per exit code, maps 77 to 0" 0 "${NS[@]}" "$INIT" "${all[@]}" -- sh -c 'exit 77'

# --- --drain: off, 0 (SIGKILL at once), N (SIGTERM, then SIGKILL) -----------
marker="sleep 62.$RANDOM"
"$INIT" -q --drain off -- sh -c "$marker & exit 0"
check_between "--drain off as a subreaper leaves the leftover running (count)" 1 1 "$(pgrep -cf "^$marker")"
pkill -f "^$marker"
start=$(date +%s%N)
check_exit "--drain off as PID 1 exits at once with the service's status" 3 \
	"${NS[@]}" "$INIT" --drain off -- sh -c '(trap "" TERM; exec sleep 60) & exit 3'
check_between "...not waiting for the leftover (ms)" 0 1500 "$(ms_since "$start")"
rec=$WORK/drain0
install -m 666 /dev/null "$rec"
"${NS[@]}" "$INIT" --drain 0 -- sh -c "$TOOLS/sigrecord $rec & sleep 0.3; exit 0"
check_eq "--drain 0: the leftover gets SIGKILL at once, no SIGTERM first" "$(grep -v ready "$rec")" ""
rec=$WORK/drain1
install -m 666 /dev/null "$rec"
"${NS[@]}" "$INIT" --drain 1 -- sh -c "$TOOLS/sigrecord $rec & sleep 0.3; exit 0"
check_eq "--drain 1: the leftover gets SIGTERM first" "$(grep -v ready "$rec")" "15"
check_exit "--drain soon is a usage error (100)" 100 "$INIT" --drain soon -- true

# --- --quiet ---------------------------------------------------------------
check_eq "-q: no warning on stderr (-u 0 keeps root)" "$("${NS[@]}" "$INIT" -q -u 0 -- true 2>&1)" ""
check_eq "LUCID_INIT_QUIET=1 does the same" "$(LUCID_INIT_QUIET=1 "${NS[@]}" "$INIT" -u 0 -- true 2>&1)" ""
check_eq "without -q the warning is there" "$("${NS[@]}" "$INIT" -u 0 -- true 2>&1)" \
	"lucid-init: warning: --user 0: the service runs as root with the container's capabilities"
check_eq "-q keeps errors" "$("${NS[@]}" "$INIT" -q -u nosuchuser -- true 2>&1)" \
	"lucid-init: --user nosuchuser: user 'nosuchuser' not found in /etc/passwd; the service was not started"
check_exit "-q with -v is a usage error (100)" 100 "$INIT" -q -v -- true

# --- a CPU-bound pipeline exits promptly on SIGTERM, without -g ---------------
# The shell dies on SIGTERM; the pipeline's stages, orphaned, get the
# drain's SIGTERM. Ten rounds; the slowest is judged.
slowest=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	spawn "${NS[@]}" "$INIT" -- sh -c 'yes | gzip -1 | gzip -1 >/dev/null'
	ns=$spawned
	wait_for 50 pgrep -f '^gzip -1$' >/dev/null
	sleep 0.2
	start=$(date +%s%N)
	kill -TERM "$(ns_init_pid "$ns")"
	wait "$ns"
	t=$(ms_since "$start")
	[ "$t" -gt "$slowest" ] && slowest=$t
done
check_between "a CPU-bound pipeline under lucid-init exits within 1.5 s of SIGTERM (slowest of 10, ms)" 0 1500 "$slowest"

finish

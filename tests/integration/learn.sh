#!/bin/bash
# tests/integration/learn.sh: lucid-seccomp learn end to end, as PID 1 of a
# new PID namespace with lucid-init under it: the profile compiles
# --strict, the learned run passes under it as lucid-init applies it, a
# syscall the run never made is denied (mount, ptrace, unshare, a socket
# family), the init's own calls are lucidInitOnly, --merge is a union and
# idempotent, signals reach the command and its status is the learner's,
# SIGUSR2 writes a snapshot, a filter stacked above the learner still
# denies, bad input gets one line and its exit code, and under qemu-user
# learn refuses to start.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
S=$BIN/lucid-seccomp
I=$BIN/lucid-init
PROBE=$TOOLS/sysprobe
NS=(unshare --pid --fork --mount-proc --kill-child)
need python3 python3 unshare util-linux
chmod 755 "$WORK"
cd "$WORK" || exit 1
case "$(uname -m)" in
x86_64) arch=x86_64 other=aarch64 ;;
aarch64) arch=aarch64 other=x86_64 ;;
esac

# learn OUT [LEARN-OPTIONS...] -- COMMAND...: learn as PID 1 of a new PID
# namespace; stderr in OUT.err.
learn() {
	local out=$1
	shift
	timeout -k 5 60 "${NS[@]}" "$S" learn -o "$out" "$@" 2>"$out.err"
}
# names FILE [service|init]: the names a profile allows (for the service
# only, or only before the service's filter), one per line, sorted.
names() {
	python3 - "$@" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
want = sys.argv[2] if len(sys.argv) > 2 else "all"
out = set()
for e in p["syscalls"]:
    if e["action"] != "SCMP_ACT_ALLOW":
        continue
    init = e.get("lucidInitOnly", False)
    if want == "all" or (want == "init") == init:
        out.update(e["names"])
print("\n".join(sorted(out)))
PY
}
has_name() { names "$1" "${3:-all}" | grep -qx "$2"; }
lacks_name() { ! has_name "$@"; }

# --- bad input: one line, its exit code ---
check_exit "learn without -- COMMAND is a usage error (100)" 100 "$S" learn -o x.json
check_grep "...saying what is missing" "$WORK/out" '^lucid-seccomp: learn: missing -- COMMAND \(see --help\)$'
check_exit "learn takes no --arch (100)" 100 "$S" learn --arch x86_64 -- /bin/true
check_exit "--merge is only for learn (100)" 100 "$S" check "$root/seccomp/default.json" --merge x.json
check_exit "--merge of a profile learn did not write exits 1" 1 "$S" learn -o x.json --merge "$root/seccomp/default.json" -- /bin/true
check_grep "...with one line naming it" "$WORK/out" 'not a profile written by lucid-seccomp learn|No such file'
check_exit "an output that cannot be written: 111, before the command runs" 111 "$S" learn -o /proc/none/x.json -- /bin/sh -c 'echo ran >ran'
check_true "...and the command did not run" "ran" test ! -e ran
check_exit "a command that does not exist: 127" 127 "$S" learn -o nx.json -- /nonexistent/cmd
check_grep "...said in one line" "$WORK/out" 'learn: executing the command /nonexistent/cmd: No such file or directory'
check_true "...and no profile is written for it" "nx.json exists" test ! -e nx.json

printf 'echo ran\n' >noexec
chmod 644 noexec
check_exit "a file that is not executable: 126" 126 "$S" learn -o nx.json -- "$WORK/noexec"
check_exit "only learn takes a command after -- (100)" 100 "$S" check "$root/seccomp/default.json" -- /bin/true
check_grep "...said in one line" "$WORK/out" '^lucid-seccomp: only learn takes a command after -- \(see --help\)$'
check_exit "options may come before the command word: -o P learn -- C" 0 "$S" -o pre.json learn -- /bin/true
check_true "...and the profile is where -o said" "no pre.json" test -s pre.json
"$S" learn -o post.json -- /bin/echo -o x --merge y >post.out 2>/dev/null
check_eq "what follows -- is the command's, options included" "$(cat post.out)" "-o x --merge y"
check_exit "-o /dev/null: learn writes into a device in place" 0 "$S" learn -o /dev/null -- /bin/true
check_true "...and /dev/null is still the character device" "/dev/null was replaced" test -c /dev/null

# --- the exit status is the command's ---
check_exit "the learner exits with the command's status (7)" 7 "$S" learn -o s.json -- /bin/sh -c 'exit 7'
check_exit "...and 128+S when a signal killed it (143)" 143 "$S" learn -o s.json -- /bin/sh -c 'kill -TERM $$'
check_grep "a summary line says what was learned and where" "$WORK/out" \
	'^lucid-seccomp: learn: [0-9]+ syscalls for the service, [0-9]+ with the runtime.s and lucid-init.s, in [0-9]+ rules, from [0-9]+ notified calls, written to s\.json$'

# --- a workload learned under lucid-init, then run under what was learned ---
probes=(getpid read write clock_gettime)
learn probe.json -- "$I" -- "$PROBE" "${probes[@]}" >probe.learned
check_eq "sysprobe learned under lucid-init as PID 1: exit 0" "$?" 0
check_true "...the profile compiles --strict for $arch" "$(cat "$WORK/out")" \
	"$S" compile probe.json --strict --arch "$arch" -o probe.bpf
check_exit "...and for $other (names that exist there, counterparts)" 0 \
	"$S" compile probe.json --strict --arch "$other" -o probe-other.bpf
check_exit "...and as the runtime's filter" 0 "$S" compile probe.json --strict --runtime --arch "$arch" -o probe-rt.bpf
"${NS[@]}" "$I" --seccomp ./probe.bpf -- "$PROBE" "${probes[@]}" mount ptrace unshare setns bpf >probe.under 2>&1
check_eq "the learned calls run again under the learned profile (lucid-init applies it)" \
	"$(grep -cE '^(getpid|read|write|clock_gettime) (EPERM|ENOSYS)$' probe.under)" 0
for n in mount ptrace unshare setns bpf; do
	check_grep "$n, never called while learning, is denied (EPERM)" probe.under "^$n EPERM$"
done
check_true "lucid-init's privilege drop is lucidInitOnly (setresuid)" "$(names probe.json init | tr '\n' ' ')" \
	has_name probe.json setresuid init
check_true "...and not in the service's filter" "setresuid allowed to the service" lacks_name probe.json setresuid service
check_true "...nor seccomp" "seccomp allowed to the service" lacks_name probe.json seccomp service
count=$(names probe.json service | wc -l)
shipped=$(names "$root/seccomp/static.json" service | wc -l)
check_between "the learned service filter is a fraction of the shipped static one ($count of $shipped names)" 1 $((shipped / 3)) "$count"

# --- a Python workload: socket families, threads, files ---
cat >work.py <<'PY'
import socket, sys, threading, os
fam = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}
for name in sys.argv[1:]:
    try:
        socket.socket(fam[name], socket.SOCK_STREAM).close()
        print(name, "ok")
    except OSError as e:
        print(name, "EPERM" if e.errno == 1 else e.errno)
t = threading.Thread(target=lambda: open("/etc/hostname").read()); t.start(); t.join()
PY
learn py.json -- "$I" -- python3 work.py inet >py.out
check_eq "a Python workload learned under lucid-init: exit 0" "$?" 0
"$S" compile py.json --strict --arch "$arch" -o py.bpf 2>py.err
check_eq "...its profile compiles --strict" "$?" 0
"${NS[@]}" "$I" --seccomp ./py.bpf -- python3 work.py inet inet6 >py.under 2>&1
check_grep "...the workload passes under it (AF_INET socket, a thread, a file)" py.under '^inet ok$'
check_grep "...a socket family it never used (AF_INET6) is denied" py.under '^inet6 EPERM$'

# --- --merge: a union, and idempotent ---
learn merged.json --merge py.json -- "$I" -- python3 work.py inet6 >/dev/null
check_eq "a second run merged into the first: exit 0" "$?" 0
"$S" compile merged.json --strict --arch "$arch" -o merged.bpf
"${NS[@]}" "$I" --seccomp ./merged.bpf -- python3 work.py inet inet6 unix >merged.under 2>&1
check_grep "the merged profile allows the first run's family (AF_INET)" merged.under '^inet ok$'
check_grep "...and the second's (AF_INET6)" merged.under '^inet6 ok$'
check_grep "...and still not one neither used (AF_UNIX)" merged.under '^unix EPERM$'
learn again.json --merge merged.json -- "$I" -- python3 work.py inet6 >/dev/null
check_exit "merging the same run again changes nothing (byte for byte)" 0 cmp merged.json again.json
"$S" learn -o only.json --merge py.json --merge merged.json 2>/dev/null
check_exit "--merge without a command only merges: py ∪ merged is merged" 0 cmp merged.json only.json
learn self.json --merge py.json -- /bin/true
learn self2.json --merge self.json -- /bin/true
check_exit "a merged profile merged into itself is itself" 0 cmp self.json self2.json

# --- --base: what a shipped profile allows is not notified, and kept ---
cat >xattr.py <<'PY'
import os
try:
    os.getxattr("/", "user.lucid")
except OSError:
    pass
PY
learn base.json --base "$root/seccomp/static.json" -- python3 xattr.py
check_eq "learn --base static.json: exit 0" "$?" 0
learned_only() { # FILE: the names of the entries learned, not the base's nor derived
	python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print("\n".join(sorted({n for e in p["syscalls"] if not e.get("lucidBase") and not e.get("lucidDerived") for n in e["names"]})))' "$1"
}
check_eq "...notifies and learns only what static.json does not allow (getxattr)" "$(learned_only base.json | tr '\n' ' ')" "getxattr "
check_grep "...from a handful of notified calls" base.json.err ' from [0-9] notified calls'
check_true "...and the output keeps static.json's rules (its clone rule)" "no lucidBase clone rule" \
	grep -q '"names":\["clone"\].*"lucidBase":true' base.json
check_exit "...and compiles --strict" 0 "$S" check base.json --strict
learn base2.json --merge base.json -- /bin/true
learn base3.json --merge base2.json -- /bin/true
check_exit "a profile with base rules merges into itself unchanged" 0 cmp base2.json base3.json
check_exit "--base of a missing profile exits 1" 1 "$S" learn --base nosuch -- /bin/true
check_grep "...naming the file it looked for" "$WORK/out" '^lucid-seccomp: learn: --base /usr/share/lucid/seccomp/nosuch\.json: No such file or directory$'

# --- signals: forwarded, SIGUSR2 samples ---
cat >sig.py <<'PY'
import signal, sys, time
signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))
signal.signal(signal.SIGHUP, lambda *a: print("hup", flush=True))
print("ready", flush=True)
while True:
    time.sleep(0.05)
PY
"$S" learn -o sig.json -- python3 sig.py >sig.out 2>sig.err &
lpid=$!
wait_for 100 grep -q ready sig.out
kill -HUP "$lpid"
check_true "SIGHUP to the learner reaches the command" "$(cat sig.out)" wait_for 50 grep -q hup sig.out
kill -USR2 "$lpid"
check_true "SIGUSR2 writes what was learned so far" "no sig.json" wait_for 50 test -s sig.json
check_grep "...said as a snapshot" sig.err 'so far, written to sig\.json$'
check_true "...and the command goes on (SIGUSR2 is the learner's)" "the learner ended" kill -0 "$lpid"
kill -TERM "$lpid"
wait "$lpid"
check_eq "SIGTERM to the learner reaches the command; its status (42) is the learner's" "$?" 42

# The learner's own SIGPIPE (a snapshot line to a stderr nobody reads) is
# not the command's: lucid-init's forwarding rule (common/forwarding.h).
pipe_case() {
	local lpid rc
	"$S" learn -o pipe.json -- sleep 2 2> >(exec true) &
	lpid=$!
	sleep 0.5
	kill -USR2 "$lpid"
	wait "$lpid"
	rc=$?
	echo "exit $rc" >pipe.out
	[ "$rc" = 0 ]
}
check_true "a SIGPIPE the learner raised on itself is not forwarded (the command exits 0)" \
	"$(cat pipe.out 2>/dev/null)" pipe_case

# --- a filter stacked above the learner still decides ---
learn stacked.json -- "$I" --seccomp default -- "$PROBE" mount getpid >stacked.out
check_grep "lucid-init's filter above the learner denies mount: CONTINUE does not override it" stacked.out '^mount EPERM$'
check_true "...and mount, never run, is not in the profile" "mount learned" lacks_name stacked.json mount

# --- qemu-user has no user notification: one line, 111 ---
if [ -n "${ARM_BIN:-}" ] && [ -n "${QEMU:-}" ]; then
	check_exit "under qemu-user learn refuses to start (111)" 111 "$QEMU" "$ARM_BIN/lucid-seccomp" learn -o q.json -- /bin/true
	check_grep "...in one line saying why" "$WORK/out" '^lucid-seccomp: learn: seccomp user notification is not available here'
fi

finish

#!/bin/bash
# lucid-init with real seccomp filters: the embedded default and every shipped
# profile, probed syscall by syscall (tests/tools/sysprobe); the real runtimes
# each profile is for, answering lucid-health; and the same profile given to
# runc, which must reach the same verdict on every syscall.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

INIT=$BIN/lucid-init
PROBE=$TOOLS/sysprobe
seccomp=$BIN/lucid-seccomp
prefix=$(dirname "$BIN")
NS=(unshare --pid --fork --mount-proc --kill-child)
chmod 755 "$WORK"

case "$(uname -m)" in
x86_64) arch=x86_64 other=aarch64 ;;
aarch64) arch=aarch64 other=x86_64 ;;
esac

# Harmless calls a service makes all the time: the kernel answers them
# (with EBADF, EFAULT, ... for the junk arguments), the filter must not.
allowed=(read write close getpid openat futex epoll_pwait clock_gettime clone personality prctl_name)
# Each must be refused by the filter itself: without a filter, none of these
# gives EPERM for sysprobe's arguments (checked below).
denied=(mount umount2 unshare setns ptrace bpf keyctl add_key request_key perf_event_open
	io_uring_setup userfaultfd open_by_handle_at clone_newuser)
# What only lucid-init and the runtime may call (the profiles' lucidInitOnly
# rules): denied to the service too, allowed by the runtime's filter.
init_only=(setuid setgid setresuid setresgid capset seccomp prctl_seccomp)
denied+=("${init_only[@]}")

# verdicts FILE: "ok" for every allowed call the filter let through, the
# errno of every refused one, as "name verdict" lines.
expect_profile() { # LABEL FILE
	local label=$1 out=$2 bad=()
	for n in "${allowed[@]}"; do
		grep -qE "^$n (EPERM|ENOSYS)$" "$out" && bad+=("$n refused")
		grep -q "^$n " "$out" || bad+=("$n missing")
	done
	for n in "${denied[@]}"; do grep -qx "$n EPERM" "$out" || bad+=("$n: $(grep "^$n " "$out" | cut -d' ' -f2)"); done
	grep -qx "clone3 ENOSYS" "$out" || bad+=("clone3: $(grep '^clone3 ' "$out" | cut -d' ' -f2) (want ENOSYS)")
	check_true "$label: allowed calls work, the dangerous ones get EPERM, clone3 ENOSYS" "${bad[*]}" [ ${#bad[@]} = 0 ]
}

probe() { # OUT INIT-ARGS...: sysprobe under lucid-init as PID 1
	local out=$1
	shift
	"${NS[@]}" "$INIT" "$@" -- "$PROBE" "${allowed[@]}" "${denied[@]}" clone3 >"$out" 2>"$out.err"
}

# --- the baseline: without a filter nothing here is EPERM ---------------------
probe "$WORK/none" --seccomp none
check_true "without a filter, no probed call gets EPERM (so EPERM below is the filter's)" \
	"$(grep -E ' (EPERM|ENOSYS)$' "$WORK/none" | tr '\n' ' ')" sh -c "! grep -qE ' (EPERM|ENOSYS)$' '$WORK/none'"
check_grep "--seccomp none warns that nothing is filtered" "$WORK/none.err" "neither the service nor lucid-init is seccomp-filtered"

# --- the built-in profiles, and every shipped profile as a .bpf file ----------
probe "$WORK/default"
expect_profile "built-in default filter (no --seccomp)" "$WORK/default"
for p in default python node static; do
	probe "$WORK/builtin-$p" --seccomp "$p"
	expect_profile "--seccomp $p (built in)" "$WORK/builtin-$p"
	probe "$WORK/$p" --seccomp "$prefix/seccomp/$p-$arch.bpf"
	expect_profile "--seccomp $p-$arch.bpf" "$WORK/$p"
	check_true "--seccomp $p and $p-$arch.bpf are the same filter" "verdicts differ" \
		cmp -s "$WORK/builtin-$p" "$WORK/$p"
done
check_exit "an unknown built-in name is refused before anything runs (111)" 111 \
	"$INIT" --seccomp pyhton -- touch "$WORK/ran"
LUCID_INIT_SECCOMP=$prefix/seccomp/static-$arch.bpf probe "$WORK/env"
expect_profile "LUCID_INIT_SECCOMP=static-$arch.bpf" "$WORK/env"

check_exit "a syscall the profile KILLs kills the service (128+SIGSYS)" 159 \
	"${NS[@]}" "$INIT" -- "$PROBE" getpid kexec_load getpid

creds=$("${NS[@]}" "$INIT" -- "$TOOLS/credcheck")
check_true "the service runs in seccomp mode 2" "$creds" grep -qP '^self Seccomp:\t2$' <<<"$creds"
check_true "PID 1 confines itself with its own filter once the service runs" "$creds" \
	grep -qP '^init Seccomp:\t2$' <<<"$creds"

# --- failing closed -------------------------------------------------------------
check_exit "a missing filter file fails closed (111)" 111 "$INIT" --seccomp "$WORK/nope.bpf" -- touch "$WORK/ran"
printf 'LUCIDBPF garbage' >"$WORK/bad.bpf"
check_exit "a corrupt filter file fails closed (111)" 111 "$INIT" --seccomp "$WORK/bad.bpf" -- touch "$WORK/ran"
out=$("$INIT" --seccomp "$prefix/seccomp/default-$other.bpf" -- touch "$WORK/ran" 2>&1)
check_true "a filter for the other arch is refused, saying so" "stderr: $out" \
	grep -q "compiled for another architecture" <<<"$out"
# Under a filter without the lucidInitOnly rules (the default profile, as the
# service's filter of an outer lucid-init), lucid-init can neither watch
# signals while the child starts (signalfd4) nor confine itself (seccomp):
# it must not start the service unconfined.
"${NS[@]}" "$INIT" -- "$INIT" -- touch "$WORK/ran" 2>"$WORK/nested.err"
check_eq "where lucid-init cannot set itself up (a filter without its rules), it fails closed (111)" "$?" 111
check_grep "...saying what failed" "$WORK/nested.err" \
	"^lucid-init: (signalfd|installing lucid-init's own seccomp filter): Operation not permitted$"
# A filter that denies what the child's last steps need is refused before
# anything runs: denying exit_group (SPO's profile-block-all) would leave
# the child looping on exit(111) = -EPERM.
cat >"$WORK/block-all.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []}
JSON
cat >"$WORK/no-exit.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["exit_group"], "action": "SCMP_ACT_ERRNO"}]}
JSON
for p in block-all no-exit; do
	"$seccomp" compile "$WORK/$p.json" --arch "$arch" -o "$WORK/$p.bpf" 2>/dev/null
	check_exit "a filter that denies the child's last steps ($p) is refused (111)" 111 \
		"$INIT" --seccomp "$WORK/$p.bpf" -- touch "$WORK/ran"
done
check_grep "...saying which call it denies" "$WORK/out" "does not allow exit_group, so the service could never start or end"
check_true "...and in none of these cases did the service run" "$WORK/ran exists" test ! -e "$WORK/ran"

# --- each profile runs the runtime it is for ------------------------------------
spawn_in_root() { # LOG CMD...: spawn CMD from / with its output in LOG
	local log=$1
	shift
	spawn sh -c 'cd / && exec "$@"' sh "$@" >"$log" 2>&1
}
serve_and_probe() { # LABEL PROFILE PORT CMD...: start CMD under the profile, probe it
	local label=$1 profile=$2 port=$3 ns
	shift 3
	spawn_in_root "$WORK/$profile.log" "${NS[@]}" "$INIT" --seccomp "$prefix/seccomp/$profile-$arch.bpf" -- "$@"
	ns=$spawned
	check_true "$label under $profile.json answers lucid-health" \
		"never healthy; service said: $(tail -3 "$WORK/$profile.log" | tr '\n' ' ')" \
		wait_for 100 "$BIN/lucid-health" -q "http://127.0.0.1:$port/"
	kill -TERM "$(pgrep -P "$ns" | head -1)" 2>/dev/null
	wait "$ns" 2>/dev/null
}
serve_and_probe "python3 -m http.server" python 18101 python3 -m http.server 18101 --bind 127.0.0.1
cat >"$WORK/server.js" <<'JS'
require('http').createServer((req, res) => res.end('ok\n')).listen(18102, '127.0.0.1');
JS
chmod 644 "$WORK/server.js"
serve_and_probe "a Node.js http server" node 18102 node "$WORK/server.js"
serve_and_probe "a static C server" static 18103 "$TOOLS/hostile-server" 200 --port 18103

# --- the same profile in runc gives the same verdicts ---------------------------
# runc applies the profile as a runtime does, lucidInitOnly rules included;
# lucid-seccomp compile --runtime makes that filter for lucid-init.
"$seccomp" compile "$(dirname "$0")/../../seccomp/default.json" --runtime --arch "$arch" -o "$WORK/runtime.bpf" 2>/dev/null
probe "$WORK/runtime" --seccomp "$WORK/runtime.bpf"
none_refused() { # FILE NAMES...: each NAME was probed and not refused
	local f=$1 n
	shift
	for n in "$@"; do
		grep -q "^$n " "$f" || return 1
		! grep -qE "^$n (EPERM|ENOSYS)$" "$f" || return 1
	done
}
check_true "the runtime's filter lets lucid-init's start calls through (${init_only[*]})" \
	"got: $(tr '\n' ' ' <"$WORK/runtime")" none_refused "$WORK/runtime" "${init_only[@]}"
# runc_agrees LABEL PROFILE.json: the probe under runc with the flattened
# profile, and under lucid-init with the profile compiled --runtime, give the
# same verdict on every probed syscall (runc is the oracle: lucid is never
# more permissive than runc on the same JSON).
runc_agrees() {
	local label=$1 json=$2 bundle=$WORK/bundle-$1
	mkdir -p "$bundle/rootfs"
	cp "$PROBE" "$bundle/rootfs/sysprobe"
	"$seccomp" flatten "$json" --arch "$arch" -o "$WORK/$label.flat.json" 2>/dev/null
	"$seccomp" compile "$json" --runtime --arch "$arch" -o "$WORK/$label.bpf" 2>/dev/null
	probe "$WORK/$label.lucid" --seccomp "$WORK/$label.bpf"
	(cd "$bundle" && runc spec)
	# The process as lucid-init leaves it: 65532, no capabilities, no_new_privs;
	# no rlimits (raising them needs CAP_SYS_RESOURCE), no network namespace.
	python3 - "$bundle/config.json" "$WORK/$label.flat.json" "${allowed[@]}" "${denied[@]}" clone3 <<'PY'
import json, sys
path, profile, names = sys.argv[1], sys.argv[2], sys.argv[3:]
c = json.load(open(path))
p = c["process"]
p.update(args=["/sysprobe"] + names, terminal=False, noNewPrivileges=True,
         user={"uid": 65532, "gid": 65532})
p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
p.pop("rlimits", None)
c["root"]["readonly"] = True
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
c["linux"]["seccomp"] = json.load(open(profile))
json.dump(c, open(path, "w"), indent=1)
PY
	if runc run --bundle "$bundle" "lucid-xcheck-$$" >"$WORK/$label.runc" 2>"$WORK/$label.runc.err" </dev/null; then
		pass "$label: runc runs the probe with the flattened profile"
		check_true "$label: runc and lucid-init (compile --runtime) give the same verdict on every probed syscall" \
			"$(diff "$WORK/$label.runc" "$WORK/$label.lucid" | tr '\n' ' ')" cmp -s "$WORK/$label.runc" "$WORK/$label.lucid"
	else
		fail "$label: runc runs the probe with the flattened profile" "$(tr '\n' ' ' <"$WORK/$label.runc.err")"
	fi
	runc delete -f "lucid-xcheck-$$" >/dev/null 2>&1
}
for p in default python node static; do
	runc_agrees "$p.json" "$(dirname "$0")/../../seccomp/$p.json"
done
# moby's own default profile, the one a security team starts from (Debian's
# golang-github-docker-docker-dev, pinned in deps/fixtures.lock).
if fixtures=$("$(dirname "$0")/../../deps/fixtures" 2>"$WORK/fixtures.err"); then
	check_exit "Docker's default profile compiles for x86_64" 0 "$seccomp" compile "$fixtures/docker-default.json" \
		--runtime --arch x86_64 -o "$WORK/docker-x86_64.bpf"
	check_exit "Docker's default profile compiles for aarch64" 0 "$seccomp" compile "$fixtures/docker-default.json" \
		--runtime --arch aarch64 -o "$WORK/docker-aarch64.bpf"
	runc_agrees "Docker's default" "$fixtures/docker-default.json"
else
	fail "Docker's default profile is fetched" "$(tail -1 "$WORK/fixtures.err")"
fi

finish

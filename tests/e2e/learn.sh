#!/bin/bash
# Least-privilege profiles learned inside the container: each template
# service (static, python, node) runs under `lucid-seccomp learn` as PID 1,
# with lucid-init and the template's own profile under it, through a smoke
# load (requests, the fail/recover cycle); its HEALTHCHECK probe is learned
# inside the same container with `podman exec`, since the runtime's filter
# applies to exec'd probes too; the two are merged. The learned profile
# compiles --strict, is a fraction of the shipped one, and applied by the
# runtime *and* by lucid-init the service is healthy again, while what it
# never called is denied. The time to healthy and of the smoke load, learned
# and not, is printed for the README (bench/ checks speed, not this suite).
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"

e2e_images || finish

S=$BIN/lucid-seccomp
case "$(uname -m)" in
x86_64) arch=x86_64 other=aarch64 ;;
aarch64) arch=aarch64 other=x86_64 ;;
esac
denied=(mount ptrace unshare)

names() { # FILE [service]: the names a profile allows (the service's filter only), one per line
	python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
svc = len(sys.argv) > 2
print("\n".join(sorted({n for e in p["syscalls"] if e["action"] == "SCMP_ACT_ALLOW"
                        and not (svc and e.get("lucidInitOnly")) for n in e["names"]})))' "$@"
}
all_eperm() { # FILE NAMES...
	local f=$1 n
	shift
	for n in "$@"; do grep -qx "$n EPERM" "$f" || return 1; done
}
# smoke CTR: the load every template takes: requests, the fail/recover cycle.
smoke() {
	local i
	for ((i = 0; i < 20; i++)); do
		podman exec "$1" /lucid-health http://127.0.0.1:8080/ >/dev/null 2>&1 || return 1
	done
	podman exec "$1" /lucid-health http://127.0.0.1:8080/fail >/dev/null 2>&1 || return 1
	podman exec "$1" /lucid-health >/dev/null 2>&1 && return 1
	podman exec "$1" /lucid-health http://127.0.0.1:8080/recover >/dev/null 2>&1 || return 1
	podman exec "$1" /lucid-health >/dev/null 2>&1
}
# timed CTR: milliseconds to healthy, then of the smoke load, as "H S"; 1 on failure.
timed() {
	local t0 h
	t0=$(date +%s%N)
	healthy_within "$1" 30 || return 1
	h=$(ms_since "$t0")
	t0=$(date +%s%N)
	smoke "$1" || return 1
	echo "$h $(ms_since "$t0")"
}

for t in static python node; do
	dir=$WORK/learn-$t
	mkdir -p "$dir"
	chmod 777 "$dir"
	img=$(with_tools "$(template_image "$t")")
	read -ra cmd <<<"${service_cmd[$t]}"
	mounts=(-v "$S:/lucid-seccomp:ro" -v "$dir:/learn")

	# The baseline: the template as shipped, for the overhead line.
	run_ctr "plain-$t" "$img"
	plain=$(timed "$ctr")
	podman rm -f -t 0 "$ctr" >/dev/null 2>&1

	# 1. Learn: the service under lucid-init with its own profile, as the
	# template runs it, with the learner as PID 1 above both.
	run_ctr "learn-$t" "${mounts[@]}" \
		--entrypoint '["/lucid-seccomp", "learn", "-o", "/learn/service.json", "--", "/lucid-init", "--seccomp", "'"$t"'", "--"]' \
		"$img" "${cmd[@]}"
	learned_times=$(timed "$ctr")
	check_true "$t: the service under learn is healthy and takes the smoke load" \
		"$(podman logs "$ctr" 2>&1 | grep -v systemd | tail -3 | tr '\n' ' ')" test -n "$learned_times"
	echo "# $t: to healthy and smoke load, ms: shipped $plain, under learn $learned_times"
	# The probe, learned where it runs: exec'd into the container.
	check_exit "$t: the HEALTHCHECK probe learned with podman exec" 0 \
		podman exec "$ctr" /lucid-seccomp learn -o /learn/health.json -- /lucid-health
	# The test's own probe, so the checks below can run under the profile.
	podman exec "$ctr" /lucid-seccomp learn -o /learn/sysprobe.json -- /test/sysprobe getpid >/dev/null 2>&1
	check_exit "$t: podman stop ends the learning run (SIGTERM reaches the service)" 0 podman stop -t 20 "$ctr"
	podman logs "$ctr" >"$dir/logs" 2>&1
	check_grep "$t: the learner wrote the profile as the service ended, and said so" "$dir/logs" \
		'^lucid-seccomp: learn: [0-9]+ syscalls for the service, [0-9]+ with the runtime.s and lucid-init.s, in [0-9]+ rules, from [0-9]+ notified calls, written to /learn/service\.json$'
	check_true "$t: service.json is there" "no $dir/service.json" test -s "$dir/service.json"
	podman rm -f -t 0 "$ctr" >/dev/null 2>&1
	check_exit "$t: the service and probe runs merge" 0 "$S" learn -o "$dir/learned.json" --merge "$dir/service.json" --merge "$dir/health.json"

	# 2. Check: --strict for both arches, the runtime's filter too; the size.
	check_exit "$t: the learned profile compiles --strict for $arch" 0 "$S" compile "$dir/learned.json" --strict --arch "$arch" -o "$dir/learned.bpf"
	check_exit "$t: ...and for $other" 0 "$S" compile "$dir/learned.json" --strict --arch "$other" -o "$dir/learned-$other.bpf"
	check_exit "$t: ...and as the runtime's filter" 0 "$S" compile "$dir/learned.json" --strict --runtime --arch "$arch" -o "$dir/learned-rt.bpf"
	n_learned=$(names "$dir/learned.json" service | wc -l)
	n_shipped=$(names "$root/seccomp/$t.json" service | wc -l)
	check_between "$t: the learned service filter allows $n_learned syscalls, the shipped $t.json's $n_shipped (at most half)" \
		1 $((n_shipped / 2)) "$n_learned"
	echo "# $t: service filter: learned $n_learned syscalls ($(names "$dir/service.json" service | wc -l) service run, $(names "$dir/health.json" service | wc -l) probe run), shipped $n_shipped; runtime filter: learned $(names "$dir/learned.json" | wc -l), shipped $(names "$root/seccomp/$t.json" | wc -l)"

	# 3. Apply: by the runtime and by lucid-init, the test's probe merged in.
	"$S" learn -o "$dir/applied.json" --merge "$dir/learned.json" --merge "$dir/sysprobe.json" 2>/dev/null
	"$S" compile "$dir/applied.json" --arch "$arch" -o "$dir/applied.bpf" 2>/dev/null
	run_ctr "learned-$t" --security-opt "seccomp=$dir/applied.json" -v "$dir:/learn:ro" \
		--entrypoint '["/lucid-init", "--seccomp", "/learn/applied.bpf", "--"]' "$img" "${cmd[@]}"
	check_true "$t: under its learned profile (runtime and lucid-init) the service is healthy and takes the smoke load" \
		"$(podman logs "$ctr" 2>&1 | grep -v systemd | tail -3 | tr '\n' ' ')" timed "$ctr"
	podman exec "$ctr" /test/sysprobe "${denied[@]}" >"$dir/marks" 2>&1
	check_true "$t: the runtime applied it: an exec'd probe gets EPERM for ${denied[*]}" \
		"got: $(tr '\n' ' ' <"$dir/marks")" all_eperm "$dir/marks" "${denied[@]}"
	podman rm -f -t 0 "$ctr" >/dev/null 2>&1
	podman run --rm --security-opt "seccomp=$dir/applied.json" -v "$dir:/learn:ro" \
		--entrypoint '["/lucid-init", "--seccomp", "/learn/applied.bpf", "--"]' "$img" \
		/test/sysprobe "${denied[@]}" getpid >"$dir/service-marks" 2>&1
	check_true "$t: the service's own filter (lucid-init) denies ${denied[*]} too" \
		"got: $(tr '\n' ' ' <"$dir/service-marks")" all_eperm "$dir/service-marks" "${denied[@]}"
	check_grep "$t: ...and lets a learned call through" "$dir/service-marks" '^getpid ok$'
done

finish

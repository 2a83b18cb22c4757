#!/bin/bash
# Images built and run by a real engine (podman with runc): the lucid stage
# image, a distroless service built from the template, its HEALTHCHECK, the
# audit inside a running container, stopping, failing closed, and the k8s
# manifest through `podman kube play`.
source "$(dirname "$0")/../lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
export CONTAINERS_CONF=$root/tests/e2e/containers.conf
prefix=${PREFIX:-$(dirname "$BIN")}
tag=0.1.0
example=localhost/lucid-example-static:$tag
names=()

cleanup() {
	for n in "${names[@]}"; do podman rm -f -t 0 "$n" >/dev/null 2>&1; done
	podman kube down "$root/images/k8s/static-service.yaml" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

# run_service NAME [PODMAN-OPTIONS...] -- SERVICE-ARGS...: start a container
# of the example image; its name is left in $svc (and removed at exit).
run_service() {
	svc=lucid-e2e-$1-$$
	shift
	names+=("$svc")
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	podman run -d --name "$svc" "${opts[@]}" "$example" "$@" >/dev/null
}

healthy_within() { # healthy_within NAME SECONDS: `podman healthcheck run` until healthy
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		podman healthcheck run "$1" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# --- the images ----------------------------------------------------------------
check_exit "stand-in distroless base images build from Debian packages" 0 "$root/images/distroless-standin/build"
check_exit "lucid stage image builds (amd64)" 0 podman build -q --format docker --pull=never --platform linux/amd64 \
	-f "$root/images/lucid/Containerfile" -t "localhost/lucid:$tag" "$prefix"
check_exit "lucid stage image builds (arm64)" 0 podman build -q --format docker --pull=never --platform linux/arm64 \
	-f "$root/images/lucid/Containerfile" -t "localhost/lucid:$tag-arm64" "$prefix"

files=$(podman image mount "localhost/lucid:$tag" 2>/dev/null)
if [ -n "$files" ]; then
	content=$(cd "$files" && find . -type f | sort | tr '\n' ' ')
	podman image unmount "localhost/lucid:$tag" >/dev/null
fi
check_true "the stage image holds nothing but the two binaries" "it holds: ${content:-?}" \
	[ "${content:-}" = "./lucid-health ./lucid-init " ]
arch=$(podman image inspect --format '{{.Architecture}}' "localhost/lucid:$tag-arm64")
check_true "the arm64 stage image is arm64" "it says $arch" [ "$arch" = arm64 ]

mkdir -p "$WORK/ctx"
cp "$TOOLS/hostile-server" "$WORK/ctx/server"
check_exit "the service template builds on distroless" 0 podman build -q --format docker --pull=never \
	--build-arg "LUCID_IMAGE=localhost/lucid:$tag" -f "$root/images/examples/static-service/Containerfile" \
	-t "$example" "$WORK/ctx"

# --- a healthy service --------------------------------------------------------
run_service ok -- /app/server 200 --port 8080
check_true "HEALTHCHECK CMD [\"/lucid-health\"] turns healthy" "podman healthcheck run never passed in 10 s" \
	healthy_within "$svc" 10
check_exit "audit inside the running container: every process dropped and confined" 0 \
	podman exec "$svc" /lucid-init audit
json=$(podman exec "$svc" /lucid-init audit --json)
check_true "audit --json: PID 1 is 65532 with no capabilities, and there is no /bin/sh" "got: $json" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=[x for x in d["processes"] if x["pid"]==1][0]
sys.exit(0 if p["uid"]==[65532]*4 and p["cap_eff"]=="0"*16 and p["cap_bnd"]=="0"*16 and p["no_new_privs"]==1 and not d["bin_sh"] else 1)' "$json"
check_true "there is no shell to exec into" "/bin/sh ran" sh -c "! podman exec $svc /bin/sh -c true 2>/dev/null"

start=$(date +%s%N)
podman stop -t 10 "$svc" >/dev/null
t=$((($(date +%s%N) - start) / 1000000))
code=$(podman inspect --format '{{.State.ExitCode}}' "$svc")
check_true "podman stop: SIGTERM reaches the service through PID 1 (no 10 s kill)" "stop took ${t} ms" [ "$t" -lt 5000 ]
check_true "the container exits with the service's status" "exit code $code" [ "$code" = 0 ]

# --- an unhealthy service -----------------------------------------------------
run_service sick -- /app/server 503 --port 8080
sleep 1
check_exit "a service answering 503 is unhealthy (requests.get would have passed)" 1 podman healthcheck run "$svc"

# --- identities and failing closed -------------------------------------------
run_service nonroot --user 65532:65532 -- /app/server 200 --port 8080
check_true "started as 65532 (k8s runAsUser), the service runs and is healthy" "never healthy" healthy_within "$svc" 10
check_exit "...and the audit passes" 0 podman exec "$svc" /lucid-init audit
check_exit "root without CAP_SETUID/SETGID fails closed (111), the service never runs" 111 \
	podman run --rm --cap-drop ALL "$example" /app/server 200 --port 8080
check_exit "a read-only root filesystem is fine" 0 \
	podman run --rm --read-only "$example" /lucid-health --help

# --- kubernetes manifest -----------------------------------------------------
# podman 4.3's kube play turns exec probes into CMD-SHELL healthchecks, which
# need a /bin/sh that distroless does not have; the kubelet instead runs the
# probe's command array directly (CRI ExecSync), and so does this test.
manifest=$root/images/k8s/static-service.yaml
probe_cmd() { # probe_cmd livenessProbe|readinessProbe: the exec command, one word a line
	awk -v probe="$1:" '$1 == probe { p = 1 } p && $1 == "command:" { sub(/^[^[]*/, ""); print; exit }' "$manifest" |
		python3 -c 'import json,sys; print("\n".join(json.loads(sys.stdin.read())))'
}
if podman kube play "$manifest" >"$WORK/kube" 2>&1; then
	pass "podman kube play runs the k8s manifest"
	ctr=$(podman ps --format '{{.Names}}' | grep 'static-service' | grep -v infra | head -1)
	mapfile -t liveness < <(probe_cmd livenessProbe)
	mapfile -t readiness < <(probe_cmd readinessProbe)
	check_true "the manifest's probes are exec arrays starting with /lucid-health" \
		"liveness: ${liveness[*]}; readiness: ${readiness[*]}" \
		[ "${liveness[0]}" = /lucid-health ] && [ "${readiness[0]}" = /lucid-health ]
	check_true "the exec liveness probe passes in the pod, run as the kubelet runs it" "it never did in 10 s" \
		wait_for 100 podman exec "$ctr" "${liveness[@]}"
	check_exit "the exec readiness probe passes too" 0 podman exec "$ctr" "${readiness[@]}"
	check_exit "runAsNonRoot pod: audit passes" 0 podman exec "$ctr" /lucid-init audit
	podman kube down "$manifest" >/dev/null 2>&1
else
	fail "podman kube play runs the k8s manifest" "$(tail -3 "$WORK/kube" | tr '\n' ' ')"
fi

finish

#!/bin/bash
# images/k8s/*.yaml: each passes Pod Security "restricted" (checked field by
# field), and runs under `podman kube play` with the shipped profile applied
# to the container and its exec probes passing as the kubelet runs them.
#
# podman 4.3's kube play differs from a kubelet in two ways, both worked
# around here and both said in README: it ignores securityContext.
# seccompProfile (the old annotation form is applied, so the test adds it to
# a copy of the manifest, and profiles come from --seccomp-profile-root), and
# it turns exec probes into `CMD-SHELL ... || exit 1` healthchecks, which need
# a shell distroless does not have (so the test runs each probe's command
# array with `podman exec`, as the kubelet does through CRI ExecSync).
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"

e2e_images || finish
if ! python3 -c 'import yaml' 2>/dev/null; then
	fail "k8s can run" "missing: python3 module yaml (Debian package python3-yaml); deps/host-setup installs it"
	finish
fi

profiles=$WORK/seccomp # stands for /var/lib/kubelet/seccomp on a node
mkdir -p "$profiles"
for p in default python node static; do cp "$root/seccomp/$p.json" "$profiles/lucid-$p.json"; done

# restricted MANIFEST: the Pod Security "restricted" fields, and the probes.
restricted() {
	python3 - "$1" "$2" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
name = sys.argv[2]
pod = d["spec"]["template"]["spec"]
psc = pod.get("securityContext", {})
bad = []
def want(what, got, expect):
    if got != expect:
        bad.append("%s is %r, not %r" % (what, got, expect))
want("runAsNonRoot", psc.get("runAsNonRoot"), True)
want("runAsUser", psc.get("runAsUser"), 65532)
want("seccompProfile", psc.get("seccompProfile"), {"type": "Localhost", "localhostProfile": "lucid-%s.json" % name})
vols = {v["name"]: v for v in pod.get("volumes", [])}
for c in pod["containers"]:
    sc = c.get("securityContext", {})
    want("allowPrivilegeEscalation", sc.get("allowPrivilegeEscalation"), False)
    want("capabilities.drop", sc.get("capabilities", {}).get("drop"), ["ALL"])
    want("capabilities.add", sc.get("capabilities", {}).get("add"), None)
    want("readOnlyRootFilesystem", sc.get("readOnlyRootFilesystem"), True)
    want("privileged", sc.get("privileged", False), False)
    tmp = [m for m in c.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    want("/tmp is an emptyDir", bool(tmp) and "emptyDir" in vols.get(tmp[0]["name"], {}), True)
    for probe in ("livenessProbe", "readinessProbe"):
        want(probe + " command[0]", c[probe]["exec"]["command"][0], "/lucid-health")
    want("image", c["image"], "localhost/%s-service:0.1.0" % name)
print("; ".join(bad))
sys.exit(1 if bad else 0)
PY
}

# play_copy MANIFEST NAME IMAGE: a copy for podman 4.3: the seccomp
# annotation that kube play applies, and IMAGE (the template plus the test
# tools) in place of the template's image.
play_copy() {
	python3 - "$1" "$2" "$3" "$WORK/$2.yaml" <<'PY'
import sys, yaml
src, name, image, out = sys.argv[1:]
d = yaml.safe_load(open(src))
t = d["spec"]["template"]
prof = t["spec"]["securityContext"]["seccompProfile"]["localhostProfile"]
t["metadata"].setdefault("annotations", {})["seccomp.security.alpha.kubernetes.io/pod"] = "localhost/" + prof
t["spec"]["containers"][0]["image"] = image
yaml.safe_dump(d, open(out, "w"))
PY
}

probe_cmd() { # MANIFEST NAME livenessProbe|readinessProbe: the exec command, one word a line
	python3 -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print("\n".join(d["spec"]["template"]["spec"]["containers"][0][sys.argv[2]]["exec"]["command"]))' "$1" "$2"
}

for t in "${templates[@]}"; do
	manifest=$root/images/k8s/$t-service.yaml
	why=$(restricted "$manifest" "$t")
	check_true "$t: the manifest passes Pod Security restricted" "$why" restricted "$manifest" "$t"
	img=$(with_tools "$(template_image "$t")")
	play_copy "$manifest" "$t" "$img"
	on_exit "podman kube down '$WORK/$t.yaml'"
	if ! podman kube play --seccomp-profile-root "$profiles" "$WORK/$t.yaml" >"$WORK/kube" 2>&1; then
		fail "$t: podman kube play runs the manifest" "$(grep -v systemd "$WORK/kube" | tail -2 | tr '\n' ' ')"
		continue
	fi
	pass "$t: podman kube play runs the manifest"
	ctr=$(podman ps --format '{{.Names}}' | grep -- "-$t-service$" | head -1)
	mapfile -t liveness < <(probe_cmd "$manifest" livenessProbe)
	mapfile -t readiness < <(probe_cmd "$manifest" readinessProbe)
	check_true "$t: the liveness probe passes, run as the kubelet runs it" "it never did in 15 s" \
		wait_for 150 podman exec "$ctr" "${liveness[@]}"
	check_exit "$t: the readiness probe passes" 0 podman exec "$ctr" "${readiness[@]}"
	check_exit "$t: runAsNonRoot pod: audit passes" 0 podman exec "$ctr" /lucid-init audit
	podman exec "$ctr" /test/sysprobe keyctl ptrace >"$WORK/marks" 2>&1
	check_eq "$t: the shipped profile is applied to the container (keyctl, ptrace get EPERM)" \
		"$(tr '\n' ' ' <"$WORK/marks")" "keyctl EPERM ptrace EPERM "
	check_eq "$t: podman 4.3 made the exec probe a CMD-SHELL healthcheck (why the test runs it itself)" \
		"$(podman inspect --format '{{index .Config.Healthcheck.Test 0}}' "$ctr" 2>/dev/null)" CMD-SHELL
	check_exit "$t: the sample service is told to fail" 0 podman exec "$ctr" /lucid-health http://127.0.0.1:8080/fail
	check_exit "$t: then the liveness probe fails (exit 1)" 1 podman exec "$ctr" "${liveness[@]}"
	podman kube down "$WORK/$t.yaml" >/dev/null 2>&1
done

finish

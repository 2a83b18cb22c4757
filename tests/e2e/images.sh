#!/bin/bash
# Images built and run by a real engine (podman with runc): the lucid-init
# stage image for both arches, and each template (static, python, node) on
# its distroless base: healthy through its exec-form HEALTHCHECK, unhealthy
# when the service answers 503, the audit passing, no shell, a quick stop,
# started as root (lucid-init drops) and as 65532; arm64 images built offline.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"

e2e_images || finish

# --- the stage image ---------------------------------------------------------
check_eq "localhost/lucid-init:$version is a manifest list of linux/amd64 and linux/arm64" \
	"$(podman manifest inspect "$stage" | python3 -c 'import json,sys; print(" ".join(sorted(m["platform"]["os"] + "/" + m["platform"]["architecture"] for m in json.load(sys.stdin)["manifests"])))')" \
	"linux/amd64 linux/arm64"
stage_files() { # the files of one arch's stage image, one line
	local m
	m=$(podman image mount "$stage-$1") || return 1
	(cd "$m" && find . -type f | sort | tr '\n' ' ')
	podman image unmount "$stage-$1" >/dev/null
}
documented="./lucid-health ./lucid-health-http ./lucid-init ./lucid-seccomp ./usr/share/doc/lucid/LICENSE ./usr/share/doc/lucid/THIRD_PARTY_NOTICES.md ./usr/share/doc/lucid/licenses/cjson.LICENSE ./usr/share/doc/lucid/licenses/libcap-ng.COPYING.LIB ./usr/share/doc/lucid/licenses/libseccomp.LICENSE ./usr/share/doc/lucid/licenses/mbedtls.LICENSE ./usr/share/doc/lucid/licenses/musl.COPYRIGHT ./usr/share/lucid/seccomp/default.json ./usr/share/lucid/seccomp/node.json ./usr/share/lucid/seccomp/python.json ./usr/share/lucid/seccomp/static.json "
for arch in amd64 arm64; do
	check_eq "the $arch stage image holds the binaries, the licences and the profiles, nothing else" \
		"$(stage_files "$arch")" "$documented"
done
elf_machine() { # IMAGE PATH: the ELF machine of PATH in IMAGE (62 x86_64, 183 aarch64)
	local m rc=0
	m=$(podman image mount "$1") || return 1
	od -An -tu2 -j18 -N2 "$m$2" | tr -d ' ' || rc=1
	podman image unmount "$1" >/dev/null
	return $rc
}
check_eq "the arm64 stage image's lucid-init is an aarch64 binary" "$(elf_machine "$stage-arm64" /lucid-init)" 183
check_eq "the amd64 stage image's lucid-init is an x86_64 binary" "$(elf_machine "$stage-amd64" /lucid-init)" 62
labels=$(podman image inspect --format '{{json .Labels}}' "$stage-amd64")
commit_date=$(date -u -d "@$(git -C "$root" log -1 --format=%ct)" +%Y-%m-%dT%H:%M:%SZ)
check_labels() { # the OCI labels the issue asks for, with the commit's date
	python3 - "$labels" "$version" "$commit_date" <<'PY'
import json, sys
l, version, created = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
o = "org.opencontainers.image."
want = {o + "title": "lucid-init", o + "version": version, o + "created": created,
        o + "licenses": "MIT AND LGPL-2.1-or-later AND LGPL-2.1-only AND Apache-2.0"}
bad = [k for k, v in want.items() if l.get(k) != v] + [k for k in (o + "revision", o + "source") if not l.get(k)]
sys.exit(1 if bad else 0)
PY
}
check_true "the stage image has the OCI labels, created = the commit's date" "labels: $labels" check_labels
id1=$(podman image inspect --format '{{.Id}}' "$stage-amd64")
"$root/images/lucid-init/build" "$PREFIX" >/dev/null 2>&1
check_eq "rebuilding the stage image gives the same image ID (reproducible)" \
	"$(podman image inspect --format '{{.Id}}' "$stage-amd64")" "$id1"

# --- each template -------------------------------------------------------------
pid1_ok() { # AUDIT-JSON: PID 1 is 65532, holds nothing, is filtered; no /bin/sh
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); p=[x for x in d["processes"] if x["pid"]==1][0]
sys.exit(0 if p["uid"]==[65532]*4 and p["cap_eff"]=="0"*16 and p["cap_bnd"]=="0"*16 and p["no_new_privs"]==1 and p["seccomp"]==2 and not d["bin_sh"] else 1)' "$1"
}
# The size a template adds to its base: lucid's binaries and notices plus the
# sample service (reported, not judged).
size_of() { podman image inspect --format '{{.Size}}' "$1"; }
for t in "${templates[@]}"; do
	img=$(template_image "$t")
	base=$(podman image inspect --format '{{index .Labels "org.lucid.service"}}' "$img")
	check_eq "$t: the image carries the team's labels" "$base" "$t-service"
	run_ctr "$t" "$img"
	check_true "$t: HEALTHCHECK CMD [\"/lucid-health\"] turns healthy" \
		"podman healthcheck run never passed in 15 s; logs: $(podman logs "$ctr" 2>&1 | tail -3 | tr '\n' ' ')" \
		healthy_within "$ctr" 15
	check_exit "$t: audit inside the running container: every process dropped and confined" 0 \
		podman exec "$ctr" /lucid-init audit
	json=$(podman exec "$ctr" /lucid-init audit --json)
	check_true "$t: PID 1 is 65532 with no capabilities and filtered, and there is no /bin/sh" "audit: $json" pid1_ok "$json"
	check_exit "$t: there is no shell to exec into" 127 podman exec "$ctr" /bin/sh -c true
	check_exit "$t: the sample service is told to fail" 0 podman exec "$ctr" /lucid-health http://127.0.0.1:8080/fail
	check_exit "$t: a service answering 503 is unhealthy (requests.get would have passed)" 1 \
		podman healthcheck run "$ctr"
	t_stop=$(stop_ms "$ctr")
	check_between "$t: podman stop: SIGTERM reaches the service through PID 1, well under 1 s" 0 900 "$t_stop" " ms"
	check_eq "$t: the container exits with the service's status (0 on SIGTERM)" \
		"$(podman inspect --format '{{.State.ExitCode}}' "$ctr")" 0
	echo "# $t-service: stop took $t_stop ms; image $(size_of "$img") B"

	run_ctr "$t-nonroot" --user 65532:65532 "$img"
	check_true "$t: started as 65532 (runAsUser, USER 65532), the service is healthy" "never healthy" \
		healthy_within "$ctr" 15
	check_exit "$t: ...and the audit passes" 0 podman exec "$ctr" /lucid-init audit
	check_exit "$t: a read-only root filesystem is fine" 0 podman run --rm --read-only "$img" /lucid-health --help
done
check_exit "root without CAP_SETUID/SETGID fails closed (111), the service never runs" 111 \
	podman run --rm --cap-drop ALL "$(template_image static)"

# What each template adds to its distroless base (reported for the note).
for t in "${templates[@]}"; do
	case $t in static) b=static ;; python) b=python3 ;; node) b=nodejs20 ;; esac
	base_size=$(size_of "gcr.io/distroless/$b-debian12:latest")
	echo "# $t-service adds $(($(size_of "$(template_image "$t")") - base_size)) B to gcr.io/distroless/$b-debian12"
done

# --- arm64 images, offline ----------------------------------------------------
if podman manifest inspect gcr.io/distroless/static-debian12:latest 2>/dev/null | grep -q '"arm64"'; then
	for t in "${templates[@]}"; do
		img=localhost/lucid-e2e-$t-arm64:test
		build_template "$t" --platform linux/arm64 -t "$img" >"$WORK/arm64-$t" 2>&1
		check_eq "$t: the template builds for linux/arm64 offline" "$?" 0
		check_eq "$t: ...and its lucid-init is the aarch64 binary" "$(elf_machine "$img" /lucid-init)" 183
		podman rmi "$img" >/dev/null 2>&1
	done
else
	fail "arm64 stand-ins exist" "images/distroless-standin/build made no arm64 images: $(grep -i arm64 "$WORK/standin" | head -1)"
fi

finish

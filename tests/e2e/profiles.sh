#!/bin/bash
# Every shipped profile applied by the runtime to the whole container, as the
# security team ships them (`--security-opt seccomp=seccomp/P.json`, compose
# `security_opt`, k8s `seccompProfile: Localhost`), while lucid-init installs
# the same profile for the service without its lucidInitOnly rules: started
# as root (lucid-init drops) and as 65532, with and without
# no-new-privileges, under runc. The service is healthy, the runtime really
# applied this profile, and the service's own filter still denies what only
# lucid-init and the runtime may call.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"

e2e_images || finish

# Which template each profile is tried with: its own runtime; default (for
# any ordinary service) with python, which 18 of the team's 25 services run.
declare -A template_of=([default]=python [python]=python [node]=node [static]=static)

# Allowed by podman's own default profile, denied by every lucid profile:
# an exec'd probe (which gets the runtime's filter only) tells them apart.
runtime_marks=(keyctl ptrace unshare)
# What the service must not do, even though the runtime allows it to
# lucid-init: set*id, setgroups, capset, seccomp (either way), and mount.
service_denied=(setuid setgid setresuid setresgid capset seccomp prctl_seccomp mount unshare)
# What it may: ordinary calls the kernel answers (EFAULT, EINVAL, ...).
service_allowed=(getpid read clone prctl_name)

verdicts() { # FILE NAMES...: "name verdict" of each NAME, one line
	local f=$1 n
	shift
	for n in "$@"; do grep "^$n " "$f" | head -1; done | tr '\n' ' '
}
all_eperm() { # FILE NAMES...: each NAME got EPERM
	local f=$1 n
	shift
	for n in "$@"; do grep -qx "$n EPERM" "$f" || return 1; done
}
none_denied() { # FILE NAMES...: each NAME was answered by the kernel
	local f=$1 n
	shift
	for n in "$@"; do
		grep -q "^$n " "$f" || return 1
		grep -qE "^$n (EPERM|ENOSYS)$" "$f" && return 1
	done
	return 0
}

# The baseline: podman's default profile lets the runtime marks through,
# so EPERM for them below comes from the profile under test.
probe_img=$(with_tools "$(template_image static)")
podman run --rm --entrypoint /test/sysprobe "$probe_img" "${runtime_marks[@]}" >"$WORK/baseline" 2>/dev/null
check_true "under podman's default profile keyctl, ptrace and unshare reach the kernel (the marks discriminate)" \
	"got: $(tr '\n' ' ' <"$WORK/baseline")" none_denied "$WORK/baseline" "${runtime_marks[@]}"

for p in default python node static; do
	t=${template_of[$p]}
	img=$(with_tools "$(template_image "$t")")
	entry=(--entrypoint '["/lucid-init", "--seccomp", "'"$p"'", "--"]')
	for user in root 65532; do
		uopt=()
		[ "$user" = 65532 ] && uopt=(--user 65532:65532)
		for nnp in off on; do
			nopt=()
			[ "$nnp" = on ] && nopt=(--security-opt no-new-privileges)
			label="$p.json by the runtime, $t service, $user start, no-new-privileges $nnp"
			opts=(--security-opt "seccomp=$root/seccomp/$p.json" "${uopt[@]}" "${nopt[@]}")

			# --entrypoint clears the image's CMD: name the service again.
			read -ra cmd <<<"${service_cmd[$t]}"
			run_ctr "$p-$user-$nnp" "${opts[@]}" "${entry[@]}" "$img" "${cmd[@]}"
			check_true "$label: the service starts and is healthy" \
				"never healthy; $(podman logs "$ctr" 2>&1 | grep -v systemd | tail -2 | tr '\n' ' ')" healthy_within "$ctr" 15
			podman exec "$ctr" /test/sysprobe "${runtime_marks[@]}" >"$WORK/marks" 2>&1
			check_true "$label: the runtime applied this profile (an exec'd probe gets EPERM for ${runtime_marks[*]})" \
				"got: $(verdicts "$WORK/marks" "${runtime_marks[@]}")" all_eperm "$WORK/marks" "${runtime_marks[@]}"
			check_exit "$label: audit passes" 0 podman exec "$ctr" /lucid-init audit

			podman run --rm "${opts[@]}" "${entry[@]}" "$img" /test/sysprobe \
				"${service_denied[@]}" "${service_allowed[@]}" >"$WORK/service" 2>"$WORK/service.err"
			check_true "$label: the service's own filter denies ${service_denied[*]}" \
				"got: $(verdicts "$WORK/service" "${service_denied[@]}") $(grep -v systemd "$WORK/service.err" | tail -1)" \
				all_eperm "$WORK/service" "${service_denied[@]}"
			check_true "$label: ...and lets ${service_allowed[*]} through" \
				"got: $(verdicts "$WORK/service" "${service_allowed[@]}")" none_denied "$WORK/service" "${service_allowed[@]}"
			podman rm -f -t 0 "$ctr" >/dev/null 2>&1
		done
	done
done

finish

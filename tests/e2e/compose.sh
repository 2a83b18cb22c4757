#!/bin/bash
# images/compose/compose.yaml under Debian's podman-compose, as README says to
# run it: the python template, not root, read-only, no capabilities,
# no-new-privileges and the python profile applied by the runtime; healthy
# through the image's own HEALTHCHECK, the audit passing, lucid-init PID 1.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"
need podman-compose podman-compose

e2e_images || finish
compose=$root/images/compose/compose.yaml
ctr=lucid-python-service
on_exit "podman-compose -f '$compose' down"

podman rm -f -t 0 "$ctr" >/dev/null 2>&1
check_exit "podman-compose up -d starts the python template" 0 podman-compose -f "$compose" up -d
check_true "the container turns healthy through the image's own HEALTHCHECK" "never healthy" healthy_within "$ctr" 20
check_eq "no compose healthcheck override: the exec-form test is the image's" \
	"$(podman inspect --format '{{json .Config.Healthcheck.Test}}' "$ctr")" '["CMD","/lucid-health"]'
check_exit "audit passes inside the compose container" 0 podman exec "$ctr" /lucid-init audit
check_eq "PID 1 is lucid-init (no init: true, no catatonit in front)" \
	"$(podman exec "$ctr" /lucid-init audit --json | python3 -c 'import json,sys; print([p["cmdline"] for p in json.load(sys.stdin)["processes"] if p["pid"]==1][0].split()[0])')" \
	/lucid-init
check_eq "user 65532:65532, read-only root filesystem" \
	"$(podman inspect --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}' "$ctr")" "65532:65532 true"
check_grep "/tmp is a tmpfs" <(podman inspect --format '{{range $k, $v := .HostConfig.Tmpfs}}{{$k}}{{"\n"}}{{end}}' "$ctr") '^/tmp$'
# As 65532 nothing holds effective capabilities anyway; cap_drop ALL is what
# empties the bounding set.
check_eq "cap_drop ALL: every process has empty bounding, effective, permitted and ambient sets" \
	"$(podman exec "$ctr" /lucid-init audit --json | python3 -c 'import json,sys; print(" ".join(sorted({p["cap_bnd"]+p["cap_eff"]+p["cap_prm"]+p["cap_amb"] for p in json.load(sys.stdin)["processes"]})))')" \
	"$(printf '0%.0s' $(seq 64))"
check_grep "no-new-privileges and the python profile are applied by the runtime" \
	<(podman inspect --format '{{.HostConfig.SecurityOpt}}' "$ctr") 'no-new-privileges.*seccomp=.*python\.json'
check_exit "the sample service is told to fail" 0 podman exec "$ctr" /lucid-health http://127.0.0.1:8080/fail
check_exit "a 503 turns the compose container unhealthy" 1 podman healthcheck run "$ctr"
check_exit "podman-compose down stops it" 0 podman-compose -f "$compose" down

finish

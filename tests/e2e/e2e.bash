# tests/e2e/e2e.bash: sourced by the e2e suites after ../lib.sh. Images are
# built by podman (runc), offline: the distroless bases are stand-ins made
# from Debian packages (images/distroless-standin/build), under their real
# names. Building is idempotent and cached, so every suite calls
# e2e_images and only the first one pays.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CONTAINERS_CONF=$root/tests/e2e/containers.conf
version=$(sed -n 's/^const version = "\(.*\)";$/\1/p' "$root/build.zig")
# shellcheck disable=SC2034 # stage and service_cmd are for the suites that source this
stage=localhost/lucid-init:$version
templates=(static python node)
# Each template's CMD, for runs that replace its ENTRYPOINT (which clears CMD).
# shellcheck disable=SC2034
declare -A service_cmd=([static]=/app/server [python]="/usr/bin/python3.11 /app/app.py"
	[node]="/nodejs/bin/node /app/server.js")

need podman podman runc runc iptables iptables python3 python3

# The image a template builds, as its Containerfile's header says to build it.
template_image() { echo "localhost/$1-service:$version"; }

# build_template NAME [PODMAN-BUILD-OPTIONS...]: the template's image, built
# the way its Containerfile's header says (static's context is zig-out).
build_template() {
	local name=$1 dir=$root/images/examples/$1-service ctx
	shift
	ctx=$dir
	[ "$name" = static ] && ctx=$PREFIX
	podman build -q --format docker --pull=never "$@" -f "$dir/Containerfile" "$ctx"
}

# e2e_images: the stand-in bases, the lucid-init stage image and the three
# templates (host arch), once per test run (tests/run's LUCID_TEST_STATE).
# 0, or 1 after failing a check that says what did not build.
e2e_images() {
	local t done=${LUCID_TEST_STATE:-$WORK}/e2e-images
	[ -e "$done" ] && return 0
	if ! "$root/images/distroless-standin/build" >"$WORK/standin" 2>&1; then
		fail "the distroless stand-ins build" "$(tail -3 "$WORK/standin" | tr '\n' ' ')"
		return 1
	fi
	if ! "$root/images/lucid-init/build" "$PREFIX" >"$WORK/stage" 2>&1; then
		fail "the lucid-init stage image builds" "$(tail -3 "$WORK/stage" | tr '\n' ' ')"
		return 1
	fi
	for t in "${templates[@]}"; do
		if ! build_template "$t" -t "$(template_image "$t")" >"$WORK/build-$t" 2>&1; then
			fail "the $t-service template builds" "$(tail -3 "$WORK/build-$t" | tr '\n' ' ')"
			return 1
		fi
	done
	touch "$done"
}

# The sample services take GET /fail and /recover; lucid-health inside the
# container is the only HTTP client there.
containers=()
on_exit 'for c in "${containers[@]}"; do podman rm -f -t 0 "$c"; done'

# run_ctr NAME [PODMAN-RUN-OPTIONS...] IMAGE [ARGS...]: start a detached
# container named lucid-e2e-NAME-PID (in $ctr), removed at exit.
run_ctr() {
	ctr=lucid-e2e-$1-$$
	shift
	containers+=("$ctr")
	podman rm -f -t 0 "$ctr" >/dev/null 2>&1
	podman run -d --name "$ctr" "$@" >"$WORK/run-$ctr" 2>&1
}

# healthy_within CTR SECONDS: `podman healthcheck run` until it passes.
healthy_within() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		podman healthcheck run "$1" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# stop_ms CTR: how long `podman stop -t 10` takes, in ms.
stop_ms() {
	local start
	start=$(date +%s%N)
	podman stop -t 10 "$1" >/dev/null 2>&1
	ms_since "$start"
}

# with_tools IMAGE: IMAGE plus the test tools sysprobe and credcheck in
# /test, as localhost/lucid-e2e-probe/NAME:test (printed).
with_tools() {
	local base=$1 tag dir
	tag=localhost/lucid-e2e-probe/$(basename "${base%%:*}"):test
	dir=$WORK/tools-ctx
	mkdir -p "$dir"
	cp "$TOOLS/sysprobe" "$TOOLS/credcheck" "$dir/"
	printf 'FROM %s\nCOPY sysprobe credcheck /test/\n' "$base" >"$dir/Containerfile"
	podman build -q --format docker --pull=never -t "$tag" "$dir" >/dev/null 2>&1 || return 1
	echo "$tag"
}

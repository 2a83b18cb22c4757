#!/bin/bash
# README.md's code blocks: each is marked, on the line before its fence, as
#   <!-- readme-test: sh -->                  run with bash -eu, as written
#   <!-- readme-test: dockerfile CONTEXT -->  built with podman as written
#                                             (CONTEXT from the repo root;
#                                             zig-out is the install prefix),
#                                             and run if it has a HEALTHCHECK
#   <!-- readme-test: excerpt (WHY) -->       not run, and WHY says why
# and run here. An unmarked block fails: nothing the README shows is untried
# by accident. sh blocks run in a scratch directory that links the repo's
# seccomp/, images/, apparmor/ and zig-out/ (the staged prefix), so paths
# are the README's and outputs stay out of the clone.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=e2e.bash
source "$(dirname "$0")/e2e.bash"

e2e_images || finish
blocks=$WORK/blocks
mkdir -p "$blocks"
python3 - "$root/README.md" "$blocks" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
out, n, i = sys.argv[2], 0, 0
while i < len(lines):
    m = re.match(r"^(```+)(\S*)", lines[i])
    if not m:
        i += 1
        continue
    fence, marker = m.group(1), lines[i - 1] if i else ""
    j = i + 1
    while j < len(lines) and not lines[j].startswith(fence):
        j += 1
    n += 1
    mk = re.match(r"^<!-- readme-test: (.*) -->$", marker)
    with open("%s/%03d.meta" % (out, n), "w") as f:
        f.write("%d %s %s\n" % (i + 1, m.group(2) or "-", mk.group(1) if mk else "unmarked"))
    with open("%s/%03d.body" % (out, n), "w") as f:
        f.write("\n".join(lines[i + 1:j]) + "\n")
    i = j + 1
PY

scratch=$WORK/cwd
mkdir -p "$scratch"
for d in seccomp images apparmor; do ln -s "$root/$d" "$scratch/$d"; done
ln -s "$PREFIX" "$scratch/zig-out"

first_dockerfile= # "LINE KIND" of the first ```dockerfile block
for meta in "$blocks"/*.meta; do
	body=${meta%.meta}.body
	read -r line lang kind args <"$meta"
	[ -n "$first_dockerfile" ] || [ "$lang" != dockerfile ] || first_dockerfile="$line $kind"
	what="README.md:$line ($kind)"
	case $kind in
	excerpt)
		check_true "$what is an excerpt that says why" "no (reason) after 'excerpt'" \
			grep -qE '^\(.+\)$' <<<"$args"
		;;
	sh)
		(cd "$scratch" && timeout -k 5 180 bash -euo pipefail "$body") >"$WORK/sh.out" 2>&1
		rc=$?
		check_eq "$what runs as written: $(head -1 "$body")" "$rc" 0
		[ "$rc" = 0 ] || sed 's/^/#   /' "$WORK/sh.out" | grep -v systemd | tail -5
		;;
	dockerfile)
		ctx=$root/$args
		[ "$args" = zig-out ] && ctx=$PREFIX
		img=localhost/lucid-readme-$line:test
		check_exit "$what builds as written" 0 podman build -q --format docker --pull=never \
			-f "$body" -t "$img" "$ctx"
		if grep -q '^HEALTHCHECK' "$body"; then
			run_ctr "readme-$line" "$img"
			check_true "$what: the container turns healthy" "never healthy in 15 s" healthy_within "$ctr" 15
			check_exit "$what: the audit passes in it" 0 podman exec "$ctr" /lucid-init audit
			podman rm -f -t 0 "$ctr" >/dev/null 2>&1
		fi
		podman rmi -f "$img" >/dev/null 2>&1
		;;
	*)
		fail "$what is marked" "the line before the fence must be <!-- readme-test: sh|dockerfile CONTEXT|excerpt (WHY) -->"
		;;
	esac
done
check_eq "the README's first Dockerfile is one the test builds (not an excerpt)" \
	"${first_dockerfile#* }" dockerfile
# The sh blocks leave nothing running.
for c in python-service lucid-python-service py-learn py-lp; do podman rm -f -t 0 "$c" >/dev/null 2>&1; done

finish

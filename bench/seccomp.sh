#!/bin/bash
# The seccomp filters against their targets: lucid-init still within its size
# budget with the default filter embedded; the per-call cost of an
# argument-checked syscall (personality) under lucid's default profile next
# to Docker's default profile compiled the way runc compiles it (runc itself,
# given podman's copy of it, /usr/share/containers/seccomp.json), in one run.
set -u
prefix=$1
root=$(cd "$(dirname "$0")/.." && pwd)
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo MISS; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$(uname -m)" in x86_64) arch=x86_64 native=linux-amd64 ;; aarch64) arch=aarch64 native=linux-arm64 ;; esac

printf '%-44s %10s %10s %s\n' "measure" "value" "target" "verdict"
for a in linux-amd64 linux-arm64; do
	size=$(stat -c %s "$prefix/$a/lucid-init")
	printf '%-44s %10s %10s %s\n' "lucid-init with filters, $a (bytes)" "$size" 98304 "$(verdict $((size <= 98304)))"
done
for f in "$prefix"/seccomp/*.bpf; do
	printf '%-44s %10s\n' "$(basename "$f" .bpf) (BPF instructions)" "$(( ($(stat -c %s "$f") - 24) / 8 ))"
done

cost=$prefix/tests/$native/syscost
best() { # the lowest ns_per_call of three runs of CMD...
	local b="" v
	for _ in 1 2 3; do
		v=$("$@" 2>/dev/null | sed -n 's/^ns_per_call=//p')
		[ -z "$v" ] && continue
		if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $v < $b else 1)"; then b=$v; fi
	done
	echo "${b:-nan}"
}

runc_cost() { # PROFILE.json: syscost in runc as 65532, no capabilities, that profile
	local bundle=$work/bundle
	rm -rf "$bundle"
	mkdir -p "$bundle/rootfs"
	cp "$cost" "$bundle/rootfs/syscost"
	(cd "$bundle" && runc spec)
	python3 - "$bundle/config.json" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
p = c["process"]
p.update(args=["/syscost"], terminal=False, noNewPrivileges=True, user={"uid": 65532, "gid": 65532})
p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
p.pop("rlimits", None)
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
c["linux"]["seccomp"] = json.load(open(sys.argv[2]))
json.dump(c, open(sys.argv[1], "w"))
PY
	runc run --bundle "$bundle" "lucid-bench-$$" </dev/null
	runc delete -f "lucid-bench-$$" >/dev/null 2>&1
}

bare=$(best "$cost")
ours=$(best unshare --pid --fork "$prefix/$native/lucid-init" -- "$cost")
"$prefix/bin/lucid-seccomp" flatten "$root/seccomp/default.json" --arch "$arch" -o "$work/lucid.json" 2>/dev/null
ours_runc=$(best runc_cost "$work/lucid.json")
docker=nan
[ -f /usr/share/containers/seccomp.json ] && docker=$(best runc_cost /usr/share/containers/seccomp.json)
printf '%-44s %10s\n' "personality(): no filter (ns/call)" "$bare"
printf '%-44s %10s %10s %s\n' "personality(): lucid default, lucid-init" "$ours" "<= docker" \
	"$(verdict "$(python3 -c "print(int($ours <= $docker))" 2>/dev/null || echo 0)")"
printf '%-44s %10s\n' "personality(): lucid default, runc" "$ours_runc"
printf '%-44s %10s\n' "personality(): Docker default, runc" "$docker"

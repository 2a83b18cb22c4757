#!/bin/bash
# tests/integration/seccomp.sh: lucid-seccomp end to end on the shipped
# profiles and on broken ones: check, explain, flatten, compile, --strict,
# positioned JSON errors, NOTIFY refusal, usage exit codes, and the arm64
# binary (under qemu) producing byte-identical filters.
. "$(dirname "$0")/../lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
S=$BIN/lucid-seccomp
cd "$WORK" || exit 1
cp "$root"/seccomp/*.json "$WORK/"
cat >bad-marker.json <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "lucidInitOnly": "yes"}]}
JSON

# expect_out NAME WANT_EXIT PATTERN CMD...: exit code and a line matching PATTERN.
expect_out() {
	local name=$1 want=$2 pattern=$3 got
	shift 3
	timeout -k 5 30 "$@" >"$WORK/out" 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		fail "$name" "exited $got, expected $want; output: $(head -c 300 "$WORK/out" | tr '\n' ' ')"
	elif ! grep -qE -- "$pattern" "$WORK/out"; then
		fail "$name" "output lacks /$pattern/: $(head -c 300 "$WORK/out" | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

# is_blob FILE: a LUCIDBPF file whose size is 24 + 8 * its instruction count.
is_blob() {
	local size count
	[ "$(head -c 8 "$1")" = LUCIDBPF ] || return 1
	size=$(stat -c %s "$1")
	count=$(od -An -tu4 -j20 -N4 "$1" | tr -d ' ')
	[ "$size" = $((24 + 8 * count)) ] && [ "$count" -gt 0 ] && [ "$count" -le 4096 ]
}

expect_out "--version names the program and version" 0 '^lucid-seccomp 0\.1\.0$' "$S" --version
expect_out "--help documents the exit codes" 0 '100 usage error' "$S" --help

for p in default python node static; do
	expect_out "check $p.json: valid for both arches" 0 "^$p\.json: valid$" "$S" check "$p.json"
	for arch in x86_64 aarch64; do
		check_exit "compile $p.json for $arch --strict" 0 "$S" compile "$p.json" --arch "$arch" --strict -o "$p-$arch.bpf"
		check_true "$p-$arch.bpf is a well-formed LUCIDBPF file" "bad magic or size" is_blob "$p-$arch.bpf"
	done
done
expect_out "check summarises actions per arch" 0 'SCMP_ACT_KILL_PROCESS 1 \(5 syscalls\)' "$S" check default.json
expect_out "check shows the ENOSYS boundary" 0 'ENOSYS above syscall 441' "$S" check default.json

expect_out "explain prints libseccomp's pseudo-filter code" 0 '^# filter for arch aarch64' \
	"$S" explain default.json --arch aarch64
expect_out "explain describes the ENOSYS prologue" 0 'action ERRNO\(38\)' "$S" explain default.json --arch x86_64

check_exit "flatten default.json for aarch64" 0 "$S" flatten default.json --arch aarch64 -o flat-arm64.json
check_true "flattened profile has no Docker-only fields" "archMap/includes still present" \
	bash -c '! grep -qE "\"(archMap|includes|excludes)\"" flat-arm64.json'
check_true "flattened profile lists only aarch64" "architectures wrong" \
	bash -c 'tr -d " \t\n" < flat-arm64.json | grep -q "\"architectures\":\[\"SCMP_ARCH_AARCH64\"\]"'
check_true "flattened aarch64 profile dropped the amd64-only rule" "\"mkdir\" still listed" \
	bash -c '! grep -q "\"mkdir\"" flat-arm64.json'
flat_keeps_init_rules() { # the runtime applies them; the marker key is gone
	grep -q '"seccomp"' flat-arm64.json && ! grep -q '"lucidInitOnly":' flat-arm64.json
}
check_true "flattened profile keeps lucid-init's rules (the runtime applies it) without the lucidInitOnly key" \
	"seccomp missing or lucidInitOnly still present" flat_keeps_init_rules
expect_out "check says which rules the service's filter leaves out" 0 \
	'lucid-init only 2 rules \(13 syscalls\), in the runtime.s filter, not the service.s' "$S" check static.json
expect_out "check --runtime keeps them" 0 'rules +[0-9]+ of [0-9]+ apply' "$S" check static.json --runtime
check_false "...and then says nothing of left-out rules" "it did" grep -q "lucid-init only" "$WORK/out"
expect_out "lucidInitOnly must be a boolean" 1 'lucidInitOnly must be true or false' "$S" check bad-marker.json
python3 - <<'PY'
import json
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["nosuch_%05d_with_a_long_name_to_fill_the_summary" % i
    for i in range(4000)], "action": "SCMP_ACT_ALLOW"}]}, open("many-unknown.json", "w"))
names = ["read", "write", "close", "fstat", "lseek", "mmap", "mprotect", "munmap"]
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [names[i % 8]], "action": "SCMP_ACT_ALLOW",
    "args": [{"index": j % 2, "value": i * 100 + j, "op": "SCMP_CMP_EQ"} for j in range(16)]} for i in range(300)]},
    open("combinations.json", "w"))
PY
expect_out "a check summary longer than its buffer says it was cut" 0 'summary is longer than [0-9]+ bytes: cut there' \
	"$S" check many-unknown.json
start=$(date +%s%N)
expect_out "300 rules x 16 argument values are refused at once, not compiled for minutes" 1 \
	'expands to 19200 libseccomp rules .* more than 2048 cannot fit' "$S" compile combinations.json --arch x86_64 -o c.bpf
check_between "...within a second" 0 1000 "$(ms_since "$start")" " ms"
check_exit "the flattened profile compiles (--runtime)" 0 "$S" compile flat-arm64.json --runtime --arch aarch64 -o flat.bpf
check_exit "the original compiles --runtime" 0 "$S" compile default.json --runtime --arch aarch64 -o runtime-aarch64.bpf
check_true "flattened and original runtime filters are identical" "filters differ" cmp -s flat.bpf runtime-aarch64.bpf
check_false "the service's filter (no --runtime) differs from the runtime's" "they are the same" \
	cmp -s default-aarch64.bpf runtime-aarch64.bpf

cat > mkdir.json <<'J'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "mkdir"], "action": "SCMP_ACT_ALLOW"}]}
J
expect_out "a name absent on aarch64 is a warning" 0 'warning: mkdir\.json: syscalls\[0\]: mkdir: no such syscall on aarch64, skipped' \
	"$S" compile mkdir.json --arch aarch64 -o m.bpf
expect_out "--strict makes it an error" 1 'mkdir: no such syscall on aarch64' \
	"$S" compile mkdir.json --arch aarch64 --strict -o m.bpf
check_exit "--strict passes on x86_64, which has mkdir" 0 "$S" compile mkdir.json --arch x86_64 --strict -o m.bpf
expect_out "check --strict fails the profile" 1 'do not exist on aarch64' "$S" check mkdir.json --strict

printf '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n    {"names": [] "action": 1}\n  ]\n}\n' > bad.json
expect_out "bad JSON is reported with line and column" 1 '^lucid-seccomp: bad\.json:4:18: invalid JSON$' \
	"$S" compile bad.json --arch x86_64 -o b.bpf
check_true "bad JSON is reported once by check" "message repeated" \
	bash -c "[ \"\$('$S' check bad.json 2>&1 | wc -l)\" = 1 ]"

cat > notify.json <<'J'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}
J
expect_out "SCMP_ACT_NOTIFY is refused" 1 'SCMP_ACT_NOTIFY is not supported' "$S" compile notify.json --arch x86_64 -o n.bpf
echo '{"defaultAction": "SCMP_ACT_ERRNO", "listenerPath": "/run/agent.sock"}' > listener.json
expect_out "listenerPath is refused" 1 'listenerPath is not supported' "$S" check listener.json
echo '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoret": 1}' > typo.json
expect_out "an unknown key is a warning" 0 'warning: typo\.json: unknown key "defaultErrnoret" ignored' "$S" check typo.json
expect_out "a missing profile fails" 1 'nope\.json: No such file' "$S" check nope.json

check_exit "no command is a usage error" 100 "$S"
check_exit "an unknown command is a usage error" 100 "$S" build default.json
check_exit "compile without --arch is a usage error" 100 "$S" compile default.json -o x.bpf
check_exit "compile without -o is a usage error" 100 "$S" compile default.json --arch x86_64
check_exit "an unknown arch is a usage error" 100 "$S" compile default.json --arch mips -o x.bpf
check_exit "an unknown option is a usage error" 100 "$S" check default.json --frobnicate
check_exit "a bad --c-array name is a usage error" 100 "$S" compile default.json --arch x86_64 -o x.c --c-array 9lives
check_exit "a bad --min-kernel is a usage error" 100 "$S" check default.json --min-kernel five

check_exit "--c-array writes C" 0 "$S" compile default.json --arch x86_64 -o filter.c --c-array lucid_seccomp_filter
check_true "the C array declares the symbols" "symbols missing" \
	grep -q '^const unsigned long lucid_seccomp_filter_len = ' filter.c

# check loads the profile once per arch; what is not about an arch is said once.
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoret": 1, "syscalls": []}' >typo.json
"$S" check typo.json >/dev/null 2>typo.err
check_true "check says a profile-wide warning once, not once per arch" "stderr: $(tr '\n' '|' <typo.err)" \
	[ "$(grep -c 'unknown key "defaultErrnoret"' typo.err)" = 1 ]

if [ -x "$ARM_BIN/lucid-seccomp" ]; then
	for arch in x86_64 aarch64; do
		check_exit "arm64 lucid-seccomp compiles default.json for $arch" 0 \
			${QEMU:+"$QEMU"} "$ARM_BIN/lucid-seccomp" compile default.json --arch "$arch" -o "arm-$arch.bpf"
		check_true "arm64 and native $arch filters are byte-identical" "they differ" \
			cmp -s "arm-$arch.bpf" "default-$arch.bpf"
	done
	check_exit "arm64 lucid-seccomp writes the same C array" 0 \
		${QEMU:+"$QEMU"} "$ARM_BIN/lucid-seccomp" compile default.json --arch x86_64 -o arm-filter.c --c-array lucid_seccomp_filter
	check_true "arm64 and native C arrays are identical" "they differ" cmp -s arm-filter.c filter.c
elif [ -n "${LUCID_SANITIZED:-}" ]; then
	pass "arm64 lucid-seccomp # SKIP the sanitized run is native only"
else
	fail "arm64 lucid-seccomp" "$ARM_BIN/lucid-seccomp is missing"
fi

finish

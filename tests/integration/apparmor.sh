#!/bin/bash
# The AppArmor profile: this kernel has no AppArmor, so the profile is
# compiled by apparmor_parser without loading it (-Q), which checks syntax,
# includes and rule semantics exactly as a load would.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

profile=$(cd "$(dirname "$0")/../.." && pwd)/apparmor/lucid-service
lacks() { ! grep -qE "$1" <<<"$2"; } # lacks REGEX TEXT

check_exit "apparmor/lucid-service compiles (apparmor_parser -Q)" 0 apparmor_parser -Q -K "$profile"

sed 's/^  capability setuid,$/  capability setuid/' "$profile" >"$WORK/broken"
check_exit "a profile with a syntax error is rejected (the check above can fail)" 1 apparmor_parser -Q -K "$WORK/broken"

expanded=$(apparmor_parser -Q -K -p "$profile" 2>/dev/null)
echo "$expanded" >"$WORK/expanded"
check_true "the profile is named lucid-service" "no 'profile lucid-service' in the expanded profile" \
	grep -q '^profile lucid-service ' <<<"$expanded"
# lucid-init resolves --user from the image's passwd and group files: a deny
# there (as in our old container spec) would break the privilege drop.
check_true "nothing denies reading /etc/passwd or /etc/group (lucid-init needs them)" \
	"$(grep -nE 'deny[^#]*/etc/(passwd|group)' <<<"$expanded")" lacks 'deny[^#]*/etc/(passwd|group)' "$expanded"
for cap in setuid setgid setpcap; do
	check_true "capability $cap is granted (the drop at start needs it)" "missing" \
		grep -qE "^\s*capability $cap," <<<"$expanded"
done
check_eq "no other capability is granted" "$(grep -cE '^\s*capability ' <<<"$expanded")" 3
for rule in "deny mount," "deny umount," "deny pivot_root,"; do
	check_grep "$rule is in the profile" "$profile" "^  $rule\$"
done

# executable PATH: some ix/px/cx rule of the expanded profile matches PATH
# (AppArmor globs: ** any run of characters, * any but /).
executable() {
	python3 - "$1" "$WORK/expanded" <<'PY'
import re, sys
path = sys.argv[1]
for line in open(sys.argv[2]):
    m = re.match(r"\s*(/\S*)\s+[a-z]*[ipc]x[a-z]*,", line)
    if m:
        rx = re.escape(m.group(1)).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        if re.fullmatch(rx, path):
            sys.exit(0)
sys.exit(1)
PY
}
for path in /lucid-init /lucid-health /app/server /usr/bin/python3.11 /nodejs/bin/node; do
	check_true "the templates' runtimes may run: $path" "no exec rule matches $path" executable "$path"
done
check_false "nothing else may run: /bin/sh" "an exec rule matches /bin/sh" executable /bin/sh
check_false "...nor /tmp/payload" "an exec rule matches /tmp/payload" executable /tmp/payload

finish

#!/bin/bash
# The AppArmor profile: this kernel has no AppArmor, so the profile is
# compiled by apparmor_parser without loading it (-Q), which checks syntax,
# includes and rule semantics exactly as a load would.
source "$(dirname "$0")/../lib.sh"

profile=$(cd "$(dirname "$0")/../.." && pwd)/apparmor/lucid-service
lacks() { ! grep -qE "$1" <<<"$2"; } # lacks REGEX TEXT

check_exit "apparmor/lucid-service compiles (apparmor_parser -Q)" 0 apparmor_parser -Q -K "$profile"

sed 's/^  capability setuid,$/  capability setuid/' "$profile" >"$WORK/broken"
check_exit "a profile with a syntax error is rejected (the check above can fail)" 1 apparmor_parser -Q -K "$WORK/broken"

expanded=$(apparmor_parser -Q -K -p "$profile" 2>/dev/null)
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
check_true "no other capability is granted" "$(grep -E '^\s*capability ' <<<"$expanded" | tr '\n' ' ')" \
	[ "$(grep -cE '^\s*capability ' <<<"$expanded")" = 3 ]
check_true "mount, umount and pivot_root are denied" "missing" \
	sh -c "grep -q '^  deny mount,' '$profile' && grep -q '^  deny umount,' '$profile' && grep -q '^  deny pivot_root,' '$profile'"

finish

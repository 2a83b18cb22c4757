#!/bin/bash
# Fault injection at the sys seam: every call on lucid-init's start path
# fails in turn (its 1st, 2nd and 3rd use, with EPERM, ENOMEM, EAGAIN), in
# lucid-init-faults (lucid-init with tests/tools/sys_faults.c for its seam).
# Each run either starts the service confined (65532, no capabilities,
# no_new_privs, filtered; PID 1 too), when that call is not one the start
# needs that often, or fails closed: exit 111 (126 for exec) with one line
# naming the step, and the service never ran. EINTR where the kernel can
# return it (the waits) is retried: the service's status still comes back.
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

INIT=${FAULTS_INIT:-$TOOLS/lucid-init-faults} # the sanitized run gives its own
NS=(unshare --pid --fork --mount-proc --kill-child)
chmod 755 "$WORK"

calls=(close_range fork pipe2 signalfd setsid prctl seccomp_filter capng_get_caps_process capng_change_id capng_apply
	getresuid getresgid getgroups_count execvp)
errnos=(1 12 11) # EPERM ENOMEM EAGAIN

# confined FILE: credcheck's lines say the service holds only the --cap it
# was given (NET_BIND_SERVICE, 0x400) and PID 1 nothing.
confined() {
	local f=$1 who
	for who in self init; do
		grep -qP "^$who Uid:\t65532\t65532\t65532\t65532$" "$f" || return 1
		grep -qP "^$who NoNewPrivs:\t1$" "$f" || return 1
		grep -qP "^$who Seccomp:\t2$" "$f" || return 1
	done
	grep -qP "^self CapEff:\t0000000000000400$" "$f" && grep -qP "^init CapEff:\t0000000000000000$" "$f"
}

ran=0 closed=0
for call in "${calls[@]}"; do
	for nth in 1 2 3; do
		for e in "${errnos[@]}"; do
			label="$call #$nth fails with errno $e"
			LUCID_FAULT="$call:$nth:$e" timeout -k 5 20 "${NS[@]}" "$INIT" --cap NET_BIND_SERVICE -- \
				"$TOOLS/credcheck" >"$WORK/out" 2>"$WORK/err"
			rc=$?
			if grep -q '^self Uid:' "$WORK/out"; then
				# The service ran: it must be exactly as confined as without faults.
				ran=$((ran + 1))
				if [ "$rc" != 0 ]; then
					fail "$label" "the service ran but lucid-init exited $rc: $(tr '\n' ' ' <"$WORK/err")"
				elif ! confined "$WORK/out"; then
					fail "$label" "the service ran, not confined: $(grep -E 'Uid|CapEff|NoNewPrivs|Seccomp:' "$WORK/out" | tr '\n' ' ')"
				else
					pass "$label: not on the start path that often; the service ran confined"
				fi
			elif [ "$rc" = 111 ] || { [ "$call" = execvp ] && [ "$rc" = 126 ]; }; then
				closed=$((closed + 1))
				if [ "$(wc -l <"$WORK/err")" -le 2 ] && grep -q '^lucid-init: ' "$WORK/err"; then
					pass "$label: failed closed ($rc), the service never ran: $(head -1 "$WORK/err")"
				else
					fail "$label" "exit $rc, but the reason is not one clear line: $(tr '\n' '|' <"$WORK/err")"
				fi
			else
				fail "$label" "exit $rc and the service did not run: $(tr '\n' ' ' <"$WORK/err")"
			fi
		done
	done
done
echo "# faults: $ran runs reached the service confined, $closed failed closed"
check_between "the injected faults hit the start path 45 times (every call on it, each errno)" 45 1000 "$closed"

# EINTR on the waits is retried, not taken for an error.
for call in sigtimedwait waitpid; do
	for nth in 1 2 3; do
		LUCID_FAULT="$call:$nth:4" timeout -k 5 20 "${NS[@]}" "$INIT" -- sh -c 'sleep 0.1; exit 3' \
			>"$WORK/out" 2>"$WORK/err"
		check_eq "$call #$nth interrupted (EINTR): retried, the service's 3 comes back" "$?" 3
	done
done

finish

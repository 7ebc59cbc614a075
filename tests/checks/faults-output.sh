#!/usr/bin/env bash
# Output faults for every program present in $BINDIR (SPEC §1, STYLE §14):
#  - standard output, -o and --rejects on /dev/full: exit 74 and "cannot write" on stderr;
#  - a downstream that closes early (| head -1) on a big input: exit 0, stderr empty;
#  - -o into a directory that does not exist: exit 73 and "cannot create".
# report builds its workbook in a temporary file and renames it onto a regular target, or
# copies it onto a device (-o /dev/full: 74), so the device node is never replaced.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for t in $FILTERS; do
	[ -x "$BINDIR/$t" ] || { echo "ok faults-output $t # skipped: not built yet"; continue; }
	tool_args "$t"
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -q "$INPUT" >/dev/full 2>"$tmp/err"
	expect "faults-output $t: stdout on /dev/full" $? 74 "$tmp/err" "^$t: cannot write"
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -q -o /dev/full "$INPUT" 2>"$tmp/err"
	expect "faults-output $t: -o /dev/full" $? 74 "$tmp/err" "^$t: cannot write /dev/full"
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -q --rejects /dev/full "$INPUT" >/dev/null 2>"$tmp/err"
	st=$?
	if [ "$t" = order-intake ]; then        # its sample has rejects to write
		expect "faults-output $t: --rejects /dev/full" $st 74 "$tmp/err" "^$t: cannot write /dev/full"
	elif [ $st != 0 ] && [ $st != 74 ]; then
		echo "FAIL faults-output $t: --rejects /dev/full: exit $st, want 0 or 74"
	else
		echo "ok faults-output $t: --rejects /dev/full"
	fi
	timeout 60 "$BINDIR/$t" "${ARGS[@]}" -o "$tmp/no/such/dir/out.csv" "$INPUT" 2>"$tmp/err"
	expect "faults-output $t: -o in a missing directory" $? 73 "$tmp/err" "^$t: cannot create"

	big_input "$t" 2000 "$tmp/big.csv"
	timeout 120 "$BINDIR/$t" "${ARGS[@]}" -q "$tmp/big.csv" 2>"$tmp/err" | head -1 >/dev/null
	st=${PIPESTATUS[0]}
	if [ "$st" != 0 ] || [ -s "$tmp/err" ]; then
		echo "FAIL faults-output $t: | head -1: exit $st, want 0 and no message"
		sed 's/^/    /' "$tmp/err" | head -5
	else
		echo "ok faults-output $t: | head -1 quiet 0"
	fi
done

if [ -x "$BINDIR/report" ]; then
	timeout 60 "$BINDIR/report" -o "$tmp/no/such/dir/out.xlsx" "$H/plan-in.csv" 2>"$tmp/err"
	expect "faults-output report: -o in a missing directory" $? 73 "$tmp/err" "^report: "
	# a device target is written by copying a finished workbook to it, never renamed over
	timeout 60 "$BINDIR/report" -o /dev/full "$H/plan-in.csv" 2>"$tmp/err"
	expect "faults-output report: -o /dev/full" $? 74 "$tmp/err" "^report: cannot write '/dev/full'"
	timeout 60 "$BINDIR/report" -o "$tmp/r.xlsx" "$H/plan-in.csv" >/dev/full 2>"$tmp/err"
	st=$?
	if [ $st = 0 ] && [ -s "$tmp/r.xlsx" ]; then
		echo "ok faults-output report: stdout on /dev/full unused"
	else
		echo "FAIL faults-output report: stdout on /dev/full: exit $st"
	fi
else
	echo "ok faults-output report # skipped: not built yet"
fi

#!/bin/bash
# report on a full disk: the workbook (or the spool of a pipe) cannot be written beside
# the target -> exit 74, a message, and neither a partial workbook nor a temporary file
# left behind.  Needs a small tmpfs (root); skipped, as ok, where mount is not allowed.
set -u
BINDIR=${BINDIR:-$TOP/bin}
d=$(mktemp -d /tmp/report-full.XXXXXX)
trap 'umount "$d/small" 2>/dev/null; rm -rf "$d"' EXIT
mkdir "$d/small"
if ! mount -t tmpfs -o size=256k tmpfs "$d/small" 2>/dev/null; then
	echo "ok report-disk-full (skipped: cannot mount a tmpfs)"
	exit 0
fi
/usr/bin/python3 "$TOP/tests/bench/report-gen.py" 20000 >"$d/in.csv"
check() {       # name command...
	name=$1; shift
	"$@" 2>"$d/err"
	st=$?
	left=$(ls -A "$d/small")
	if [ $st = 74 ] && [ -z "$left" ] && grep -q "^report: cannot write" "$d/err"; then
		echo "ok report-disk-full $name"
	else
		echo "FAIL report-disk-full $name: exit $st, left '$left', $(tail -1 "$d/err")"
	fi
}
check file "$BINDIR/report" -o "$d/small/out.xlsx" "$d/in.csv"
check pipe sh -c "\"$BINDIR/report\" -o \"$d/small/out.xlsx\" < \"$d/in.csv\""

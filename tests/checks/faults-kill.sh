#!/usr/bin/env bash
# report killed half way (SPEC §7: the workbook is built beside the target and renamed
# into place only when complete): on a large input, SIGKILL as soon as its temporary
# workbook appears leaves nothing at the target path, and an existing workbook there
# untouched; SIGTERM also removes the temporary file.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
if [ ! -x "$BINDIR/report" ]; then
	echo "ok faults-kill report # skipped: not built yet"
	exit 0
fi
tmp=$(mktemp -d /tmp/salesdesk-kill.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
copies=4000                                     # 120,000 rows
[ -n "${SANITIZER:-}" ] && copies=1000          # the sanitized report is 5x slower
big_input report $copies "$tmp/big.csv"

# kill_half SIGNAL: starts report on big.csv into out/plan.xlsx and sends SIGNAL once
# the temporary workbook beside the target has grown; prints how it ended
kill_half() {
	local pid i
	"$BINDIR/report" -o "$tmp/out/plan.xlsx" --totals "$tmp/big.csv" 2>"$tmp/err" &
	pid=$!
	for i in $(seq 1 600); do
		[ -n "$(find "$tmp/out" -name '.plan.xlsx.*' -size +0 2>/dev/null)" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	kill -"$1" $pid 2>/dev/null
	wait $pid
	echo "status $?"
}

mkdir -p "$tmp/out"
st=$(kill_half KILL)
if [ "$st" != "status 137" ]; then
	echo "FAIL faults-kill report: SIGKILL: $st (finished before it could be killed?)"
elif [ -e "$tmp/out/plan.xlsx" ]; then
	echo "FAIL faults-kill report: SIGKILL left a workbook at the target path"
else
	echo "ok faults-kill report: SIGKILL half way leaves no workbook at the target"
fi

rm -rf "$tmp/out"
mkdir -p "$tmp/out"
echo "yesterday's workbook" >"$tmp/out/plan.xlsx"
st=$(kill_half KILL)
if [ "$(cat "$tmp/out/plan.xlsx")" != "yesterday's workbook" ]; then
	echo "FAIL faults-kill report: SIGKILL changed the workbook already at the target ($st)"
else
	echo "ok faults-kill report: SIGKILL half way keeps the previous workbook"
fi

rm -rf "$tmp/out"
mkdir -p "$tmp/out"
st=$(kill_half TERM)
left=$(ls -A "$tmp/out")
if [ "$st" = "status 0" ]; then
	echo "FAIL faults-kill report: SIGTERM: finished before it could be stopped"
elif [ -n "$left" ]; then
	echo "FAIL faults-kill report: SIGTERM ($st) left: $left"
else
	echo "ok faults-kill report: SIGTERM half way ($st) leaves nothing behind"
fi

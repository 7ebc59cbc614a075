#!/usr/bin/env bash
# samples/demo.sh (make demo) at every stage of the project: with no program built it
# skips every step and still exits 0; with only order-intake it runs that step and says
# which were skipped; with all five it writes every file and workbook, and a failing
# program stops it with a non-zero status and the program's name.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
tmp=$(mktemp -d /tmp/salesdesk-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/none" "$tmp/some" "$tmp/all" "$tmp/broken"

# ---- nothing built ----
OUT=$tmp/out0 BINDIR=$tmp/none sh "$TOP/samples/demo.sh" >"$tmp/log0" 2>&1
st=$?
if [ $st = 0 ] && grep -q '^Skipped: order-intake dispatch-plan make-bills freight-audit receivables report salesdesk-daily$' "$tmp/log0"; then
	echo "ok cron-demo nothing built: every step skipped, exit 0"
else
	echo "FAIL cron-demo nothing built (exit $st)"; sed 's/^/    /' "$tmp/log0"
fi

if [ ! -x "$BINDIR/order-intake" ]; then
	echo "FAIL cron-demo: $BINDIR/order-intake missing (make all)"
	exit 0
fi
cp "$BINDIR/order-intake" "$tmp/some/"

# ---- only order-intake ----
OUT=$tmp/out1 BINDIR=$tmp/some sh "$TOP/samples/demo.sh" >"$tmp/log1" 2>&1
st=$?
if [ $st = 0 ] && [ -s "$tmp/out1/orders.csv" ] && grep -q "skipped dispatch-plan: not built yet ($tmp/some/dispatch-plan)" "$tmp/log1" &&
	grep -q 'skipped make-bills: needs loads.csv' "$tmp/log1"; then
	echo "ok cron-demo only order-intake: runs it, names the skipped steps"
else
	echo "FAIL cron-demo only order-intake (exit $st)"; sed 's/^/    /' "$tmp/log1"
fi

# ---- all five ----
missing=
for t in order-intake dispatch-plan freight-audit receivables report; do
	if [ -x "$BINDIR/$t" ]; then cp "$BINDIR/$t" "$tmp/all/"; else missing="$missing $t"; fi
done
if [ -n "$missing" ]; then
	echo "FAIL cron-demo: not built:$missing (make all)"
	exit 0
fi
OUT=$tmp/out2 BINDIR=$tmp/all sh "$TOP/samples/demo.sh" >"$tmp/log2" 2>&1
st=$?
files_ok=1
for f in orders.csv plan.csv loads.csv audit.csv aging.csv open-items.csv dispatch-sheet.xlsx \
	weekly-shipments.xlsx freight-audit.xlsx aging.xlsx daily/2026-11-16/mail.eml; do
	[ -s "$tmp/out2/$f" ] || { files_ok=0; echo "    missing: $f"; }
done
if [ $st = 0 ] && [ $files_ok = 1 ] && ! grep -q -i 'skipped' "$tmp/log2"; then
	echo "ok cron-demo all built: every step ran, every file written"
else
	echo "FAIL cron-demo all built (exit $st)"; sed 's/^/    /' "$tmp/log2"
fi

# issue 17: the mail body's 注意 does not repeat a rejects sheet's odd values (the reason
# its rows were rejected); the step's log keeps them
body=$(sed -n '/^Content-Transfer-Encoding: base64$/,/^--/p' "$tmp/out2/daily/2026-11-16/mail.eml" |
	sed -n '3,/^--/p' | grep -v '^--' | base64 -d 2>/dev/null)
if printf '%s' "$body" | grep -q '^运费审核: 6 张账单 (207 行)' &&
	! printf '%s' "$body" | grep -q 'rejects.csv.*kept as text' &&
	grep -q 'order-rejects.csv.*kept as text' "$tmp/out2/daily/2026-11-16/log/report-plan.err"; then
	echo "ok cron-demo mail body: bills as bills, no rejects-sheet warnings"
else
	echo "FAIL cron-demo mail body"; printf '%s\n' "$body" | sed 's/^/    /'
fi

# ---- a program that fails ----
cp "$tmp"/all/* "$tmp/broken/"
printf '#!/bin/sh\necho "dispatch-plan: rates.csv:2: broken on purpose" >&2\nexit 65\n' >"$tmp/broken/dispatch-plan"
chmod +x "$tmp/broken/dispatch-plan"
OUT=$tmp/out3 BINDIR=$tmp/broken sh "$TOP/samples/demo.sh" >"$tmp/log3" 2>&1
st=$?
if [ $st = 65 ] && grep -q '^demo: dispatch-plan failed (exit 65)' "$tmp/log3"; then
	echo "ok cron-demo a failing program stops the demo with its status"
else
	echo "FAIL cron-demo failing program (exit $st)"; sed 's/^/    /' "$tmp/log3"
fi

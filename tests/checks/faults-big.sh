#!/usr/bin/env bash
# Sizes a clerk never types but a broken export produces, for every filter present in
# $BINDIR (inputs generated at test time, not committed):
#  - a 50 MB single field (in an extra column): exit 0, the field passed through whole
#    where the tool passes columns through;
#  - a 20,000-column header (the tool's columns plus 20,000 unknown ones) and a row to
#    match: exit 0 and every column passed through;
#  - 1,000,000 identical lines through order-intake: the first confirmed, the 999,999
#    others rejected duplicate_line, counted in the output, the rejects and -v.
# Under SANITIZER=1 (make test-asan) the 50 MB and 1,000,000-line cases are skipped.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
. "$TOP/tests/e2e/data/hardening/tools.sh"
tmp=$(mktemp -d /tmp/salesdesk-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# widen SIZE COLS IN OUT [IN OUT...]: each IN plus COLS extra columns x1..xCOLS, the first
# data row's x1 holding SIZE bytes of 'x' (a CSV-aware rewrite: quoted newlines and all;
# one python run for every file, as its start is the slow part on a loaded machine)
widen() {
	/usr/bin/python3 - "$@" <<'PY'
import csv, sys
size, cols, files = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
for src, dst in zip(files[0::2], files[1::2]):
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rows[0] + [f"x{i}" for i in range(1, cols + 1)])
        for k, r in enumerate(rows[1:]):
            extra = [f"v{i}" for i in range(1, cols + 1)]
            if k == 0:
                extra[0] = "x" * size
            w.writerow(r + extra)
PY
}
big= wide=
for t in $FILTERS; do
	[ -x "$BINDIR/$t" ] && tool_args "$t" || continue
	big="$big $INPUT big-$t.csv"
	wide="$wide $INPUT wide-$t.csv"
done
# shellcheck disable=SC2086
[ -n "$wide" ] && widen 1 20000 $wide
# shellcheck disable=SC2086
[ -n "$big" ] && [ -z "${SANITIZER:-}" ] && widen 50000000 1 $big

for t in $FILTERS; do
	[ -x "$BINDIR/$t" ] || { echo "ok faults-big $t # skipped: not built yet"; continue; }
	tool_args "$t"
	if [ -n "${SANITIZER:-}" ]; then
		echo "ok faults-big $t: 50 MB field # skipped under the sanitizer"
	else
		timeout 300 "$BINDIR/$t" "${ARGS[@]}" -q "big-$t.csv" >out 2>err
		st=$?
		if [ $st != 0 ] || [ -s err ]; then
			echo "FAIL faults-big $t: 50 MB field: exit $st"
			head -c 600 err | sed 's/^/    /'
		elif [ "$t" != receivables ] && [ "$(grep -c 'xxxxxxxxxx' out)" != 1 ] ; then
			echo "FAIL faults-big $t: 50 MB field not passed through once"
		elif [ "$t" != receivables ] && [ "$(wc -c <out)" -lt 50000000 ]; then
			echo "FAIL faults-big $t: 50 MB field cut short ($(wc -c <out) bytes out)"
		else
			echo "ok faults-big $t: 50 MB field"
		fi
	fi
	timeout 300 "$BINDIR/$t" "${ARGS[@]}" -q "wide-$t.csv" >out 2>err
	st=$?
	if [ $st != 0 ] || [ -s err ]; then
		echo "FAIL faults-big $t: 20,000 columns: exit $st"
		head -c 600 err | sed 's/^/    /'
	elif [ "$t" != receivables ] && ! head -1 out | grep -q ',x1,x2,.*,x19999,x20000$'; then
		echo "FAIL faults-big $t: 20,000 columns not all passed through, in order"
	else
		echo "ok faults-big $t: 20,000-column header"
	fi
done

t=order-intake
if [ ! -x "$BINDIR/$t" ]; then
	echo "ok faults-big $t: 1,000,000 duplicates # skipped: not built"
elif [ -n "${SANITIZER:-}" ]; then
	echo "ok faults-big $t: 1,000,000 duplicates # skipped under the sanitizer"
else
	tool_args $t
	{ echo "order_no,line_no,order_date,customer_id,sku,qty"
	  yes "SO1,1,2026-11-02,C001,00123,1" | head -n 1000000; } >dup.csv
	timeout 300 "$BINDIR/$t" "${ARGS[@]}" -q -v --rejects rej.csv dup.csv >out 2>err
	st=$?
	# reject_reason is the last column of a rejects file, whatever comes before it
	got="$st $(wc -l <out) $(wc -l <rej.csv) $(awk -F, 'NR > 1 { print $NF }' rej.csv | sort | uniq -c | tr -s ' ')"
	want="0 2 1000000  999999 duplicate_line"
	if [ "$got" != "$want" ]; then
		echo "FAIL faults-big $t: 1,000,000 duplicates: got '$got', want '$want'"
	elif ! grep -qxF "$t: 1000000 rows read: 1 confirmed, 0 on credit hold, 999999 rejected" err; then
		echo "FAIL faults-big $t: 1,000,000 duplicates: -v line"
		sed 's/^/    /' err
	else
		echo "ok faults-big $t: 1,000,000 duplicates"
	fi
fi

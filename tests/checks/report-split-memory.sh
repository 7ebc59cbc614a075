#!/bin/bash
# report --split-by on a key of 1,000 values (issue 16): the rows reach their sheets
# through a sort on disk, so memory grows with the values (about 22 KB a sheet, in
# libxlsxwriter), never with the rows.  Four times the rows (50,000 -> 200,000, 6 MB
# more text) must not raise the peak resident size by more than 3 MB: holding the rows
# would add more than the text.  (libxlsxwriter alone grows by about 1.5 MB between
# these sizes, without --split-by too, as it assembles the bigger sheet files.)  Every
# sheet has its value's rows.
set -u
BINDIR=${BINDIR:-$TOP/bin}
d=$(mktemp -d /tmp/report-split.XXXXXX)
trap 'rm -rf "$d"' EXIT
peak() {        # rows: the peak resident size in KB of a split of that many rows
	awk -v n="$1" 'BEGIN { print "customer_id,invoice_no,amount,remark"
		for (i = 1; i <= n; i++) printf "C%04d,F%d,%d.50,text of row %d\n", i % 1000, i, i % 977, i }' >"$d/in.csv"
	if ! /usr/bin/time -f %M -o "$d/rss" "$BINDIR/report" -o "$d/out.xlsx" \
		--split-by customer_id "$d/in.csv" 2>"$d/err"; then
		echo "FAIL report-split-memory $1 rows: $(tail -1 "$d/err")" >&2
		echo 0
		return
	fi
	cat "$d/rss"
}
small=$(peak 50000)
big=$(peak 200000)
# Under AddressSanitizer (make test-asan, SANITIZER=1) the resident size is the
# sanitizer's (shadow memory, the quarantine of freed blocks): only the runs are checked.
if [ -n "${SANITIZER:-}" ] && [ "$small" -gt 0 ] && [ "$big" -gt 0 ]; then
	echo "ok report-split-memory 50000 and 200000 rows # memory not measured under the sanitizer"
elif [ "$small" -gt 0 ] && [ "$big" -gt 0 ] && [ $((big - small)) -le 3072 ]; then
	echo "ok report-split-memory peak ${small} KB at 50000 rows, ${big} KB at 200000"
else
	echo "FAIL report-split-memory peak ${small} KB at 50000 rows, ${big} KB at 200000"
fi
[ -s "$d/out.xlsx" ] || { echo "FAIL report-split-memory sheets: no workbook"; exit 0; }
/usr/bin/python3 - "$d/out.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
# 200,000 rows over 1,000 values: 200 rows each, a header row, no totals
rows = set(z.read(n).decode().count("<row ") for n in sheets)
ok = len(sheets) == 1000 and rows == {201}
print("%s report-split-memory 1000 sheets of 200 rows (got %d sheets, rows %s)" %
      ("ok" if ok else "FAIL", len(sheets), sorted(rows)[:5]))
PY
# Into a folder, one workbook at a time: 1,000 workbooks in no more memory than one
# workbook of all the rows (the input of 200,000 rows left by the runs above).
mkdir "$d/books"
/usr/bin/time -f %M -o "$d/rss" "$BINDIR/report" -o "$d/books" --split-by customer_id \
	"$d/in.csv" 2>"$d/err"
st=$?
folder=$(cat "$d/rss")
/usr/bin/time -f %M -o "$d/rss" "$BINDIR/report" -o "$d/one.xlsx" "$d/in.csv" 2>"$d/err2"
one=$(cat "$d/rss")
n=$(ls "$d/books" | grep -c '^C[0-9]*\.xlsx$')
if [ $st = 0 ] && [ "$n" = 1000 ] && { [ -n "${SANITIZER:-}" ] || [ "$folder" -le $((one + 1024)) ]; }; then
	echo "ok report-split-memory folder: $n workbooks, peak ${folder} KB (one workbook: ${one} KB)"
else
	echo "FAIL report-split-memory folder: exit $st, $n workbooks, peak ${folder} KB (one workbook: ${one} KB) $(tail -1 "$d/err")"
fi

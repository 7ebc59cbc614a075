#!/usr/bin/env bash
# --excel (salesdesk(7), Excel CSV), for every program that writes CSV: the samples run
# through the pipeline twice, plain and with --excel, with remarks that Excel would take
# for formulas.  Each --excel file must start with the UTF-8 BOM, end every row with
# CRLF, hold no cell that Excel reads as a formula (Python's csv module is the
# independent reader), and read back through our reader (csvdump) to the very rows of
# the plain file.  report, which writes no CSV, reads the --excel files as the plain ones.
set -u
BINDIR=${BINDIR:-$TOP/bin}
S=$TOP/samples
w=$(mktemp -d /tmp/salesdesk-excel.XXXXXX)
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
mkdir plain excel orders
cp "$S"/orders/*.csv orders/
# remarks that Excel would evaluate, one already "marked", a negative number
{ head -1 "$S/orders/direct.csv"
  awk -F, 'NR > 1 && NR <= 6' "$S/orders/direct.csv" | awk -F, -v OFS=, '
	{ $1 = "SOX" NR; $2 = 1
	  split("=HYPERLINK(\"http://x\")|+86 138|-加急|@张三|'\''=1+1", r, "|")
	  $NF = "\"" r[NR] "\""; gsub(/"=HYPERLINK\("http:\/\/x"\)"/, "\"=HYPERLINK(\"\"http://x\"\")\"", $NF); print }'
} >orders/zz-formulas.csv

run() {  # run DIR [--excel]: the pipeline into DIR
	local d=$1; shift
	"$BINDIR/order-intake" "$@" -q -c "$S/customers.csv" -p "$S/products.csv" \
		-b "$S/balances.csv" --rejects "$d/rejects.csv" --summary "$d/summary.csv" \
		-o "$d/orders.csv" orders/*.csv &&
	"$BINDIR/dispatch-plan" "$@" -q -R "$S/rates.csv" --loads "$d/loads.csv" \
		--unplanned "$d/unplanned.csv" -o "$d/plan.csv" "$d/orders.csv" &&
	"$BINDIR/freight-audit" "$@" -q --plan "$d/loads.csv" -R "$S/rates.csv" \
		--unbilled "$d/unbilled.csv" --rejects "$d/bill-rejects.csv" -o "$d/audit.csv" \
		"$S"/bills/*.csv &&
	"$BINDIR/receivables" "$@" -q -c "$S/customers.csv" --payments "$S/payments.csv" \
		--as-of 2026-11-30 --report open-items --rejects "$d/invoice-rejects.csv" \
		-o "$d/open-items.csv" "$d/plan.csv"
}
check() { if eval "$2"; then echo "ok excel-csv $1"; else echo "FAIL excel-csv $1"; fi; }

run plain 2>plain.err; st=$?
check "plain-run" "[ $st = 0 ] || [ $st = 65 ]"
run excel --excel 2>excel.err; st=$?
check "excel-run" "[ $st = 0 ] || [ $st = 65 ]"
check "same-messages" "cmp -s plain.err excel.err"
check "formula-remarks-passed" "grep -q '=HYPERLINK' plain/rejects.csv && grep -q '@张三' plain/orders.csv"

# BOM, CRLF after every record (a quoted newline inside a cell is data), no formula
excel_ok() {
	/usr/bin/python3 - "$1" <<'PY'
import csv, io, re, sys
raw = open(sys.argv[1], 'rb').read()
if not raw.startswith(b'\xef\xbb\xbf'):
    sys.exit('no BOM')
quoted = False
for i, b in enumerate(raw):
    if b == 0x22:
        quoted = not quoted
    elif b == 0x0a and not quoted and raw[i - 1] != 0x0d:
        sys.exit('LF without CR at byte %d' % i)
num = re.compile(r'[+-]?[0-9]+(\.[0-9]+)?$')
for row in csv.reader(io.StringIO(raw[3:].decode(), newline='')):
    for c in row:
        if c[:1] in ('=', '+', '-', '@', '\t', '\r') and not num.match(c):
            sys.exit('formula cell %r' % c)
PY
}
for f in plain/*.csv; do
	n=${f#plain/}
	check "$n-bom-crlf-no-formula" "excel_ok excel/$n"
	# the same rows, but for reject_file, which names the folder the file was read from
	check "$n-same-rows" "cmp -s <(\"$BUILD/tests/csvdump\" $f | sed 's#\"plain/#\"excel/#g') <(\"$BUILD/tests/csvdump\" excel/$n)"
done
check "formula-marked" "grep -qF '\"'\''=HYPERLINK' excel/rejects.csv && grep -qF '\"'\'''\''=1+1\"' excel/orders.csv"

# report reads the --excel files back as the plain ones: the same workbook
for d in plain excel; do
	SOURCE_DATE_EPOCH=0 "$BINDIR/report" -o $d/plan.xlsx --sheet 计划=$d/plan.csv 2>>$d.err
done
check "report-reads-excel-csv" "cmp -s plain/plan.xlsx excel/plan.xlsx"

# salesdesk-daily: EXCEL_CSV=yes (the default) gives the clerk's files the BOM, and the
# mail (its figures, the workbooks) is the one of EXCEL_CSV=no
cp -r "$S" daily-s
for x in yes no; do
	sed "s|^EXCEL_CSV=.*|EXCEL_CSV=$x|; s|^OUTPUT_ROOT=.*|OUTPUT_ROOT=$w/daily|" \
		"$S/salesdesk.conf" >daily-s/$x.conf
	BINDIR=$BINDIR SOURCE_DATE_EPOCH=0 "$TOP/bin/salesdesk-daily" --config daily-s/$x.conf \
		--date 2026-12-31 --dry-run >daily-$x.out 2>&1 || echo "exit $?" >>daily-$x.out
	mv daily/2026-12-31 day-$x
done
check "daily-runs" "[ ! -s daily-yes.out ] && [ ! -s daily-no.out ]"
check "daily-excel-files" "excel_ok day-yes/order-rejects.csv && excel_ok day-yes/unplanned.csv && excel_ok day-yes/orders.csv && ! excel_ok day-no/orders.csv 2>/dev/null"
mail() { sed -E 's/_salesdesk_[0-9_]+/B/g; /^(Date|Message-ID):/d' "$1"; }
check "daily-same-mail" "cmp -s <(mail day-yes/mail.eml) <(mail day-no/mail.eml)"

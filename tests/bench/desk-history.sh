#!/bin/sh
# Benchmark (not a test), issue 15: what a year of history (250 days x 2,000 order lines)
# adds to a day's run for the order lines — order-intake reading the 250 earlier days'
# orders.csv (--earlier) and receivables keying each shipped line (line_no) — against
# the same day without them; and the whole daily job with and without the archive.  Data from samples/gen, split by order date as the archive
# holds it.  Prints wall and CPU seconds (user + system) and peak RSS of each run.
#   sh tests/bench/desk-history.sh [BINDIR [BUILD]]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/bin}
build=${2:-$top/build/normal}
work=$(mktemp -d /tmp/desk-history-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$build/tests/gen" -s 7 -n 500000 --days 250 -o gen >/dev/null
"$bin/order-intake" -q -c gen/customers.csv -p gen/products.csv -o all.csv gen/orders.csv
mkdir arch
awk -F, 'NR == 1 { h = $0; next }
	{ f = "arch/" $3 ".csv"; if (!(f in seen)) { seen[f] = 1; print h > f } print > f }' all.csv
head -n 2001 gen/orders.csv >day.csv
set --
for f in arch/*.csv; do
	d=${f#arch/}
	set -- "$@" --earlier "${d%.csv}=$f"
done
printf 'payment_no,payment_date,customer_id,amount\n' >pay.csv
sed '1s/,line_no,/,line,/' all.csv >all-unkeyed.csv
t() {           # t LABEL COMMAND...: three runs
	label=$1
	shift
	for i in 1 2 3; do
		/usr/bin/time -f "$label: %e s wall, %U+%S s CPU, %M KB" "$@" 2>&1 >/dev/null |
			tail -n 1
	done
}
echo "$(ls arch | wc -l) earlier days, $(($(wc -l <all.csv) - 1)) lines, $(du -sh arch | cut -f1) of orders.csv"
t "order-intake, 2,000 lines" "$bin/order-intake" -q -c gen/customers.csv \
	-p gen/products.csv --rejects r.csv -o /dev/null day.csv
t "order-intake, 2,000 lines, 250 days --earlier" "$bin/order-intake" -q \
	-c gen/customers.csv -p gen/products.csv --rejects r.csv -o /dev/null "$@" day.csv
t "receivables, 500,000 lines, unkeyed" "$bin/receivables" -q -c gen/customers.csv \
	--payments pay.csv --as-of 2027-12-31 -o /dev/null all-unkeyed.csv
t "receivables, 500,000 lines, keyed by line_no" "$bin/receivables" -q -c gen/customers.csv \
	--payments pay.csv --as-of 2027-12-31 -o /dev/null all.csv
# the whole daily job (dry run) on a day of 2,000 lines, with an empty archive, with the
# 250 days' folders holding orders.csv (an older job's archive), and holding confirmed.csv
mkdir -p orders-day root-empty
cp day.csv orders-day/day.csv
for f in arch/*.csv; do
	d=${f#arch/}
	mkdir -p "root-full/${d%.csv}"
	cp "$f" "root-full/${d%.csv}/orders.csv"
done
# and as the job keeps them now: confirmed.csv, the nine columns --earlier reads
/usr/bin/python3 - <<'PY'
import csv, glob, os
cols = "order_no line_no order_date customer_id sku qty unit_price ship_date status".split()
for f in glob.glob("arch/*.csv"):
    d = "root-compact/" + os.path.basename(f)[:-4]
    os.makedirs(d)
    with open(f, newline="") as i, open(d + "/confirmed.csv", "w", newline="") as o:
        w = csv.writer(o, lineterminator="\n")
        w.writerow(cols)
        for r in csv.DictReader(i):
            if r["status"] == "confirmed":
                w.writerow([r[c] for c in cols])
PY
for r in root-empty root-full root-compact; do
	printf 'CUSTOMERS=%s\nPRODUCTS=%s\nRATES=%s\nPAYMENTS=%s\nORDERS_DIR=%s\nOUTPUT_ROOT=%s\nBINDIR=%s\n' \
		"$work/gen/customers.csv" "$work/gen/products.csv" "$work/gen/rates.csv" \
		"$work/pay.csv" "$work/orders-day" "$work/$r" "$bin" >"$r.conf"
	t "salesdesk-daily, 2,000 lines, $r" "$top/bin/salesdesk-daily" -c "$r.conf" \
		--date 2027-08-01 --dry-run
done
uptime

#!/bin/sh
# Benchmark (not a test): a year of a large distributor — 1,000,000 invoice lines
# (about 3 lines per invoice), 200,000 payments (half with a reference), 5,000 customers —
# through every report; prints wall time and peak RSS (/usr/bin/time -v).
#   sh tests/bench/receivables.sh [BINDIR]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/bin}
work=$(mktemp -d /tmp/receivables-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
awk 'BEGIN { srand(6); print "customer_id,customer_name,city,credit_limit,payment_terms_days"
	for (c = 1; c <= 5000; c++) printf "C%05d,客户%d,上海,%d,%s\n", c, c, int(rand() * 10) * 100000, (c % 4 ? 30 + 15 * (c % 3) : "") }' >customers.csv
awk 'BEGIN { srand(7); print "order_no,line_no,ship_date,customer_id,sku,qty,amount"
	n = 0
	for (o = 1; n < 1000000; o++) {
		c = int(rand() * 5000) + 1; d = int(rand() * 365) + 1
		m = d <= 31 ? 1 : d <= 59 ? 2 : d <= 90 ? 3 : d <= 120 ? 4 : d <= 151 ? 5 : d <= 181 ? 6 : d <= 212 ? 7 : d <= 243 ? 8 : d <= 273 ? 9 : d <= 304 ? 10 : d <= 334 ? 11 : 12
		split("0 31 59 90 120 151 181 212 243 273 304 334", base, " ")
		day = d - base[m]
		k = int(rand() * 5) + 1
		for (l = 1; l <= k && n < 1000000; l++) {
			amt = int(rand() * 500000) - (rand() < 0.02 ? 520000 : 0)
			printf "SO%07d,%d,2026-%02d-%02d,C%05d,A%03d,%d,%d.%02d\n", o, l, m, day, c, l, l,
			       amt / 100, (amt < 0 ? -amt : amt) % 100
			n++
		}
		refs[o % 1000] = "SO" sprintf("%07d", o)
	}
}' | sed 's/,-0\./,-0./' >invoices.csv
awk 'BEGIN { srand(8); print "payment_no,payment_date,customer_id,amount,reference"
	for (p = 1; p <= 200000; p++) {
		c = int(rand() * 5000) + 1; m = int(rand() * 12) + 1; day = int(rand() * 28) + 1
		ref = rand() < 0.5 ? sprintf("SO%07d", int(rand() * 330000) + 1) : ""
		printf "B%07d,2026-%02d-%02d,C%05d,%d.%02d,%s\n", p, m, day, c, int(rand() * 3000), int(rand() * 100), ref
	}
}' >payments.csv
wc -l invoices.csv payments.csv customers.csv
for r in aging open-items ledger balances dunning; do
	/usr/bin/time -v "$bin/receivables" -q -c customers.csv --payments payments.csv \
		--as-of 2026-12-31 --late-fee-rate 0.0005 --grace 5 --report $r invoices.csv \
		>out.csv 2>time.txt || { cat time.txt; exit 1; }
	printf '%-10s %8s rows  wall %s  peak RSS %s kB\n' $r "$(wc -l <out.csv)" \
		"$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)" \
		"$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)"
done

#!/bin/bash
# Two builds, the same outputs: every program run with the same options on the bench data
# (samples/gen -s 1, with rejects of every kind), then every output file, standard output,
# standard error and exit status compared byte for byte.  For a change that must not change
# behaviour (issue 14's re-cut): build the old tree somewhere, then
#
#   bash tests/bench/identical.sh OLD_BINDIR NEW_BINDIR [LINES]
#
# Workbooks are compared on their sheet XML (the zip's timestamps differ from run to run).
# Exit 0 when all agree, 1 with the differences listed otherwise.  Not part of make test:
# it needs a second build.
set -u
export LC_ALL=C.UTF-8 TZ=UTC
[ $# -ge 2 ] || { echo "usage: identical.sh OLD_BINDIR NEW_BINDIR [LINES]" >&2; exit 64; }
top=$(cd "$(dirname "$0")/../.." && pwd)
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd) n=${3:-100000}
gen=${GEN:-$top/build/normal/tests/gen}
[ -x "$gen" ] || { echo "identical.sh: build $gen first (make all)" >&2; exit 66; }
work=$(mktemp -d "${TMPDIR:-/tmp}/identical.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

mkdir "$work/data"
"$gen" -s 1 -n "$n" -o "$work/data" --errors 3 >/dev/null || exit 1
S=$top/samples
cp "$S"/accessorials.csv "$S"/complaint-categories.csv "$S"/calendar-2026.csv \
	"$S"/complaints.csv "$work/data/"

# Each step: a name and a command run in the data folder with $B the program folder.  Later
# steps read what earlier ones wrote (oi.csv, plan.csv, loads.csv): both builds get their
# own copy of the data and write there.
steps=(
	'oi|$B/order-intake -c customers.csv -p products.csv --rejects oi-rej.csv --summary oi-sum.csv --book-out oi-book.csv --date 2026-11-30 orders.csv -o oi.csv'
	'oi-strict|$B/order-intake -q --strict -v --price-tolerance 5 --lead-days 2 -c customers.csv -p products.csv orders.csv -o oi2.csv'
	'oi-excel|$B/order-intake -q --excel -c customers.csv -p products.csv orders.csv -o oi3.csv'
	'oi-earlier|$B/order-intake -q -c customers.csv -p products.csv --earlier 2026-11-29=oi.csv --book oi-book.csv orders.csv -o oi4.csv'
	'oi-shard|$B/order-intake -q --shard 2/3 -c customers.csv -p products.csv orders.csv -o oi5.csv'
	'dp|$B/dispatch-plan -v -R rates.csv --loads loads.csv --unplanned unpl.csv oi.csv -o plan.csv'
	'dp-used|$B/dispatch-plan -q -R rates.csv --used loads.csv --loads loads2.csv oi.csv -o plan2.csv'
	'fa|$B/freight-audit -v --plan loads.csv -R rates.csv --accessorials accessorials.csv --summary fa-sum.csv --unbilled fa-unb.csv --rejects fa-rej.csv bills.csv -o audit.csv'
	'fa-plan|$B/freight-audit -q --plan plan.csv -R rates.csv --billed audit.csv bills.csv -o audit2.csv'
	'mkbad|python3 -c "import csv, sys
r = list(csv.reader(open(\"plan.csv\", newline=\"\")))
for k, row in enumerate(r[1:], 1):
    if k % 50 == 0: row[13] = \"x\"
    if k % 70 == 0: row[8] = \"\"
    if k % 90 == 0: row[1] = \"2026-02-30\"
csv.writer(open(\"planbad.csv\", \"w\", newline=\"\")).writerows(r)"'
	'rc-bad|$B/receivables -c customers.csv --payments payments.csv --as-of 2026-12-31 --rejects rc-bad-rej.csv planbad.csv -o aging-bad.csv'
	'rc|$B/receivables -v -c customers.csv --payments payments.csv --as-of 2026-12-31 --rejects rc-rej.csv --payment-rejects rc-prej.csv plan.csv -o aging.csv'
	'rc-open|$B/receivables -q -c customers.csv --payments payments.csv --as-of 2026-12-31 --report open-items plan.csv -o open.csv'
	'rc-ledger|$B/receivables -q -c customers.csv --payments payments.csv --as-of 2026-12-31 --report ledger plan.csv -o ledger.csv'
	'rc-bal|$B/receivables -q -c customers.csv --payments payments.csv --as-of 2026-12-31 --report balances plan.csv -o bal.csv'
	'rc-dun|$B/receivables -q -c customers.csv --payments payments.csv --as-of 2026-12-31 --report dunning --late-fee-rate 0.0005 --grace 3 plan.csv -o dun.csv'
	'rc-stmt|$B/receivables -q -c customers.csv --payments payments.csv --as-of 2026-12-31 --report statement --from 2026-11-01 --to 2026-11-30 plan.csv -o stmt.csv'
	'oi-bal|$B/order-intake -q -c customers.csv -p products.csv -b bal.csv orders.csv -o oi6.csv'
	'cp|$B/complaints -c customers.csv --categories complaint-categories.csv --calendar calendar-2026.csv --as-of 2026-10-20 --orders plan.csv --loads loads.csv --rejects cp-rej.csv complaints.csv -o cp.csv'
	'cp-stats|$B/complaints -q -c customers.csv --categories complaint-categories.csv --as-of 2026-10-20 --report stats complaints.csv -o cp2.csv'
	'mg|$B/merge --sum 2 oi-sum.csv oi-sum.csv -o mg.csv'
	'rp|$B/report -o rp.xlsx --title T --totals --group-by customer_id --sum amount --chart bar plan.csv'
	'rp-pivot|$B/report -o rp2.xlsx --sheet A=plan.csv --sheet A=plan2.csv --sheet B=aging.csv --summary-of A --pivot customer_id:ship_date@week --sum amount'
	'rp-letter|$B/report -o rp3.xlsx --split-by customer_id --letter --pay-by 2027-01-10 --bank "Bank X" dun.csv'
)

run_build() {       # BINDIR DIR
	local B=$1 d=$2 s name cmd
	cp -r "$work/data" "$d"
	cd "$d" || exit 1
	for s in "${steps[@]}"; do
		name=${s%%|*} cmd=${s#*|}
		if [ "$name" = fa ] && [ ! -f bills.csv ]; then
			# bills from the first build's loads, so that both builds audit the same file
			cp "$work/bills.csv" bills.csv 2>/dev/null || awk -F, '
				NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
					print "carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount"; next }
				{ w = $c["weight_kg"]; f = $c["freight"]
				  d = "2026-12-01"; id = $c["shipment_id"]
				  if (NR % 7 == 0) f += 50; if (NR % 11 == 0) w = w * 1.1
				  if (NR % 13 == 0) d = "2026-13-01"; if (NR % 17 == 0) id = "X" NR
				  printf "%s,B%d,%s,%s,%.2f,%.2f\n", $c["carrier"], NR, d, id, w, f
				  if (NR % 19 == 0) printf "%s,B%d,%s,%s,%.2f,%.2f\n", $c["carrier"], NR, d, id, w, f }' \
				loads.csv >bills.csv
			cp bills.csv "$work/bills.csv"
		fi
		eval "$cmd" >"$name.stdout" 2>"$name.stderr"
		echo $? >"$name.status"
	done
	for x in *.xlsx; do
		[ -f "$x" ] || continue
		mkdir "$x.d" && (cd "$x.d" && unzip -q ../"$x" 'xl/worksheets/*' 'xl/sharedStrings.xml' \
			'xl/charts/*' 'xl/workbook.xml' 2>/dev/null)
		rm "$x"
	done
	sed -i "s|$B|BINDIR|g" ./*.stderr
	cd "$top" || exit 1
}

run_build "$old" "$work/old"
run_build "$new" "$work/new"
# a step that failed in both builds in the same way is still a broken comparison
bad=$(grep -lv '^0$' "$work"/new/*.status | sed 's|.*/||; s|\.status$||' | tr '\n' ' ')
[ -z "$bad" ] || echo "identical: note: steps with a nonzero exit: $bad" >&2
if diff -r "$work/old" "$work/new" >"$work/diff"; then
	echo "identical: $(ls "$work/old" | wc -l) files of ${#steps[@]} runs on $n lines agree"
	exit 0
fi
head -n 60 "$work/diff"
echo "identical: the builds differ" >&2
exit 1

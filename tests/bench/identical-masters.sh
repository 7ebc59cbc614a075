#!/bin/bash
# Two builds, the same diagnostics on bad master and reference files: identical.sh's
# runs read clean masters only, so this one spoils them.  Every file kind the loader of
# salesdesk(7) (Master files) reads — customers, products, balances, earlier lines,
# cancellations, the rate card, shipment ids (--used, --billed), plans of loads and of
# lines, accessorials, claims, categories, the calendar — is written in VARIANTS copies,
# each with random cells of random rows blanked or replaced by values every rule of the
# kind refuses or reads (signs, decimals, words, dates, ranges, overflow), rows doubled
# and fields dropped; each copy is given to the program that reads it under both builds,
# and standard output, standard error and the exit status are compared byte for byte.
# KEEP=1 keeps the work folder (its name is printed) to read the runs.
#
#   bash tests/bench/identical-masters.sh OLD_BINDIR NEW_BINDIR [VARIANTS]
#
# Exit 0 when all agree, 1 with the first differences.  Not part of make test.
set -u
export LC_ALL=C.UTF-8 TZ=UTC
[ $# -ge 2 ] || { echo "usage: identical-masters.sh OLD_BINDIR NEW_BINDIR [VARIANTS]" >&2; exit 64; }
top=$(cd "$(dirname "$0")/../.." && pwd)
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd) nv=${3:-12}
gen=${GEN:-$top/build/normal/tests/gen}
[ -x "$gen" ] || { echo "identical-masters.sh: build $gen first (make all)" >&2; exit 66; }
work=$(mktemp -d "${TMPDIR:-/tmp}/identical-masters.XXXXXX") || exit 1
trap '[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT
cd "$work" || exit 1

# clean inputs, made by the old build
"$gen" -s 2 -n 3000 -o . >/dev/null || exit 1
S=$top/samples
cp "$S"/accessorials.csv "$S"/complaint-categories.csv "$S"/calendar-2026.csv \
	"$S"/complaints.csv "$S"/balances.csv .
"$old"/order-intake -q -c customers.csv -p products.csv orders.csv -o oi.csv
"$old"/dispatch-plan -q -R rates.csv --loads loads.csv oi.csv -o plan.csv
awk -F, 'NR == 1 { print "shipment_id,hold_amount"; next } NR % 5 == 0 { print $1 ",12.50" }' \
	loads.csv >claims.csv
awk -F, 'NR == 1 { print "order_no,reason,line_no"; next } NR % 9 == 0 { print $1 ",重复," (NR % 2 ? $2 : "") }' \
	oi.csv >cancel.csv

# kind|clean file|command, FILE the spoilt copy
kinds=(
	'cust|customers.csv|order-intake -c FILE -p products.csv orders.csv'
	'prod|products.csv|order-intake -c customers.csv -p FILE orders.csv'
	'bal|balances.csv|order-intake -c customers.csv -p products.csv -b FILE orders.csv'
	'earlier|oi.csv|order-intake -c customers.csv -p products.csv --earlier 2026-11-01=FILE orders.csv'
	'cancel|cancel.csv|order-intake -c customers.csv -p products.csv --cancel FILE orders.csv'
	'rates|rates.csv|dispatch-plan -R FILE oi.csv'
	'used|loads.csv|dispatch-plan -R rates.csv --used FILE oi.csv'
	'loads|loads.csv|freight-audit --plan FILE -R rates.csv bills.csv'
	'lines|plan.csv|freight-audit --plan loads.csv --plan FILE -R rates.csv bills.csv'
	'plans|loads.csv|freight-audit --plan FILE --plan FILE -R rates.csv bills.csv'
	'acc|accessorials.csv|freight-audit --plan loads.csv -R rates.csv --accessorials FILE bills.csv'
	'claims|claims.csv|freight-audit --plan loads.csv -R rates.csv --claims FILE bills.csv'
	'billed|loads.csv|freight-audit --plan loads.csv -R rates.csv --billed FILE bills.csv'
	'fa-rates|rates.csv|freight-audit --plan loads.csv -R FILE bills.csv'
	'cat|complaint-categories.csv|complaints -c customers.csv --categories FILE --as-of 2026-10-20 complaints.csv'
	'cal|calendar-2026.csv|complaints -c customers.csv --categories complaint-categories.csv --calendar FILE --as-of 2026-10-20 complaints.csv'
)
awk -F, 'NR == 1 { print "carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount,accessorial_code,accessorial_amount"; next }
	{ printf "%s,B%d,2026-12-01,%s,%s,%s,%s,%s\n", $3, NR, $1, $9, $15, NR % 3 ? "" : "UNLOAD", NR % 3 ? "" : "150.00" }' \
	loads.csv >bills.csv

spoil() {   # CLEAN SEED OUT
	python3 - "$@" <<'PY'
import csv, random, sys
src, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(seed)
with open(src, newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:301]
vals = ['', '', 'x', '-1', '0', '1', '-0.01', '1.5', '1.23456', '12,345.00', '¥5',
        '99999999999999999999', '9223372036854775807', '922337203685477.58', '4000', '3650',
        '366', '365', '1000000', '1000001', '2026-02-30', '2026-11-30', '2026年1月2日',
        'FTL', 'ftl', '整车', 'LTL', '零担', 'XTL', 'active', 'blocked', 'inactive', 'yes',
        '是', '否', 'maybe', '休', '班', '调休', 'confirmed', 'held', '5%', '*', ' ']
spoilt = []
for r in body:
    x = rnd.random() * (1 if seed % 2 else 6)     # odd variants: many bad rows; even: few
    if x < 0.35:
        r = list(r)
        for _ in range(rnd.choice([1, 1, 2, 3])):
            r[rnd.randrange(len(r))] = rnd.choice(vals)
    elif x < 0.40 and spoilt:
        r = list(rnd.choice(spoilt))        # a key again
    elif x < 0.42:
        r = r[:-1]
    spoilt.append(r)
with open(out, 'w', newline='', encoding='utf-8') as f:
    csv.writer(f).writerows([head] + spoilt)
PY
}

fails=0 runs=0
for k in "${kinds[@]}"; do
	IFS='|' read -r name clean cmd <<<"$k"
	for v in $(seq 1 "$nv"); do
		spoil "$clean" "$v" "bad-$name-$v.csv" || exit 1
		c=${cmd//FILE/bad-$name-$v.csv}
		for b in old new; do
			B=${!b} o=$b-$name-$v
			eval "\$B/$c" >"$o.out" 2>"$o.err"
			echo $? >>"$o.err"
			sed -i "s|$B|BINDIR|g" "$o.err"
		done
		runs=$((runs + 1))
		if ! cmp -s {old,new}-$name-$v.out || ! cmp -s {old,new}-$name-$v.err; then
			fails=$((fails + 1))
			[ $fails -le 3 ] && { echo "differ: $name variant $v: $c"; diff {old,new}-$name-$v.err | head -10; }
		fi
	done
done
if [ $fails -eq 0 ]; then
	echo "identical-masters: $runs runs on spoilt master files agree"
	exit 0
fi
echo "identical-masters: $fails of $runs runs differ" >&2
exit 1

#!/usr/bin/env bash
# The desk over time, order lines (issue 15): 30 working days of salesdesk-daily over
# data from samples/gen (about 50 order lines a day, 2% of them bad), with the order
# book, the archive's confirmed lines and the credit check against the previous day's
# balances (BALANCES=previous, so that a payment releases a hold).  On the way: a day's
# file sent again the next day (every fifth day), a cancellation file (a whole order of
# the day and one held line of the book), a day run twice, and a missed day run late
# (then the day after it run again, salesdesk-daily(1)), a day without order files, and
# days 3-8 without the lanes to one city.  After every run:
#  - no order line (order_no, line_no) is planned on two days;
#  - received = shipped + open + cancelled + rejected, line by line: every keyed line
#    received is in exactly one of a plan, the latest order book (held, unplanned), the
#    book as cancelled, or only in the rejects;
#  - the ageing's invoiced total equals the amount of the distinct lines shipped (by the
#    as-of date);
#  - the mail says how many lines are open and since when;
#  - a day run twice gives byte-identical CSV files (the workbooks carry their creation
#    time unless SOURCE_DATE_EPOCH is set: report(1)).
# Needs: the five programs in $BINDIR, gen in $BUILD/tests, flock, base64, python3.
. "$(dirname "$0")/lib/desk.sh"
desk_setup desk-order-book salesdesk-book gen flock base64

"$BUILD"/tests/gen -s 15 -n 1500 --days 30 --start 2026-11-02 --errors 2 -o "$tmp/gen" ||
	{ echo "FAIL $name: gen"; exit 0; }
# the day's file of each order date, as the offices send them
awk -F, -v dir="$tmp/in" 'NR == 1 { head = $0; next }
	$3 ~ /^2026-1[12]-[0-9][0-9]$/ {
		f = dir "/" $3 ".csv"
		if (!(f in seen)) { seen[f] = 1; system("mkdir -p " dir); print head > f }
		print > f
	}' "$tmp/gen/orders.csv"
# shellcheck disable=SC2012
days=$(ls "$tmp/in" | sed 's/\.csv$//')
# days 3-8 without the lanes to 成都 (and any catch-all lane): its lines stay unplanned
# in the book until the lane is back
awk -F, '$3 != "成都" && $3 != "*"' "$tmp/gen/rates.csv" >"$tmp/rates-no-chengdu.csv"

cat >"$tmp/salesdesk.conf" <<EOF
CUSTOMERS=$tmp/gen/customers.csv
PRODUCTS=$tmp/gen/products.csv
RATES=$tmp/rates.csv
BALANCES=previous
PAYMENTS=$tmp/gen/payments.csv
ORDERS_DIR=$tmp/orders/\$DATE
BILLS_DIR=
OUTPUT_ROOT=$tmp/out
BINDIR=$tmp/bin
EOF

# The invariants over the archive, after a run of DATE.
cat >"$tmp/check.py" <<'EOF'
import csv, glob, os, sys
from decimal import Decimal as D
tmp, date = sys.argv[1], sys.argv[2]
out = os.path.join(tmp, "out")
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
days = sorted(d for d in os.listdir(out) if len(d) == 10 and d[4] == "-")
why = []
received = set()
for f in glob.glob(os.path.join(tmp, "orders", "*", "*.csv")):
    if os.path.basename(f).startswith("cancel"):
        continue
    if os.path.basename(os.path.dirname(f)) not in days:
        continue        # a day not run yet
    for r in rows(f):
        if r["order_no"].strip() and r["line_no"].strip():
            received.add((r["order_no"].strip(), r["line_no"].strip()))
shipped, amount = {}, {}
rejected = set()
for d in days:
    p = os.path.join(out, d, "plan.csv")
    if os.path.exists(p):
        for r in rows(p):
            k = (r["order_no"], r["line_no"])
            if k in shipped:
                why.append("%s/%s planned on %s and %s" % (k + (shipped[k], d)))
            shipped[k] = d
            amount[k] = (D(r["amount"]), r["ship_date"])
    p = os.path.join(out, d, "order-rejects.csv")
    if os.path.exists(p):
        for r in rows(p):
            if r["order_no"].strip() and r["line_no"].strip():
                rejected.add((r["order_no"].strip(), r["line_no"].strip()))
book = {}
books = [d for d in days if os.path.exists(os.path.join(out, d, "order-book.csv"))]
if books:
    for r in rows(os.path.join(out, books[-1], "order-book.csv")):
        k = (r["order_no"], r["line_no"])
        if k in book:
            why.append("%s/%s twice in the order book" % k)
        book[k] = r["state"]
for k in sorted(received):
    where = []
    if k in shipped:
        where.append("shipped")
    if book.get(k) in ("held", "unplanned"):
        where.append("open")
    if book.get(k) == "cancelled":
        where.append("cancelled")
    if not where and k in rejected:
        continue        # rejected only: refused, never confirmed
    if len(where) != 1:
        why.append("%s/%s: %s" % (k + ("+".join(where),)))
aging = os.path.join(out, date, "aging.csv")
if os.path.exists(aging):
    invoiced = sum(D(r["invoiced"]) for r in rows(aging))
    want = sum(a for a, ship in amount.values() if ship <= date)
    if invoiced != want:
        why.append("invoiced %s, distinct lines shipped by %s: %s" % (invoiced, date, want))
print("\n".join(why[:10]))
EOF

fails=0
run_day() {     # run_day DATE: the job, then the invariants
	local st msg
	"$job" --config "$tmp/salesdesk.conf" --date "$1" --dry-run >"$tmp/job.out" 2>&1
	st=$?
	if [ $st != 0 ] || [ -s "$tmp/job.out" ]; then
		echo "FAIL $name $1: exit $st: $(head -c 300 "$tmp/job.out")"
		fails=$((fails + 1))
		return
	fi
	msg=$("$PY" "$tmp/check.py" "$tmp" "$1" 2>&1)
	if [ -n "$msg" ]; then
		echo "FAIL $name $1: invariants:"
		say "$msg" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
}
say() {
	printf '%s\n' "$*"
}

i=0 prev='' missed='' held_cancelled=0 same=unknown quiet_day=
for d in $days; do
	i=$((i + 1))
	mkdir -p "$tmp/orders/$d"
	# day 20 no office sends a file: the book's open lines are still checked again
	if [ $i = 20 ]; then
		quiet_day=$d
	else
		cp "$tmp/in/$d.csv" "$tmp/orders/$d/orders.csv"
	fi
	# every fifth day an office sends yesterday's file again
	[ $((i % 5)) != 2 ] || [ -z "$prev" ] || cp "$tmp/in/$prev.csv" "$tmp/orders/$d/resent.csv"
	# day 6: a cancellation of a whole order of the day and of a held line of the book
	if [ $i = 6 ]; then
		o=$(awk -F, 'NR == 2 { print $1 }' "$tmp/in/$d.csv")
		{
			say 'order_no,line_no,reason'
			say "$o,,客户撤单"
			awk -F, 'NR > 1 && $11 == "held" { print $1 "," $2 ",信用问题取消"; exit }' \
				"$(ls -d "$tmp"/out/2*/order-book.csv | tail -n 1)"
		} >"$tmp/orders/$d/cancel-office.csv"
		held_cancelled=$(($(wc -l <"$tmp/orders/$d/cancel-office.csv") - 2))
	fi
	if [ $i -ge 3 ] && [ $i -le 8 ]; then
		cp "$tmp/rates-no-chengdu.csv" "$tmp/rates.csv"
	else
		cp "$tmp/gen/rates.csv" "$tmp/rates.csv"
	fi
	if [ $i = 14 ]; then            # missed: run late, after the next day
		missed=$d
		prev=$d
		continue
	fi
	run_day "$d"
	if [ -n "$missed" ]; then       # the missed day run late, then this day again
		run_day "$missed"
		run_day "$d"
		missed=''
	fi
	if [ $i = 10 ]; then            # the same day run twice: the same files
		(cd "$tmp/out/$d" && find . -path ./log -prune -o -type f \
			-name "*.csv" -exec md5sum {} + | sort -k 2) >"$tmp/first.md5"
		run_day "$d"
		(cd "$tmp/out/$d" && find . -path ./log -prune -o -type f \
			-name "*.csv" -exec md5sum {} + | sort -k 2) >"$tmp/second.md5"
		if cmp -s "$tmp/first.md5" "$tmp/second.md5"; then
			same=yes
		else
			same="no, $(diff "$tmp/first.md5" "$tmp/second.md5" | awk '/^>/ { printf " %s", $3 }')"
		fi
	fi
	prev=$d
done

n=$(say "$days" | wc -w)
cancelled=$(awk -F, 'NR > 1 && $11 == "cancelled"' "$tmp/out/$prev/order-book.csv" | wc -l)
resent=$(cat "$tmp"/out/*/order-rejects.csv | grep -c ',confirmed_earlier:2026-')
set -- $("$PY" - "$tmp/out" <<'EOF'
import csv, glob, os, sys
held, unplanned = set(), set()
n = m = 0
for d in sorted(glob.glob(os.path.join(sys.argv[1], "2*"))):
    plan = os.path.join(d, "plan.csv")
    if os.path.exists(plan):
        for r in csv.DictReader(open(plan, encoding="utf-8-sig")):
            n += (r["order_no"], r["line_no"]) in held
            m += (r["order_no"], r["line_no"]) in unplanned
    book = os.path.join(d, "order-book.csv")
    if os.path.exists(book):
        for r in csv.DictReader(open(book, encoding="utf-8-sig")):
            {"held": held, "unplanned": unplanned}.get(r["state"], set()).add(
                (r["order_no"], r["line_no"]))
print(n, m)
EOF
)
released=${1:-0} lane_planned=${2:-0}
# the last day's mail tells the desk how many lines are open and how old
mailed=$("$PY" - "$tmp/out/$prev/mail.eml" <<'EOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
body = next(p.get_content() for p in m.iter_parts() if p.get_content_type() == "text/plain")
print(next((l for l in body.splitlines() if l.startswith("订单执行台帐: 未结 ")), "none"))
EOF
)
case $mailed in
*"最早自 2026-"*" 天); 已取消 "*) ;;
*) fails=$((fails + 1)); echo "FAIL $name: the mail's order book line: $mailed" ;;
esac
# the day without order files checked the book's lines again (a header-only input)
[ -n "$quiet_day" ] && [ -f "$tmp/out/$quiet_day/orders.csv" ] &&
	[ -f "$tmp/out/$quiet_day/order-book.csv" ] ||
	{ fails=$((fails + 1)); echo "FAIL $name: $quiet_day, without order files, did not check the book"; }
if [ $fails = 0 ] && [ "$n" -ge 30 ] && [ "$same" = yes ] && [ "$cancelled" -gt 1 ] &&
	[ "$held_cancelled" = 1 ] && [ "$resent" -gt 0 ] && [ "$released" -gt 0 ] &&
	[ "$lane_planned" -gt 0 ]; then
	echo "ok $name ($n days: $resent lines sent again refused, $released held lines released and $lane_planned unplanned lines planned later, $cancelled cancelled, a re-run identical)"
else
	echo "FAIL $name: $fails days failed; $n days, re-run identical: $same, cancelled $cancelled (a held one: $held_cancelled), sent again refused $resent, held released $released, unplanned planned later $lane_planned"
fi

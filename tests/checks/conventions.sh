#!/usr/bin/env bash
# The conventions of SPEC §1, asserted for every program at once (STYLE §13): an unknown
# option is 64 with the token named and nothing on stdout; a missing file is 66; --version
# and --help answer on stdout with 0; a header-only stream through `-` works; a UTF-8
# BOM is dropped; output to /dev/full is 74 with a message; a closed pipe is a quiet 0.
# Each program gets a minimal valid invocation over small files made here.
set -u
BINDIR=${BINDIR:-$TOP/bin}
w=$(mktemp -d /tmp/salesdesk-conv.XXXXXX)
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
check() { if eval "$2"; then echo "ok conventions $1"; else echo "FAIL conventions $1"; fi; }

cat >customers.csv <<'CSV'
customer_id,customer_name,city,credit_limit,payment_terms_days
C1,客户一,上海,,30
CSV
cat >products.csv <<'CSV'
sku,product_name,list_price,unit_weight_kg,unit_volume_m3
S1,产品,10.00,2.5,0.01
CSV
cat >rates.csv <<'CSV'
carrier,mode,dest_city,fuel_pct,vehicle_type,capacity_kg,capacity_m3,trip_charge,vehicles,rate_per_kg,min_charge,kg_per_m3
顺丰,LTL,上海,,,,,,,1.20,50,
CSV
cat >payments.csv <<'CSV'
payment_no,payment_date,customer_id,amount
P1,2026-11-20,C1,5.00
CSV
awk 'BEGIN { print "order_no,order_date,customer_id,sku,qty";
	for (i = 1; i <= 30000; i++) print "O" i ",2026-11-02,C1,S1,1" }' >orders.csv
bin=$BINDIR
"$bin/order-intake" -c customers.csv -p products.csv orders.csv >plan-in.csv 2>/dev/null
[ -x "$bin/dispatch-plan" ] && "$bin/dispatch-plan" -R rates.csv --loads loads.csv plan-in.csv >plan.csv 2>/dev/null
cat >categories.csv <<'CSV'
category,department,response_days,resolve_days,callback_days
质量,质量部,1,5,3
CSV
awk 'BEGIN { print "complaint_no,received_at,customer_id,category,status";
	for (i = 1; i <= 30000; i++) print "K" i ",2026-11-02 09:00,C1,质量,受理" }' >complaints.csv
cat >bills.csv <<'CSV'
carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount
顺丰,B1,2026-11-05,SH20261103-0001,1.000,50.00
CSV

# Per program: the arguments before the input, and the input (a big one for the pipe test).
args() {
	case $1 in
	order-intake) echo "-c customers.csv -p products.csv" ;;
	dispatch-plan) echo "-R rates.csv" ;;
	freight-audit) echo "--plan loads.csv -R rates.csv" ;;
	receivables) echo "-c customers.csv --payments payments.csv --as-of 2026-11-30 --report open-items" ;;
	complaints) echo "-c customers.csv --categories categories.csv --as-of 2026-11-30" ;;
	report) echo "-o out.xlsx" ;;
	esac
}
input() {
	case $1 in
	order-intake) echo orders.csv ;;
	dispatch-plan|receivables) echo plan-in.csv ;;
	freight-audit) echo bills.csv ;;
	complaints) echo complaints.csv ;;
	report) echo orders.csv ;;
	esac
}

for p in order-intake dispatch-plan freight-audit receivables complaints report; do
	x=$bin/$p
	[ -x "$x" ] || continue
	[ $p = freight-audit ] && [ ! -s loads.csv ] && continue    # needs dispatch-plan's loads
	a=$(args $p)
	in=$(input $p)
	# unknown option: 64, the token named on stderr, stdout empty
	$x --no-such-option $a "$in" >out 2>err
	check "$p-unknown-option" '[ $? = 64 ] && grep -q -- "--no-such-option" err && [ ! -s out ]'
	$x -Z $a "$in" >out 2>err
	check "$p-unknown-short-option" '[ $? = 64 ] && grep -q -- "-Z" err && [ ! -s out ]'
	$x $a no-such-file.csv >out 2>err
	check "$p-missing-file-66" '[ $? = 66 ] && grep -q "no-such-file.csv" err'
	# an option that takes one value, given twice: 64, the option named (the second
	# value used to replace the first without a word)
	$x -d , -d , $a "$in" >out 2>err
	check "$p-single-option-twice" '[ $? = 64 ] && grep -q -- "--delimiter.*given twice" err && [ ! -s out ]'
	$x --version >out 2>err
	check "$p-version" '[ $? = 0 ] && grep -q "^$p (salesdesk) " out && [ ! -s err ]'
	$x --help >out 2>err
	check "$p-help" '[ $? = 0 ] && grep -q "^usage: $p" out && [ ! -s err ]'
	$x -h >out 2>err
	check "$p-h" '[ $? = 0 ] && grep -q "^usage: $p" out'
	# a stream from standard input through "-"
	$x $a - <"$in" >out 2>err
	check "$p-stdin-dash" '[ $? = 0 ]'
	# a UTF-8 BOM before the header is dropped: same result as without
	{ printf '\357\273\277'; cat "$in"; } >bom.csv
	if [ $p = report ]; then
		$x -o bom.xlsx bom.csv 2>err
		check "$p-bom-dropped" '[ $? = 0 ] && [ -s bom.xlsx ]'
	else
		$x $a bom.csv >out-bom 2>err-bom
		$x $a "$in" >out-plain 2>err-plain
		check "$p-bom-dropped" 'cmp -s out-bom out-plain'
	fi
	# a full disk: 74 and a message
	if [ $p != report ]; then
		timeout 60 $x $a "$in" >/dev/full 2>err
		check "$p-dev-full-74" '[ $? = 74 ] && grep -q "cannot write" err'
		# a reader that goes away: quiet 0
		timeout 60 $x $a "$in" 2>err | head -1 >/dev/null
		st=${PIPESTATUS[0]}
		check "$p-closed-pipe-quiet" '[ $st = 0 ] && [ ! -s err ]'
	fi
done

#!/usr/bin/env bash
# Scale-out (salesdesk(7), SCALE-OUT): 200,000 generated order lines of 14 days with
# every reason order-intake(1) rejects for but bad_encoding, after two earlier days'
# confirmations and an earlier day's order book, checked, planned, audited and aged by
# bin/salesdesk-parallel through GNU parallel in 1, 2, 3 and 7 parts and by
# bin/salesdesk-slurm as Slurm array jobs on a one-node cluster started here on 127.0.0.1
# (slurmctld, slurmd, munged, all stopped at the end): every file (confirmed lines,
# rejects, summary, the order book kept, plan, loads with the ids another run used
# skipped, unplanned; the audit of bills made from the loads, its rejects, the carriers'
# summary, the unbilled loads; the six receivables reports of the plan after an earlier
# plan, with the invoice and payment rejects) must be byte-identical to the single
# run's.  LINES= makes it another size.
set -u
export LC_ALL=C.UTF-8 TZ=UTC
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
BUILD=${BUILD:-$TOP/build/normal}
tmp=$(mktemp -d)
s=$tmp/slurm
# the daemons this script started, by the pid files they write (slurmd writes its own
# only once it has forked: read at the end, not at the start)
stop() {
	local d p i
	for d in slurmd slurmctld munged; do
		[ -f "$s/$d.pid" ] || continue
		p=$(cat "$s/$d.pid")
		kill "$p" 2>/dev/null
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	done
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap stop EXIT
[ -n "${KEEP:-}" ] && echo "tmp $tmp"
cd "$tmp" || exit 1

# ---- the data: gen's day, its balances, and the reasons gen does not make ----
"$BUILD/tests/gen" -n "${LINES:-200000}" --errors 3 -o d >/dev/null || { echo "FAIL scaleout gen"; exit 0; }
# balances of 60% of the limits: some customers run over on the day (credit_hold)
awk -F, 'NR == 1 { print "customer_id,open_balance"; next }
	$6 != "" { printf "%s,%d.00\n", $1, $6 * 0.6 }' d/customers.csv >d/balances.csv
printf '%s\n' 'order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,remark' \
	'X1,1,2026-11-02,C10001,10001,1,1.00,2026-11-03' \
	'X2,1,2026-11-02,C10001,10001,1,-1.00,2026-11-03,,' \
	'X3,1,2026-11-02,C10001,10001,99999999999999999999,,2026-11-03,,' \
	'X4,1,2026-11-02,C10001,10001,1,,2026-11-03,,"two
lines"' >d/extra.csv
# cancellations and two earlier days' confirmations (one changed: amended)
awk -F, 'NR == 1 { print "order_no,line_no,reason"; next } NR % 997 == 0 { print $1 "," $2 ",客户撤单" }' \
	d/orders.csv >d/cancel.csv
"$BINDIR/order-intake" -q -c d/customers.csv -p d/products.csv d/orders.csv 2>/dev/null |
	awk -F, 'NR == 1 || NR % 1009 == 0 { if (NR % 2018 == 0) $13 = $13 + 1; print }' OFS=, >d/earlier.csv
"$BINDIR/order-intake" -q -c d/customers.csv -p d/products.csv d/orders.csv 2>/dev/null |
	awk -F, 'NR == 1 || NR % 1013 == 0' >d/earlier0.csv
# the order book of an earlier day whose orders (every 40th line, renumbered) ran over
# their customers' balances: held lines that every part reads with --book
awk -F, 'NR == 1 || NR % 40 == 0 { if (NR > 1) $1 = "E" $1; print }' OFS=, d/orders.csv >d/day0.csv
"$BINDIR/order-intake" -q -c d/customers.csv -p d/products.csv -b d/balances.csv \
	--date 2026-11-01 --book-out d/book.csv -o /dev/null d/day0.csv
# bank receipts with bad rows: an unknown customer, a bad amount, a bad date
cp d/payments.csv d/pay.csv
printf '%s\n' 'HKX1,2026-11-20,C99999,100.00,' 'HKX2,2026-11-21,C10001,-5.00,' \
	'HKX3,2026-13-01,C10002,5.00,' >>d/pay.csv
cat >conf <<CONF
BIN=$BINDIR
CUSTOMERS=$tmp/d/customers.csv
PRODUCTS=$tmp/d/products.csv
BALANCES=$tmp/d/balances.csv
RATES=$tmp/d/rates.csv
ORDERS="$tmp/d/orders.csv $tmp/d/extra.csv"
CANCEL=$tmp/d/cancel.csv
EARLIER="2026-10-31=$tmp/d/earlier0.csv 2026-11-01=$tmp/d/earlier.csv"
BOOK=$tmp/d/book.csv
DATE=2026-11-02
BILLS=$tmp/d/bills.csv
USED=$tmp/d/used.csv
PAYMENTS=$tmp/d/pay.csv
PLANS=$tmp/d/plan0.csv
AS_OF=2027-01-31
REPORTS="aging open-items ledger balances dunning statement"
FROM=2026-11-01
TO=2026-11-30
CONF
# ids of another day's load list, which the plan skips
printf '%s\n' shipment_id SH20261103-0001 SH20261103-0005 SH20261110-0002 >d/used.csv

# ---- the single run ----
mkdir one
( . ./conf
  "$BIN/order-intake" -q -c "$CUSTOMERS" -p "$PRODUCTS" -b "$BALANCES" --cancel "$CANCEL" \
	--earlier "${EARLIER% *}" --earlier "${EARLIER#* }" --book "$BOOK" --date "$DATE" \
	--book-out one/intake-book.csv --rejects one/rejects.csv --summary one/summary.csv \
	-o one/confirmed.csv $ORDERS &&
  cd one &&
  "$BIN/dispatch-plan" -q -R "$RATES" --used "$USED" --loads loads.csv \
	--unplanned unplanned.csv -o plan.csv confirmed.csv ) || echo "FAIL scaleout single run"
# the carriers' bills of those loads: every 20th over the plan, every 31st billed twice,
# every 97th a shipment not planned, every 89th with a bad amount
awk -F, 'NR == 1 { print "carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount"; next }
	{ id = NR % 97 == 0 ? "SH-NOT-PLANNED-" NR : $1
	  amt = NR % 89 == 0 ? "12.345" : sprintf("%.2f", $15 + (NR % 20 == 0 ? 50 : 0))
	  printf "%s,B%07d,%s,%s,%s,%s\n", $3, NR, $2, id, $9, amt
	  if (NR % 31 == 0) printf "%s,B%07dX,%s,%s,%s,%s\n", $3, NR, $2, id, $9, amt }' \
	one/loads.csv >d/bills.csv
( . ./conf
  "$BIN/freight-audit" -q -R "$RATES" --plan "$tmp/one/loads.csv" --rejects one/audit-rejects.csv \
	--summary one/carriers.csv --unbilled one/unbilled.csv -o one/audit.csv $BILLS ) ||
	echo "FAIL scaleout single audit"
# an earlier plan: every 53rd line planned before, every other of them under another
# customer (an order line invoiced once, whoever it names), one without a customer, one
# with a bad amount
awk -F, 'NR == 1 { print; next } NR % 53 == 0 { if (NR % 106 == 0) $9 = "C10007"; print }
	END { c = $9; $9 = ""; print; $9 = c; $14 = "x"; print }' OFS=, one/plan.csv >d/plan0.csv
( . ./conf
  cd one &&
  for r in $REPORTS; do
	p="--report $r"
	[ "$r" != statement ] || p="$p --from $FROM --to $TO"
	"$BIN/receivables" -q -c "$CUSTOMERS" --payments "$PAYMENTS" --as-of "$AS_OF" $p \
		--rejects invoice-rejects.csv --payment-rejects payment-rejects.csv -o "$r.csv" \
		"$PLANS" plan.csv || exit 1
  done ) || echo "FAIL scaleout single receivables"
reasons=$(python3 -c 'import csv, sys
print(" ".join(sorted({r[-1].split(":")[0] for r in list(csv.reader(open(sys.argv[1])))[1:]})))' one/rejects.csv)
want="amended_after_confirmation bad_date bad_price bad_qty blocked_customer cancelled confirmed_earlier duplicate_line field_count inactive_sku inconsistent_order missing overflow price_deviation ship_before_order unknown_customer unknown_sku"
if [ "$reasons" = "$want" ] && grep -q ',credit_hold' one/confirmed.csv && grep -q ',no_rate$' one/unplanned.csv &&
	grep -q 'duplicate_bill' one/audit.csv && grep -q 'unplanned_shipment' one/audit.csv &&
	grep -q 'bad_amount' one/audit-rejects.csv && [ "$(wc -l <one/unbilled.csv)" -gt 1 ] &&
	! grep -q '^SH20261103-0001,' one/loads.csv && grep -q '^SH20261103-0002,' one/loads.csv &&
	grep -q ',held,' one/intake-book.csv && grep -q ',duplicate_line$' one/invoice-rejects.csv &&
	grep -q ',missing:customer_id$' one/invoice-rejects.csv &&
	grep -q ',unknown_customer$' one/payment-rejects.csv &&
	[ "$(wc -l <one/statement.csv)" -gt 100 ] && [ "$(wc -l <one/dunning.csv)" -gt 100 ]; then
	echo "ok scaleout data: every reason, credit holds, rows left unplanned, held in the book, receivables rejects"
else
	echo "FAIL scaleout data: reasons '$reasons', want '$want'"
fi

same() {        # same NAME DIR: DIR's files are the single run's
	local f bad=""
	for f in confirmed rejects summary intake-book plan loads unplanned audit audit-rejects \
		carriers unbilled aging open-items ledger balances dunning statement invoice-rejects \
		payment-rejects; do
		cmp -s "one/$f.csv" "$2/$f.csv" || bad="$bad $f"
	done
	if [ -z "$bad" ]; then echo "ok scaleout $1"; else echo "FAIL scaleout $1: differ:$bad"; fi
}

# ---- GNU parallel, on this machine's cores ----
if ! command -v parallel >/dev/null; then
	echo "FAIL scaleout parallel: GNU parallel is not installed (make deps)"
else
	for n in 1 2 3 7; do
		if "$TOP/bin/salesdesk-parallel" conf $n par$n 2>par$n.err; then
			same "parallel $n parts" par$n
		else
			echo "FAIL scaleout parallel $n parts: $(head -3 par$n.err)"
		fi
	done
fi

# ---- Slurm: a one-node cluster on 127.0.0.1, an array job per step ----
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	if sh "$TOP/tests/deps.sh" slurm-wlm munge >/dev/null 2>&1; then :; else
		echo "ok scaleout slurm # skipped: slurm-wlm and munge cannot be installed"
		exit 0
	fi
fi
mkdir -p "$s/state" "$s/spool" && chmod 700 "$s"
mungekey -c -k "$s/munge.key" &&
	munged -f --key-file="$s/munge.key" -S "$s/munge.sock" --log-file="$s/munged.log" \
		--pid-file="$s/munged.pid" --seed-file="$s/munged.seed" || echo "FAIL scaleout munged"
# ports of its own, so that a cluster of the machine's is left alone
port=$((20000 + $$ % 20000))
cat >"$s/slurm.conf" <<CONF
ClusterName=salesdesk-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$s/munge.sock
CredType=cred/munge
SlurmUser=$(id -un)
SlurmdUser=root
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$s/slurm.conf
slurmctld -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF" -N localhost || echo "FAIL scaleout slurm daemons"
i=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
	i=$((i + 1))
	[ $i -gt 60 ] && { echo "FAIL scaleout slurm: the node is not up: $(tail -3 "$s/slurmctld.log")"; exit 0; }
	sleep 1
done
if "$TOP/bin/salesdesk-slurm" conf 3 slurm3 2>slurm3.err; then
	same "slurm array job 3 parts" slurm3
else
	echo "FAIL scaleout slurm: $(head -3 slurm3.err)"
fi

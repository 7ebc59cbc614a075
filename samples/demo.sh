#!/bin/sh
# The whole desk on the samples, into out/: intake → plan → carriers' bills → audit →
# receivables → workbooks, then the daily cron job as a dry run.  Run by `make demo` as
#
#   BINDIR=$PWD/bin sh samples/demo.sh        (from the repository root)
#
# A program that is not built yet is reported and its step skipped, with the steps that
# need its output, so the demo runs at every stage of the project; a program that fails
# stops the demo with its name and a non-zero status.
set -eu
LC_ALL=C.UTF-8
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
BINDIR=${BINDIR:-$top/bin}
S=$top/samples
OUT=${OUT:-$top/out}
AS_OF=2026-12-31        # a month and a half after the fortnight: overdue buckets filled
PATH=$BINDIR:$PATH
export PATH BINDIR

step() { printf '== %s\n' "$*"; }
skip() { printf '   skipped %s: %s\n' "$1" "$2"; skipped="$skipped $1"; }
fail() { printf 'demo: %s failed (exit %s); its messages are in %s\n' "$1" "$2" "$3" >&2; exit "$2"; }
have() { [ -x "$BINDIR/$1" ]; }
# records of a CSV file (quoted newlines counted once), header excluded
rows() { awk '{ q += gsub(/"/, "\""); if (q % 2 == 0) n++ } END { print n - 1 }' "$1"; }
skipped=

rm -rf "$OUT"
mkdir -p "$OUT/log"

step "1. order-intake: the offices' order files (GB18030, BOM, Chinese headers) → orders.csv"
if have order-intake; then
	order-intake -c "$S/customers.csv" -p "$S/products.csv" -b "$S/balances.csv" \
		--rejects "$OUT/order-rejects.csv" --summary "$OUT/order-summary.csv" \
		-o "$OUT/orders.csv" "$S"/orders/*.csv 2>"$OUT/log/order-intake.err" ||
		fail order-intake $? "$OUT/log/order-intake.err"
	echo "   $(rows "$OUT/orders.csv") lines accepted, $(rows "$OUT/order-rejects.csv") rejected (reasons on stderr: $OUT/log/order-intake.err)"
else
	skip order-intake "not built yet ($BINDIR/order-intake)"
fi

step "2. dispatch-plan: trucks and LTL consignments per ship date and city → plan.csv, loads.csv"
if ! have dispatch-plan; then
	skip dispatch-plan "not built yet ($BINDIR/dispatch-plan)"
elif [ ! -f "$OUT/orders.csv" ]; then
	skip dispatch-plan "needs orders.csv from order-intake"
else
	dispatch-plan -R "$S/rates.csv" --loads "$OUT/loads.csv" --unplanned "$OUT/unplanned.csv" \
		-o "$OUT/plan.csv" "$OUT/orders.csv" 2>"$OUT/log/dispatch-plan.err" ||
		fail dispatch-plan $? "$OUT/log/dispatch-plan.err"
	echo "   $(rows "$OUT/loads.csv") loads for $(rows "$OUT/plan.csv") lines, $(rows "$OUT/unplanned.csv") unplanned"
fi

step "3. make-bills.sh: the carriers bill the plan's loads (with the usual mistakes) → bills/"
if [ ! -f "$OUT/loads.csv" ]; then
	skip make-bills "needs loads.csv from dispatch-plan"
else
	sh "$S/make-bills.sh" "$OUT/loads.csv" "$S/rates.csv" "$OUT/bills" 2>"$OUT/log/make-bills.err" ||
		fail make-bills.sh $? "$OUT/log/make-bills.err"
	echo "   $(ls "$OUT/bills" | wc -l) bill files"
fi

step "4. freight-audit: each bill row against the plan and the rate card → audit.csv"
if ! have freight-audit; then
	skip freight-audit "not built yet ($BINDIR/freight-audit)"
elif [ ! -d "$OUT/bills" ]; then
	skip freight-audit "needs the bills made from loads.csv"
else
	freight-audit --plan "$OUT/loads.csv" -R "$S/rates.csv" --accessorials "$S/accessorials.csv" \
		--unbilled "$OUT/unbilled.csv" --summary "$OUT/audit-summary.csv" \
		--rejects "$OUT/bill-rejects.csv" -o "$OUT/audit.csv" "$OUT"/bills/*.csv \
		2>"$OUT/log/freight-audit.err" || fail freight-audit $? "$OUT/log/freight-audit.err"
	n=$(awk -F, 'NR > 1 && /,exception,/ { n++ } END { print n + 0 }' "$OUT/audit.csv")
	echo "   $(rows "$OUT/audit.csv") bill rows, $n exceptions, $(rows "$OUT/unbilled.csv") loads not billed"
fi

step "5. receivables: invoices from the plan, bank receipts, ageing as of $AS_OF → aging.csv"
if ! have receivables; then
	skip receivables "not built yet ($BINDIR/receivables)"
elif [ ! -f "$OUT/plan.csv" ]; then
	skip receivables "needs plan.csv (what shipped) from dispatch-plan"
else
	for r in aging open-items balances; do
		receivables -c "$S/customers.csv" --payments "$S/payments.csv" --as-of "$AS_OF" \
			--report "$r" --rejects "$OUT/invoice-rejects.csv" \
			--payment-rejects "$OUT/payment-rejects.csv" -o "$OUT/$r.csv" "$OUT/plan.csv" \
			2>"$OUT/log/receivables-$r.err" || fail "receivables --report $r" $? "$OUT/log/receivables-$r.err"
	done
	n=$(awk -F, 'NR > 1 && /,yes,[-0-9.]*$/ { n++ } END { print n + 0 }' "$OUT/aging.csv")
	echo "   $(rows "$OUT/aging.csv") customers, $(rows "$OUT/open-items.csv") open invoices, $n over their credit limit"
fi

step "6. report: the workbooks"
if ! have report; then
	skip report "not built yet ($BINDIR/report)"
else
	wb() {  # wb NAME NEEDS... -- REPORT-ARGS: one workbook when its inputs exist
		name=$1; shift
		while [ "$1" != -- ]; do
			[ -f "$OUT/$1" ] || { skip "$name" "needs $1"; return 0; }
			shift
		done
		shift
		report -o "$OUT/$name" --author 销售内勤 --company 样例商贸有限公司 "$@" \
			2>"$OUT/log/$name.err" || fail "report -o $name" $? "$OUT/log/$name.err"
		echo "   $OUT/$name"
	}
	wb dispatch-sheet.xlsx plan.csv loads.csv -- --title "发货计划 (样例两周)" \
		--totals --labels zh --sheet 发货明细="$OUT/plan.csv" --sheet 装车单="$OUT/loads.csv" \
		--sheet 未排运="$OUT/unplanned.csv"
	wb weekly-shipments.xlsx plan.csv -- --title "发货周报表" --labels zh \
		--period ship_date:week --group-by dest_city --sum weight_kg,amount,planned_freight \
		--chart column --sheet 发货明细="$OUT/plan.csv"
	wb freight-audit.xlsx audit.csv -- --title "运费审核" --highlight status=exception \
		--labels zh --sheet 运费审核="$OUT/audit.csv" --sheet 承运商汇总="$OUT/audit-summary.csv" \
		--sheet 未开账单="$OUT/unbilled.csv"
	wb aging.xlsx aging.csv -- --title "账龄分析 $AS_OF" --totals --highlight over_limit=yes \
		--labels zh --sheet 账龄="$OUT/aging.csv" --sheet 未收明细="$OUT/open-items.csv"
	wb orders.xlsx orders.csv -- --title "订单接收" --labels zh \
		--sheet 订单="$OUT/orders.csv" --sheet 拒收="$OUT/order-rejects.csv" \
		--sheet 每日汇总="$OUT/order-summary.csv"
fi

step "7. salesdesk-daily --dry-run: the cron job on the samples; the mail it would send"
if [ -n "$skipped" ]; then
	skip salesdesk-daily "needs every step above (skipped:$skipped)"
else
	conf=$OUT/salesdesk.conf
	# the samples' config, with the demo's own bills and output folder
	{
		printf 'CONFIG_DIR=%s\n' "$S"
		cat "$S/salesdesk.conf"
		printf 'BILLS_DIR=%s\nOUTPUT_ROOT=%s\nAS_OF=%s\n' "$OUT/bills" "$OUT/daily" "$AS_OF"
	} >"$conf"
		"$top/bin/salesdesk-daily" --config "$conf" --date 2026-11-16 --dry-run ||
		fail salesdesk-daily $? "$OUT/daily"
	echo "   $OUT/daily/2026-11-16/ (workbooks, CSVs, logs) and the message: $OUT/daily/2026-11-16/mail.eml"
	# a Monday: the weekly documents of the week before (WEEKLY_DAY=1 in the samples' config)
	[ ! -d "$OUT/daily/2026-11-16/week" ] ||
		echo "   the week before's report (the office × day table, a chart beside it) and message (WEEKLY_DAY=1): $OUT/daily/2026-11-16/week/"
fi

echo
echo "Files in $OUT:"
for f in "$OUT"/*.csv; do
	[ -f "$f" ] && printf '   %-24s %7s rows\n' "${f#"$OUT"/}" "$(rows "$f")"
done
for f in "$OUT"/*.xlsx; do
	[ -f "$f" ] && printf '   %-24s %7s bytes\n' "${f#"$OUT"/}" "$(wc -c <"$f")"
done
if [ -n "$skipped" ]; then
	echo "Skipped:$skipped"
fi

#!/bin/sh
# Rebuilds the committed samples from gen and a few scripted hand edits, so that the
# files can be regenerated (and reviewed with git diff) instead of being patched by hand.
#
#   samples/make-samples.sh            (needs build/normal/tests/gen: make build/normal/tests/gen)
#
# The master files come from gen without errors; the orders and bank receipts from the
# same seed with 4% everyday errors, split into one file per office, plus the hand-made
# cases below that a random generator would rarely hit.  Bills need a dispatch plan and
# are made by make-bills.sh.
set -eu
LC_ALL=C.UTF-8
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
GEN=${GEN:-$here/../build/normal/tests/gen}
SEED=20261102
tmp=$(mktemp -d /tmp/salesdesk-samples.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$GEN" -s "$SEED" -n 1500 -o "$tmp/base"
"$GEN" -s "$SEED" -n 1500 --errors 4 -o "$tmp/err"
for f in customers products rates accessorials; do
	cp "$tmp/base/$f.csv" "$here/$f.csv"
done

# ---- orders: one file per office, as each office sends its own ----
rm -rf "$here/orders"
mkdir -p "$here/orders"
mkdir "$tmp/split" "$tmp/orders"
awk -v dir="$tmp/split" '
function office_file(o) {
	if (o == "上海办事处") return "shanghai"
	if (o == "杭州办事处") return "hangzhou"
	if (o == "南京办事处") return "nanjing"
	if (o == "济南办事处") return "jinan"
	if (o == "广州办事处") return "guangzhou"
	if (o == "北京办事处") return "beijing"
	if (o == "武汉办事处") return "wuhan"
	if (o == "成都办事处") return "chengdu"
	if (o == "西安办事处") return "xian"
	if (o == "沈阳办事处") return "shenyang"
	return "direct"            # no office: the customer ordered directly
}
# office is the 9th field; only the qty (6th) and remark (10th) fields can be quoted
function field9(s,    i, n, q, c) {
	n = 1; q = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\"") q = !q
		else if (c == "," && !q) { n++; if (n == 9) start = i + 1; if (n == 10) return substr(s, start, i - start) }
	}
	return ""
}
NR == 1 { next }
{ f = dir "/" office_file(field9($0)) ".csv"; print > f }
' "$tmp/err/orders.csv"

en='order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,remark'
zh='订单号,行号,订单日期,客户编号,产品编号,数量,单价,发货日期,办事处,备注'
for f in "$tmp"/split/*.csv; do
	name=${f#"$tmp"/split/}
	case $name in
	guangzhou.csv|chengdu.csv|shenyang.csv) hdr=$zh ;;
	*) hdr=$en ;;
	esac
	{ printf '%s\n' "$hdr"; cat "$f"; } >"$tmp/orders/$name"
done

# Shanghai: an order whose second line names another customer, a delivery remark with a
# line break inside the cell, a price written with ¥, a zero-padded quantity, an id with
# spaces around it, a ship date before the order date, and a blocked account ordering.
cat >>"$tmp/orders/shanghai.csv" <<'EOF'
SO2611060901,1,2026-11-06,C10004,00101,40,89.00,2026-11-07,上海办事处,"送货地址变更：
苏州工业园区星湖街328号，收货人王经理"
SO2611060901,2,2026-11-06,C10012,10118,25,78.00,2026-11-07,上海办事处,
SO2611060901,3,2026-11-06,C10004,20135,60,,2026-11-07,上海办事处,
SO2611090902,1,2026-11-09,C10004,30101,200,¥28.00,2026-11-08,上海办事处,发货日期填错
SO2611090902,2,2026-11-09, C10004 ,00118,007,76.00,2026-11-10,上海办事处,
SO2611120903,1,2026-11-12,C10008,00101,30,89.00,2026-11-13,上海办事处,账户已冻结仍下单
SO2611120903,2,2026-11-12,C10008,10101,50,55.00,2026-11-13,上海办事处,
EOF

# Wuhan: the same line keyed twice, and a blank line left in the sheet.
cat >>"$tmp/orders/wuhan.csv" <<'EOF'

SO2611100903,1,2026-11-10,C10006,00135,120,68.00,2026-11-11,武汉办事处,
SO2611100903,2,2026-11-10,C10006,10101,80,55.00,2026-11-11,武汉办事处,
SO2611100903,2,2026-11-10,C10006,10101,80,55.00,2026-11-11,武汉办事处,重复录入
EOF

# Shenyang writes dates the Chinese way.
awk -F, 'NR > 1 && NR % 5 == 0 && $3 ~ /^2026-11-[0-9][0-9]$/ {
	m = substr($3, 6, 2) + 0; d = substr($3, 9, 2) + 0
	$3 = "2026年" m "月" d "日"
}
{ print }' OFS=, "$tmp/orders/shenyang.csv" >"$tmp/shenyang.tmp" && mv "$tmp/shenyang.tmp" "$tmp/orders/shenyang.csv"

# Guangzhou saves "CSV UTF-8" from Excel: a byte order mark in front.
{ printf '\357\273\277'; cat "$tmp/orders/guangzhou.csv"; } >"$tmp/guangzhou.tmp" && mv "$tmp/guangzhou.tmp" "$tmp/orders/guangzhou.csv"

# Chengdu saves plain "CSV" from Excel on Chinese Windows: GB18030, CRLF, dates as
# 2026/11/3, and the empty rows at the bottom that Excel keeps as bare commas.
awk -F, 'NR > 1 {
	for (i = 3; i <= 8; i += 5)
		if ($i ~ /^2026-[01][0-9]-[0-3][0-9]$/)
			$i = "2026/" (substr($i, 6, 2) + 0) "/" (substr($i, 9, 2) + 0)
}
{ print }
END { print ",,,,,,,,,"; print ",,,,,,,,," }' OFS=, "$tmp/orders/chengdu.csv" |
	sed 's/$/\r/' | iconv -f UTF-8 -t GB18030 >"$tmp/chengdu.tmp" && mv "$tmp/chengdu.tmp" "$tmp/orders/chengdu.csv"

cp "$tmp"/orders/*.csv "$here/orders/"

# ---- open balances for the credit check: most customers well inside their limit, a
# few close to it (their next orders go on credit hold), one over it, two in credit ----
awk -F, '
function cents(s,    p) { split(s, p, "."); return p[1] * 100 + substr(p[2] "00", 1, 2) }
function money(c,    a) { a = c < 0 ? -c : c; return sprintf("%s%d.%02d", c < 0 ? "-" : "", int(a / 100), a % 100) }
FNR == 1 { file++; next }
file == 1 { limit[$1] = $6; ids[++n] = $1; next }
file == 2 { price[$1] = $4; next }
# what each customer orders in these two weeks, at list price
$6 ~ /^[0-9]+$/ && ($5 in price) { total[$4] += $6 * cents(price[$5]) }
END {
	print "customer_id,open_balance"
	for (i = 1; i <= n; i++) {
		id = ids[i]; t = total[id]
		if (limit[id] == "" || !t)
			continue
		lim = cents(limit[id])
		k++
		if (near < 4 && t >= 2000000 && t <= 12000000 && t < lim) {
			# so close to the limit that the later orders of the fortnight go on hold
			bal = lim - int(t * 0.6 / 10000) * 10000
			near++
		} else if (!over && k > 5 && t <= 2000000) {
			bal = lim + 1234500     # already over it: everything goes on hold
			over = 1
		} else if (credit < 2 && k > 3 && t > lim * 11 / 10) {
			# paid in advance (预收款) before this fortnight: all their orders pass the
			# credit check, and the ageing, which sees only this fortnight, shows them
			# over the limit
			bal = -(int((t - lim) / 1000000) + 1) * 1000000
			credit++
		} else if (k % 3 == 0 || t >= lim) {
			continue                # nothing open
		} else {
			bal = int((lim - t) * (10 + (k * 7) % 50) / 100 / 10000) * 10000 + (k * 7919) % 100000
		}
		print id "," money(bal)
	}
}' "$here/customers.csv" "$here/products.csv" "$tmp/err/orders.csv" >"$tmp/bal.csv"
{ head -n 1 "$tmp/bal.csv"; tail -n +2 "$tmp/bal.csv" | sort -t, -k1,1; } >"$here/balances.csv"

# ---- bank receipts: gen's, plus the cases a clerk meets every month ----
# The prepaid customers of balances.csv have stopped paying since: they stay over their
# limit and overdue in the ageing and the dunning letters.
awk -F, 'NR > 1 && $2 ~ /^-/ { print $1 }' "$here/balances.csv" >"$tmp/nonpayers"
{
	awk -F, 'FNR == NR { skip[$1] = 1; next } !($3 in skip)' "$tmp/nonpayers" "$tmp/err/payments.csv"
	cat <<'EOF'
HK2611200901,2026-11-20,C10004,10000.00,SO2611060901
HK2611250902,2026-11-25,C19999,8800.00,
HK2611270903,2026-11-27,C10006,0.00,SO2611100903
HK2611300904,2026-11-30,C10006,"¥12,000.00",SO2611100903
EOF
} | awk 'NR == 1 { print; next } { print | "sort -t, -k1,1" }' >"$here/payments.csv"

# ---- carriers' bills: they name the plan's shipment ids, so they need dispatch-plan;
# rerun this script whenever the planner changes how it loads the trucks ----
BINDIR=${BINDIR:-$here/../bin}
if [ -x "$BINDIR/order-intake" ] && [ -x "$BINDIR/dispatch-plan" ]; then
	(cd "$here" && "$BINDIR/order-intake" -q -c customers.csv -p products.csv \
		-b balances.csv -o "$tmp/intake.csv" orders/*.csv)
	"$BINDIR/dispatch-plan" -q -R "$here/rates.csv" --loads "$tmp/loads.csv" \
		-o "$tmp/plan.csv" "$tmp/intake.csv"
	rm -rf "$here/bills"
	sh "$here/make-bills.sh" "$tmp/loads.csv" "$here/rates.csv" "$here/bills"
else
	echo "make-samples.sh: no $BINDIR/dispatch-plan yet: bills/ left as they are" >&2
fi

#!/usr/bin/env bash
# salesdesk-daily end to end with a real local mail path: msmtp (the sendmail interface)
# delivers over SMTP to an aiosmtpd sink on 127.0.0.1 that this test starts, and Python's
# email package reads what arrived: the attachments must decode byte for byte to the
# workbooks on disk, the subject and the file names to their Chinese text, the body must
# carry the day's figures.  Then: a corrupt orders file fails the job at the intake step
# with nothing mailed, and a second run waits for the lock or refuses.
#
# Needs: the five programs in $BINDIR, bin/salesdesk-daily, msmtp, flock, base64, and
# /usr/bin/python3 with aiosmtpd (make deps installs them).  A missing one is a FAIL.
# Loopback only; the sink is killed on exit.
DATE=2026-12-15
. "$(dirname "$0")/lib/desk.sh"
desk_setup cron-mail salesdesk-cron msmtp flock base64 timeout py:aiosmtpd
BINDIR=$tmp/bin

# ---- the sink: aiosmtpd's Mailbox handler writes each message into a Maildir ----
desk_sink

# ---- the config: the samples, a bills folder, the sink's sendmail ----
mkdir -p "$tmp/bills"
cat >"$tmp/salesdesk.conf" <<EOF
S=$TOP/samples
CUSTOMERS=\$S/customers.csv
PRODUCTS=\$S/products.csv
RATES=\$S/rates.csv
ACCESSORIALS=\$S/accessorials.csv
BALANCES=\${TEST_BALANCES:-\$S/balances.csv}
PAYMENTS=\$S/payments.csv
ORDERS_DIR=\${TEST_ORDERS_DIR:-\$S/orders}
BILLS_DIR=$tmp/bills
AUDIT_PLAN=\${TEST_AUDIT_PLAN:-today}
AS_OF=$DATE
OUTPUT_ROOT=$tmp/out
BINDIR=$BINDIR
MAIL_TO='销售经理 <manager@example.com>'
MAIL_FROM='销售内勤 <desk@example.com>'
SUBJECT_PREFIX='[销售内勤]'
SENDMAIL="msmtp -C $tmp/msmtprc"
MAX_ATTACH_SIZE=\${TEST_MAX_ATTACH_SIZE:-10M}
LOCK_WAIT=\${TEST_LOCK_WAIT:-600}
EOF

messages() { find "$tmp/maildir/new" -type f 2>/dev/null | wc -l; }

# ---- 1. a dry run plans the day; the carriers bill its loads (two overcharged, one twice) ----
if "$job" --config "$tmp/salesdesk.conf" --date $DATE --dry-run >"$tmp/out1" 2>&1 &&
	[ ! -s "$tmp/out1" ] && [ -f "$tmp/out/$DATE/loads.csv" ] && [ "$(messages)" = 0 ]; then
	echo "ok cron-mail dry run: silent, no mail, outputs in the dated folder"
else
	echo "FAIL cron-mail dry run"; sed 's/^/    /' "$tmp/out1"
fi
awk -F, 'NR == 1 { print "carrier,bill_no,bill_date,shipment_id,billed_weight_kg,freight_amount"; next }
	NR > 40 { exit }
	{ amt = $15; if (NR == 5 || NR == 9) amt = sprintf("%.2f", amt + 300)   # an overcharge
	  line = sprintf("%s,ZD%04d,'$DATE',%s,%s,%s", $3, NR, $1, $9, amt); print line
	  if (NR == 7) { sub(/ZD0007/, "ZD0107", line); print line } }' \
	"$tmp/out/$DATE/loads.csv" >"$tmp/bills/bills.csv"

# ---- 2. the real run: mailed through msmtp to the sink ----
if "$job" --config "$tmp/salesdesk.conf" --date $DATE >"$tmp/out2" 2>&1 && [ ! -s "$tmp/out2" ]; then
	echo "ok cron-mail run: exit 0 and silent"
else
	echo "FAIL cron-mail run"; sed 's/^/    /' "$tmp/out2"
fi
"$PY" - "$tmp/maildir" "$tmp/out/$DATE" <<'EOF'
import email, email.policy, os, sys
box, day = sys.argv[1], sys.argv[2]
msgs = [open(os.path.join(box, "new", f), "rb").read() for f in os.listdir(os.path.join(box, "new"))]
def check(name, cond, why=""):
    print(("ok " if cond else "FAIL ") + "cron-mail " + name + ("" if cond else ": " + why))
check("one message delivered", len(msgs) == 1, "%d messages" % len(msgs))
if not msgs:
    sys.exit(0)
m = email.message_from_bytes(msgs[0], policy=email.policy.default)
subject = str(m["subject"])
check("subject decodes to Chinese", subject == "[销售内勤] 销售日报 2026-12-15", repr(subject))
check("sender and recipient names decode", str(m["from"]) == "销售内勤 <desk@example.com>"
      and str(m["to"]) == "销售经理 <manager@example.com>", "%s / %s" % (m["from"], m["to"]))
raw = msgs[0].decode("ascii", "replace")
check("the whole message is 7-bit", all(ord(c) < 128 for c in raw), "non-ASCII bytes")
lines = raw.split("\n")
check("encoded-word lines within 76 columns, all lines within 998",
      all(len(l) <= 76 for l in lines if "=?UTF-8?" in l) and all(len(l) <= 998 for l in lines),
      repr([l for l in lines if len(l) > 76 and "=?UTF-8?" in l][:3]))
check("multipart/mixed", m.get_content_type() == "multipart/mixed", m.get_content_type())
body, files = None, {}
for part in m.iter_parts():
    if part.get_content_type() == "text/plain":
        body = part.get_content()
    else:
        files[part.get_filename()] = (part.get_content_type(), part.get_payload(decode=True))
want = ["发货计划-2026-12-15.xlsx", "运费审核-2026-12-15.xlsx", "账龄分析-2026-12-15.xlsx"]
check("three attachments named in Chinese", sorted(files) == sorted(want), repr(sorted(files)))
xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
for name in want:
    if name not in files:
        continue
    ctype, data = files[name]
    enc = "filename*=UTF-8''" + "".join(c if c.isascii() and (c.isalnum() or c in "-.") else
                                        "".join("%%%02X" % b for b in c.encode()) for c in name)
    on_disk = open(os.path.join(day, name), "rb").read()
    check("attachment %s type" % name, ctype == xlsx, ctype)
    check("attachment %s is RFC 2231 encoded" % name, enc in raw, enc)
    check("attachment %s decodes byte for byte" % name, data == on_disk,
          "%d bytes, %d on disk" % (len(data or b""), len(on_disk)))
check("body has the figures", body is not None and all(k in body for k in
      ("订单:", "确认", "拒收", "发货:", "计划运费", "运费审核:", "逾期")), repr(body))
# the figures agree with the files on disk, added up here with Decimal
import csv
from decimal import Decimal as D
def rows(name):
    return list(csv.DictReader(open(os.path.join(day, name), encoding="utf-8")))
def yuan(d):
    return "{:,.2f}".format(d)
o, l, u = rows("order-summary.csv"), rows("loads.csv"), rows("unplanned.csv")
a, s = rows("aging.csv"), rows("audit-summary.csv")
want_lines = [
    "订单: %d 单; 确认 %d 行, 信用冻结 %d 行, 拒收 %d 行" % tuple(
        sum(int(r[k]) for r in o) for k in ("orders", "confirmed_lines", "held_lines", "rejected_lines")),
    "发货: %d 车/票, 计划运费 %s 元; 未排运 %d 行" % (len(l), yuan(sum(D(r["freight"]) for r in l)), len(u)),
    # issue 17: bills counted as bills (distinct bill numbers), lines as lines
    "运费审核: %d 张账单 (%d 行), 账单金额 %s 元, 核准 %s 元, 多收 %s 元, 异常 %d 行" % (
        len({r["bill_no"] for r in rows("audit.csv")}), sum(int(r["bills"]) for r in s), yuan(sum(D(r["billed_amount"]) for r in s)),
        yuan(sum(D(r["approved_amount"]) for r in s)), yuan(sum(D(r["overcharge_amount"]) for r in s)),
        sum(int(r["exceptions"]) for r in s)),
    "应收 (截至 2026-12-15): 未收 %s 元, 其中逾期 %s 元; 超信用额度客户 %d 家" % (
        yuan(sum(D(r["open_amount"]) for r in a)),
        yuan(sum(D(r["open_amount"]) - D(r["current"]) for r in a)),
        sum(r["over_limit"] == "yes" for r in a)),
]
for w in want_lines:
    check("body figure " + w.split(":")[0], body is not None and w in body.splitlines(), w + " not in " + repr(body))
check("the bills were audited", "张账单 (40 行)" in (body or "") and "异常 3 行" in (body or ""), repr(body))
check("the body does not end in a server path", body is not None and
      "/" not in body.rstrip().splitlines()[-3], repr(body))
EOF

# ---- 3. above MAX_ATTACH_SIZE a workbook stays on disk and the body says where ----
find "$tmp/maildir/new" -type f -delete
TEST_MAX_ATTACH_SIZE=50K "$job" --config "$tmp/salesdesk.conf" --date $DATE >"$tmp/out3" 2>&1
st=$?
"$PY" - "$tmp/maildir" "$tmp/out/$DATE" "$st" <<'EOF'
import email, email.policy, os, sys
box, day, st = sys.argv[1], sys.argv[2], sys.argv[3]
msgs = [open(os.path.join(box, "new", f), "rb").read() for f in os.listdir(os.path.join(box, "new"))]
ok = st == "0" and len(msgs) == 1
if ok:
    m = email.message_from_bytes(msgs[0], policy=email.policy.default)
    names = [p.get_filename() for p in m.iter_parts() if p.get_filename()]
    body = next(p.get_content() for p in m.iter_parts() if p.get_content_type() == "text/plain")
    big = "发货计划-2026-12-15.xlsx"
    ok = big not in names and ("已保存在 " + os.path.join(day, big)) in body and len(names) >= 1
print(("ok" if ok else "FAIL") + " cron-mail size limit: big workbook not attached, its path in the body")
EOF

# ---- 4. a corrupt orders file: non-zero, which step, nothing mailed, old day untouched ----
find "$tmp/maildir/new" -type f -delete
touch "$tmp/out/$DATE/marker"
mkdir -p "$tmp/bad-orders"
cp "$TOP"/samples/orders/*.csv "$tmp/bad-orders/"
printf 'SO1,1,2026-12-15,C10001,00101,"5\n' >>"$tmp/bad-orders/beijing.csv"   # unterminated quote
TEST_ORDERS_DIR=$tmp/bad-orders "$job" --config "$tmp/salesdesk.conf" --date $DATE >"$tmp/out4" 2>&1
st=$?
if [ $st != 0 ] && grep -q "step intake failed" "$tmp/out4" && [ "$(wc -l <"$tmp/out4")" = 1 ] &&
	[ "$(messages)" = 0 ] && [ -f "$tmp/out/$DATE/marker" ] &&
	[ -d "$tmp/out/$DATE.failed/log" ]; then
	echo "ok cron-mail corrupt orders: exit $st, one line naming the step, nothing mailed"
else
	echo "FAIL cron-mail corrupt orders (exit $st, $(messages) messages)"; sed 's/^/    /' "$tmp/out4"
fi

# ---- 5. the lock: while another holds it, a run waits LOCK_WAIT seconds then refuses ----
flock "$tmp/out/.salesdesk-daily.lock" sleep 4 &
holder=$!
sleep 0.5
start=$(date +%s)
TEST_LOCK_WAIT=1 "$job" --config "$tmp/salesdesk.conf" --date $DATE --dry-run >"$tmp/out5" 2>&1
st=$?
if [ $st = 75 ] && grep -q "another run holds the lock" "$tmp/out5" && [ $(($(date +%s) - start)) -ge 1 ]; then
	echo "ok cron-mail lock: a second run refuses after LOCK_WAIT (exit 75)"
else
	echo "FAIL cron-mail lock refuse (exit $st)"; sed 's/^/    /' "$tmp/out5"
fi
# and with a longer wait it runs once the holder is done
TEST_LOCK_WAIT=30 "$job" --config "$tmp/salesdesk.conf" --date $DATE --dry-run >"$tmp/out6" 2>&1
st=$?
if [ $st = 0 ] && ! kill -0 "$holder" 2>/dev/null && [ ! -s "$tmp/out6" ]; then
	echo "ok cron-mail lock: a second run waits for the first"
else
	echo "FAIL cron-mail lock wait (exit $st)"; sed 's/^/    /' "$tmp/out6"
fi
wait "$holder" 2>/dev/null

# ---- 6. two real runs started together: both succeed, one after the other ----
"$job" --config "$tmp/salesdesk.conf" --date $DATE --dry-run >"$tmp/out7a" 2>&1 &
a=$!
"$job" --config "$tmp/salesdesk.conf" --date $DATE --dry-run >"$tmp/out7b" 2>&1
stb=$?
wait $a
sta=$?
if [ $sta = 0 ] && [ $stb = 0 ] && [ ! -s "$tmp/out7a" ] && [ ! -s "$tmp/out7b" ] &&
	[ ! -e "$tmp/out/$DATE.tmp" ]; then
	echo "ok cron-mail concurrent runs serialise"
else
	echo "FAIL cron-mail concurrent runs ($sta, $stb)"; sed 's/^/    /' "$tmp/out7a" "$tmp/out7b"
fi

# ---- 7. the next day: its own orders, yesterday's loads audited, yesterday's balances for
# the credit check, and yesterday's plan still invoiced.  The bills folder is the same:
# sent again, every row of it is a duplicate_bill of yesterday's audit, approved 0.00 ----
mkdir -p "$tmp/next-orders"
printf 'order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,remark\nSO2612150001,1,2026-12-15,C10003,00101,10,,2026-12-15,,\n' \
	>"$tmp/next-orders/direct.csv"
TEST_ORDERS_DIR=$tmp/next-orders TEST_AUDIT_PLAN=previous TEST_BALANCES=previous \
	"$job" --config "$tmp/salesdesk.conf" --date 2026-12-16 --dry-run >"$tmp/out8" 2>&1
st=$?
"$PY" - "$tmp/out" "$st" <<'EOF'
import csv, os, sys
from decimal import Decimal as D
out, st = sys.argv[1], sys.argv[2]
def rows(day, name):
    return list(csv.DictReader(open(os.path.join(out, day, name), encoding="utf-8-sig")))
ok = st == "0"
if ok:
    first, again = rows("2026-12-15", "audit.csv"), rows("2026-12-16", "audit.csv")
    same_audit = len(again) == len(first) and all(
        "duplicate_bill" in r["flags"].split(";") and r["approved_amount"] == "0.00"
        for r in again) and [r["shipment_id"] for r in again] == [r["shipment_id"] for r in first]
    before = sum(D(r["invoiced"]) for r in rows("2026-12-15", "aging.csv"))
    after = sum(D(r["invoiced"]) for r in rows("2026-12-16", "aging.csv"))
    # the day's one order line, and the lines of 12-15's order book that pass the credit
    # check again with 12-15's balances (issue 15): each invoiced once, on top of before
    book = {(r["order_no"], r["line_no"]) for r in rows("2026-12-15", "order-book.csv")
            if r["state"] in ("held", "unplanned")}
    new = rows("2026-12-16", "plan.csv")
    keys = [(r["order_no"], r["line_no"]) for r in new]
    ok = same_audit and ("SO2612150001", "1") in keys and len(set(keys)) == len(keys) and \
        all(k in book for k in keys if k != ("SO2612150001", "1")) and \
        after == before + sum(D(r["amount"]) for r in new)
print(("ok" if ok else "FAIL") + " cron-mail next day: previous loads audited, bills sent again are duplicates, earlier plans invoiced")
EOF
[ $st = 0 ] || sed 's/^/    /' "$tmp/out8"

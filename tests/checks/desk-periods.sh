#!/usr/bin/env bash
# The period documents of salesdesk-daily(1) (issue 16, part 5): the job run day after day
# over eight weeks of generated orders (Monday 2026-10-19 to mid-December), mailed for
# real through msmtp to an aiosmtpd sink on 127.0.0.1, with WEEKLY_DAY=1, MONTHLY=yes and
# their own recipients.  Sunday 2026-11-01 is not a working day, so October's monthly
# documents come on Monday 2026-11-02; November's fail on Tuesday 2026-12-01 (report made
# to fail the statements) and come with the next run, 2026-12-02.  Checked:
#  - every weekly workbook's cross table (amount and weight grand totals) and its 产品
#    合计 equal the sum of the archive's daily plans' rows shipped in that ISO week; the
#    same for every monthly workbook and its month;
#  - beside each block of every cross table (amount, weight) a chart whose series are
#    the block's own cells: categories its offices, a series per day or week named by
#    its header cell; the period folder holds no other workbook (no separate chart);
#  - a weekly message on every Monday and on no other day, to WEEKLY_MAIL_TO; a monthly
#    one on 2026-11-02 and 2026-12-02 only, to MONTHLY_MAIL_TO; a daily one every day;
#  - each statement: opening + debits − credits = closing, closing = the ledger's
#    balance on the month's last day (receivables --report ledger), one sheet each;
#  - one arrears notice per customer with an invoice overdue on the month's last day;
#  - a failed weekly step (report made to fail) leaves the day's run silent and 0, its
#    daily mail saying what failed, and no weekly message; a re-run of the day makes
#    and mails it; a failed monthly step (its first workbook already made) leaves no
#    month folder, and the next run makes the month; a re-run of that run writes the
#    same period files.
# Prints one "ok NAME" or "FAIL NAME" line per check.
# Needs: the five programs in $BINDIR, build/.../tests/gen, msmtp, flock, base64, and
# /usr/bin/python3 with aiosmtpd and openpyxl (make deps installs them).
. "$(dirname "$0")/lib/desk.sh"
desk_setup desk-periods salesdesk-periods gen msmtp flock base64 py:aiosmtpd py:openpyxl
# report behind a wrapper that fails the workbook whose name holds FAIL_MATCH
mv "$tmp/bin/report" "$tmp/bin/report.real"
cat >"$tmp/bin/report" <<'EOF'
#!/bin/sh
if [ -n "${FAIL_MATCH:-}" ]; then
	case "$*" in *"$FAIL_MATCH"*) echo "report: simulated failure: No space left on device" >&2; exit 74 ;; esac
fi
exec "$(dirname "$0")/report.real" "$@"
EOF
chmod +x "$tmp/bin/report"

# ---- the data: eight weeks from Monday 2026-10-19; a third of the customers on 7 days'
# terms, so that some invoices fall overdue within a month ----
G=$tmp/gen IN=$tmp/in OUT=$tmp/out
"$BUILD/tests/gen" -s 16 -n 900 --days 56 --start 2026-10-19 -o "$G" >/dev/null ||
	{ echo "FAIL $name: gen"; exit 0; }
awk -F, -v OFS=, 'NR > 1 && NR % 3 == 0 { $7 = 7 } 1' "$G/customers.csv" >"$G/c" &&
	mv "$G/c" "$G/customers.csv"
# each working day (not Sunday): that day's orders, Sunday's with Monday's, one file per
# office, and the bank receipts to date
desk_day_folders "$G" "$IN"
desk_sink

export SOURCE_DATE_EPOCH=1795996800     # the workbooks' created time: a re-run compares
cat >"$tmp/salesdesk.conf" <<EOF
CUSTOMERS=$G/customers.csv
PRODUCTS=$G/products.csv
RATES=$G/rates.csv
BALANCES=previous
PAYMENTS=$IN/\$DATE/payments.csv
ORDERS_DIR=$IN/\$DATE/orders
OUTPUT_ROOT=$OUT
BINDIR=$tmp/bin
MAIL_TO='内勤 <desk@example.com>'
MAIL_FROM='销售内勤 <desk@example.com>'
SENDMAIL="msmtp -C $tmp/msmtprc"
WEEKLY_DAY=1
MONTHLY=yes
WEEKLY_MAIL_TO='销售经理 <manager@example.com>'
MONTHLY_MAIL_TO='销售副总 <vp@example.com>, finance@example.com'
RECEIVABLES_OPTS='--late-fee-rate 0.0005'
BANK_LINES='开户行: 中国工商银行成都分行
账号: 4402 2290 0910 0012 345'
EOF

fails=$tmp/fails
: >"$fails"
run() {         # run DAY: the job, mailed, silent and 0, or a failure line
	desk_run "$1"
}
fail_day=2026-11-23
for dir in "$IN"/*; do
	d=${dir##*/}
	if [ "$d" = $fail_day ]; then
		FAIL_MATCH=销售周报- run "$d"
		cp "$OUT/$d/mail.eml" "$tmp/failed-day.eml"
		ls "$tmp/maildir/new" >"$tmp/before-rerun"
		run "$d"                # the weekly documents come with the re-run
	elif [ "$d" = 2026-12-01 ]; then
		FAIL_MATCH=对账单- run "$d"
	else
		run "$d"
	fi
done
cp -r "$OUT/2026-12-02/month" "$tmp/first-month" 2>/dev/null
run 2026-12-02
ndays=0
for dir in "$OUT"/????-??-??; do ndays=$((ndays + 1)); done

if grep -q '^job ' "$fails"; then
	echo "FAIL $name every run silent and 0"; sed 's/^/    /' "$fails" | head -n 5
else
	echo "ok $name $ndays days mailed for real: every run silent and 0"
fi

"$PY" - "$OUT" "$tmp/maildir/new" "$tmp/failed-day.eml" "$tmp/before-rerun" "$fail_day" \
	"$tmp/bin/receivables" "$G/customers.csv" "$IN" <<'EOF'
import csv, datetime as dt, email, email.header, os, subprocess, sys
from decimal import Decimal as D
import openpyxl
out, maildir, failed_eml, before, fail_day, recv, customers, inp = sys.argv[1:9]
name = "desk-periods"
folders = sorted(d for d in os.listdir(out) if len(d) == 10 and d[4] == "-")
days = [dt.date.fromisoformat(d) for d in folders]

def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))

def result(ok, what, detail=()):
    print(("ok " if ok else "FAIL ") + name + " " + what)
    for line in ([] if ok else list(detail)[:8]):
        print("    " + str(line))

def body(path):
    m = email.message_from_binary_file(open(path, "rb"))
    return next(p for p in m.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()

def archive_sums(upto, first, last):
    """amount and weight of every plan row of the folders up to UPTO shipped FIRST..LAST"""
    a = w = D(0)
    n = 0
    for d in folders:
        if d > upto or not os.path.exists(os.path.join(out, d, "plan.csv")):
            continue
        for r in rows(os.path.join(out, d, "plan.csv")):
            if first <= r["ship_date"] <= last:
                a += D(r["amount"]); w += D(r["weight_kg"]); n += 1
    return n, a, w

def totals(path):
    """the cross table's grand totals (the 合计 rows' last cells, one per --sum) and the
    产品 sheet's 合计 amount"""
    wb = openpyxl.load_workbook(path)
    grand = [D(str([c for c in r if c is not None][-1])) for r in wb["汇总"].iter_rows(values_only=True)
             if r and r[0] == "合计"]
    prod = [D(str(r[4])) for r in wb["产品"].iter_rows(values_only=True) if r and r[0] == "合计"]
    coll = [(D(str(r[1])), D(str(r[2]))) for r in wb["回款与开票"].iter_rows(values_only=True)
            if r and r[0] == "合计"]
    return grand, prod, coll

def col_name(i):
    """column letters of 1-based column I (the cross tables are narrow: one or two)"""
    return (chr(64 + (i - 1) // 26) if i > 26 else "") + chr(65 + (i - 1) % 26)

def charts(path):
    """what is wrong with the charts of the cross table 汇总: one per block, beside it,
    its categories the block's offices, a series per period column named by its header
    cell, every reference to the block's own cells"""
    ws = openpyxl.load_workbook(path)["汇总"]
    grid = [[c.value for c in r] for r in ws.iter_rows()]
    heads = [i + 1 for i, r in enumerate(grid) if r and r[0] != "合计" and "合计" in r[1:]]
    tots = [i + 1 for i, r in enumerate(grid) if r and r[0] == "合计"]
    got = [[(s.tx.strRef.f, s.cat.strRef.f, s.val.numRef.f) for s in c.series] for c in ws._charts]
    want = []
    for h, t in zip(heads, tots):
        ncol = grid[h - 1].index("合计") - 1
        want.append([(f"'汇总'!${col_name(c)}${h}", f"'汇总'!$A${h + 1}:$A${t - 1}",
                      f"'汇总'!${col_name(c)}${h + 1}:${col_name(c)}${t - 1}")
                     for c in range(2, ncol + 2)])
    beside = all(c.anchor._from.col == grid[heads[0] - 1].index("合计") + 2 for c in ws._charts)
    return [] if got == want and len(want) == 2 and beside else [f"charts {got}", f"want {want}"]

def paid(day, first, last):
    """the bank receipts of the run of DAY dated FIRST..LAST"""
    return sum((D(r["amount"]) for r in rows(os.path.join(inp, day, "payments.csv"))
                if first <= r["payment_date"] <= last), D(0))

# ---- the weekly and monthly totals against the archive's daily plans ----
bad, bad_chart, periods = [], [], 0
for d in folders:
    for kind in ("week", "month"):
        folder = os.path.join(out, d, kind)
        if not os.path.isdir(folder):
            continue
        day = dt.date.fromisoformat(d)
        if kind == "week":
            first = day - dt.timedelta(days=day.isoweekday() + 6)
            last = first + dt.timedelta(days=6)
            wb = "销售周报-%d-W%02d.xlsx" % first.isocalendar()[:2]
        else:
            last = day.replace(day=1) - dt.timedelta(days=1)
            first = last.replace(day=1)
            wb = "销售月报-%s.xlsx" % first.strftime("%Y-%m")
        n, a, w = archive_sums(d, first.isoformat(), last.isoformat())
        grand, prod, coll = totals(os.path.join(folder, wb))
        p = paid(d, first.isoformat(), last.isoformat())
        periods += 1
        if n == 0 or grand != [a, w] or prod != [a] or coll != [(a, p)]:
            bad.append(f"{d} {wb}: archive {n} rows {a} / {w} kg, paid {p}; workbook {grand} {prod} {coll}")
        bad_chart.extend(f"{d} {wb}: {x}" for x in charts(os.path.join(folder, wb)))
        books = sorted(f for f in os.listdir(folder) if f.endswith(".xlsx"))
        if books != sorted([wb] + ([f"对账单-{first:%Y-%m}.xlsx", f"欠费通知单-{first:%Y-%m}.xlsx"]
                                   if kind == "month" else [])):
            bad_chart.append(f"{d} {kind}: workbooks {books}")
result(not bad and periods > 0, f"{periods} weekly and monthly cross tables, 产品 and 开票 totals = the archive's plans "
       "of the period, 回款 = the receipts dated in it", bad)
result(not bad_chart and periods > 0, f"{periods} cross tables with a chart beside each block (amount, weight), "
       "every series referring to the block's cells; no workbook of its own for a chart", bad_chart)

# ---- the messages: which day, which kind, to whom ----
msgs = {}
for f in sorted(os.listdir(maildir)):
    m = email.message_from_binary_file(open(os.path.join(maildir, f), "rb"))
    tag = m["Message-ID"].split(".")
    day, kind = tag[1], ("daily" if tag[2].isdigit() else tag[2])   # a job without periods
    subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
    to = str(email.header.make_header(email.header.decode_header(m["To"])))
    msgs.setdefault((day, kind), []).append((subject, to, f))
def day_of(s):
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
weekly = sorted(day_of(k[0]) for k in msgs if k[1] == "week")
monthly = sorted(day_of(k[0]) for k in msgs if k[1] == "month")
mondays = [d for d in days if d.isoweekday() == 1 and d > days[0]]
result(weekly == mondays and all(len(msgs[(d.strftime("%Y%m%d"), "week")]) == 1
                                 for d in weekly if d.isoformat() != fail_day),
       f"a weekly message on each of the {len(mondays)} Mondays after the first, on no other day",
       [f"weekly on {weekly}", f"Mondays {mondays}"])
want = [dt.date(2026, 11, 2), dt.date(2026, 12, 2)]
result(monthly == want, "a monthly message on the first run of each month only (2026-11-02, the 1st a Sunday; "
       "2026-12-02, the 1st's try failed)", [f"monthly on {monthly}"])
text = body(os.path.join(out, "2026-12-01", "mail.eml"))
result("销售月报 2026-11 未生成, 未发送: 步骤 month-statements 失败 (exit 74)" in text
       and not os.path.exists(os.path.join(out, "2026-12-01", "month")),
       "a failed monthly step: the daily mail says so, nothing half made is kept",
       [l for l in text.splitlines() if "月报" in l])
daily_ok = all((d.strftime("%Y%m%d"), "daily") in msgs for d in days)
result(daily_ok, "a daily message every day")
bad = []
for (day, kind), ms in msgs.items():
    for subject, to, f in ms:
        want_to = {"daily": "desk@example.com", "week": "manager@example.com", "month": "vp@example.com"}[kind]
        want_subj = {"daily": "销售日报", "week": "销售周报", "month": "销售月报"}[kind]
        if want_to not in to or want_subj not in subject or (kind != "month" and "finance@" in to) \
                or (kind != "daily" and "desk@" in to):
            bad.append(f"{day} {kind}: {subject} to {to}")
result(not bad, "each message to its own recipients with its own subject", bad)

# ---- the failed weekly step ----
text = body(failed_eml)
fd = fail_day.replace("-", "")
sent_before = set(open(before).read().split())
weekly_before = [f for s, t, f in msgs.get((fd, "week"), []) if f in sent_before]
result("未生成, 未发送: 步骤 week-report 失败 (exit 74)" in text and "销售日报" in text and not weekly_before
       and len(msgs.get((fd, "week"), [])) == 1,
       "a failed weekly step: the daily mail says so, no weekly message; the re-run mails it",
       [l for l in text.splitlines() if "周报" in l] + [f"weekly messages {msgs.get((fd, 'week'))}"])

# ---- statements and notices of each month ----
bad_stmt, bad_notice, nstmt, nnotice = [], [], 0, 0
for d in folders:
    folder = os.path.join(out, d, "month")
    if not os.path.isdir(folder):
        continue
    day = dt.date.fromisoformat(d)
    last = (day.replace(day=1) - dt.timedelta(days=1)).isoformat()
    label = last[:7]
    if not os.path.exists(os.path.join(folder, f"对账单-{label}.xlsx")):
        bad_stmt.append(f"{d}: a month folder without its statements")
        continue
    plans = [os.path.join(out, f, "plan.csv") for f in folders
             if f <= d and os.path.exists(os.path.join(out, f, "plan.csv"))]
    pay = os.path.join(inp, d, "payments.csv")
    ledger = subprocess.run([recv, "-q", "-c", customers, "--payments", pay, "--as-of", last,
                             "--report", "ledger"] + plans, capture_output=True, text=True).stdout
    bal = {}
    for r in csv.DictReader(ledger.splitlines()):
        if r["date"] <= last:
            bal[r["customer_id"]] = D(r["balance"])
    st = rows(os.path.join(folder, "statement.csv"))
    by = {}
    for r in st:
        by.setdefault(r["customer_id"], []).append(r)
    for c, rs in by.items():
        o, cl = rs[0], rs[-1]
        deb = sum((D(r["debit"] or 0) for r in rs[1:-1]), D(0))
        cre = sum((D(r["credit"] or 0) for r in rs[1:-1]), D(0))
        if o["doc_type"] != "opening" or cl["doc_type"] != "closing" or \
                D(o["balance"]) + deb - cre != D(cl["balance"]) or D(cl["balance"]) != bal.get(c, D(0)):
            bad_stmt.append(f"{label} {c}: opening {o['balance']} +{deb} -{cre} closing {cl['balance']} ledger {bal.get(c)}")
    sheets = openpyxl.load_workbook(os.path.join(folder, f"对账单-{label}.xlsx")).sheetnames
    if sorted(sheets) != sorted(by):
        bad_stmt.append(f"{label}: statement sheets {len(sheets)}, customers {len(by)}")
    nstmt += len(by)
    openitems = subprocess.run([recv, "-q", "-c", customers, "--payments", pay, "--as-of", last,
                                "--report", "open-items"] + plans, capture_output=True, text=True).stdout
    overdue = sorted({r["customer_id"] for r in csv.DictReader(openitems.splitlines())
                      if r["due_date"] < last and D(r["open_amount"]) > 0})
    notices = openpyxl.load_workbook(os.path.join(folder, f"欠费通知单-{label}.xlsx")).sheetnames
    if sorted(notices) != overdue:
        bad_notice.append(f"{label}: notices {sorted(notices)} overdue customers {overdue}")
    nnotice += len(notices)
result(not bad_stmt and nstmt > 0, f"{nstmt} statements: opening + debits − credits = closing = the ledger, one sheet each", bad_stmt)
result(not bad_notice and nnotice > 0, f"{nnotice} arrears notices: one per customer overdue on the month's last day", bad_notice)
EOF

# ---- a re-run of the first run of the month: the same period files ----
if diff -r -x mail.eml "$tmp/first-month" "$OUT/2026-12-02/month" >"$tmp/diff" 2>&1; then
	echo "ok $name 2026-12-02 run again: the same monthly files"
else
	echo "FAIL $name 2026-12-02 run again differs"; head -n 10 "$tmp/diff" | sed 's/^/    /'
fi

#!/usr/bin/env bash
# salesdesk-daily's complaint step (salesdesk-daily(1), complaints(1)), on the samples
# with --dry-run and the real programs:
#  - with COMPLAINTS set, the four reports and the rejects are in the dated folder, the
#    workbook 投诉跟踪-DATE.xlsx is attached, and the body has the 投诉 line with the
#    sample log's figures as of 2026-11-16 (6 open, 4 of them overdue; 2 call-backs due,
#    both overdue; 9 rows rejected);
#  - without it no complaint step runs and the log says so;
#  - COMPLAINTS without COMPLAINT_CATEGORIES is a configuration error (78).
# Needs: the six programs in $BINDIR, flock, base64 and /usr/bin/python3.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
job=$TOP/bin/salesdesk-daily
S=$TOP/samples
tools="order-intake dispatch-plan freight-audit receivables complaints report"
for t in $tools; do
	[ -x "$BINDIR/$t" ] || { echo "FAIL cron-complaints: missing $BINDIR/$t (make all)"; exit 0; }
done
tmp=$(mktemp -d /tmp/salesdesk-complaints.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"     # a copy of the programs: others may rebuild bin/ while this runs
for t in $tools; do cp "$BINDIR/$t" "$tmp/bin/$t"; done
check() { if eval "$2"; then echo "ok cron-complaints $1"; else echo "FAIL cron-complaints $1"; fi; }

conf() {        # conf FILE EXTRA: the sample configuration into OUTPUT_ROOT $tmp/out
	cat >"$1" <<CONF
CUSTOMERS=$S/customers.csv
PRODUCTS=$S/products.csv
RATES=$S/rates.csv
ACCESSORIALS=$S/accessorials.csv
BALANCES=$S/balances.csv
PAYMENTS=$S/payments.csv
ORDERS_DIR=$S/orders
BILLS_DIR=$S/bills
AUDIT_PLAN=today
OUTPUT_ROOT=$tmp/out
BINDIR=$tmp/bin
$2
CONF
}
conf "$tmp/with.conf" "COMPLAINTS=$S/complaints.csv
COMPLAINT_CATEGORIES=$S/complaint-categories.csv
CALENDAR=$S/calendar-2026.csv"
conf "$tmp/without.conf" ""
conf "$tmp/nocat.conf" "COMPLAINTS=$S/complaints.csv"

"$job" --config "$tmp/with.conf" --date 2026-11-16 --dry-run >"$tmp/out1" 2>"$tmp/err1"
st=$?
d=$tmp/out/2026-11-16
check "runs" '[ $st = 0 ] && [ ! -s "$tmp/err1" ]'
check "files" '[ -s "$d/complaints-open.csv" ] && [ -s "$d/complaints-callbacks.csv" ] &&
	[ -s "$d/complaints-claims.csv" ] && [ -s "$d/complaints-stats.csv" ] &&
	[ -s "$d/complaints-log.csv" ] &&
	[ -s "$d/complaint-rejects.csv" ] && [ -s "$d/投诉跟踪-2026-11-16.xlsx" ]'
/usr/bin/python3 - "$d/mail.eml" >"$tmp/mail" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
for part in m.iter_parts():
    if part.get_content_type() == "text/plain":
        print(part.get_content(), end="")
    else:
        print("ATTACHMENT", part.get_filename())
PY
check "mail-line" 'grep -qxF "投诉: 未结 6 件, 其中逾期 4 件; 待回访 2 件, 其中逾期 2 件; 登记有误 9 行" "$tmp/mail"'
check "mail-attachment" 'grep -qxF "ATTACHMENT 投诉跟踪-2026-11-16.xlsx" "$tmp/mail" &&
	grep -qxF "附件: 投诉跟踪-2026-11-16.xlsx" "$tmp/mail"'

"$job" --config "$tmp/without.conf" --date 2026-11-17 --dry-run >"$tmp/out2" 2>"$tmp/err2"
st=$?
d=$tmp/out/2026-11-17
check "unset-no-step" '[ $st = 0 ] && [ ! -e "$d/complaints-open.csv" ] &&
	grep -qxF "complaints, report-complaints: not run (COMPLAINTS is not set)" "$d/log/daily.log" &&
	! grep -q "投诉" "$d/mail.eml"'

"$job" --config "$tmp/nocat.conf" --date 2026-11-18 --dry-run >"$tmp/out3" 2>"$tmp/err3"
st=$?
check "needs-categories-78" '[ $st = 78 ] && grep -q "COMPLAINT_CATEGORIES is not set" "$tmp/err3"'

#!/usr/bin/env bash
# The mail's encoded headers with 4-byte characters (CJK Extension B 𠀀𪚥, emoji 📦) in the
# subject prefix and in the display names (salesdesk-daily(1), RFC 2047): the raw header
# lines are read, not only the decoded result, because a decoder glues a character split
# across two encoded words back together and hides the split.  For Subject, From and To:
#   - every physical line of the header is at most 76 columns;
#   - every encoded word decodes, alone, to whole UTF-8 characters;
#   - the header, unfolded and decoded, is the text configured.
# The job runs with --dry-run on the samples and writes mail.eml; nothing is sent.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BINDIR=${BINDIR:-$TOP/bin}
PY=/usr/bin/python3
tmp=$(mktemp -d /tmp/salesdesk-mailhdr.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/bin"
for t in order-intake dispatch-plan freight-audit receivables report; do
	if [ ! -x "$BINDIR/$t" ]; then
		echo "FAIL cron-mail-headers: $BINDIR/$t missing (make all)"
		exit 0
	fi
	cp "$BINDIR/$t" "$tmp/bin/$t"   # others may rebuild bin/ while this runs
done
S=$TOP/samples
prefix='[销售内勤📦𠀀]'
from='销售内勤部𪚥📦张三丰测试员 <desk@example.com>'
to='华东区销售经理𠀀😀李四 <sales-manager@example.com>, desk@example.com'
cat >"$tmp/salesdesk.conf" <<CONF
BINDIR=$tmp/bin
CUSTOMERS=$S/customers.csv
PRODUCTS=$S/products.csv
RATES=$S/rates.csv
ACCESSORIALS=$S/accessorials.csv
BALANCES=$S/balances.csv
ORDERS_DIR=$S/orders
BILLS_DIR=$S/bills
PAYMENTS=$S/payments.csv
OUTPUT_ROOT=$tmp/daily
MAIL_TO='$to'
MAIL_FROM='$from'
SUBJECT_PREFIX='$prefix'
AUDIT_PLAN=today
CONF
sh "$TOP/bin/salesdesk-daily" --config "$tmp/salesdesk.conf" --date 2026-12-31 --dry-run \
	>"$tmp/log" 2>&1
st=$?
eml=$tmp/daily/2026-12-31/mail.eml
if [ $st != 0 ] || [ ! -s "$eml" ]; then
	echo "FAIL cron-mail-headers: the dry run (exit $st) wrote no $eml"
	sed 's/^/    /' "$tmp/log"
	exit 0
fi

"$PY" - "$eml" "$prefix 销售日报 2026-12-31" "$from" "$to" <<'PY'
import base64, re, sys
eml, want = sys.argv[1], {"Subject": sys.argv[2], "From": sys.argv[3], "To": sys.argv[4]}
raw = open(eml, "rb").read().split(b"\n\n", 1)[0].decode("ascii").split("\n")
# the header fields as lists of physical lines (folded lines start with a space)
fields, cur = {}, None
for line in raw:
    if line[:1] in (" ", "\t") and cur:
        fields[cur].append(line)
    else:
        cur = line.split(":", 1)[0]
        fields[cur] = [line]
word = re.compile(r"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=")
for name, text in want.items():
    lines = fields.get(name)
    if not lines:
        print(f"FAIL cron-mail-headers {name}: no such header")
        continue
    long = [l for l in lines if len(l) > 76]
    print(("FAIL" if long else "ok") + f" cron-mail-headers {name}: {len(lines)} lines"
          f" within 76 columns" + (f" (longest {max(map(len, long))}: {long[0]})" if long else ""))
    split = []
    for b64 in word.findall("".join(lines)):
        try:
            base64.b64decode(b64).decode("utf-8")
        except UnicodeDecodeError:
            split.append(b64)
    print(("FAIL" if split else "ok") + f" cron-mail-headers {name}: every encoded word"
          " holds whole characters" + (f" (split in {split[0]})" if split else ""))
    # unfold (CRLF/LF + WSP), drop the white space between two adjacent encoded words
    value = "\n".join(lines).split(":", 1)[1].replace("\n", "").strip()
    value = re.sub(r"(\?=)\s+(=\?)", r"\1\2", value)
    got = word.sub(lambda m: base64.b64decode(m.group(1)).decode("utf-8", "replace"), value)
    got = re.sub(r",\s+", ", ", got)
    print(("ok" if got == text else "FAIL") + f" cron-mail-headers {name}: decodes to the"
          " configured text" + ("" if got == text else f" (got {got!r}, want {text!r})"))
PY

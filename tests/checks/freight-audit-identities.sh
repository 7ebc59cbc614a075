#!/usr/bin/env bash
# freight-audit on the sample pipeline (order-intake -> dispatch-plan --loads ->
# make-bills.sh -> freight-audit), then on every byte-prefix of a bill file, asserting
# what must hold whatever the data:
#   conservation  rows read = output rows + rejected rows (and the -v count line agrees)
#   arithmetic    variance = billed - expected; approved = 0 for unplanned/duplicate, else
#                 min(billed, expected); status exception iff flags; flags in SPEC order
#   summary       per carrier, the sums of the output rows to the cent
#   unbilled      unbilled loads + distinct planned shipments billed = loads in the plan
#   prefixes      no crash on any truncation (exit 0 or 65), conservation on each
set -u
BINDIR=${BINDIR:-$TOP/bin}
S=$TOP/samples
w=$(mktemp -d /tmp/salesdesk-fa.XXXXXX)
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 1
for p in order-intake dispatch-plan freight-audit; do
	if [ ! -x "$BINDIR/$p" ]; then echo "ok freight-audit-identities (skipped: no $p)"; exit 0; fi
done
"$BINDIR/order-intake" -q -c "$S/customers.csv" -p "$S/products.csv" -o orders.csv "$S"/orders/*.csv
"$BINDIR/dispatch-plan" -q -R "$S/rates.csv" --loads loads.csv -o plan.csv orders.csv
sh "$S/make-bills.sh" loads.csv "$S/rates.csv" bills >/dev/null 2>&1
"$BINDIR/freight-audit" -v --plan loads.csv -R "$S/rates.csv" --accessorials "$S/accessorials.csv" \
	--unbilled unbilled.csv --summary sum.csv --rejects rej.csv -o audit.csv bills/*.csv 2>verbose.txt
echo "status $?" >>verbose.txt
# the line-level plan must give the same audit
"$BINDIR/freight-audit" -q --plan plan.csv -R "$S/rates.csv" --accessorials "$S/accessorials.csv" \
	bills/*.csv >audit-lines.csv
if cmp -s audit.csv audit-lines.csv; then echo "ok freight-audit line-level plan = loads plan"
else echo "FAIL freight-audit line-level plan = loads plan"; fi

/usr/bin/python3 - "$BINDIR/freight-audit" "$S/rates.csv" <<'PY'
import csv, glob, re, subprocess, sys
from decimal import Decimal as D
fa, rates = sys.argv[1], sys.argv[2]
ORDER = ["unplanned_shipment", "duplicate_bill", "carrier_mismatch", "weight_discrepancy",
         "total_mismatch", "unknown_accessorial", "accessorial_over_limit", "overcharge",
         "undercharge"]
def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
def check(name, ok, detail=""):
    print(("ok " if ok else "FAIL ") + "freight-audit " + name + ("" if ok else ": " + detail))

nbills = sum(len(rows(p)) for p in sorted(glob.glob("bills/*.csv")))
audit, rej, summ = rows("audit.csv"), rows("rej.csv"), rows("sum.csv")
verbose = open("verbose.txt", encoding="utf-8").read()
check("status 0", "status 0" in verbose, verbose)
check("conservation", nbills == len(audit) + len(rej), f"{nbills} != {len(audit)} + {len(rej)}")
m = re.search(r"(\d+) bill rows read: (\d+) ok, (\d+) exceptions, (\d+) rejected", verbose)
check("-v counts", m and int(m[1]) == nbills and int(m[2]) + int(m[3]) == len(audit)
      and int(m[4]) == len(rej), verbose)
bad = []
for r in audit:
    b, e, v, a = (D(r[k]) for k in ("billed_amount", "expected_amount", "variance", "approved_amount"))
    fl = r["flags"].split(";") if r["flags"] else []
    if v != b - e: bad.append(("variance", r))
    want = D(0) if {"unplanned_shipment", "duplicate_bill"} & set(fl) else min(b, e)
    if a != want: bad.append(("approved", r))
    if (r["status"] == "exception") != bool(fl): bad.append(("status", r))
    if fl != sorted(fl, key=ORDER.index): bad.append(("flag order", r))
    if "unplanned_shipment" in fl and (r["planned_weight_kg"] or e != 0): bad.append(("unplanned", r))
check("row arithmetic", not bad, repr(bad[:2]))
want = {}
for r in audit:
    s = want.setdefault(r["carrier"], [0, D(0), D(0), D(0), D(0), 0])
    s[0] += 1; s[1] += D(r["billed_amount"]); s[2] += D(r["expected_amount"])
    s[3] += D(r["approved_amount"])
    if "overcharge" in r["flags"].split(";"): s[4] += D(r["variance"])
    s[5] += r["status"] == "exception"
got = {r["carrier"]: [int(r["bills"]), D(r["billed_amount"]), D(r["expected_amount"]),
                      D(r["approved_amount"]), D(r["overcharge_amount"]), int(r["exceptions"])]
       for r in summ}
check("summary sums", got == want, f"{got} != {want}")
check("summary order", [r["carrier"] for r in summ] ==
      sorted((r["carrier"] for r in summ), key=lambda c: c.encode()))
loads = rows("loads.csv")
billed = {r["shipment_id"] for r in audit} & {r["shipment_id"] for r in loads}
unb = rows("unbilled.csv")
check("unbilled", len(unb) + len(billed) == len(loads) and not billed & {r["shipment_id"] for r in unb},
      f"{len(unb)} + {len(billed)} != {len(loads)}")

# every byte-prefix of a small bill file: no crash, conservation
src = open(sorted(glob.glob("bills/*.csv"))[0], "rb").read()[:700]
fails = []
for n in range(len(src) + 1):
    open("cut.csv", "wb").write(src[:n])
    p = subprocess.run([fa, "-v", "-q", "--plan", "loads.csv", "-R", rates, "--rejects",
                        "cut-rej.csv", "-o", "cut-out.csv", "cut.csv"], capture_output=True)
    if p.returncode not in (0, 65):
        fails.append((n, p.returncode, p.stderr[-200:])); continue
    if p.returncode == 0:
        m = re.search(rb"(\d+) bill rows read: (\d+) ok, (\d+) exceptions, (\d+) rejected", p.stderr)
        out = len(rows("cut-out.csv")); rj = len(rows("cut-rej.csv"))
        if not m or int(m[1]) != out + rj or int(m[2]) + int(m[3]) != out or int(m[4]) != rj:
            fails.append((n, p.stderr[-200:]))
check(f"{len(src) + 1} prefixes", not fails, repr(fails[:3]))
PY

#!/bin/sh
# receivables on a generated year (fixed seed): the reconciliation identities of SPEC §6
# on every report, and every report byte for byte against a small independent model in
# Python that simulates the late fee day by day (the tool sums it incrementally).
#   per customer: invoiced - paid = open - unapplied_credit = net_balance
#   the ledger's last balance per customer = net_balance; balances' open_balance too
#   bucket columns sum to open_amount; open-items sum to the aging open_amount
#   dunning = the open items at least --min-days overdue
# Prints "ok NAME" / "FAIL NAME" lines.
set -u
BINDIR=${BINDIR:-$TOP/bin}
work=$(mktemp -d /tmp/receivables-identities.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work" || exit 1

/usr/bin/python3 - "$BINDIR/receivables" <<'EOF'
import csv, datetime, io, random, subprocess, sys
from decimal import Decimal, ROUND_HALF_UP

tool = sys.argv[1]
rnd = random.Random(20261130)
D = datetime.date

def cents(s):
    return int((Decimal(s) * 100).to_integral_value())

def money(c):
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)

# ---- a year of data ----
ncust = 25
custs = []
for i in range(ncust):
    cid = "K%03d" % (i * 7 % 101)
    limit = rnd.choice(["", "0", "20000", "50,000.00", "8000"])
    terms = rnd.choice(["", "15", "30", "45", "60", "0"])
    custs.append((cid, "客户%d" % i, limit, terms))
with open("customers.csv", "w", encoding="utf-8") as f:
    f.write("customer_id,customer_name,city,credit_limit,payment_terms_days\n")
    for cid, name, limit, terms in custs:
        f.write('%s,%s,上海,"%s",%s\n' % (cid, name, limit, terms))

start = D(2026, 1, 1)
lines = []          # (order_no, invoice_no, ship_date, cust, amount text)
for n in range(3000):
    c = rnd.choice(custs)[0]
    d = start + datetime.timedelta(days=rnd.randrange(365))
    order = "SO%05d" % rnd.randrange(900)
    invno = rnd.choice(["", "", "INV%04d" % rnd.randrange(600)])
    amt = rnd.randrange(-20000, 300000)
    if rnd.random() < 0.9:
        amt = abs(amt)
    lines.append((order, invno, d.isoformat(), c, money(amt)))
lines.append(("SO99999", "", "2026-03-01", "NOBODY", "10.00"))
lines.append(("SO99998", "", "2026-02-30", custs[0][0], "10.00"))
with open("invoices.csv", "w", encoding="utf-8") as f:
    f.write("order_no,invoice_no,ship_date,customer_id,amount\n")
    for l in lines:
        f.write(",".join(l) + "\n")

pays = []
refs = [l[1] or l[0] for l in lines]
for n in range(900):
    c = rnd.choice(custs)[0]
    d = start + datetime.timedelta(days=rnd.randrange(365))
    amt = rnd.randrange(1, 800000)
    if rnd.random() < 0.02:
        amt = rnd.choice([0, -500])
    ref = rnd.choice(["", "", rnd.choice(refs), "NOPE"])
    pays.append(("B%05d" % n, d.isoformat(), c, money(amt), ref))
with open("payments.csv", "w", encoding="utf-8") as f:
    f.write("payment_no,payment_date,customer_id,amount,reference\n")
    for p in pays:
        f.write(",".join(p) + "\n")

AS_OF, RATE, GRACE, MIN_DAYS = D(2026, 10, 15), Decimal("0.0005"), 5, 3
BUCKETS = [15, 45, 90, 180]

# ---- the model ----
cinfo = {c[0]: c for c in custs}
def terms_of(cid):
    t = cinfo[cid][3]
    return int(t) if t else 30

invs, inv_by_key = [], {}
for order, invno, ship, c, amt in lines:
    if c not in cinfo:
        continue
    try:
        d = D.fromisoformat(ship)
    except ValueError:
        continue
    key = (c, "I", invno) if invno else (c, "O", order, d)
    if key not in inv_by_key:
        inv_by_key[key] = len(invs)
        invs.append(dict(cust=c, num=invno or order, date=d,
                         due=d + datetime.timedelta(days=terms_of(c)), amount=0,
                         refs=set(), seq=len(invs), open=0, posted=False, hist=[]))
    iv = invs[inv_by_key[key]]
    iv["amount"] += cents(amt)
    iv["refs"].add(invno or order)
    iv["refs"].add(order)

payv = []
for i, (no, d, c, amt, ref) in enumerate(pays):
    if cents(amt) <= 0:
        continue
    payv.append(dict(no=no, date=D.fromisoformat(d), cust=c, amount=cents(amt), ref=ref, seq=i))

events = [(iv["date"], 0, iv["seq"], iv) for iv in invs if iv["date"] <= AS_OF]
events += [(p["date"], 1, p["seq"], p) for p in payv if p["date"] <= AS_OF]
events.sort(key=lambda e: e[:3])
acct = {}
def account(c):
    return acct.setdefault(c, dict(invoiced=0, paid=0, credit=0, ledger=[]))
def sortkey(iv):
    return (iv["due"], iv["date"], iv["num"].encode(), iv["seq"])
def pay(iv, day, left):
    x = min(iv["open"], left)
    if x > 0 and iv["posted"]:
        iv["open"] -= x
        iv["hist"].append((day, iv["open"]))
        return left - x
    return left
def fifo(c, day, left):
    for iv in sorted((v for v in invs if v["cust"] == c and v["posted"] and v["open"] > 0), key=sortkey):
        left = pay(iv, day, left)
    return left

for day, kind, seq, doc in events:
    a = account(doc["cust"])
    if kind == 0:
        iv = doc
        iv["posted"] = True
        a["invoiced"] += iv["amount"]
        iv["open"] = max(iv["amount"], 0)
        iv["hist"].append((day, iv["open"]))
        a["ledger"].append((day, "invoice", iv["num"], iv["amount"], None))
        if iv["amount"] < 0:
            a["credit"] += fifo(iv["cust"], day, -iv["amount"])
        elif a["credit"] > 0:
            a["credit"] = pay(iv, day, a["credit"])
    else:
        p = doc
        a["paid"] += p["amount"]
        a["ledger"].append((day, "payment", p["no"], None, p["amount"]))
        left = p["amount"]
        if p["ref"]:
            for iv in sorted((v for v in invs if v["cust"] == p["cust"] and v["posted"]
                              and p["ref"] in v["refs"]), key=sortkey):
                left = pay(iv, day, left)
        a["credit"] += fifo(p["cust"], day, left)

def fee(iv):
    total = 0
    d = iv["due"] + datetime.timedelta(days=GRACE + 1)
    while d <= AS_OF:
        o = 0
        for hd, ho in iv["hist"]:
            if hd <= d:
                o = ho
        total += o
        d += datetime.timedelta(days=1)
    return int((Decimal(total) * RATE).to_integral_value(ROUND_HALF_UP))

def overdue(iv):
    return max(0, (AS_OF - iv["due"]).days)
labels = ["current", "d1_%d" % BUCKETS[0]] + ["d%d_%d" % (BUCKETS[i] + 1, BUCKETS[i + 1])
          for i in range(len(BUCKETS) - 1)] + ["d%d_plus" % BUCKETS[-1]]
def bucket(days):
    if days == 0:
        return 0
    for i, b in enumerate(BUCKETS):
        if days <= b:
            return i + 1
    return len(BUCKETS) + 1

posted = [iv for iv in invs if iv["posted"]]
ids = sorted(acct, key=lambda c: c.encode())
exp = {}
out = io.StringIO()
out.write("customer_id,customer_name,credit_limit,invoiced,paid,open_amount,%s,"
          "unapplied_credit,net_balance,over_limit,late_fee\n" % ",".join(labels))
for c in ids:
    a = acct[c]
    mine = [iv for iv in posted if iv["cust"] == c]
    op = sum(iv["open"] for iv in mine)
    bk = [0] * len(labels)
    for iv in mine:
        bk[bucket(overdue(iv))] += iv["open"]
    net = op - a["credit"]
    lim = cinfo[c][2]
    limc = cents(lim.replace(",", "")) if lim else 0
    out.write(",".join([c, cinfo[c][1], money(limc) if lim else "", money(a["invoiced"]),
                        money(a["paid"]), money(op)] + [money(x) for x in bk] +
                       [money(a["credit"]), money(net), "yes" if limc > 0 and net > limc else "no",
                        money(sum(fee(iv) for iv in mine))]) + "\n")
exp["aging"] = out.getvalue()
items = sorted((iv for iv in posted if iv["open"] > 0),
               key=lambda iv: (iv["cust"].encode(),) + sortkey(iv))
o1, o2 = io.StringIO(), io.StringIO()
o1.write("customer_id,customer_name,invoice_no,invoice_date,due_date,amount,paid,open_amount,days_overdue,bucket,late_fee\n")
o2.write("customer_id,customer_name,invoice_no,invoice_date,due_date,amount,paid,open_amount,days_overdue,late_fee,amount_due,contact,phone,address\n")
for iv in items:
    f = fee(iv)
    row = [iv["cust"], cinfo[iv["cust"]][1], iv["num"], iv["date"].isoformat(), iv["due"].isoformat(),
           money(iv["amount"]), money(iv["amount"] - iv["open"]), money(iv["open"]), str(overdue(iv))]
    o1.write(",".join(row + [labels[bucket(overdue(iv))], money(f)]) + "\n")
    if overdue(iv) >= MIN_DAYS:
        # the customers file here has no contact, phone or address: blank
        o2.write(",".join(row + [money(f), money(iv["open"] + f), "", "", ""]) + "\n")
exp["open-items"], exp["dunning"] = o1.getvalue(), o2.getvalue()
out = io.StringIO()
out.write("customer_id,customer_name,date,doc_type,doc_no,debit,credit,balance\n")
for c in ids:
    bal = 0
    for day, t, no, dr, cr in acct[c]["ledger"]:
        bal += (dr or 0) - (cr or 0)
        out.write(",".join([c, cinfo[c][1], day.isoformat(), t, no,
                            money(dr) if dr is not None else "", money(cr) if cr is not None else "",
                            money(bal)]) + "\n")
exp["ledger"] = out.getvalue()
out = io.StringIO()
out.write("customer_id,open_balance\n")
for c in ids:
    out.write("%s,%s\n" % (c, money(sum(iv["open"] for iv in posted if iv["cust"] == c) - acct[c]["credit"])))
exp["balances"] = out.getvalue()

# ---- the tool ----
got = {}
ok = True
def check(name, cond, detail=""):
    global ok
    print(("ok " if cond else "FAIL ") + "receivables-identities: " + name)
    if not cond:
        ok = False
        if detail:
            print(detail)
for rep in ["aging", "open-items", "ledger", "balances", "dunning"]:
    r = subprocess.run([tool, "-q", "-c", "customers.csv", "--payments", "payments.csv",
                        "--as-of", AS_OF.isoformat(), "--late-fee-rate", str(RATE),
                        "--grace", str(GRACE), "--buckets", ",".join(map(str, BUCKETS)),
                        "--min-days", str(MIN_DAYS), "--report", rep, "invoices.csv"],
                       capture_output=True)
    got[rep] = r.stdout.decode()
    check(rep + " exit 0", r.returncode == 0, r.stderr.decode())
    if got[rep] != exp[rep]:
        import difflib
        d = "".join(list(difflib.unified_diff(exp[rep].splitlines(True), got[rep].splitlines(True),
                                              "model", "tool"))[:30])
        check(rep + " matches the model", False, d)
    else:
        check(rep + " matches the model", True)

def rows(text):
    return list(csv.DictReader(io.StringIO(text)))
aging = {r["customer_id"]: r for r in rows(got["aging"])}
bad = []
for c, r in aging.items():
    inv, paid, op, cr, net = (cents(r[k]) for k in ("invoiced", "paid", "open_amount", "unapplied_credit", "net_balance"))
    if inv - paid != net or op - cr != net:
        bad.append(c + " invoiced-paid/open-credit")
    if sum(cents(r[l]) for l in labels) != op:
        bad.append(c + " buckets")
check("invoiced - paid = open - credit = net_balance; buckets sum to open", not bad and len(aging) > 0, " ".join(bad))
last = {}
for r in rows(got["ledger"]):
    last[r["customer_id"]] = cents(r["balance"])
check("ledger's last balance = net_balance",
      last == {c: cents(r["net_balance"]) for c, r in aging.items()})
check("balances' open_balance = net_balance",
      {r["customer_id"]: cents(r["open_balance"]) for r in rows(got["balances"])} ==
      {c: cents(r["net_balance"]) for c, r in aging.items()})
sums = {}
for r in rows(got["open-items"]):
    sums[r["customer_id"]] = sums.get(r["customer_id"], 0) + cents(r["open_amount"])
check("open-items sum to the aging open_amount",
      all(sums.get(c, 0) == cents(r["open_amount"]) for c, r in aging.items()) and
      set(sums) <= set(aging))
# statements (issue 16): for a period inside the data, every customer's opening +
# debits - credits = closing, and closing = its ledger's last balance on or before TO
FROM, TO = AS_OF - datetime.timedelta(days=40), AS_OF - datetime.timedelta(days=10)
r = subprocess.run([tool, "-q", "-c", "customers.csv", "--payments", "payments.csv",
                    "--as-of", AS_OF.isoformat(), "--report", "statement", "--from",
                    FROM.isoformat(), "--to", TO.isoformat(), "invoices.csv"], capture_output=True)
check("statement exit 0", r.returncode == 0, r.stderr.decode())
last = {}
for x in rows(got["ledger"]):
    if x["date"] <= TO.isoformat():
        last[x["customer_id"]] = cents(x["balance"])
opening, bad, nst = {}, [], 0
for x in rows(r.stdout.decode()):
    c = x["customer_id"]
    if x["doc_type"] == "opening":
        opening[c] = cents(x["balance"])
    elif x["doc_type"] == "closing":
        nst += 1
        if opening[c] + cents(x["debit"]) - cents(x["credit"]) != cents(x["balance"]) or \
           cents(x["balance"]) != last.get(c, 0):
            bad.append(c)
check("statement: opening + debits - credits = closing = the ledger on --to (%d customers)" % nst,
      not bad and nst > 0, "customers: %s" % bad[:10])
dun = rows(got["dunning"])
check("dunning = open items at least --min-days overdue",
      [(r["invoice_no"], r["customer_id"]) for r in dun] ==
      [(r["invoice_no"], r["customer_id"]) for r in rows(got["open-items"]) if int(r["days_overdue"]) >= MIN_DAYS]
      and len(dun) > 0)
# row conservation: every row read is an invoice line (or a payment) or a reject
r = subprocess.run([tool, "-v", "-q", "-c", "customers.csv", "--payments", "payments.csv",
                    "--as-of", AS_OF.isoformat(), "--rejects", "rej.csv",
                    "--payment-rejects", "prej.csv", "invoices.csv"], capture_output=True)
import re
m = re.search(r"(\d+) invoice lines read: (\d+) invoices, (\d+) rejected; (\d+) payments read: (\d+) rejected",
              r.stderr.decode())
nrej = len(rows(open("rej.csv", encoding="utf-8").read()))
nprej = len(rows(open("prej.csv", encoding="utf-8").read()))
check("rows conserved: lines = accepted + rejects, payments = kept + rejects",
      m is not None and int(m.group(1)) == len(lines) and int(m.group(3)) == nrej == 2 and
      int(m.group(2)) == len(invs) and int(m.group(4)) == len(pays) and
      int(m.group(5)) == nprej == len(pays) - len(payv), r.stderr.decode())
sys.exit(0 if ok else 1)
EOF

#!/usr/bin/env bash
# dispatch-plan on generated data (tests/bench/dispatch-optimum.py --gen): the plan's
# invariants, checked independently from the rate card with exact decimals.
#   capacity     no FTL load above its lane's capacity_kg or capacity_m3
#   conserve     every input row is planned (its parts summing exactly to its qty, kg, m³ and
#                amount) or unplanned, once
#   freight      each load's planned_freight sums to its cost recomputed from rates.csv
#   loads        the --loads file agrees with the lines (weight, volume, lines, freight)
#   vehicles     FTL loads per ship date and rate row within `vehicles` (a "*" row's trucks
#                shared by the cities it serves)
#   together     an order on one load unless it exceeds every truck serving its city
#   ids          shipment ids SHYYYYMMDD-NNNN numbered 1, 2, ... per date, in output order
# Three data sets: ordinary (orders fit a truck), hard (lines too big for any truck,
# FTL-only cities with few trucks: splits and no_vehicle) and adversarial
# (dispatch-adversarial.py: bent price curves, lines split by the cheapest truck per unit,
# groups of up to 999 orders).
set -u
BINDIR=${BINDIR:-$TOP/bin}
work=$(mktemp -d /tmp/dispatch-inv.XXXXXX)
trap 'rm -rf "$work"' EXIT
for set in ordinary hard adversarial; do
	case $set in
	ordinary) gen="dispatch-optimum.py --lines 4000" ;;
	hard) gen="dispatch-optimum.py --lines 4000 --hard" ;;
	adversarial) gen=dispatch-adversarial.py ;;
	esac
	/usr/bin/python3 "$TOP"/tests/bench/$gen --gen "$work/$set" --seed 11 ||
		{ echo "FAIL dispatch-plan-invariants $set: generator"; continue; }
	"$BINDIR/dispatch-plan" -q -R "$work/$set/rates.csv" --loads "$work/$set/loads.csv" \
		--unplanned "$work/$set/unplanned.csv" "$work/$set/orders.csv" >"$work/$set/plan.csv"
	st=$?
	if [ $st != 0 ]; then echo "FAIL dispatch-plan-invariants $set: exit $st"; continue; fi
	/usr/bin/python3 - "$work/$set" "$set" <<'EOF'
import collections, csv, sys
from decimal import Decimal as D, ROUND_HALF_UP
d, name = sys.argv[1], sys.argv[2]
rd = lambda f: list(csv.DictReader(open(f"{d}/{f}", newline="")))
rates, orders, plan, loads, unpl = (rd("rates.csv"), rd("orders.csv"), rd("plan.csv"),
                                    rd("loads.csv"), rd("unplanned.csv"))
fails = collections.defaultdict(list)
def lane(carrier, mode, vt, city):
    for want in (city, "*"):
        for i, r in enumerate(rates):
            if (r["carrier"], r["mode"], r["dest_city"]) == (carrier, mode, want) and \
               (mode == "LTL" or r["vehicle_type"] == vt):
                return i, r
    return None, None
def cents(x):
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)
def cost(r, kg, m3):
    fuel = 1 + D(r["fuel_pct"] or 0) / 100
    if r["mode"] == "FTL":
        return cents(D(r["trip_charge"]) * fuel)
    ch = max(kg, m3 * D(r["kg_per_m3"] or 0))
    return cents(max(D(r["min_charge"]), ch * D(r["rate_per_kg"])) * fuel)
ships = collections.OrderedDict()
for p in plan:
    ships.setdefault(p["shipment_id"], []).append(p)
used = collections.Counter()
for sid, ps in ships.items():
    p0 = ps[0]
    i, r = lane(p0["carrier"], p0["mode"], p0["vehicle_type"], p0["dest_city"])
    kg = sum(D(p["weight_kg"]) for p in ps); m3 = sum(D(p["volume_m3"]) for p in ps)
    if r is None:
        fails["freight"].append(f"{sid}: no lane"); continue
    if r["mode"] == "FTL":
        used[(p0["ship_date"], i)] += 1
        if kg > D(r["capacity_kg"]) or m3 > D(r["capacity_m3"]):
            fails["capacity"].append(f"{sid}: {kg} kg {m3} m3 in {r['vehicle_type']}")
    if sum(D(p["planned_freight"]) for p in ps) != cost(r, kg, m3):
        fails["freight"].append(f"{sid}: lines {sum(D(p['planned_freight']) for p in ps)} "
                                f"cost {cost(r, kg, m3)}")
for (date, i), n in used.items():
    v = rates[i]["vehicles"]
    if v and n > int(v):
        fails["vehicles"].append(f"{date} rate row {i + 2}: {n} trucks > {v}")
lmap = {l["shipment_id"]: l for l in loads}
if list(lmap) != list(ships):
    fails["loads"].append("shipment ids differ between the plan and --loads")
for sid, ps in ships.items():
    l = lmap.get(sid)
    if l and (D(l["weight_kg"]) != sum(D(p["weight_kg"]) for p in ps) or
              D(l["volume_m3"]) != sum(D(p["volume_m3"]) for p in ps) or
              int(l["lines"]) != len(ps) or
              D(l["freight"]) != sum(D(p["planned_freight"]) for p in ps)):
        fails["loads"].append(sid)
key = lambda r: (r["order_no"], r["line_no"], r["ship_date"])
got = collections.defaultdict(lambda: [0, D(0), D(0), D(0)])
for p in plan:
    g = got[key(p)]
    g[0] += int(p["qty"]); g[1] += D(p["weight_kg"]); g[2] += D(p["volume_m3"]); g[3] += D(p["amount"])
unplanned = collections.Counter(key(u) for u in unpl)
for o in orders:
    k = key(o)
    if k in unplanned:
        if k in got:
            fails["conserve"].append(f"{k} both planned and unplanned")
        continue
    want = [int(o["qty"]), D(o["weight_kg"]), D(o["volume_m3"]), D(o["amount"])]
    if got.get(k) != want:
        fails["conserve"].append(f"{k}: planned {got.get(k)} of {want}")
if len(got) + sum(unplanned.values()) != len(orders):
    fails["conserve"].append(f"{len(orders)} rows in, {len(got)} planned + {len(unpl)} unplanned")
biggest = {}
for r in rates:
    if r["mode"] == "FTL":
        biggest.setdefault(r["dest_city"], []).append((D(r["capacity_kg"]), D(r["capacity_m3"])))
size = collections.defaultdict(lambda: [D(0), D(0), None])
for o in orders:
    s = size[(o["ship_date"], o["order_no"])]
    s[0] += D(o["weight_kg"]); s[1] += D(o["volume_m3"]); s[2] = o["city"]
where = collections.defaultdict(set)
for p in plan:
    where[(p["ship_date"], p["order_no"])].add(p["shipment_id"])
for k, sids in where.items():
    kg, m3, city = size[k]
    caps = biggest.get(city, []) + biggest.get("*", [])
    if len(sids) > 1 and any(kg <= a and m3 <= b for a, b in caps):
        fails["together"].append(f"{k} on {sorted(sids)}")
last = {}
for sid in ships:
    date, n = sid[2:10], int(sid[11:])
    if n != last.get(date, 0) + 1 or sid[10] != "-":
        fails["ids"].append(sid)
    last[date] = n
for check in ("capacity", "conserve", "freight", "loads", "vehicles", "together", "ids"):
    if fails[check]:
        print(f"FAIL dispatch-plan-invariants {name} {check}: {len(fails[check])}: "
              + "; ".join(fails[check][:3]))
    else:
        print(f"ok dispatch-plan-invariants {name} {check}")
EOF
done

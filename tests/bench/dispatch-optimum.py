#!/usr/bin/python3
"""dispatch-plan against the proven optimum (make bench; not part of make test).

Generates a rate card (about 35 cities: FTL lanes 4.2m-17.5m with vehicle limits, a
second FTL carrier on some cities, LTL lanes with minimum charges and volumetric factors,
a `*` LTL lane) and two weeks of confirmed order lines, runs dispatch-plan on them, then
solves every (ship_date, city) group exactly as a MIP with coinor-cbc through PuLP and
prints the plan's total freight against the optimum, the % gap and the share of groups at
the optimum.

    dispatch-optimum.py [--lines N]... [--seed S] [--time-limit SEC] [--jobs J]
    dispatch-optimum.py --gen DIR --lines N [--seed S]   (data only: DIR/rates.csv, DIR/orders.csv)

The MIP follows SPEC §4: orders are never split (the generator keeps every order within
the largest truck, so the rule "split only what does not fit" never applies), one binary
per (order, truck slot) and per (order, LTL lane), trucks per type limited by `vehicles`,
capacity in kg and m³ per truck, LTL cost = (1 + fuel) × max(min_charge × used,
rate × kg, rate × factor × m³) per lane — the max() is exact at the optimum because it is
minimised, and the min charge applies only when the lane is used (a binary).  One LTL
consignment per lane is no restriction: merging two consignments of one lane never costs
more.  Loads' costs are rounded to cents by dispatch-plan and not by the MIP, so a group
counts as at the optimum when it is within half a cent per load of it.

Time: the 2,000-line MIPs take about a minute on 2 CPUs, the 20,000-line ones about six
(tests/bench/run gives each script 150 s: BENCH_EXTRA_TIMEOUT=900 to see both).
"""
import argparse
import collections
import csv
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, ROUND_HALF_UP

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("BINDIR", os.path.join(TOP, "bin"))

TYPES = [  # vehicle type, capacity kg, capacity m3, base charge factor
    ("4.2m", 2000, 16, 1.00),
    ("6.8m", 8000, 38, 1.55),
    ("9.6m", 15000, 55, 2.25),
    ("13m", 28000, 80, 3.10),
    ("17.5m", 32000, 110, 3.70),
]


def gen(lines, seed, days=14, hard=False):
    rnd = random.Random(seed)
    cities = ["C%02d" % i for i in range(35)]
    rates = []
    head = ["carrier", "mode", "dest_city", "vehicle_type", "capacity_kg", "capacity_m3",
            "trip_charge", "vehicles", "rate_per_kg", "min_charge", "kg_per_m3", "fuel_pct"]
    rates.append(head)
    if not hard:  # hard: cities without an LTL lane, every truck type limited
        rates.append(["快运LTL", "LTL", "*", "", "", "", "", "", "0.45", "120", "250", "3"])
    for c in cities:
        dist = rnd.randint(150, 2500)
        base = 300 + dist * 0.55
        fuel = rnd.choice(["0", "3", "5", "6.5"])
        for vt, kg, m3, f in TYPES:
            if vt == "17.5m" and dist < 600:
                continue
            veh = ""
            if vt in ("13m", "17.5m") or hard:
                veh = str(rnd.randint(1, 3))
            elif vt == "9.6m" and rnd.random() < 0.3:
                veh = str(rnd.randint(1, 4))
            rates.append(["整车A", "FTL", c, vt, str(kg), str(m3), "%.2f" % (base * f), veh,
                          "", "", "", fuel])
        if rnd.random() < 0.4:  # a second carrier, fewer types, some cheaper
            for vt, kg, m3, f in TYPES[1:4]:
                rates.append(["整车B", "FTL", c, vt, str(kg), str(m3),
                              "%.2f" % (base * f * rnd.uniform(0.9, 1.1)),
                              str(rnd.randint(0, 2)), "", "", "", fuel])
        if rnd.random() < 0.6:
            per_kg = 0.12 + dist * 0.00045
            rates.append(["零担C", "LTL", c, "", "", "", "", "", "%.4f" % per_kg,
                          "%.2f" % rnd.choice([80, 150, 200, 300]),
                          rnd.choice(["", "200", "250", "333"]), fuel])
    orders = [["order_no", "line_no", "ship_date", "customer_id", "city", "sku", "qty",
               "weight_kg", "volume_m3", "amount", "status"]]
    weights = [rnd.uniform(0.3, 3) for _ in cities]
    n = 0
    o = 0
    while n < lines:
        o += 1
        day = 1 + rnd.randrange(days)
        city = rnd.choices(cities, weights)[0]
        nl = min(rnd.choice([1, 1, 2, 2, 3, 4, 5, 6]), lines - n)
        big = rnd.random() < 0.15
        okg = om3 = Decimal(0)
        for ln in range(1, nl + 1):
            uw = rnd.choice([0.5, 2.4, 6.0, 12.5, 18.0, 21.6, 40.0])
            dens = rnd.choice([120, 250, 400, 700])  # kg per m3
            qty = rnd.randint(1, (120 if big else 40) * (25 if hard and big else 1))
            kg = Decimal(str(uw)) * qty
            m3 = (kg / dens).quantize(Decimal("0.0001"))
            if not hard and (okg + kg > 26000 or om3 + m3 > 75):  # orders fit a truck
                break
            okg += kg
            om3 += m3
            orders.append(["SO%06d" % o, str(ln), "2026-%02d-%02d" % (11 + (day - 1) // 30, 1 + (day - 1) % 30), "K%04d" % (o % 500),
                           city, "P%03d" % rnd.randrange(300), str(qty), "%.3f" % kg,
                           "%.4f" % m3, "%.2f" % (qty * rnd.randint(10, 300)), "confirmed"])
            n += 1
    return rates, orders


def write(path, rows):
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def lanes_for(rates, city):
    """rates_find for every carrier/mode/vehicle type: the city's own row, else '*'."""
    head = rates[0]
    rows = [dict(zip(head, r)) for r in rates[1:]]
    keys = []
    for r in rows:
        k = (r["carrier"], r["mode"], r["vehicle_type"] if r["mode"] == "FTL" else "")
        if k not in keys:
            keys.append(k)
    out = []
    for k in keys:
        own = [r for r in rows if (r["carrier"], r["mode"], r["vehicle_type"] if r["mode"] == "FTL" else "") == k and r["dest_city"] == city]
        star = [r for r in rows if (r["carrier"], r["mode"], r["vehicle_type"] if r["mode"] == "FTL" else "") == k and r["dest_city"] == "*"]
        if own or star:
            out.append((own or star)[0])
    return out


def cents(x):
    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ftl_cost(lane):
    """A truck's freight as dispatch-plan charges it: the trip charge with fuel, in cents."""
    return float(cents(Decimal(lane["trip_charge"]) * (1 + Decimal(lane["fuel_pct"] or "0") / 100)))


def cbc_log(path):
    """The proven lower bound in CBC's summary at its end ("Lower bound:"), which a run
    stopped by its time limit still proves; None when there is none."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("Lower bound:"):
                    return float(line.split(":")[1])
    except OSError:
        pass
    return None


def solve_group(args):
    """The group's MIP.  Returns key, plan cost, CBC's best objective (None if none),
    status ("Optimal" only when proven), plan loads and the proven lower bound.

    Stronger than the plain slot model, for the mixed adversarial groups of 20-40 orders:
    the items are taken largest first and, per truck type, the s-th truck may only hold
    items from the s-th on among those it fits (number the used trucks of a type by their
    first item: truck s's first item is at least the s-th; this removes the trucks'
    permutations), trucks of a type are used in order, no more slots than the plan could
    pay for, and the plan's cost is CBC's cutoff (the plan is a solution within it)."""
    key, items, lanes, plan_cost, plan_loads, tlimit = args
    import pulp
    ftl = [l for l in lanes if l["mode"] == "FTL"]
    ltl = [l for l in lanes if l["mode"] == "LTL"]
    m = pulp.LpProblem("g", pulp.LpMinimize)
    n = len(items)
    big = [max(float(l["capacity_kg"]) for l in ftl) if ftl else 1.0,
           max(float(l["capacity_m3"]) for l in ftl) if ftl else 1.0]
    items = sorted(items, key=lambda it: -max(it[0] / big[0], it[1] / big[1]))
    cost = []
    assign = {i: [] for i in range(n)}
    for t, l in enumerate(ftl):
        c = ftl_cost(l)
        cap_kg, cap_m3 = float(l["capacity_kg"]), float(l["capacity_m3"])
        fit = [i for i, (kg, m3) in enumerate(items) if kg <= cap_kg and m3 <= cap_m3]
        veh = int(l["vehicles"]) if l["vehicles"] else n
        slots = min(veh, len(fit), int(plan_cost // c) if c > 0 else n)
        prev = None
        for s in range(slots):
            y = pulp.LpVariable("y_%d_%d" % (t, s), cat="Binary")
            cost.append(c * y)
            xs = []
            for i in fit[s:]:
                kg, m3 = items[i]
                x = pulp.LpVariable("x_%d_%d_%d" % (i, t, s), cat="Binary")
                m += x <= y
                xs.append((x, kg, m3))
                assign[i].append(x)
            m += pulp.lpSum(x * kg for x, kg, _ in xs) <= cap_kg * y
            m += pulp.lpSum(x * m3 for x, _, m3 in xs) <= cap_m3 * y
            if prev is not None:
                m += prev >= y
            prev = y
    for k, l in enumerate(ltl):
        u = pulp.LpVariable("u_%d" % k, cat="Binary")
        C = pulp.LpVariable("C_%d" % k, lowBound=0)
        zs = []
        for i in range(n):
            z = pulp.LpVariable("z_%d_%d" % (i, k), cat="Binary")
            m += z <= u
            zs.append(z)
            assign[i].append(z)
        rate = float(l["rate_per_kg"])
        fac = float(l["kg_per_m3"] or 0)
        m += C >= float(l["min_charge"]) * u
        m += C >= rate * pulp.lpSum(z * items[i][0] for i, z in enumerate(zs))
        if fac:
            m += C >= rate * fac * pulp.lpSum(z * items[i][1] for i, z in enumerate(zs))
        cost.append((1 + float(l["fuel_pct"] or 0) / 100) * C)
    for i in range(n):
        if not assign[i]:
            return key, plan_cost, None, "infeasible", plan_loads, None
        m += pulp.lpSum(assign[i]) == 1
    m += pulp.lpSum(cost)
    # loads are rounded to cents, the MIP is not: the plan costs at most this in its terms
    cutoff = plan_cost + 0.005 * max(plan_loads, 1) + 0.01
    fd, log = tempfile.mkstemp(prefix="cbc.", suffix=".log")
    os.close(fd)
    solver = pulp.COIN_CMD(path="/usr/bin/cbc", msg=0, timeLimit=tlimit, logPath=log,
                           options=["cutoff", "%.4f" % cutoff])
    m.solve(solver)
    low = cbc_log(log)
    os.unlink(log)
    status = pulp.LpStatus[m.status]
    # CBC stopped by the time limit with a solution still says "Optimal" in m.status;
    # only sol_status tells a proven optimum from the best found so far
    if status == "Optimal" and m.sol_status != pulp.LpSolutionOptimal:
        status = "Not proven"
    best = pulp.value(m.objective) if status in ("Optimal", "Not proven") else None
    if status == "Optimal":
        low = best
    return key, plan_cost, best, status, plan_loads, low


def run(lines, seed, tlimit, jobs, keep):
    rates, orders = gen(lines, seed)
    d = keep or tempfile.mkdtemp(prefix="dispatch-bench.")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "rates.csv"), rates)
    write(os.path.join(d, "orders.csv"), orders)
    loads_path = os.path.join(d, "loads.csv")
    t0 = time.perf_counter()
    r = subprocess.run([os.path.join(BIN, "dispatch-plan"), "-v", "-R", os.path.join(d, "rates.csv"),
                        "--loads", loads_path, "-o", os.path.join(d, "plan.csv"),
                        os.path.join(d, "orders.csv")], capture_output=True, text=True)
    el = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit("dispatch-plan failed: %s" % r.stderr)
    print("%d lines: dispatch-plan %.3f s; %s" % (lines, el, r.stderr.strip()), flush=True)
    plan = collections.defaultdict(Decimal)
    nloads = collections.Counter()
    with open(loads_path) as f:
        for row in csv.DictReader(f):
            plan[(row["ship_date"], row["dest_city"])] += Decimal(row["freight"])
            nloads[(row["ship_date"], row["dest_city"])] += 1
    groups = collections.defaultdict(lambda: collections.OrderedDict())
    for row in orders[1:]:
        g = groups[(row[2], row[4])]
        kg, m3 = g.get(row[0], (0.0, 0.0))
        g[row[0]] = (kg + float(row[7]), m3 + float(row[8]))
    lanes_cache = {}
    tasks = []
    for key, g in sorted(groups.items()):
        city = key[1]
        if city not in lanes_cache:
            lanes_cache[city] = lanes_for(rates, city)
        tasks.append((key, list(g.values()), lanes_cache[city], float(plan[key]), nloads[key], tlimit))
    t0 = time.perf_counter()
    with multiprocessing.Pool(jobs) as pool:
        res = pool.map(solve_group, tasks, chunksize=4)
    mip_time = time.perf_counter() - t0
    tot_plan = tot_opt = 0.0
    at_opt = unproven = 0
    worst = []
    for key, pc, opt, status, nl, _ in res:
        if opt is None:
            print("  group %s: MIP %s" % (key, status), flush=True)
            continue
        if status != "Optimal":
            unproven += 1
        tot_plan += pc
        tot_opt += opt
        if pc <= opt + 0.005 * max(nl, 1) + 1e-6:
            at_opt += 1
        else:
            worst.append((pc - opt, key, pc, opt))
    worst.sort(reverse=True)
    gap = 100.0 * (tot_plan - tot_opt) / tot_opt if tot_opt else 0.0
    print("  groups %d (MIP not proven within %ss: %d), MIP time %.1f s" %
          (len(res), tlimit, unproven, mip_time), flush=True)
    print("  plan freight %.2f, optimum %.2f, gap %.3f%%, groups at the optimum %d/%d (%.1f%%)" %
          (tot_plan, tot_opt, gap, at_opt, len(res), 100.0 * at_opt / max(len(res), 1)),
          flush=True)
    for diff, key, pc, opt in worst[:5]:
        print("    above: %s %s plan %.2f optimum %.2f (+%.2f)" % (key[0], key[1], pc, opt, diff), flush=True)
    return gap


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, action="append")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--time-limit", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--hard", action="store_true",
                    help="with --gen: orders and lines too big for any truck (splits)")
    ap.add_argument("--gen")
    ap.add_argument("--keep")
    a = ap.parse_args()
    lines = a.lines or [2000, 20000]
    if a.gen:
        rates, orders = gen(lines[0], a.seed, a.days, a.hard)
        os.makedirs(a.gen, exist_ok=True)
        write(os.path.join(a.gen, "rates.csv"), rates)
        write(os.path.join(a.gen, "orders.csv"), orders)
        return
    for n in lines:
        run(n, a.seed, a.time_limit, a.jobs, a.keep)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""dispatch-plan on an adversarial set, against the optimum (make bench; not make test).

Not the samples: rate cards and orders built to break a planner's habits.

  mixed     per city 2-3 FTL carriers, each with its own curve: a random price factor
            per truck size, so that the cost per kg and per m³ is not monotone in size;
            `vehicles` limits that bind (1-3 trucks of some types); an LTL lane on half the
            cities, dear or cheap; goods light-and-bulky (60-150 kg/m³) or heavy-and-dense
            (800-2500 kg/m³) per city; orders from a tenth of a small truck to several of
            the largest trucks' worth (their lines then load separately).  Groups of 5 to
            40 orders, compared with the MIP optimum (CBC, as dispatch-optimum.py); where
            CBC does not prove it within --time-limit, with the better of its bound and
            the column-generation bound of dispatch-bound.py (--cg-time), which is strong
            where CBC's is weak (groups of 30-40 orders); a plan either finds at that
            bound proves the optimum.
  bigline   one line of light goods 150-600 m³ long, 2-3 carriers with bent curves, no
            limits, no LTL: the line must be split; the optimum is the cheapest covering
            of its units by trucks (a knapsack over the units, computed here).
  triplets  pure bin packing, one truck type at one price, no LTL: k trucks each filled
            exactly by 3 orders (Falkenauer's "t" instances: 1000 = a + b + c, each in
            [250, 500]), shuffled; the optimum is k trucks, known by construction.
            Groups of 60 to 999 orders.
  uniform   pure bin packing, orders uniform in [20, 100] of a truck of 150 (Falkenauer's
            "u"), 120 to 1000 orders; compared with the Martello-Toth lower bound L2, so
            the ratio printed is an upper bound on the distance to the optimum.

Prints, per case and group size, the plan's freight (triplets, uniform: trucks) over the
optimum, and the totals.  Deterministic: --seed (default 7) fixes everything.

    dispatch-adversarial.py [--seed S] [--time-limit SEC] [--cg-time SEC] [--jobs J] [--keep DIR]
                            [--groups FILE]   (FILE: each mixed group's plan and bound)
                            [--bounds FILE]...   (the bounds of earlier --groups FILEs)
    dispatch-adversarial.py --gen DIR [--seed S]     (data only: DIR/rates.csv, orders.csv)
"""
import argparse
import collections
import csv
import importlib.util
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("dopt", os.path.join(HERE, "dispatch-optimum.py"))
dopt = importlib.util.module_from_spec(spec)
sys.modules["dopt"] = dopt          # for the pool's workers
spec.loader.exec_module(dopt)
spec = importlib.util.spec_from_file_location("dbound", os.path.join(HERE, "dispatch-bound.py"))
dbound = importlib.util.module_from_spec(spec)
sys.modules["dbound"] = dbound
spec.loader.exec_module(dbound)
BIN = dopt.BIN
DATE = "2026-12-01"
HEAD = ["carrier", "mode", "dest_city", "vehicle_type", "capacity_kg", "capacity_m3",
        "trip_charge", "vehicles", "rate_per_kg", "min_charge", "kg_per_m3", "fuel_pct"]
SIZES = [("4.2m", 2000, 16), ("6.8m", 8000, 38), ("7.6m", 10000, 45), ("9.6m", 15000, 55),
         ("13m", 28000, 80), ("17.5m", 32000, 110)]
MIXED_SIZES = [5, 10, 20, 30, 40]


def mixed(rnd, rates, orders, city, n, on):
    """One city of the mixed case with about n orders; returns the next order number."""
    bulky = rnd.random() < 0.5
    big_kg = big_m3 = 0
    for ci, car in enumerate(["甲", "乙", "丙"][:rnd.choice([2, 2, 3])]):
        base = rnd.uniform(800, 3000)
        for vt, kg, m3 in SIZES:
            if rnd.random() < 0.35 and not (ci == 0 and vt == "17.5m"):
                continue
            # cost grows with size, but each carrier bends its curve its own way
            f = (kg / 2000.0) ** rnd.uniform(0.45, 0.95) * rnd.uniform(0.7, 1.4)
            # the first carrier's trucks are not limited: every group has a plan
            veh = str(rnd.randint(1, 3)) if ci and rnd.random() < 0.6 else ""
            rates.append(["整车" + car, "FTL", city, vt, str(kg), str(m3),
                          "%.2f" % (base * f), veh, "", "", "", rnd.choice(["0", "5"])])
            big_kg, big_m3 = max(big_kg, kg), max(big_m3, m3)
    if rnd.random() < 0.5:
        rates.append(["零担丁", "LTL", city, "", "", "", "", "",
                      "%.4f" % rnd.uniform(0.15, 0.9), "%.2f" % rnd.choice([100, 300]),
                      rnd.choice(["", "250", "333"]), "3"])
    for _ in range(n):
        on += 1
        dens = rnd.uniform(60, 150) if bulky else rnd.uniform(800, 2500)
        # the order's size as a share of the largest truck, on its binding dimension
        share = rnd.choice([0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8]) * rnd.uniform(0.6, 1.2)
        if rnd.random() < 0.12:
            share = rnd.uniform(1.2, 4.0)         # several trucks' worth
        cap = min(big_kg, big_m3 * dens)          # kg the largest truck takes of it
        total = share * cap
        nl = max(1, int(share / 0.3)) if share > 1 else rnd.randint(1, 3)
        for ln in range(1, nl + 1):
            kg = Decimal("%.3f" % max(total / nl * rnd.uniform(0.8, 1.2), 1))
            if kg > Decimal("%.3f" % (cap * 0.95)):
                kg = Decimal("%.3f" % (cap * 0.95))
            m3 = (kg / Decimal(dens)).quantize(Decimal("0.0001"))
            orders.append(["AD%06d" % on, str(ln), DATE, "K0001", city, "P001", "1",
                           "%.3f" % kg, "%.4f" % m3, "100.00", "confirmed"])
    return on


def bigline(rnd, rates, orders, city, on):
    """One line of light goods several trucks long, 2-3 carriers with their own curves,
    no limits, no LTL; returns the next order number and the optimum (cents), a
    covering of the units by trucks (unbounded knapsack over the units)."""
    types = []
    for car in ["甲", "乙", "丙"][:rnd.choice([2, 3])]:
        base = rnd.uniform(800, 3000)
        for vt, kg, m3 in SIZES:
            if rnd.random() < 0.4 and vt != "17.5m":
                continue
            f = (kg / 2000.0) ** rnd.uniform(0.45, 0.95) * rnd.uniform(0.7, 1.4)
            c = Decimal("%.2f" % (base * f))
            rates.append(["整车" + car, "FTL", city, vt, str(kg), str(m3), str(c), "", "", "",
                          "", "0"])
            types.append((m3, int(c * 100)))
    units = rnd.randint(150, 600)              # 1 m³ and 100 kg a unit
    best = [0] + [None] * units
    for u in range(1, units + 1):
        best[u] = min(c + best[max(0, u - m3)] for m3, c in types)
    on += 1
    orders.append(["BL%06d" % on, "1", DATE, "K0001", city, "P001", str(units),
                   "%d.000" % (units * 100), "%d.0000" % units, "100.00", "confirmed"])
    return on, best[units] / 100.0


def triplets(rnd, k):
    out = []
    for _ in range(k):
        a = rnd.randint(380, 490)
        b = rnd.randint(250, 1000 - a - 250)
        out += [a, b, 1000 - a - b]
    rnd.shuffle(out)
    return out


def l2(items, cap):
    """Martello and Toth's lower bound L2 for one-dimensional bin packing."""
    best = -(-sum(items) // cap)
    for k in sorted(set(x for x in items if x <= cap // 2)):
        j1 = [x for x in items if x > cap - k]
        j2 = [x for x in items if cap - k >= x > cap // 2]
        j3 = [x for x in items if cap // 2 >= x >= k]
        room = len(j2) * cap - sum(j2)
        best = max(best, len(j1) + len(j2) + max(0, -(-(sum(j3) - room) // cap)))
    return best


def binpack(rates, orders, city, items, unit, on):
    """One truck type of 1000 units (×unit kg) at 1000.00, unlimited, no LTL."""
    rates.append(["整车甲", "FTL", city, "9.6m", str(1000 * unit), "1000", "1000.00", "", "",
                  "", "", "0"])
    for x in items:
        on += 1
        orders.append(["BP%06d" % on, "1", DATE, "K0001", city, "P001", "1",
                       "%d.000" % (x * unit), "0.0100", "100.00", "confirmed"])
    return on


def build(seed):
    rnd = random.Random(seed)
    rates, orders = [HEAD], [["order_no", "line_no", "ship_date", "customer_id", "city",
                              "sku", "qty", "weight_kg", "volume_m3", "amount", "status"]]
    cases = {}      # city -> (case, size, known optimum trucks or None)
    on = 0
    for i in range(30):
        city = "M%02d" % i
        n = MIXED_SIZES[i % len(MIXED_SIZES)]
        on = mixed(rnd, rates, orders, city, n, on)
        cases[city] = ("mixed", n, None)
    for i in range(8):
        city = "B%02d" % i
        on, opt = bigline(rnd, rates, orders, city, on)
        cases[city] = ("bigline", 1, opt)
    for i, n in enumerate([60, 60, 120, 120, 249, 249, 501, 999]):
        city = "T%02d" % i
        on = binpack(rates, orders, city, triplets(rnd, n // 3), 10, on)
        cases[city] = ("triplets", n, n // 3)
    for i, n in enumerate([120, 120, 250, 250, 500, 1000]):
        city = "U%02d" % i
        items = [rnd.randint(20, 100) for _ in range(n)]
        # a truck of 150 units: 1500 kg, the orders 10 kg a unit
        rates.append(["整车甲", "FTL", city, "9.6m", "1500", "1000", "1000.00", "", "", "",
                      "", "0"])
        for x in items:
            on += 1
            orders.append(["BU%06d" % on, "1", DATE, "K0001", city, "P001", "1",
                           "%d.000" % (x * 10), "0.0100", "100.00", "confirmed"])
        cases[city] = ("uniform", n, l2(items, 150))
    return rates, orders, cases


def items_of(orders, rates, city):
    """The planner's items: an order whole when a truck serving the city holds it, else
    its lines (the generator keeps every line within the largest truck)."""
    lanes = dopt.lanes_for(rates, city)
    ftl = [(float(l["capacity_kg"]), float(l["capacity_m3"])) for l in lanes
           if l["mode"] == "FTL"]
    by = collections.OrderedDict()
    for r in orders:
        if r[4] == city:
            by.setdefault(r[0], []).append((float(r[7]), float(r[8])))
    out = []
    for lines in by.values():
        kg, m3 = sum(x for x, _ in lines), sum(y for _, y in lines)
        if any(kg <= a and m3 <= b for a, b in ftl):
            out.append((kg, m3))
        else:
            out += lines
    return out, lanes


def cg_group(task):
    """dispatch-bound.py's column generation on one group: (bound, best found) or Nones."""
    key, items, lanes, _, _, _, cg_time = task
    try:
        lb, _, found, _, _ = dbound.bound(items, lanes, cg_time, 20.0)
    except Exception as e:          # scipy missing or a solver failure: CBC alone
        print("  %s: column generation failed: %s" % (key[1], e), flush=True)
        return None, None
    return lb, found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--time-limit", type=int, default=10)
    ap.add_argument("--cg-time", type=float, default=30,
                    help="seconds of column generation a mixed group (dispatch-bound.py), "
                    "0: CBC's bound alone")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep")
    ap.add_argument("--groups", help="write each mixed group's city, orders, plan, optimum or "
                    "bound, whether proven and the best plan found (CBC or column generation) to this CSV file")
    ap.add_argument("--cities", help="solve only these mixed groups (M00,M05,...)")
    ap.add_argument("--bounds", action="append",
                    help="take each mixed group's bound, whether proven and the best plan "
                    "found from this --groups FILE of an earlier run instead of solving (a "
                    "lower bound holds for any plan: another build's plans are scored in "
                    "seconds); repeated, the best of each (longer runs on some groups)")
    ap.add_argument("--gen", help="write DIR/rates.csv and DIR/orders.csv only")
    a = ap.parse_args()
    rates, orders, cases = build(a.seed)
    if a.gen:
        os.makedirs(a.gen, exist_ok=True)
        dopt.write(os.path.join(a.gen, "rates.csv"), rates)
        dopt.write(os.path.join(a.gen, "orders.csv"), orders)
        return
    d = a.keep or tempfile.mkdtemp(prefix="dispatch-adv.")
    os.makedirs(d, exist_ok=True)
    dopt.write(os.path.join(d, "rates.csv"), rates)
    dopt.write(os.path.join(d, "orders.csv"), orders)
    t0 = time.perf_counter()
    r = subprocess.run([os.path.join(BIN, "dispatch-plan"), "-v", "-R",
                        os.path.join(d, "rates.csv"), "--loads", os.path.join(d, "loads.csv"),
                        "-o", os.path.join(d, "plan.csv"), os.path.join(d, "orders.csv")],
                       capture_output=True, text=True)
    el = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit("dispatch-plan failed: %s" % r.stderr)
    print("adversarial set (seed %d, %d lines): dispatch-plan %.3f s; %s" %
          (a.seed, len(orders) - 1, el, r.stderr.strip()), flush=True)
    cost = collections.defaultdict(Decimal)
    trucks = collections.Counter()
    nloads = collections.Counter()
    with open(os.path.join(d, "loads.csv")) as f:
        for row in csv.DictReader(f):
            cost[row["dest_city"]] += Decimal(row["freight"])
            nloads[row["dest_city"]] += 1
            trucks[row["dest_city"]] += row["mode"] == "FTL"
    tasks = []
    only = set(a.cities.split(",")) if a.cities else None
    for city, (case, n, _) in sorted(cases.items()):
        if case == "mixed" and (only is None or city in only):
            items, lanes = items_of(orders[1:], rates, city)
            tasks.append(((DATE, city), items, lanes, float(cost[city]), nloads[city],
                          a.time_limit))
    t0 = time.perf_counter()
    if a.bounds:
        known = collections.defaultdict(list)
        for path in a.bounds:
            with open(path) as f:
                for r in csv.DictReader(f):
                    known[r["city"]].append(r)
        res = []
        for key, items, lanes, pc, nl, _ in tasks:
            opt = low = None
            proven = False
            for r in known[key[1]]:
                found = r.get("best_found", r.get("cbc_best"))
                if found and (opt is None or float(found) < opt):
                    opt = float(found)
                if r["bound"] and (low is None or float(r["bound"]) > low):
                    low = float(r["bound"])
                proven = proven or r["proven"] == "1"
            if opt is not None and pc < opt:
                opt = pc                    # this plan is the best found now
            res.append((key, pc, opt, "Optimal" if proven else "Not proven", nl, low))
    else:
        res = None
    with multiprocessing.Pool(a.jobs) as pool:
        if res is None:
            res = pool.map(dopt.solve_group, tasks)
        # the better of the two proven bounds, the cheaper of the two plans found
        if a.cg_time > 0 and not a.bounds:
            cg = pool.map(cg_group, [t + (a.cg_time,) for t in tasks])
            out = []
            for (key, pc, opt, status, nl, low), (lb, found) in zip(res, cg):
                if lb is not None:
                    lb -= 0.01              # the linear solver's tolerance
                    if low is None or lb > low:
                        low = lb
                if found is not None and (opt is None or found < opt):
                    opt = found
                if status != "Optimal" and low is not None and opt is not None and \
                        opt <= low + 0.005 * max(nl, 1) + 0.02:
                    status = "Optimal"      # a plan found at the bound: the optimum
                    low = opt
                out.append((key, pc, opt, status, nl, low))
            res = out
    mip_time = time.perf_counter() - t0
    if a.groups:
        with open(a.groups, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["city", "orders", "plan", "bound", "proven", "best_found"])
            for (_, city), pc, opt, status, nl, low in res:
                w.writerow([city, cases[city][1], "%.2f" % pc,
                            "" if low is None else "%.2f" % low, int(status == "Optimal"),
                            "" if opt is None else "%.2f" % opt])
    # plan, optimum or proven lower bound, groups, at the optimum, proven optimal
    rows = collections.defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
    off = []
    for (_, city), pc, opt, status, nl, low in res:
        if low is None:
            print("  %s: MIP %s, no lower bound" % (city, status))
            continue
        rw = rows[("mixed", cases[city][1])]
        proven = status == "Optimal"
        rw[0] += pc
        rw[1] += low
        rw[2] += 1
        rw[3] += pc <= low + 0.005 * max(nl, 1) + 1e-6
        rw[4] += proven
        if pc > low * 1.005:
            off.append((pc / low, city, cases[city][1], pc, low, opt, proven))
    for city, (case, n, opt) in sorted(cases.items()):
        if case != "mixed":
            rw = rows[(case, n)]
            got = float(cost[city]) if case == "bigline" else trucks[city]
            rw[0] += got
            rw[1] += opt
            rw[2] += 1
            rw[3] += got <= opt + 0.005
            rw[4] += case != "uniform" or got <= opt  # at L2: proven
    if a.bounds:
        print("  bounds and optima from %s (earlier runs' --groups)" % ", ".join(a.bounds))
    else:
        print("  MIP time %.1f s (limit %d s a group, then %g s of column generation)" %
              (mip_time, a.time_limit, a.cg_time))
    print("  'optimum' is the proven optimum, or a proven lower bound where not every group")
    print("  is proven (the better of CBC's bound at its time limit and the column-generation")
    print("  bound; uniform: the L2 bound): the ratio is then an upper bound on the plan's")
    print("  distance to the optimum (marked <=)")
    print("  %-9s %6s %7s %14s %14s %11s %s" % ("case", "orders", "groups", "plan", "optimum",
                                                "ratio", "at optimum, proven optimal"))
    tot = collections.defaultdict(lambda: [0.0, 0.0, 0, 0])
    for (case, n), (pc, low, g, at, pr) in sorted(rows.items()):
        print("  %-9s %6d %7d %14.2f %14.2f %2s %8.4f %d/%d, %d/%d" %
              (case, n, g, pc, low, "" if pr == g else "<=", pc / low, at, g, pr, g))
        t = tot[case]
        t[0] += pc
        t[1] += low
        t[2] += g
        t[3] += pr
    for case, (pc, low, g, pr) in sorted(tot.items()):
        print("  total %-9s plan %.2f optimum%s %.2f: %s%+.3f%%" %
              (case, pc, "" if pr == g else " (or bound)", low, "" if pr == g else "<= ",
               100.0 * (pc - low) / low))
    print("  groups more than 0.5%% off: %d; more than 2%%: %d%s" %
          (len(off), sum(1 for o in off if o[0] > 1.02), " (the 10 worst:)" if len(off) > 10 else ""))
    for r, city, n, pc, low, opt, proven in sorted(off, reverse=True)[:10]:
        print("    %s (%d orders) plan %.2f, %s %.2f: %s%+.2f%%%s" %
              (city, n, pc, "optimum" if proven else "bound", low, "" if proven else "<= ",
               100.0 * (r - 1), "" if proven or opt is None else
               " (best plan found by CBC or column generation %.2f)" % opt))


if __name__ == "__main__":
    main()

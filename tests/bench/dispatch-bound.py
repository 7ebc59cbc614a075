#!/usr/bin/python3
"""A group's lower bound by column generation (make bench; used by dispatch-adversarial.py).

The group MIP of dispatch-optimum.py (one binary per item and truck slot) has a weak
linear relaxation on the adversarial set's mixed groups of 20-40 orders: CBC proves few
of them within minutes.  This is the same problem written over *loads*:

    minimise   sum_j cost_j l_j
    such that  sum_j [item i in load j] l_j >= 1      every item         (dual pi_i >= 0)
               sum_{j of truck type t} l_j <= vehicles_t                  (dual -mu_t <= 0)
               l_j >= 0

where a load is a truck type with items that fit it in kg and m3 (cost: the trip charge
with fuel), or an LTL lane with any items (cost: (1 + fuel) x max(min charge, rate x kg,
rate x kg_per_m3 x m3)).  Every plan is a solution of it (covering an item twice never
pays: taking it off a load costs nothing more), so the linear optimum is a lower bound,
and it is the classical Gilmore-Gomory bound that is tight on bin packing.  Loads are
generated as needed: after each linear solve, for every truck type a 0-1 knapsack in two
dimensions finds the load of least reduced cost cost_t + mu_t - sum pi_i (for an LTL lane
the same with its cost as a variable), solved exactly by HiGHS (scipy.optimize.milp).

At any iteration, with rc_t the least reduced cost of type t and U_t the most loads of
that type a plan can hold (vehicles, else the items it fits; one for an LTL lane, because
merging two consignments of a lane never costs more), every plan costs at least

    LP + sum_t min(0, rc_t) x U_t                                     (Lagrangian bound)

which is what is returned when the time runs out before the loads stop improving; at the
end it is the linear optimum.  The generated loads are then solved as an integer program
(HiGHS, a time limit): a plan no dearer than the planner's shows where the planner falls
short; its cost is returned as `found`.

    dispatch-bound.py --dir DIR [--time-limit SEC] [--ip-time SEC] [--jobs J] CITY... | all

DIR is a dispatch-adversarial.py --keep DIR (rates.csv, orders.csv and the plan's
loads.csv); `all` is its mixed groups.  With SHOW=1 in the environment it also prints
the loads of the best plan found among the generated ones, to compare with the plan's.
Dispatch-adversarial.py imports bound() (its --cg-time).  The pricing knapsack is
knap2d.c, built with cc at first use.
"""
import ctypes
import os
import subprocess
import tempfile
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

_KNAP = None


def _knap():
    """knap2d.c, built once per process into a temporary shared object."""
    global _KNAP
    if _KNAP is None:
        here = os.path.dirname(os.path.abspath(__file__))
        d = tempfile.mkdtemp(prefix="knap2d.")
        so = os.path.join(d, "knap2d.so")
        subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", so,
                        os.path.join(here, "knap2d.c")], check=True)
        lib = ctypes.CDLL(so)
        os.unlink(so)
        os.rmdir(d)
        dp = ctypes.POINTER(ctypes.c_double)
        lib.knap2d.restype = ctypes.c_double
        lib.knap2d.argtypes = [ctypes.c_int, dp, dp, dp, ctypes.c_double, ctypes.c_double,
                               ctypes.c_double, ctypes.POINTER(ctypes.c_int), ctypes.c_long]
        _KNAP = lib
    return _KNAP


def _dopt():
    """dispatch-optimum.py, the rules of the group MIP (as dispatch-adversarial.py loads it)."""
    import importlib.util
    import sys
    if "dopt" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "dopt", os.path.join(os.path.dirname(os.path.abspath(__file__)), "dispatch-optimum.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules["dopt"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["dopt"]


def _dbl(xs):
    return (ctypes.c_double * len(xs))(*xs)


class Group:
    """Items (kg, m3) and lanes (rate rows, as dispatch-optimum.lanes_for gives them)."""

    def __init__(self, items, lanes):
        self.items = items
        self.n = len(items)
        self.kinds = []         # (kind, cost or lane dict, cap_kg, cap_m3, limit, fits)
        for lane in lanes:
            if lane["mode"] == "FTL":
                ck, cm = float(lane["capacity_kg"]), float(lane["capacity_m3"])
                fit = [i for i, (kg, m3) in enumerate(items) if kg <= ck and m3 <= cm]
                lim = int(lane["vehicles"]) if lane["vehicles"] else len(fit)
                lim = min(lim, len(fit))
                if lim > 0:
                    self.kinds.append(("FTL", _dopt().ftl_cost(lane), ck, cm, lim, fit))
            else:
                fuel = 1 + float(lane["fuel_pct"] or 0) / 100
                self.kinds.append(("LTL", (fuel, float(lane["rate_per_kg"]),
                                           float(lane["min_charge"]),
                                           float(lane["kg_per_m3"] or 0)),
                                   None, None, 1, list(range(self.n))))

    def load_cost(self, k, members):
        kind, c = self.kinds[k][0], self.kinds[k][1]
        if kind == "FTL":
            return c
        fuel, rate, minc, fac = c
        kg = sum(self.items[i][0] for i in members)
        m3 = sum(self.items[i][1] for i in members)
        return fuel * max(minc, rate * kg, rate * fac * m3)

    def price(self, k, pi, mu_k):
        """The load of kind k with the least reduced cost: (reduced cost, members)."""
        kind, c, ck, cm, _, fit = self.kinds[k]
        if not fit:
            return 0.0, []
        p = np.array([pi[i] for i in fit])
        if kind == "FTL":
            n = len(fit)
            take = (ctypes.c_int * n)()
            got = _knap().knap2d(n, _dbl(p), _dbl([self.items[i][0] for i in fit]),
                                 _dbl([self.items[i][1] for i in fit]), ck, cm,
                                 c + mu_k, take, 2000000)
            if got >= 0:
                if got <= c + mu_k:
                    return 0.0, []
                members = [fit[j] for j in range(n) if take[j]]
                return c + mu_k - got, members
            kg = np.array([self.items[i][0] for i in fit])
            m3 = np.array([self.items[i][1] for i in fit])
            cons = LinearConstraint(np.vstack([kg, m3]), -np.inf, [ck, cm])
            r = milp(-p, constraints=cons, integrality=np.ones(len(fit)),
                     bounds=Bounds(0, 1), options={"mip_rel_gap": 0})
            if r.x is None:
                return 0.0, []
            members = [fit[j] for j in range(len(fit)) if r.x[j] > 0.5]
            return c + mu_k - float(p[[j for j in range(len(fit)) if r.x[j] > 0.5]].sum()), members
        fuel, rate, minc, fac = c
        n = len(fit)
        kg = np.array([self.items[i][0] for i in fit])
        m3 = np.array([self.items[i][1] for i in fit])
        # variables: x_1..x_n, C;  min fuel*C - p.x;  C >= minc, C >= rate kg.x, C >= rate fac m3.x
        obj = np.concatenate([-p, [fuel]])
        rows = [np.concatenate([rate * kg, [-1.0]])]
        if fac:
            rows.append(np.concatenate([rate * fac * m3, [-1.0]]))
        cons = LinearConstraint(np.vstack(rows), -np.inf, 0)
        lo = np.zeros(n + 1)
        lo[n] = minc
        hi = np.ones(n + 1)
        hi[n] = np.inf
        integ = np.ones(n + 1)
        integ[n] = 0
        r = milp(obj, constraints=cons, integrality=integ, bounds=Bounds(lo, hi),
                 options={"mip_rel_gap": 0})
        if r.x is None:
            return 0.0, []
        members = [fit[j] for j in range(n) if r.x[j] > 0.5]
        return self.load_cost(k, members) + mu_k - sum(pi[i] for i in members), members


def bound(items, lanes, time_limit=60.0, ip_time=20.0, plan_cost=None):
    """(lower bound, converged, best plan found among the loads or None, loads, iterations)."""
    g = Group(items, lanes)
    t0 = time.perf_counter()
    cols = []               # (kind, members, cost)
    seen = set()

    def add(k, members):
        key = (k, tuple(sorted(members)))
        if members and key not in seen:
            seen.add(key)
            cols.append((k, sorted(members), g.load_cost(k, members)))
            return True
        return False

    for k, (kind, _, _, _, _, fit) in enumerate(g.kinds):
        for i in fit:
            add(k, [i])
    nk = len(g.kinds)
    best_lb = -np.inf
    it = 0
    converged = False
    while True:
        it += 1
        m = len(cols)
        A = np.zeros((g.n + nk, m))
        c = np.zeros(m)
        for j, (k, members, cost) in enumerate(cols):
            A[members, j] = -1.0
            A[g.n + k, j] = 1.0
            c[j] = cost
        b = np.concatenate([-np.ones(g.n), [kd[4] for kd in g.kinds]])
        lp = linprog(c, A_ub=A, b_ub=b, bounds=(0, None), method="highs")
        if lp.status != 0:
            return None, False, None, len(cols), it
        marg = lp.ineqlin.marginals
        pi = [max(0.0, -marg[i]) for i in range(g.n)]
        mu = [max(0.0, -marg[g.n + k]) for k in range(nk)]
        lagr = lp.fun
        added = 0
        for k in range(nk):
            rc, members = g.price(k, pi, mu[k])
            if rc < -1e-6 * max(1.0, abs(lp.fun)) / max(1, g.n):
                lagr += rc * g.kinds[k][4]
                added += add(k, members)
        best_lb = max(best_lb, lagr)
        if not added:
            converged = True
            best_lb = max(best_lb, lp.fun)
            break
        if time.perf_counter() - t0 > time_limit:
            break
    found = None
    if ip_time:
        m = len(cols)
        A = np.zeros((g.n + nk, m))
        c = np.array([col[2] for col in cols])
        for j, (k, members, _) in enumerate(cols):
            A[members, j] = 1.0
            A[g.n + k, j] = 1.0
        lo = np.concatenate([np.ones(g.n), np.zeros(nk)])
        hi = np.concatenate([np.full(g.n, np.inf), [kd[4] for kd in g.kinds]])
        r = milp(c, constraints=LinearConstraint(A, lo, hi), integrality=np.ones(m),
                 bounds=Bounds(0, 1), options={"time_limit": ip_time})
        if r.x is not None:
            found = float(r.fun)
            bound.chosen = [(g.kinds[cols[j][0]][:2] if g.kinds[cols[j][0]][0] == "FTL"
                             else ("LTL",), cols[j][1], cols[j][2])
                            for j in range(m) if r.x[j] > 0.5]
    return best_lb, converged, found, len(cols), it


def _one(task):
    city, items, lanes, tl, ipt = task
    t0 = time.perf_counter()
    lb, conv, found, ncols, it = bound(items, lanes, tl, ipt)
    if os.environ.get("SHOW"):
        for kind, members, cost in getattr(bound, "chosen", []):
            print("   ", kind, "%.2f" % cost, "kg %.0f m3 %.1f" % (sum(items[i][0] for i in members), sum(items[i][1] for i in members)),
                  [(round(items[i][0]), round(items[i][1], 1)) for i in members])
    return city, items, lb, conv, found, ncols, it, time.perf_counter() - t0


def main():
    import argparse
    import collections
    import csv
    import importlib.util
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("adv", os.path.join(here, "dispatch-adversarial.py"))
    adv = importlib.util.module_from_spec(spec)
    sys.modules["adv"] = adv
    spec.loader.exec_module(adv)
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True, help="a dispatch-adversarial.py --keep DIR")
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--ip-time", type=float, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("cities", nargs="+", help="cities, or all (the mixed groups)")
    a = ap.parse_args()
    with open(os.path.join(a.dir, "rates.csv")) as f:
        rates = list(csv.reader(f))
    with open(os.path.join(a.dir, "orders.csv")) as f:
        orders = list(csv.reader(f))[1:]
    cost = collections.defaultdict(float)
    with open(os.path.join(a.dir, "loads.csv")) as f:
        for row in csv.DictReader(f):
            cost[row["dest_city"]] += float(row["freight"])
    if a.cities == ["all"]:
        a.cities = sorted(set(r[4] for r in orders if r[4].startswith("M")))
    tasks = [(city,) + adv.items_of(orders, rates, city) + (a.time_limit, a.ip_time)
             for city in a.cities]
    import multiprocessing
    with multiprocessing.Pool(a.jobs) as pool:
        for city, items, lb, conv, found, ncols, it, el in pool.imap(_one, tasks):
            print("%s: %d items, plan %.2f, bound %.2f (%s, %d iterations, %d loads, %.1f s): "
              "plan/bound %.4f; best found among the loads %s" %
              (city, len(items), cost[city], lb, "converged" if conv else "Lagrangian",
               it, ncols, el, cost[city] / lb,
               "-" if found is None else "%.2f" % found), flush=True)


if __name__ == "__main__":
    main()

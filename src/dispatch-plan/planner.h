/* The load planner of dispatch-plan: one (ship date, city) group at a time.
 *
 * The problem is a two-dimensional variable-size bin packing with per-bin costs and an
 * uncapacitated alternative priced per chargeable kg: items (orders, or the lines and
 * line parts of orders too big for any truck) go either into FTL trucks of the lane's
 * vehicle types (capacity in kg and m³, a fixed cost per truck, at most `avail` trucks of
 * a type) or into one LTL consignment per LTL lane (no capacity, cost by ltl_cost), or,
 * when nothing can take them, into the "none" bin (a prohibitive penalty, so that the
 * planner leaves as little as possible unplanned).
 *
 * Method: several constructions (all LTL; first-fit decreasing and minimum bin slack,
 * repeated with weights, with each vehicle type as the preferred one, then every truck
 * downsized and under-used trucks sent LTL when that is cheaper), each improved by local
 * search (relocate one item to another load or a new truck, swap two items, empty a
 * truck into the others, fill a new truck from the LTL consignments) with trucks re-typed to the cheapest type that holds their
 * load; the best is kept.  A pure bin packing (one type, no LTL) above its lower bound is
 * searched for a plan at the bound truck by truck, within a budget of slack
 * (slack_pack()), first, when every truck at the bound must hold three items, by local
 * search over the triples, then, when they must fill their trucks exactly, by an exact
 * search, most constrained item first (tri_pack()).  A group of several types or with
 * LTL is also packed whole into fleets of one or two types with just the room for it,
 * when they cost less than the plan, by minimum bin slack and by overload repair
 * (fleet_pack()).  Groups of up to
 * BB_MAX items are then searched exactly by depth-first branch and bound from that
 * incumbent, with a node budget: `exact` says whether the search finished (the plan is then optimal).
 * When it did not, the items of every two loads are re-planned exactly by the same
 * search with the rest fixed (a large-neighbourhood step: two 9.6m trucks become a 13m
 * and a 4.2m), alternating with the local search while that saves; then, in a group
 * that is not a pure bin packing, ruin and recreate re-plans the items of 3 to 5 loads
 * at a time the same way (the emptiest or drawn by a fixed-seed generator), and overload
 * repair moves items between the trucks and an LTL consignment made a box of a smaller
 * charge (fleet_absorb()).  A group of
 * up to BB_MAX items runs these later steps from its two cheapest starts.
 * A group of more than BIG_N items is searched within work budgets (planner.c: fewer
 * starts, only the best improved, bounded local search, pairs of the emptiest trucks
 * only), counted in work, never in time.
 * Everything is integer and deterministic: ties go to the lower index. */
#ifndef DISPATCH_PLANNER_H
#define DISPATCH_PLANNER_H
#include <stddef.h>
#include <stdint.h>

#include "master.h"
#include "must.h"

#define PL_UNLIMITED (1L << 40)

struct pl_type {
	int64_t cap_kg, cap_m3; /* SCALE_WEIGHT, SCALE_VOLUME */
	int64_t cost;           /* cents per truck, ftl_cost() */
	long avail;             /* trucks left for this group; PL_UNLIMITED = no limit */
};

struct pl_item {
	int64_t kg, m3;
};

enum { BIN_FREE, BIN_FTL, BIN_LTL, BIN_NONE };
struct pl_bin {
	int kind;
	int type;               /* FTL: index into types; LTL: index into ltl */
	int64_t kg, m3;
	uint32_t cnt;           /* items in it */
};

struct bb;
struct slot_cap {               /* fleet_repair(): a truck's capacities and their scales */
	int64_t kg, m3, skg, sm3;
};

struct pl_sol {
	struct pl_bin *b;
	size_t nb, capb, capt;
	uint32_t *of;           /* item -> bin */
	long *avail;
	int64_t cost;
};

struct planner {
	/* input of one group */
	const struct pl_type *types;
	size_t nt;
	const struct lane *const *ltl;
	size_t nl;
	const struct pl_item *items;
	size_t n;
	long node_limit;        /* branch and bound budget per group */
	/* result: bins (nl LTL bins, then the none bin, then trucks; unused bins are
	 * BIN_FREE or have cnt 0) and the bin of each item */
	struct pl_sol best;
	int exact;
	long nodes;
	long work, work_limit;  /* local search: candidate loads looked at, and budget */
	long pair_left;         /* pair re-plans: items gathered and nodes, still allowed */
	/* work space, reused across groups */
	struct pl_sol cur, tmp;
	struct pl_sol alt;      /* keep_best(): the runner-up start of a small group */
	uint32_t *order;        /* items by decreasing size */
	uint32_t *pair;         /* the items of two loads being re-planned */
	uint32_t *rem, *pick, *bpick;   /* mbs(): items left, a truck's trial and best */
	int64_t *wt;            /* mbs(): the items' weights */
	int64_t *tkg, *tm3;     /* tri_pack(): each truck's load */
	int *fleet;             /* fleet_pack(): the type of each truck to fill */
	struct slot_cap *slot;  /* fleet_repair(): each truck's capacities */
	struct pl_type box;     /* fleet_absorb(): an LTL lane as a truck of its target charge */
	size_t box_lane;
	int64_t lower;          /* a lower bound on the group's freight */
	int64_t *key;
	int64_t *fill;          /* per bin: how full (millionths), for the re-plans */
	size_t *loads;          /* ruin_recreate(): the non-empty loads */
	size_t cap_bins;        /* fill and loads have room for this many bins */
	int *by_cost;           /* the types by cost, then index */
	size_t cap_types;
	int64_t max_kg, max_m3; /* the largest capacities of any type */
	size_t cap_items;
	struct bb *bb;          /* branch and bound work space */
};

void planner_init(struct planner *p);
/* Plans the group; -1 when out of memory. */
MUST_CHECK
int planner_run(struct planner *p);
void planner_free(struct planner *p);
#endif

/* The load planner (see planner.h for the method).  Costs are cents in int64; a bin's
 * cost is always recomputed from its content, never kept as a running sum, so that a
 * sequence of moves cannot drift from what the tool will print. */
#include "planner.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "sbuf.h"

#define BB_MAX 40                       /* groups searched exactly */
#define SWAP_MAX 400                    /* swap moves only in groups up to this size */
#define PAIR_MAX 40                     /* two loads re-planned exactly up to this size */
#define PAIR_NODES 5000                 /* and within this many nodes */
/* Ruin and recreate (ruin_recreate()): groups of LNS_MIN items or more, LNS_LOADS loads
 * at most, LNS_ITEMS items, LNS_NODES nodes per re-plan, LNS_WORK items gathered and
 * nodes per group (LNS_BIG_WORK in a group of more than BIG_N items, where the local
 * search has done most of the work and a million lines must plan within seconds). */
#define LNS_MIN 10
#define LNS_LOADS 5
#define LNS_ITEMS 40
#define LNS_NODES 20000L
#define LNS_WORK 2000000L
#define LNS_BIG_WORK 200000L
#define LNS_STILL 6
/* A large group (more than BIG_N items) is searched within budgets counted in work done
 * (candidate loads looked at, items gathered, nodes), never in time, so that the same
 * input gives the same plan: one start per truck size (not per carrier and size), only
 * the best start improved, LS_WORK candidate loads per local search, and pair re-plans
 * only of pairs holding one of the PAIR_LOW emptiest trucks or an LTL lane, PAIR_WORK
 * items and nodes in all.  Smaller groups are searched without them. */
#define BIG_N 100
#define LS_WORK 1000000L
#define PAIR_LOW 8
#define PAIR_WORK 1000000L
/* Minimum bin slack (mbs()): second items tried per truck, and items passed over (too
 * big in the other dimension) before a greedy completion gives up. */
#define MBS_TRY 1000
#define MBS_SCAN 64
#define MBS_WORK 4000000L       /* items looked at, per preferred type */
#define MBS_ROUNDS 10           /* constructions per preferred type */
#define SLACK_NODES 20000000L   /* slack_pack(): items looked at per number of trucks tried */
/* fleet_pack(): fleets tried, and in a group of more than BIG_N items; mbs_fleet()'s
 * items looked at there (MBS_WORK in others); fleet_repair()'s pairs looked at (not
 * there: a million lines must plan within seconds). */
#define MIX_TRIES 6
#define MIX_BIG_TRIES 2
#define MIX_BIG_MBS 500000L
#define REPAIR_WORK 10000000L
#define ABSORB_TRIES 2          /* fleet_absorb(): choices of the new truck tried, */
#define ABSORB_ROUNDS 4         /* one after the other while they save */
#define ABSORB_WORK 300000L     /* and fleet_repair()'s pairs looked at for each target */
#define TRI_WORK 10000000L      /* tri_pack(): swaps looked at */
#define TRI_STILL 10            /* moves for which a swapped item stays put, unless that helps */
#define TRI_KICK 2000           /* every so many moves, */
#define TRI_KICKS 10            /* so many swaps at random */
#define TRI_RUNS 4              /* local searches at most, each from the greedy start */
#define TRI_EXACT_WORK 30000000L        /* tri_exact(): items looked at */
/* Leaving goods unplanned costs more than any freight: per gram and per item. */
#define PENALTY ((int64_t)10000000)
#define PENALTY_KG_MAX ((int64_t)100000000000LL)       /* grams counted at most */
#define INF INT64_MAX

/* ---- bins and their costs ---- */

static int fits(const struct pl_type *t, int64_t kg, int64_t m3)
{
	return kg <= t->cap_kg && m3 <= t->cap_m3;
}

/* The cheapest type that holds kg/m3 and has a truck left; a bin keeps its own truck, so
 * its own type counts as available.  -1 if none. */
static int pick_type(const struct planner *p, const long *avail, int own, int64_t kg,
                     int64_t m3)
{
	size_t k;

	if (kg > p->max_kg || m3 > p->max_m3)
		return -1;
	for (k = 0; k < p->nt; k++) {
		int t = p->by_cost[k];
		if (fits(&p->types[t], kg, m3) && (avail[t] > 0 || t == own))
			return t;
	}
	return -1;
}

static int64_t bin_cost(const struct planner *p, const struct pl_bin *b)
{
	if (!b->cnt)
		return 0;
	switch (b->kind) {
	case BIN_FTL: return p->types[b->type].cost;
	case BIN_LTL: return ltl_cost(p->ltl[b->type], b->kg, b->m3);
	case BIN_NONE:
		return ((b->kg < PENALTY_KG_MAX ? b->kg : PENALTY_KG_MAX) + b->cnt) * PENALTY;
	}
	return 0;
}

/* The cost of bin x with its new content, re-typing a truck to the cheapest type that
 * holds it (x->type is updated); own is the type whose truck the bin already holds, or
 * -1.  INF when no truck can take it. */
static int64_t cost_as(const struct planner *p, const long *avail, int own, struct pl_bin *x)
{
	if (x->kind == BIN_FTL && x->cnt) {
		int t = pick_type(p, avail, own, x->kg, x->m3);
		if (t < 0)
			return INF;
		x->type = t;
	}
	return bin_cost(p, x);
}

/* Trucks held: a non-empty FTL bin holds one truck of its type. */
static void hold(long *avail, const struct pl_bin *b, int d)
{
	if (b->kind == BIN_FTL && b->cnt && b->type >= 0)
		avail[b->type] -= d;
}

/* New cost of two bins given their new contents xa and xb (old ones oa, ob): both trucks
 * are given back, then re-typed one after the other, so that they cannot both count on
 * the last truck of a type.  INF if infeasible; avail is left as it was. */
static int64_t cost_pair(const struct planner *p, long *avail, const struct pl_bin *oa,
                         struct pl_bin *xa, const struct pl_bin *ob, struct pl_bin *xb)
{
	int64_t ca, cb = INF;

	hold(avail, oa, -1);
	hold(avail, ob, -1);
	ca = cost_as(p, avail, -1, xa);
	if (ca != INF) {
		hold(avail, xa, 1);
		cb = cost_as(p, avail, -1, xb);
		hold(avail, xa, -1);
	}
	hold(avail, oa, 1);
	hold(avail, ob, 1);
	return cb == INF ? INF : ca + cb;
}

static void set_bin(struct pl_sol *s, size_t i, const struct pl_bin *x)
{
	hold(s->avail, &s->b[i], -1);
	s->b[i] = *x;
	hold(s->avail, &s->b[i], 1);
	if (x->kind == BIN_FTL && !x->cnt)
		s->b[i].kind = BIN_FREE;
}

static int64_t sol_cost(const struct planner *p, const struct pl_sol *s)
{
	int64_t c = 0;
	size_t i;

	for (i = 0; i < s->nb; i++)
		c += bin_cost(p, &s->b[i]);
	return c;
}

static int sol_alloc(struct pl_sol *s, size_t nbins, size_t nt)
{
	struct pl_bin *b;
	uint32_t *of;
	long *av;

	if (nbins > s->capb) {
		if (!(b = sd_realloc(s->b, nbins * sizeof *b)))
			return -1;
		s->b = b;
		if (!(of = sd_realloc(s->of, nbins * sizeof *of)))
			return -1;
		s->of = of;
		s->capb = nbins;
	}
	if (nt + 1 > s->capt) {
		if (!(av = sd_realloc(s->avail, (nt + 1) * sizeof *av)))
			return -1;
		s->avail = av;
		s->capt = nt + 1;
	}
	return 0;
}

static void sol_reset(const struct planner *p, struct pl_sol *s)
{
	size_t l, t;

	for (l = 0; l < p->nl; l++)
		s->b[l] = (struct pl_bin){ BIN_LTL, (int)l, 0, 0, 0 };
	s->b[p->nl] = (struct pl_bin){ BIN_NONE, 0, 0, 0, 0 };
	s->nb = p->nl + 1;
	for (t = 0; t < p->nt; t++)
		s->avail[t] = p->types[t].avail;
	s->cost = 0;
}

static void sol_copy(const struct planner *p, struct pl_sol *d, const struct pl_sol *s)
{
	memcpy(d->b, s->b, s->nb * sizeof *s->b);
	memcpy(d->of, s->of, p->n * sizeof *s->of);
	memcpy(d->avail, s->avail, p->nt * sizeof *s->avail);
	d->nb = s->nb;
	d->cost = s->cost;
}

/* A free truck slot (an emptied one, or a new one at the end). */
static size_t new_truck(struct pl_sol *s, size_t first)
{
	size_t i;

	for (i = first; i < s->nb; i++)
		if (s->b[i].kind == BIN_FREE)
			return i;
	s->b[s->nb] = (struct pl_bin){ BIN_FREE, -1, 0, 0, 0 };
	return s->nb++;
}

static struct pl_bin plus(struct pl_bin b, const struct pl_item *it)
{
	b.kg += it->kg;
	b.m3 += it->m3;
	b.cnt++;
	return b;
}

static struct pl_bin minus(struct pl_bin b, const struct pl_item *it)
{
	b.kg -= it->kg;
	b.m3 -= it->m3;
	b.cnt--;
	return b;
}

/* ---- local search ---- */

/* Whether bin b with item it still fits the largest truck, if it is a truck (a quick
 * test before the cheapest type is looked for). */
static int fits_any(const struct planner *p, const struct pl_bin *b, const struct pl_item *it)
{
	return b->kind != BIN_FTL ||
	       (b->kg + it->kg <= p->max_kg && b->m3 + it->m3 <= p->max_m3);
}

/* Re-types every truck to the cheapest type that holds its load. */
static int downsize(const struct planner *p, struct pl_sol *s)
{
	int better = 0;
	size_t i;

	for (i = p->nl + 1; i < s->nb; i++) {
		struct pl_bin x = s->b[i];
		int t;
		if (x.kind != BIN_FTL || !x.cnt)
			continue;
		t = pick_type(p, s->avail, x.type, x.kg, x.m3);
		if (t >= 0 && p->types[t].cost < p->types[x.type].cost) {
			x.type = t;
			set_bin(s, i, &x);
			better = 1;
		}
	}
	return better;
}

/* Moves single items to the load (or a new truck) where the total falls most. */
static int relocate(struct planner *p, struct pl_sol *s)
{
	size_t k, j;
	int better = 0;

	for (k = 0; k < p->n && p->work < p->work_limit; k++) {
		uint32_t i = p->order[k], a = s->of[i];
		const struct pl_item *it = &p->items[i];
		struct pl_bin xa, xb, bxa = { 0 }, bxb = { 0 };
		int64_t best = 0, ca = bin_cost(p, &s->b[a]);
		size_t bj = 0;

		p->work += (long)s->nb + 1;
		for (j = 0; j <= s->nb; j++) {  /* j == nb: a new truck */
			struct pl_bin ob = { BIN_FTL, -1, 0, 0, 0 };
			int64_t c;
			if (j < s->nb) {
				ob = s->b[j];
				if (j == a || ob.kind == BIN_NONE || ob.kind == BIN_FREE ||
				    !fits_any(p, &ob, it))
					continue;
			} else if (!p->nt) {
				break;
			}
			xa = minus(s->b[a], it);
			xb = plus(ob, it);
			c = cost_pair(p, s->avail, &s->b[a], &xa, &ob, &xb);
			if (c == INF)
				continue;
			c -= ca + bin_cost(p, &ob);
			if (c < best)
				best = c, bj = j, bxa = xa, bxb = xb;
		}
		if (best >= 0)
			continue;
		set_bin(s, a, &bxa);
		if (bj == s->nb)
			bj = new_truck(s, p->nl + 1);
		set_bin(s, bj, &bxb);
		s->of[i] = (uint32_t)bj;
		better = 1;
	}
	return better;
}

/* Exchanges two items of different loads when that lets a truck shrink or LTL fall. */
static int swap(struct planner *p, struct pl_sol *s)
{
	size_t x, y;
	int better = 0;

	if (p->n > SWAP_MAX)
		return 0;
	for (x = 0; x < p->n && p->work < p->work_limit; x++) {
		p->work += (long)(p->n - x);
		for (y = x + 1; y < p->n; y++) {
			uint32_t i = p->order[x], j = p->order[y], a = s->of[i], b = s->of[j];
			struct pl_bin xa, xb;
			int64_t c;
			if (a == b || s->b[a].kind == BIN_NONE || s->b[b].kind == BIN_NONE)
				continue;
			if (s->b[a].kind != BIN_FTL && s->b[b].kind != BIN_FTL)
				continue;
			xa = plus(minus(s->b[a], &p->items[i]), &p->items[j]);
			xb = plus(minus(s->b[b], &p->items[j]), &p->items[i]);
			c = cost_pair(p, s->avail, &s->b[a], &xa, &s->b[b], &xb);
			if (c == INF || c >= bin_cost(p, &s->b[a]) + bin_cost(p, &s->b[b]))
				continue;
			set_bin(s, a, &xa);
			set_bin(s, b, &xb);
			s->of[i] = b;
			s->of[j] = a;
			better = 1;
		}
	}
	return better;
}

/* Puts item i where it adds least, among the existing loads only (not the none bin
 * unless nothing else takes it). */
static void insert_cheapest(const struct planner *p, struct pl_sol *s, uint32_t i)
{
	const struct pl_item *it = &p->items[i];
	struct pl_bin bx = { 0 }, x;
	int64_t best = INF, c;
	size_t j, bj = p->nl;

	for (j = 0; j < s->nb; j++) {
		if (s->b[j].kind == BIN_FREE || s->b[j].kind == BIN_NONE ||
		    !fits_any(p, &s->b[j], it))
			continue;
		x = plus(s->b[j], it);
		if ((c = cost_as(p, s->avail, x.type, &x)) == INF)
			continue;
		c -= bin_cost(p, &s->b[j]);
		if (c < best)
			best = c, bj = j, bx = x;
	}
	if (best == INF)
		bx = plus(s->b[bj = p->nl], it);
	set_bin(s, bj, &bx);
	s->of[i] = (uint32_t)bj;
}

/* Empties one truck into the other loads when that is cheaper than running it. */
static int empty_trucks(struct planner *p, struct pl_sol *s)
{
	size_t a, k;
	int better = 0;

	for (a = p->nl + 1; a < s->nb && p->work < p->work_limit; a++) {
		struct pl_bin none = { BIN_FREE, -1, 0, 0, 0 };
		if (s->b[a].kind != BIN_FTL)
			continue;
		p->work += (long)(p->n + s->nb * s->b[a].cnt);
		s->cost = sol_cost(p, s);
		sol_copy(p, &p->tmp, s);
		set_bin(s, a, &none);
		s->b[a].kind = BIN_FREE;
		for (k = 0; k < p->n; k++) {
			uint32_t i = p->order[k];
			if (p->tmp.of[i] == a)
				insert_cheapest(p, s, i);
		}
		if (sol_cost(p, s) < p->tmp.cost)
			better = 1;
		else
			sol_copy(p, s, &p->tmp);
	}
	return better;
}

static int ltl_to_truck(struct planner *p, struct pl_sol *s);

static void improve(struct planner *p, struct pl_sol *s)
{
	int round;

	p->work_limit = p->n > BIG_N ? p->work + LS_WORK : LONG_MAX;

	for (round = 0; round < 50 && p->work < p->work_limit; round++) {
		int better = downsize(p, s);
		better |= relocate(p, s);
		better |= swap(p, s);
		better |= empty_trucks(p, s);
		better |= ltl_to_truck(p, s);
		if (!better)
			break;
	}
	p->work_limit = LONG_MAX;
	s->cost = sol_cost(p, s);
}

/* ---- constructions ---- */

/* The LTL lane where adding it costs least; -1 if there is none. */
static int cheapest_ltl(const struct planner *p, const struct pl_sol *s, const struct pl_item *it)
{
	int64_t best = INF;
	size_t l;
	int bl = -1;

	for (l = 0; l < p->nl; l++) {
		struct pl_bin x = plus(s->b[l], it);
		int64_t c = bin_cost(p, &x) - bin_cost(p, &s->b[l]);
		if (c < best)
			best = c, bl = (int)l;
	}
	return bl;
}

static void put(struct pl_sol *s, uint32_t i, size_t j, const struct pl_item *it)
{
	struct pl_bin x = plus(s->b[j], it);

	set_bin(s, j, &x);
	s->of[i] = (uint32_t)j;
}

/* Every item in the one LTL lane that is cheapest for all of them. */
static void all_ltl(const struct planner *p, struct pl_sol *s)
{
	struct pl_item sum = { 0, 0 };
	int64_t best = INF;
	size_t k, l, bl = 0;

	sol_reset(p, s);
	for (k = 0; k < p->n; k++)
		sum.kg += p->items[k].kg, sum.m3 += p->items[k].m3;
	for (l = 0; l < p->nl; l++) {
		int64_t c = ltl_cost(p->ltl[l], sum.kg, sum.m3);
		if (c < best)
			best = c, bl = l;
	}
	for (k = 0; k < p->n; k++)
		put(s, (uint32_t)k, bl, &p->items[k]);
}

/* A type for a new truck: the preferred one if it is left and holds the item, else the
 * one with the lowest cost per kg of capacity among those left that hold it. */
static int open_type(const struct planner *p, const long *avail, int pref,
                     const struct pl_item *it)
{
	int best = -1;
	size_t t;

	if (pref >= 0 && avail[pref] > 0 && fits(&p->types[pref], it->kg, it->m3))
		return pref;
	for (t = 0; t < p->nt; t++) {
		const struct pl_type *y = &p->types[t];
		if (avail[t] <= 0 || !fits(y, it->kg, it->m3))
			continue;
		if (best < 0 || (__int128)y->cost * p->types[best].cap_kg <
		                (__int128)p->types[best].cost * y->cap_kg)
			best = (int)t;
	}
	return best;
}

/* First-fit decreasing on both capacities, new trucks of the preferred type; then each
 * truck downsized, and the emptiest trucks sent LTL while that is cheaper. */
static void ffd(struct planner *p, struct pl_sol *s, int pref)
{
	size_t k, j, first = p->nl + 1;

	sol_reset(p, s);
	for (k = 0; k < p->n; k++) {
		uint32_t i = p->order[k];
		const struct pl_item *it = &p->items[i];
		int t, l;
		for (j = first; j < s->nb; j++) {
			const struct pl_bin *b = &s->b[j];
			if (b->kind == BIN_FTL &&
			    fits(&p->types[b->type], b->kg + it->kg, b->m3 + it->m3))
				break;
		}
		if (j < s->nb) {
			put(s, i, j, it);
		} else if ((t = open_type(p, s->avail, pref, it)) >= 0) {
			struct pl_bin x = { BIN_FTL, t, it->kg, it->m3, 1 };
			j = new_truck(s, first);
			set_bin(s, j, &x);
			s->of[i] = (uint32_t)j;
		} else if ((l = cheapest_ltl(p, s, it)) >= 0) {
			put(s, i, (size_t)l, it);
		} else {
			put(s, i, p->nl, it);
		}
	}
	downsize(p, s);
	if (p->nl)
		empty_trucks(p, s);
	s->cost = sol_cost(p, s);
}

/* ---- minimum bin slack ---- */

/* Keeps s if it is the cheapest start so far; in a group of up to BB_MAX items the
 * runner-up too (p->alt; on a tie, the later start): the later moves run from both,
 * since two starts of one cost can end far apart (the 20,000-line sample's 2026-11-10
 * C23 group: 3680.56 from one, its optimum 3472.93 from the other). */
static int keep_best(struct planner *p, struct pl_sol *s)
{
	s->cost = sol_cost(p, s);
	if (s->cost < p->best.cost) {
		if (p->n <= BB_MAX && p->best.cost != INF)
			sol_copy(p, &p->alt, &p->best);
		sol_copy(p, &p->best, s);
	} else if (p->n <= BB_MAX && s->cost <= p->alt.cost) {
		sol_copy(p, &p->alt, s);
	}
	return 0;
}

/* The first position in rem[from..nr) whose item's size key is at most r (keys fall
 * along rem): no item before it fits a room of key r. */
static size_t first_at_most(const struct planner *p, const uint32_t *rem, size_t from,
                            size_t nr, int64_t r)
{
	while (from < nr) {
		size_t mid = from + (nr - from) / 2;
		if (p->key[rem[mid]] <= r)
			nr = mid;
		else
			from = mid + 1;
	}
	return from;
}

/* Whether items i and j are of the same size (trying both as a truck's second item
 * would give the same fill). */
static int same(const struct planner *p, uint32_t i, uint32_t j)
{
	return p->items[i].kg == p->items[j].kg && p->items[i].m3 == p->items[j].m3;
}

/* The room left in a truck of type t holding kg/m3, as a size key (the larger share of
 * the biggest truck): an item of a larger key cannot fit. */
static int64_t room_key(const struct planner *p, const struct pl_type *t, int64_t kg,
                        int64_t m3)
{
	int64_t a = (int64_t)((__int128)(t->cap_kg - kg) * 1000000 / p->max_kg);
	int64_t b = (int64_t)((__int128)(t->cap_m3 - m3) * 1000000 / p->max_m3);

	return a > b ? a : b;
}

/* How full a truck of type t is with kg/m3: its larger share, in millionths. */
static int64_t share(const struct pl_type *t, int64_t kg, int64_t m3)
{
	int64_t a = (int64_t)((__int128)kg * 1000000 / t->cap_kg);
	int64_t b = (int64_t)((__int128)m3 * 1000000 / t->cap_m3);

	return a > b ? a : b;
}

/* Completes a truck of type t holding the items pick[0..m) (kg/m3) greedily from rem
 * positions after `from`: each time the largest item that still fits.  Returns the new
 * count; p->work counts the items looked at. */
static size_t greedy_fill(struct planner *p, const struct pl_type *t, const uint32_t *rem,
                          size_t nr, size_t from, uint32_t *pick, size_t m, int64_t *kg,
                          int64_t *m3)
{
	size_t q = first_at_most(p, rem, from, nr, room_key(p, t, *kg, *m3)), scan;

	while (q < nr) {
		for (scan = 0; q < nr && scan < MBS_SCAN; q++, scan++)
			if (fits(t, *kg + p->items[rem[q]].kg, *m3 + p->items[rem[q]].m3))
				break;
		p->work += (long)scan + 1;
		if (q >= nr || scan == MBS_SCAN)
			break;
		pick[m++] = rem[q];
		*kg += p->items[rem[q]].kg, *m3 += p->items[rem[q]].m3;
		q = first_at_most(p, rem, q + 1, nr, room_key(p, t, *kg, *m3));
	}
	return m;
}

/* The set of items of rem[0..nr) (in decreasing size) with rem[0] that fills a truck of
 * type y best, for mbs() and ltl_to_truck(): for up to MBS_TRY second items, largest
 * first, the rest completed greedily; an exact fill stops the search.  The set is left in
 * p->bpick; returns its count. */
static size_t best_fill(struct planner *p, const struct pl_type *y, const uint32_t *rem,
                        size_t nr)
{
	uint32_t *pick = p->pick;
	const struct pl_item *it = &p->items[rem[0]];
	int64_t kg, m3, bfill = -1;
	size_t m, bm = 0, q = 0, tries;

	for (tries = 0; tries == 0 || (tries <= MBS_TRY && bfill < 1000000 &&
	                               p->work < p->work_limit); tries++) {
		/* tries 0: greedy from the largest item; then the second item is the q-th
		 * one that fits */
		kg = it->kg, m3 = it->m3;
		pick[0] = rem[0], m = 1;
		if (tries) {
			q = first_at_most(p, rem, q + 1, nr, room_key(p, y, kg, m3));
			while (q < nr && (!fits(y, kg + p->items[rem[q]].kg,
			                        m3 + p->items[rem[q]].m3) ||
			                  (tries > 1 && same(p, rem[q], pick[1]))))
				q++, p->work++;
			if (q >= nr)
				break;
			pick[m++] = rem[q];
			kg += p->items[rem[q]].kg, m3 += p->items[rem[q]].m3;
		}
		m = greedy_fill(p, y, rem, nr, tries ? q + 1 : 1, pick, m, &kg, &m3);
		if (share(y, kg, m3) > bfill) {
			bfill = share(y, kg, m3);
			bm = m;
			memcpy(p->bpick, pick, m * sizeof *pick);
		}
	}
	return bm;
}

/* What the LTL consignments' freight changes by when the items set[0..m) leave them. */
static int64_t ltl_without(const struct planner *p, const struct pl_sol *s,
                           const uint32_t *set, size_t m)
{
	int64_t c = 0;
	size_t j, i;

	for (j = 0; j < p->nl; j++) {
		struct pl_bin l = s->b[j];
		for (i = 0; i < m; i++)
			if (s->of[set[i]] == j)
				l = minus(l, &p->items[set[i]]);
		c += bin_cost(p, &l) - bin_cost(p, &s->b[j]);
	}
	return c;
}

/* Opens a truck for items now sent LTL, when it costs less than their share of the
 * consignments: for each type with a truck left, the largest LTL item it holds and the
 * others that fill it best (best_fill()); the cheapest such truck is opened, and again
 * while that saves.  No single item pays for a truck where several do (three 10 t lines
 * in a 17.5m truck): relocate() cannot find it, nor the exact search past BB_MAX items
 * or its node budget (dispatch-plan(1)). */
static int ltl_to_truck(struct planner *p, struct pl_sol *s)
{
	uint32_t *rem = p->rem, *keep = p->pair;
	int better = 0;

	if (!p->nl || !p->nt)
		return 0;
	for (;;) {
		int64_t best = 0, c;
		size_t nr = 0, k, j, m, bm = 0;
		struct pl_bin x;
		for (k = 0; k < p->n; k++)
			if (s->of[p->order[k]] < p->nl)
				rem[nr++] = p->order[k];
		p->work += (long)p->n;
		for (k = 0; k < p->nt && nr && p->work < p->work_limit; k++) {
			const struct pl_type *y = &p->types[k];
			size_t f = first_at_most(p, rem, 0, nr, room_key(p, y, 0, 0));
			while (f < nr && !fits(y, p->items[rem[f]].kg, p->items[rem[f]].m3))
				f++, p->work++;
			if (s->avail[k] <= 0 || f == nr)
				continue;
			m = best_fill(p, y, rem + f, nr - f);
			x = (struct pl_bin){ BIN_FTL, -1, 0, 0, 0 };
			for (j = 0; j < m; j++)
				x = plus(x, &p->items[p->bpick[j]]);
			if ((c = cost_as(p, s->avail, -1, &x)) == INF)
				continue;
			c += ltl_without(p, s, p->bpick, m);
			if (c < best) {
				best = c, bm = m;
				memcpy(keep, p->bpick, m * sizeof *keep);
			}
		}
		if (best >= 0)
			return better;
		x = (struct pl_bin){ BIN_FTL, -1, 0, 0, 0 };
		j = new_truck(s, p->nl + 1);
		for (k = 0; k < bm; k++) {
			struct pl_bin l = minus(s->b[s->of[keep[k]]], &p->items[keep[k]]);
			set_bin(s, s->of[keep[k]], &l);
			x = plus(x, &p->items[keep[k]]);
			s->of[keep[k]] = (uint32_t)j;
		}
		cost_as(p, s->avail, -1, &x);   /* the type priced above: avail is unchanged */
		set_bin(s, j, &x);
		better = 1;
	}
}

/* One truck of type t with rem[0] and the others of rem[0..nr) that fill it best
 * (best_fill()), put into s; the rest stay in rem, in order.  Returns how many. */
static size_t mbs_truck(struct planner *p, struct pl_sol *s, int t, uint32_t *rem, size_t nr)
{
	struct pl_bin x = { BIN_FTL, t, 0, 0, 0 };
	size_t bm = best_fill(p, &p->types[t], rem, nr), k, q, j;

	for (k = 0; k < bm; k++)
		x = plus(x, &p->items[p->bpick[k]]);
	j = new_truck(s, p->nl + 1);
	set_bin(s, j, &x);
	for (k = 0; k < bm; k++)
		s->of[p->bpick[k]] = (uint32_t)j;
	/* the rest, in order: rem without the picked items (of[] says where they went) */
	for (k = q = 0; k < nr; k++)
		if (s->of[rem[k]] != j)
			rem[q++] = rem[k];
	return q;
}

/* Minimum bin slack (Gupta and Ho; Fleszar and Hindi's MBS'): trucks are filled one at a
 * time, each with the largest item left and the set of others that fills it best
 * (best_fill()).  New trucks are of the preferred type, as in ffd(); what no truck
 * takes goes LTL (or nowhere); then the same downsizing and emptying as ffd(). */
static void mbs(struct planner *p, struct pl_sol *s, int pref)
{
	uint32_t *rem = p->rem;
	size_t nr = p->n, k;

	sol_reset(p, s);
	memcpy(rem, p->order, p->n * sizeof *rem);
	for (k = 0; k < p->n; k++)
		s->of[k] = UINT32_MAX;          /* not placed yet */
	while (nr) {
		const struct pl_item *it;
		size_t f = 0;
		int t, l;

		/* the first item: the largest, or with weights the heaviest weighted; moved
		 * to rem[0], the others staying in decreasing size */
		for (k = 1; k < nr; k++)
			if ((__int128)p->key[rem[k]] * p->wt[rem[k]] >
			    (__int128)p->key[rem[f]] * p->wt[rem[f]])
				f = k;
		p->work += (long)nr;
		if (f) {
			uint32_t i0 = rem[f];
			memmove(rem + 1, rem, f * sizeof *rem);
			rem[0] = i0;
		}
		it = &p->items[rem[0]];
		t = open_type(p, s->avail, pref, it);

		if (t < 0) {
			l = cheapest_ltl(p, s, it);
			put(s, rem[0], l >= 0 ? (size_t)l : p->nl, it);
			memmove(rem, rem + 1, --nr * sizeof *rem);
			continue;
		}
		nr = mbs_truck(p, s, t, rem, nr);
	}
	downsize(p, s);
	if (p->nl)
		empty_trucks(p, s);
	s->cost = sol_cost(p, s);
}

/* Perturbation (Fleszar and Hindi's weighted MBS'): the items of trucks left short get
 * heavier, so that the next construction places them first.  0 when every truck is
 * full: nothing to perturb. */
static int reweigh(const struct planner *p, const struct pl_sol *s)
{
	size_t i;
	int any = 0;

	for (i = 0; i < p->n; i++) {
		const struct pl_bin *b = &s->b[s->of[i]];
		int64_t f;
		if (b->kind != BIN_FTL)
			continue;
		f = share(&p->types[b->type], b->kg, b->m3);
		if (f < 1000000) {
			p->wt[i] += p->wt[i] / 2 + 1;
			any = 1;
		}
	}
	return any;
}

/* mbs() with preferred type t, then, in a group without LTL (where the lower bound says
 * when to stop), re-weighed and run again while the budget lasts (MBS_ROUNDS, MBS_WORK);
 * the first plan improved (small groups), the cheapest kept. */
static void mbs_rounds(struct planner *p, int t, int big)
{
	long stop = p->work + MBS_WORK;
	size_t i, r;

	for (i = 0; i < p->n; i++)
		p->wt[i] = 1;
	for (r = 0; r < (p->lower ? MBS_ROUNDS : 1) && p->work < stop; r++) {
		p->work_limit = stop;
		mbs(p, &p->cur, t);
		p->work_limit = LONG_MAX;
		if (!big && !r)         /* re-weighed plans only for what they save alone */
			improve(p, &p->cur);
		keep_best(p, &p->cur);
		if (p->best.cost <= p->lower || !reweigh(p, &p->cur))
			break;
	}
}

/* ---- bin packing by triples ---- */

/* When the group has 3 × target items and the room target trucks leave empty is less
 * than any two items leave in a truck, every truck of a plan at target must hold exactly
 * three items (Falkenauer's triplets).  tri_pack() then searches the partitions into
 * triples by local search from a greedy one: a truck loaded over its capacity swaps one
 * item with another truck's, the swap that lowers the overload most (ties at random,
 * the items moved kept still for a while; every TRI_KICK moves a few swaps at random),
 * until no truck is over or TRI_WORK swaps have been looked at; then the exact search
 * below, then the local search again with other random numbers (TRI_RUNS in all).  The
 * random numbers are fixed sequences: the same input gives the same plan. */

/* How far a truck holding kg/m3 is over its capacities, both counted on one scale. */
static __int128 tri_over(const struct pl_type *t, int64_t kg, int64_t m3)
{
	__int128 o = 0;

	if (kg > t->cap_kg)
		o += (__int128)(kg - t->cap_kg) * t->cap_m3;
	if (m3 > t->cap_m3)
		o += (__int128)(m3 - t->cap_m3) * t->cap_kg;
	return o;
}

static uint64_t tri_rand(uint64_t *r)
{
	*r ^= *r << 13, *r ^= *r >> 7, *r ^= *r << 17;      /* xorshift64 */
	return *r;
}

/* The greedy start: truck after truck, the largest item left and the two others that
 * fill it best (the second tried largest first, each size once, up to MBS_TRY); when no
 * two fit, the two smallest left.  Trucks b hold slot[3b..3b+2]. */
static void tri_start(struct planner *p, const struct pl_type *t, uint32_t *slot,
                      unsigned char *used, size_t target)
{
	size_t b, a = 0, q, r, last;

	memset(used, 0, p->n);
	for (b = 0; b < target; b++) {
		uint32_t i, bj = UINT32_MAX, bl = UINT32_MAX;
		int64_t bf = -1, kg, m3;
		size_t tries = 0;
		while (used[p->order[a]])
			a++;
		i = p->order[a];
		used[i] = 1;
		kg = p->items[i].kg, m3 = p->items[i].m3;
		last = SIZE_MAX;
		q = first_at_most(p, p->order, a + 1, p->n, room_key(p, t, kg, m3));
		for (; q < p->n && bf < 1000000 && tries < MBS_TRY; q++) {
			uint32_t j = p->order[q];
			int64_t jk = kg + p->items[j].kg, jm = m3 + p->items[j].m3;
			if (used[j] || !fits(t, jk, jm) ||
			    (last != SIZE_MAX && same(p, j, (uint32_t)last)))
				continue;
			last = j, tries++;
			r = first_at_most(p, p->order, q + 1, p->n, room_key(p, t, jk, jm));
			for (; r < p->n; r++) {
				uint32_t l = p->order[r];
				if (!used[l] && fits(t, jk + p->items[l].kg, jm + p->items[l].m3))
					break;
			}
			if (r < p->n && share(t, jk + p->items[p->order[r]].kg,
			                      jm + p->items[p->order[r]].m3) > bf) {
				bf = share(t, jk + p->items[p->order[r]].kg, jm + p->items[p->order[r]].m3);
				bj = j, bl = p->order[r];
			}
		}
		for (q = p->n; bj == UINT32_MAX && q-- > 0;) {  /* none fit: the two smallest */
			if (used[p->order[q]])
				continue;
			if (bl == UINT32_MAX)
				bl = p->order[q], used[bl] = 1;
			else
				bj = p->order[q];
		}
		used[bj] = used[bl] = 1;
		slot[3 * b] = i, slot[3 * b + 1] = bj, slot[3 * b + 2] = bl;
	}
}

/* Swaps the items of slots x and y, and their trucks' loads (p->tkg, p->tm3). */
static void tri_swap(struct planner *p, uint32_t *slot, size_t x, size_t y)
{
	const struct pl_item *i = &p->items[slot[x]], *j = &p->items[slot[y]];
	uint32_t s = slot[x];

	p->tkg[x / 3] += j->kg - i->kg, p->tm3[x / 3] += j->m3 - i->m3;
	p->tkg[y / 3] += i->kg - j->kg, p->tm3[y / 3] += i->m3 - j->m3;
	slot[x] = slot[y], slot[y] = s;
}

/* Local search over the triples slot[] from tri_start(), with the random numbers from
 * seed rnd (not 0); 1 when no truck is over. */
static int tri_search(struct planner *p, const struct pl_type *t, uint32_t *slot,
                      size_t target, uint64_t rnd)
{
	int64_t *kg = p->tkg, *m3 = p->tm3, *still = p->wt;
	long moves, work = 0;
	size_t b, k;

	for (b = 0; b < target; b++) {
		kg[b] = m3[b] = 0;
		for (k = 3 * b; k < 3 * b + 3; k++)
			kg[b] += p->items[slot[k]].kg, m3[b] += p->items[slot[k]].m3;
	}
	for (k = 0; k < p->n; k++)
		still[k] = 0;
	for (moves = 1; work < TRI_WORK; moves++) {
		size_t a = SIZE_MAX, nbad = 0, x, y, bx = 0, by = 0;
		__int128 worst = 0, best = 0, oa;
		uint64_t ties = 0;
		for (b = 0; b < target; b++) {
			__int128 o = tri_over(t, kg[b], m3[b]);
			if (!o)
				continue;
			/* every other move the worst truck, else one at random */
			if ((moves & 1) ? tri_rand(&rnd) % ++nbad == 0 : o > worst)
				a = b, worst = o;
		}
		work += (long)target;
		if (a == SIZE_MAX)
			return 1;
		oa = tri_over(t, kg[a], m3[a]);
		work += 3 * (long)p->n;        /* each of a's 3 items with each other */
		for (x = 3 * a; x < 3 * a + 3; x++) {
			const struct pl_item *ix = &p->items[slot[x]];
			for (y = 0; y < 3 * target; y++) {
				const struct pl_item *iy = &p->items[slot[y]];
				size_t c = y / 3;
				__int128 d;
				if (c == a || (ix->kg == iy->kg && ix->m3 == iy->m3))
					continue;
				d = tri_over(t, kg[a] - ix->kg + iy->kg, m3[a] - ix->m3 + iy->m3) +
				    tri_over(t, kg[c] + ix->kg - iy->kg, m3[c] + ix->m3 - iy->m3) -
				    oa - tri_over(t, kg[c], m3[c]);
				if (d >= 0 && (still[slot[x]] > moves || still[slot[y]] > moves))
					continue;
				if (!ties || d < best)
					best = d, bx = x, by = y, ties = 1;
				else if (d == best && tri_rand(&rnd) % ++ties == 0)
					bx = x, by = y;
			}
		}
		if (ties) {
			tri_swap(p, slot, bx, by);
			still[slot[bx]] = still[slot[by]] = moves + TRI_STILL;
		}
		if (moves % TRI_KICK == 0)      /* out of a plateau: TRI_KICKS swaps at random */
			for (k = 0; k < TRI_KICKS; k++)
				tri_swap(p, slot, tri_rand(&rnd) % (3 * target),
				         tri_rand(&rnd) % (3 * target));
	}
	return 0;
}

/* Whether every truck of a plan with target trucks must hold three items (see above):
 * the group has 3 × target items, and the two largest leave a truck emptier than the
 * room target trucks have to spare, in weight or in volume. */
static int tri_forced(const struct planner *p, const struct pl_type *t, size_t target,
                      int64_t left_kg, int64_t left_m3)
{
	int64_t k1 = 0, k2 = 0, v1 = 0, v2 = 0;
	size_t k;

	if (p->n != 3 * target)
		return 0;
	for (k = 0; k < p->n; k++) {
		int64_t a = p->items[k].kg, b = p->items[k].m3;
		if (a > k1)
			k2 = k1, k1 = a;
		else if (a > k2)
			k2 = a;
		if (b > v1)
			v2 = v1, v1 = b;
		else if (b > v2)
			v2 = b;
	}
	return t->cap_kg - k1 - k2 > left_kg || t->cap_m3 - v1 - v2 > left_m3;
}

/* Triples that fill every truck exactly in weight (no weight to spare): an exact search
 * with the most constrained item first (fail first).  by[] holds the items by decreasing
 * weight; a truck is the item with the fewest pairs of others completing its weight
 * (none: back), then each such pair, found by two pointers over by[]. */
struct tri_x {
	const struct pl_type *t;
	const uint32_t *by;
	unsigned char *used;
	uint32_t *stack;        /* the trucks' items, three by three */
	size_t n, sp;
	long work;
};

/* The next pair after (*lo, *hi) (start with *lo = SIZE_MAX) of unused items other than
 * f whose weights sum to want: positions in by[], one pair per two weights; 0 at the
 * end. */
static int tri_pair(const struct planner *p, struct tri_x *X, uint32_t f, int64_t want,
                    size_t *lo, size_t *hi)
{
	size_t a, b;

	if (*lo == SIZE_MAX) {
		a = 0, b = X->n;
	} else {                /* past both weights just tried */
		int64_t wa = p->items[X->by[*lo]].kg, wb = p->items[X->by[*hi]].kg;
		for (a = *lo; a < X->n && p->items[X->by[a]].kg == wa; a++)
			;
		for (b = *hi + 1; b > 0 && p->items[X->by[b - 1]].kg == wb; b--)
			;
	}
	while (a < b) {
		uint32_t i = X->by[a], j;
		int64_t s;
		X->work++;
		if (X->used[i] || i == f) {
			a++;
			continue;
		}
		if (X->used[X->by[b - 1]] || X->by[b - 1] == f || b - 1 == a) {
			b--;
			continue;
		}
		j = X->by[b - 1];
		s = p->items[i].kg + p->items[j].kg;
		if (s > want) {
			a++;
		} else if (s < want) {
			b--;
		} else {
			*lo = a, *hi = b - 1;
			return 1;
		}
	}
	return 0;
}

static int tri_exact(const struct planner *p, struct tri_x *X)
{
	size_t k, lo, hi, bk = SIZE_MAX, bc = SIZE_MAX;

	if (X->work > TRI_EXACT_WORK)
		return 0;
	for (k = 0; k < X->n; k++) {    /* the item of fewest completions */
		uint32_t f = X->by[k];
		size_t c = 0;
		if (X->used[f] || (k && p->items[X->by[k - 1]].kg == p->items[f].kg &&
		                   !X->used[X->by[k - 1]]))
			continue;
		for (lo = SIZE_MAX; c < bc && tri_pair(p, X, f, X->t->cap_kg - p->items[f].kg,
		                                       &lo, &hi);)
			c++;
		if (c < bc)
			bc = c, bk = k;
		if (!c)
			return 0;
	}
	if (bk == SIZE_MAX)
		return 1;               /* every item placed */
	{
		uint32_t f = X->by[bk];
		X->used[f] = 1;
		for (lo = SIZE_MAX; tri_pair(p, X, f, X->t->cap_kg - p->items[f].kg, &lo, &hi);) {
			uint32_t i = X->by[lo], j = X->by[hi];
			if (!fits(X->t, p->items[f].kg + p->items[i].kg + p->items[j].kg,
			          p->items[f].m3 + p->items[i].m3 + p->items[j].m3))
				continue;
			X->used[i] = X->used[j] = 1;
			X->stack[X->sp++] = f, X->stack[X->sp++] = i, X->stack[X->sp++] = j;
			if (tri_exact(p, X))
				return 1;
			X->sp -= 3;
			X->used[i] = X->used[j] = 0;
		}
		X->used[f] = 0;
	}
	return 0;
}

static int cmp_kg(const void *a, const void *b, void *arg)
{
	const struct pl_item *it = arg;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;

	if (it[i].kg != it[j].kg)
		return it[i].kg > it[j].kg ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* tri_exact() over the group: the triples in p->rem; 1 when found. */
static int tri_exact_pack(struct planner *p, const struct pl_type *t)
{
	struct tri_x X = { t, p->pair, (unsigned char *)p->bpick, p->rem, p->n, 0, 0 };
	size_t k;

	for (k = 0; k < p->n; k++)
		p->pair[k] = (uint32_t)k;
	qsort_r(p->pair, p->n, sizeof *p->pair, cmp_kg, (void *)p->items);
	memset(X.used, 0, p->n);
	return tri_exact(p, &X);
}

/* A plan at target trucks by triples, in p->rem truck after truck; 1 when found. */
static int tri_pack(struct planner *p, const struct pl_type *t, size_t target,
                    int64_t left_kg, int64_t left_m3)
{
	uint64_t run;

	if (!tri_forced(p, t, target, left_kg, left_m3))
		return 0;
	for (run = 0; run < TRI_RUNS; run++) {  /* runs differ by their random numbers */
		tri_start(p, t, p->rem, (unsigned char *)p->bpick, target);
		if (tri_search(p, t, p->rem, target, 0x9e3779b97f4a7c15ULL + run))
			return 1;
		if (!run && !left_kg && tri_exact_pack(p, t))
			return 1;
	}
	return 0;
}

/* ---- bin packing by slack ---- */

/* A group of one truck type and no LTL lane is a pure bin packing: T trucks can hold it
 * only if the room they leave empty, T × capacity less the load, is at least what each
 * truck leaves.  slack_pack() looks for a plan with `target` trucks depth first, truck by
 * truck: the largest item left, then every set of others that fills the truck with no
 * more slack than is left, fullest first (sizes tried once per level), within a node
 * budget.  With target at the lower bound the slack is small (none in a group that
 * fills every truck exactly) and the search is narrow. */
struct slk {
	const struct pl_type *t;
	int64_t left_kg, left_m3;      /* slack still allowed */
	int64_t min_kg, min_m3;        /* the smallest item's */
	long nodes, limit;
	unsigned char *used;
	uint32_t *stack;               /* items, truck after truck */
	size_t sp;
	uint32_t *ends;                /* where each truck's items end on the stack */
	size_t nbin;
};

static int slk_next(struct planner *p, struct slk *S);

static int slk_bin(struct planner *p, struct slk *S, size_t from, int64_t kg, int64_t m3)
{
	int64_t sk = S->t->cap_kg - kg, sm = S->t->cap_m3 - m3;
	size_t q, last = SIZE_MAX;

	q = first_at_most(p, p->order, from, p->n, room_key(p, S->t, kg, m3));
	for (; q < p->n; q++) {
		uint32_t i = p->order[q];
		int64_t nk = kg + p->items[i].kg, nm = m3 + p->items[i].m3;
		if (++S->nodes > S->limit)
			return 0;
		if (S->used[i] || !fits(S->t, nk, nm) ||
		    (last != SIZE_MAX && same(p, i, (uint32_t)last)))
			continue;
		/* a truck that no item can follow into must close within the slack */
		if ((S->t->cap_kg - nk < S->min_kg || S->t->cap_m3 - nm < S->min_m3) &&
		    (S->t->cap_kg - nk > S->left_kg || S->t->cap_m3 - nm > S->left_m3))
			continue;
		last = i;
		S->used[i] = 1;
		S->stack[S->sp++] = i;
		if (slk_bin(p, S, q + 1, kg + p->items[i].kg, m3 + p->items[i].m3))
			return 1;
		S->sp--;
		S->used[i] = 0;
	}
	if (sk > S->left_kg || sm > S->left_m3 || S->nodes > S->limit)
		return 0;
	S->left_kg -= sk, S->left_m3 -= sm;
	S->ends[S->nbin++] = (uint32_t)S->sp;
	if (slk_next(p, S))
		return 1;
	S->nbin--;
	S->left_kg += sk, S->left_m3 += sm;
	return 0;
}

static int slk_next(struct planner *p, struct slk *S)
{
	size_t q;
	uint32_t i;
	int r;

	for (q = 0; q < p->n && S->used[p->order[q]]; q++)
		;
	if (q == p->n)
		return 1;
	i = p->order[q];
	S->used[i] = 1;
	S->stack[S->sp++] = i;
	r = slk_bin(p, S, q + 1, p->items[i].kg, p->items[i].m3);
	if (!r) {
		S->sp--;
		S->used[i] = 0;
	}
	return r;
}

/* Tries to plan the group in fewer trucks than p->best, from the lower bound up, when it
 * is a pure bin packing; the plan found replaces p->best. */
static void slack_pack(struct planner *p)
{
	const struct pl_type *t = &p->types[0];
	struct slk S = { t, 0, 0, INF, INF, 0, 0, NULL, p->rem, 0, p->pick, 0 };
	int64_t kg = 0, m3 = 0, have, target;
	size_t k, b, j;

	if (p->nl || p->nt != 1 || !p->n || p->best.cost == INF || t->cost <= 0)
		return;
	for (k = 0; k < p->n; k++) {
		if (!fits(t, p->items[k].kg, p->items[k].m3))
			return;                 /* some go LTL or unplanned: no bin packing */
		kg += p->items[k].kg, m3 += p->items[k].m3;
		if (p->items[k].kg < S.min_kg)
			S.min_kg = p->items[k].kg;
		if (p->items[k].m3 < S.min_m3)
			S.min_m3 = p->items[k].m3;
	}
	have = p->best.cost / t->cost;
	S.used = (unsigned char *)p->bpick;     /* n bytes fit in n words */
	for (target = p->lower / t->cost; target < have && target <= t->avail &&
	     target <= p->lower / t->cost + 1; target++) {
		S.left_kg = target * t->cap_kg - kg;
		S.left_m3 = target * t->cap_m3 - m3;
		if (S.left_kg < 0 || S.left_m3 < 0)
			continue;
		if (target == p->lower / t->cost &&
		    tri_pack(p, t, (size_t)target, S.left_kg, S.left_m3)) {
			for (S.nbin = 0; S.nbin < (size_t)target; S.nbin++)
				S.ends[S.nbin] = (uint32_t)(3 * S.nbin + 3);
		} else {
			memset(S.used, 0, p->n);
			S.sp = S.nbin = 0;
			S.nodes = 0;
			S.limit = SLACK_NODES;
			if (!slk_next(p, &S))
				continue;
		}
		sol_reset(p, &p->best);
		for (b = k = 0; b < S.nbin; b++) {
			struct pl_bin x = { BIN_FTL, 0, 0, 0, 0 };
			size_t at = new_truck(&p->best, p->nl + 1);
			for (j = k; j < S.ends[b]; j++)
				x = plus(x, &p->items[S.stack[j]]);
			set_bin(&p->best, at, &x);
			for (; k < S.ends[b]; k++)
				p->best.of[S.stack[k]] = (uint32_t)at;
		}
		p->best.cost = sol_cost(p, &p->best);
		p->exact = target == p->lower / t->cost;
		return;
	}
}

/* Fills the trucks p->fleet[0..nfleet) one after the other by minimum bin slack (each
 * the largest item left and the others that fill it best, best_fill()), into s: 1 when
 * every item found a place.  Quicker than the slack search and better where the fleet
 * has room to spare. */
static int mbs_fleet(struct planner *p, size_t nfleet, struct pl_sol *s)
{
	uint32_t *rem = p->rem;
	size_t nr = p->n, b, k;
	long limit = p->work_limit;

	sol_reset(p, s);
	memcpy(rem, p->order, p->n * sizeof *rem);
	for (k = 0; k < p->n; k++)
		s->of[k] = UINT32_MAX;
	p->work_limit = p->work + (p->n > BIG_N ? MIX_BIG_MBS : MBS_WORK);
	for (b = 0; b < nfleet && nr; b++) {
		if (!fits(&p->types[p->fleet[b]], p->items[rem[0]].kg, p->items[rem[0]].m3))
			break;
		nr = mbs_truck(p, s, p->fleet[b], rem, nr);
	}
	p->work_limit = limit;
	s->cost = sol_cost(p, s);
	return nr == 0;
}

/* Overload of a truck holding kg/m3, in about billionths of its capacities (0: it
 * fits): each excess times 2^30 × 10^9 / capacity, computed once per truck, then
 * shifted back, so that the repair's inner loop multiplies and never divides. */
static struct slot_cap slot_cap(const struct pl_type *t)
{
	struct slot_cap c = { t->cap_kg, t->cap_m3,
			      (int64_t)(((__int128)1000000000 << 30) / (t->cap_kg > 0 ? t->cap_kg : 1)),
			      (int64_t)(((__int128)1000000000 << 30) / (t->cap_m3 > 0 ? t->cap_m3 : 1)) };
	return c;
}

static int64_t sc_part(int64_t x, int64_t cap, int64_t scale)
{
	__int128 o;

	if (x <= cap)
		return 0;
	o = ((__int128)(x - cap) * scale >> 30) + 1;
	return o > INF / 4 ? INF / 4 : (int64_t)o;
}

static int64_t sc_over(const struct slot_cap *c, int64_t kg, int64_t m3)
{
	return sc_part(kg, c->kg, c->skg) + sc_part(m3, c->m3, c->sm3);
}

/* fleet_repair()'s in[]: an item to place, an item not in the fleet's trucks. */
#define UNPLACED UINT32_MAX
#define OUTSIDE (UINT32_MAX - 1)

/* A fleet's truck type; p->nt stands for the LTL box of fleet_absorb(). */
static const struct pl_type *fleet_type(const struct planner *p, int t)
{
	return t == (int)p->nt ? &p->box : &p->types[t];
}

/* The fleet's trucks p->fleet[0..nf) with every item, truck of item i in in[i], as a
 * plan into s (trucks left empty are not used); an item OUTSIDE the fleet stays in the
 * LTL consignment where keep has it. */
static void fleet_plan(struct planner *p, size_t nf, const uint32_t *in,
                       const struct pl_sol *keep, struct pl_sol *s)
{
	size_t b, k;

	sol_reset(p, s);
	for (k = 0; k < p->n; k++)
		if (in[k] == OUTSIDE) {
			s->of[k] = keep->of[k];
			s->b[keep->of[k]] = plus(s->b[keep->of[k]], &p->items[k]);
		}
	for (b = 0; b < nf; b++) {
		struct pl_bin x = { BIN_FTL, p->fleet[b], 0, 0, 0 };
		size_t at;
		if (p->fleet[b] == (int)p->nt)          /* the LTL box: its lane */
			x = s->b[p->box_lane];
		for (k = 0; k < p->n; k++)
			if (in[k] == b)
				x = plus(x, &p->items[k]);
		if (!x.cnt)
			continue;
		at = p->fleet[b] == (int)p->nt ? p->box_lane : new_truck(s, p->nl + 1);
		set_bin(s, at, &x);
		for (k = 0; k < p->n; k++)
			if (in[k] == b)
				s->of[k] = (uint32_t)at;
	}
	s->cost = sol_cost(p, s);
}

/* fleet_repair() from nothing placed. */
static void fresh_start(struct planner *p)
{
	size_t k;

	for (k = 0; k < p->n; k++)
		p->pair[k] = UNPLACED;
}

/* Fills the trucks p->fleet[0..nf) with every item by overload repair: each item in
 * decreasing size where it adds the least overload (fullest truck on a tie), then, while
 * a truck is over, the move of one of its items to another truck or the swap with
 * another truck's item that lowers the total overload most (the worst truck and one at
 * random in turn, as tri_search(): items just moved stay TRI_STILL moves unless that
 * helps, TRI_KICKS random swaps every TRI_KICK moves), within `limit` pairs looked
 * at.  Items in[] places already start there, those OUTSIDE stay as keep has them.  1
 * and the plan in s when no truck is over. */
static int fleet_repair(struct planner *p, size_t nf, const struct pl_sol *keep, long limit,
                        struct pl_sol *s)
{
	int64_t *kg = p->tkg, *m3 = p->tm3, *still = p->wt;
	int64_t *ov = p->fill;          /* each truck's overload, this move */
	struct slot_cap *sc = p->slot;
	uint32_t *in = p->pair;
	uint64_t rnd = 0x2545f4914f6cdd1dULL;
	long moves, work = 0;
	size_t b, k, x, y;

	for (b = 0; b < nf; b++) {
		sc[b] = slot_cap(fleet_type(p, p->fleet[b]));
		kg[b] = m3[b] = 0;
	}
	for (k = 0; k < p->n; k++)
		if (in[k] != UNPLACED && in[k] != OUTSIDE)
			kg[in[k]] += p->items[k].kg, m3[in[k]] += p->items[k].m3;
	for (k = 0; k < p->n; k++) {
		uint32_t i = p->order[k];
		const struct pl_item *it = &p->items[i];
		size_t bb = 0;
		int64_t bd = INF, broom = INF;
		still[i] = 0;
		if (in[i] != UNPLACED)
			continue;
		for (b = 0; b < nf; b++) {
			const struct pl_type *t = fleet_type(p, p->fleet[b]);
			int64_t d = sc_over(&sc[b], kg[b] + it->kg, m3[b] + it->m3) -
				    sc_over(&sc[b], kg[b], m3[b]);
			int64_t room = d ? 0 : room_key(p, t, kg[b] + it->kg, m3[b] + it->m3);
			if (d < bd || (d == bd && room < broom))
				bb = b, bd = d, broom = room;
		}
		in[i] = (uint32_t)bb;
		kg[bb] += it->kg, m3[bb] += it->m3;
	}
	work += (long)(p->n * nf);
	for (moves = 1; work < limit; moves++) {
		size_t a = SIZE_MAX, nbad = 0, bx = 0, by = 0, byc = 0;
		int64_t worst = 0, best = 0, oa;
		uint64_t ties = 0;
		for (b = 0; b < nf; b++) {
			int64_t o = ov[b] = sc_over(&sc[b], kg[b], m3[b]);
			if (!o)
				continue;
			if ((moves & 1) ? tri_rand(&rnd) % ++nbad == 0 : o > worst)
				a = b, worst = o;
		}
		work += (long)nf;
		if (a == SIZE_MAX) {
			fleet_plan(p, nf, in, keep, s);
			return 1;
		}
		oa = ov[a];
		for (x = 0; x < p->n; x++) {
			const struct pl_item *ix = &p->items[x];
			if (in[x] != a)
				continue;
			work += (long)(p->n + nf);
			/* y < p->n: swap x with item y; y >= p->n: move x to truck y - p->n */
			for (y = 0; y < p->n + nf; y++) {
				size_t c = y < p->n ? in[y] : y - p->n;
				int64_t dk = ix->kg, dm = ix->m3, d;
				if (c == a || c == OUTSIDE)
					continue;
				if (y < p->n) {
					if (p->items[y].kg == ix->kg && p->items[y].m3 == ix->m3)
						continue;
					dk -= p->items[y].kg, dm -= p->items[y].m3;
				}
				d = sc_over(&sc[a], kg[a] - dk, m3[a] - dm) +
				    sc_over(&sc[c], kg[c] + dk, m3[c] + dm) - oa - ov[c];
				if (d >= 0 && (still[x] > moves || (y < p->n && still[y] > moves)))
					continue;
				if (!ties || d < best)
					best = d, bx = x, by = y, byc = c, ties = 1;
				else if (d == best && tri_rand(&rnd) % ++ties == 0)
					bx = x, by = y, byc = c;
			}
		}
		if (ties) {
			const struct pl_item *ix = &p->items[bx];
			kg[a] -= ix->kg, m3[a] -= ix->m3;
			kg[byc] += ix->kg, m3[byc] += ix->m3;
			in[bx] = (uint32_t)byc;
			still[bx] = moves + TRI_STILL;
			if (by < p->n) {
				const struct pl_item *iy = &p->items[by];
				kg[byc] -= iy->kg, m3[byc] -= iy->m3;
				kg[a] += iy->kg, m3[a] += iy->m3;
				in[by] = (uint32_t)a;
				still[by] = moves + TRI_STILL;
			}
		}
		if (moves % TRI_KICK == 0)      /* out of a plateau: TRI_KICKS swaps at random */
			for (k = 0; k < TRI_KICKS; k++) {
				size_t i = tri_rand(&rnd) % p->n, j = tri_rand(&rnd) % p->n;
				uint32_t bi = in[i], bj = in[j];
				if (bi == OUTSIDE || bj == OUTSIDE)
					continue;
				kg[bi] += p->items[j].kg - p->items[i].kg;
				m3[bi] += p->items[j].m3 - p->items[i].m3;
				kg[bj] += p->items[i].kg - p->items[j].kg;
				m3[bj] += p->items[i].m3 - p->items[j].m3;
				in[i] = bj, in[j] = bi;
			}
	}
	return 0;
}

/* A fleet for fleet_pack(): na trucks of type a and nb of type b (not larger than a). */
struct fleet_try {
	int64_t cost;
	int a, b;
	int64_t na, nb;
};

/* Keeps the MIX_TRIES cheapest fleets in try[0..*ntry), ties to the one found first. */
static void try_keep(struct fleet_try *try, size_t *ntry, struct fleet_try c)
{
	size_t x;

	for (x = *ntry; x > 0 && try[x - 1].cost > c.cost; x--)
		if (x < MIX_TRIES)
			try[x] = try[x - 1];
	if (x < MIX_TRIES) {
		try[x] = c;
		if (*ntry < MIX_TRIES)
			(*ntry)++;
	}
}

/* How many trucks of type t the load kg/m3 needs at least (0 for none). */
static int64_t trucks_for(const struct pl_type *t, int64_t kg, int64_t m3)
{
	int64_t a = kg > 0 ? (kg + t->cap_kg - 1) / t->cap_kg : 0;
	int64_t b = m3 > 0 ? (m3 + t->cap_m3 - 1) / t->cap_m3 : 0;

	return a > b ? a : b;
}

/* How many trucks of type A the items that do not fit type B need at least (one at least):
 * each item over half of A in weight or volume has its own, and all take their room. */
static int64_t only_on(const struct planner *p, const struct pl_type *A, const struct pl_type *B)
{
	int64_t kg = 0, m3 = 0, halves = 0, n;
	size_t k;

	for (k = 0; k < p->n; k++) {
		const struct pl_item *it = &p->items[k];
		if (fits(B, it->kg, it->m3))
			continue;
		kg += it->kg, m3 += it->m3;
		halves += 2 * it->kg > A->cap_kg || 2 * it->m3 > A->cap_m3;
	}
	n = trucks_for(A, kg, m3);
	n = n > halves ? n : halves;
	return n > 1 ? n : 1;
}

/* A group of several truck types (or with LTL) whose plan is dearer than a fleet of one
 * or two types with just the room for it all.  The starts fill the type that is
 * cheapest for its capacity first and leave the rest to smaller trucks; in a group that
 * is tight on that type, one more of it, or another mix of two types, packed tight costs
 * less (issue 18's adversarial groups: twenty 13m trucks full to 97-99.9% and three 7.6m
 * against twenty-one 13m; twelve 17.5m full by volume and two 4.2m against the twelve
 * and one).  The fleets: for each type a that holds every item, the fewest of it for the
 * load and one more; and with each type b no larger and cheaper, na of a (from what the
 * items too big for b need) and the fewest of b for the rest, all within `vehicles`.
 * Those that cost less than the plan are tried cheapest first, MIX_TRIES of them
 * (MIX_BIG_TRIES in a group of more than BIG_N items), each by minimum bin slack and
 * then (in a group of up to BIG_N items) by overload repair; the first filled replaces
 * p->best. */
static void fleet_pack(struct planner *p)
{
	struct fleet_try try[MIX_TRIES];
	size_t ntry = 0, k, x;
	int64_t kg = 0, m3 = 0, low, na, nb;
	int a, b, fit;

	if ((p->nt == 1 && !p->nl) || p->n < LNS_MIN || p->best.cost == INF)
		return;
	for (k = 0; k < p->n; k++)
		kg += p->items[k].kg, m3 += p->items[k].m3;
	for (a = 0; a < (int)p->nt; a++) {
		const struct pl_type *A = &p->types[a];
		for (fit = 1, k = 0; fit && k < p->n; k++)
			fit = fits(A, p->items[k].kg, p->items[k].m3);
		if (!fit)
			continue;
		low = trucks_for(A, kg, m3);
		for (na = low; na <= low + 1 && na <= A->avail && na <= (int64_t)p->n; na++)
			if ((__int128)na * A->cost < p->best.cost)
				try_keep(try, &ntry, (struct fleet_try){ na * A->cost, a, a, na, 0 });
		for (b = 0; b < (int)p->nt; b++) {
			const struct pl_type *B = &p->types[b];
			if (b == a || B->cap_kg > A->cap_kg || B->cap_m3 > A->cap_m3 ||
			    B->cost >= A->cost)
				continue;
			for (na = only_on(p, A, B); na < low && na <= A->avail; na++) {
				nb = trucks_for(B, kg - na * A->cap_kg, m3 - na * A->cap_m3);
				if (nb > B->avail || na + nb > (int64_t)p->n)
					continue;
				if ((__int128)na * A->cost + (__int128)nb * B->cost < p->best.cost)
					try_keep(try, &ntry, (struct fleet_try){
						na * A->cost + nb * B->cost, a, b, na, nb });
			}
		}
	}
	for (x = 0; x < ntry && (p->n <= BIG_N || x < MIX_BIG_TRIES); x++) {
		size_t nf = 0;
		for (na = 0; na < try[x].na; na++)
			p->fleet[nf++] = try[x].a;
		for (nb = 0; nb < try[x].nb; nb++)
			p->fleet[nf++] = try[x].b;
		fresh_start(p);
		if ((mbs_fleet(p, nf, &p->tmp) ||
		     (p->n <= BIG_N && fleet_repair(p, nf, NULL, REPAIR_WORK, &p->tmp))) &&
		    p->tmp.cost < p->best.cost) {
			sol_copy(p, &p->best, &p->tmp);
			return;
		}
	}
}

/* ---- branch and bound ---- */

/* Depth-first search over the items ord[0..n), each into an open truck, an LTL lane or a
 * new truck of each type, from an incumbent cost.  The LTL lanes may start with a base
 * load (items that stay where they are): costs are then marginal.  Bound: the cost so far
 * plus the cheapest freight per kg (and per m³) of what does not fit the open trucks'
 * spare room, less the slack of the base loads below their minimum charges. */
struct bb {
	const uint32_t *ord;
	size_t n, ntk, cap;
	int *tk_type;
	int64_t *tk_kg, *tk_m3;
	struct pl_bin *lb;      /* LTL bins */
	long *avail;
	int *code, *best_code;  /* per position: truck >= 0, LTL -1-l, none -1-nl */
	int *best_type;
	size_t best_ntk;
	int64_t best, slack;
	int64_t *rem_kg, *rem_m3;
	/* lower bound rates: cents = amount × num / den */
	__int128 kg_num, kg_den, m3_num, m3_den;
	int *type_order;
	size_t *slot;           /* bb_apply: truck -> bin */
	long nodes, limit;
	int aborted;
};

static void rate_min(__int128 *num, __int128 *den, __int128 n, __int128 d)
{
	if (*den == 0 || n * *den < *num * d)
		*num = n, *den = d;
}

static int64_t bb_lower(const struct bb *s, size_t k, int64_t spare_kg, int64_t spare_m3)
{
	int64_t a = s->rem_kg[k] - spare_kg, b = s->rem_m3[k] - spare_m3, la = 0, lb = 0;

	if (a > 0 && s->kg_den)
		la = (int64_t)(a * s->kg_num / s->kg_den);
	if (b > 0 && s->m3_den)
		lb = (int64_t)(b * s->m3_num / s->m3_den);
	la = (la > lb ? la : lb) - s->slack;
	return la > 0 ? la : 0;
}

static void bb_rec(struct planner *p, struct bb *s, size_t k, int64_t cost, int64_t spare_kg,
                   int64_t spare_m3)
{
	const struct pl_item *it;
	size_t j, l, q;

	if (++s->nodes > s->limit) {
		s->aborted = 1;
		return;
	}
	if (k == s->n) {
		if (cost < s->best) {
			s->best = cost;
			memcpy(s->best_code, s->code, s->n * sizeof *s->code);
			memcpy(s->best_type, s->tk_type, s->ntk * sizeof *s->tk_type);
			s->best_ntk = s->ntk;
		}
		return;
	}
	if (cost + bb_lower(s, k, spare_kg, spare_m3) >= s->best)
		return;
	it = &p->items[s->ord[k]];
	for (j = 0; j < s->ntk && !s->aborted; j++) {
		const struct pl_type *t = &p->types[s->tk_type[j]];
		int dup = 0;
		if (s->tk_kg[j] + it->kg > t->cap_kg || s->tk_m3[j] + it->m3 > t->cap_m3)
			continue;
		for (q = 0; q < j && !dup; q++)
			dup = s->tk_type[q] == s->tk_type[j] && s->tk_kg[q] == s->tk_kg[j] &&
			      s->tk_m3[q] == s->tk_m3[j];
		if (dup)
			continue;
		s->tk_kg[j] += it->kg, s->tk_m3[j] += it->m3;
		s->code[k] = (int)j;
		bb_rec(p, s, k + 1, cost, spare_kg - it->kg, spare_m3 - it->m3);
		s->tk_kg[j] -= it->kg, s->tk_m3[j] -= it->m3;
	}
	for (q = 0; q < p->nt && !s->aborted; q++) {
		int t = s->type_order[q];
		const struct pl_type *y = &p->types[t];
		if (s->avail[t] <= 0 || !fits(y, it->kg, it->m3))
			continue;
		s->avail[t]--;
		j = s->ntk++;
		s->tk_type[j] = t, s->tk_kg[j] = it->kg, s->tk_m3[j] = it->m3;
		s->code[k] = (int)j;
		bb_rec(p, s, k + 1, cost + y->cost, spare_kg + y->cap_kg - it->kg,
		       spare_m3 + y->cap_m3 - it->m3);
		s->ntk--;
		s->avail[t]++;
	}
	for (l = 0; l < p->nl && !s->aborted; l++) {
		struct pl_bin old = s->lb[l];
		int64_t d;
		s->lb[l] = plus(old, it);
		d = bin_cost(p, &s->lb[l]) - bin_cost(p, &old);
		s->code[k] = -1 - (int)l;
		bb_rec(p, s, k + 1, cost + d, spare_kg, spare_m3);
		s->lb[l] = old;
	}
	if (!s->aborted) {
		struct pl_bin none = { BIN_NONE, 0, it->kg, it->m3, 1 };
		s->code[k] = -1 - (int)p->nl;
		bb_rec(p, s, k + 1, cost + bin_cost(p, &none), spare_kg, spare_m3);
	}
}

static int cmp_type_cost(const void *a, const void *b, void *arg)
{
	const struct pl_type *t = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (t[x].cap_kg != t[y].cap_kg)
		return t[x].cap_kg > t[y].cap_kg ? -1 : 1;
	if (t[x].cost != t[y].cost)
		return t[x].cost < t[y].cost ? -1 : 1;
	return x - y;
}

#define BB_GROW(f) do { \
		void *q_ = sd_realloc(s->f, (n + 1) * sizeof *s->f); \
		if (!q_) return -1; \
		s->f = q_; \
	} while (0)

static int bb_grow(struct bb *s, size_t n)
{
	BB_GROW(tk_type);
	BB_GROW(tk_kg);
	BB_GROW(tk_m3);
	BB_GROW(lb);
	BB_GROW(avail);
	BB_GROW(code);
	BB_GROW(best_code);
	BB_GROW(best_type);
	BB_GROW(rem_kg);
	BB_GROW(rem_m3);
	BB_GROW(type_order);
	BB_GROW(slot);
	return 0;
}

/* Work space for n items (and at most n trucks), kept in the planner. */
static struct bb *bb_reserve(struct planner *p, size_t n)
{
	struct bb *s = p->bb;
	size_t need = n + p->nt + p->nl + 1;

	if (!s) {
		if (!(s = sd_realloc(NULL, sizeof *s)))
			return NULL;
		memset(s, 0, sizeof *s);
		p->bb = s;
	}
	if (need > s->cap) {
		n = need;
		if (bb_grow(s, n) < 0)
			return NULL;
		s->cap = need;
	}
	return s;
}

static void bb_free(struct bb *s)
{
	if (!s)
		return;
	sd_free(s->tk_type), sd_free(s->tk_kg), sd_free(s->tk_m3), sd_free(s->lb);
	sd_free(s->avail), sd_free(s->code), sd_free(s->best_code), sd_free(s->best_type);
	sd_free(s->rem_kg), sd_free(s->rem_m3), sd_free(s->type_order), sd_free(s->slot);
	sd_free(s);
}

/* Searches ord[0..n) with the LTL lanes' base loads base[0..nl) and the trucks avail[]
 * from the incumbent cost; 1 when s->best_* hold a cheaper assignment. */
static int bb_run(struct planner *p, struct bb *s, const uint32_t *ord, size_t n,
                  const struct pl_bin *base, const long *avail, int64_t incumbent, long limit)
{
	size_t k, l, t;

	s->ord = ord;
	s->n = n;
	s->ntk = 0;
	s->kg_num = s->kg_den = s->m3_num = s->m3_den = 0;
	s->slack = 0;
	for (l = 0; l < p->nl; l++) {
		const struct lane *y = p->ltl[l];
		__int128 f = (__int128)y->rate_per_kg * (1000000 + y->fuel_pct);
		s->lb[l] = base[l];
		if (base[l].cnt) {      /* what a base below its minimum charge hides */
			__int128 var = ltl_chargeable(y, base[l].kg, base[l].m3) * f;
			s->slack += bin_cost(p, &base[l]) -
			            (int64_t)(var / (__int128)10000000000000000LL) + 1;
		}
		/* cents per 0.001 kg: rate4 × fuel6 / 10^(4+6-2+3) */
		rate_min(&s->kg_num, &s->kg_den, f, (__int128)100000000000LL);
		/* cents per 0.0001 m³: × factor4, / 10^(4+4+6-2+4) */
		rate_min(&s->m3_num, &s->m3_den, f * y->kg_per_m3, (__int128)10000000000000000LL);
	}
	for (t = 0; t < p->nt; t++) {
		const struct pl_type *y = &p->types[t];
		s->avail[t] = avail[t];
		s->type_order[t] = (int)t;
		rate_min(&s->kg_num, &s->kg_den, y->cost, y->cap_kg);
		rate_min(&s->m3_num, &s->m3_den, y->cost, y->cap_m3);
	}
	qsort_r(s->type_order, p->nt, sizeof *s->type_order, cmp_type_cost, (void *)p->types);
	s->rem_kg[n] = s->rem_m3[n] = 0;
	for (k = n; k-- > 0;) {
		s->rem_kg[k] = s->rem_kg[k + 1] + p->items[ord[k]].kg;
		s->rem_m3[k] = s->rem_m3[k + 1] + p->items[ord[k]].m3;
	}
	s->best = incumbent;
	s->nodes = 0;
	s->limit = limit;
	s->aborted = 0;
	bb_rec(p, s, 0, 0, 0, 0);
	p->nodes += s->nodes;
	return s->best < incumbent;
}

/* Puts the items ord[0..n) where the search's best assignment says: its trucks are
 * opened, its LTL codes add to the lanes. */
static void bb_apply(struct planner *p, struct pl_sol *sol, const struct bb *s)
{
	size_t k, t, first = p->nl + 1, *slot = s->slot;

	for (t = 0; t < s->best_ntk; t++) {
		slot[t] = new_truck(sol, first);        /* empty, but no longer free */
		sol->b[slot[t]] = (struct pl_bin){ BIN_FTL, s->best_type[t], 0, 0, 0 };
	}
	for (k = 0; k < s->n; k++) {
		int c = s->best_code[k];
		uint32_t i = s->ord[k];
		size_t j = c >= 0 ? slot[c] : (size_t)(-1 - c);
		struct pl_bin x = plus(sol->b[j], &p->items[i]);

		set_bin(sol, j, &x);
		sol->of[i] = (uint32_t)j;
	}
	sol->cost = sol_cost(p, sol);
}

/* The whole group, exactly, from the incumbent p->best. */
static int branch_and_bound(struct planner *p)
{
	struct bb *s = bb_reserve(p, p->n);
	size_t l;

	if (!s)
		return -1;
	for (l = 0; l < p->nl; l++)
		p->tmp.b[l] = (struct pl_bin){ BIN_LTL, (int)l, 0, 0, 0 };
	for (l = 0; l < p->nt; l++)
		p->tmp.avail[l] = p->types[l].avail;
	if (bb_run(p, s, p->order, p->n, p->tmp.b, p->tmp.avail, p->best.cost, p->node_limit)) {
		sol_reset(p, &p->best);
		bb_apply(p, &p->best, s);
	}
	p->exact = !s->aborted;
	return 0;
}

/* How full bin j is: the larger share of its truck's capacities, in millionths; 0 for
 * LTL (any pair with an LTL lane is worth a look). */
static int64_t fill_of(const struct planner *p, const struct pl_bin *b)
{
	const struct pl_type *t;
	int64_t a, c;

	if (b->kind != BIN_FTL || !b->cnt)
		return 0;
	t = &p->types[b->type];
	a = (int64_t)((__int128)b->kg * 1000000 / t->cap_kg);
	c = (int64_t)((__int128)b->m3 * 1000000 / t->cap_m3);
	return a > c ? a : c;
}

/* The fill at or below which a truck is among the PAIR_LOW emptiest (all, in a small
 * group). */
static int64_t low_fill(struct planner *p, const struct pl_sol *sol)
{
	int64_t thr = -1;
	size_t j, k, cnt = 0;

	for (j = 0; j < sol->nb; j++)
		p->fill[j] = fill_of(p, &sol->b[j]);
	if (p->n <= BIG_N)
		return INF;
	for (k = 0; k < PAIR_LOW; k++) {        /* the next larger fill, PAIR_LOW times */
		int64_t next = INF;
		for (j = p->nl + 1; j < sol->nb; j++)
			if (sol->b[j].kind == BIN_FTL && p->fill[j] > thr && p->fill[j] < next)
				next = p->fill[j];
		if (next == INF)
			return INF;
		thr = next;
		for (j = p->nl + 1; j < sol->nb; j++)
			cnt += sol->b[j].kind == BIN_FTL && p->fill[j] == thr;
		if (cnt >= PAIR_LOW)
			break;
	}
	return thr;
}

/* Re-plans the items of the loads set[0..m) exactly, the rest staying put, within limit
 * nodes: 1 when that is cheaper (sol then holds it), 0 when not.  Trucks the search
 * does not use are freed; what it sends LTL adds to the lanes' other loads. */
static int replan(struct planner *p, struct bb *s, struct pl_sol *sol, const size_t *set,
                  size_t m, long limit)
{
	static const struct pl_bin freed = { BIN_FREE, -1, 0, 0, 0 };
	uint32_t *ord = p->pair;
	struct pl_bin *base = p->tmp.b;
	long *avail = p->tmp.avail;
	int64_t inc = 0;
	size_t k, q, n = 0;

	for (k = 0; k < p->n; k++) {
		uint32_t j = sol->of[p->order[k]];
		for (q = 0; q < m && set[q] != j; q++)
			;
		if (q < m)
			ord[n++] = p->order[k];
	}
	memcpy(base, sol->b, p->nl * sizeof *base);
	memcpy(avail, sol->avail, p->nt * sizeof *avail);
	for (k = 0; k < n; k++) {
		uint32_t j = sol->of[ord[k]];
		if (j < p->nl)
			base[j] = minus(base[j], &p->items[ord[k]]);
	}
	for (q = 0; q < m; q++) {
		const struct pl_bin *B = &sol->b[set[q]];
		hold(avail, B, -1);
		inc += B->kind == BIN_FTL ? bin_cost(p, B) :
		       bin_cost(p, B) - bin_cost(p, &base[set[q]]);
	}
	if (!bb_run(p, s, ord, n, base, avail, inc, limit))
		return 0;
	/* take the loads apart, then load them as found */
	memcpy(sol->b, base, p->nl * sizeof *base);
	for (q = 0; q < m; q++)
		if (sol->b[set[q]].kind == BIN_FTL)
			set_bin(sol, set[q], &freed);
	bb_apply(p, sol, s);
	return 1;
}

/* Re-plans the items of two loads exactly (the rest staying put) while that saves:
 * two half-empty trucks become one, a 9.6m and a 6.8m a 13m and a 4.2m... */
static int repack_pairs(struct planner *p, struct pl_sol *sol)
{
	struct bb *s = bb_reserve(p, p->n);
	size_t a, b, nb0 = sol->nb;
	int better = 0;
	int64_t thr;

	if (!s)
		return -1;
	thr = low_fill(p, sol);
	for (a = 0; a < sol->nb; a++) {
		for (b = a + 1; b < sol->nb; b++) {
			const struct pl_bin *A = &sol->b[a], *B = &sol->b[b];
			size_t set[2] = { a, b };
			if (!A->cnt || !B->cnt || A->kind == BIN_NONE || B->kind == BIN_NONE ||
			    (A->kind != BIN_FTL && B->kind != BIN_FTL) || A->cnt + B->cnt > PAIR_MAX)
				continue;
			if ((a < nb0 && p->fill[a] > thr) && (b < nb0 && p->fill[b] > thr))
				continue;
			if (p->pair_left <= 0)
				return better;
			p->pair_left -= (long)p->n;
			better |= replan(p, s, sol, set, 2,
			                 p->pair_left < PAIR_NODES ? p->pair_left : PAIR_NODES);
			p->pair_left -= s->nodes;
		}
	}
	return better;
}

/* The non-empty loads of sol other than the none bin, in bin order, into load[]; the
 * fill of every bin into p->fill.  Returns how many. */
static size_t list_loads(struct planner *p, const struct pl_sol *sol, size_t *load)
{
	size_t j, m = 0;

	for (j = 0; j < sol->nb; j++) {
		p->fill[j] = fill_of(p, &sol->b[j]);
		if (sol->b[j].cnt && sol->b[j].kind != BIN_NONE)
			load[m++] = j;
	}
	return m;
}

/* Whether load j is in set[0..m). */
static int in_set(const size_t *set, size_t m, size_t j)
{
	while (m-- > 0)
		if (set[m] == j)
			return 1;
	return 0;
}

/* The companions of the seed set[0]: up to want loads in all, holding at most LNS_ITEMS
 * items, either the emptiest (by fill_of(), LTL first) or drawn by the generator *r. */
static size_t companions(const struct planner *p, const struct pl_sol *sol, const size_t *load,
                         size_t nload, size_t *set, size_t want, int drawn, uint64_t *r)
{
	size_t m = 1, k, tries;
	uint32_t cnt = sol->b[set[0]].cnt;

	for (tries = 0; m < want && tries < 4 * want; tries++) {
		size_t pick = SIZE_MAX;
		if (drawn) {
			pick = load[tri_rand(r) % nload];
		} else {
			for (k = 0; k < nload; k++)
				if (!in_set(set, m, load[k]) &&
				    cnt + sol->b[load[k]].cnt <= LNS_ITEMS &&
				    (pick == SIZE_MAX || p->fill[load[k]] < p->fill[pick]))
					pick = load[k];
			if (pick == SIZE_MAX)
				break;
		}
		if (in_set(set, m, pick) || cnt + sol->b[pick].cnt > LNS_ITEMS)
			continue;
		cnt += sol->b[pick].cnt;
		set[m++] = pick;
	}
	return m;
}

/* Ruin and recreate, a large-neighbourhood search: the items of 3 to 5 loads are taken
 * out and re-planned exactly (replan()), the rest staying put, and kept when that is
 * cheaper: four trucks re-packed as three, which no move of one item and no re-plan of
 * two loads reaches.  Each load in turn is the seed; its companions are, pass after
 * pass, the emptiest other loads or loads drawn by a fixed-seed generator, with 3, 4, 5
 * loads in turn.  It stops after LNS_STILL passes without a saving or when LNS_WORK
 * (items gathered and nodes) is spent: the same group gives the same plan. */
static int ruin_recreate(struct planner *p, struct pl_sol *sol)
{
	struct bb *s = bb_reserve(p, p->n);
	size_t *load = p->loads, set[LNS_LOADS], nload, pass, still = 0, i, m;
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	long left = p->n > BIG_N ? LNS_BIG_WORK : LNS_WORK;
	int better = 0;

	if (!s)
		return -1;
	for (pass = 0; still < LNS_STILL && left > 0; pass++) {
		int saved = 0;
		for (i = 0; left > 0; i++) {
			nload = list_loads(p, sol, load);
			if (i >= nload)
				break;
			set[0] = load[i];
			m = companions(p, sol, load, nload, set, 3 + pass % 3, (int)(pass % 2), &rnd);
			if (m < 3)
				continue;
			left -= (long)p->n;
			if (replan(p, s, sol, set, m, left < LNS_NODES ? left : LNS_NODES))
				saved = better = 1;
			left -= s->nodes;
		}
		still = saved ? 0 : still + 1;
	}
	return better;
}

/* Tries the LTL box of fleet_absorb() at target chargeable weight `to` (ltl_chargeable()'s
 * scale) with a new truck of type u (-1: none): 1 and sol replaced when overload repair
 * fills it and the plan is cheaper. */
static int absorb_try(struct planner *p, struct pl_sol *sol, size_t lane, int u, __int128 to)
{
	const struct lane *ln = p->ltl[lane];
	uint32_t *in = p->pair;
	size_t *slot = p->loads, nf = 0, b, k, box;
	int64_t at = ltl_cost(ln, (int64_t)(to / 100000), 0);

	if (to < 0 || at < 0 || sol->cost - bin_cost(p, &sol->b[lane]) + at +
	    (u >= 0 ? p->types[u].cost : 0) >= sol->cost)
		return 0;                       /* it would not save */
	for (b = 0; b < sol->nb; b++)
		if (sol->b[b].kind == BIN_FTL && sol->b[b].cnt)
			slot[b] = nf, p->fleet[nf++] = sol->b[b].type;
	if (u >= 0)
		p->fleet[nf++] = u;
	box = nf;
	p->fleet[nf++] = (int)p->nt;
	p->box = (struct pl_type){ (int64_t)(to / 100000),
				   ln->kg_per_m3 ? (int64_t)(to / ln->kg_per_m3) : INF / 4, 0, 1 };
	p->box_lane = lane;
	for (k = 0; k < p->n; k++) {
		uint32_t j = sol->of[k];
		in[k] = sol->b[j].kind == BIN_FTL ? (uint32_t)slot[j] : j == lane ? (uint32_t)box :
			OUTSIDE;
	}
	if (fleet_repair(p, nf, sol, ABSORB_WORK, &p->tmp) && p->tmp.cost < sol->cost) {
		sol_copy(p, sol, &p->tmp);
		return 1;
	}
	return 0;
}

/* Items of an LTL consignment taken into the plan's own trucks, with or without one truck
 * more: the trucks a group may have at most, or one more of a small type, packed tight
 * carry what the moves between loads cannot make room for (issue 18: three 13m and three
 * 17.5m of a carrier with `vehicles` 3, each within 0.2% of its weight, and a 6.8m for
 * the 7.8 t order the LTL lane carried).  The consignment of the most chargeable weight
 * becomes a box that holds half the trucks' room less than it carries (all of it, when
 * half would not save), the fleet is the plan's trucks, the box and the new truck, and
 * overload repair starts from the plan's own loading; tried without a new truck and then
 * with one of each type that has one left, cheapest first, ABSORB_TRIES in all. */
static int fleet_absorb(struct planner *p, struct pl_sol *sol)
{
	size_t l, lane = SIZE_MAX, b, tried = 0;
	__int128 charge = -1, room_kg = 0, room_m3 = 0, room;
	int k, u;

	if (!p->nl || !p->nt || p->n > BIG_N || p->n < LNS_MIN || sol->cost == INF)
		return 0;
	for (l = 0; l < p->nl; l++)
		if (sol->b[l].cnt) {
			__int128 c = ltl_chargeable(p->ltl[l], sol->b[l].kg, sol->b[l].m3);
			if (c > charge)
				charge = c, lane = l;
		}
	if (lane == SIZE_MAX)
		return 0;
	for (b = 0; b < sol->nb; b++)
		if (sol->b[b].kind == BIN_FTL && sol->b[b].cnt) {
			room_kg += p->types[sol->b[b].type].cap_kg - sol->b[b].kg;
			room_m3 += p->types[sol->b[b].type].cap_m3 - sol->b[b].m3;
		}
	for (k = -1; k < (int)p->nt && tried < ABSORB_TRIES; k++) {
		u = k < 0 ? -1 : p->by_cost[k];
		if (u >= 0 && sol->avail[u] <= 0)
			continue;
		room = (room_kg + (u >= 0 ? p->types[u].cap_kg : 0)) * 100000;
		if (p->ltl[lane]->kg_per_m3) {
			__int128 v = (room_m3 + (u >= 0 ? p->types[u].cap_m3 : 0)) *
				     p->ltl[lane]->kg_per_m3;
			room = v < room ? v : room;
		}
		if (room <= 0)
			continue;
		tried++;
		if (absorb_try(p, sol, lane, u, charge - room / 2) ||
		    absorb_try(p, sol, lane, u, charge - room))
			return 1;
	}
	return 0;
}

/* What follows the exact search when it did not finish: pair re-plans alternating with
 * the local search while they save, then ruin and recreate in a group that is not a
 * pure bin packing (slack_pack() and tri_pack() search those) and not at its bound. */
static int later_moves(struct planner *p, struct pl_sol *sol)
{
	int round, r;

	for (round = 0; round < 5; round++) {
		if ((r = repack_pairs(p, sol)) < 0)
			return -1;
		if (!r)
			break;
		improve(p, sol);
	}
	if (p->n >= LNS_MIN && (p->nt > 1 || p->nl) && sol->cost > p->lower) {
		if ((r = ruin_recreate(p, sol)) < 0)
			return -1;
		if (r)
			improve(p, sol);
	}
	for (round = 0; round < ABSORB_ROUNDS && fleet_absorb(p, sol); round++)
		improve(p, sol);
	return 0;
}

/* ---- the group ---- */

static const struct planner *sort_ctx;

static int cmp_cost(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int64_t cx = sort_ctx->types[x].cost, cy = sort_ctx->types[y].cost;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x - y;
}

static int cmp_size(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int64_t kx = sort_ctx->key[x], ky = sort_ctx->key[y];

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x < y ? -1 : x > y;
}

void planner_init(struct planner *p)
{
	memset(p, 0, sizeof *p);
	p->node_limit = 100000;
}

/* Whether an earlier type has the same capacities (another carrier's truck of that size:
 * a large group starts from one of them only). */
static int same_size_before(const struct planner *p, size_t t)
{
	size_t u;

	for (u = 0; u < t; u++)
		if (p->types[u].cap_kg == p->types[t].cap_kg &&
		    p->types[u].cap_m3 == p->types[t].cap_m3)
			return 1;
	return 0;
}


/* A lower bound on the group's freight when it has no LTL lane: as many of the
 * cheapest trucks as the biggest capacities need (exact for one truck type); 0 with LTL. */
static int64_t lower_bound(const struct planner *p)
{
	int64_t kg = 0, m3 = 0, c = INF, a, b;
	size_t k;

	if (p->nl || !p->nt)
		return 0;
	for (k = 0; k < p->n; k++)
		kg += p->items[k].kg, m3 += p->items[k].m3;
	for (k = 0; k < p->nt; k++)
		if (p->types[k].cost < c)
			c = p->types[k].cost;
	a = (kg + p->max_kg - 1) / p->max_kg;
	b = (m3 + p->max_m3 - 1) / p->max_m3;
	if ((__int128)(a > b ? a : b) * c >= INF)
		return 0;                       /* beyond any plan: no bound */
	return (a > b ? a : b) * c;
}

/* Grows array f to n elements; out of memory returns -1 from the caller. */
#define GROW(f, n) do { \
		void *q_ = sd_realloc((f), (n) * sizeof *(f)); \
		if (!q_) \
			return -1; \
		(f) = q_; \
	} while (0)

int planner_run(struct planner *p)
{
	size_t nbins = p->n + p->nl + 2, k, t;
	int64_t maxkg = 1, maxm3 = 1;
	int big = p->n > BIG_N;

	p->exact = 0;
	p->nodes = 0;
	p->work = 0;
	p->work_limit = LONG_MAX;
	p->pair_left = big ? PAIR_WORK : LONG_MAX;
	if (sol_alloc(&p->best, nbins, p->nt) || sol_alloc(&p->cur, nbins, p->nt) ||
	    sol_alloc(&p->tmp, nbins, p->nt) || sol_alloc(&p->alt, nbins, p->nt))
		return -1;
	if (nbins > p->cap_bins) {
		GROW(p->fill, nbins);
		GROW(p->loads, nbins);
		p->cap_bins = nbins;
	}
	if (p->n + 1 > p->cap_items) {
		GROW(p->order, p->n + 1);
		GROW(p->key, p->n + 1);
		GROW(p->pair, p->n + 1);
		GROW(p->rem, p->n + 1);
		GROW(p->pick, p->n + 1);
		GROW(p->bpick, p->n + 1);
		GROW(p->wt, p->n + 1);
		GROW(p->tkg, p->n + 1);
		GROW(p->tm3, p->n + 1);
		GROW(p->fleet, p->n + 3);
		GROW(p->slot, p->n + 3);
		p->cap_items = p->n + 1;
	}
	if (p->nt + 1 > p->cap_types) {
		GROW(p->by_cost, p->nt + 1);
		p->cap_types = p->nt + 1;
	}
	for (t = 0; t < p->nt; t++) {
		p->by_cost[t] = (int)t;
		if (p->types[t].cap_kg > maxkg)
			maxkg = p->types[t].cap_kg;
		if (p->types[t].cap_m3 > maxm3)
			maxm3 = p->types[t].cap_m3;
	}
	/* size: the larger share of the biggest truck, in millionths */
	for (k = 0; k < p->n; k++) {
		__int128 a = (__int128)p->items[k].kg * 1000000 / maxkg;
		__int128 b = (__int128)p->items[k].m3 * 1000000 / maxm3;
		p->key[k] = (int64_t)(a > b ? a : b);
		p->order[k] = (uint32_t)k;
	}
	p->max_kg = maxkg, p->max_m3 = maxm3;
	p->lower = lower_bound(p);
	sort_ctx = p;
	qsort(p->order, p->n, sizeof *p->order, cmp_size);
	qsort(p->by_cost, p->nt, sizeof *p->by_cost, cmp_cost);

	sol_reset(p, &p->best);
	p->best.cost = INF;
	p->alt.cost = INF;
	if (p->nl) {
		all_ltl(p, &p->cur);
		if (!big)
			improve(p, &p->cur);
		keep_best(p, &p->cur);
	}
	for (t = 0; t < p->nt; t++) {
		if (big && same_size_before(p, t))
			continue;
		ffd(p, &p->cur, (int)t);
		if (!big)
			improve(p, &p->cur);
		keep_best(p, &p->cur);
		if (!big || !p->nl)     /* a large group with LTL: too dear for its gain */
			mbs_rounds(p, (int)t, big);
	}
	if (!p->nl && !p->nt) {
		sol_reset(p, &p->best);
		for (k = 0; k < p->n; k++)
			put(&p->best, (uint32_t)k, p->nl, &p->items[k]);
		p->best.cost = sol_cost(p, &p->best);
	}
	if (big && p->best.cost != INF)         /* the best start only */
		improve(p, &p->best);
	slack_pack(p);
	fleet_pack(p);
	if (!p->exact && p->n <= BB_MAX && p->n > 0 && branch_and_bound(p) < 0)
		return -1;
	if (p->exact)
		return 0;
	if (later_moves(p, &p->best) < 0)
		return -1;
	if (p->alt.cost != INF) {
		if (later_moves(p, &p->alt) < 0)
			return -1;
		if (p->alt.cost < p->best.cost)
			sol_copy(p, &p->best, &p->alt);
	}
	return 0;
}

static void sol_free(struct pl_sol *s)
{
	sd_free(s->b);
	sd_free(s->of);
	sd_free(s->avail);
	memset(s, 0, sizeof *s);
}

void planner_free(struct planner *p)
{
	sol_free(&p->best);
	sol_free(&p->cur);
	sol_free(&p->tmp);
	sol_free(&p->alt);
	sd_free(p->order);
	sd_free(p->key);
	sd_free(p->pair);
	sd_free(p->fill);
	sd_free(p->rem);
	sd_free(p->pick);
	sd_free(p->bpick);
	sd_free(p->wt);
	sd_free(p->tkg);
	sd_free(p->tm3);
	sd_free(p->fleet);
	sd_free(p->slot);
	p->fleet = NULL;
	p->slot = NULL;
	p->tkg = p->tm3 = NULL;
	p->rem = p->pick = p->bpick = NULL;
	p->wt = NULL;
	sd_free(p->by_cost);
	sd_free(p->loads);
	p->loads = NULL;
	p->cap_bins = 0;
	p->fill = NULL;
	p->by_cost = NULL;
	p->cap_types = 0;
	bb_free(p->bb);
	p->bb = NULL;
	p->order = NULL;
	p->key = NULL;
	p->pair = NULL;
	p->cap_items = 0;
}

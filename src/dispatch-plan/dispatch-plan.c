/* dispatch-plan — 发货运输计划: plan each ship date's loads per destination city at the
 * lowest freight, FTL trucks within each lane's vehicle limit and LTL consignments,
 * and allocate the freight to the order lines (dispatch-plan(1)).
 *
 * The input is not sorted, so the checked lines are kept in memory compactly (the row
 * as read, one arena for all rows: memory is linear in the planned input) and planned
 * when the input ends, in ship date and city order.  The planner is planner.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "master.h"
#include "num.h"
#include "planner.h"
#include "strmap.h"
#include "tool.h"

static struct {
	const char *rates, *loads, *unplanned;
	struct tool_files used;         /* --used files, in the order given */
} opt;

enum { OPT_LOADS = 300, OPT_UNPLANNED, OPT_REJECTS, OPT_USED };
static const struct tool_opt own_opts[] = {
	{ "loads", OPT_LOADS, 1, "FILE", "write the load list (装车单), one row per load, to FILE" },
	{ "rates", 'R', 1, "FILE", "rate card (运价表, required)" },
	{ "rejects", OPT_REJECTS, 1, "FILE", "the same as --unplanned" },
	{ "unplanned", OPT_UNPLANNED, 1, "FILE", "write the rows not planned, with line and reason, to FILE" },
	{ "used", OPT_USED, 1, "FILE", "a loads file or plan of another run: its shipment ids are not used again (repeatable)" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_USED, 0 };

static struct tool tool = {
	.name = "dispatch-plan",
	.synopsis = "-R rates.csv [--loads FILE] [--unplanned FILE] [--used FILE]\n"
	            "       [--shard K/N] [-o FILE] [-d C] [-E NAME] [-q] [-v] [--strict] [--excel]\n"
	            "       [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = (COMMON_FILTER & ~COMMON_REJECTS) | COMMON_SHARD,
};

/* Limits, checked: a line of a billion kg or m³ is an overflow; a line that would split
 * into a million truckloads is not split. */
#define MAX_KG ((int64_t)1000000000000LL)      /* 10^9 kg at scale 3 */
#define MAX_M3 ((int64_t)10000000000000LL)     /* 10^9 m³ at scale 4 */
#define MAX_PARTS 1000000
#define SPLIT_DP 100000                 /* units covered exactly by cover() */

/* Input columns: all but status are required. */
enum { I_ORDER, I_LINE, I_SHIP, I_CUST, I_CITY, I_SKU, I_QTY, I_KG, I_M3, I_AMT, I_STATUS,
       I_N };
static const char *const in_names[I_N] = {
	"order_no", "line_no", "ship_date", "customer_id", "city", "sku", "qty", "weight_kg",
	"volume_m3", "amount", "status"
};

static const char *const out_names[] = {
	"shipment_id", "ship_date", "carrier", "mode", "vehicle_type", "dest_city", "order_no",
	"line_no", "customer_id", "sku", "qty", "weight_kg", "volume_m3", "amount",
	"planned_freight"
};
enum { N_OUT = sizeof out_names / sizeof out_names[0] };

static const char *const load_names[] = {
	"shipment_id", "ship_date", "carrier", "mode", "vehicle_type", "dest_city", "orders",
	"lines", "weight_kg", "volume_m3", "capacity_kg", "capacity_m3", "util_kg_pct",
	"util_m3_pct", "freight"
};

/* A checked line, kept until planning. */
struct row {
	int32_t date;
	uint32_t city;          /* index into cities */
	uint32_t file;          /* index into the input paths */
	long line;
	size_t blob;            /* the fields as read, each NUL-terminated, in arena */
	size_t ord;             /* the trimmed order_no, NUL-terminated, in arena */
	int64_t qty, kg, m3, amt;
	int unplanned;
};

/* A destination city and the lanes that serve it (one per carrier/mode/vehicle type). */
struct city {
	size_t lane0, nlane;    /* range in lane_pool */
	uint32_t rank;          /* place in byte order */
};

/* A row, or a part of a split row, on its way to a load. */
struct part {
	uint32_t row, partno;
	uint32_t item;
	int64_t qty, kg, m3, amt, freight;
	uint32_t load;
};

/* One load of a group. */
struct load {
	int bin;                /* planner bin */
	const struct lane *lane;
	uint32_t minrow;        /* first input row on it */
	int64_t kg, m3, cost;
	uint32_t nparts, rank;
};

static struct rates rates;
static struct sbuf arena = SBUF_INIT;
static struct row *rows;
static size_t nrows, cap_rows;
static struct strmap cities;
static struct city *city_v;
static size_t cap_city;
static const struct lane **lane_pool, **lane_tmp;
static size_t npool, cap_pool;
static long *used;                      /* trucks used per rate row on the current date */
static int cols[I_N];
static struct instream in;
static struct csv_field *fields;        /* a stored row's fields, for output */

static struct planner pl;
static struct pl_type *types;
/* split_mix(), per type: units a truck holds and trucks taken; the types in the order
 * taken */
static int64_t *fit, *take;
static int64_t *dp_f;                   /* cover(): least freight of u units */
static int *dp_ch;                      /* and the type of its last truck */
static size_t cap_dp, cap_dpch;
static int *order_t;
static const struct lane **type_lane, **ltl_lane;
static struct pl_item *items;
static struct part *parts;
static struct load *loads;
static const char **ord;                /* a load's order numbers, to count them */
static size_t cap_items, cap_parts, cap_loads, cap_ord;
static uint64_t n_planned, n_loads, n_exact, n_groups, n_late_unplanned;
static int64_t total_freight;

static struct csv_field cell(const struct csv_record *rec, int k)
{
	return record_cell(rec, cols, k);
}

/* ---- the per-row rule ---- */

/* The city's entry, with its lanes looked up on first sight. */
static uint32_t city_of(struct csv_field name)
{
	int added;
	long i = tool_must(strmap_add(&cities, name.s, name.n, 0, &added));
	size_t k, n;

	if (added) {
		city_v = tool_grow(city_v, (size_t)i, &cap_city, sizeof *city_v);
		n = rates_for_city(&rates, strmap_key(&cities, (size_t)i), lane_tmp);
		lane_pool = tool_grow(lane_pool, npool + n, &cap_pool, sizeof *lane_pool);
		city_v[i].lane0 = npool;
		city_v[i].nlane = n;
		for (k = 0; k < n; k++)
			lane_pool[npool++] = lane_tmp[k];
	}
	return (uint32_t)i;
}

/* A number column's reason: overflow, or BAD (dispatch-plan(1)'s rejects name no value). */
static struct reason bad_number(int st, const char *bad)
{
	return reason_of(st == NUM_OVERFLOW ? "overflow" : bad, NULL);
}

static struct reason check_row(const struct csv_record *rec, struct row *r)
{
	struct csv_field f;
	int k, st;

	for (k = I_ORDER; k <= I_AMT; k++)
		if (!cell(rec, k).n)
			return reason_of("missing", in_names[k]);
	f = cell(rec, I_SHIP);
	if (parse_date(f.s, f.n, &r->date) < 0)
		return reason_of("bad_date", "ship_date");
	f = cell(rec, I_QTY);
	if ((st = parse_qty(f.s, f.n, &r->qty)) != NUM_OK)
		return bad_number(st, "bad_qty");
	f = cell(rec, I_KG);
	if ((st = parse_plain(f.s, f.n, SCALE_WEIGHT, &r->kg)) != NUM_OK)
		return bad_number(st, "bad_weight");
	f = cell(rec, I_M3);
	if ((st = parse_plain(f.s, f.n, SCALE_VOLUME, &r->m3)) != NUM_OK)
		return bad_number(st, "bad_volume");
	/* sums over a day's loads stay far inside 64 bits */
	if (r->kg >= MAX_KG || r->m3 >= MAX_M3)
		return reason_of("overflow", NULL);
	f = cell(rec, I_AMT);
	if ((st = parse_money(f.s, f.n, SCALE_AMOUNT, &r->amt)) != NUM_OK)
		return bad_number(st, "bad_amount");
	f = cell(rec, I_STATUS);
	if (f.n && !field_eq(f, "confirmed"))
		return reason_of("not_confirmed", NULL);
	r->city = city_of(cell(rec, I_CITY));
	if (!city_v[r->city].nlane)
		return reason_of("no_rate", NULL);
	return reason_of(NULL, NULL);
}

static void keep_row(const struct csv_record *rec, struct row *r)
{
	struct csv_field o = cell(rec, I_ORDER);
	size_t i;

	r->file = (uint32_t)in.cur;
	r->line = rec->line;
	r->unplanned = 0;
	r->blob = arena.len;
	for (i = 0; i < rec->nf; i++) {
		tool_must(sbuf_add(&arena, rec->f[i].s, rec->f[i].n));
		tool_must(sbuf_addch(&arena, '\0'));
	}
	r->ord = arena.len;
	tool_must(sbuf_add(&arena, o.s, o.n));
	tool_must(sbuf_addch(&arena, '\0'));
	rows = tool_grow(rows, nrows, &cap_rows, sizeof *rows);
	rows[nrows++] = *r;
}

/* The fields of a kept row, as read. */
static struct csv_record row_record(const struct row *r)
{
	struct csv_record rec = { fields, in.hdr_nf, r->line, 0 };
	const char *p = arena.buf + r->blob;
	size_t i;

	for (i = 0; i < in.hdr_nf; i++) {
		fields[i].s = p;
		fields[i].n = strlen(p);
		p += fields[i].n + 1;
	}
	return rec;
}

/* Under --shard (salesdesk(7), SCALE-OUT): a part is a ship date and city, or a whole
 * ship date when a rate row for every city ("*") limits its vehicles, which are then
 * counted across the date's cities; the shipment ids, numbered per date across its
 * cities, are put right by salesdesk merge --renumber.  Every part knows every ship date
 * and city read, so that its seq numbers are laid out as the other parts' are. */
static int by_city;
static struct strmap days;              /* every ship date read, as its int32_t */
static int32_t *day_v;                  /* the same, in order, when planning starts */
static unsigned seq_cbits, seq_wbits;   /* bits of a city's rank, of a row's in a group */
static struct sbuf shard_key = SBUF_INIT;

static int wild_vehicle_limit(void)
{
	size_t i;

	for (i = 0; i < rates.n; i++)
		if (rates.v[i].vehicles >= 0 && !strcmp(rate_str(&rates, rates.v[i].city), "*"))
			return 1;
	return 0;
}

/* Whether the row is this run's, decided before its checks so that a run checks only its
 * own rows; a ship_date that is not a date goes as written. */
static int mine(const struct csv_record *rec)
{
	struct csv_field f = cell(rec, I_SHIP), c = cell(rec, I_CITY);
	char d[16];
	int32_t day;
	int added;

	if (!tool.nshard)
		return 1;
	(void)city_of(c);
	if (parse_date(f.s, f.n, &day) < 0)
		return tool_shard_mine(&tool, f.s, f.n);
	tool_must(strmap_add(&days, (const char *)&day, sizeof day, 0, &added));
	sbuf_reset(&shard_key);
	tool_must(sbuf_add(&shard_key, d, (size_t)fmt_date(d, day)));
	if (by_city) {
		tool_must(sbuf_addch(&shard_key, 0x1f));
		tool_must(sbuf_add(&shard_key, c.s, c.n));
	}
	return tool_shard_mine(&tool, shard_key.buf, shard_key.len);
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned bits_for(size_t n)
{
	unsigned b = 0;

	while (n >> b)
		b++;
	return b;
}

/* The seq layout of the planned rows: 2^62 + date rank, city rank, rank in the group,
 * each in as many bits as the counts of dates and cities read need; a group has room for
 * 2^32 rows at least (plan_group checks). */
static void shard_layout(void)
{
	unsigned dbits;
	size_t i;

	day_v = tool_realloc(NULL, (days.count + 1) * sizeof *day_v);
	for (i = 0; i < days.count; i++)
		memcpy(&day_v[i], strmap_key(&days, i), sizeof *day_v);
	qsort(day_v, days.count, sizeof *day_v, cmp_day);
	dbits = bits_for(days.count);
	seq_cbits = bits_for(cities.count);
	if (dbits + seq_cbits > 30)
		diag_fatal(EX_DATAERR, "%s: more ship dates and cities than --shard numbers "
		           "(2^30 pairs)", in.name);
	seq_wbits = 62 - dbits - seq_cbits;
}

/* The first seq of the group of date and city. */
static uint64_t group_seq(int32_t date, uint32_t city_rank)
{
	const int32_t *d = bsearch(&date, day_v, days.count, sizeof *day_v, cmp_day);

	return (uint64_t)1 << 62 | (uint64_t)(d - day_v) << (seq_cbits + seq_wbits) |
	       (uint64_t)city_rank << seq_wbits;
}

/* ---- grouping ---- */

static int cmp_city_name(const void *a, const void *b)
{
	return strcmp(strmap_key(&cities, *(const uint32_t *)a),
	              strmap_key(&cities, *(const uint32_t *)b));
}

/* Rows by ship date, city (byte order), input order. */
static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = &rows[*(const uint32_t *)a], *y = &rows[*(const uint32_t *)b];

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->city != y->city)
		return city_v[x->city].rank < city_v[y->city].rank ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Rows of a group by order number, then input order. */
static int cmp_order(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(arena.buf + rows[x].ord, arena.buf + rows[y].ord);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* ---- items: orders, or lines and parts of lines when they cannot go whole ---- */

/* A part of u units of the row: weight, volume and amount pro rata, rounded. */
static int64_t pro_rata(int64_t v, int64_t u, int64_t qty)
{
	return div_round((__int128)v * u, qty);
}

/* The most units of row r that one truck of type t holds (0..qty). */
static int64_t units_fit(const struct row *r, const struct pl_type *t)
{
	int64_t lo = 0, hi = r->qty;

	while (lo < hi) {
		int64_t mid = lo + (hi - lo + 1) / 2;
		if (pro_rata(r->kg, mid, r->qty) <= t->cap_kg &&
		    pro_rata(r->m3, mid, r->qty) <= t->cap_m3)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int fits(const struct pl_type *t, int64_t kg, int64_t m3)
{
	return kg <= t->cap_kg && m3 <= t->cap_m3;
}

static int fits_some(size_t nt, int64_t kg, int64_t m3)
{
	size_t t;

	for (t = 0; t < nt; t++)
		if (fits(&types[t], kg, m3))
			return 1;
	return 0;
}

static size_t add_part(size_t np, uint32_t row, uint32_t partno, uint32_t item, int64_t qty,
                       int64_t kg, int64_t m3, int64_t amt)
{
	parts = tool_grow(parts, np, &cap_parts, sizeof *parts);
	parts[np] = (struct part){ row, partno, item, qty, kg, m3, amt, 0, 0 };
	return np + 1;
}

static size_t new_item(size_t ni)
{
	items = tool_grow(items, ni, &cap_items, sizeof *items);
	items[ni] = (struct pl_item){ 0, 0 };
	return ni;
}

/* Splits row ri into parts of at most k units (the last takes the rest), each its own
 * item.  Pro-rata parts are rounded, the last takes the remainder; should that make the
 * last part too heavy, the parts get smaller. */
static size_t split_row(uint32_t ri, int64_t k, size_t nt, size_t *ni, size_t np)
{
	const struct row *r = &rows[ri];
	int64_t n, j, kg, m3;

	for (;; k -= k / 64 > 1 ? k / 64 : 1) {      /* few steps even for huge k */
		n = (r->qty + k - 1) / k;
		kg = r->kg - (n - 1) * pro_rata(r->kg, k, r->qty);
		m3 = r->m3 - (n - 1) * pro_rata(r->m3, k, r->qty);
		if (k == 1 || fits_some(nt, kg, m3))
			break;
	}
	for (j = 0; j < n; j++) {
		int64_t u = j + 1 < n ? k : r->qty - (n - 1) * k;
		int64_t pk = j + 1 < n ? pro_rata(r->kg, k, r->qty) : kg;
		int64_t pm = j + 1 < n ? pro_rata(r->m3, k, r->qty) : m3;
		int64_t pa = j + 1 < n ? pro_rata(r->amt, k, r->qty) :
		             r->amt - (n - 1) * pro_rata(r->amt, k, r->qty);
		size_t it = new_item((*ni)++);
		items[it].kg = pk, items[it].m3 = pm;
		np = add_part(np, ri, (uint32_t)(j + 1), (uint32_t)it, u, pk, pm, pa);
	}
	return np;
}

/* The trucks that carry q units at the least freight, as counts take[t], given the units
 * fit[t] a truck of each usable type holds (0: not usable), less the one truck that is
 * not full: a covering of the units, exact by dynamic programming.  An optimal covering
 * has fewer than fit[best] trucks of other types than the one cheapest per unit (more
 * would hold a set of them worth whole trucks of it), so the DP covers at most
 * fit[best] × the largest fit units (and SPLIT_DP) and trucks of the best type the bulk. */
static void cover(size_t nt, int64_t q)
{
	int64_t w, bulk, u, c, maxfit = 0;
	size_t t;
	int best = -1, part = -1;

	for (t = 0; t < nt; t++) {
		take[t] = 0;
		if (fit[t] > maxfit)
			maxfit = fit[t];
		if (fit[t] && (best < 0 || (__int128)types[t].cost * fit[best] <
		                           (__int128)types[best].cost * fit[t]))
			best = (int)t;
	}
	if (best < 0)
		return;
	w = fit[best] <= SPLIT_DP / maxfit ? fit[best] * maxfit : SPLIT_DP;
	if (q <= w) {
		bulk = 0;
	} else if (fit[best] > w) {             /* too many units to cover exactly */
		take[best] = q / fit[best];
		return;
	} else {
		bulk = (q - w + fit[best] - 1) / fit[best];
	}
	w = q - bulk * fit[best];
	dp_f = tool_grow(dp_f, (size_t)w, &cap_dp, sizeof *dp_f);
	dp_ch = tool_grow(dp_ch, (size_t)w, &cap_dpch, sizeof *dp_ch);
	dp_f[0] = 0;
	for (u = 1; u <= w; u++) {
		dp_f[u] = INT64_MAX;
		for (t = 0; t < nt; t++) {
			if (!fit[t])
				continue;
			c = types[t].cost + dp_f[u > fit[t] ? u - fit[t] : 0];
			if (c < dp_f[u])
				dp_f[u] = c, dp_ch[u] = (int)t;
		}
	}
	take[best] = bulk;
	for (u = w; u > 0; u -= fit[dp_ch[u]]) {
		take[dp_ch[u]]++;
		if (u < fit[dp_ch[u]])
			part = dp_ch[u];
	}
	if (part >= 0)
		take[part]--;
}

/* Splits row ri into truckloads at the least freight (dispatch-plan(1), Orders, lines
 * and parts): the cheapest covering of its units by trucks (cover()), each full truck a
 * part, and one part with the rest, for the planner to load with the others.  Only
 * types without a `vehicles` limit: trucks that are few are best kept for the largest
 * parts (roomiest first leaves less unplanned).  Returns np unchanged when that rest
 * would fit no truck or the parts would be too many: split_row() splits the line then. */
static size_t split_mix(uint32_t ri, size_t nt, size_t *ni, size_t np)
{
	const struct row *r = &rows[ri];
	int64_t rest = r->qty, kg = r->kg, m3 = r->m3, amt = r->amt, nparts = 0, pk, pm, pa;
	size_t t, k, norder = 0;
	uint32_t partno = 0;

	for (t = 0; t < nt; t++)
		fit[t] = types[t].avail < PL_UNLIMITED ? 0 : units_fit(r, &types[t]);
	cover(nt, r->qty);
	for (t = 0; t < nt; t++) {
		if (!take[t])
			continue;
		rest -= take[t] * fit[t];
		nparts += take[t];
		order_t[norder++] = (int)t;
		kg -= take[t] * pro_rata(r->kg, fit[t], r->qty);
		m3 -= take[t] * pro_rata(r->m3, fit[t], r->qty);
	}
	if (!nparts || nparts + 1 >= MAX_PARTS)
		return np;
	/* the rest is a part of its own, or, when the trucks took every unit, the last
	 * truck's part takes the rounding */
	if (rest ? !fits_some(nt, kg, m3) :
	    !fits(&types[order_t[norder - 1]],
	          kg + pro_rata(r->kg, fit[order_t[norder - 1]], r->qty),
	          m3 + pro_rata(r->m3, fit[order_t[norder - 1]], r->qty)))
		return np;
	for (k = 0; k < norder; k++) {
		int b = order_t[k];
		int64_t j;
		for (j = 0; j < take[b]; j++) {
			int last = !rest && k + 1 == norder && j + 1 == take[b];
			size_t it = new_item((*ni)++);
			pk = pro_rata(r->kg, fit[b], r->qty);
			pm = pro_rata(r->m3, fit[b], r->qty);
			pa = pro_rata(r->amt, fit[b], r->qty);
			amt -= pa;
			if (last)
				pk += kg, pm += m3, pa += amt;
			items[it].kg = pk, items[it].m3 = pm;
			np = add_part(np, ri, ++partno, (uint32_t)it, fit[b], pk, pm, pa);
		}
	}
	if (rest) {
		size_t it = new_item((*ni)++);
		items[it].kg = kg, items[it].m3 = m3;
		np = add_part(np, ri, ++partno, (uint32_t)it, rest, kg, m3, amt);
	}
	return np;
}

/* Builds the items of a group's rows g[0..m) (sorted by order); returns the part count. */
static size_t make_items(const uint32_t *g, size_t m, size_t nt, size_t *nitems)
{
	size_t a = 0, b, k, np = 0, ni = 0;

	while (a < m) {
		int64_t kg = 0, m3 = 0;
		for (b = a; b < m && !strcmp(arena.buf + rows[g[a]].ord, arena.buf + rows[g[b]].ord);
		     b++)
			kg += rows[g[b]].kg, m3 += rows[g[b]].m3;
		if (!nt || fits_some(nt, kg, m3)) {     /* the order goes whole */
			size_t it = new_item(ni++);
			items[it].kg = kg, items[it].m3 = m3;
			for (k = a; k < b; k++) {
				const struct row *r = &rows[g[k]];
				np = add_part(np, g[k], 1, (uint32_t)it, r->qty, r->kg, r->m3, r->amt);
			}
		} else {
			for (k = a; k < b; k++) {
				const struct row *r = &rows[g[k]];
				int64_t best = 0, u;
				size_t t, n0;
				if (fits_some(nt, r->kg, r->m3)) {
					size_t it = new_item(ni++);
					items[it].kg = r->kg, items[it].m3 = r->m3;
					np = add_part(np, g[k], 1, (uint32_t)it, r->qty, r->kg, r->m3,
					              r->amt);
					continue;
				}
				for (t = 0; t < nt; t++)
					if ((u = units_fit(r, &types[t])) > best)
						best = u;
				if (best == 0 || r->qty / best >= MAX_PARTS) {
					/* not one unit fits a truck (or it would take a million):
					 * LTL or nothing */
					size_t it = new_item(ni++);
					items[it].kg = r->kg, items[it].m3 = r->m3;
					np = add_part(np, g[k], 1, (uint32_t)it, r->qty, r->kg, r->m3,
					              r->amt);
					continue;
				}
				if ((n0 = split_mix(g[k], nt, &ni, np)) == np)
					n0 = split_row(g[k], best, nt, &ni, np);
				np = n0;
			}
		}
		a = b;
	}
	*nitems = ni;
	return np;
}

/* ---- output ---- */

static struct csv_writer out, loads_w = { .fd = -1 };
static struct rejects unpl;
static size_t *pass, npass;
static int32_t cur_date = INT32_MIN;
static unsigned long ship_seq;
/* Under --shard, the seq of the next row planned (salesdesk(7), SCALE-OUT): the rows
 * rejected as read come first in input order, then the plan in ship date order. */
static uint64_t plan_seq;
static struct strmap ids_used;          /* the shipment ids of the --used files */

/* The --used files' shipment ids, read whole before any output.  The map holds only
 * ids: a year of the archive's load lists (250 days of 100 loads) is 25000 short keys. */
static void load_used(void)
{
	struct master_io io = { 0, NULL, NULL };        /* detected on its own (salesdesk(7)) */
	struct sd_err err;

	strmap_init(&ids_used);
	if (shipment_ids_load(&ids_used, opt.used.v, opt.used.n, &io, &err) < 0)
		diag_die(&err);
}

static int cmp_loads(const void *a, const void *b)
{
	const struct load *x = a, *y = b;
	int c;

	if (x->lane->mode != y->lane->mode)
		return x->lane->mode == MODE_FTL ? -1 : 1;
	if ((c = strcmp(rate_str(&rates, x->lane->carrier), rate_str(&rates, y->lane->carrier))))
		return c;
	if ((c = strcmp(rate_str(&rates, x->lane->vtype), rate_str(&rates, y->lane->vtype))))
		return c;
	return x->minrow < y->minrow ? -1 : x->minrow > y->minrow;
}

/* Parts by load, then input row, then part number. */
static int cmp_parts(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	if (x->load != y->load)
		return x->load < y->load ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->partno < y->partno ? -1 : x->partno > y->partno;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The load's cost to its parts p[0..n): by weight, by volume when the load weighs
 * nothing, in equal shares when it has neither; the last part takes the remainder. */
static void allocate(struct part *p, size_t n, int64_t cost, int64_t kg, int64_t m3)
{
	int64_t rest = cost;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (kg)
			p[i].freight = div_round((__int128)cost * p[i].kg, kg);
		else if (m3)
			p[i].freight = div_round((__int128)cost * p[i].m3, m3);
		else
			p[i].freight = div_round(cost, (int64_t)n);
		rest -= p[i].freight;
	}
	p[n - 1].freight = rest;
}

static void put_num(struct csv_writer *w, int64_t v, int scale)
{
	char b[48];

	csvw_plain(w, b, (size_t)fmt_fixed(b, v, scale));
}

static void put_lane(struct csv_writer *w, const char *sid, const char *date,
                     const struct lane *l, const char *city)
{
	csvw_str(w, sid);
	csvw_str(w, date);
	csvw_str(w, rate_str(&rates, l->carrier));
	csvw_plain(w, mode_name(l->mode), 3);
	csvw_str(w, rate_str(&rates, l->vtype));
	csvw_str(w, city);
}

static void emit_part(const struct part *p, const char *sid, const char *date,
                      const struct lane *l, const char *city)
{
	struct csv_record rec = row_record(&rows[p->row]);
	static const int ids[] = { I_ORDER, I_LINE, I_CUST, I_SKU };
	char b[48];
	size_t i;

	tool_put_seq(&tool, &out, &plan_seq);
	plan_seq++;
	put_lane(&out, sid, date, l, city);
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct csv_field f = cell(&rec, ids[i]);
		csvw_field(&out, f.s, f.n);
	}
	csvw_plain(&out, b, (size_t)fmt_int(b, p->qty));
	put_num(&out, p->kg, SCALE_WEIGHT);
	put_num(&out, p->m3, SCALE_VOLUME);
	put_num(&out, p->amt, SCALE_AMOUNT);
	put_num(&out, p->freight, SCALE_AMOUNT);
	for (i = 0; i < npass; i++)
		csvw_field(&out, rec.f[pass[i]].s, rec.f[pass[i]].n);
	csvw_endrow(&out);
}

static void put_pct(struct csv_writer *w, int64_t v, int64_t cap)
{
	char b[48];

	csvw_plain(w, b, (size_t)fmt_pct(b, div_round((__int128)v * 10000, cap) * 100));
}

static void emit_load(const struct load *ld, const struct part *p, const char *sid,
                      const char *date, const char *city)
{
	size_t i, n = 0;
	char b[48];

	if (!opt.loads)
		return;
	ord = tool_grow(ord, ld->nparts, &cap_ord, sizeof *ord);
	for (i = 0; i < ld->nparts; i++)
		ord[i] = arena.buf + rows[p[i].row].ord;
	qsort(ord, ld->nparts, sizeof *ord, cmp_str);
	for (i = 0; i < ld->nparts; i++)
		n += i == 0 || strcmp(ord[i], ord[i - 1]);
	tool_put_seq(&tool, &loads_w, &plan_seq);
	plan_seq++;
	put_lane(&loads_w, sid, date, ld->lane, city);
	csvw_plain(&loads_w, b, (size_t)fmt_int(b, (int64_t)n));
	csvw_plain(&loads_w, b, (size_t)fmt_int(b, (int64_t)ld->nparts));
	put_num(&loads_w, ld->kg, SCALE_WEIGHT);
	put_num(&loads_w, ld->m3, SCALE_VOLUME);
	if (ld->lane->mode == MODE_FTL) {
		put_num(&loads_w, ld->lane->capacity_kg, SCALE_WEIGHT);
		put_num(&loads_w, ld->lane->capacity_m3, SCALE_VOLUME);
		put_pct(&loads_w, ld->kg, ld->lane->capacity_kg);
		put_pct(&loads_w, ld->m3, ld->lane->capacity_m3);
	} else {
		for (i = 0; i < 4; i++)
			csvw_str(&loads_w, "");
	}
	put_num(&loads_w, ld->cost, SCALE_AMOUNT);
	csvw_endrow(&loads_w);
}

/* ---- planning a group ---- */

static void unplan_row(uint32_t ri)
{
	struct reason no_vehicle = reason_of("no_vehicle", NULL);
	struct row *r = &rows[ri];
	struct csv_record rec;

	if (r->unplanned)
		return;
	r->unplanned = 1;
	rec = row_record(r);
	unpl.seq = plan_seq++;
	reject_row(&tool, &unpl, in.paths[r->file], &rec, &no_vehicle);
	n_late_unplanned++;
}

static void plan_group(uint32_t *g, size_t m)
{
	const struct row *r0 = &rows[g[0]];
	const struct city *c = &city_v[r0->city];
	const char *city = strmap_key(&cities, r0->city);
	size_t nt = 0, nl = 0, k, np, ni, nld = 0, a, i;
	char date[16], sid[40], day[9];
	uint64_t seq0;

	fmt_date(date, r0->date);
	snprintf(day, sizeof day, "%.4s%.2s%.2s", date, date + 5, date + 8);
	if (r0->date != cur_date) {
		cur_date = r0->date;
		ship_seq = 0;
		memset(used, 0, (rates.n + 1) * sizeof *used);
	}
	if (tool.nshard)
		plan_seq = group_seq(r0->date, c->rank);
	seq0 = plan_seq;
	for (k = 0; k < c->nlane; k++) {
		const struct lane *l = lane_pool[c->lane0 + k];
		if (l->mode == MODE_FTL) {
			long left = l->vehicles < 0 ? PL_UNLIMITED : l->vehicles - used[l - rates.v];
			types[nt] = (struct pl_type){ l->capacity_kg, l->capacity_m3, ftl_cost(l),
			                              left > 0 ? left : 0 };
			type_lane[nt++] = l;
		} else {
			ltl_lane[nl++] = l;
		}
	}
	qsort(g, m, sizeof *g, cmp_order);
	np = make_items(g, m, nt, &ni);
	pl.types = types, pl.nt = nt;
	pl.ltl = ltl_lane, pl.nl = nl;
	pl.items = items, pl.n = ni;
	tool_must(planner_run(&pl));
	n_groups++;
	n_exact += (uint64_t)pl.exact;

	/* rows with any part left in the none bin go unplanned whole */
	for (k = 0; k < np; k++)
		if (pl.best.b[pl.best.of[parts[k].item]].kind == BIN_NONE)
			unplan_row(parts[k].row);
	/* loads: the used bins, with what stays on them */
	loads = tool_grow(loads, pl.best.nb, &cap_loads, sizeof *loads);
	for (k = 0; k < np; k++) {
		uint32_t bin = pl.best.of[parts[k].item];
		const struct pl_bin *b = &pl.best.b[bin];
		if (rows[parts[k].row].unplanned) {
			parts[k].load = UINT32_MAX;
			continue;
		}
		for (i = 0; i < nld && loads[i].bin != (int)bin; i++)
			;
		if (i == nld) {
			loads[nld++] = (struct load){ (int)bin,
			        b->kind == BIN_FTL ? type_lane[b->type] : ltl_lane[b->type],
			        parts[k].row, 0, 0, 0, 0, 0 };
		}
		loads[i].kg += parts[k].kg;
		loads[i].m3 += parts[k].m3;
		loads[i].nparts++;
		if (parts[k].row < loads[i].minrow)
			loads[i].minrow = parts[k].row;
		parts[k].load = (uint32_t)i;
	}
	for (i = 0; i < nld; i++) {
		const struct lane *l = loads[i].lane;
		loads[i].cost = l->mode == MODE_FTL ? ftl_cost(l) : ltl_cost(l, loads[i].kg, loads[i].m3);
		if (l->mode == MODE_FTL)
			used[l - rates.v]++;
	}
	qsort(loads, nld, sizeof *loads, cmp_loads);
	for (i = 0; i < nld; i++)
		loads[i].rank = (uint32_t)i;
	/* parts point at loads by their old place: renumber through the bins */
	for (k = 0; k < np; k++) {
		uint32_t bin = pl.best.of[parts[k].item];
		if (parts[k].load == UINT32_MAX)
			continue;
		for (i = 0; loads[i].bin != (int)bin; i++)
			;
		parts[k].load = (uint32_t)i;
	}
	qsort(parts, np, sizeof *parts, cmp_parts);
	for (a = 0, i = 0; i < nld; i++) {
		struct load *ld = &loads[i];
		while (parts[a].load != i)
			a++;
		/* the next number no --used file has: two runs of the desk never share an id,
		 * and a re-run given the same files writes the same ids (dispatch-plan(1)) */
		shipment_id_next(sid, sizeof sid, day, &ship_seq, &ids_used);
		allocate(&parts[a], ld->nparts, ld->cost, ld->kg, ld->m3);
		for (k = a; k < a + ld->nparts; k++)
			emit_part(&parts[k], sid, date, ld->lane, city);
		emit_load(ld, &parts[a], sid, date, city);
		n_planned += ld->nparts;
		total_freight += ld->cost;
		n_loads++;
		a += ld->nparts;
	}
	if (tool.nshard && (plan_seq - seq0) >> seq_wbits)
		diag_fatal(EX_DATAERR, "%s: %s %s: more rows than --shard numbers in a group",
		           in.name, date, city);
}

static void plan_all(void)
{
	struct csv_writer *outs[3] = { &out, &unpl.w, &loads_w };
	uint32_t *order = tool_realloc(NULL, (nrows + 1) * sizeof *order);
	uint32_t *rank = tool_realloc(NULL, (cities.count + 1) * sizeof *rank);
	size_t i, a, b, maxlanes = 0;

	for (i = 0; i < cities.count; i++)
		rank[i] = (uint32_t)i;
	qsort(rank, cities.count, sizeof *rank, cmp_city_name);
	for (i = 0; i < cities.count; i++) {
		city_v[rank[i]].rank = (uint32_t)i;
		if (city_v[i].nlane > maxlanes)
			maxlanes = city_v[i].nlane;
	}
	types = tool_realloc(NULL, (maxlanes + 1) * sizeof *types);
	fit = tool_realloc(NULL, (maxlanes + 1) * sizeof *fit);
	take = tool_realloc(NULL, (maxlanes + 1) * sizeof *take);
	order_t = tool_realloc(NULL, (maxlanes + 1) * sizeof *order_t);
	type_lane = tool_realloc(NULL, (maxlanes + 1) * sizeof *type_lane);
	ltl_lane = tool_realloc(NULL, (maxlanes + 1) * sizeof *ltl_lane);
	if (tool.nshard)
		shard_layout();
	for (i = 0; i < nrows; i++)
		order[i] = (uint32_t)i;
	qsort(order, nrows, sizeof *order, cmp_rows);
	for (a = 0; a < nrows; a = b) {
		for (b = a + 1; b < nrows && rows[order[b]].date == rows[order[a]].date &&
		     rows[order[b]].city == rows[order[a]].city; b++)
			;
		plan_group(order + a, b - a);
		if (tool_output_gone(outs, 3))
			break;
	}
	sd_free(order);
	sd_free(rank);
}

/* ---- main ---- */

static int own_option(struct tool *t, int opt_key, const char *arg)
{
	switch (opt_key) {
	case 'R': opt.rates = arg; tool_add_file(t, TOOL_IN, "-R", arg); break;
	case OPT_LOADS: opt.loads = arg; tool_add_file(t, TOOL_OUT, "--loads", arg); break;
	case OPT_REJECTS:
	case OPT_UNPLANNED:
		opt.unplanned = arg;
		tool_add_file(t, TOOL_OUT, opt_key == OPT_REJECTS ? "--rejects" : "--unplanned", arg);
		break;
	case OPT_USED:
		tool_add_input(t, &opt.used, "--used", arg);
		break;
	default: return -1;
	}
	return 0;
}

static void write_headers(void)
{
	size_t i;

	tool_put_seq(&tool, &out, NULL);
	for (i = 0; i < N_OUT; i++)
		csvw_str(&out, out_names[i]);
	for (i = 0; i < npass; i++)
		csvw_field(&out, in.hdr[pass[i]].s, in.hdr[pass[i]].n);
	csvw_endrow(&out);
	if (opt.loads) {
		tool_put_seq(&tool, &loads_w, NULL);
		for (i = 0; i < sizeof load_names / sizeof load_names[0]; i++)
			csvw_str(&loads_w, load_names[i]);
		csvw_endrow(&loads_w);
	}
}

int main(int argc, char *argv[])
{
	struct csv_writer *outs[3] = { &out, &unpl.w, &loads_w };
	struct master_io io;
	struct csv_record rec;
	struct sd_err err;
	int first, st, rc;

	first = tool_parse(&tool, argc, argv, own_option);
	if (!opt.rates) {
		diag_warn("-R rates.csv is required");
		tool_usage(&tool, EX_USAGE);
	}
	/* open everything first: input, rate card, outputs; then read, plan and write */
	if (instream_open(&in, argv + first, (size_t)(argc - first), tool.delim, tool.encoding,
	                  &err) < 0 ||
	    instream_columns(&in, in_names, cols, I_N, I_STATUS, &err) < 0)
		diag_die(&err);
	io = (struct master_io){ 0, NULL, diag_warn_err };      /* detected: -d and -E are the input's */
	if (rates_load(&rates, opt.rates, &io, &err) < 0)
		diag_die(&err);
	load_used();
	by_city = !wild_vehicle_limit();
	strmap_init(&days);
	pass = tool_passthrough(&in, out_names, N_OUT, &npass);
	fields = tool_realloc(NULL, (in.hdr_nf + 1) * sizeof *fields);
	lane_tmp = tool_realloc(NULL, (rates.n + 1) * sizeof *lane_tmp);
	used = tool_realloc(NULL, (rates.n + 1) * sizeof *used);
	tool_open_output(&out, tool.output, tool.delim);
	if (rejects_open(&unpl, opt.unplanned, &in, tool.delim) < 0) {
		if (errno == ENOMEM)
			diag_fatal(EX_OSERR, "out of memory");
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(opt.unplanned),
		           strerror(errno));
	}
	if (opt.loads)
		tool_open_output(&loads_w, opt.loads, tool.delim);
	strmap_init(&cities);
	planner_init(&pl);

	write_headers();
	while ((st = instream_next(&in, &rec, &err)) > 0) {
		struct row r;
		struct reason why;
		const char *bad;

		if (!mine(&rec))
			continue;
		if ((bad = instream_malformed(&in, &rec)))
			why = reason_of(bad, NULL);
		else
			why = check_row(&rec, &r);
		unpl.seq = in.rows;
		if (why.code)
			reject_row(&tool, &unpl, in.paths[in.cur], &rec, &why);
		else
			keep_row(&rec, &r);
		if ((in.rows & 1023) == 0 && tool_output_gone(outs, 3))
			break;
	}
	if (st < 0)
		diag_die(&err);
	if (!tool_output_gone(outs, 3))
		plan_all();
	if (tool.verbose) {
		char b[48];
		fmt_fixed(b, total_freight, SCALE_AMOUNT);
		diag_warn("%llu rows read: %llu lines planned in %llu loads, freight %s; "
		          "%llu unplanned; %llu of %llu groups proven optimal",
		          (unsigned long long)in.rows, (unsigned long long)n_planned,
		          (unsigned long long)n_loads, b, (unsigned long long)unpl.count,
		          (unsigned long long)n_exact, (unsigned long long)n_groups);
	}
	rc = tool.strict && unpl.count ? EX_DATAERR : 0;
	rc = tool_finish(rc, outs, 3);
	instream_close(&in);
	rates_free(&rates);
	strmap_free(&cities);
	strmap_free(&ids_used);
	strmap_free(&days);
	sbuf_release(&shard_key);
	sd_free(day_v);
	planner_free(&pl);
	sbuf_release(&arena);
	sd_free(rows), sd_free(city_v), sd_free(lane_pool), sd_free(lane_tmp), sd_free(used);
	sd_free(pass), sd_free(fields), sd_free(types), sd_free(type_lane), sd_free(ltl_lane);
	sd_free(fit), sd_free(take), sd_free(order_t), sd_free(dp_f), sd_free(dp_ch);
	sd_free(items), sd_free(parts), sd_free(loads), sd_free(ord), sd_free(opt.used.v);
	return rc;
}

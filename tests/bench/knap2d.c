/* The pricing step of dispatch-bound.py: a 0-1 knapsack in two dimensions (kg, m3),
 * exactly, by depth-first branch and bound.  Loaded with ctypes; bench only.
 *
 *   double knap2d(int n, const double *profit, const double *kg, const double *m3,
 *                 double cap_kg, double cap_m3, double floor, int *take, long nodes)
 *
 * returns the largest total profit of items that fit both capacities, and marks them in
 * take[], if it is above floor; else floor and take[] all zero.  The bound at a node is
 * the fractional knapsack, in one order, of the surrogate constraint
 * kg/cap_kg + m3/cap_m3 <= (room left in both), and the same of each constraint alone;
 * the least of the three is an upper bound.  Gives up after `nodes` nodes and returns
 * -1 (the caller then solves it another way). */
#include <stdlib.h>
#include <string.h>

struct it { double p, a, b, s; int id; };

static struct it *items;
static int n_items;
static double best;
static int *cur, *best_take;
static long left;
/* the items in order of profit per unit of each constraint alone */
static int *by_a, *by_b;

/* by profit per unit of the surrogate weight, largest first */
static int cmp_s(const void *x, const void *y)
{
	const struct it *u = x, *v = y;
	double du = u->p / (u->s > 0 ? u->s : 1e-12), dv = v->p / (v->s > 0 ? v->s : 1e-12);
	return du < dv ? 1 : du > dv ? -1 : 0;
}

static double frac(int from, const int *order, const double *w, double room)
{
	double got = 0;
	for (int k = 0; k < n_items; k++) {
		int i = order ? order[k] : k;
		if (i < from)
			continue;
		double wi = w[i];
		if (wi <= room) {
			got += items[i].p;
			room -= wi;
		} else {
			if (wi > 0)
				got += items[i].p * room / wi;
			break;
		}
	}
	return got;
}

static double *wa, *wb, *ws;

static double upper(int from, double ra, double rb)
{
	double s = frac(from, NULL, ws, ra + rb);
	double x = frac(from, by_a, wa, ra);
	if (x < s)
		s = x;
	x = frac(from, by_b, wb, rb);
	return x < s ? x : s;
}

static void dfs(int i, double ra, double rb, double got)
{
	if (left-- <= 0)
		return;
	if (got > best + 1e-9) {
		best = got;
		memcpy(best_take, cur, sizeof *cur * n_items);
	}
	if (i == n_items)
		return;
	if (got + upper(i, ra, rb) <= best + 1e-9)
		return;
	if (wa[i] <= ra + 1e-12 && wb[i] <= rb + 1e-12) {
		cur[i] = 1;
		dfs(i + 1, ra - wa[i], rb - wb[i], got + items[i].p);
		cur[i] = 0;
	}
	dfs(i + 1, ra, rb, got);
}

static const struct it *sort_base;
static int cmp_a(const void *x, const void *y)
{
	const struct it *u = &sort_base[*(const int *)x], *v = &sort_base[*(const int *)y];
	double du = u->p / (u->a > 0 ? u->a : 1e-12), dv = v->p / (v->a > 0 ? v->a : 1e-12);
	return du < dv ? 1 : du > dv ? -1 : 0;
}

static int cmp_b(const void *x, const void *y)
{
	const struct it *u = &sort_base[*(const int *)x], *v = &sort_base[*(const int *)y];
	double du = u->p / (u->b > 0 ? u->b : 1e-12), dv = v->p / (v->b > 0 ? v->b : 1e-12);
	return du < dv ? 1 : du > dv ? -1 : 0;
}

double knap2d(int n, const double *profit, const double *kg, const double *m3,
	      double cap_kg, double cap_m3, double floor, int *take, long nodes)
{
	int m = 0;
	items = calloc(n + 1, sizeof *items);
	for (int i = 0; i < n; i++) {
		take[i] = 0;
		if (profit[i] <= 0 || kg[i] > cap_kg || m3[i] > cap_m3)
			continue;
		items[m] = (struct it){ profit[i], kg[i] / cap_kg, m3[i] / cap_m3,
					kg[i] / cap_kg + m3[i] / cap_m3, i };
		m++;
	}
	qsort(items, m, sizeof *items, cmp_s);
	n_items = m;
	wa = malloc(sizeof *wa * (m + 1));
	wb = malloc(sizeof *wb * (m + 1));
	ws = malloc(sizeof *ws * (m + 1));
	by_a = malloc(sizeof *by_a * (m + 1));
	by_b = malloc(sizeof *by_b * (m + 1));
	cur = calloc(m + 1, sizeof *cur);
	best_take = calloc(m + 1, sizeof *best_take);
	for (int i = 0; i < m; i++) {
		wa[i] = items[i].a;
		wb[i] = items[i].b;
		ws[i] = items[i].s;
		by_a[i] = by_b[i] = i;
	}
	sort_base = items;
	qsort(by_a, m, sizeof *by_a, cmp_a);
	qsort(by_b, m, sizeof *by_b, cmp_b);
	best = floor;
	left = nodes;
	dfs(0, 1.0, 1.0, 0.0);
	double out = left < 0 ? -1 : best;
	if (left >= 0 && best > floor)
		for (int i = 0; i < m; i++)
			take[items[i].id] = best_take[i];
	free(items);
	free(wa);
	free(wb);
	free(ws);
	free(by_a);
	free(by_b);
	free(cur);
	free(best_take);
	return out;
}

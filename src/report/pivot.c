/* report's cross table (report(1) --pivot): the summary's groups laid out as rows by
 * columns, with row, column and grand totals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "report.h"

/* What a cross table's side shows as its caption: the period's name, else the column's. */
static const char *axis_label(const struct axis *ax)
{
	static const char *const en[] = { NULL, "week", "month", "day" };
	static const char *const zh[] = { NULL, "周", "月份", "日期" };

	if (ax->by != PERIOD_NONE)
		return opt.labels == LABELS_ZH ? zh[ax->by] : en[ax->by];
	return label_of(ax->canon, &summary->in.hdr[ax->col]);
}

/* A key value as shown: a period as it is, a cell as the data sheet shows it. */
static const char *axis_text(const struct axis *ax, const char *v, struct sbuf *cut)
{
	if (ax->by != PERIOD_NONE)
		return v;
	return cell_text(&summary->col[ax->col], (struct csv_field){ v, strlen(v) }, cut);
}

/* The distinct values of one side of the keys ("row US column"), sorted, and each
 * group's place among them. */
static size_t *axis_values(struct strmap *vals, int side, size_t *grp_at)
{
	size_t g, i, *ix, *rank;
	int added;

	strmap_init(vals);
	for (g = 0; g < groups.count; g++) {
		const char *k = strmap_key(&groups, g), *sep = strchr(k, 0x1f);
		const char *v = side ? sep + 1 : k;
		size_t n = side ? strlen(v) : (size_t)(sep - k);
		grp_at[g] = (size_t)tool_must(strmap_add(vals, v, n, 0, &added));
	}
	ix = sorted_zh(vals);
	rank = tool_alloc(vals->count, sizeof *rank);
	for (i = 0; i < vals->count; i++)
		rank[ix[i]] = i;
	for (g = 0; g < groups.count; g++)
		grp_at[g] = rank[grp_at[g]];
	sd_free(rank);
	return ix;
}

/* Measure m of group g at the scale it is shown: rows, or a --sum column. */
static double pivot_value(__int128 v, size_t m)
{
	int64_t p;

	if (!opt.nsums)
		return (double)v;
	p = pow10i(SUM_SCALE - sumcol[m].maxdec);
	return total_double(v / p, sumcol[m].maxdec +
	                    (hdr_sem(opt.sums[m])->kind == HK_PCT ? 2 : 0));
}

/* A chart beside a block (report(1) --chart with --pivot): 768 by about 420 pixels,
 * some 22 rows and 110 characters; one series per column value when there are at
 * most PIVOT_SERIES, else the row totals alone. */
enum { PIVOT_SERIES = 12, PIVOT_CHART_ROWS = 22, PIVOT_CHART_CHARS = 110 };

/* Where a block of the cross table is: its caption (the measure), header and data
 * rows (the totals row below them), its column values, its cells' number format. */
struct pivot_block {
	const char *measure, *numfmt;
	lxw_row_t cap, head;
	size_t nr, nc;
};

/* Block b's chart, its top left at (at, col).  It refers to the block's cells and
 * holds nothing of its own: categories the row values, series the column values
 * (named by the header's cells) or the total column (named by the caption). */
static void pivot_chart(lxw_worksheet *ws, const char *sheet, const struct pivot_block *b,
                        lxw_row_t at, lxw_col_t col)
{
	lxw_chart *ch = tool_must_ptr(workbook_add_chart(wb, (uint8_t)opt.chart));
	lxw_chart_options co = { .x_scale = 1.6, .y_scale = 1.45 };
	int pie = opt.chart == LXW_CHART_PIE, each = !pie && b->nc <= PIVOT_SERIES;
	lxw_row_t r1 = b->head + 1, r2 = b->head + (lxw_row_t)b->nr;
	const char *rows = axis_label(&opt.pivot[0]), *cols = axis_label(&opt.pivot[1]);
	int zh = opt.labels == LABELS_ZH;
	size_t j, ns = each ? b->nc : 1;
	char title[256];

	for (j = 0; j < ns; j++) {
		lxw_chart_series *ser = tool_must_ptr(chart_add_series(ch, NULL, NULL));
		lxw_col_t vc = (lxw_col_t)(each ? j + 1 : b->nc + 1);
		chart_text_categories(ser, sheet, r1, r2, 0);
		chart_series_set_values(ser, sheet, r1, vc, r2, vc);
		chart_series_set_name_range(ser, sheet, each ? b->head : b->cap, each ? vc : 0);
	}
	if (each)
		snprintf(title, sizeof title, zh ? "%s（%s×%s）" : "%s by %s and %s", b->measure,
		         rows, cols);
	else
		snprintf(title, sizeof title, zh ? "%s（按%s）" : "%s by %s", b->measure, rows);
	chart_title_set_name(ch, title);
	if (!pie) {
		/* a bar chart lays its categories up the y axis */
		int bar = opt.chart == LXW_CHART_BAR;
		chart_axis_set_name(bar ? ch->y_axis : ch->x_axis, rows);
		chart_axis_set_name(bar ? ch->x_axis : ch->y_axis, b->measure);
		chart_axis_set_num_format(bar ? ch->x_axis : ch->y_axis, b->numfmt);
	}
	chart_legend_set_position(ch, ns > 1 || pie ? LXW_CHART_LEGEND_BOTTOM :
	                          LXW_CHART_LEGEND_NONE);
	check(worksheet_insert_chart_opt(ws, at, col, ch, &co), "chart");
}

/* The chart's column: beside the table after a blank column; a table so wide (some
 * 16,000 column values) that no chart fits beside it gets it over its last columns,
 * since an anchor past Excel's last column is an error. */
static lxw_col_t chart_col(size_t nc)
{
	enum { CHART_COLS = 12 };       /* 768 pixels of 64-pixel columns */

	return nc + 3 + CHART_COLS < LXW_COL_MAX ? (lxw_col_t)(nc + 3) :
	       (lxw_col_t)(LXW_COL_MAX - CHART_COLS - 1);
}

static const size_t *pv_r, *pv_c;      /* for by_cell: each group's row and column */

static int by_cell(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (pv_r[x] != pv_r[y])
		return pv_r[x] < pv_r[y] ? -1 : 1;
	return pv_c[x] < pv_c[y] ? -1 : pv_c[x] > pv_c[y];
}

/* One block per measure (rows, or each --sum column): its caption, then the column
 * values across with 合计 last, one row per row value with its total, and a totals
 * row; a cell no row fell into stays blank.  Rows are written in order, as
 * constant_memory needs. */
lxw_worksheet *write_pivot(char ***used, size_t *nused)
{
	const char *name = sheet_name(opt.labels == LABELS_ZH ? "汇总" : "Summary", "", used, nused);
	const char *total_label = opt.labels == LABELS_ZH ? "合计" : "Total";
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	struct strmap rv, cv;
	size_t *r_at = tool_alloc(groups.count, sizeof *r_at);
	size_t *c_at = tool_alloc(groups.count, sizeof *c_at);
	size_t *rix = axis_values(&rv, 0, r_at), *cix = axis_values(&cv, 1, c_at);
	size_t nm = opt.nsums ? opt.nsums : 1, nr = rv.count, nc = cv.count, m, i, j, g, q;
	size_t *cell = tool_alloc(groups.count, sizeof *cell);
	__int128 *ctot = tool_alloc(nc + 1, sizeof *ctot);
	lxw_row_t r = opt.title ? 1 : 0, hr = r;
	size_t keyw = text_width(axis_label(&opt.pivot[0]), strlen(axis_label(&opt.pivot[0])),
	                         NULL);
	struct sbuf cut = SBUF_INIT;
	lxw_format *nf;
	double width;
	lxw_row_t chart_at = 0;         /* below the chart before: charts never overlap */

	if (!ws)
		diag_fatal(EX_SOFTWARE, "cannot add the worksheet %s", diag_qstr(name));
	if (nc + 2 > LXW_COL_MAX)
		diag_fatal(EX_DATAERR, "--pivot: %zu column values (Excel allows %d)", nc,
		           LXW_COL_MAX - 2);
	/* the groups in row, then column order: memory grows with the groups, not with
	 * rows x columns (a sparse table of many values stays small) */
	for (g = 0; g < groups.count; g++)
		cell[g] = g;
	pv_r = r_at;
	pv_c = c_at;
	qsort(cell, groups.count, sizeof *cell, by_cell);
	if (opt.title)
		check(worksheet_write_string(ws, 0, 0, opt.title, f_title), "title");
	for (m = 0; m < nm; m++) {
		enum hdr_kind k = opt.nsums ? hdr_sem(opt.sums[m])->kind : HK_NUMBER;
		__int128 grand = 0;
		struct pivot_block b = { .nr = nr, .nc = nc };
		b.numfmt = opt.nsums ? num_format(k, sumcol[m].maxdec ? T_DEC : T_INT,
		                                  sumcol[m].maxdec) : "#,##0";
		b.measure = opt.nsums ? label_of(opt.sums[m], &summary->in.hdr[sumcol[m].col]) :
		            opt.labels == LABELS_ZH ? "行数" : "rows";
		nf = new_format(b.numfmt, 0, 0);
		if (m)
			r++;    /* a blank row between the blocks */
		b.cap = r;
		check(worksheet_write_string(ws, r, 0, b.measure, f_bold), "pivot");
		r++;
		b.head = r;
		check(worksheet_write_string(ws, r, 0, axis_label(&opt.pivot[0]), f_bold), "pivot");
		for (j = 0; j < nc; j++)
			check(worksheet_write_string(ws, r, (lxw_col_t)(j + 1),
			      axis_text(&opt.pivot[1], strmap_key(&cv, cix[j]), &cut), f_bold), "pivot");
		check(worksheet_write_string(ws, r, (lxw_col_t)(nc + 1), total_label, f_bold),
		      "pivot");
		memset(ctot, 0, (nc + 1) * sizeof *ctot);
		for (i = 0, q = 0; i < nr; i++) {
			const char *rk = strmap_key(&rv, rix[i]);
			__int128 rtot = 0;
			size_t w = text_width(rk, strlen(rk), NULL);
			r++;
			if (*rk)
				check(worksheet_write_string(ws, r, 0, axis_text(&opt.pivot[0], rk, &cut),
				                             NULL), "pivot");
			keyw = w > keyw ? w : keyw;
			for (; q < groups.count && r_at[cell[q]] == i; q++) {
				size_t cg = cell[q];
				__int128 v = opt.nsums ? group_sums[cg * opt.nsums + m] :
				             (__int128)group_rows[cg];
				j = c_at[cg];
				rtot += v;
				ctot[j] += v;
				check(worksheet_write_number(ws, r, (lxw_col_t)(j + 1), pivot_value(v, m),
				                             nf), "pivot");
			}
			grand += rtot;
			check(worksheet_write_number(ws, r, (lxw_col_t)(nc + 1), pivot_value(rtot, m),
			                             nf), "pivot");
		}
		r++;
		check(worksheet_write_string(ws, r, 0, total_label, f_bold), "pivot");
		for (j = 0; j < nc; j++)
			check(worksheet_write_number(ws, r, (lxw_col_t)(j + 1), pivot_value(ctot[j], m),
			                             nf), "pivot");
		check(worksheet_write_number(ws, r, (lxw_col_t)(nc + 1), pivot_value(grand, m), nf),
		      "pivot");
		r++;
		if (opt.chart && nr) {
			chart_at = b.cap > chart_at ? b.cap : chart_at;
			pivot_chart(ws, name, &b, chart_at, chart_col(nc));
			chart_at += PIVOT_CHART_ROWS;
		}
	}
	keyw = keyw + 4 > 14 ? keyw + 4 : 14;
	worksheet_set_column(ws, 0, 0, (double)keyw, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(nc + 1), 14, NULL);
	width = (double)keyw + 14.0 * (double)(nc + 1) +
	        (opt.chart ? 14.0 + PIVOT_CHART_CHARS : 0);
	print_setup(ws, hr + 1, width, 0);
	strmap_free(&rv);
	strmap_free(&cv);
	sd_free(rix);
	sd_free(cix);
	sd_free(r_at);
	sd_free(c_at);
	sd_free(cell);
	sd_free(ctot);
	sbuf_release(&cut);
	return ws;
}

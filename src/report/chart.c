/* report's chart sheet (report(1) --chart). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "report.h"

/* A chart must read (report(1), --chart): one measure per chart and axis, at most
 * CHART_CATS categories and CHART_SERIES series (the top ones, 其他 for the rest),
 * periods in date order, sized to a page and on the first sheet. */
enum { CHART_CATS = 15, CHART_SERIES = 5, CHART_ROWS = 22 };

static const __int128 *rank_tot;        /* for by_total: totals of the group values */

/* A series' categories: the text cells of COL from FIRST to LAST.  In constant_memory
 * mode libxlsxwriter cannot read the cells back, so it would write the range as numbers
 * (numRef), which Excel shows as 1, 2, 3; our categories are always text cells, so the
 * range says so (strRef, the cache left to the reader, as libxlsxwriter does for every
 * range in this mode). */
void chart_text_categories(lxw_chart_series *ser, const char *sheet, lxw_row_t first,
                           lxw_row_t last, lxw_col_t col)
{
	chart_series_set_categories(ser, sheet, first, col, last, col);
	ser->categories->has_string_cache = LXW_TRUE;
}

static int by_total(const void *a, const void *b)
{
	__int128 x = rank_tot[*(const size_t *)a], y = rank_tot[*(const size_t *)b];

	return x < y ? 1 : x > y ? -1 : *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* One summary group's value of measure m (a --sum column, or the rows without --sum)
 * at SUM_SCALE. */
static __int128 measure(size_t g, size_t m)
{
	return opt.nsums ? group_sums[g * opt.nsums + m] :
	       (__int128)group_rows[g] * pow10i(SUM_SCALE);
}

struct chart_data {
	struct strmap per, grp;         /* the distinct periods and group values */
	size_t *pix, *gix;              /* per summary group: its period and value */
	size_t *rank;                   /* group values, biggest first by the first measure */
	size_t *grank;                  /* group value -> its place in rank */
	size_t *psorted, *ppos;         /* periods in date order, and each one's place */
	size_t pfirst;                  /* the first period shown: the last CHART_CATS */
};

static void chart_collect(struct chart_data *d)
{
	__int128 *tot;
	size_t g, i;

	strmap_init(&d->per);
	strmap_init(&d->grp);
	d->pix = tool_realloc(NULL, (groups.count + 1) * sizeof *d->pix);
	d->gix = tool_realloc(NULL, (groups.count + 1) * sizeof *d->gix);
	for (g = 0; g < groups.count; g++) {
		const char *k = strmap_key(&groups, g), *sep = strchr(k, 0x1f);
		int added;
		d->pix[g] = (size_t)tool_must(strmap_add(&d->per, k, (size_t)(sep - k), 0, &added));
		d->gix[g] = (size_t)tool_must(strmap_add(&d->grp, sep + 1, strlen(sep + 1), 0,
		                                         &added));
	}
	tot = tool_realloc(NULL, (d->grp.count + 1) * sizeof *tot);
	memset(tot, 0, (d->grp.count + 1) * sizeof *tot);
	for (g = 0; g < groups.count; g++)
		tot[d->gix[g]] += measure(g, 0);
	d->rank = tool_realloc(NULL, (d->grp.count + 1) * sizeof *d->rank);
	d->grank = tool_realloc(NULL, (d->grp.count + 1) * sizeof *d->grank);
	for (i = 0; i < d->grp.count; i++)
		d->rank[i] = i;
	rank_tot = tot;
	qsort(d->rank, d->grp.count, sizeof *d->rank, by_total);
	for (i = 0; i < d->grp.count; i++)
		d->grank[d->rank[i]] = i;
	sd_free(tot);
	/* periods: their keys sort in date order (2026-W45, 2026-11) */
	d->psorted = tool_must_ptr(strmap_sorted(&d->per));
	d->ppos = tool_realloc(NULL, (d->per.count + 1) * sizeof *d->ppos);
	for (i = 0; i < d->per.count; i++)
		d->ppos[d->psorted[i]] = i;
	d->pfirst = d->per.count > CHART_CATS ? d->per.count - CHART_CATS : 0;
}

static void chart_release(struct chart_data *d)
{
	strmap_free(&d->per);
	strmap_free(&d->grp);
	sd_free(d->pix);
	sd_free(d->gix);
	sd_free(d->rank);
	sd_free(d->grank);
	sd_free(d->psorted);
	sd_free(d->ppos);
}

/* The block of measure m at row r0: its table from r0 + CHART_ROWS, its chart above. */
static void chart_block(lxw_worksheet *ws, const char *sheet, struct chart_data *d, size_t m,
                        lxw_row_t r0)
{
	const struct input *ip = summary;
	int by_period = period_col >= 0;
	/* categories: the periods, else the group values; series: the top group values
	 * with periods, else the measure alone */
	size_t ncat = by_period ? d->per.count - d->pfirst :
	              d->grp.count > CHART_CATS ? CHART_CATS : d->grp.count;
	int other_cat = !by_period && d->grp.count > CHART_CATS;
	size_t nser = by_period && group_col >= 0 ?
	              (d->grp.count > CHART_SERIES ? CHART_SERIES + 1 : d->grp.count) : 1;
	__int128 *cell = tool_realloc(NULL, (CHART_CATS + 1) * (CHART_SERIES + 1) * sizeof *cell);
	const char *mlabel = opt.nsums ? label_of(opt.sums[m], &ip->in.hdr[sumcol[m].col]) :
	                     opt.labels == LABELS_ZH ? "行数" : "rows";
	const char *other = opt.labels == LABELS_ZH ? "其他" : "Other";
	enum hdr_kind k = opt.nsums ? hdr_sem(opt.sums[m])->kind : HK_NUMBER;
	int dec = opt.nsums ? sumcol[m].maxdec : 0;
	int64_t p = pow10i(SUM_SCALE - dec);
	lxw_format *fmt = new_format(num_format(k, dec ? T_DEC : T_INT, dec), 0, 0);
	lxw_row_t hr = r0 + CHART_ROWS, r;
	lxw_chart *ch = tool_must_ptr(workbook_add_chart(wb, (uint8_t)opt.chart));
	lxw_chart_options co = { .x_scale = 1.6, .y_scale = 1.45 };
	char title[256];
	size_t g, i, j;
	struct sbuf cut = SBUF_INIT;

	memset(cell, 0, (CHART_CATS + 1) * (CHART_SERIES + 1) * sizeof *cell);
	for (g = 0; g < groups.count; g++) {
		size_t rk = d->grank[d->gix[g]], c, sr;
		if (by_period) {
			if (d->ppos[d->pix[g]] < d->pfirst)
				continue;
			c = d->ppos[d->pix[g]] - d->pfirst;
			sr = nser == 1 ? 0 : rk < CHART_SERIES ? rk : CHART_SERIES;
		} else {
			c = rk < CHART_CATS ? rk : CHART_CATS;
			sr = 0;
		}
		cell[c * (CHART_SERIES + 1) + sr] += measure(g, m);
	}
	ncat += (size_t)other_cat;
	/* the table: the category, then one column per series */
	check(worksheet_write_string(ws, hr, 0, by_period ? (opt.period == PERIOD_WEEK ?
	      (opt.labels == LABELS_ZH ? "周" : "week") : (opt.labels == LABELS_ZH ? "月份" : "month")) :
	      label_of(opt.group_by, &ip->in.hdr[group_col]), f_bold), "chart");
	for (j = 0; j < nser; j++) {
		const char *name = mlabel;
		if (nser > 1)
			name = j == CHART_SERIES ? other :
			       cell_text(&ip->col[group_col], (struct csv_field){
			               strmap_key(&d->grp, d->rank[j]),
			               strlen(strmap_key(&d->grp, d->rank[j])) }, &cut);
		check(worksheet_write_string(ws, hr, (lxw_col_t)(1 + j), *name ? name : "-", f_bold),
		      "chart");
	}
	for (i = 0, r = hr + 1; i < ncat; i++, r++) {
		const char *cat;
		if (by_period)
			cat = strmap_key(&d->per, d->psorted[d->pfirst + i]);
		else if (i == CHART_CATS)
			cat = other;
		else
			cat = cell_text(&ip->col[group_col], (struct csv_field){
			        strmap_key(&d->grp, d->rank[i]), strlen(strmap_key(&d->grp, d->rank[i])) },
			        &cut);
		check(worksheet_write_string(ws, r, 0, *cat ? cat : "-", NULL), "chart");
		for (j = 0; j < nser; j++)
			check(worksheet_write_number(ws, r, (lxw_col_t)(1 + j),
			      total_double(cell[i * (CHART_SERIES + 1) + j] / p,
			                   dec + (k == HK_PCT ? 2 : 0)), fmt), "chart");
	}
	for (j = 0; j < (opt.chart == LXW_CHART_PIE ? 1 : nser); j++) {
		lxw_chart_series *ser = tool_must_ptr(chart_add_series(ch, NULL, NULL));
		chart_text_categories(ser, sheet, hr + 1, hr + (lxw_row_t)ncat, 0);
		chart_series_set_values(ser, sheet, hr + 1, (lxw_col_t)(1 + j), hr + (lxw_row_t)ncat,
		                        (lxw_col_t)(1 + j));
		chart_series_set_name_range(ser, sheet, hr, (lxw_col_t)(1 + j));
	}
	snprintf(title, sizeof title, "%s%s", mlabel, by_period ? (opt.period == PERIOD_WEEK ?
	         (opt.labels == LABELS_ZH ? "（按周）" : " by week") :
	         (opt.labels == LABELS_ZH ? "（按月）" : " by month")) :
	         (opt.labels == LABELS_ZH ? "（前15位）" : " (top 15)"));
	chart_title_set_name(ch, title);
	if (opt.chart != LXW_CHART_PIE) {
		lxw_chart_axis *vals = opt.chart == LXW_CHART_BAR ? ch->x_axis : ch->y_axis;
		chart_axis_set_num_format(vals, k == HK_PCT ? "0%" : "#,##0");
		chart_axis_set_name(vals, mlabel);
	}
	if (nser == 1 && opt.chart != LXW_CHART_PIE)
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
	else
		chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	check(worksheet_insert_chart_opt(ws, r0, 0, ch, &co), "chart");
	sd_free(cell);
	sbuf_release(&cut);
}

/* The chart sheet, the workbook's first: per measure a chart and below it its table,
 * each block on its own page. */
void write_chart_sheet(char ***used, size_t *nused)
{
	const char *name = sheet_name(opt.labels == LABELS_ZH ? "图表" : "Chart", "", used, nused);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	size_t nm = opt.nsums && opt.chart != LXW_CHART_PIE ? opt.nsums : 1, m;
	lxw_row_t hr = opt.title ? 1 : 0, block = CHART_ROWS + CHART_CATS + 4;
	lxw_row_t *breaks = tool_realloc(NULL, (nm + 1) * sizeof *breaks);
	struct chart_data d;

	if (!ws)
		diag_fatal(EX_SOFTWARE, "cannot add the worksheet %s", diag_qstr(name));
	if (opt.title)
		check(worksheet_write_string(ws, 0, 0, opt.title, f_title), "title");
	chart_collect(&d);
	for (m = 0; m < nm; m++) {
		chart_block(ws, name, &d, m, hr + (lxw_row_t)m * block);
		breaks[m] = hr + (lxw_row_t)(m + 1) * block;
	}
	breaks[nm - 1] = 0;
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, CHART_SERIES + 1, 14, NULL);
	/* a scale, not fit to width: Excel and LibreOffice drop the page breaks then */
	print_setup(ws, hr, 0, 1);
	if (nm > 1)
		check(worksheet_set_h_pagebreaks(ws, breaks), "page breaks");
	sd_free(breaks);
	chart_release(&d);
}

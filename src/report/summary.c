/* report's summary (report(1) --group-by, --period, --sum): the groups added up in
 * pass 1, sorted as a Chinese reader expects, and the summary sheet. */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "num.h"
#include "report.h"

struct strmap groups;
uint64_t *group_rows;
__int128 *group_sums;
static size_t group_cap;
struct sumcol *sumcol;
int group_col = -1, period_col = -1;
static struct sbuf key = SBUF_INIT;     /* the row's group key, built in add_group */

/* A value of a summary key: the trimmed cell, or its date's day, ISO week or month
 * (blank when the date is blank or invalid). */
static void add_key_part(const struct csv_record *rec, int col, enum period by)
{
	struct csv_field f;
	int32_t d;
	int y, m, dd;
	char b[16];

	if (col < 0)
		return;
	f = trimmed(rec, col);
	if (by == PERIOD_NONE) {
		tool_must(sbuf_add(&key, f.s, f.n));
		return;
	}
	if (!f.n || parse_date(f.s, f.n, &d) < 0)
		return;
	if (by == PERIOD_WEEK) {
		iso_week(d, &y, &m);
		snprintf(b, sizeof b, "%04d-W%02d", y, m);
	} else if (by == PERIOD_MONTH) {
		civil_from_days(d, &y, &m, &dd);
		snprintf(b, sizeof b, "%04d-%02d", y, m);
	} else {
		fmt_date(b, d);
	}
	tool_must(sbuf_addstr(&key, b));
}

void add_group(const struct input *ip, const struct csv_record *rec)
{
	struct csv_field f;
	size_t i;
	long g;
	int added;

	/* "period US group", or for a cross table "row US column" */
	sbuf_reset(&key);
	if (opt.pivot[0].canon)
		add_key_part(rec, opt.pivot[0].col, opt.pivot[0].by);
	else
		add_key_part(rec, period_col, opt.period);
	tool_must(sbuf_addch(&key, 0x1f));
	if (opt.pivot[0].canon)
		add_key_part(rec, opt.pivot[1].col, opt.pivot[1].by);
	else
		add_key_part(rec, group_col, PERIOD_NONE);
	g = tool_must(strmap_add(&groups, key.buf, key.len, 0, &added));
	if (added && (size_t)g >= group_cap) {
		group_cap = group_cap ? group_cap * 2 : 64;
		group_rows = tool_realloc(group_rows, group_cap * sizeof *group_rows);
		group_sums = tool_realloc(group_sums, group_cap * (opt.nsums + 1) * sizeof *group_sums);
	}
	if (added) {
		group_rows[g] = 0;
		for (i = 0; i < opt.nsums; i++)
			group_sums[(size_t)g * opt.nsums + i] = 0;
	}
	group_rows[g]++;
	for (i = 0; i < opt.nsums; i++) {
		struct sumcol *sc = &sumcol[i];
		struct number num;
		f = trimmed(rec, sc->col);
		if (!f.n)
			continue;
		if (scan_number(f, ip->col[sc->col].kind == HK_PCT ? HK_PCT : HK_MONEY,
		                &num) < 0) {
			diag_fatal(EX_DATAERR, "%s:%ld: --sum column '%s' has %s, which is not a number",
			           ip->in.name, rec->line, opt.sums[i], diag_quote(f.s, f.n));
		}
		if (num.dec > sc->maxdec)
			sc->maxdec = num.dec;
		group_sums[(size_t)g * opt.nsums + i] += (__int128)num.v * pow10i(SUM_SCALE - num.dec);
	}
}

static const struct sbuf *zh_keys;      /* for by_zh: the keys in GB18030, NUL-ended */
static const size_t *zh_off;

static int by_zh(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(zh_keys->buf + zh_off[x], zh_keys->buf + zh_off[y]);

	return c ? c : x < y ? -1 : 1;
}

/* The summary groups in pinyin order: GB18030 (as GB2312) orders its 3,755 common
 * characters by pinyin, the rarer ones after them by radical, and keeps ASCII as it is,
 * so comparing the keys' GB18030 bytes sorts 北京 < 广州 < 上海, blank first
 * (report(1), --group-by).  Byte order if glibc has no GB18030. */
size_t *sorted_zh(const struct strmap *m)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	struct sbuf gb = SBUF_INIT;
	size_t *ix, *off, i;

	if (cd == (iconv_t)-1)
		return tool_must_ptr(strmap_sorted(m));
	ix = tool_realloc(NULL, (m->count + 1) * sizeof *ix);
	off = tool_realloc(NULL, (m->count + 1) * sizeof *off);
	for (i = 0; i < m->count; i++) {
		const char *k = strmap_key(m, i);
		char *in = (char *)k, *out;
		size_t inleft = strlen(k), outleft = 4 * inleft + 1;
		ix[i] = i;
		off[i] = gb.len;
		tool_must(sbuf_grow(&gb, outleft));
		out = gb.buf + gb.len;
		iconv(cd, NULL, NULL, NULL, NULL);
		/* valid UTF-8 (pass 1 checked it) always converts: GB18030 covers Unicode */
		iconv(cd, &in, &inleft, &out, &outleft);
		*out = '\0';
		gb.len = (size_t)(out - gb.buf) + 1;
	}
	iconv_close(cd);
	zh_keys = &gb;
	zh_off = off;
	qsort(ix, m->count, sizeof *ix, by_zh);
	sbuf_release(&gb);
	sd_free(off);
	return ix;
}

/* The summary sheet: [period] [group] rows sums..., one row per group, sorted. */
lxw_worksheet *write_summary(char ***used, size_t *nused)
{
	const struct input *ip = summary;
	const char *name = sheet_name(opt.labels == LABELS_ZH ? "汇总" : "Summary", "", used, nused);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_row_t hr = opt.title ? 1 : 0, r;
	size_t *ix = sorted_zh(&groups), i, s;
	lxw_col_t nc = 0, c, kc = 0;
	size_t keyw[2] = { 0, 0 };
	double width = 0;
	lxw_format **sf = tool_realloc(NULL, (opt.nsums + 1) * sizeof *sf);
	struct sbuf cut = SBUF_INIT;

	if (!ws)
		diag_fatal(EX_SOFTWARE, "cannot add the worksheet %s", diag_qstr(name));
	if (opt.title)
		check(worksheet_write_string(ws, 0, 0, opt.title, f_title), "title");
	if (period_col >= 0) {
		const char *lab = opt.period == PERIOD_WEEK ?
		        (opt.labels == LABELS_ZH ? "周" : "week") :
		        (opt.labels == LABELS_ZH ? "月份" : "month");
		check(worksheet_write_string(ws, hr, nc++, lab, f_bold), "summary");
	}
	if (group_col >= 0)
		check(worksheet_write_string(ws, hr, nc++, label_of(opt.group_by, &ip->in.hdr[group_col]), f_bold),
		      "summary");
	kc = nc;
	check(worksheet_write_string(ws, hr, nc++, opt.labels == LABELS_ZH ? "行数" : "rows",
	                             f_bold), "summary");
	for (s = 0; s < opt.nsums; s++) {
		enum hdr_kind k = hdr_sem(opt.sums[s])->kind;
		sf[s] = new_format(num_format(k, sumcol[s].maxdec ? T_DEC : T_INT, sumcol[s].maxdec),
		                   0, 0);
		check(worksheet_write_string(ws, hr, nc++, label_of(opt.sums[s], &ip->in.hdr[sumcol[s].col]), f_bold),
		      "summary");
	}
	for (i = 0, r = hr + 1; i < groups.count; i++, r++) {
		const char *gk = strmap_key(&groups, ix[i]), *sep = strchr(gk, 0x1f);
		c = 0;
		if (period_col >= 0) {
			char per[16];
			snprintf(per, sizeof per, "%.*s", (int)(sep - gk), gk);
			if (*per)
				check(worksheet_write_string(ws, r, c, per, NULL), "summary");
			if (strlen(per) > keyw[0])
				keyw[0] = strlen(per);
			c++;
		}
		if (group_col >= 0) {
			size_t n = strlen(sep + 1), w = text_width(sep + 1, n, NULL);
			if (sep[1])
				check(worksheet_write_string(ws, r, c, cell_text(&ip->col[group_col],
				      (struct csv_field){ sep + 1, n }, &cut), NULL), "summary");
			if (w > keyw[1])
				keyw[1] = w;
			c++;
		}
		check(worksheet_write_number(ws, r, c++, (double)group_rows[ix[i]], NULL), "summary");
		for (s = 0; s < opt.nsums; s++) {
			enum hdr_kind k = hdr_sem(opt.sums[s])->kind;
			__int128 v = group_sums[ix[i] * opt.nsums + s];
			/* back to the column's scale, exactly: every value had at most maxdec */
			int64_t p = pow10i(SUM_SCALE - sumcol[s].maxdec);
			check(worksheet_write_number(ws, r, c++,
			                             total_double(v / p, sumcol[s].maxdec +
			                                          (k == HK_PCT ? 2 : 0)), sf[s]),
			      "summary");
		}
	}
	worksheet_freeze_panes(ws, hr + 1, 0);
	worksheet_autofilter(ws, hr, 0, hr + (lxw_row_t)groups.count, nc - 1);
	for (c = 0; c < nc; c++) {
		size_t w = c < kc ? keyw[(period_col >= 0 && c == 0) ? 0 : 1] : 14;
		w = w + 4 > 14 ? w + 4 : 14;
		worksheet_set_column(ws, c, c, (double)w, NULL);
		width += (double)w;
	}
	print_setup(ws, hr, width, 0);
	sd_free(ix);
	sd_free(sf);
	sbuf_release(&cut);
	return ws;
}

void summary_free(void)
{
	strmap_free(&groups);
	sbuf_release(&key);
	sd_free(group_rows);
	sd_free(group_sums);
	sd_free(sumcol);
}

/* report's pass 2 (report(1)): the formats, a data sheet's title and header, its cells
 * and totals row, and how every sheet prints. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "report.h"

lxw_workbook *wb;
unsigned wb_number;      /* which workbook wb is: a pointer may be reused */
lxw_format *f_bold, *f_title;
enum { HIGHLIGHT_FILL = 0xFFEB9C };   /* Excel's "neutral" yellow */
/* What an A4 portrait page holds at 100%, in Excel's character widths: a wider sheet
 * prints landscape (and is scaled to the page's width either way). */
enum { PORTRAIT_CHARS = 90 };
/* The chart sheet's blocks (a chart 768 pixels wide, its table of 8 columns below) at
 * this percent fit an A4 portrait page's width. */
enum { CHART_PRINT_SCALE = 65 };
time_t created;          /* the document's date, also in the page header */

const char *label_of(const char *canon, const struct csv_field *raw)
{
	const char *zh;

	if (opt.labels == LABELS_ZH && (zh = hdr_zh_label(canon)))
		return zh;
	if (opt.labels == LABELS_INPUT && raw)
		return raw->s;
	return canon;
}

const char *num_format(enum hdr_kind k, enum type t, int maxdec)
{
	static const char *const dec[] = {
		"0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000", "0.0000000",
		"0.00000000", "0.000000000"
	};

	if (t == T_DATE)
		return "yyyy-mm-dd";
	if (t == T_TEXT)
		return NULL;
	switch (k) {
	/* report(1) literally: a 4-decimal unit price shows 2 (the cell keeps all 4) */
	case HK_MONEY: return "#,##0.00";
	case HK_PCT: return "0.00%";
	case HK_WEIGHT: return "#,##0.000";
	case HK_VOLUME: return "#,##0.0000";
	default: return t == T_DEC ? dec[maxdec] : NULL;
	}
}

/* One lxw_format per distinct look.  libxlsxwriter 1.1.4 caches a format's style index only
 * in the first of several equal formats: each cell written with a duplicate hashes the whole
 * format again (6% of report's time on 100,000 lines when every column had its own). */
lxw_format *new_format(const char *numfmt, int fill, int bold)
{
	struct look { const char *numfmt; int fill, bold; lxw_format *f; };
	static struct look seen[64];
	static size_t nseen;
	static unsigned of;             /* the workbook the formats belong to */
	lxw_format *f;
	size_t i;

	if (of != wb_number) {          /* a new workbook (--split-by into a folder) */
		of = wb_number;
		nseen = 0;
	}

	for (i = 0; i < nseen; i++)
		if (seen[i].fill == fill && seen[i].bold == bold &&
		    (seen[i].numfmt == numfmt ||
		     (seen[i].numfmt && numfmt && !strcmp(seen[i].numfmt, numfmt))))
			return seen[i].f;
	f = tool_must_ptr(workbook_add_format(wb));
	if (nseen < sizeof seen / sizeof seen[0])
		seen[nseen++] = (struct look){ numfmt, fill, bold, f };
	if (numfmt)
		format_set_num_format(f, numfmt);
	if (fill) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, HIGHLIGHT_FILL);
	}
	if (bold)
		format_set_bold(f);
	return f;
}

/* Width in characters of the widest value as Excel will show it. */
static double column_width(const struct column *col, const char *label)
{
	size_t w = col->textw, lw = text_width(label, strlen(label), NULL) + 3; /* filter arrow */

	if (col->type == T_DATE) {
		w = 10;
	} else if (col->type != T_TEXT) {
		int dec = col->kind == HK_MONEY || col->kind == HK_PCT ? 2 : col->kind == HK_WEIGHT ? 3 :
		          col->kind == HK_VOLUME ? 4 : col->maxdec;
		int in = col->maxint + (col->kind == HK_PCT ? -2 : 0);
		if (in < 1)
			in = 1;
		int sep = col->kind == HK_MONEY || col->kind == HK_WEIGHT || col->kind == HK_VOLUME;
		w = (size_t)(in + (sep ? (in - 1) / 3 : 0) + (dec ? dec + 1 : 0) +
		             col->neg + (col->kind == HK_PCT ? 1 : 0));
		if (col->summed)
			w += 2;         /* totals are wider than the widest value */
	}
	if (lw > w)
		w = lw;
	return (double)(w + 2 > 80 ? 80 : w + 2);
}

static void col_letters(char *b, size_t c)
{
	char tmp[8];
	size_t n = 0, i;

	c++;
	while (c) {
		tmp[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (i = 0; i < n; i++)
		b[i] = tmp[n - 1 - i];
	b[n] = '\0';
}

void check(lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR)
		diag_fatal(EX_SOFTWARE, "%s: %s", what, lxw_strerror(e));
}

/* The page header's text: the title with '&' doubled (a code there), cut before a
 * whole character to what the header holds beside the date. */
static void header_text(char *b, size_t size)
{
	const char *t = opt.title ? opt.title : "";
	size_t n = 0;

	while (*t && n + 8 < size) {
		size_t len = u8len((unsigned char)*t);
		if (*t == '&')
			b[n++] = '&';
		memcpy(b + n, t, len);
		n += len;
		t += len;
	}
	b[n] = '\0';
}

/* Every sheet prints on A4 as a manager reads it (report(1), Printing): all columns on
 * one page width, landscape when wider than a portrait page, the title and header rows
 * on every page, gridlines, the title and date above and page N of M below.  The chart
 * sheet (chart set) prints at a scale instead, and without gridlines under its charts. */
void print_setup(lxw_worksheet *ws, lxw_row_t hr, double width, int chart)
{
	char title[128], head[LXW_HEADER_FOOTER_MAX + 1], date[16];
	struct tm tm;

	worksheet_set_paper(ws, 9);
	if (width > PORTRAIT_CHARS)
		worksheet_set_landscape(ws);
	if (!chart)
		worksheet_fit_to_pages(ws, 1, 0);
	else
		worksheet_set_print_scale(ws, CHART_PRINT_SCALE);
	worksheet_set_margins(ws, 0.4, 0.4, 0.7, 0.7);
	check(worksheet_repeat_rows(ws, 0, hr), "print titles");
	gmtime_r(&created, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	header_text(title, sizeof title);
	snprintf(head, sizeof head, "&L%s&R%s", title, date);
	check(worksheet_set_header(ws, head), "page header");
	check(worksheet_set_footer(ws, opt.labels == LABELS_ZH ? "&L&A&C第 &P 页，共 &N 页" :
	                           "&L&A&CPage &P of &N"), "page footer");
	if (!chart)
		worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
	/* codes such as SKU 00186 are text on purpose: no green mark on every cell */
	check(worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"),
	      "ignored errors");
}

/* A sheet's title, for a letter the lines addressed from FIRST (its first row), and the
 * header; *hrp is the header's row. */
static lxw_worksheet *begin_sheet(const char *name, const struct input *ip, uint64_t nrows,
                                  const struct csv_field *first, lxw_row_t *hrp)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_row_t hr = opt.title ? 1 : 0;
	lxw_row_col_options hide = { .hidden = 1 };
	double width = 0;
	size_t c;

	if (!ws)
		diag_fatal(EX_SOFTWARE, "cannot add the worksheet %s", diag_qstr(name));
	if (opt.title)
		check(worksheet_write_string(ws, 0, 0, opt.title, f_title), "title");
	if (opt.letter)
		hr = letter_address(ws, ip, first, hr);
	for (c = 0; c < ip->nf; c++) {
		const char *lab = label_of(ip->col[c].canon, &ip->in.hdr[c]);
		double w = column_width(&ip->col[c], lab);
		int head = is_letter_head(ip, c);
		worksheet_set_column_opt(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL,
		                         head ? &hide : NULL);
		width += head ? 0 : w;
		check(worksheet_write_string(ws, hr, (lxw_col_t)c, lab, f_bold), "header");
	}
	print_setup(ws, hr, width, 0);
	if (opt.letter) {
		worksheet_fit_to_pages(ws, 1, 1);       /* one page per letter */
		/* a letter, not a table: no grid across its address and lines */
		worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
	} else {
		worksheet_freeze_panes(ws, hr + 1, 0);
		worksheet_autofilter(ws, hr, 0, (lxw_row_t)(hr + nrows), (lxw_col_t)(ip->nf - 1));
	}
	*hrp = hr;
	return ws;
}

static void write_totals(lxw_worksheet *ws, struct input *ip, lxw_row_t first, lxw_row_t last)
{
	lxw_col_t lc = opt.letter ? letter_at(ip) : 0;  /* a letter hides its first columns */
	char formula[64], a[8];
	size_t c;

	if (!opt.totals || last < first)
		return;
	if (!ip->col[lc].summed)
		check(worksheet_write_string(ws, last + 1, lc,
		                             opt.labels == LABELS_ZH ? "合计" : "Total", f_bold), "totals");
	for (c = 0; c < ip->nf; c++) {
		struct column *col = &ip->col[c];
		if (!col->summed)
			continue;
		col_letters(a, c);
		snprintf(formula, sizeof formula, "=SUBTOTAL(109,%s%lu:%s%lu)", a,
		         (unsigned long)first + 1, a, (unsigned long)last + 1);
		check(worksheet_write_formula_num(ws, last + 1, (lxw_col_t)c, formula, col->fmt_total,
		                                  total_double(col->total, col->maxdec)), "totals");
		col->total = 0;
	}
}

static int row_highlighted(const struct input *ip, struct csv_field *f)
{
	size_t h;

	for (h = 0; h < opt.nhl; h++) {
		int c = ip->hl_col[h];
		if (c >= 0) {
			struct csv_field v = field_trim(f[c]);
			if (v.n == opt.hl[h].vlen && !memcmp(v.s, opt.hl[h].value, v.n))
				return 1;
		}
	}
	return 0;
}

/* Text as a cell can hold it: at most EXCEL_MAX_CHARS characters as Excel counts them, in
 * UTF-16 units (libxlsxwriter counts code points, so an emoji-rich text could pass its
 * check and still be too long for Excel).  A longer text is cut before a whole character
 * and ends in CUT_MARK, built in cut, which keeps its capacity for the next one; pass 1
 * has warned about it with its line. */
static const char *fit_text(const char *s, size_t n, struct sbuf *cut)
{
	size_t i = 0, units = 0, chars;

	if (n <= EXCEL_MAX_CHARS)       /* a UTF-16 unit takes at least one UTF-8 byte */
		return s;
	text_width(s, n, &chars);
	if (chars <= EXCEL_MAX_CHARS)
		return s;
	while (i < n) {
		size_t len = u8len((unsigned char)s[i]), u = len == 4 ? 2 : 1;
		if (units + u > EXCEL_MAX_CHARS - CUT_MARK_UNITS)
			break;
		units += u;
		i += len;
	}
	sbuf_reset(cut);
	if (sbuf_add(cut, s, i) < 0 || sbuf_addstr(cut, CUT_MARK) < 0)
		diag_fatal(EX_OSERR, "out of memory");
	return cut->buf;
}

/* A text cell as written: under --labels zh the code values of a coded column in
 * Chinese, list by list ("overcharge;missing:qty" is 多收、缺少：数量, codes without a
 * caption kept), built in out; else the text as read, cut to what a cell holds. */
const char *cell_text(const struct column *col, struct csv_field raw, struct sbuf *out)
{
	struct csv_field f = field_trim(raw);
	size_t i = 0, j;
	int any = 0;

	if (!col->coded)
		return fit_text(raw.s, raw.n, out);
	sbuf_reset(out);
	while (i <= f.n) {
		const char *zh;
		for (j = i; j < f.n && f.s[j] != ';' && f.s[j] != ':'; j++)
			;
		zh = hdr_zh_value(f.s + i, j - i);
		any |= zh != NULL;
		tool_must(zh ? sbuf_addstr(out, zh) : sbuf_add(out, f.s + i, j - i));
		if (j < f.n)
			tool_must(sbuf_addstr(out, f.s[j] == ';' ? "、" : "："));
		i = j + 1;
	}
	return any ? out->buf : fit_text(raw.s, raw.n, out);
}

static void write_cell(lxw_worksheet *ws, lxw_row_t r, size_t c, struct column *col,
                       struct csv_field raw, int hl, struct sbuf *cut)
{
	lxw_format *fmt = hl ? col->fmt_hl : col->fmt;
	struct csv_field f = field_trim(raw);
	struct number num;
	double serial;
	lxw_error e;

	if (!f.n) {
		e = hl ? worksheet_write_blank(ws, r, (lxw_col_t)c, fmt) : LXW_NO_ERROR;
	} else if (col->type == T_DATE && scan_date(f, &serial) == 0) {
		e = worksheet_write_number(ws, r, (lxw_col_t)c, serial, fmt);
	} else if ((col->type == T_INT || col->type == T_DEC) &&
	           scan_number(f, col->kind, &num) == 0) {
		e = worksheet_write_number(ws, r, (lxw_col_t)c,
		                           to_double(num.v, num.dec + (col->kind == HK_PCT ? 2 : 0)), fmt);
		if (col->summed)
			col->total += (__int128)num.v * pow10i(col->maxdec - num.dec);
	} else {
		/* never worksheet_write(): text that starts with '=' stays text */
		e = worksheet_write_string(ws, r, (lxw_col_t)c, cell_text(col, raw, cut), fmt);
	}
	check(e, "cell");
}

/* Parts FROM .. TO of the input, each on its own sheet of the current workbook; the
 * last call (TO the last part) checks that the input ends where pass 1 found its end. */
void write_parts(struct input *ip, size_t from, size_t to)
{
	struct sbuf buf = SBUF_INIT, cut = SBUF_INIT;
	struct csv_field *f = tool_realloc(NULL, ip->nf * sizeof *f);
	lxw_row_t hr, r;
	uint64_t k;
	size_t part, c;
	lxw_worksheet *ws;
	struct csv_field *row;

	for (c = 0; c < ip->nf; c++) {
		struct column *col = &ip->col[c];
		const char *nf = num_format(col->kind, col->type, col->maxdec);
		col->fmt = nf ? new_format(nf, 0, 0) : NULL;
		col->fmt_hl = new_format(nf, 1, 0);
		col->fmt_total = new_format(nf, 0, 1);
	}
	/* each part (a sheet's worth of rows, or a --split-by value's) on its own sheet */
	for (part = from; part < to; part++) {
		/* a letter is addressed from its first row: read before the sheet begins */
		row = ip->part_rows[part] ? next_row(ip, &buf, f) : NULL;
		ws = begin_sheet(ip->names[part], ip, ip->part_rows[part], row, &hr);
		for (k = 0, r = hr; k < ip->part_rows[part] && row; k++) {
			int hl;
			if (k > 0 && !(row = next_row(ip, &buf, f)))
				break;
			hl = opt.nhl && row_highlighted(ip, row);
			r++;
			for (c = 0; c < ip->nf; c++)
				write_cell(ws, r, c, &ip->col[c], row[c], hl, &cut);
		}
		if (ip->spool && ferror(ip->spool))
			diag_fatal(EX_IOERR, "cannot read a temporary file: %s", strerror(errno));
		if (k < ip->part_rows[part])
			diag_fatal(EX_IOERR, "cannot read a temporary file: truncated");
		write_totals(ws, ip, hr + 1, r);
		if (opt.letter)
			letter_foot(ws, ip, r + (opt.totals && r > hr));
	}
	if (to == ip->nparts && next_row(ip, &buf, f))   /* the end, where pass 1 found it */
		diag_fatal(EX_DATAERR, "%s: the file changed while report was reading it",
		           ip->in.name);
	sbuf_release(&buf);
	sbuf_release(&cut);
	sd_free(f);
}

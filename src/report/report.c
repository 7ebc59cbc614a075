/* report — 报表: CSV streams to a formatted Excel workbook (report(1)).
 *
 * Each input is its own stream and its own worksheet.  A column's type needs the whole
 * column, while the workbook must be written in order with constant memory, so the tool
 * makes two passes: pass 1 reads each input once, checks it, infers the column types and
 * widths and adds up the summary; pass 2 reads it again and writes the cells through
 * libxlsxwriter in constant_memory mode.  A regular file is simply read twice; a pipe
 * (standard input) is spooled in pass 1 to an unlinked temporary file beside the output.  Memory grows with the columns and the summary
 * groups, never with the rows.
 *
 * The workbook is built in a temporary file beside the target and renamed into place
 * only when complete (or copied out, for standard output and device targets); every
 * exit path before that removes it.  The locale stays "C": libxlsxwriter formats numbers
 * with printf, and a decimal comma would corrupt the file. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "date.h"
#include "num.h"
#include "strmap.h"
#include "tool.h"

enum labels { LABELS_INPUT, LABELS_EN, LABELS_ZH };
enum period { PERIOD_NONE, PERIOD_WEEK, PERIOD_MONTH, PERIOD_DAY };

/* One side of a cross table (report(1) --pivot): a column, its values as they are
 * (PERIOD_NONE) or its dates by day, ISO week or month. */
struct axis {
	char *canon;
	enum period by;
	int col;                /* in the summary's stream, -1 until found */
};

/* A --sheet NAME and its files: a name repeated appends (report(1)), so several days'
 * lists are one sheet, read as one stream. */
struct sheet_arg {
	const char *name;
	char **paths;
	size_t npaths;
};
struct highlight {
	char *col;              /* canonical name */
	const char *value;
	size_t vlen;
};

static struct {
	const char *title, *author, *company;
	struct sheet_arg *sheets;
	size_t nsheets;
	const char *summary_of; /* --summary-of: the sheet the summary covers */
	struct axis pivot[2];   /* --pivot ROW:COL; pivot[0].canon NULL: none */
	char *split_by;         /* --split-by: canonical name */
	int letter;             /* --letter: each split sheet laid out as a letter */
	const char *pay_by;     /* --pay-by */
	const char **bank;      /* --bank lines */
	size_t nbank;
	int totals;
	char *group_by;         /* canonical names */
	char **sums;
	size_t nsums;
	char *period_col;
	enum period period;
	int chart;              /* LXW_CHART_* or 0 */
	struct highlight *hl;
	size_t nhl;
	enum labels labels;
} opt;

enum { OPT_TITLE = 300, OPT_SHEET, OPT_TOTALS, OPT_GROUP, OPT_SUM, OPT_PERIOD, OPT_CHART,
       OPT_HIGHLIGHT, OPT_LABELS, OPT_AUTHOR, OPT_COMPANY, OPT_SUMMARY_OF, OPT_PIVOT,
       OPT_SPLIT, OPT_LETTER, OPT_PAY_BY, OPT_BANK };
static const struct tool_opt own_opts[] = {
	{ "author", OPT_AUTHOR, 1, "NAME", "the document's author" },
	{ "bank", OPT_BANK, 1, "TEXT", "letter: a line of the company's bank details (repeatable)" },
	{ "chart", OPT_CHART, 1, "TYPE", "chart of the summary: bar, column, line or pie" },
	{ "company", OPT_COMPANY, 1, "NAME", "the document's company" },
	{ "group-by", OPT_GROUP, 1, "COL", "summary sheet: one row per value of COL" },
	{ "highlight", OPT_HIGHLIGHT, 1, "COL=VALUE", "fill the rows where COL is VALUE (repeatable)" },
	{ "labels", OPT_LABELS, 1, "zh|en", "header captions: Chinese or English column names" },
	{ "letter", OPT_LETTER, 0, NULL, "with --split-by: each sheet a letter on one page" },
	{ "pay-by", OPT_PAY_BY, 1, "DATE", "letter: the day to pay by" },
	{ "period", OPT_PERIOD, 1, "COL:week|month", "summary sheet: one row per ISO week or month of COL" },
	{ "pivot", OPT_PIVOT, 1, "ROW:COL", "summary as a cross table, each side COL[@day|week|month]" },
	{ "sheet", OPT_SHEET, 1, "NAME=FILE", "read FILE into the worksheet NAME (repeatable)" },
	{ "split-by", OPT_SPLIT, 1, "COL", "one sheet per value of COL (one data sheet only)" },
	{ "sum", OPT_SUM, 1, "COL,...", "summary sheet: the columns to add up (repeatable)" },
	{ "summary-of", OPT_SUMMARY_OF, 1, "SHEET", "the sheet the summary covers (needed with several)" },
	{ "title", OPT_TITLE, 1, "TEXT", "title row above the header, and the document title" },
	{ "totals", OPT_TOTALS, 0, NULL, "add a totals row of SUBTOTAL formulas" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_HIGHLIGHT, OPT_SHEET, OPT_SUM, OPT_BANK, 0 };

static struct tool tool = {
	.name = "report",
	.synopsis = "-o FILE.xlsx [--title TEXT] [--author NAME] [--company NAME]\n"
	            "       [--sheet NAME=FILE]... [--totals]\n"
	            "       [--group-by COL] [--sum COL,...]... [--period COL:week|month]\n"
	            "       [--pivot ROW:COL] [--summary-of SHEET] [--split-by COL]\n"
	            "       [--letter [--pay-by DATE] [--bank TEXT]...]\n"
	            "       [--chart bar|column|line|pie] [--highlight COL=VALUE]...\n"
	            "       [--labels zh|en] [--strict] [-d C] [-E NAME] [-q] [-v] [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = COMMON_OUTPUT | COMMON_DELIM | COMMON_ENCODING | COMMON_QUIET | COMMON_VERBOSE |
	          COMMON_STRICT,
};

/* ---- column types ---- */

enum type { T_TEXT, T_INT, T_DEC, T_DATE };

enum { MAX_DEC = 9, MAX_DIGITS = 15, SUM_SCALE = 9, EXCEL_MAX_CHARS = 32767 };
/* The end of a text cut to EXCEL_MAX_CHARS (report(1)): five UTF-16 units, seen at the
 * end of the cell and found by a search for 截断. */
#define CUT_MARK "\u2026[截断]"
enum { CUT_MARK_UNITS = 5 };

struct column {
	char *canon;
	enum hdr_kind kind;
	int coded;              /* code values shown in Chinese under --labels zh */
	/* pass 1: what every non-blank value allows */
	uint64_t nonblank, nnum, ndate;         /* values, and how many read as each type */
	long odd_num_line, odd_date_line;       /* the first that does not (0: none) */
	char *odd_num, *odd_date;               /* ...and its text, for the warning */
	int lead_zero;
	int maxdec, maxint, neg;
	size_t textw;           /* widest value as text, CJK counted as two */
	/* decided after pass 1 */
	enum type type;
	int summed;             /* in the totals row */
	lxw_format *fmt, *fmt_hl, *fmt_total;
	/* pass 2: the total of the current sheet, at scale maxdec */
	__int128 total;
};

struct input {
	char **paths;           /* read as one stream (a repeated --sheet NAME) */
	size_t npaths;
	char *base;             /* sheet name before cleaning */
	struct instream in;
	int reread;             /* a regular file: read it again instead of spooling */
	FILE *spool;
	uint64_t rows, rows2;
	size_t nf;
	struct column *col;
	int *hl_col;            /* per --highlight: column index or -1 */
	char **names;           /* cleaned sheet names, one per part */
	uint64_t *part_rows;    /* the rows of each part */
	size_t nparts;
};

static struct input *inputs;
static size_t ninputs;
static struct input *summary;   /* the input the summary covers (report(1) --summary-of) */
static int summarise;           /* --group-by, --period or --pivot */
static int split_dir;           /* --split-by with -o FOLDER: a workbook per value */

/* --split-by (report(1)): the values of the column, and per value its rows and spooled
 * bytes.  Pass 1 notes each row's value in split_idx, a temporary file of one uint32_t
 * per row; then a counting sort on disk puts each value's rows together in the spool, so
 * that memory grows with the values, never with the rows. */
static int split_col = -1;
static struct strmap split_vals;
static uint64_t *split_rows, *split_bytes;
static size_t split_cap;
static FILE *split_idx;
static size_t *sorted_zh(const struct strmap *m);

/* ---- summary ---- */

struct sumcol {
	int col;                /* in the first input */
	int maxdec;             /* the most decimals of any value: the sum's scale */
};
static struct strmap groups;    /* "period\x1fgroup" -> index */
static uint64_t *group_rows;
static __int128 *group_sums;    /* nsums per group, at SUM_SCALE */
static size_t group_cap;
static struct sumcol *sumcol;
static int group_col = -1, period_col = -1;
static struct sbuf key = SBUF_INIT;

/* ---- output files ---- */

static char *target;            /* -o */
static struct outfile wbfile;   /* the workbook being built: wbfile.tmp */
static int copy_out = -1;       /* fd to copy the finished workbook to, or -1: rename */
static char *tmpdir;            /* for spools and libxlsxwriter's own temporary files */

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(tool_realloc(NULL, n), s, n);
}

static char *xstrndup(const char *s, size_t n)
{
	char *r = tool_realloc(NULL, n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static char *canon_of(const char *s)
{
	struct sbuf b = SBUF_INIT;
	char *r;

	tool_must(hdr_canon(s, strlen(s), &b));
	r = xstrdup(b.buf);
	sbuf_release(&b);
	return r;
}

/* ---- names ---- */

/* The length of the UTF-8 sequence that starts with c (the input is valid UTF-8: pass 1
 * refuses anything else). */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Display width: East Asian wide characters count as two, others as one. */
static size_t text_width(const char *s, size_t n, size_t *chars)
{
	size_t i = 0, w = 0, nc = 0;

	while (i < n && !((unsigned char)s[i] & 0x80))
		i++;
	if (i == n) {           /* ASCII, the common case: one column per byte */
		if (chars)
			*chars = n;
		return n;
	}
	w = nc = i;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;
		int len = (int)u8len(c);
		if (i + (size_t)len > n)
			len = (int)(n - i);
		cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) << 6 | ((unsigned char)s[i + 1] & 0x3Fu)
		   : len == 3 ? (c & 0x0Fu) << 12 | ((unsigned char)s[i + 1] & 0x3Fu) << 6 |
		                ((unsigned char)s[i + 2] & 0x3Fu)
		   : (c & 0x07u) << 18 | ((unsigned char)s[i + 1] & 0x3Fu) << 12 |
		     ((unsigned char)s[i + 2] & 0x3Fu) << 6 | ((unsigned char)s[i + 3] & 0x3Fu);
		w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		     (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		     (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000 ? 2 : 1;
		nc += cp >= 0x10000 ? 2 : 1;    /* Excel counts UTF-16 units */
		i += (size_t)len;
	}
	if (chars)
		*chars = nc;
	return w;
}

/* ---- values ---- */

struct number {
	int64_t v;              /* at scale dec */
	int dec, intdigits, lead_zero;
};

/* The ASCII of a number as a clerk writes it (report(1), Column types): full-width
 * digits and signs as typed by a Chinese input method; in money columns also a
 * currency sign, a trailing 元 and the accountant's (2.00) for -2.00.  Returns the
 * length in a, or -1 when the text is too long to be a number. */
static int ascii_number(const char *s, size_t n, enum hdr_kind k, char *a, size_t size)
{
	size_t i = 0, m = 0;
	int paren = 0;

	if (k == HK_MONEY && n >= 3 && !memcmp(s + n - 3, "\xE5\x85\x83", 3))    /* 元 */
		n -= 3;
	if (k == HK_MONEY && n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		paren = 1;
		s++;
		n -= 2;
	}
	if (paren)
		a[m++] = '-';
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (m + 1 >= size)
			return -1;
		/* U+FF0C..U+FF19: ， － ． ／ ０..９, full width of ',' '-' '.' '/' '0'..'9' */
		if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
		    (unsigned char)s[i + 2] >= 0x8C && (unsigned char)s[i + 2] <= 0x99) {
			a[m++] = (char)(',' + ((unsigned char)s[i + 2] - 0x8C));
			i += 3;
		} else {
			a[m++] = (char)c;
			i++;
		}
	}
	a[m] = '\0';
	return (int)m;
}

/* A number as the column's kind allows it: -?digits(.digits)? with at most MAX_DEC
 * decimals and MAX_DIGITS digits (what a double holds exactly), thousands separators,
 * full-width digits; money columns also take a currency sign, 元 and (2.00),
 * percentages a trailing '%'.  The value itself comes from the core parser.  0, or -1
 * when the text is not such a number. */
static int scan_number(struct csv_field f, enum hdr_kind k, struct number *num)
{
	char a[64];
	const char *s = a;
	int n = ascii_number(f.s, f.n, k, a, sizeof a), i, first;
	int digits = 0, dec = -1, neg = 0;

	if (n <= 0)
		return -1;
	if (k == HK_PCT && a[n - 1] == '%')
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			digits++;
			if (dec >= 0)
				dec++;
		} else if (c == '.' && dec < 0) {
			dec = 0;
		} else if (c == '-' && !neg && digits == 0) {
			neg = 1;
		} else if ((c == ',' || (k == HK_MONEY && c >= 0x80)) && dec < 0) {
			continue;       /* separators and the currency sign: parse_money checks */
		} else {
			return -1;
		}
	}
	if (digits == 0 || digits > MAX_DIGITS || dec > MAX_DEC)
		return -1;
	num->dec = dec < 0 ? 0 : dec;
	if (parse_money(s, (size_t)n, num->dec, &num->v) != NUM_OK)
		return -1;
	for (first = 0; first < n && (s[first] < '0' || s[first] > '9'); first++)
		;
	num->lead_zero = s[first] == '0' && first + 1 < n && s[first + 1] >= '0' &&
	                 s[first + 1] <= '9';
	num->intdigits = digits - num->dec;
	return 0;
}

/* An ISO date YYYY-MM-DD from 1900 on (Excel has no earlier dates), as an Excel serial. */
static int scan_date(struct csv_field f, double *serial)
{
	static int32_t epoch1900 = -1;
	int32_t d;

	if (epoch1900 < 0)
		epoch1900 = -days_from_civil(1900, 1, 1);
	if (f.n != 10 || f.s[4] != '-' || f.s[7] != '-' || parse_date(f.s, f.n, &d) < 0 ||
	    d < -epoch1900)
		return -1;
	/* 1970-01-01 is 25569; Excel counts the 29th of February 1900 that never was */
	*serial = (double)d + 25569 - (d < days_from_civil(1900, 3, 1) ? 1 : 0);
	return 0;
}

/* The one place where a decimal becomes binary floating point: Excel stores every
 * number as a double.  v and 10^dec are exact doubles (v has at most 15 digits), so the
 * quotient is the double nearest the decimal, as strtod would give. */
static double to_double(int64_t v, int dec)
{
	return (double)v / (double)pow10i(dec);
}

static double total_double(__int128 t, int dec)
{
	int64_t whole = (int64_t)(t / pow10i(dec)), frac = (int64_t)(t % pow10i(dec));

	return (double)whole + (double)frac / (double)pow10i(dec);
}

/* ---- pass 1: check, infer, summarise, spool ---- */

/* A spooled record: its length, then the fields each ended by a NUL (a valid record has
 * no NUL bytes: csvread marks them bad_encoding, which is fatal here). */
static void spool_record(struct input *ip, const struct csv_record *rec, struct sbuf *b)
{
	uint32_t len = 0;
	size_t i;

	sbuf_reset(b);
	tool_must(sbuf_add(b, &len, sizeof len));
	for (i = 0; i < rec->nf; i++)
		tool_must(sbuf_add(b, rec->f[i].s, rec->f[i].n + 1));
	len = (uint32_t)(b->len - sizeof len);
	memcpy(b->buf, &len, sizeof len);
	fwrite(b->buf, 1, b->len, ip->spool);
}

static void scan_cell(struct input *ip, const struct csv_record *rec, size_t c)
{
	struct column *col = &ip->col[c];
	struct csv_field f = field_trim(rec->f[c]);
	struct number num;
	double serial;
	size_t chars, w = text_width(rec->f[c].s, rec->f[c].n, &chars);

	/* one long remark must not cost the whole workbook: pass 2 cuts it (fit_text) */
	if (chars > EXCEL_MAX_CHARS && !tool.quiet)
		diag_warn("%s:%ld: value in column %s has %zu characters (Excel allows %d in a "
		          "cell): cut to fit, ending in %s", ip->in.name, rec->line,
		          diag_qstr(col->canon), chars, EXCEL_MAX_CHARS, CUT_MARK);
	if (w > col->textw)
		col->textw = w;
	if (!f.n || col->kind == HK_CODE)
		return;
	col->nonblank++;
	if (scan_number(f, col->kind, &num) == 0) {
		col->nnum++;
		col->lead_zero |= num.lead_zero;
		if (num.dec > col->maxdec)
			col->maxdec = num.dec;
		if (num.intdigits > col->maxint)
			col->maxint = num.intdigits;
		col->neg |= num.v < 0;
	} else if (!col->odd_num_line) {
		col->odd_num_line = rec->line;
		col->odd_num = xstrndup(f.s, f.n);
	}
	if (scan_date(f, &serial) == 0) {
		col->ndate++;
	} else if (!col->odd_date_line) {
		col->odd_date_line = rec->line;
		col->odd_date = xstrndup(f.s, f.n);
	}
}

static struct csv_field trimmed(const struct csv_record *rec, int c)
{
	return field_trim(rec->f[c]);
}

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

static void add_group(const struct input *ip, const struct csv_record *rec)
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

/* The row's --split-by value: its index in split_idx, its row and its BYTES counted. */
static void note_split(const struct csv_record *rec, size_t bytes)
{
	struct csv_field f = trimmed(rec, split_col);
	int added;
	long v = tool_must(strmap_add(&split_vals, f.s, f.n, 0, &added));
	uint32_t u = (uint32_t)v;

	if (added) {
		size_t cap = split_cap;
		split_rows = tool_grow(split_rows, (size_t)v, &cap, sizeof *split_rows);
		split_bytes = tool_grow(split_bytes, (size_t)v, &split_cap, sizeof *split_bytes);
		split_rows[v] = split_bytes[v] = 0;
	}
	split_rows[v]++;
	split_bytes[v] += bytes;
	fwrite(&u, sizeof u, 1, split_idx);
}

static FILE *make_spool(void)
{
	size_t n = strlen(tmpdir) + 32;
	char *p = tool_realloc(NULL, n);
	int fd;
	FILE *fp;

	snprintf(p, n, "%s/.report-spool-XXXXXX", tmpdir);
	if ((fd = mkstemp(p)) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create a temporary file in %s: %s",
		           diag_qstr(tmpdir), strerror(errno));
	unlink(p);
	sd_free(p);
	if (!(fp = fdopen(fd, "w+b")))
		diag_fatal(EX_OSERR, "out of memory");
	setvbuf(fp, NULL, _IOFBF, 1 << 17);
	return fp;
}

static void pass1(struct input *ip)
{
	struct csv_record rec;
	struct sd_err err;
	struct sbuf b = SBUF_INIT;
	int st;

	if (!ip->reread)
		ip->spool = make_spool();
	while ((st = instream_next(&ip->in, &rec, &err)) > 0) {
		size_t c;
		if (rec.bad_encoding)
			diag_fatal(EX_DATAERR, "%s:%ld: bytes that are not valid %s", ip->in.name,
			           rec.line, ip->in.rd[ip->in.cur].enc);
		/* against its own file's header: the files of a sheet may order columns apart */
		if (instream_malformed(&ip->in, &rec))
			diag_fatal(EX_DATAERR, "%s:%ld: row has %zu field%s, the header has %zu",
			           ip->in.name, rec.line, rec.nf, rec.nf == 1 ? "" : "s",
			           ip->in.file[ip->in.cur].nf);
		for (c = 0; c < rec.nf; c++)
			scan_cell(ip, &rec, c);
		if (ip == summary && (group_col >= 0 || period_col >= 0 || opt.pivot[0].canon))
			add_group(ip, &rec);
		if (!ip->reread)
			spool_record(ip, &rec, &b);
		if (split_col >= 0)
			note_split(&rec, b.len);
		ip->rows++;
	}
	sbuf_release(&b);
	if (st < 0)
		diag_die(&err);
	if (ip->reread) {
		/* pass 2 starts again from the header */
		instream_close(&ip->in);
		if (instream_open(&ip->in, ip->paths, ip->npaths, tool.delim, tool.encoding,
		                  &err) < 0)
			diag_die(&err);
		return;
	}
	if (fflush(ip->spool) != 0 || ferror(ip->spool))
		diag_fatal(EX_IOERR, "cannot write a temporary file in %s: %s", diag_qstr(tmpdir),
		           strerror(errno));
	rewind(ip->spool);
}

/* The spool again with each --split-by value's rows together, the values in the order
 * --group-by sorts them (pass 1 kept the input's order); returns that order. */
static size_t *split_sort(struct input *ip)
{
	size_t *ix = sorted_zh(&split_vals), i, nv = split_vals.count;
	off_t *at = tool_alloc(nv, sizeof *at), off = 0;
	FILE *out = make_spool();
	struct sbuf b = SBUF_INIT;
	uint64_t r;

	for (i = 0; i < nv; i++) {
		at[ix[i]] = off;
		off += (off_t)split_bytes[ix[i]];
	}
	if (fflush(split_idx) != 0 || ferror(split_idx))
		diag_fatal(EX_IOERR, "cannot write a temporary file in %s: %s", diag_qstr(tmpdir),
		           strerror(errno));
	rewind(split_idx);
	for (r = 0; r < ip->rows; r++) {
		uint32_t v, len;
		if (fread(&v, sizeof v, 1, split_idx) != 1 ||
		    fread(&len, sizeof len, 1, ip->spool) != 1)
			break;
		sbuf_reset(&b);
		tool_must(sbuf_grow(&b, len));
		if (fread(b.buf, 1, len, ip->spool) != len)
			break;
		if (fseeko(out, at[v], SEEK_SET) != 0 || fwrite(&len, sizeof len, 1, out) != 1 ||
		    fwrite(b.buf, 1, len, out) != len)
			diag_fatal(EX_IOERR, "cannot write a temporary file in %s: %s",
			           diag_qstr(tmpdir), strerror(errno));
		at[v] += (off_t)(sizeof len + len);
	}
	if (r < ip->rows)
		diag_fatal(EX_IOERR, "cannot read a temporary file: %s",
		           ferror(ip->spool) || ferror(split_idx) ? strerror(errno) : "truncated");
	if (fflush(out) != 0 || ferror(out))
		diag_fatal(EX_IOERR, "cannot write a temporary file in %s: %s", diag_qstr(tmpdir),
		           strerror(errno));
	rewind(out);
	fclose(ip->spool);
	fclose(split_idx);
	split_idx = NULL;
	ip->spool = out;
	sbuf_release(&b);
	sd_free(at);
	return ix;
}

/* ---- decisions between the passes ---- */

/* A value that is not of its column's type stays text in its own cell; the column keeps
 * its type, format and total.  Said once per column, with the first such line. */
static void warn_odd(const struct input *ip, const struct column *col, uint64_t odd, long line,
                     const char *value, const char *type)
{
	if (!odd || (tool.quiet && !tool.strict))
		return;
	if (tool.strict)
		diag_fatal(EX_DATAERR, "%s:%ld: column %s has %s, which is not %s (--strict)",
		           ip->in.name, line, diag_qstr(col->canon), diag_qstr(value), type);
	diag_warn("%s:%ld: column %s has %s, which is not %s: kept as text in its cell "
	          "(%llu such value%s in the column)", ip->in.name, line, diag_qstr(col->canon),
	          diag_qstr(value), type, (unsigned long long)odd, odd == 1 ? "" : "s");
}

/* The type of a column is decided by the many, not by one (report(1), Column types):
 * numbers when most values are numbers, else dates when most are dates, else text.  A
 * number with a leading zero makes the column a code: text. */
static void decide_types(struct input *ip)
{
	size_t c;

	for (c = 0; c < ip->nf; c++) {
		struct column *col = &ip->col[c];
		col->type = T_TEXT;
		if (col->kind == HK_CODE || !col->nonblank || col->lead_zero)
			continue;
		if (col->nnum * 2 > col->nonblank) {
			col->type = col->maxdec ? T_DEC : T_INT;
			warn_odd(ip, col, col->nonblank - col->nnum, col->odd_num_line, col->odd_num,
			         "a number");
		} else if (col->ndate * 2 > col->nonblank) {
			col->type = T_DATE;
			warn_odd(ip, col, col->nonblank - col->ndate, col->odd_date_line, col->odd_date,
			         "a date");
		}
		/* only a measure adds up: never prices, ids, line numbers, days, percentages */
		col->summed = opt.totals && (col->type == T_INT || col->type == T_DEC) &&
		              hdr_sem(col->canon)->additive;
	}
}

/* Excel's rules: at most 31 characters, none of []:*?/\, no apostrophe first or last,
 * unique regardless of ASCII case.  Characters are replaced by '_'; a clash gets " (2)". */
static char *sheet_name(const char *want, const char *suffix, char ***used, size_t *nused)
{
	char buf[256], out[256];
	size_t i, n = 0, k;
	int dup = 1;

	snprintf(buf, sizeof buf, "%s", *want ? want : "Sheet");
	for (;;) {
		char sfx[32];
		size_t room, w = 0;
		if (dup > 1)
			snprintf(sfx, sizeof sfx, " (%d)", dup);
		else
			snprintf(sfx, sizeof sfx, "%s", suffix);
		room = 31 - strlen(sfx);
		/* copy whole characters while they fit in room UTF-16 units */
		for (i = 0, n = 0; buf[i];) {
			unsigned char c = (unsigned char)buf[i];
			size_t len = u8len(c), units = len == 4 ? 2 : 1;
			if (w + units > room)
				break;
			for (k = 0; k < len && buf[i + k]; k++)
				out[n++] = strchr("[]:*?/\\", buf[i + k]) ? '_' : buf[i + k];
			i += k;
			w += units;
		}
		if (n && out[0] == '\'')
			out[0] = '_';
		if (n && out[n - 1] == '\'')
			out[n - 1] = '_';
		memcpy(out + n, sfx, strlen(sfx) + 1);
		for (i = 0; i < *nused; i++)
			if (!strcasecmp((*used)[i], out))
				break;
		if (i == *nused)
			break;
		dup++;
	}
	*used = tool_realloc(*used, (*nused + 1) * sizeof **used);
	return (*used)[(*nused)++] = xstrdup(out);
}

static uint64_t rows_per_sheet(void)
{
	return LXW_ROW_MAX - 1 - (opt.title ? 1 : 0) - (opt.totals ? 1 : 0);
}

/* One sheet per --split-by value, named after it (a blank value: the sheet's own name),
 * in the order of split_sort. */
static void name_split(struct input *ip, char ***used, size_t *nused)
{
	size_t *ix = split_sort(ip), p;

	ip->nparts = split_vals.count;
	ip->names = tool_realloc(NULL, ip->nparts * sizeof *ip->names);
	ip->part_rows = tool_alloc(ip->nparts, sizeof *ip->part_rows);
	for (p = 0; p < ip->nparts; p++) {
		const char *v = strmap_key(&split_vals, ix[p]);
		if (split_rows[ix[p]] > rows_per_sheet())
			diag_fatal(EX_DATAERR, "%s: --split-by value %s has %llu rows (a sheet holds "
			           "%llu)", ip->in.name, diag_qstr(v),
			           (unsigned long long)split_rows[ix[p]],
			           (unsigned long long)rows_per_sheet());
		ip->names[p] = sheet_name(*v ? v : ip->base, "", used, nused);
		ip->part_rows[p] = split_rows[ix[p]];
	}
	sd_free(ix);
}

static void name_sheets(char ***used, size_t *nused)
{
	size_t i, p;

	for (i = 0; i < ninputs; i++) {
		struct input *ip = &inputs[i];
		uint64_t per = rows_per_sheet(), left = ip->rows;
		if (split_col >= 0 && split_vals.count) {
			name_split(ip, used, nused);
			continue;
		}
		ip->nparts = ip->rows ? (size_t)((ip->rows + per - 1) / per) : 1;
		ip->names = tool_realloc(NULL, ip->nparts * sizeof *ip->names);
		ip->part_rows = tool_alloc(ip->nparts, sizeof *ip->part_rows);
		for (p = 0; p < ip->nparts; p++) {
			char sfx[32] = "";
			if (p > 0)
				snprintf(sfx, sizeof sfx, " (%zu)", p + 1);
			ip->names[p] = sheet_name(ip->base, sfx, used, nused);
			ip->part_rows[p] = left < per ? left : per;
			left -= ip->part_rows[p];
		}
	}
}

/* ---- pass 2: the workbook ---- */

static lxw_workbook *wb;
static unsigned wb_number;      /* which workbook wb is: a pointer may be reused */
static lxw_format *f_bold, *f_title;
enum { HIGHLIGHT_FILL = 0xFFEB9C };   /* Excel's "neutral" yellow */
/* What an A4 portrait page holds at 100%, in Excel's character widths: a wider sheet
 * prints landscape (and is scaled to the page's width either way). */
enum { PORTRAIT_CHARS = 90 };
/* The chart sheet's blocks (a chart 768 pixels wide, its table of 8 columns below) at
 * this percent fit an A4 portrait page's width. */
enum { CHART_PRINT_SCALE = 65 };
static time_t created;          /* the document's date, also in the page header */

static const char *label_of(const char *canon, const struct csv_field *raw)
{
	const char *zh;

	if (opt.labels == LABELS_ZH && (zh = hdr_zh_label(canon)))
		return zh;
	if (opt.labels == LABELS_INPUT && raw)
		return raw->s;
	return canon;
}

static const char *num_format(enum hdr_kind k, enum type t, int maxdec)
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
static lxw_format *new_format(const char *numfmt, int fill, int bold)
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

static void check(lxw_error e, const char *what)
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
static void print_setup(lxw_worksheet *ws, lxw_row_t hr, double width, int chart)
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

/* Title, header, panes and column widths of one sheet of an input. */
/* The columns a letter shows once, above its table, as "caption: value" lines (and
 * hides in the table): who it is addressed to (report(1) --letter). */
static const char *const letter_head[] = {
	"customer_name", "customer_id", "contact", "phone", "address"
};
enum { NLETTER_HEAD = sizeof letter_head / sizeof letter_head[0] };

static int letter_col(const struct input *ip, size_t i)
{
	return hdrmap_col(&ip->in.map, letter_head[i]);
}

static int is_letter_head(const struct input *ip, size_t c)
{
	size_t i;

	for (i = 0; opt.letter && i < NLETTER_HEAD; i++)
		if (letter_col(ip, i) == (int)c)
			return 1;
	return 0;
}

/* Where a letter's lines go: the first column the table shows (a hidden one would not
 * print them). */
static lxw_col_t letter_at(const struct input *ip)
{
	size_t c;

	for (c = 0; c < ip->nf && is_letter_head(ip, c); c++)
		;
	return c < ip->nf ? (lxw_col_t)c : 0;
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
	size_t c, i;

	if (!ws)
		diag_fatal(EX_SOFTWARE, "cannot add the worksheet %s", diag_qstr(name));
	if (opt.title)
		check(worksheet_write_string(ws, 0, 0, opt.title, f_title), "title");
	for (i = 0; opt.letter && first && i < NLETTER_HEAD; i++) {
		char line[1024];
		int k = letter_col(ip, i);
		if (k < 0)
			continue;
		snprintf(line, sizeof line, "%s: %.*s", label_of(letter_head[i], &ip->in.hdr[k]),
		         (int)first[k].n, first[k].s);
		check(worksheet_write_string(ws, hr++, letter_at(ip), line, NULL), "letter");
	}
	hr += opt.letter;       /* a blank line above the table */
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
	} else {
		worksheet_freeze_panes(ws, hr + 1, 0);
		worksheet_autofilter(ws, hr, 0, (lxw_row_t)(hr + nrows), (lxw_col_t)(ip->nf - 1));
	}
	*hrp = hr;
	return ws;
}

/* Below a letter's table: the day to pay by and the bank details. */
static void letter_foot(lxw_worksheet *ws, const struct input *ip, lxw_row_t r)
{
	lxw_col_t at = letter_at(ip);
	char line[512];
	size_t i;

	r++;
	if (opt.pay_by) {
		snprintf(line, sizeof line, opt.labels == LABELS_ZH ? "请于 %s 前付清上述款项。" :
		         "Please pay the amount due by %s.", opt.pay_by);
		check(worksheet_write_string(ws, ++r, at, line, f_bold), "letter");
	}
	for (i = 0; i < opt.nbank; i++)
		check(worksheet_write_string(ws, ++r, at, opt.bank[i], NULL), "letter");
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
static const char *cell_text(const struct column *col, struct csv_field raw, struct sbuf *out)
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

static struct csv_field *read_spooled(struct input *ip, struct sbuf *buf, struct csv_field *f)
{
	uint32_t len;
	size_t c, off = 0;

	if (fread(&len, sizeof len, 1, ip->spool) != 1)
		return NULL;
	sbuf_reset(buf);
	tool_must(sbuf_grow(buf, len));
	if (fread(buf->buf, 1, len, ip->spool) != len)
		diag_fatal(EX_IOERR, "cannot read a temporary file: %s",
		           ferror(ip->spool) ? strerror(errno) : "truncated");
	for (c = 0; c < ip->nf; c++) {
		f[c].s = buf->buf + off;
		f[c].n = strlen(f[c].s);
		off += f[c].n + 1;
	}
	return f;
}

/* The next record of pass 2: from the spool, or the file read again, which must give
 * what pass 1 checked (a file rewritten in between would get a wrong workbook). */
static struct csv_field *next_row(struct input *ip, struct sbuf *buf, struct csv_field *f)
{
	struct csv_record rec;
	struct sd_err err;
	int st;

	if (!ip->reread)
		return read_spooled(ip, buf, f);
	if ((st = instream_next(&ip->in, &rec, &err)) < 0)
		diag_die(&err);
	if (st > 0 && (rec.nf != ip->nf || rec.bad_encoding || ++ip->rows2 > ip->rows))
		diag_fatal(EX_DATAERR, "%s:%ld: the file changed while report was reading it",
		           ip->in.name, rec.line);
	if (st == 0 && ip->rows2 != ip->rows)
		diag_fatal(EX_DATAERR, "%s: the file changed while report was reading it",
		           ip->in.name);
	return st > 0 ? rec.f : NULL;
}

/* Parts FROM .. TO of the input, each on its own sheet of the current workbook; the
 * last call (TO the last part) checks that the input ends where pass 1 found its end. */
static void write_parts(struct input *ip, size_t from, size_t to)
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

/* ---- the order a Chinese reader expects ---- */

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
static size_t *sorted_zh(const struct strmap *m)
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
static void write_summary(char ***used, size_t *nused)
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
}

/* ---- the cross table (report(1) --pivot) ---- */

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
static void write_pivot(char ***used, size_t *nused)
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
		nf = new_format(opt.nsums ? num_format(k, sumcol[m].maxdec ? T_DEC : T_INT,
		                                       sumcol[m].maxdec) : "#,##0", 0, 0);
		if (m)
			r++;    /* a blank row between the blocks */
		check(worksheet_write_string(ws, r, 0, opt.nsums ?
		      label_of(opt.sums[m], &summary->in.hdr[sumcol[m].col]) :
		      opt.labels == LABELS_ZH ? "行数" : "rows", f_bold), "pivot");
		r++;
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
	}
	keyw = keyw + 4 > 14 ? keyw + 4 : 14;
	worksheet_set_column(ws, 0, 0, (double)keyw, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)(nc + 1), 14, NULL);
	width = (double)keyw + 14.0 * (double)(nc + 1);
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
}

/* ---- the chart sheet ---- */

/* A chart must read (report(1), --chart): one measure per chart and axis, at most
 * CHART_CATS categories and CHART_SERIES series (the top ones, 其他 for the rest),
 * periods in date order, sized to a page and on the first sheet. */
enum { CHART_CATS = 15, CHART_SERIES = 5, CHART_ROWS = 22 };

static const __int128 *rank_tot;        /* for by_total: totals of the group values */

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
		chart_series_set_categories(ser, sheet, hr + 1, 0, hr + (lxw_row_t)ncat, 0);
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
static void write_chart_sheet(char ***used, size_t *nused)
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

/* ---- output file ---- */

/* Where the workbook is built: beside the target, so that rename() is atomic
 * (tool_outfile_open); for standard output or a device (-o /dev/stdout) in $TMPDIR,
 * copied out at the end.  libxlsxwriter writes it by name. */
static void open_output(void)
{
	size_t n;
	char *slash;
	int fd;

	if (!strcmp(target, "-")) {
		if (isatty(STDOUT_FILENO)) {
			diag_warn("-o -: standard output is a terminal (redirect it to a file)");
			tool_usage(&tool, EX_USAGE);
		}
		copy_out = STDOUT_FILENO;
	} else if (outfile_in_place(target)) {
		if ((copy_out = open(target, O_WRONLY | O_TRUNC)) < 0)
			diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(target),
			           strerror(errno));
	}
	if (copy_out >= 0) {
		const char *t = getenv("TMPDIR");
		tmpdir = xstrdup(t && *t ? t : "/tmp");
	} else {
		tmpdir = xstrdup(target);
		slash = strrchr(tmpdir, '/');
		if (!slash)
			strcpy(tmpdir, ".");
		else if (slash == tmpdir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (copy_out < 0) {
		if ((fd = tool_outfile_open(&wbfile, target)) < 0 && errno == ENOMEM)
			diag_fatal(EX_OSERR, "out of memory");
		if (fd < 0)
			diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(target),
			           strerror(errno));
		close(fd);
		return;
	}
	n = strlen(tmpdir) + 32;
	wbfile.tmp = tool_realloc(NULL, n);
	snprintf(wbfile.tmp, n, "%s/.report-XXXXXX.xlsx", tmpdir);
	if ((fd = mkstemps(wbfile.tmp, 5)) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create a temporary file in %s: %s",
		           diag_qstr(tmpdir), strerror(errno));
	close(fd);
	tool_outfile_track(&wbfile);    /* never committed: copied, then discarded */
}

static int copy_to(int out)
{
	char buf[1 << 16];
	int in = open(wbfile.tmp, O_RDONLY);
	ssize_t got;

	if (in < 0)
		return -1;
	while ((got = read(in, buf, sizeof buf)) > 0) {
		char *p = buf;
		while (got > 0) {
			ssize_t put = write(out, p, (size_t)got);
			if (put < 0) {
				int e = errno;
				close(in);
				errno = e;
				return -1;
			}
			p += put;
			got -= put;
		}
	}
	close(in);
	return got < 0 ? -1 : 0;
}

/* The finished workbook goes into place; returns the exit status. */
static int commit(void)
{
	const char *name = copy_out == STDOUT_FILENO ? "standard output" : target;

	if (copy_out >= 0) {
		int st = copy_to(copy_out), e;
		if (st == 0 && copy_out != STDOUT_FILENO && close(copy_out) < 0)
			st = -1;
		e = errno;
		tool_outfile_discard(&wbfile);
		if (st < 0 && e == EPIPE)
			return 0;       /* the reader went away: quiet, as head users expect */
		if (st < 0) {
			diag_warn("cannot write %s: %s", diag_qstr(name), strerror(e));
			return EX_IOERR;
		}
		return 0;
	} else {
		if (tool_outfile_commit(&wbfile) < 0) {
			diag_warn("cannot create %s: %s", diag_qstr(target), strerror(errno));
			return EX_CANTCREAT;
		}
		return 0;
	}
}

/* ---- options ---- */

/* -o names a workbook (report(1)): FILE.xlsx, - (standard output), or a file written in
 * place (/dev/null, a FIFO, /dev/stdout).  A slip such as
 * -o orders.csv would otherwise put a workbook over a CSV file. */
static int is_dir(const char *s)
{
	struct stat st;

	return stat(s, &st) == 0 && S_ISDIR(st.st_mode);
}

static int workbook_name(const char *s)
{
	size_t n = strlen(s);

	return !strcmp(s, "-") || (n > 5 && s[n - 6] != '/' && !strcasecmp(s + n - 5, ".xlsx")) ||
	       outfile_in_place(s);
}

/* "A=B" (or "A:B") split at the first c; form is what the message shows as allowed. */
static char *split_at(char *s, int c, const char *opt_name, const char *form)
{
	char *p = strchr(s, c);

	if (!p || p == s) {
		diag_warn("%s: %s is not %s", opt_name, diag_qstr(s), form);
		tool_usage(&tool, EX_USAGE);
	}
	*p = '\0';
	return p + 1;
}

/* One side of --pivot: COL, or COL@day, COL@week, COL@month. */
static int parse_axis(char *s, struct axis *ax)
{
	char *at = strrchr(s, '@');

	ax->by = PERIOD_NONE;
	ax->col = -1;
	if (at) {
		*at++ = '\0';
		ax->by = !strcmp(at, "day") ? PERIOD_DAY : !strcmp(at, "week") ? PERIOD_WEEK :
		         !strcmp(at, "month") ? PERIOD_MONTH : PERIOD_NONE;
		if (ax->by == PERIOD_NONE) {
			diag_warn("--pivot: %s is not day, week or month", diag_qstr(at));
			return -1;
		}
	}
	if (!*s) {
		diag_warn("--pivot: a side names no column (ROW:COL, e.g. office:ship_date@week)");
		return -1;
	}
	ax->canon = canon_of(s);
	return 0;
}

/* --sheet NAME=FILE: a NAME given before takes FILE after its files (report(1)). */
static void add_sheet(const char *name, char *path)
{
	struct sheet_arg *sh;
	size_t i;

	for (i = 0; i < opt.nsheets && strcmp(opt.sheets[i].name, name); i++)
		;
	if (i == opt.nsheets) {
		opt.sheets = tool_realloc(opt.sheets, (opt.nsheets + 1) * sizeof *opt.sheets);
		opt.sheets[opt.nsheets++] = (struct sheet_arg){ name, NULL, 0 };
	}
	sh = &opt.sheets[i];
	sh->paths = tool_realloc(sh->paths, (sh->npaths + 1) * sizeof *sh->paths);
	sh->paths[sh->npaths++] = path;
}

static int own_option(struct tool *t, int key_, const char *arg)
{
	char *a = (char *)arg, *v, *save;

	switch (key_) {
	case OPT_TITLE: opt.title = arg; break;
	case OPT_AUTHOR: opt.author = arg; break;
	case OPT_COMPANY: opt.company = arg; break;
	case OPT_TOTALS: opt.totals = 1; break;
	case OPT_GROUP: opt.group_by = canon_of(arg); break;
	case OPT_SHEET:
		v = split_at(a, '=', "--sheet", "NAME=FILE");
		if (!*v) {
			v[-1] = '=';
			diag_warn("--sheet: %s names no FILE (NAME=FILE)", diag_qstr(a));
			return -1;
		}
		add_sheet(a, v);
		tool_add_file(t, TOOL_IN, "--sheet", v);
		break;
	case OPT_SUMMARY_OF: opt.summary_of = arg; break;
	case OPT_SPLIT: opt.split_by = canon_of(arg); break;
	case OPT_LETTER: opt.letter = 1; break;
	case OPT_PAY_BY: {
		int32_t d;
		if (parse_date(arg, strlen(arg), &d) < 0) {
			diag_warn("--pay-by: %s is not a date (e.g. 2026-12-15)", diag_qstr(arg));
			return -1;
		}
		opt.pay_by = arg;
		break;
	}
	case OPT_BANK:
		opt.bank = tool_realloc(opt.bank, (opt.nbank + 1) * sizeof *opt.bank);
		opt.bank[opt.nbank++] = arg;
		break;
	case OPT_PIVOT:
		v = split_at(a, ':', "--pivot", "ROW:COL");
		if (parse_axis(a, &opt.pivot[0]) < 0 || parse_axis(v, &opt.pivot[1]) < 0)
			return -1;
		break;
	case OPT_SUM:
		for (v = strtok_r(a, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
			opt.sums = tool_realloc(opt.sums, (opt.nsums + 1) * sizeof *opt.sums);
			opt.sums[opt.nsums++] = canon_of(v);
		}
		break;
	case OPT_PERIOD:
		v = split_at(a, ':', "--period", "COL:week or COL:month");
		if (strcmp(v, "week") && strcmp(v, "month")) {
			diag_warn("--period: %s is not week or month", diag_qstr(v));
			return -1;
		}
		opt.period_col = canon_of(a);
		opt.period = !strcmp(v, "week") ? PERIOD_WEEK : PERIOD_MONTH;
		break;
	case OPT_CHART:
		opt.chart = !strcmp(arg, "bar") ? LXW_CHART_BAR : !strcmp(arg, "column") ?
		            LXW_CHART_COLUMN : !strcmp(arg, "line") ? LXW_CHART_LINE :
		            !strcmp(arg, "pie") ? LXW_CHART_PIE : 0;
		if (!opt.chart) {
			diag_warn("--chart: %s is not a chart type (allowed: bar, column, line, pie)",
			          diag_qstr(arg));
			return -1;
		}
		break;
	case OPT_HIGHLIGHT:
		v = split_at(a, '=', "--highlight", "COL=VALUE");
		opt.hl = tool_realloc(opt.hl, (opt.nhl + 1) * sizeof *opt.hl);
		{
			struct csv_field f = field_trim((struct csv_field){ v, strlen(v) });
			opt.hl[opt.nhl++] = (struct highlight){ canon_of(a), f.s, f.n };
		}
		break;
	case OPT_LABELS:
		if (strcmp(arg, "zh") && strcmp(arg, "en")) {
			diag_warn("--labels: %s is not zh or en", diag_qstr(arg));
			return -1;
		}
		opt.labels = !strcmp(arg, "zh") ? LABELS_ZH : LABELS_EN;
		break;
	default: return -1;
	}
	return 0;
}

/* A sheet named after its file: the base name without its extension. */
static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	char *s, *dot;

	if (!strcmp(path, "-"))
		return xstrdup("Sheet1");
	s = xstrdup(b ? b + 1 : path);
	if ((dot = strrchr(s, '.')) && dot != s)
		*dot = '\0';
	return s;
}

/* A regular file is read twice; anything else (a pipe, standard input) is spooled. */
static int all_regular(char **paths, size_t n)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(paths[i], "-") || stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode))
			return 0;
	return 1;
}

static void open_inputs(char **operands, size_t nops)
{
	static char *dash[] = { "-" };
	size_t i;

	ninputs = opt.nsheets + nops;
	if (!ninputs)
		ninputs = 1;
	inputs = tool_realloc(NULL, ninputs * sizeof *inputs);
	memset(inputs, 0, ninputs * sizeof *inputs);
	for (i = 0; i < ninputs; i++) {
		struct input *ip = &inputs[i];
		struct sd_err err;
		size_t c, h;
		if (i < opt.nsheets) {
			ip->paths = opt.sheets[i].paths;
			ip->npaths = opt.sheets[i].npaths;
			ip->base = xstrdup(opt.sheets[i].name);
		} else {
			ip->paths = nops ? &operands[i - opt.nsheets] : dash;
			ip->npaths = 1;
			ip->base = base_name(ip->paths[0]);
		}
		if (instream_open(&ip->in, ip->paths, ip->npaths, tool.delim, tool.encoding,
		                  &err) < 0)
			diag_die(&err);
		ip->nf = ip->in.hdr_nf;
		ip->reread = all_regular(ip->paths, ip->npaths);
		if (ip->nf > LXW_COL_MAX)
			diag_fatal(EX_DATAERR, "%s:1: %zu columns (Excel allows %d)", ip->in.name, ip->nf,
			           LXW_COL_MAX);
		ip->col = tool_realloc(NULL, ip->nf * sizeof *ip->col);
		memset(ip->col, 0, ip->nf * sizeof *ip->col);
		for (c = 0; c < ip->nf; c++) {
			/* a copy: pass 2 may open the file again, with a new header map */
			ip->col[c].canon = xstrdup(hdrmap_name(&ip->in.map, c));
			const struct hdr_sem *sem = hdr_sem(ip->col[c].canon);
			ip->col[c].kind = sem->kind;
			ip->col[c].coded = sem->coded && opt.labels == LABELS_ZH;
			ip->col[c].textw = 0;
		}
		ip->hl_col = tool_realloc(NULL, (opt.nhl + 1) * sizeof *ip->hl_col);
		for (h = 0; h < opt.nhl; h++)
			ip->hl_col[h] = hdrmap_col(&ip->in.map, opt.hl[h].col);
	}
}

/* The sheet the summary covers: the one named by --summary-of, which must name exactly
 * one; without it the only sheet.  Several sheets and no name is refused rather than
 * guessed (report(1)): a summary of the first of seven days' lists looked complete. */
static struct input *summary_input(void)
{
	struct input *found = NULL;
	size_t i;

	if (!opt.summary_of) {
		if (ninputs == 1)
			return &inputs[0];
		diag_warn("the summary needs --summary-of SHEET: the workbook has %zu sheets",
		          ninputs);
		tool_usage(&tool, EX_USAGE);
	}
	for (i = 0; i < ninputs; i++) {
		if (strcmp(inputs[i].base, opt.summary_of))
			continue;
		if (found) {
			diag_warn("--summary-of: %s names %s and %s (give one of them with --sheet "
			          "NAME=FILE)", diag_qstr(opt.summary_of),
			          diag_qstr(found->paths[0]), diag_qstr(inputs[i].paths[0]));
			tool_usage(&tool, EX_USAGE);
		}
		found = &inputs[i];
	}
	if (!found) {
		diag_warn("--summary-of: no sheet is named %s", diag_qstr(opt.summary_of));
		tool_usage(&tool, EX_USAGE);
	}
	return found;
}

/* The column CANON of the summary's sheet, which every one of its files must have (a
 * file of the week without amount would add nothing, silently), or exit 65 naming the
 * option and the file that lacks it. */
static int summary_column(const char *what, const char *canon)
{
	const struct instream *in = &summary->in;
	int col = hdrmap_col(&in->map, canon);
	size_t i, c;

	for (i = 0; i < in->npaths; i++) {
		const struct instream_file *f = &in->file[i];
		for (c = 0; col >= 0 && c < f->nf && f->col[c] != (size_t)col; c++)
			;
		if (col < 0 || (in->has_header[i] && c == f->nf))
			diag_fatal(EX_DATAERR, "%s:1: %s column '%s' is missing",
			           diag_name(in->paths[col < 0 ? 0 : i]), what, canon);
	}
	return col;
}

/* The summary and highlight columns must exist: a typo should not give an empty report. */
static void find_columns(void)
{
	size_t h, i, s;

	if (opt.group_by)
		group_col = summary_column("--group-by", opt.group_by);
	if (opt.period_col)
		period_col = summary_column("--period", opt.period_col);
	if (opt.split_by && (split_col = hdrmap_col(&inputs[0].in.map, opt.split_by)) < 0)
		diag_fatal(EX_DATAERR, "%s:1: --split-by column '%s' is missing", inputs[0].in.name,
		           opt.split_by);
	if (opt.pivot[0].canon) {
		opt.pivot[0].col = summary_column("--pivot", opt.pivot[0].canon);
		opt.pivot[1].col = summary_column("--pivot", opt.pivot[1].canon);
	}
	sumcol = tool_realloc(NULL, (opt.nsums + 1) * sizeof *sumcol);
	for (s = 0; s < opt.nsums; s++) {
		memset(&sumcol[s], 0, sizeof sumcol[s]);
		sumcol[s].col = summary_column("--sum", opt.sums[s]);
	}
	for (h = 0; h < opt.nhl; h++) {
		for (i = 0; i < ninputs && inputs[i].hl_col[h] < 0; i++)
			;
		if (i == ninputs)
			diag_fatal(EX_DATAERR, "%s:1: --highlight column '%s' is missing",
			           inputs[0].in.name, opt.hl[h].col);
	}
}

/* The created date: SOURCE_DATE_EPOCH when set (reproducible output), else now. */
static time_t created_time(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long when;
	const char *why;

	if (!sde)
		return time(NULL);
	if (parse_uint(sde, 0, 253402300799LL, &when, &why) < 0)
		diag_fatal(EX_USAGE, "SOURCE_DATE_EPOCH: '%s' is %s (allowed 0-253402300799)", sde,
		           why);
	/* libxlsxwriter takes 0 for "now": the epoch itself becomes its first second */
	return (time_t)(when ? when : 1);
}

static void set_properties(void)
{
	lxw_doc_properties props = { 0 };

	props.created = created;
	props.title = (char *)opt.title;
	props.author = (char *)opt.author;
	props.company = (char *)opt.company;
	check(workbook_set_properties(wb, &props), "properties");
}

/* A workbook built in PATH (a temporary), with its properties and shared formats. */
static void new_workbook(const char *path)
{
	lxw_workbook_options wo = { .constant_memory = 1, .use_zip64 = 0 };

	wo.tmpdir = tmpdir;
	wb_number++;
	if (!(wb = workbook_new_opt(path, &wo)))
		diag_fatal(EX_CANTCREAT, "cannot create %s", diag_qstr(target));
	set_properties();
	f_bold = new_format(NULL, 0, 1);
	f_title = tool_must_ptr(workbook_add_format(wb));       /* not shared: new_format's are */
	format_set_bold(f_title);
	format_set_font_size(f_title, 14);
}

static void close_workbook(const char *name)
{
	lxw_error e = workbook_close(wb);

	wb = NULL;
	if (e != LXW_NO_ERROR)
		diag_fatal(e == LXW_ERROR_CREATING_XLSX_FILE ? EX_CANTCREAT : EX_IOERR,
		           "cannot write %s: %s", diag_qstr(name), lxw_strerror(e));
}

/* --split-by into a folder (report(1)): one workbook per value, FOLDER/SHEET.xlsx after
 * its sheet's name, each built beside its target and renamed into place before the next
 * begins: one workbook open at a time, whatever the number of values.  Returns the exit
 * status. */
static int write_books(void)
{
	struct input *ip = &inputs[0];
	struct outfile of;
	size_t p, n;
	int fd;

	for (p = 0; p < ip->nparts; p++) {
		char *path;
		n = strlen(target) + strlen(ip->names[p]) + 8;
		path = tool_realloc(NULL, n);
		snprintf(path, n, "%s/%s%s.xlsx", target, ip->names[p][0] == '.' ? "_" : "",
		         ip->names[p]);
		if ((fd = tool_outfile_open(&of, path)) < 0)
			diag_fatal(errno == ENOMEM ? EX_OSERR : EX_CANTCREAT, "cannot create %s: %s",
			           diag_qstr(path), strerror(errno));
		close(fd);
		new_workbook(of.tmp);
		write_parts(ip, p, p + 1);
		close_workbook(path);
		if (tool_outfile_commit(&of) < 0) {
			diag_warn("cannot create %s: %s", diag_qstr(path), strerror(errno));
			sd_free(path);
			return EX_CANTCREAT;
		}
		sd_free(path);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	char **used = NULL;
	size_t nused = 0, i, c;
	uint64_t total = 0;
	int first, rc;

	first = tool_parse(&tool, argc, argv, own_option);
	if (!tool.output) {
		diag_warn("-o FILE.xlsx is required (-o - for standard output)");
		tool_usage(&tool, EX_USAGE);
	}
	split_dir = opt.split_by && is_dir(tool.output);
	if (!split_dir && !workbook_name(tool.output)) {
		diag_warn("-o %s is not named FILE.xlsx (-o - for standard output)",
		          diag_qstr(tool.output));
		tool_usage(&tool, EX_USAGE);
	}
	summarise = opt.group_by || opt.period_col || opt.pivot[0].canon;
	if (opt.pivot[0].canon && (opt.group_by || opt.period_col || opt.chart)) {
		diag_warn("--pivot is a summary of its own: not with --group-by, --period or --chart");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.nsums && !summarise) {
		diag_warn("--sum needs --group-by, --period or --pivot");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.chart && !opt.group_by && !opt.period_col) {
		diag_warn("--chart needs a summary (--group-by or --period)");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.summary_of && !summarise) {
		diag_warn("--summary-of needs a summary (--group-by, --period or --pivot)");
		tool_usage(&tool, EX_USAGE);
	}
	target = (char *)tool.output;
	created = created_time();
	/* open everything first: inputs, then the output; then stream */
	open_inputs(argv + first, (size_t)(argc - first));
	summary = summarise ? summary_input() : &inputs[0];
	if ((opt.pay_by || opt.nbank) && !opt.letter) {
		diag_warn("--pay-by and --bank are for --letter");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.letter && !opt.split_by) {
		diag_warn("--letter needs --split-by (one letter per value)");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.split_by && ninputs > 1) {
		diag_warn("--split-by splits one data sheet: the workbook has %zu", ninputs);
		tool_usage(&tool, EX_USAGE);
	}
	if (split_dir && (summarise || opt.chart)) {
		diag_warn("--split-by into a folder writes no summary or chart");
		tool_usage(&tool, EX_USAGE);
	}
	find_columns();
	if (split_dir)
		tmpdir = xstrdup(target);       /* the spools beside the workbooks */
	else
		open_output();
	strmap_init(&groups);
	strmap_init(&split_vals);
	if (split_col >= 0) {
		inputs[0].reread = 0;   /* its rows are sorted in the spool */
		split_idx = make_spool();
	}

	for (i = 0; i < ninputs; i++) {
		pass1(&inputs[i]);
		decide_types(&inputs[i]);
		total += inputs[i].rows;
	}
	name_sheets(&used, &nused);

	if (split_dir) {
		rc = write_books();
		goto done;
	}
	new_workbook(wbfile.tmp);
	if (opt.chart && groups.count)
		write_chart_sheet(&used, &nused);
	for (i = 0; i < ninputs; i++)
		write_parts(&inputs[i], 0, inputs[i].nparts);
	if (opt.pivot[0].canon)
		write_pivot(&used, &nused);
	else if (group_col >= 0 || period_col >= 0)
		write_summary(&used, &nused);
	close_workbook(target);
	rc = commit();
done:
	if (tool.verbose && rc == 0)
		diag_warn("%llu row%s in %zu sheet%s written to %s", (unsigned long long)total,
		          total == 1 ? "" : "s", nused, nused == 1 ? "" : "s", diag_qstr(copy_out == STDOUT_FILENO ? "standard output" : target));

	for (i = 0; i < ninputs; i++) {
		struct input *ip = &inputs[i];
		if (ip->spool)
			fclose(ip->spool);
		instream_close(&ip->in);
		sd_free(ip->base);
		for (c = 0; c < ip->nf; c++) {
			sd_free(ip->col[c].canon);
			sd_free(ip->col[c].odd_num);
			sd_free(ip->col[c].odd_date);
		}
		sd_free(ip->col);
		sd_free(ip->hl_col);
		sd_free(ip->names);
		sd_free(ip->part_rows);
	}
	for (i = 0; i < nused; i++)
		sd_free(used[i]);
	sd_free(used);
	sd_free(inputs);
	strmap_free(&groups);
	strmap_free(&split_vals);
	if (split_idx)          /* no value to sort: the file of their indices is unread */
		fclose(split_idx);
	sd_free(split_rows);
	sd_free(split_bytes);
	sbuf_release(&key);
	sd_free(group_rows);
	sd_free(group_sums);
	sd_free(sumcol);
	return rc;
}

/* report's files share this header and nothing else does (report(1)).
 *
 *   report.c   options, the inputs and the summary's columns, main: the order of things
 *   types.c    column typing in pass 1: numbers and dates as a clerk writes them, widths
 *   read.c     pass 1 over an input (checked, spooled) and pass 2's reading of it again
 *   names.c    sheet names as Excel allows them, a sheet's worth of rows per part
 *   sheet.c    pass 2: formats, a data sheet's header, cells, totals, page setup
 *   split.c    --split-by (one part per value, sorted on disk) and --letter
 *   summary.c  the summary's groups, their pinyin order, the summary sheet
 *   pivot.c    the cross table (--pivot)
 *   chart.c    the chart sheet (--chart)
 *   output.c   the workbook file: built beside its target, then committed
 *
 * The state of one run lives in the globals below, each defined in the file named
 * beside it; everything else is static to its file. */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <xlsxwriter.h>

#include "outfile.h"
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

struct report_opts {
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

struct number {
	int64_t v;              /* at scale dec */
	int dec, intdigits, lead_zero;
};

/* A summed column of the summary (--sum). */
struct sumcol {
	int col;                /* in the first input */
	int maxdec;             /* the most decimals of any value: the sum's scale */
};

/* report.c */
extern struct report_opts opt;
extern struct tool tool;
extern struct input *inputs;
extern size_t ninputs;
extern struct input *summary;   /* the input the summary covers (report(1) --summary-of) */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* types.c */
size_t u8len(unsigned char c);
size_t text_width(const char *s, size_t n, size_t *chars);
int scan_number(struct csv_field f, enum hdr_kind k, struct number *num);
int scan_date(struct csv_field f, double *serial);
double to_double(int64_t v, int dec);
double total_double(__int128 t, int dec);
void scan_cell(struct input *ip, const struct csv_record *rec, size_t c);
void decide_types(struct input *ip);

/* read.c */
FILE *make_spool(void);
void pass1(struct input *ip);
struct csv_field *next_row(struct input *ip, struct sbuf *buf, struct csv_field *f);

/* names.c */
char *sheet_name(const char *want, const char *suffix, char ***used, size_t *nused);
uint64_t rows_per_sheet(void);
void name_sheets(char ***used, size_t *nused);

/* sheet.c */
extern lxw_workbook *wb;
extern unsigned wb_number;      /* which workbook wb is: a pointer may be reused */
extern lxw_format *f_bold, *f_title;
extern time_t created;          /* the document's date, also in the page header */
const char *label_of(const char *canon, const struct csv_field *raw);
const char *num_format(enum hdr_kind k, enum type t, int maxdec);
lxw_format *new_format(const char *numfmt, int fill, int bold);
void check(lxw_error e, const char *what);
void print_setup(lxw_worksheet *ws, lxw_row_t hr, double width, int chart);
const char *cell_text(const struct column *col, struct csv_field raw, struct sbuf *out);
void write_parts(struct input *ip, size_t from, size_t to);

/* split.c */
extern int split_col;           /* --split-by's column, or -1 */
extern struct strmap split_vals;
extern FILE *split_idx;
void note_split(const struct csv_record *rec, size_t bytes);
void name_split(struct input *ip, char ***used, size_t *nused);
void split_free(void);
int is_letter_head(const struct input *ip, size_t c);
lxw_col_t letter_at(const struct input *ip);
lxw_row_t letter_address(lxw_worksheet *ws, const struct input *ip,
                         const struct csv_field *first, lxw_row_t r);
void letter_foot(lxw_worksheet *ws, const struct input *ip, lxw_row_t r);

/* summary.c */
extern struct strmap groups;    /* "period\x1fgroup" -> index */
extern uint64_t *group_rows;
extern __int128 *group_sums;    /* nsums per group, at SUM_SCALE */
extern struct sumcol *sumcol;
extern int group_col, period_col;
void add_group(const struct input *ip, const struct csv_record *rec);
size_t *sorted_zh(const struct strmap *m);
lxw_worksheet *write_summary(char ***used, size_t *nused);
void summary_free(void);

/* pivot.c */
lxw_worksheet *write_pivot(char ***used, size_t *nused);

/* chart.c */
void write_chart_sheet(char ***used, size_t *nused);
void chart_text_categories(lxw_chart_series *ser, const char *sheet, lxw_row_t first,
                           lxw_row_t last, lxw_col_t col);

/* output.c */
extern char *target;            /* -o */
extern struct outfile wbfile;   /* the workbook being built: wbfile.tmp */
extern int copy_out;            /* fd to copy the finished workbook to, or -1: rename */
extern char *tmpdir;            /* for spools and libxlsxwriter's own temporary files */
void open_output(void);
int commit(void);
void start_workbook(const char *path);
void close_workbook(const char *name);
int write_books(void);

static inline struct csv_field trimmed(const struct csv_record *rec, int c)
{
	return field_trim(rec->f[c]);
}
#endif

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
 * with printf, and a decimal comma would corrupt the file.
 *
 * This file holds the options and the order of things; report.h lists the other files
 * of src/report/ and what each holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "num.h"
#include "report.h"

struct report_opts opt;

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

struct tool tool = {
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

struct input *inputs;
size_t ninputs;
struct input *summary;
static int summarise;           /* --group-by, --period or --pivot */
static int split_dir;           /* --split-by with -o FOLDER: a workbook per value */

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(tool_realloc(NULL, n), s, n);
}

char *xstrndup(const char *s, size_t n)
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
	case OPT_PAY_BY:
		(void)tool_date(t, "--pay-by", arg);    /* checked here, written as given */
		opt.pay_by = arg;
		break;
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

int main(int argc, char *argv[])
{
	char **used = NULL;
	size_t nused = 0, i, c;
	uint64_t total = 0;
	int first, rc, chart_sheet;
	lxw_worksheet *sum_ws = NULL;

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
	if (opt.pivot[0].canon && (opt.group_by || opt.period_col)) {
		diag_warn("--pivot is a summary of its own: not with --group-by or --period");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.nsums && !summarise) {
		diag_warn("--sum needs --group-by, --period or --pivot");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.chart && !summarise) {
		diag_warn("--chart needs a summary (--group-by, --period or --pivot)");
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
	start_workbook(wbfile.tmp);
	chart_sheet = opt.chart && groups.count && !opt.pivot[0].canon;
	if (chart_sheet)
		write_chart_sheet(&used, &nused);
	for (i = 0; i < ninputs; i++)
		write_parts(&inputs[i], 0, inputs[i].nparts);
	if (opt.pivot[0].canon)
		sum_ws = write_pivot(&used, &nused);
	else if (group_col >= 0 || period_col >= 0)
		sum_ws = write_summary(&used, &nused);
	/* the summary is written last but read first (report(1), Layout): the workbook
	 * opens on it, unless the chart sheet, the first, is there to open on */
	if (sum_ws && !chart_sheet)
		worksheet_activate(sum_ws);
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
	split_free();
	summary_free();
	return rc;
}

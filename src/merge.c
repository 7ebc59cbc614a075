/* merge — the single run's output from the outputs of the runs of one --shard K/N
 * partition (salesdesk(7), SCALE-OUT): row streams merged by their seq column, which is
 * dropped; summaries (--sum N) merged by their first N columns, the rows of one key added
 * up.  Each file is read once, front to back, one record at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "tool.h"

enum { OPT_SUM = 300 };
static struct {
	size_t sum;             /* --sum N: the key columns; 0: merge by seq */
} opt;

static const struct tool_opt own_opts[] = {
	{ "sum", OPT_SUM, 1, "N", "summaries: rows with the same first N columns added up" },
	{ NULL, 0, 0, NULL, NULL }
};

static struct tool tool = {
	.name = "merge",
	.synopsis = "[--sum N] [-o FILE] [-d C] FILE...",
	.opts = own_opts,
	.common = COMMON_OUTPUT | COMMON_DELIM,
};

/* One input: its reader and its current record (valid until the next read). */
struct src {
	struct csv_reader r;
	struct csv_record rec;
	const char *path;
	int live;               /* rec holds a record */
	uint64_t seq;
};

static struct src *src;
static size_t nsrc;

static _Noreturn void bad(const struct src *s, const char *what)
{
	diag_fatal(EX_DATAERR, "%s:%ld: %s", diag_name(s->path), s->rec.line, what);
}

static void next_rec(struct src *s)
{
	int st = csvr_next(&s->r, &s->rec);

	if (st == CSVR_ERROR) {
		if (s->r.err_errno)
			diag_fatal(EX_IOERR, "%s: %s", diag_name(s->path), strerror(s->r.err_errno));
		diag_fatal(EX_DATAERR, "%s:%ld: %s", diag_name(s->path), s->r.err_line,
		           s->r.err_msg);
	}
	s->live = st == CSVR_RECORD;
}

/* The next row of s, its seq parsed when merging by seq. */
static void advance(struct src *s)
{
	long long v;
	const char *why;

	next_rec(s);
	if (!s->live || opt.sum)
		return;
	if (parse_uint(s->rec.f[0].s, 0, INT64_MAX, &v, &why) < 0)
		bad(s, "seq is not a number (the file of a --shard run?)");
	s->seq = (uint64_t)v;
}

/* The files' headers, which must be the same; the first one is written, without seq
 * when merging by seq. */
static void headers(struct csv_writer *w)
{
	size_t i, k;

	for (i = 0; i < nsrc; i++) {
		next_rec(&src[i]);
		if (!src[i].live)
			diag_fatal(EX_DATAERR, "%s: no header", diag_name(src[i].path));
		if (src[i].rec.nf != src[0].rec.nf)
			bad(&src[i], "not the header of the first file");
		for (k = 0; k < src[i].rec.nf; k++)
			if (strcmp(src[i].rec.f[k].s, src[0].rec.f[k].s))
				bad(&src[i], "not the header of the first file");
	}
	if (!opt.sum && strcmp(src[0].rec.f[0].s, "seq"))
		bad(&src[0], "no seq column first (the file of a --shard run?)");
	if (opt.sum >= src[0].rec.nf)
		bad(&src[0], "--sum takes more columns than the file has");
	for (k = opt.sum ? 0 : 1; k < src[0].rec.nf; k++)
		csvw_field(w, src[0].rec.f[k].s, src[0].rec.f[k].n);
	csvw_endrow(w);
	for (i = 0; i < nsrc; i++)
		advance(&src[i]);
}

static void write_rec(struct csv_writer *w, const struct csv_record *rec, size_t from)
{
	size_t k;

	for (k = from; k < rec->nf; k++)
		csvw_field(w, rec->f[k].s, rec->f[k].n);
	csvw_endrow(w);
}

/* Row streams: the lowest seq first (a few files: a scan beats a heap). */
static void merge_seq(struct csv_writer *w)
{
	struct src *low;
	size_t i;

	for (;;) {
		low = NULL;
		for (i = 0; i < nsrc; i++)
			if (src[i].live && (!low || src[i].seq < low->seq))
				low = &src[i];
		if (!low)
			return;
		write_rec(w, &low->rec, 1);
		advance(low);
		if ((w->rows & 1023) == 0 && tool_output_gone(&w, 1))
			return;
	}
}

/* Summaries: key order is the writer's order, byte order of each key column in turn. */
static int cmp_key(const struct csv_record *a, const struct csv_record *b)
{
	size_t k;
	int c;

	for (k = 0; k < opt.sum; k++)
		if ((c = strcmp(a->f[k].s, b->f[k].s)))
			return c;
	return 0;
}

/* The decimals of a summary's number: "12.50" 2, "7" 0. */
static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (int)strlen(dot + 1) : 0;
}

/* Adds the numbers of column k of the records of key; each column keeps its decimals. */
static void put_sum(struct csv_writer *w, struct src *const *of, size_t n, size_t k)
{
	int64_t total = 0, v;
	int scale = decimals(of[0]->rec.f[k].s);
	char b[48];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct csv_field f = of[i]->rec.f[k];
		int neg = f.n && f.s[0] == '-';
		if (decimals(f.s) != scale ||
		    parse_plain(f.s + neg, f.n - (size_t)neg, scale, &v) != NUM_OK ||
		    __builtin_add_overflow(total, neg ? -v : v, &total))
			bad(of[i], "a summary's column is not a number like the others");
	}
	csvw_plain(w, b, (size_t)fmt_fixed(b, total, scale));
}

static void merge_sum(struct csv_writer *w)
{
	struct src **of = tool_alloc(nsrc, sizeof *of);
	struct src *low;
	size_t i, n, k;

	for (;;) {
		low = NULL;
		for (i = 0; i < nsrc; i++)
			if (src[i].live && (!low || cmp_key(&src[i].rec, &low->rec) < 0))
				low = &src[i];
		if (!low)
			break;
		for (n = 0, i = 0; i < nsrc; i++)
			if (src[i].live && src[i].rec.nf == low->rec.nf && !cmp_key(&src[i].rec, &low->rec))
				of[n++] = &src[i];
		for (k = 0; k < opt.sum; k++)
			csvw_field(w, low->rec.f[k].s, low->rec.f[k].n);
		for (; k < low->rec.nf; k++)
			put_sum(w, of, n, k);
		csvw_endrow(w);
		for (i = 0; i < n; i++)
			advance(of[i]);
		if ((w->rows & 1023) == 0 && tool_output_gone(&w, 1))
			break;
	}
	sd_free(of);
}

static int own_option(struct tool *t, int key, const char *arg)
{
	if (key != OPT_SUM)
		return -1;
	opt.sum = (size_t)tool_number(t, "--sum", arg, 1, 100);
	return 0;
}

int main(int argc, char *argv[])
{
	struct csv_writer out;
	struct csv_writer *outs[1] = { &out };
	int first, rc;
	size_t i;

	first = tool_parse(&tool, argc, argv, own_option);
	nsrc = (size_t)(argc - first);
	if (!nsrc) {
		diag_warn("no files to merge");
		tool_usage(&tool, EX_USAGE);
	}
	src = tool_alloc(nsrc, sizeof *src);
	for (i = 0; i < nsrc; i++) {
		src[i].path = argv[first + (int)i];
		if (csvr_open(&src[i].r, src[i].path, tool.delim, "UTF-8") < 0)
			diag_fatal(errno == ENOMEM ? EX_OSERR : EX_NOINPUT, "cannot open %s: %s",
			           diag_qstr(diag_name(src[i].path)), strerror(errno));
	}
	tool_open_output(&out, tool.output, tool.delim);
	headers(&out);
	if (opt.sum)
		merge_sum(&out);
	else
		merge_seq(&out);
	rc = tool_finish(0, outs, 1);
	for (i = 0; i < nsrc; i++)
		csvr_close(&src[i].r);
	sd_free(src);
	return rc;
}

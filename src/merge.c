/* merge — the single run's output from the outputs of the runs of one --shard K/N
 * partition (salesdesk(7), SCALE-OUT): row streams merged by their seq column, which is
 * dropped; summaries (--sum N) merged by their first N columns, the rows of one key added
 * up; dispatch-plan's shipment ids numbered again (--renumber).  Each file is read once,
 * front to back, one record at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "master.h"
#include "num.h"
#include "tool.h"

enum { OPT_SUM = 300, OPT_RENUMBER, OPT_USED };
static struct {
	size_t sum;             /* --sum N: the key columns; 0: merge by seq */
	int renumber;
	struct tool_files used;
} opt;

static const struct tool_opt own_opts[] = {
	{ "renumber", OPT_RENUMBER, 0, NULL, "dispatch-plan's plan or loads: shipment ids numbered as one run does" },
	{ "sum", OPT_SUM, 1, "N", "summaries: rows with the same first N columns added up" },
	{ "used", OPT_USED, 1, "FILE", "with --renumber: shipment ids not to take (dispatch-plan --used)" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_USED, 0 };

static struct tool tool = {
	.name = "merge",
	.synopsis = "[--sum N | --renumber [--used FILE]...] [-o FILE] [-d C] FILE...",
	.opts = own_opts,
	.many = many_opts,
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

/* A plain record (csvr_pass_bytes) is written field by field as it is, with no second
 * look for bytes to quote, when the output has the files' delimiter. */
static void write_rec(struct csv_writer *w, const struct src *s, size_t from)
{
	const struct csv_record *rec = &s->rec;
	size_t k;

	if (csvr_plain(&s->r) && s->r.delim == w->delim)
		for (k = from; k < rec->nf; k++)
			csvw_encoded(w, rec->f[k].s, rec->f[k].n);
	else
		for (k = from; k < rec->nf; k++)
			csvw_field(w, rec->f[k].s, rec->f[k].n);
	csvw_endrow(w);
}

/* --renumber (merge(1)): a part of dispatch-plan --shard numbers the shipments of its
 * own cities of a ship date from 1, the single run those of all the date's cities in
 * city order, which is seq order.  A load's rows come together in its part's file, so a
 * shipment id other than the previous row's, or of another file, is the next load; its
 * id is the next one of its date that no --used file has, as dispatch-plan gives it. */
static struct strmap ids_used;
static struct sbuf last_id = SBUF_INIT;

static void write_renumbered(struct csv_writer *w, const struct src *s)
{
	static const struct src *last;
	static char day[9], sid[48];
	static unsigned long n;
	struct csv_field id;

	if (s->rec.nf < 2)
		bad(s, "not a shipment id of dispatch-plan (SHYYYYMMDD-NNNN) after seq");
	id = s->rec.f[1];
	if (id.n < 12 || memcmp(id.s, "SH", 2) || id.s[10] != '-')
		bad(s, "not a shipment id of dispatch-plan (SHYYYYMMDD-NNNN) after seq");
	if (s != last || last_id.len != id.n || memcmp(last_id.buf, id.s, id.n)) {
		if (memcmp(day, id.s + 2, 8)) {
			memcpy(day, id.s + 2, 8);
			n = 0;
		}
		shipment_id_next(sid, sizeof sid, day, &n, &ids_used);
		last = s;
		sbuf_reset(&last_id);
		tool_must(sbuf_add(&last_id, id.s, id.n));
	}
	csvw_str(w, sid);
	write_rec(w, s, 2);
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
		if (opt.renumber)
			write_renumbered(w, low);
		else
			write_rec(w, low, 1);
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
	switch (key) {
	case OPT_SUM: opt.sum = (size_t)tool_number(t, "--sum", arg, 1, 100); break;
	case OPT_RENUMBER: opt.renumber = 1; break;
	case OPT_USED: tool_add_input(t, &opt.used, "--used", arg); break;
	default: return -1;
	}
	return 0;
}

/* --used files, read whole before any output (detected on their own, salesdesk(7)). */
static void load_used(void)
{
	struct master_io io = { 0, NULL, NULL };
	struct sd_err err;

	if (opt.sum && opt.renumber) {
		diag_warn("--sum and --renumber do not go together");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.used.n && !opt.renumber) {
		diag_warn("--used is for --renumber");
		tool_usage(&tool, EX_USAGE);
	}
	strmap_init(&ids_used);
	if (shipment_ids_load(&ids_used, opt.used.v, opt.used.n, &io, &err) < 0)
		diag_die(&err);
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
	load_used();
	src = tool_alloc(nsrc, sizeof *src);
	for (i = 0; i < nsrc; i++) {
		src[i].path = argv[first + (int)i];
		if (csvr_open(&src[i].r, src[i].path, tool.delim, "UTF-8") < 0)
			diag_fatal(errno == ENOMEM ? EX_OSERR : EX_NOINPUT, "cannot open %s: %s",
			           diag_qstr(diag_name(src[i].path)), strerror(errno));
		csvr_pass_bytes(&src[i].r);
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
	strmap_free(&ids_used);
	sbuf_release(&last_id);
	sd_free(opt.used.v);
	return rc;
}

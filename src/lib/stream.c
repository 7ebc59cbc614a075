#include "stream.h"

#include "num.h"
#include "strmap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int open_err(struct sd_err *err, const char *path)
{
	sd_seterr(err, EX_NOINPUT, "cannot open %s: %s", diag_qstr(diag_name(path)),
	          strerror(errno));
	return -1;
}

static int read_fail(struct sd_err *err, const char *name, const struct csv_reader *r)
{
	if (r->err_errno)
		sd_seterr(err, EX_IOERR, "%s: read error: %s", name, strerror(r->err_errno));
	else if (!strcmp(r->err_msg, "out of memory"))
		sd_seterr(err, EX_OSERR, "%s:%ld: out of memory", name, r->err_line);
	else
		sd_seterr(err, EX_DATAERR, "%s:%ld: %s", name, r->err_line, r->err_msg);
	return -1;
}

/* Reads the header of file i (returns 0 for an empty file). */
static int read_header(struct instream *in, size_t i, struct csv_record *rec,
                       struct sd_err *err)
{
	int st = csvr_next(&in->rd[i], rec);

	if (st < 0)
		return read_fail(err, diag_name(in->paths[i]), &in->rd[i]);
	return st;
}

static int oom_err(struct sd_err *err)
{
	sd_seterr(err, EX_OSERR, "out of memory");
	return -1;
}

/* The stream's columns while the headers are read: "canonical name, US, occurrence" ->
 * stream column, so that the k-th column of a name in a file is the k-th of that name in
 * the stream (for headers that repeat a name), found in linear time however wide. */
struct colindex {
	struct strmap cols;
	struct sbuf key;
};

/* Adds file i's header to the stream's (salesdesk(7) Invocation): its columns found by
 * name among the stream's, the new ones appended in its order. */
static int merge_header(struct instream *in, size_t i, const struct csv_record *rec,
                        struct colindex *ix, struct sd_err *err)
{
	struct instream_file *f = &in->file[i];
	struct strmap seen;     /* this file's names -> how many so far */
	struct hdrmap fm;
	size_t c;
	int rc = -1;

	strmap_init(&seen);
	if (hdrmap_build(&fm, rec) < 0 || !(f->col = sd_realloc(NULL, (rec->nf + 1) *
	                                                          sizeof *f->col)))
		goto out;
	f->nf = rec->nf;
	for (c = 0; c < rec->nf; c++) {
		const char *canon = hdrmap_name(&fm, c);
		struct csv_field *h;
		uint64_t occ;
		int added;
		long k = strmap_add(&seen, canon, strlen(canon), 0, &added), j;

		if (k < 0)
			goto out;
		occ = seen.e[k].val++;
		sbuf_reset(&ix->key);
		if ((sbuf_addstr(&ix->key, canon) | sbuf_addch(&ix->key, 0x1f) |
		     sbuf_add(&ix->key, (const char *)&occ, sizeof occ)) < 0 ||
		    (j = strmap_add(&ix->cols, ix->key.buf, ix->key.len, in->hdr_nf, &added)) < 0)
			goto out;
		if (!added) {
			f->col[c] = (size_t)ix->cols.e[j].val;
			continue;
		}
		/* a new column: its text now (the reader's buffer moves on), pointers later */
		if (!(h = sd_realloc(in->hdr, (in->hdr_nf + 2) * sizeof *h)))
			goto out;
		in->hdr = h;
		h[in->hdr_nf].n = rec->f[c].n;
		if (sbuf_add(&in->hdrtext, rec->f[c].s, rec->f[c].n + 1) < 0 ||
		    hdrmap_add(&in->map, rec->f[c].s, rec->f[c].n) < 0)
			goto out;
		f->col[c] = in->hdr_nf++;
	}
	rc = 0;
out:
	hdrmap_free(&fm);
	strmap_free(&seen);
	return rc < 0 ? oom_err(err) : 0;
}

/* Every file is opened and its header read before any row: a missing file or a bad
 * header fails before the tool writes anything. */
int instream_open(struct instream *in, char **paths, size_t npaths, int delim,
                  const char *encoding, struct sd_err *err)
{
	static char *stdin_path[] = { "-" };
	struct csv_record rec;
	struct colindex ix;
	size_t i, k, off;
	int st;

	memset(in, 0, sizeof *in);
	sbuf_init(&in->hdrtext);
	sbuf_init(&in->map.names);
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	in->paths = paths;
	in->npaths = npaths;
	in->delim = delim;
	in->encoding = encoding;
	in->rd = sd_realloc(NULL, npaths * sizeof *in->rd);
	in->has_header = sd_realloc(NULL, npaths);
	in->file = sd_realloc(NULL, npaths * sizeof *in->file);
	if (!in->rd || !in->has_header || !in->file) {
		in->npaths = 0;         /* no reader was opened: instream_close closes none */
		return oom_err(err);
	}
	memset(in->file, 0, npaths * sizeof *in->file);
	for (i = 0; i < npaths; i++) {
		if (csvr_open(&in->rd[i], paths[i], delim, encoding) < 0) {
			in->npaths = i;
			open_err(err, paths[i]);
			return -1;
		}
	}
	strmap_init(&ix.cols);
	sbuf_init(&ix.key);
	for (i = 0, st = 0; i < npaths && st >= 0; i++) {
		if ((st = read_header(in, i, &rec, err)) <= 0) {
			in->has_header[i] = 0;  /* an empty file adds nothing */
			continue;
		}
		in->has_header[i] = 1;
		in->have_header = 1;
		if (rec.bad_encoding) {
			sd_seterr(err, EX_DATAERR, "%s:%ld: header has bytes that are not valid %s",
			          diag_name(paths[i]), rec.line, in->rd[i].enc);
			st = -1;
		} else {
			st = merge_header(in, i, &rec, &ix, err);
		}
	}
	strmap_free(&ix.cols);
	sbuf_release(&ix.key);
	if (st < 0)
		return -1;
	if (!in->have_header) {
		sd_seterr(err, EX_DATAERR, "%s: no header row (the input is empty)",
		          diag_name(paths[0]));
		return -1;
	}
	for (k = 0, off = 0; k < in->hdr_nf; k++) {
		in->hdr[k].s = in->hdrtext.buf + off;
		off += in->hdr[k].n + 1;
	}
	for (i = 0; i < npaths; i++) {
		struct instream_file *f = &in->file[i];
		f->same = f->nf == in->hdr_nf;
		for (k = 0; k < f->nf; k++)
			f->same &= f->col[k] == k;
	}
	if (!(in->row = sd_realloc(NULL, (in->hdr_nf + 1) * sizeof *in->row)))
		return oom_err(err);
	in->cur = 0;
	in->name = diag_name(paths[0]);
	return 0;
}

/* The record in the stream's columns: blank where its file has none. */
static void remap(struct instream *in, const struct instream_file *f,
                  struct csv_record *rec)
{
	size_t c;

	for (c = 0; c < in->hdr_nf; c++)
		in->row[c] = (struct csv_field){ "", 0 };
	for (c = 0; c < f->nf; c++)
		in->row[f->col[c]] = rec->f[c];
	rec->f = in->row;
	rec->nf = in->hdr_nf;
}

int instream_next(struct instream *in, struct csv_record *rec, struct sd_err *err)
{
	for (;;) {
		const struct instream_file *f = &in->file[in->cur];
		int st = 0;
		if (in->has_header[in->cur])
			st = csvr_next(&in->rd[in->cur], rec);
		if (st > 0) {
			in->rows++;
			in->raw_nf = rec->nf;
			/* a row of another field count stays as read: field_count */
			if (!f->same && rec->nf == f->nf)
				remap(in, f, rec);
			return 1;
		}
		if (st < 0)
			return read_fail(err, in->name, &in->rd[in->cur]);
		if (in->cur + 1 >= in->npaths)
			return 0;
		in->cur++;
		in->name = diag_name(in->paths[in->cur]);
	}
}

const char *instream_malformed(const struct instream *in, const struct csv_record *rec)
{
	if (rec->bad_encoding)
		return "bad_encoding";
	return in->raw_nf != in->file[in->cur].nf ? "field_count" : NULL;
}

void instream_close(struct instream *in)
{
	size_t i;

	for (i = 0; in->rd && i < in->npaths; i++)
		csvr_close(&in->rd[i]);
	for (i = 0; in->file && i < in->npaths; i++)
		sd_free(in->file[i].col);
	sd_free(in->rd);
	sd_free(in->hdr);
	sd_free(in->has_header);
	sd_free(in->file);
	sd_free(in->row);
	in->rd = NULL;
	in->hdr = NULL;
	in->has_header = NULL;
	in->file = NULL;
	in->row = NULL;
	hdrmap_free(&in->map);
	sbuf_release(&in->hdrtext);
}

/* A header of one column holding a semicolon or a tab was almost surely written with
 * that delimiter (salesdesk(7) Header): say how to read it. */
static const char *delim_hint(const struct instream *in, const struct instream_file *f)
{
	const struct csv_field *h;

	if (f->nf != 1 || in->delim == ';' || in->delim == '\t')
		return "";
	h = &in->hdr[f->col[0]];
	if (memchr(h->s, ';', h->n))
		return " (the header is one column holding ';': read it with -d ';')";
	if (memchr(h->s, '\t', h->n))
		return " (the header is one column holding a tab: read it with -d tab)";
	return "";
}

/* Whether file f has stream column j. */
static int file_has(const struct instream_file *f, int j)
{
	size_t c;

	for (c = 0; c < f->nf; c++)
		if (f->col[c] == (size_t)j)
			return 1;
	return 0;
}

int instream_columns(struct instream *in, const char *const *names, int *cols, size_t n,
                     size_t required, struct sd_err *err)
{
	size_t k, i;

	(void)hdrmap_lookup(&in->map, names, cols, n, required);
	/* each file must have every required column, not only the stream (salesdesk(7)) */
	for (k = 0; k < required; k++)
		for (i = 0; i < in->npaths; i++) {
			const struct instream_file *f = &in->file[i];
			if (!in->has_header[i] || (cols[k] >= 0 && file_has(f, cols[k])))
				continue;
			sd_seterr(err, EX_DATAERR, "%s:1: required column '%s' is missing%s",
			          diag_name(in->paths[i]), names[k], delim_hint(in, f));
			return -1;
		}
	return 0;
}

/* ---- the output's header and the rejects ---- */

void stream_write_header(struct csv_writer *w, const char *const *names, size_t n,
                         const struct instream *in, const size_t *pass, size_t npass)
{
	size_t i;

	for (i = 0; i < n; i++)
		csvw_str(w, names[i]);
	for (i = 0; i < npass; i++)
		csvw_field(w, in->hdr[pass[i]].s, in->hdr[pass[i]].n);
	csvw_endrow(w);
}


void stream_put_seq(struct csv_writer *w, const uint64_t *seq)
{
	char b[24];

	if (!seq)
		csvw_str(w, "seq");
	else
		csvw_plain(w, b, (size_t)snprintf(b, sizeof b, "%llu", (unsigned long long)*seq));
}

void rejects_start(struct rejects *rj, const struct instream *in)
{
	size_t i;

	if (rj->seq_col)
		stream_put_seq(&rj->w, NULL);
	for (i = 0; i < in->hdr_nf; i++)
		csvw_field(&rj->w, in->hdr[i].s, in->hdr[i].n);
	csvw_str(&rj->w, "reject_file");
	csvw_str(&rj->w, "reject_line");
	csvw_str(&rj->w, "reject_reason");
	csvw_endrow(&rj->w);
}

int rejects_put(struct rejects *rj, const char *path, const struct csv_record *rec,
                const char *reason)
{
	char num[24];
	size_t i;

	rj->count++;
	if (!rj->open)
		return 0;
	if (rj->seq_col)
		stream_put_seq(&rj->w, &rj->seq);
	for (i = 0; i < rec->nf; i++)
		if (csvw_field_lossy(&rj->w, rec->f[i].s, rec->f[i].n) < 0)
			return -1;
	/* the file as named on the command line: line 75 of which file (salesdesk(7)) */
	csvw_str(&rj->w, path);
	fmt_int(num, rec->line);
	csvw_str(&rj->w, num);
	csvw_str(&rj->w, reason);
	csvw_endrow(&rj->w);
	return 0;
}

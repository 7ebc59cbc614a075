/* report's reading (report(1)): pass 1 checks an input and spools it unless it is a
 * regular file; pass 2 gets its rows again from the spool or from the file read anew. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

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

FILE *make_spool(void)
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

void pass1(struct input *ip)
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
struct csv_field *next_row(struct input *ip, struct sbuf *buf, struct csv_field *f)
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

/* report's --split-by and --letter (report(1)): one part per value of a column, its
 * rows put together by a counting sort on disk, and each part laid out as a letter. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "report.h"

/* --split-by (report(1)): the values of the column, and per value its rows and spooled
 * bytes.  Pass 1 notes each row's value in split_idx, a temporary file of one uint32_t
 * per row; then a counting sort on disk puts each value's rows together in the spool, so
 * that memory grows with the values, never with the rows. */
int split_col = -1;
struct strmap split_vals;
static uint64_t *split_rows, *split_bytes;
static size_t split_cap;
FILE *split_idx;

/* The row's --split-by value: its index in split_idx, its row and its BYTES counted. */
void note_split(const struct csv_record *rec, size_t bytes)
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

/* One sheet per --split-by value, named after it (a blank value: the sheet's own name),
 * in the order of split_sort. */
void name_split(struct input *ip, char ***used, size_t *nused)
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

int is_letter_head(const struct input *ip, size_t c)
{
	size_t i;

	for (i = 0; opt.letter && i < NLETTER_HEAD; i++)
		if (letter_col(ip, i) == (int)c)
			return 1;
	return 0;
}

/* Where a letter's lines go: the first column the table shows (a hidden one would not
 * print them). */
lxw_col_t letter_at(const struct input *ip)
{
	size_t c;

	for (c = 0; c < ip->nf && is_letter_head(ip, c); c++)
		;
	return c < ip->nf ? (lxw_col_t)c : 0;
}

/* Above a letter's table, from row R on: its heading (a notice must say what it is, and
 * the --title row may stand in a column the letter hides), a blank line, the lines
 * addressed from FIRST (the part's first row), then a blank line.  Returns the row after
 * them. */
lxw_row_t letter_address(lxw_worksheet *ws, const struct input *ip,
                         const struct csv_field *first, lxw_row_t r)
{
	size_t i;

	check(worksheet_write_string(ws, r, letter_at(ip), opt.labels == LABELS_ZH ?
	                             "欠款通知单" : "Notice of overdue payment", f_title), "letter");
	r += 2;
	for (i = 0; first && i < NLETTER_HEAD; i++) {
		char line[1024];
		int k = letter_col(ip, i);
		if (k < 0)
			continue;
		snprintf(line, sizeof line, "%s: %.*s", label_of(letter_head[i], &ip->in.hdr[k]),
		         (int)first[k].n, first[k].s);
		check(worksheet_write_string(ws, r++, letter_at(ip), line, NULL), "letter");
	}
	return r + 1;           /* a blank line above the table */
}

/* Below a letter's table: the day to pay by and the bank details. */
void letter_foot(lxw_worksheet *ws, const struct input *ip, lxw_row_t r)
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

void split_free(void)
{
	strmap_free(&split_vals);
	if (split_idx)          /* no value to sort: the file of their indices is unread */
		fclose(split_idx);
	sd_free(split_rows);
	sd_free(split_bytes);
}

/* Records from a CSV file over libcsv, one at a time, streaming.
 *
 * libcsv is set up strictly (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
 * CSV_APPEND_NULL, and a space function that trims nothing), so that: unquoted fields keep
 * their spaces, an unterminated final quote is an error, every newline reaches us (blank
 * lines are skipped here, counted), and errors carry a position.
 *
 * Input in another encoding is transcoded to UTF-8 before parsing; a byte sequence that is
 * invalid in the input encoding (or a NUL byte) marks its record bad_encoding, and the
 * offending bytes arrive as 0xFF, which is never valid UTF-8. */
#ifndef SALESDESK_CSVREAD_H
#define SALESDESK_CSVREAD_H
#include <csv.h>
#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "must.h"
#include "sbuf.h"

struct csv_field {
	const char *s;          /* NUL-terminated, in the reader's buffer */
	size_t n;
};

struct csv_record {
	struct csv_field *f;
	size_t nf;
	long line;              /* physical line where the record starts (header = 1) */
	int bad_encoding;
};

enum csvr_status { CSVR_RECORD = 1, CSVR_EOF = 0, CSVR_ERROR = -1 };

struct csvr_pending {           /* a record parsed but not yet handed out */
	size_t first, nf;
	long line;
	int bad, plain;
};

struct csv_reader {
	int fd;
	int own_fd;
	struct csv_parser p;
	int delim;
	/* encoding */
	char enc[64];           /* resolved name: "UTF-8" or an iconv name */
	int detect;             /* "auto": decide on the whole file, or a pipe's first block */
	int guessed;            /* UTF-8 from a pipe's first block: checked on (fill) */
	int started;            /* first block seen (BOM and detection done) */
	int excel_marks;        /* UTF-8 BOM seen: undo --excel's formula marks (salesdesk(7)) */
	iconv_t cd;             /* (iconv_t)-1 when the input is UTF-8 */
	int unit;               /* code unit size for skipping invalid input: 1, 2 or 4 */
	struct sbuf raw;        /* bytes read, not yet converted */
	struct sbuf conv;       /* converted bytes */
	/* accumulation */
	struct sbuf fields;     /* field bytes, each followed by NUL */
	size_t *foff, *flen;
	size_t nfield, capfield;
	struct csvr_pending *recs;
	size_t nrec, caprec, nextrec;
	struct csv_field *out;  /* handed to the caller */
	size_t capout;
	/* position */
	long line;              /* physical line of the next unread byte */
	long rec_line;
	size_t cur_nf;
	int cur_bad;
	int pending_cr;
	const unsigned char *special;   /* the bytes on_field looks at */
	int pass_bytes;         /* csvr_pass_bytes: no UTF-8 check, records may be plain */
	unsigned char pass[256];        /* its bytes to look at: CR, LF, quote, delimiter */
	int cur_quote;          /* the record so far has a byte that needs quoting */
	int plain;              /* the record last handed out is plain (csvr_plain) */
	uint64_t offset;        /* bytes handed to csv_parse so far */
	int eof, finished;
	int failed;             /* an error is latched: reported once pending records are out */
	/* error (CSVR_ERROR) */
	int err_errno;          /* nonzero: a read error (errno) */
	long err_line;
	char err_msg[160];
};

/* Opens path ("-" for standard input) with the given delimiter (0: the most frequent of
 * comma, semicolon and tab on the header line) and input encoding ("auto", NULL = auto,
 * or an iconv name).  "auto" decides a regular file on all its bytes, a pipe on its first
 * 64 KiB (a later byte that is not UTF-8 then is an error naming the likely encoding).
 * Returns 0, or -1 with errno set. */
MUST_CHECK
int csvr_open(struct csv_reader *r, const char *path, int delim, const char *encoding);
/* CSVR_RECORD with rec filled in (valid until the next call), CSVR_EOF, or CSVR_ERROR
 * with err_line and err_msg (malformed CSV) or err_errno (read failure) set. */
MUST_CHECK
int csvr_next(struct csv_reader *r, struct csv_record *rec);
/* For a caller that copies the fields through and never looks at bad_encoding (merge):
 * the UTF-8 check is skipped (no record is bad_encoding), and a record whose fields a
 * writer with the same delimiter would not quote is marked plain, so that the caller
 * need not look at its bytes again.  Call it after csvr_open, before csvr_next. */
void csvr_pass_bytes(struct csv_reader *r);
/* After csvr_pass_bytes: 1 when no field of the record last returned holds the
 * delimiter, a quote, CR or LF, so that a writer with that delimiter and without
 * --excel's marks writes each as it is (csvw_encoded). */
static inline int csvr_plain(const struct csv_reader *r)
{
	return r->plain;
}
void csvr_close(struct csv_reader *r);
/* 1 when an iconv conversion from the named encoding to UTF-8 exists ("auto" too). */
int csvr_encoding_known(const char *name);

/* Field helpers.  trim: without the surrounding ASCII spaces and tabs (salesdesk(7)). */
/* inline: it is called on most fields of every row */
static inline struct csv_field field_trim(struct csv_field f)
{
	while (f.n && (f.s[0] == ' ' || f.s[0] == '\t')) {
		f.s++;
		f.n--;
	}
	while (f.n && (f.s[f.n - 1] == ' ' || f.s[f.n - 1] == '\t'))
		f.n--;
	return f;
}
/* Column cols[k] of the record, trimmed; blank when the input has no such column
 * (cols[k] < 0) or the record is too short to reach it. */
static inline struct csv_field record_cell(const struct csv_record *rec, const int *cols, int k)
{
	struct csv_field none = { "", 0 };

	if (cols[k] < 0 || (size_t)cols[k] >= rec->nf)
		return none;
	return field_trim(rec->f[cols[k]]);
}
int field_eq(struct csv_field f, const char *s);
/* 1 when Excel would read the cell as a formula and --excel must make it inert
 * (salesdesk(7), Excel CSV): after any apostrophes, a = + - @ tab or CR, unless the
 * cell is a plain number such as -12.50.  Counting the apostrophes in makes the mark
 * reversible: the writer adds one to such a cell, the reader drops one. */
int cell_formula_like(const char *s, size_t n);
/* UTF-8 validity (NUL bytes count as invalid). */
int utf8_valid(const char *s, size_t n);
#endif

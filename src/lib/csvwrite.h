/* Buffered CSV output: UTF-8, LF, fields quoted only when they hold the delimiter, a
 * quote, CR or LF (RFC 4180, minimal quoting; libcsv's csv_fwrite always quotes).
 * Every write error is latched: once failed, further writes are dropped and the
 * caller learns it from csvw_failed()/csvw_close(). */
#ifndef SALESDESK_CSVWRITE_H
#define SALESDESK_CSVWRITE_H
#include <stddef.h>
#include <stdint.h>

#include "must.h"
#include "outfile.h"

struct sbuf;

enum { CSVW_FAILED = 1, CSVW_EPIPE = 2 };

struct csv_writer {
	int fd;
	int own_fd;
	char *buf;
	size_t len, cap;
	int delim;
	int first;              /* no field written yet in this row */
	int err;                /* errno of the first failure, 0 if none */
	const char *name;       /* for messages: the path, or "standard output" */
	uint64_t rows;
	unsigned char quote[256];       /* bytes that make a field quoted: delim " CR LF */
	int delim_plain;        /* the delimiter is a byte csvw_plain's text may hold */
	int excel;              /* csvw_excel: CRLF, formula-like cells marked */
	struct outfile of;      /* the file's temporary, for the caller to commit or discard */
};

/* path NULL or "-": standard output; a file, through a temporary file beside it that
 * outfile_commit(&w->of) renames into place after csvw_close (outfile.h).  Returns 0, or
 * -1 with errno. */
MUST_CHECK
int csvw_open(struct csv_writer *w, const char *path, int delim);
/* Switches a writer just opened to the CSV that Excel on a Chinese Windows opens
 * correctly (salesdesk(7), Excel CSV): a UTF-8 BOM now, CRLF row ends, and a cell that
 * cell_formula_like() calls a formula written quoted behind an apostrophe. */
void csvw_excel(struct csv_writer *w);
void csvw_field(struct csv_writer *w, const char *s, size_t n);
void csvw_str(struct csv_writer *w, const char *s);
/* A field the caller knows to hold only letters, digits and . - + : / % _ space (a
 * formatted number or date, a fixed status word): copied without the quoting check, unless
 * the delimiter is one of those bytes. */
void csvw_plain(struct csv_writer *w, const char *s, size_t n);
/* Appends field S as this writer writes it (quoted if need be, no delimiter before it) to
 * OUT, for text written on many rows: a master file's names, encoded once.  0, or -1 out
 * of memory. */
MUST_CHECK
int csvw_encode(const struct csv_writer *w, struct sbuf *out, const char *s, size_t n);
/* Writes S, one or more fields already encoded by csvw_encode and joined by the
 * delimiter, as the next fields of the row. */
void csvw_encoded(struct csv_writer *w, const char *s, size_t n);
void csvw_endrow(struct csv_writer *w);
/* A field of invalid UTF-8 (a bad_encoding row written to the rejects): each invalid
 * byte becomes U+FFFD so that the output stays UTF-8.  0, or -1 out of memory (nothing
 * written). */
MUST_CHECK
int csvw_field_lossy(struct csv_writer *w, const char *s, size_t n);
int csvw_flush(struct csv_writer *w);
/* 0, CSVW_FAILED (err holds errno) or CSVW_EPIPE */
int csvw_status(const struct csv_writer *w);
/* Flushes and closes; returns csvw_status bits.  Safe on a writer never opened (fd -1).
 * The temporary stays in w->of. */
MUST_CHECK
int csvw_close(struct csv_writer *w);
#endif

/* The input side of a filter: the files of the command line read as one stream of
 * records, the output's header with its pass-through columns, and the rejects file's
 * rows; it returns statuses and fills in a struct sd_err, never prints or exits. */
#ifndef SALESDESK_STREAM_H
#define SALESDESK_STREAM_H
#include <stddef.h>
#include <stdint.h>

#include "csvread.h"
#include "csvwrite.h"
#include "header.h"
#include "must.h"
#include "sbuf.h"
#include "sderr.h"

/* ---- input: the files of the command line read as one stream ---- */
struct instream_file {          /* how one file's records map onto the stream's columns */
	size_t nf;              /* its header's field count (0: an empty file) */
	size_t *col;            /* the stream column of each of its columns */
	int same;               /* the stream's columns in the stream's order: no remap */
};

struct instream {
	char **paths;
	size_t npaths, cur;
	struct csv_reader *rd;
	int delim;
	const char *encoding;
	/* the header of the stream: the union of the files' columns in first-seen order
	 * (the first file's, then each later file's new ones appended) */
	struct hdrmap map;
	struct sbuf hdrtext;    /* the header cells as read */
	struct csv_field *hdr;
	size_t hdr_nf;
	int have_header;
	char *has_header;       /* per file: 0 when the file is empty */
	struct instream_file *file;
	struct csv_field *row;  /* a record remapped onto the stream's columns */
	size_t raw_nf;          /* field count of the last record as read */
	const char *name;       /* current file, as named in messages */
	uint64_t rows;          /* data records handed out, all files */
};

/* Opens every file and reads every header first, so that a missing file or a bad header
 * fails before any output.  npaths 0 means standard input.  Errors: EX_NOINPUT,
 * EX_DATAERR (no header, malformed), EX_IOERR. */
MUST_CHECK
int instream_open(struct instream *in, char **paths, size_t npaths, int delim,
                  const char *encoding, struct sd_err *err);
/* 1 and a record, 0 at the end, -1 with err (malformed CSV: EX_DATAERR; read
 * failure: EX_IOERR).  A record with its file's field count comes in the stream's
 * columns (blank where its file has none); any other comes as read (field_count). */
MUST_CHECK
int instream_next(struct instream *in, struct csv_record *rec, struct sd_err *err);
/* The row error every tool checks first (salesdesk(7)): "bad_encoding", then
 * "field_count" (a field count other than its own file's header's), or NULL for a
 * well-formed record.  For the record instream_next just handed out. */
const char *instream_malformed(const struct instream *in, const struct csv_record *rec);
void instream_close(struct instream *in);
/* Looks up the tool's columns; a required one missing from any file is EX_DATAERR naming
 * that file and the column. */
MUST_CHECK
int instream_columns(struct instream *in, const char *const *names, int *cols, size_t n,
                     size_t required, struct sd_err *err);

/* ---- the output's header ---- */
/* The tool's own columns, then the pass-through columns as read. */
void stream_write_header(struct csv_writer *w, const char *const *names, size_t n,
                         const struct instream *in, const size_t *pass, size_t npass);
/* Under --shard (salesdesk(7), SCALE-OUT), the first field of a row: SEQ, or for SEQ
 * NULL the header's "seq". */
void stream_put_seq(struct csv_writer *w, const uint64_t *seq);

/* ---- rejects: the rows as read, with reject_file, reject_line, reject_reason ---- */
struct rejects {
	struct csv_writer w;
	int open;               /* a file is written; else the rejects are only counted */
	int seq_col;            /* under --shard: seq first (stream_put_seq) */
	uint64_t count;
	uint64_t seq;           /* under --shard, the next reject's seq */
};
/* The rejects file's header on the opened writer: seq under --shard, the stream's
 * header, reject_file, reject_line, reject_reason. */
void rejects_start(struct rejects *rj, const struct instream *in);
/* Counts the rejected row and, when a file is written, writes it as read with its file
 * (path as named, "-" for standard input), line and reason.  -1 out of memory. */
MUST_CHECK
int rejects_put(struct rejects *rj, const char *path, const struct csv_record *rec,
                const char *reason);

#endif

/* The user-facing half of src/lib: common options, usage text, diagnostics, the input
 * stream over several files, the rejects stream and the exit path.  This is the only
 * part of the library that prints or exits; the core (csvread, csvwrite, num, date,
 * header, strmap, master) returns statuses and fills in a struct sd_err instead. */
#ifndef SALESDESK_TOOL_H
#define SALESDESK_TOOL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sysexits.h>

#include "csvread.h"
#include "csvwrite.h"
#include "header.h"
#include "must.h"
#include "sbuf.h"

#ifndef SALESDESK_VERSION
#define SALESDESK_VERSION "0.0.0"
#endif

#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* An error found by the core, ready to print: msg is "FILE:LINE: what" or "what", or
 * several such lines (the bad rows of a master file, salesdesk(7)). */
struct sd_err {
	int code;               /* sysexits code */
	char msg[8192];
};
void sd_seterr(struct sd_err *e, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Adds one more line to e (sd_seterr when e->msg is empty); a line that does not fit is
 * cut. */
void sd_adderr(struct sd_err *e, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* The bad rows of a master file (salesdesk(7)), read on so that one run shows them all:
 * sd_bad_row counts one in *nbad and adds "NAME:LINE: what" to e (EX_DATAERR) while there
 * are at most SD_MAX_BAD; sd_bad_end adds "NAME: and N more bad rows" for the others and
 * returns -1 when there was any.  sd_bad_row returns -1, for "return sd_bad_row(...)". */
enum { SD_MAX_BAD = 20 };
int sd_bad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
               const char *fmt, ...) ATTR_PRINTF(5, 6);
int sd_vbad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
                const char *fmt, va_list ap) ATTR_PRINTF(5, 0);
int sd_bad_end(struct sd_err *e, size_t nbad, const char *name);

/* ---- options ---- */
enum {
	COMMON_OUTPUT = 1 << 0, COMMON_DELIM = 1 << 1, COMMON_ENCODING = 1 << 2,
	COMMON_QUIET = 1 << 3, COMMON_VERBOSE = 1 << 4, COMMON_REJECTS = 1 << 5,
	COMMON_STRICT = 1 << 6, COMMON_EXCEL = 1 << 7,
	COMMON_FILTER = 0xff,
	COMMON_SHARD = 1 << 8   /* --shard K/N, for the filters that partition (salesdesk(7)) */
};

struct tool_opt {
	const char *name;       /* long name */
	int key;                /* short letter, or a value >= 256 for long-only options */
	int has_arg;
	const char *arg;        /* metavariable for the usage text */
	const char *help;
};

/* What a file option names, for the check that no output is an input or another output
 * (salesdesk(7), "Inputs and outputs"). */
enum { TOOL_IN = 1, TOOL_OUT = 2 };
struct tool_file {
	const char *opt;        /* as messages name it: "-c", "--rejects", "input" */
	const char *path;
	int dir;                /* TOOL_IN or TOOL_OUT */
};

struct tool {
	const char *name;
	const char *synopsis;   /* what follows the name in the usage line(s) */
	const struct tool_opt *opts;    /* the tool's own, ended by a zero entry */
	/* the keys of the options with a value that may be given more than once, each use
	 * adding one, ended by 0; any other given twice is a usage error (salesdesk(7)) */
	const int *many;
	unsigned common;
	/* results of the common options */
	const char *output, *rejects, *encoding;
	int delim, quiet, verbose, strict;
	unsigned shard, nshard;         /* --shard K/N; nshard 0 without it */
	/* the files named on the command line, checked and freed by tool_parse */
	struct tool_file *files;
	size_t nfiles, files_cap;
};

/* Parses argv; calls own() for the tool's options (own returns 0, or prints nothing and
 * returns -1 to have the usage printed with exit 64).  Returns the index of the first
 * operand.  Exits for -h, --version and usage errors, among them an output that is the
 * same file as an input or another output: -o, --rejects, the operands (standard input
 * when none) and the files own() declares with tool_add_file. */
int tool_parse(struct tool *t, int argc, char **argv,
               int (*own)(struct tool *t, int key, const char *arg));
_Noreturn void tool_usage(const struct tool *t, int status);
/* Declares a file the run reads (TOOL_IN) or writes (TOOL_OUT), from own(): every
 * master file and every output option.  OPT names it in messages ("-c"). */
void tool_add_file(struct tool *t, int dir, const char *opt, const char *path);
/* The files of a repeatable input option (--plan, --used, --cancel …), as given. */
struct tool_files {
	char **v;
	size_t n, cap;
};
/* Appends PATH, a file of the repeatable input option OPT, to F and registers it for the
 * same-file check (tool_add_file), or exits 71. */
void tool_add_input(struct tool *t, struct tool_files *f, const char *opt, const char *path);
/* Under --shard K/N (salesdesk(7), SCALE-OUT): 1 when the rows of this key are this
 * run's, that is when a stable hash of the key (FNV-1a, the same on every machine) is
 * K-1 modulo N; always 1 without --shard. */
int tool_shard_mine(const struct tool *t, const char *key, size_t n);
/* Under --shard, the first field of every row of a row stream: its place in the single
 * run's output, for salesdesk merge; nothing without --shard.  SEQ NULL: the header's. */
void tool_put_seq(const struct tool *t, struct csv_writer *w, const uint64_t *seq);
/* A number option in [min, max], or usage error naming the option and the range. */
long long tool_number(const struct tool *t, const char *opt, const char *s,
                      long long min, long long max);

/* ---- diagnostics: "tool: FILE:LINE: message" ---- */
_Noreturn void diag_fatal(int ex, const char *fmt, ...) ATTR_PRINTF(2, 3);
_Noreturn void diag_die(const struct sd_err *e);
void diag_warn(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* A warning the core filled in (say, a master column not read), printed like diag_warn. */
void diag_warn_err(const struct sd_err *e);
/* A quoted, escaped copy of user text for messages (control bytes escaped, long text
 * cut), in one of a few rotating static buffers: valid for the next few calls. */
const char *diag_quote(const char *s, size_t n);
const char *diag_qstr(const char *s);
/* How a path is named in messages: "<stdin>" for "-". */
const char *diag_name(const char *path);

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

/* ---- rejects ---- */
struct rejects {
	struct csv_writer w;
	int open;
	uint64_t count;
	uint64_t seq;           /* under --shard, the next reject's seq (tool_put_seq) */
};
/* Opens path (NULL: count only) and writes the stream's header + reject_file,
 * reject_line, reject_reason (under --shard, after seq).  -1 with errno when the file
 * cannot be created. */
MUST_CHECK
int rejects_open(struct rejects *rj, const char *path, const struct instream *in, int delim);
/* Writes the row as read with its file (path as named, "-" for standard input), line and
 * reason, and prints the diagnostic "tool: FILE:LINE: rejected: reason[: detail]" unless
 * quiet. */
void reject_row(const struct tool *t, struct rejects *rj, const char *path,
                const struct csv_record *rec, const char *reason, const char *detail);

/* The output header: the tool's own columns, then the pass-through columns as read. */
void tool_write_header(struct csv_writer *w, const char *const *names, size_t n,
                       const struct instream *in, const size_t *pass, size_t npass);
/* The one rule for out of memory in a tool (salesdesk(7)): a core call that fails only
 * for want of memory, and without which the tool cannot go on, is wrapped in tool_must
 * (a status or index below 0) or tool_must_ptr (NULL), which exit 71 "out of memory"
 * and otherwise return what they were given. */
long tool_must(long st);
void *tool_must_ptr(void *p);
/* Room for item n in a growing array (doubling), or exit 71: a filter that cannot
 * remember a key cannot go on without losing rows. */
void *tool_grow(void *v, size_t n, size_t *cap, size_t size);
/* sd_realloc of SIZE bytes (at least 1), or exit 71 "out of memory". */
void *tool_realloc(void *p, size_t size);
/* A zeroed array of N items (at least 1), or exit 71. */
void *tool_alloc(size_t n, size_t size);
/* The indices of the input columns passed through after the tool's own N output columns
 * (hdrmap_passthrough), in a new array for the caller to sd_free; their count in *npass. */
size_t *tool_passthrough(const struct instream *in, const char *const *out_names, size_t n,
                         size_t *npass);

/* ---- outputs: replaced only by a run that ends well (salesdesk(7)) ---- */
/* outfile_open, and the temporary is removed on any exit that does not commit it: exit(),
 * SIGINT, SIGTERM, SIGHUP. */
MUST_CHECK
int tool_outfile_open(struct outfile *of, const char *path);
/* Has OF's temporary removed on those exits too, for one the caller made itself. */
void tool_outfile_track(struct outfile *of);
/* outfile_commit or outfile_discard, the temporary forgotten first. */
MUST_CHECK
int tool_outfile_commit(struct outfile *of);
void tool_outfile_discard(struct outfile *of);
/* Opens an output for the tool or exits 73 naming it.  With --excel (rejects_open too)
 * the writer writes Excel's CSV: csvw_excel. */
void tool_open_output(struct csv_writer *w, const char *path, int delim);
/* Closes every writer (all of them, whatever fails), prints what failed and returns the
 * exit status: 74 on a write failure, rc otherwise; a closed pipe is a quiet 0.  Only
 * when every writer was written whole (rc 0, or 65 for --strict) do the files replace
 * the earlier ones; else they stay as they were.  A rename that fails is 73. */
MUST_CHECK
int tool_finish(int rc, struct csv_writer *const *ws, size_t n);
/* 1 when the output loop should stop (a writer failed or the reader went away). */
int tool_output_gone(struct csv_writer *const *ws, size_t n);

#endif

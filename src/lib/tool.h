/* The face of a program: its options and usage text, its diagnostics, the exit-on-
 * failure wrappers of the core and the one exit path; the only part of src/lib that
 * prints or exits (the stream and the core below it return statuses in a struct sd_err). */
#ifndef SALESDESK_TOOL_H
#define SALESDESK_TOOL_H
#include <stddef.h>
#include <stdint.h>
#include <sysexits.h>

#include "reason.h"
#include "stream.h"

#ifndef SALESDESK_VERSION
#define SALESDESK_VERSION "0.0.0"
#endif

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
	/* the bytes of a reject's detail, its NUL included (0: 512); receivables keeps the
	 * 256 it always had, a long value cut there */
	size_t detail_size;
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
/* A date option (YYYY-MM-DD, salesdesk(7) Dates) as a day number, or usage error naming
 * the option. */
int32_t tool_date(const struct tool *t, const char *opt, const char *s);

/* ---- diagnostics: "tool: FILE:LINE: message" ---- */
_Noreturn void diag_fatal(int ex, const char *fmt, ...) ATTR_PRINTF(2, 3);
_Noreturn void diag_die(const struct sd_err *e);
void diag_warn(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* A warning the core filled in (say, a master column not read), printed like diag_warn. */
void diag_warn_err(const struct sd_err *e);

/* ---- rejects ---- */
/* Opens path (NULL: count only) and writes the rejects header (rejects_start).  -1 with
 * errno when the file cannot be created. */
MUST_CHECK
int rejects_open(struct rejects *rj, const char *path, const struct instream *in, int delim);
/* Writes the row with its reason's code (rejects_put) and prints the diagnostic
 * "tool: FILE:LINE: rejected: code[: detail]" unless quiet (struct reason formats both). */
void reject_row(const struct tool *t, struct rejects *rj, const char *path,
                const struct csv_record *rec, const struct reason *r);

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

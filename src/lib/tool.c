#include "tool.h"

#include "date.h"
#include "num.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *progname = "salesdesk";
/* --excel: applies to every CSV the tool opens (outputs and rejects), so it is kept here
 * rather than passed through every tool's open calls */
static int excel;
static int sharded;             /* --shard: the rejects carry seq too */

/* ---- diagnostics ---- */

static void diag_init(const struct tool *t)
{
	progname = t->name;
}

static void vdiag(const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof line, fmt, ap);
	fprintf(stderr, "%s: %s\n", progname, line);
}

void diag_fatal(int ex, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
	exit(ex);
}

void diag_die(const struct sd_err *e)
{
	const char *s = e->msg, *nl;

	/* one diagnostic line per line of the error, each with the tool's name */
	while ((nl = strchr(s, '\n'))) {
		fprintf(stderr, "%s: %.*s\n", progname, (int)(nl - s), s);
		s = nl + 1;
	}
	diag_fatal(e->code, "%s", s);
}

void diag_warn_err(const struct sd_err *e)
{
	diag_warn("%s", e->msg);
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
}
/* ---- options ---- */

static const struct tool_opt common_opts[] = {
	{ "delimiter", 'd', 1, "C", "field delimiter: one character, or tab (default ,)" },
	{ "excel", 256 + 'x', 0, NULL, "CSV for Excel: UTF-8 BOM, CRLF, formula-like text inert" },
	{ "input-encoding", 'E', 1, "NAME", "input encoding: auto (default), UTF-8, GB18030, any iconv name" },
	{ "output", 'o', 1, "FILE", "write the output to FILE instead of standard output" },
	{ "quiet", 'q', 0, NULL, "no diagnostic line per rejected row" },
	{ "rejects", 256 + 'r', 1, "FILE", "write rejected rows to FILE" },
	{ "shard", 256 + 'k', 1, "K/N", "process only the K-th of N parts of the input, by key (salesdesk(7))" },
	{ "strict", 256 + 's', 0, NULL, "exit 65 when any row was rejected or flagged" },
	{ "verbose", 'v', 0, NULL, "print a closing count line on standard error" },
};
static const unsigned common_bit[] = {
	COMMON_DELIM, COMMON_EXCEL, COMMON_ENCODING, COMMON_OUTPUT, COMMON_QUIET, COMMON_REJECTS,
	COMMON_SHARD, COMMON_STRICT, COMMON_VERBOSE
};

static void print_opt(FILE *fp, const struct tool_opt *o)
{
	char left[64];

	if (o->key < 256)
		snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
		         o->arg ? o->arg : "");
	else
		snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
		         o->arg ? o->arg : "");
	fprintf(fp, "  %-28s %s\n", left, o->help);
}

void tool_usage(const struct tool *t, int status)
{
	FILE *fp = status ? stderr : stdout;
	const struct tool_opt *o;
	size_t i;

	fprintf(fp, "usage: %s %s\n", t->name, t->synopsis);
	if (status) {
		fprintf(fp, "Try '%s --help' for more information.\n", t->name);
		exit(status);
	}
	fprintf(fp, "\nOptions:\n");
	for (o = t->opts; o && o->name; o++)
		print_opt(fp, o);
	for (i = 0; i < sizeof common_opts / sizeof common_opts[0]; i++)
		if (t->common & common_bit[i])
			print_opt(fp, &common_opts[i]);
	fprintf(fp, "  %-28s %s\n  %-28s %s\n", "-h, --help", "show this help and exit",
	        "    --version", "show the version and exit");
	fprintf(fp, "\nSee %s(1) and salesdesk(7).\n", t->name);
	if (fflush(fp) != 0 || ferror(fp))
		exit(EX_IOERR);
	exit(0);
}

/* Delimiter option value: one ASCII character, a real tab, "\t" or "tab". */
static int parse_delim(const char *s)
{
	if (!strcmp(s, "\\t") || !strcmp(s, "tab"))
		return '\t';
	if (strlen(s) != 1 || s[0] == '"' || s[0] == '\r' || s[0] == '\n' ||
	    (unsigned char)s[0] >= 0x80)
		return -1;
	return (unsigned char)s[0];
}

/* --shard K/N: 1 <= K <= N <= 1000 (more parts than that is a cluster's job, not ours) */
static void parse_shard(struct tool *t, const char *s)
{
	const char *slash = strchr(s, '/');
	char k[24];

	if (!slash || (size_t)(slash - s) >= sizeof k) {
		fprintf(stderr, "%s: --shard: %s is not K/N (say 2/3: the second of three parts)\n",
		        t->name, diag_qstr(s));
		tool_usage(t, EX_USAGE);
	}
	memcpy(k, s, (size_t)(slash - s));
	k[slash - s] = '\0';
	t->nshard = (unsigned)tool_number(t, "--shard N", slash + 1, 1, 1000);
	t->shard = (unsigned)tool_number(t, "--shard K", k, 1, t->nshard);
	sharded = 1;
}

int tool_shard_mine(const struct tool *t, const char *key, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;     /* FNV-1a: byte order and word size free */
	size_t i;

	if (!t->nshard)
		return 1;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
	return h % t->nshard == t->shard - 1;
}

void tool_put_seq(const struct tool *t, struct csv_writer *w, const uint64_t *seq)
{
	if (t->nshard)
		stream_put_seq(w, seq);
}

long long tool_number(const struct tool *t, const char *opt, const char *s,
                      long long min, long long max)
{
	long long v;
	const char *why;

	if (parse_uint(s, min, max, &v, &why) < 0) {
		fprintf(stderr, "%s: %s: '%s' is %s (allowed %lld-%lld)\n", t->name, opt, s, why,
		        min, max);
		tool_usage(t, EX_USAGE);
	}
	return v;
}

int32_t tool_date(const struct tool *t, const char *opt, const char *s)
{
	int32_t day;

	if (parse_date(s, strlen(s), &day) < 0) {
		diag_warn("%s: %s is not a date (e.g. 2026-11-30)", opt, diag_qstr(s));
		tool_usage(t, EX_USAGE);
	}
	return day;
}

/* ---- the files of the run (salesdesk(7), "Inputs and outputs") ---- */

void tool_add_file(struct tool *t, int dir, const char *opt, const char *path)
{
	struct tool_file *f;

	t->files = tool_grow(t->files, t->nfiles, &t->files_cap, sizeof *t->files);
	f = &t->files[t->nfiles++];
	f->opt = opt;
	f->path = path;
	f->dir = dir;
}

void tool_add_input(struct tool *t, struct tool_files *f, const char *opt, const char *path)
{
	f->v = tool_grow(f->v, f->n, &f->cap, sizeof *f->v);
	f->v[f->n++] = (char *)path;
	tool_add_file(t, TOOL_IN, opt, path);
}

/* What makes two names one file: the device and inode of an existing regular file, or,
 * for a path that does not exist yet, the real path of its folder plus its last part.
 * Other files (a device, a FIFO, a folder) and standard output have none: they are
 * written in place and may be named twice (--rejects /dev/null -o /dev/null). */
struct file_id {
	int kind;               /* 0 none, 1 dev/ino, 2 path */
	dev_t dev;
	ino_t ino;
	char *path;
};

static void file_id(const char *path, int dir, struct file_id *id)
{
	struct stat st;
	char *dirpart, *base, *real;
	int have;

	memset(id, 0, sizeof *id);
	if (!strcmp(path, "-")) {
		if (dir == TOOL_OUT)
			return; /* standard output: the shell opened it, too late to refuse */
		have = fstat(STDIN_FILENO, &st) == 0;
	} else {
		have = stat(path, &st) == 0;
	}
	if (have) {
		if (S_ISREG(st.st_mode)) {
			id->kind = 1;
			id->dev = st.st_dev;
			id->ino = st.st_ino;
		}
		return;
	}
	if (errno != ENOENT)
		return;         /* the open says why, with its own status */
	dirpart = tool_realloc(NULL, strlen(path) + 1);
	strcpy(dirpart, path);
	if ((base = strrchr(dirpart, '/')))
		*base++ = '\0';        /* dirpart is the folder, "" for the root */
	real = realpath(!base ? "." : *dirpart ? dirpart : "/", NULL);
	if (!base)
		base = dirpart;
	if (real) {
		size_t n = strlen(real) + strlen(base) + 2;
		id->path = tool_realloc(NULL, n);
		snprintf(id->path, n, "%s/%s", real, base);
		id->kind = 2;
		free(real);
	}
	sd_free(dirpart);
}

static int same_file(const struct file_id *a, const struct file_id *b)
{
	if (!a->kind || a->kind != b->kind)
		return 0;
	if (a->kind == 1)
		return a->dev == b->dev && a->ino == b->ino;
	return !strcmp(a->path, b->path);
}

/* Every output against every input and every other output, before anything is opened:
 * an output opened over an input would destroy it (salesdesk(7)). */
static void check_files(struct tool *t)
{
	struct file_id *id = tool_alloc(t->nfiles, sizeof *id);
	size_t i, j;

	for (i = 0; i < t->nfiles; i++)
		file_id(t->files[i].path, t->files[i].dir, &id[i]);
	for (i = 0; i < t->nfiles; i++) {
		if (t->files[i].dir != TOOL_OUT)
			continue;
		for (j = 0; j < t->nfiles; j++) {
			const struct tool_file *a = &t->files[i], *b = &t->files[j];
			if (j == i || (b->dir == TOOL_OUT && j < i) || !same_file(&id[i], &id[j]))
				continue;
			fprintf(stderr, "%s: %s %s is the same file as %s %s\n", t->name, a->opt,
			        diag_qstr(a->path), b->opt, diag_qstr(diag_name(b->path)));
			tool_usage(t, EX_USAGE);
		}
	}
	for (i = 0; i < t->nfiles; i++)
		sd_free(id[i].path);
	sd_free(id);
	sd_free(t->files);
	t->files = NULL;
	t->nfiles = t->files_cap = 0;
}

enum { KEY_HELP = 'h', KEY_VERSION = 1000 };

/* An option with one value given a second time is a usage error (salesdesk(7)
 * Invocation): the second value silently replacing the first hid a slip in a script.
 * seen[] holds the keys of the single-valued options met so far, one each. */
static void check_once(const struct tool *t, const struct option *lo, int key, int *seen,
                       size_t *nseen)
{
	const int *m;
	size_t i;

	for (m = t->many; m && *m; m++)
		if (*m == key)
			return;
	while (lo->name && lo->val != key)
		lo++;
	if (!lo->name || !lo->has_arg)
		return;         /* a flag said twice says the same thing */
	for (i = 0; i < *nseen; i++)
		if (seen[i] == key) {
			fprintf(stderr, "%s: option '--%s' given twice (it takes one value)\n",
			        t->name, lo->name);
			tool_usage(t, EX_USAGE);
		}
	seen[(*nseen)++] = key;
}

int tool_parse(struct tool *t, int argc, char **argv,
               int (*own)(struct tool *t, int key, const char *arg))
{
	struct option lo[64];
	char shorts[128];
	int seen[64];
	size_t nl = 0, ns = 0, nseen = 0, i;
	const struct tool_opt *o;
	int c;

	signal(SIGPIPE, SIG_IGN);       /* a closed pipe becomes EPIPE, handled quietly */
	diag_init(t);
	t->delim = ',';
	shorts[ns++] = ':';             /* report missing arguments as ':' */
	shorts[ns++] = 'h';
#define ADD(OPT) do { \
		lo[nl].name = (OPT)->name; lo[nl].has_arg = (OPT)->has_arg; \
		lo[nl].flag = NULL; lo[nl].val = (OPT)->key; nl++; \
		if ((OPT)->key < 256) { \
			shorts[ns++] = (char)(OPT)->key; \
			if ((OPT)->has_arg) shorts[ns++] = ':'; \
		} \
	} while (0)
	for (i = 0; i < sizeof common_opts / sizeof common_opts[0]; i++)
		if (t->common & common_bit[i])
			ADD(&common_opts[i]);
	for (o = t->opts; o && o->name; o++)
		ADD(o);
#undef ADD
	lo[nl++] = (struct option){ "help", 0, NULL, KEY_HELP };
	lo[nl++] = (struct option){ "version", 0, NULL, KEY_VERSION };
	lo[nl] = (struct option){ NULL, 0, NULL, 0 };
	shorts[ns] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c != ':' && c != '?')
			check_once(t, lo, c, seen, &nseen);
		switch (c) {
		case KEY_HELP:
			tool_usage(t, 0);
		case KEY_VERSION:
			printf("%s (salesdesk) %s\n", t->name, SALESDESK_VERSION);
			exit(fflush(stdout) || ferror(stdout) ? EX_IOERR : 0);
		case 'o':
			t->output = optarg;
			tool_add_file(t, TOOL_OUT, "-o", optarg);
			break;
		case 'd':
			if ((t->delim = parse_delim(optarg)) < 0) {
				fprintf(stderr, "%s: -d: %s is not a delimiter (allowed: one ASCII "
				        "character other than a quote, or tab)\n", t->name,
				        diag_qstr(optarg));
				tool_usage(t, EX_USAGE);
			}
			break;
		case 'E':
			if (!csvr_encoding_known(optarg)) {
				fprintf(stderr, "%s: -E: unknown encoding %s (try auto, UTF-8, "
				        "GB18030, GBK, UTF-16)\n", t->name, diag_qstr(optarg));
				tool_usage(t, EX_USAGE);
			}
			t->encoding = optarg;
			break;
		case 'q':
			t->quiet = 1;
			break;
		case 'v':
			t->verbose = 1;
			break;
		case 256 + 'r':
			t->rejects = optarg;
			tool_add_file(t, TOOL_OUT, "--rejects", optarg);
			break;
		case 256 + 'k':
			parse_shard(t, optarg);
			break;
		case 256 + 's':
			t->strict = 1;
			break;
		case 256 + 'x':
			excel = 1;
			break;
		case ':':
			fprintf(stderr, "%s: option %s needs a value\n", t->name,
			        diag_qstr(argv[optind - 1]));
			tool_usage(t, EX_USAGE);
		case '?':
			if (optopt && optopt < 256)
				fprintf(stderr, "%s: unknown option '-%c'\n", t->name, optopt);
			else
				fprintf(stderr, "%s: unknown option %s\n", t->name,
				        diag_qstr(argv[optind - 1]));
			tool_usage(t, EX_USAGE);
		default:
			if (!own || own(t, c, optarg) < 0)
				tool_usage(t, EX_USAGE);
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		tool_add_file(t, TOOL_IN, "input", argv[i]);
	if (optind == argc)
		tool_add_file(t, TOOL_IN, "input", "-");
	check_files(t);
	return optind;
}

/* ---- temporaries of the outputs (salesdesk(7), "Inputs and outputs") ---- */

/* The temporaries not yet committed, for the exit and signal paths to remove.  A tool
 * writes at most five outputs.  The list changes, and temporaries are made and renamed,
 * with the signals blocked: a signal finds every temporary listed, and none that was
 * renamed into place or freed. */
enum { MAX_TEMPS = 8 };
static const char *volatile temps[MAX_TEMPS];
static int temps_armed;

static void remove_temps(void)
{
	size_t i;

	for (i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			unlink(temps[i]);
}

static void on_signal(int sig)
{
	remove_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The first time, the exit and signal paths are set up.  A signal ignored from the start
 * (nohup, a background job) stays ignored. */
static void block_signals(sigset_t *old)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t s;
	size_t i;

	if (!temps_armed) {
		temps_armed = 1;
		atexit(remove_temps);   /* diag_fatal and every other exit() */
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			if (signal(sigs[i], on_signal) == SIG_IGN)
				signal(sigs[i], SIG_IGN);
	}
	sigemptyset(&s);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&s, sigs[i]);
	sigprocmask(SIG_BLOCK, &s, old);
}

static void unblock_signals(const sigset_t *old)
{
	int e = errno;

	sigprocmask(SIG_SETMASK, old, NULL);
	errno = e;
}

static void add_temp(const struct outfile *of)
{
	size_t i;

	if (!of->tmp)
		return;
	for (i = 0; i < MAX_TEMPS && temps[i]; i++)
		;
	if (i == MAX_TEMPS)
		diag_fatal(EX_SOFTWARE, "more than %d outputs", MAX_TEMPS);
	temps[i] = of->tmp;
}

static void drop_temp(const struct outfile *of)
{
	size_t i;

	for (i = 0; of->tmp && i < MAX_TEMPS; i++)
		if (temps[i] == of->tmp)
			temps[i] = NULL;
}

void tool_outfile_track(struct outfile *of)
{
	sigset_t old;

	block_signals(&old);
	add_temp(of);
	unblock_signals(&old);
}

int tool_outfile_open(struct outfile *of, const char *path)
{
	sigset_t old;
	int fd;

	block_signals(&old);
	if ((fd = outfile_open(of, path)) >= 0)
		add_temp(of);
	unblock_signals(&old);
	return fd;
}

int tool_outfile_commit(struct outfile *of)
{
	sigset_t old;
	int st;

	block_signals(&old);
	drop_temp(of);
	st = outfile_commit(of);
	unblock_signals(&old);
	return st;
}

void tool_outfile_discard(struct outfile *of)
{
	sigset_t old;

	block_signals(&old);
	drop_temp(of);
	outfile_discard(of);
	unblock_signals(&old);
}

/* ---- rejects ---- */

/* csvw_open, the temporary registered for removal */
static int open_writer(struct csv_writer *w, const char *path, int delim)
{
	sigset_t old;
	int st;

	block_signals(&old);
	if ((st = csvw_open(w, path, delim)) == 0)
		add_temp(&w->of);
	unblock_signals(&old);
	return st;
}

int rejects_open(struct rejects *rj, const char *path, const struct instream *in, int delim)
{
	memset(rj, 0, sizeof *rj);
	rj->w.fd = -1;
	if (!path)
		return 0;
	if (open_writer(&rj->w, path, delim) < 0) {
		if (errno == ENOMEM)    /* not "cannot create": the callers say that */
			diag_fatal(EX_OSERR, "out of memory");
		return -1;
	}
	rj->open = 1;
	rj->seq_col = sharded;
	if (excel)
		csvw_excel(&rj->w);
	rejects_start(rj, in);
	return 0;
}

void reject_row(const struct tool *t, struct rejects *rj, const char *path,
                const struct csv_record *rec, const struct reason *r)
{
	char code[128], buf[512];
	const char *reason = reason_column(r, code, sizeof code), *detail;

	if (!t->quiet) {
		detail = reason_detail(r, buf, t->detail_size && t->detail_size < sizeof buf ?
		                       t->detail_size : sizeof buf);
		fprintf(stderr, "%s: %s:%ld: rejected: %s%s%s\n", t->name, diag_name(path),
		        rec->line, reason, detail ? ": " : "", detail ? detail : "");
	}
	tool_must(rejects_put(rj, path, rec, reason));
}

/* ---- outputs ---- */

long tool_must(long st)
{
	if (st < 0)
		diag_fatal(EX_OSERR, "out of memory");
	return st;
}

void *tool_must_ptr(void *p)
{
	if (!p)
		diag_fatal(EX_OSERR, "out of memory");
	return p;
}

void *tool_realloc(void *p, size_t size)
{
	return tool_must_ptr(sd_realloc(p, size ? size : 1));
}

void *tool_alloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n ? n : 1, size, &bytes))
		diag_fatal(EX_OSERR, "out of memory");
	return memset(tool_realloc(NULL, bytes), 0, bytes);
}

size_t *tool_passthrough(const struct instream *in, const char *const *out_names, size_t n,
                         size_t *npass)
{
	size_t *pass = tool_realloc(NULL, (in->hdr_nf + 1) * sizeof *pass);

	*npass = hdrmap_passthrough(&in->map, out_names, n, pass);
	return pass;
}

void *tool_grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	if (!*cap)
		*cap = 256;
	while (*cap <= n)
		*cap *= 2;
	return tool_must_ptr(sd_realloc(v, *cap * size));
}

void tool_open_output(struct csv_writer *w, const char *path, int delim)
{
	if (open_writer(w, path, delim) < 0) {
		if (errno == ENOMEM)    /* the buffer, for standard output (path NULL) too */
			diag_fatal(EX_OSERR, "out of memory");
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(path), strerror(errno));
	}
	if (excel)
		csvw_excel(w);
}

int tool_output_gone(struct csv_writer *const *ws, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ws[i] && csvw_status(ws[i]))
			return 1;
	return 0;
}

int tool_finish(int rc, struct csv_writer *const *ws, size_t n)
{
	int all = 0, renamed = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		int st;
		if (!ws[i] || ws[i]->fd < 0)
			continue;
		st = csvw_close(ws[i]);
		if (st & CSVW_FAILED)
			diag_warn("cannot write %s: %s", ws[i]->name, strerror(ws[i]->err));
		all |= st;
	}
	/* A write failed, or the reader went away and the run stopped early: no file is
	 * whole, none replaces the earlier one. */
	for (i = 0; i < n; i++) {
		if (!ws[i])
			continue;
		if (all || !renamed) {
			tool_outfile_discard(&ws[i]->of);
		} else if (tool_outfile_commit(&ws[i]->of) < 0) {
			diag_warn("cannot replace %s: %s (the earlier file is kept)",
			          diag_qstr(ws[i]->name), strerror(errno));
			renamed = 0;
		}
	}
	if (all & CSVW_FAILED)
		return EX_IOERR;
	if (!renamed)
		return EX_CANTCREAT;
	return (all & CSVW_EPIPE) ? 0 : rc;    /* the reader went away: quiet 0 */
}

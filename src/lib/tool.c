#include "tool.h"

#include "num.h"
#include "strmap.h"

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
static int quiet;
/* --excel: applies to every CSV the tool opens (outputs and rejects), so it is kept here
 * beside quiet rather than passed through every tool's open calls */
static int excel;
static int sharded;             /* --shard: the rejects carry seq too */

void sd_seterr(struct sd_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void sd_adderr(struct sd_err *e, int code, const char *fmt, ...)
{
	size_t len = strlen(e->msg);
	va_list ap;

	e->code = code;
	if (len && len + 1 < sizeof e->msg)
		e->msg[len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(e->msg + len, sizeof e->msg - len, fmt, ap);
	va_end(ap);
}

int sd_vbad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
                const char *fmt, va_list ap)
{
	char what[1024];

	if (++*nbad > SD_MAX_BAD)
		return -1;
	vsnprintf(what, sizeof what, fmt, ap);
	sd_adderr(e, EX_DATAERR, "%s:%ld: %s", name, line, what);
	return -1;
}

int sd_bad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
               const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_vbad_row(e, nbad, name, line, fmt, ap);
	va_end(ap);
	return -1;
}

int sd_bad_end(struct sd_err *e, size_t nbad, const char *name)
{
	if (nbad > SD_MAX_BAD)
		sd_adderr(e, EX_DATAERR, "%s: and %zu more bad rows", name, nbad - SD_MAX_BAD);
	return nbad ? -1 : 0;
}

/* ---- diagnostics ---- */

static void diag_init(const struct tool *t)
{
	progname = t->name;
	quiet = t->quiet;
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

/* The length of b[0..k) without a character cut off at its end, so that a shortened
 * value stays UTF-8 (a message is one readable line, salesdesk(7)). */
static size_t utf8_cut(const char *b, size_t k)
{
	size_t p = k;
	unsigned char c;

	while (p > 0 && ((unsigned char)b[p - 1] & 0xC0) == 0x80)
		p--;
	if (p == 0 || (c = (unsigned char)b[p - 1]) < 0xC0)
		return k;
	return k - (p - 1) < (size_t)(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2) ? p - 1 : k;
}

const char *diag_quote(const char *s, size_t n)
{
	static char ring[4][256];
	static int next;
	char *b = ring[next++ & 3];
	size_t i, k = 0;

	b[k++] = '\'';
	for (i = 0; i < n && k < sizeof ring[0] - 8; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
			k += (size_t)snprintf(b + k, 8, c == '\'' ? "\\'" : c == '\\' ? "\\\\" :
			                      c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" :
			                      "\\x%02x", c);
		} else {
			b[k++] = (char)c;
		}
	}
	if (i < n) {
		k = utf8_cut(b, k);
		memcpy(b + k, "...", 3);
		k += 3;
	}
	b[k++] = '\'';
	b[k] = '\0';
	return b;
}

const char *diag_qstr(const char *s)
{
	return diag_quote(s, strlen(s));
}

const char *diag_name(const char *path)
{
	return !path || !strcmp(path, "-") ? "<stdin>" : path;
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
	char b[24];

	if (!t->nshard)
		return;
	if (!seq)
		csvw_str(w, "seq");
	else
		csvw_plain(w, b, (size_t)snprintf(b, sizeof b, "%llu", (unsigned long long)*seq));
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
			quiet = 1;
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

/* ---- input stream ---- */

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
	size_t i;

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
	if (excel)
		csvw_excel(&rj->w);
	if (sharded)
		csvw_str(&rj->w, "seq");
	for (i = 0; i < in->hdr_nf; i++)
		csvw_field(&rj->w, in->hdr[i].s, in->hdr[i].n);
	csvw_str(&rj->w, "reject_file");
	csvw_str(&rj->w, "reject_line");
	csvw_str(&rj->w, "reject_reason");
	csvw_endrow(&rj->w);
	return 0;
}

void reject_row(const struct tool *t, struct rejects *rj, const char *path,
                const struct csv_record *rec, const char *reason, const char *detail)
{
	char num[24];
	size_t i;

	rj->count++;
	if (!t->quiet)
		fprintf(stderr, "%s: %s:%ld: rejected: %s%s%s\n", t->name, diag_name(path),
		        rec->line, reason, detail ? ": " : "", detail ? detail : "");
	if (!rj->open)
		return;
	tool_put_seq(t, &rj->w, &rj->seq);
	for (i = 0; i < rec->nf; i++)
		tool_must(csvw_field_lossy(&rj->w, rec->f[i].s, rec->f[i].n));
	/* the file as named on the command line: line 75 of which file (salesdesk(7)) */
	csvw_str(&rj->w, path);
	fmt_int(num, rec->line);
	csvw_str(&rj->w, num);
	csvw_str(&rj->w, reason);
	csvw_endrow(&rj->w);
}

/* ---- outputs ---- */

void tool_write_header(struct csv_writer *w, const char *const *names, size_t n,
                       const struct instream *in, const size_t *pass, size_t npass)
{
	size_t i;

	for (i = 0; i < n; i++)
		csvw_str(w, names[i]);
	for (i = 0; i < npass; i++)
		csvw_field(w, in->hdr[pass[i]].s, in->hdr[pass[i]].n);
	csvw_endrow(w);
}

const char *instream_malformed(const struct instream *in, const struct csv_record *rec)
{
	if (rec->bad_encoding)
		return "bad_encoding";
	return in->raw_nf != in->file[in->cur].nf ? "field_count" : NULL;
}

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

#include "csvread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BLOCK = 64 * 1024 };

static int keep_space(unsigned char c)
{
	(void)c;
	return 0;       /* libcsv would otherwise trim unquoted fields */
}

/* Bytes that need a look while a field is copied: NUL, CR, LF and non-ASCII; NUL, CR
 * and LF only when every byte parsed is known to be UTF-8 already (start); a reader that
 * passes its bytes through has its own table (csvr_pass_bytes). */
static unsigned char special[256], special_utf8[256];

static void init_special(void)
{
	int c;

	if (special['\n'])
		return;
	special[0] = special['\r'] = special['\n'] = 1;
	special_utf8[0] = special_utf8['\r'] = special_utf8['\n'] = 1;
	for (c = 0x80; c < 0x100; c++)
		special[c] = 1;
}

/* Length of the valid UTF-8 sequence at s (0 if invalid or truncated). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return c ? 1 : 0;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;       /* overlong, surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (u[i] && u[i] < 0x80) {
			i++;
			continue;
		}
		if (!(k = utf8_seq(u + i, n - i)))
			return 0;
		i += k;
	}
	return 1;
}

int field_eq(struct csv_field f, const char *s)
{
	size_t n = strlen(s);
	return f.n == n && memcmp(f.s, s, n) == 0;
}

/* ---- libcsv callbacks: they cannot return an error, so they latch one ---- */

static void latch_oom(struct csv_reader *r)
{
	if (!r->err_msg[0]) {
		r->err_line = r->line;
		snprintf(r->err_msg, sizeof r->err_msg, "out of memory");
	}
}

static void on_field(void *data, size_t n, void *ctx)
{
	struct csv_reader *r = ctx;
	const unsigned char *s = data, *look = r->special;
	size_t i, k;

	if (r->err_msg[0])
		return;         /* out of memory latched: see on_record */
	if (r->cur_nf == 0)
		r->rec_line = r->line;
	if (r->nfield == r->capfield) {
		size_t cap = r->capfield ? r->capfield * 2 : 64;
		size_t *a = sd_realloc(r->foff, cap * sizeof *a);
		size_t *b = a ? sd_realloc(r->flen, cap * sizeof *b) : NULL;
		if (a)
			r->foff = a;
		if (!b) {
			latch_oom(r);
			return;
		}
		r->flen = b;
		r->capfield = cap;
	}
	r->foff[r->nfield] = r->fields.len;
	r->flen[r->nfield] = n;
	/* sbuf_grow only when the field and two NULs do not fit: the call per field was
	 * a tenth of the reader's time */
	if (r->fields.cap - r->fields.len < n + 2 && sbuf_grow(&r->fields, n + 1) < 0) {
		latch_oom(r);
		return;
	}
	memcpy(r->fields.buf + r->fields.len, s, n);    /* the field and its NUL, one grow */
	r->fields.buf[r->fields.len + n] = '\0';        /* fields are C strings (csvread.h) */
	r->fields.len += n + 1;
	r->fields.buf[r->fields.len] = '\0';
	r->nfield++;
	r->cur_nf++;
	/* count quoted newlines (CRLF once, lone CR once) and check the encoding */
	for (i = 0; i < n; i++) {
		/* four plain bytes a step (plain C, no SIMD): most fields are ASCII */
		while (i + 4 <= n && !(look[s[i]] | look[s[i + 1]] | look[s[i + 2]] | look[s[i + 3]]))
			i += 4;
		if (i >= n)
			break;
		if (!look[s[i]])
			continue;
		if (s[i] == '\n') {
			r->line++;
			r->cur_quote = 1;
		} else if (s[i] == '\r') {
			if (i + 1 >= n || s[i + 1] != '\n')
				r->line++;
			r->cur_quote = 1;
		} else if (r->pass_bytes) {
			r->cur_quote = 1;       /* a quote or the delimiter */
		} else if (s[i] == 0) {
			r->cur_bad = 1;
		} else if (!(k = utf8_seq(s + i, n - i))) {
			r->cur_bad = 1;
		} else {
			i += k - 1;
		}
	}
}

static void on_record(int c, void *ctx)
{
	struct csv_reader *r = ctx;

	/* After an allocation failed, libcsv goes on through the block: a record then could
	 * lack a field, and the records parsed before the failure are handed out. */
	if (r->err_msg[0])
		return;
	if (r->cur_nf > 0) {
		if (r->nrec == r->caprec) {
			size_t cap = r->caprec ? r->caprec * 2 : 64;
			struct csvr_pending *p = sd_realloc(r->recs, cap * sizeof *p);
			if (!p) {
				latch_oom(r);
				return;
			}
			r->recs = p;
			r->caprec = cap;
		}
		r->recs[r->nrec].first = r->nfield - r->cur_nf;
		r->recs[r->nrec].nf = r->cur_nf;
		r->recs[r->nrec].line = r->rec_line;
		r->recs[r->nrec].bad = r->cur_bad;
		r->recs[r->nrec].plain = r->pass_bytes && !r->cur_quote;
		r->nrec++;
	} else if (c == '\n' && r->pending_cr) {
		r->pending_cr = 0;      /* the LF of a CRLF: same line */
		return;
	}
	r->cur_nf = 0;
	r->cur_bad = 0;
	r->cur_quote = 0;
	if (c == '\r' || c == '\n')
		r->line++;
	r->pending_cr = c == '\r';
}

/* ---- encodings ---- */

int csvr_encoding_known(const char *name)
{
	iconv_t cd;

	if (!name || !strcasecmp(name, "auto"))
		return 1;
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

static int is_utf8_name(const char *e)
{
	return !strcasecmp(e, "UTF-8") || !strcasecmp(e, "UTF8");
}

static int set_iconv(struct csv_reader *r, const char *name)
{
	snprintf(r->enc, sizeof r->enc, "%s", name);
	if (is_utf8_name(name))
		return 0;
	r->cd = iconv_open("UTF-8", name);
	if (r->cd == (iconv_t)-1)
		return -1;
	r->unit = strstr(name, "32") ? 4 : strstr(name, "16") || strcasestr(name, "UCS-2") ? 2 : 1;
	return 0;
}

/* The first invalid UTF-8 byte of s[0..n), or n.  A sequence cut off by the end is
 * fine unless at_eof; its length is left in *tail for the next block to complete.  NUL
 * bytes do not count: they are bad_encoding in any encoding (looks_utf8). */
static size_t utf8_first_bad(const unsigned char *s, size_t n, int at_eof, size_t *tail)
{
	size_t i = 0, k;

	*tail = 0;
	while (i < n) {
		uint64_t w;
		/* eight ASCII bytes a step: this reads every byte of every input file */
		if (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u))) {
			i += 8;
			continue;
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(s + i, n - i))) {
			i += k;
			continue;
		}
		if (!at_eof && n - i < 4) {
			/* maybe cut by the block: the caller keeps it for the next one */
			*tail = n - i;
			return n;
		}
		return i;
	}
	return n;
}

/* Valid UTF-8 except perhaps a sequence cut off by the end of the block.  A NUL byte
 * does not decide the encoding: it is its record's bad_encoding in either, while taking
 * it for GB18030 would silently garble every UTF-8 Chinese field of the file. */
static int looks_utf8(const unsigned char *s, size_t n, int at_eof)
{
	size_t tail;

	return utf8_first_bad(s, n, at_eof, &tail) == n;
}

/* A regular file is decided on all of its bytes (salesdesk(7) Encodings): a GB18030 file
 * whose first 64 KiB are ASCII is still GB18030.  Checking UTF-8 is far cheaper than
 * parsing, and pread leaves the read position alone.  -1 on a read error. */
static int file_is_utf8(int fd)
{
	unsigned char buf[BLOCK + 4];
	size_t have = 0, tail;
	off_t off = 0;
	ssize_t k;

	for (;;) {
		do
			k = pread(fd, buf + have, BLOCK, off);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return -1;
		off += k;
		have += (size_t)k;
		if (utf8_first_bad(buf, have, k == 0, &tail) != have)
			return 0;
		if (k == 0)
			return 1;
		memmove(buf, buf + have - tail, tail);  /* a sequence cut by the block */
		have = tail;
	}
}

/* The delimiter of a master or reference file (csvr_open with delim 0): the most
 * frequent of comma, semicolon and tab outside quotes on the header line; comma when
 * none.  These bytes never occur inside a GB18030 character, so the raw bytes do. */
static int detect_delim(const char *s, size_t n)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t count[3] = { 0, 0, 0 }, i, k, best = 0;
	int quoted = 0;

	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (k = 0; k < 3 && !quoted; k++)
			count[k] += s[i] == cand[k];
	}
	for (k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

/* First block: drop a BOM and, for "auto", choose the encoding. */
static int start(struct csv_reader *r, int at_eof)
{
	const unsigned char *s = (const unsigned char *)r->raw.buf;
	size_t n = r->raw.len, skip = 0;
	const char *enc = NULL;
	struct stat st;
	int proven = 0;         /* every byte to parse is checked UTF-8 (but for NULs) */

	r->started = 1;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		skip = 3;
		enc = "UTF-8";
	} else if (n >= 4 && !memcmp(s, "\xFF\xFE\0\0", 4)) {
		skip = 4;
		enc = "UTF-32LE";
	} else if (n >= 4 && !memcmp(s, "\0\0\xFE\xFF", 4)) {
		skip = 4;
		enc = "UTF-32BE";
	} else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		skip = 2;
		enc = "UTF-16LE";
	} else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		skip = 2;
		enc = "UTF-16BE";
	}
	if (!r->detect) {
		/* an explicit encoding: only a UTF-8 BOM on UTF-8 input is dropped here;
		 * iconv's own UTF-16 and UTF-32 read their BOM themselves */
		skip = (skip == 3 && is_utf8_name(r->enc)) ? 3 : 0;
		enc = NULL;
	} else if (!enc && !looks_utf8(s, n, at_eof)) {
		enc = "GB18030";
	} else if (!enc && !at_eof && fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		int u = file_is_utf8(r->fd);
		if (u < 0)
			return -1;
		enc = u ? "UTF-8" : "GB18030";
		proven = u;
	} else if (!enc) {
		enc = "UTF-8";
		r->guessed = !at_eof;   /* a pipe: a later byte may contradict it (fill) */
		proven = 1;             /* all of it checked now, or each block before parsing */
	}
	/* A field of valid UTF-8 text is valid UTF-8 (its ends are ASCII bytes): on_field
	 * then looks for NUL bytes only, not at every Chinese character again. */
	if (proven && !r->pass_bytes)
		r->special = special_utf8;
	/* a UTF-8 BOM is what --excel writes: its cells may carry the formula mark */
	r->excel_marks = skip == 3;
	if (skip) {
		memmove(r->raw.buf, r->raw.buf + skip, n - skip);
		r->raw.len -= skip;
	}
	if (!r->delim)
		r->delim = detect_delim(r->raw.buf, r->raw.len);
	if (r->pass_bytes)
		r->pass['"'] = r->pass[(unsigned char)r->delim] = 1;
	csv_set_delim(&r->p, (unsigned char)r->delim);
	if (enc && set_iconv(r, enc) < 0)
		return -1;
	return 0;
}

/* Convert r->raw into r->conv; keeps an incomplete tail unless at_eof.  Invalid input
 * becomes one 0xFF byte per skipped code unit. */
static int convert(struct csv_reader *r, int at_eof)
{
	char *in = r->raw.buf;
	size_t inleft = r->raw.len;

	sbuf_reset(&r->conv);
	while (inleft > 0) {
		char *out;
		size_t outleft, room = inleft * 4 + 16;

		if (sbuf_grow(&r->conv, room) < 0)
			return -1;
		out = r->conv.buf + r->conv.len;
		outleft = room;
		if (iconv(r->cd, &in, &inleft, &out, &outleft) != (size_t)-1) {
			r->conv.len = (size_t)(out - r->conv.buf);
			break;
		}
		r->conv.len = (size_t)(out - r->conv.buf);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !at_eof)
			break;          /* incomplete sequence: wait for more bytes */
		/* EILSEQ, or an incomplete sequence at the end of input */
		{
			size_t skip = (size_t)r->unit < inleft ? (size_t)r->unit : inleft;
			if (sbuf_addch(&r->conv, 0xFF) < 0)
				return -1;
			in += skip;
			inleft -= skip;
		}
	}
	r->conv.buf[r->conv.len] = '\0';
	memmove(r->raw.buf, in, inleft);
	r->raw.len = inleft;
	return 0;
}

/* [+-]digits[.digits]: a number Excel may read as one, never a formula. */
static int plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (digits && i < n && s[i] == '.') {
		size_t frac = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == frac)
			return 0;
	}
	return digits && i == n;
}

int cell_formula_like(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '\'')
		i++;
	if (i == n || s[i] == '\0' || !strchr("=+-@\t\r", s[i]))
		return 0;
	return i > 0 || !plain_number(s, n);
}

/* ---- reading ---- */

int csvr_open(struct csv_reader *r, const char *path, int delim, const char *encoding)
{
	memset(r, 0, sizeof *r);
	sbuf_init(&r->raw);
	sbuf_init(&r->conv);
	sbuf_init(&r->fields);
	init_special();
	r->cd = (iconv_t)-1;
	r->unit = 1;
	r->line = 1;
	r->special = special;
	r->delim = delim;       /* 0: decided from the header line (start) */
	if (!encoding || !strcasecmp(encoding, "auto")) {
		r->detect = 1;
		snprintf(r->enc, sizeof r->enc, "auto");
	} else {
		if (set_iconv(r, encoding) < 0) {
			errno = EINVAL;
			return -1;
		}
	}
	if (!path || !strcmp(path, "-")) {
		r->fd = 0;
	} else {
		struct stat st;
		r->fd = open(path, O_RDONLY);
		/* a directory opens but cannot be read: refuse it here, as "cannot open" */
		if (r->fd >= 0 && fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(r->fd);
			r->fd = -1;
			errno = EISDIR;
		}
		if (r->fd < 0) {
			int e = errno;
			if (r->cd != (iconv_t)-1)
				iconv_close(r->cd);
			errno = e;
			return -1;
		}
		r->own_fd = 1;
	}
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL)) {
		errno = ENOMEM;
		return -1;
	}
	csv_set_space_func(&r->p, keep_space);
	csv_set_realloc_func(&r->p, sd_realloc);
	csv_set_free_func(&r->p, sd_free);
	return 0;
}

static int fail_parse(struct csv_reader *r, size_t got)
{
	if (!r->err_msg[0]) {
		r->err_line = r->line;
		snprintf(r->err_msg, sizeof r->err_msg,
		         "malformed CSV: a quote inside an unquoted field, or text after a "
		         "closing quote (byte %llu)", (unsigned long long)(r->offset + got + 1));
	}
	return CSVR_ERROR;
}

/* Whether bytes that broke UTF-8 read as GB18030 (up to the end of their line). */
static int seems_gb18030(const char *s, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char out[1024], *in = (char *)s, *o = out;
	size_t inleft = n < 256 ? n : 256, outleft = sizeof out, k;
	int ok;

	if (cd == (iconv_t)-1)
		return 0;
	for (k = 0; k < inleft; k++)
		if (s[k] == '\n')
			inleft = k;
	ok = iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1 || errno == EINVAL;
	iconv_close(cd);
	return ok;
}

/* A pipe taken for UTF-8 on its first 64 KiB (start) cannot be read again: an invalid
 * byte later means the guess was wrong, which is an error that says what to do rather
 * than every later Chinese row rejected bad_encoding (salesdesk(7) Encodings).  Returns
 * the bytes that may be parsed: a sequence cut by the block waits in r->raw. */
static size_t check_guess(struct csv_reader *r, size_t *tail)
{
	const char *s = r->raw.buf;
	size_t n = r->raw.len, bad = utf8_first_bad((const unsigned char *)s, n, r->eof, tail), i;

	if (bad == n)
		return n - *tail;
	r->err_line = r->line;
	for (i = 0; i < bad; i++)
		r->err_line += s[i] == '\n';
	snprintf(r->err_msg, sizeof r->err_msg, "not valid UTF-8, though the first 64 KiB "
	         "were: the input seems to be %s", seems_gb18030(s + bad, n - bad) ?
	         "GB18030 (read it with -E GB18030)" : "in another encoding (give it with -E)");
	return (size_t)-1;
}

/* Parse one more block into the pending records. */
static int fill(struct csv_reader *r)
{
	const char *data;
	size_t n, got, tail = 0;
	ssize_t k;

	if (sbuf_grow(&r->raw, BLOCK) < 0) {
		latch_oom(r);
		return CSVR_ERROR;
	}
	/* the first block should be a whole 64 KiB for detection, unless the input ends */
	do {
		do
			k = read(r->fd, r->raw.buf + r->raw.len, BLOCK - (r->raw.len % BLOCK));
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			r->err_errno = errno;
			return CSVR_ERROR;
		}
		r->raw.len += (size_t)k;
		r->raw.buf[r->raw.len] = '\0';
		if (k == 0)
			r->eof = 1;
	} while (!r->started && !r->eof && r->raw.len < BLOCK);
	if (!r->started && start(r, r->eof) < 0) {
		r->err_errno = errno;
		return CSVR_ERROR;
	}
	if (r->cd != (iconv_t)-1) {
		if (convert(r, r->eof) < 0) {
			latch_oom(r);
			return CSVR_ERROR;
		}
		data = r->conv.buf;
		n = r->conv.len;
	} else if (r->guessed) {
		data = r->raw.buf;
		if ((n = check_guess(r, &tail)) == (size_t)-1)
			return CSVR_ERROR;
	} else {
		data = r->raw.buf;
		n = r->raw.len;
	}
	got = csv_parse(&r->p, data, n, on_field, on_record, r);
	if (r->err_msg[0])
		return CSVR_ERROR;
	if (got != n)
		return fail_parse(r, got);
	r->offset += n;
	if (r->cd == (iconv_t)-1) {
		memmove(r->raw.buf, r->raw.buf + n, tail);
		r->raw.len = tail;
	}
	if (r->eof) {
		long start_line = r->line;
		if (csv_fini(&r->p, on_field, on_record, r) != 0) {
			r->err_line = start_line;
			snprintf(r->err_msg, sizeof r->err_msg,
			         "malformed CSV: quoted field not closed before the end of the input");
			return CSVR_ERROR;
		}
		if (r->err_msg[0])
			return CSVR_ERROR;
		r->finished = 1;
	}
	return CSVR_RECORD;
}

void csvr_pass_bytes(struct csv_reader *r)
{
	r->pass_bytes = 1;
	r->pass['\r'] = r->pass['\n'] = 1;    /* the quote and the delimiter: start() */
	r->special = r->pass;
}

int csvr_next(struct csv_reader *r, struct csv_record *rec)
{
	struct csvr_pending *p;
	size_t i;

	while (r->nextrec >= r->nrec) {
		/* the records parsed before a failure are handed out first */
		if (r->failed)
			return CSVR_ERROR;
		/* all handed out: reuse the buffers */
		r->nextrec = r->nrec = 0;
		if (r->cur_nf == 0) {
			r->nfield = 0;
			sbuf_reset(&r->fields);
		}
		if (r->finished)
			return CSVR_EOF;
		if (fill(r) == CSVR_ERROR)
			r->failed = 1;
	}
	p = &r->recs[r->nextrec++];
	if (p->nf > r->capout) {
		struct csv_field *o = sd_realloc(r->out, p->nf * sizeof *o);
		if (!o) {
			latch_oom(r);
			return CSVR_ERROR;
		}
		r->out = o;
		r->capout = p->nf;
	}
	for (i = 0; i < p->nf; i++) {
		r->out[i].s = r->fields.buf + r->foff[p->first + i];
		r->out[i].n = r->flen[p->first + i];
		if (r->excel_marks && r->out[i].n > 1 && r->out[i].s[0] == '\'' &&
		    cell_formula_like(r->out[i].s + 1, r->out[i].n - 1)) {
			r->out[i].s++;
			r->out[i].n--;
		}
	}
	rec->f = r->out;
	rec->nf = p->nf;
	rec->line = p->line;
	rec->bad_encoding = p->bad;
	r->plain = p->plain;
	return CSVR_RECORD;
}

void csvr_close(struct csv_reader *r)
{
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	r->cd = (iconv_t)-1;
	csv_free(&r->p);
	sbuf_release(&r->raw);
	sbuf_release(&r->conv);
	sbuf_release(&r->fields);
	sd_free(r->foff);
	sd_free(r->flen);
	sd_free(r->recs);
	sd_free(r->out);
	r->foff = r->flen = NULL;
	r->recs = NULL;
	r->out = NULL;
}

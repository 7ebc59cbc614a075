#include "csvwrite.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "sbuf.h"

enum { WBUF = 64 * 1024 };

int csvw_open(struct csv_writer *w, const char *path, int delim)
{
	memset(w, 0, sizeof *w);
	w->fd = -1;
	w->delim = delim ? delim : ',';
	w->first = 1;
	w->quote[(unsigned char)w->delim] = w->quote['"'] = w->quote['\r'] = w->quote['\n'] = 1;
	w->delim_plain = (w->delim >= '0' && w->delim <= '9') ||
	                 (w->delim >= 'A' && w->delim <= 'Z') ||
	                 (w->delim >= 'a' && w->delim <= 'z') || strchr(".-+:/%_ ", w->delim);
	w->buf = sd_realloc(NULL, WBUF);
	if (!w->buf) {
		errno = ENOMEM;
		return -1;
	}
	w->cap = WBUF;
	if (!path || !strcmp(path, "-")) {
		w->fd = 1;
		w->name = "standard output";
	} else {
		w->fd = outfile_open(&w->of, path);
		if (w->fd < 0) {
			int e = errno;
			sd_free(w->buf);
			w->buf = NULL;
			errno = e;
			return -1;
		}
		w->own_fd = 1;
		w->name = path;
	}
	return 0;
}

int csvw_flush(struct csv_writer *w)
{
	size_t off = 0;

	if (w->err) {
		w->len = 0;
		return -1;
	}
	while (off < w->len) {
		ssize_t k = write(w->fd, w->buf + off, w->len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->err = k < 0 ? errno : EIO;
			w->len = 0;
			return -1;
		}
		off += (size_t)k;
	}
	w->len = 0;
	return 0;
}

static void put(struct csv_writer *w, const char *s, size_t n)
{
	while (n > 0) {
		size_t room = w->cap - w->len, k = n < room ? n : room;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		if (w->len == w->cap && csvw_flush(w) < 0)
			return;
	}
}

static inline void putch(struct csv_writer *w, char c)
{
	if (w->len == w->cap && csvw_flush(w) < 0)
		return;
	w->buf[w->len++] = c;
}

/* Four table looks per step, or'ed: one branch per four bytes instead of one a byte
 * (plain C, no SIMD; the fields average about nine bytes). */
static int needs_quotes(const struct csv_writer *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s, *q = w->quote;
	size_t i;

	for (i = 0; i + 4 <= n; i += 4)
		if (q[u[i]] | q[u[i + 1]] | q[u[i + 2]] | q[u[i + 3]])
			return 1;
	for (; i < n; i++)
		if (q[u[i]])
			return 1;
	return 0;
}

/* The field needs no quotes.  The common case, a field that fits, goes straight into the
 * buffer. */
static inline void put_unquoted(struct csv_writer *w, const char *s, size_t n)
{
	if (n < w->cap - w->len) {
		char *d = w->buf + w->len;
		if (!w->first)
			*d++ = (char)w->delim;
		memcpy(d, s, n);
		w->len = (size_t)(d + n - w->buf);
		w->first = 0;
		return;
	}
	if (!w->first)
		putch(w, (char)w->delim);
	w->first = 0;
	put(w, s, n);
}

void csvw_excel(struct csv_writer *w)
{
	w->excel = 1;
	put(w, "\xEF\xBB\xBF", 3);
}

/* A formula-like cell in an --excel writer: Excel reads a quoted cell that starts with
 * an apostrophe as text, and our reader drops the apostrophe again. */
static int excel_mark(const struct csv_writer *w, const char *s, size_t n)
{
	return w->excel && n && cell_formula_like(s, n);
}

void csvw_field(struct csv_writer *w, const char *s, size_t n)
{
	int mark = excel_mark(w, s, n);

	if (!mark && !needs_quotes(w, s, n)) {
		put_unquoted(w, s, n);
		return;
	}
	if (!w->first)
		putch(w, (char)w->delim);
	w->first = 0;
	putch(w, '"');
	if (mark)
		putch(w, '\'');
	for (;;) {
		const char *q = memchr(s, '"', n);
		size_t k = q ? (size_t)(q - s) + 1 : n;
		put(w, s, k);
		if (!q)
			break;
		putch(w, '"');          /* double the quote */
		s += k;
		n -= k;
	}
	putch(w, '"');
}

void csvw_plain(struct csv_writer *w, const char *s, size_t n)
{
	if (w->delim_plain || w->excel)
		csvw_field(w, s, n);
	else
		put_unquoted(w, s, n);
}

void csvw_encoded(struct csv_writer *w, const char *s, size_t n)
{
	put_unquoted(w, s, n);
}

int csvw_encode(const struct csv_writer *w, struct sbuf *out, const char *s, size_t n)
{
	int mark = excel_mark(w, s, n);
	size_t i;

	if (!mark && !needs_quotes(w, s, n))
		return sbuf_add(out, s, n);
	if (sbuf_addch(out, '"') < 0 || (mark && sbuf_addch(out, '\'') < 0))
		return -1;
	for (i = 0; i < n; i++)
		if ((s[i] == '"' && sbuf_addch(out, '"') < 0) || sbuf_addch(out, s[i]) < 0)
			return -1;
	return sbuf_addch(out, '"');
}

void csvw_str(struct csv_writer *w, const char *s)
{
	csvw_field(w, s, strlen(s));
}

int csvw_field_lossy(struct csv_writer *w, const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	size_t i = 0;
	int st = 0;

	if (utf8_valid(s, n)) {
		csvw_field(w, s, n);
		return 0;
	}
	while (i < n && st == 0) {
		size_t k = 1;
		while (k <= 4 && i + k <= n && !utf8_valid(s + i, k))
			k++;
		if (k <= 4 && i + k <= n && s[i] != 0) {
			st = sbuf_add(&sb, s + i, k);
			i += k;
		} else {
			st = sbuf_addstr(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	if (st == 0)
		csvw_field(w, sb.buf, sb.len);
	sbuf_release(&sb);
	return st;
}

void csvw_endrow(struct csv_writer *w)
{
	if (w->excel)
		putch(w, '\r');
	putch(w, '\n');
	w->first = 1;
	w->rows++;
}

int csvw_status(const struct csv_writer *w)
{
	if (!w->err)
		return 0;
	return w->err == EPIPE ? CSVW_EPIPE : CSVW_FAILED;
}

int csvw_close(struct csv_writer *w)
{
	int st;

	if (w->fd < 0)
		return 0;
	csvw_flush(w);
	if (w->own_fd) {
		if (fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS && !w->err)
			w->err = errno;
		if (close(w->fd) < 0 && !w->err)
			w->err = errno;
	}
	w->fd = -1;
	st = csvw_status(w);
	sd_free(w->buf);
	w->buf = NULL;
	return st;
}

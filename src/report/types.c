/* report's column typing (report(1), Column types): a cell read as a number or a date
 * the way a clerk writes it, each column's type decided by the many after pass 1, and
 * the display widths of text. */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "num.h"
#include "report.h"

/* The length of the UTF-8 sequence that starts with c (the input is valid UTF-8: pass 1
 * refuses anything else). */
size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Display width: East Asian wide characters count as two, others as one. */
size_t text_width(const char *s, size_t n, size_t *chars)
{
	size_t i = 0, w = 0, nc = 0;

	while (i < n && !((unsigned char)s[i] & 0x80))
		i++;
	if (i == n) {           /* ASCII, the common case: one column per byte */
		if (chars)
			*chars = n;
		return n;
	}
	w = nc = i;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp;
		int len = (int)u8len(c);
		if (i + (size_t)len > n)
			len = (int)(n - i);
		cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) << 6 | ((unsigned char)s[i + 1] & 0x3Fu)
		   : len == 3 ? (c & 0x0Fu) << 12 | ((unsigned char)s[i + 1] & 0x3Fu) << 6 |
		                ((unsigned char)s[i + 2] & 0x3Fu)
		   : (c & 0x07u) << 18 | ((unsigned char)s[i + 1] & 0x3Fu) << 12 |
		     ((unsigned char)s[i + 2] & 0x3Fu) << 6 | ((unsigned char)s[i + 3] & 0x3Fu);
		w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		     (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		     (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000 ? 2 : 1;
		nc += cp >= 0x10000 ? 2 : 1;    /* Excel counts UTF-16 units */
		i += (size_t)len;
	}
	if (chars)
		*chars = nc;
	return w;
}

/* The ASCII of a number as a clerk writes it (report(1), Column types): full-width
 * digits and signs as typed by a Chinese input method; in money columns also a
 * currency sign, a trailing 元 and the accountant's (2.00) for -2.00.  Returns the
 * length in a, or -1 when the text is too long to be a number. */
static int ascii_number(const char *s, size_t n, enum hdr_kind k, char *a, size_t size)
{
	size_t i = 0, m = 0;
	int paren = 0;

	if (k == HK_MONEY && n >= 3 && !memcmp(s + n - 3, "\xE5\x85\x83", 3))    /* 元 */
		n -= 3;
	if (k == HK_MONEY && n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		paren = 1;
		s++;
		n -= 2;
	}
	if (paren)
		a[m++] = '-';
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (m + 1 >= size)
			return -1;
		/* U+FF0C..U+FF19: ， － ． ／ ０..９, full width of ',' '-' '.' '/' '0'..'9' */
		if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
		    (unsigned char)s[i + 2] >= 0x8C && (unsigned char)s[i + 2] <= 0x99) {
			a[m++] = (char)(',' + ((unsigned char)s[i + 2] - 0x8C));
			i += 3;
		} else {
			a[m++] = (char)c;
			i++;
		}
	}
	a[m] = '\0';
	return (int)m;
}

/* A number as the column's kind allows it: -?digits(.digits)? with at most MAX_DEC
 * decimals and MAX_DIGITS digits (what a double holds exactly), thousands separators,
 * full-width digits; money columns also take a currency sign, 元 and (2.00),
 * percentages a trailing '%'.  The value itself comes from the core parser.  0, or -1
 * when the text is not such a number. */
int scan_number(struct csv_field f, enum hdr_kind k, struct number *num)
{
	char a[64];
	const char *s = a;
	int n = ascii_number(f.s, f.n, k, a, sizeof a), i, first;
	int digits = 0, dec = -1, neg = 0;

	if (n <= 0)
		return -1;
	if (k == HK_PCT && a[n - 1] == '%')
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			digits++;
			if (dec >= 0)
				dec++;
		} else if (c == '.' && dec < 0) {
			dec = 0;
		} else if (c == '-' && !neg && digits == 0) {
			neg = 1;
		} else if ((c == ',' || (k == HK_MONEY && c >= 0x80)) && dec < 0) {
			continue;       /* separators and the currency sign: parse_money checks */
		} else {
			return -1;
		}
	}
	if (digits == 0 || digits > MAX_DIGITS || dec > MAX_DEC)
		return -1;
	num->dec = dec < 0 ? 0 : dec;
	if (parse_money(s, (size_t)n, num->dec, &num->v) != NUM_OK)
		return -1;
	for (first = 0; first < n && (s[first] < '0' || s[first] > '9'); first++)
		;
	num->lead_zero = s[first] == '0' && first + 1 < n && s[first + 1] >= '0' &&
	                 s[first + 1] <= '9';
	num->intdigits = digits - num->dec;
	return 0;
}

/* An ISO date YYYY-MM-DD from 1900 on (Excel has no earlier dates), as an Excel serial. */
int scan_date(struct csv_field f, double *serial)
{
	static int32_t epoch1900 = -1;
	int32_t d;

	if (epoch1900 < 0)
		epoch1900 = -days_from_civil(1900, 1, 1);
	if (f.n != 10 || f.s[4] != '-' || f.s[7] != '-' || parse_date(f.s, f.n, &d) < 0 ||
	    d < -epoch1900)
		return -1;
	/* 1970-01-01 is 25569; Excel counts the 29th of February 1900 that never was */
	*serial = (double)d + 25569 - (d < days_from_civil(1900, 3, 1) ? 1 : 0);
	return 0;
}

/* The one place where a decimal becomes binary floating point: Excel stores every
 * number as a double.  v and 10^dec are exact doubles (v has at most 15 digits), so the
 * quotient is the double nearest the decimal, as strtod would give. */
double to_double(int64_t v, int dec)
{
	return (double)v / (double)pow10i(dec);
}

double total_double(__int128 t, int dec)
{
	int64_t whole = (int64_t)(t / pow10i(dec)), frac = (int64_t)(t % pow10i(dec));

	return (double)whole + (double)frac / (double)pow10i(dec);
}

void scan_cell(struct input *ip, const struct csv_record *rec, size_t c)
{
	struct column *col = &ip->col[c];
	struct csv_field f = field_trim(rec->f[c]);
	struct number num;
	double serial;
	size_t chars, w = text_width(rec->f[c].s, rec->f[c].n, &chars);

	/* one long remark must not cost the whole workbook: pass 2 cuts it (fit_text) */
	if (chars > EXCEL_MAX_CHARS && !tool.quiet)
		diag_warn("%s:%ld: value in column %s has %zu characters (Excel allows %d in a "
		          "cell): cut to fit, ending in %s", ip->in.name, rec->line,
		          diag_qstr(col->canon), chars, EXCEL_MAX_CHARS, CUT_MARK);
	if (w > col->textw)
		col->textw = w;
	if (!f.n || col->kind == HK_CODE)
		return;
	col->nonblank++;
	if (scan_number(f, col->kind, &num) == 0) {
		col->nnum++;
		col->lead_zero |= num.lead_zero;
		if (num.dec > col->maxdec)
			col->maxdec = num.dec;
		if (num.intdigits > col->maxint)
			col->maxint = num.intdigits;
		col->neg |= num.v < 0;
	} else if (!col->odd_num_line) {
		col->odd_num_line = rec->line;
		col->odd_num = xstrndup(f.s, f.n);
	}
	if (scan_date(f, &serial) == 0) {
		col->ndate++;
	} else if (!col->odd_date_line) {
		col->odd_date_line = rec->line;
		col->odd_date = xstrndup(f.s, f.n);
	}
}

/* A value that is not of its column's type stays text in its own cell; the column keeps
 * its type, format and total.  Said once per column, with the first such line. */
static void warn_odd(const struct input *ip, const struct column *col, uint64_t odd, long line,
                     const char *value, const char *type)
{
	if (!odd || (tool.quiet && !tool.strict))
		return;
	if (tool.strict)
		diag_fatal(EX_DATAERR, "%s:%ld: column %s has %s, which is not %s (--strict)",
		           ip->in.name, line, diag_qstr(col->canon), diag_qstr(value), type);
	diag_warn("%s:%ld: column %s has %s, which is not %s: kept as text in its cell "
	          "(%llu such value%s in the column)", ip->in.name, line, diag_qstr(col->canon),
	          diag_qstr(value), type, (unsigned long long)odd, odd == 1 ? "" : "s");
}

/* The type of a column is decided by the many, not by one (report(1), Column types):
 * numbers when most values are numbers, else dates when most are dates, else text.  A
 * number with a leading zero makes the column a code: text. */
void decide_types(struct input *ip)
{
	size_t c;

	for (c = 0; c < ip->nf; c++) {
		struct column *col = &ip->col[c];
		col->type = T_TEXT;
		if (col->kind == HK_CODE || !col->nonblank || col->lead_zero)
			continue;
		if (col->nnum * 2 > col->nonblank) {
			col->type = col->maxdec ? T_DEC : T_INT;
			warn_odd(ip, col, col->nonblank - col->nnum, col->odd_num_line, col->odd_num,
			         "a number");
		} else if (col->ndate * 2 > col->nonblank) {
			col->type = T_DATE;
			warn_odd(ip, col, col->nonblank - col->ndate, col->odd_date_line, col->odd_date,
			         "a date");
		}
		/* only a measure adds up: never prices, ids, line numbers, days, percentages */
		col->summed = opt.totals && (col->type == T_INT || col->type == T_DEC) &&
		              hdr_sem(col->canon)->additive;
	}
}

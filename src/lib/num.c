#include "num.h"

#include <string.h>

static const int64_t p10[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
	1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
	100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

int64_t pow10i(int e)
{
	return p10[e];
}

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* Accumulate one digit; keeps going after overflow so the caller can still tell a
 * badly formed value (NUM_BAD) from a well-formed but too large one (NUM_OVERFLOW). */
static void acc(int64_t *v, int *ovf, char d)
{
	if (*ovf || __builtin_mul_overflow(*v, 10, v) || __builtin_add_overflow(*v, d - '0', v))
		*ovf = 1;
}

/* Digits after the integer part: '.' then 1..maxdec digits, scaled up to maxdec. */
static int frac_part(const char *s, size_t n, size_t i, int maxdec, int64_t *v, int *ovf)
{
	int nd = 0;

	if (i < n) {
		if (s[i] != '.' || maxdec == 0)
			return NUM_BAD;
		for (i++; i < n && isdig(s[i]); i++, nd++)
			acc(v, ovf, s[i]);
		if (nd == 0 || nd > maxdec || i != n)
			return NUM_BAD;
	}
	for (; nd < maxdec; nd++)
		acc(v, ovf, '0');
	return NUM_OK;
}

int parse_money(const char *s, size_t n, int maxdec, int64_t *out)
{
	size_t i = 0;
	int neg = 0, cur = 0, ovf = 0, st, group = -1;
	int64_t v = 0;

	/* '-' and the currency sign, each at most once, in either order */
	for (;;) {
		if (i < n && s[i] == '-' && !neg) {
			neg = 1;
			i++;
		} else if (!cur && i + 2 <= n && (unsigned char)s[i] == 0xC2 &&
		           (unsigned char)s[i + 1] == 0xA5) {              /* ¥ U+00A5 */
			cur = 1;
			i += 2;
		} else if (!cur && i + 3 <= n && memcmp(s + i, "\xEF\xBF\xA5", 3) == 0) { /* ￥ */
			cur = 1;
			i += 3;
		} else {
			break;
		}
	}
	if (i >= n || !isdig(s[i]))
		return NUM_BAD;
	/* integer part; group counts digits since the last ',' (-1: none seen yet) */
	for (; i < n && (isdig(s[i]) || s[i] == ','); i++) {
		if (s[i] == ',') {
			if (group == 0 || (group > 0 && group != 3))
				return NUM_BAD;
			if (group == -1) {
				/* the first group may hold 1..3 digits */
				size_t k = i, d = 0;
				while (k > 0 && isdig(s[k - 1])) {
					k--;
					d++;
				}
				if (d > 3)
					return NUM_BAD;
			}
			group = 0;
			continue;
		}
		if (group >= 0)
			group++;
		acc(&v, &ovf, s[i]);
	}
	if (group >= 0 && group != 3)
		return NUM_BAD;
	st = frac_part(s, n, i, maxdec, &v, &ovf);
	if (st != NUM_OK)
		return st;
	if (ovf)
		return NUM_OVERFLOW;
	*out = neg ? -v : v;
	return NUM_OK;
}

int parse_plain(const char *s, size_t n, int maxdec, int64_t *out)
{
	size_t i = 0;
	int ovf = 0, st;
	int64_t v = 0;

	if (n == 0 || !isdig(s[0]))
		return NUM_BAD;
	for (; i < n && isdig(s[i]); i++)
		acc(&v, &ovf, s[i]);
	st = frac_part(s, n, i, maxdec, &v, &ovf);
	if (st != NUM_OK)
		return st;
	if (ovf)
		return NUM_OVERFLOW;
	*out = v;
	return NUM_OK;
}

int parse_qty(const char *s, size_t n, int64_t *out)
{
	int64_t v;
	int st = parse_plain(s, n, 0, &v);

	if (st == NUM_OK && v < 1)
		return NUM_BAD;
	if (st == NUM_OK)
		*out = v;
	return st;
}

int parse_pct(const char *s, size_t n, int64_t *out)
{
	if (n > 0 && s[n - 1] == '%')
		n--;
	return parse_plain(s, n, SCALE_PCT, out);
}

int parse_uint(const char *s, long long min, long long max, long long *out, const char **why)
{
	long long v = 0;
	const char *p = s;

	if (!*p) {
		*why = "not a number";
		return -1;
	}
	for (; *p; p++) {
		if (!isdig(*p)) {
			*why = "not a number";
			return -1;
		}
		if (v > (max - (*p - '0')) / 10) {
			*why = "too large";
			return -1;
		}
		v = v * 10 + (*p - '0');
	}
	if (v < min) {
		*why = "too small";
		return -1;
	}
	if (v > max) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int parse_uint_list(const char *s, int min, int max, int *out, int maxn)
{
	const char *p = s;
	int n = 0;

	for (;;) {
		long long v;
		const char *why;
		char num[24];
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof num || n == maxn)
			return -1;
		memcpy(num, p, len);
		num[len] = '\0';
		if (parse_uint(num, min, max, &v, &why) < 0 || (n > 0 && v <= out[n - 1]))
			return -1;
		out[n++] = (int)v;
		if (!p[len])
			return n;
		p += len + 1;
	}
}

__int128 div_round(__int128 num, __int128 den)
{
	__int128 q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

int fit_int64(__int128 v, int64_t *out)
{
	if (v > INT64_MAX || v < -INT64_MAX)
		return NUM_OVERFLOW;
	*out = (int64_t)v;
	return NUM_OK;
}

int mul_round(int64_t a, int64_t b, int drop, int64_t *out)
{
	return fit_int64(div_round((__int128)a * b, p10[drop]), out);
}

int rescale(int64_t v, int from, int to, int64_t *out)
{
	if (to >= from)
		return fit_int64((__int128)v * p10[to - from], out);
	return fit_int64(div_round(v, p10[from - to]), out);
}

int add_ok(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN)
		return NUM_OVERFLOW;
	*out = r;
	return NUM_OK;
}

/* "00" to "99": two digits a division (a profile of order-intake had fmt_int at 4%) */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

int fmt_int(char *buf, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int len = v < 0, nd = 1;
	char *p;

	while (nd < 19 && u >= (uint64_t)p10[nd])
		nd++;           /* the digits are written in place, from the last one back */
	if (v < 0)
		buf[0] = '-';
	len += nd;
	buf[len] = '\0';
	p = buf + len;
	while (u >= 100) {
		p -= 2;
		memcpy(p, pairs + u % 100 * 2, 2);
		u /= 100;
	}
	if (u >= 10)
		memcpy(p - 2, pairs + u * 2, 2);
	else
		p[-1] = (char)('0' + u);
	return len;
}

int fmt_fixed(char *buf, int64_t v, int scale)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = u / (uint64_t)p10[scale], fp = u % (uint64_t)p10[scale];
	int len = 0, i;

	if (v < 0)
		buf[len++] = '-';
	len += fmt_int(buf + len, (int64_t)ip);
	if (scale > 0) {
		buf[len++] = '.';
		for (i = scale - 1; i >= 0; i--) {
			buf[len + i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		len += scale;
	}
	buf[len] = '\0';
	return len;
}

int fmt_trim(char *buf, int64_t v, int scale, int keep)
{
	int len = fmt_fixed(buf, v, scale), dec = scale;

	while (dec > keep && buf[len - 1] == '0') {
		len--;
		dec--;
	}
	if (dec == 0 && scale > 0)
		len--;          /* drop the '.' */
	buf[len] = '\0';
	return len;
}

int fmt_pct(char *buf, int64_t v)
{
	return fmt_trim(buf, (int64_t)div_round(v, p10[SCALE_PCT - 2]), 2, 0);
}

int small_line_no(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 2 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 64 ? v : 0;
}

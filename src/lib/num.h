/* Decimal values as scaled 64-bit integers: never binary floating point.
 * A value v at scale s means v / 10^s.  Parsers take (text, length) so they can read
 * fields in place; the text is expected already trimmed of ASCII spaces and tabs. */
#ifndef SALESDESK_NUM_H
#define SALESDESK_NUM_H
#include <stddef.h>
#include <stdint.h>

#include "must.h"

enum num_status { NUM_OK = 0, NUM_BAD = 1, NUM_OVERFLOW = 2 };

/* Scales used across the toolkit (salesdesk(7)). */
enum {
	SCALE_AMOUNT = 2,   /* amounts, charges, balances */
	SCALE_PRICE = 4,    /* unit prices and rates */
	SCALE_WEIGHT = 3,   /* kg */
	SCALE_VOLUME = 4,   /* m³ */
	SCALE_PCT = 4       /* percentages, kept finer than they are printed */
};

/* Money: optional '-' and '¥'/'￥' in either order, thousands separators ',' in groups
 * of three, up to maxdec decimals (2 for amounts, 4 for prices and rates).  The result
 * is at scale maxdec.  No '+', no ".5", no "5.". */
MUST_CHECK
int parse_money(const char *s, size_t n, int maxdec, int64_t *out);
/* A non-negative plain decimal with up to maxdec decimals (weights, volumes): digits,
 * optionally '.' and 1..maxdec digits.  No sign, no separators. */
MUST_CHECK
int parse_plain(const char *s, size_t n, int maxdec, int64_t *out);
/* A positive whole number: digits only, value >= 1 ("007" is 7). */
MUST_CHECK
int parse_qty(const char *s, size_t n, int64_t *out);
/* A percentage: plain decimal (up to 4 decimals) with an optional trailing '%'.
 * Result at SCALE_PCT. */
MUST_CHECK
int parse_pct(const char *s, size_t n, int64_t *out);
/* A whole number in [min, max] for command-line options (OpenBSD strtonum style).
 * On failure returns -1 and sets *why to "not a number", "too small" or "too large". */
MUST_CHECK
int parse_uint(const char *s, long long min, long long max, long long *out, const char **why);

/* A line_no of 1-64 written plainly (digits, no leading zero), as nearly all are: its
 * value, else 0.  Such a line is remembered as a bit of its order (order-intake(1),
 * receivables(1)): one small record per order instead of a key per line. */
int small_line_no(const char *s, size_t n);
/* A comma-separated list of strictly increasing whole numbers in [min, max], at most
 * maxn of them ("30,60,90"), into out; returns the count, or -1 (out may be changed). */
MUST_CHECK
int parse_uint_list(const char *s, int min, int max, int *out, int maxn);

/* The one rounding of the toolkit (salesdesk(7)): round(num / den), half away from zero
 * (四舍五入), den > 0, exact in 128 bits; it cannot overflow.  A quotient bounded by the
 * caller's own 64-bit inputs (a share of a total, a percentage of a capacity) is narrowed
 * as it is; any other goes through fit_int64. */
__int128 div_round(__int128 num, __int128 den);
/* The one overflow rule: v into *out, or NUM_OVERFLOW when |v| > INT64_MAX (INT64_MIN
 * is kept out, so that a value can always be negated). */
MUST_CHECK
int fit_int64(__int128 v, int64_t *out);
/* round(a * b / 10^drop): div_round, then fit_int64. */
MUST_CHECK
int mul_round(int64_t a, int64_t b, int drop, int64_t *out);
/* Change scale with div_round (or an exact product); NUM_OVERFLOW as fit_int64. */
MUST_CHECK
int rescale(int64_t v, int from, int to, int64_t *out);
MUST_CHECK
int add_ok(int64_t a, int64_t b, int64_t *out);
int64_t pow10i(int e);

/* Formatting into buf (at least 32 bytes); returns the length.
 * fmt_fixed: exactly scale decimals.  fmt_trim: scale decimals with trailing zeros
 * trimmed down to keep decimals (prices: keep 2; percentages: keep 0). */
int fmt_fixed(char *buf, int64_t v, int scale);
int fmt_trim(char *buf, int64_t v, int scale, int keep);
/* A percentage at SCALE_PCT printed with up to 2 decimals, rounded half away. */
int fmt_pct(char *buf, int64_t v);
int fmt_int(char *buf, int64_t v);
#endif

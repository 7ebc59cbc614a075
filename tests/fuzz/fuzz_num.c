/* The value parsers: the first byte chooses parse_money (2 or 4 decimals), parse_plain
 * (weight, volume), parse_qty, parse_pct, parse_date, parse_uint or the 128-bit
 * arithmetic; the rest is the text, in an exact-size buffer (no NUL after it).
 * Invariants: what parses prints back to text that parses to the same value, never
 * anything but NUM_OK / NUM_BAD / NUM_OVERFLOW, and dates round-trip through the
 * day count. */
#include "fuzz.h"
#include "date.h"
#include "num.h"

static void roundtrip_money(const char *s, size_t n, int dec)
{
	int64_t v, w;
	char buf[48];
	int st = parse_money(s, n, dec, &v), len;

	FUZZ_CHECK(st == NUM_OK || st == NUM_BAD || st == NUM_OVERFLOW);
	if (st != NUM_OK)
		return;
	len = fmt_fixed(buf, v, dec);
	FUZZ_CHECK(len > 0 && (size_t)len == strlen(buf));
	FUZZ_CHECK(parse_money(buf, (size_t)len, dec, &w) == NUM_OK && w == v);
	len = fmt_trim(buf, v, dec, 2);
	FUZZ_CHECK(parse_money(buf, (size_t)len, dec, &w) == NUM_OK && w == v);
}

static void roundtrip_plain(const char *s, size_t n, int dec)
{
	int64_t v, w;
	char buf[48];
	int st = parse_plain(s, n, dec, &v), len;

	FUZZ_CHECK(st == NUM_OK || st == NUM_BAD || st == NUM_OVERFLOW);
	if (st != NUM_OK)
		return;
	FUZZ_CHECK(v >= 0);
	len = fmt_fixed(buf, v, dec);
	FUZZ_CHECK(parse_plain(buf, (size_t)len, dec, &w) == NUM_OK && w == v);
}

static void roundtrip_date(const char *s, size_t n)
{
	int32_t d, e;
	int y, m, dd;
	char buf[16];

	if (parse_date(s, n, &d) != 0)
		return;
	civil_from_days(d, &y, &m, &dd);
	FUZZ_CHECK(y >= 1 && y <= 9999 && date_valid(y, m, dd));
	FUZZ_CHECK(days_from_civil(y, m, dd) == d);
	FUZZ_CHECK(fmt_date(buf, d) == 10);
	FUZZ_CHECK(parse_date(buf, 10, &e) == 0 && e == d);
	iso_week(d, &y, &m);
	FUZZ_CHECK(m >= 1 && m <= 53);
}

static void arith(const uint8_t *p, size_t n)
{
	int64_t a = 0, b = 0, out;
	int drop, st;

	if (n < 17)
		return;
	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	drop = p[16] % 9;
	st = mul_round(a, b, drop, &out);
	FUZZ_CHECK(st == NUM_OK || st == NUM_OVERFLOW);
	st = rescale(a, p[16] % 5, (p[16] >> 4) % 5, &out);
	FUZZ_CHECK(st == NUM_OK || st == NUM_OVERFLOW);
	st = add_ok(a, b, &out);
	FUZZ_CHECK(st == NUM_OVERFLOW || (__int128)out == (__int128)a + b);
	if (b > 0)
		(void)div_round((__int128)a * 1000, b);
}

static int fuzz_num(const uint8_t *data, size_t size)
{
	char *s, *z;
	size_t n;
	int64_t v, w;
	long long ll;
	const char *why;
	char buf[48];
	int st, len;

	if (size < 1)
		return 0;
	n = size - 1;
	s = fuzz_copy(data + 1, n);
	switch (data[0] % 10) {
	case 0: roundtrip_money(s, n, 2); break;
	case 1: roundtrip_money(s, n, 4); break;
	case 2: roundtrip_plain(s, n, SCALE_WEIGHT); break;
	case 3: roundtrip_plain(s, n, SCALE_VOLUME); break;
	case 4:
		if ((st = parse_qty(s, n, &v)) == NUM_OK) {
			FUZZ_CHECK(v >= 1);
			len = fmt_int(buf, v);
			FUZZ_CHECK(parse_qty(buf, (size_t)len, &w) == NUM_OK && w == v);
		}
		break;
	case 5:
		if ((st = parse_pct(s, n, &v)) == NUM_OK) {
			len = fmt_trim(buf, v, SCALE_PCT, 0);
			FUZZ_CHECK(parse_pct(buf, (size_t)len, &w) == NUM_OK && w == v);
			fmt_pct(buf, v);
		}
		break;
	case 6: roundtrip_date(s, n); break;
	case 7:
		z = malloc(n + 1);
		FUZZ_CHECK(z != NULL);
		memcpy(z, s, n);
		z[n] = '\0';
		if (parse_uint(z, 0, 1000000, &ll, &why) == 0)
			FUZZ_CHECK(ll >= 0 && ll <= 1000000);
		else
			FUZZ_CHECK(why != NULL);
		free(z);
		break;
	default: arith(data + 1, n); break;
	}
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_num)

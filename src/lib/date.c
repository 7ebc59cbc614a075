#include "date.h"

#include <string.h>

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* Howard Hinnant's days_from_civil. */
int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Reads 1..max digits at s[*i]; returns the value or -1. */
static int digits(const char *s, size_t n, size_t *i, int min, int max)
{
	int v = 0, k = 0;

	while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	if (k < min)
		return -1;
	if (*i < n && s[*i] >= '0' && s[*i] <= '9')
		return -1;      /* too many digits */
	return v;
}

static int sep(const char *s, size_t n, size_t *i, const char *want)
{
	size_t w = strlen(want);

	if (*i + w > n || memcmp(s + *i, want, w) != 0)
		return 0;
	*i += w;
	return 1;
}

static int dig(char c)
{
	return c >= '0' && c <= '9';
}

/* YYYY-MM-DD, the form nearly every date of a file is in: read without the general
 * parser, and the dates recently read remembered (a small table indexed by the day's
 * last digits), because a file's rows come day by day and repeat a few dates (an order
 * date and a ship date the next day).  Returns 1 with *days set, 0 if s is not of that
 * form or not a valid date (the general parser then decides).
 * The table is the library's one piece of static state, and deliberately so: a pure
 * cache (every answer is the same with or without it), for single-threaded tools. */
static int iso_date(const char *s, size_t n, int32_t *days)
{
	static struct {
		char s[10];     /* s[0] == 0: unused */
		int32_t days;
	} seen[16];
	int y, m, d, k;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	k = ((unsigned char)s[8] * 10 + (unsigned char)s[9]) & 15;
	if (seen[k].s[0] && !memcmp(s, seen[k].s, 10)) {
		*days = seen[k].days;
		return 1;
	}
	if (!dig(s[0]) || !dig(s[1]) || !dig(s[2]) || !dig(s[3]) || !dig(s[5]) ||
	    !dig(s[6]) || !dig(s[8]) || !dig(s[9]))
		return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid(y, m, d))
		return 0;
	*days = seen[k].days = days_from_civil(y, m, d);
	memcpy(seen[k].s, s, 10);
	return 1;
}

int parse_date(const char *s, size_t n, int32_t *days)
{
	size_t i = 0;
	int y, m, d;
	const char *sep1, *sep2, *tail = "";

	if (iso_date(s, n, days))
		return 0;
	while (i < n && i < 8 && s[i] >= '0' && s[i] <= '9')
		i++;            /* s need not be NUL-terminated: never look past n */
	if (n == 8 && i == 8) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
		goto check;
	}
	i = 0;
	if ((y = digits(s, n, &i, 4, 4)) < 0 || i >= n)
		return -1;
	switch (s[i]) {
	case '-': sep1 = sep2 = "-"; break;
	case '/': sep1 = sep2 = "/"; break;
	case '.': sep1 = sep2 = "."; break;
	default: sep1 = "年"; sep2 = "月"; tail = "日"; break;
	}
	if (!sep(s, n, &i, sep1) || (m = digits(s, n, &i, 1, 2)) < 0 ||
	    !sep(s, n, &i, sep2) || (d = digits(s, n, &i, 1, 2)) < 0 ||
	    !sep(s, n, &i, tail) || i != n)
		return -1;
check:
	if (!date_valid(y, m, d))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int fmt_date(char *buf, int32_t days)
{
	/* the dates recently written, by their day number's last bits: rows come day by
	 * day and repeat a few dates (an order date, a ship date the next day) */
	static struct {
		char s[11];     /* s[0] == 0: unused */
		int32_t days;
	} seen[16];
	unsigned k = (uint32_t)days & 15;
	int y, m, d;

	if (seen[k].s[0] && seen[k].days == days) {
		memcpy(buf, seen[k].s, 11);
		return 10;
	}
	civil_from_days(days, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	memcpy(seen[k].s, buf, 11);
	seen[k].days = days;
	return 10;
}

void iso_week(int32_t days, int *year, int *week)
{
	/* 1970-01-01 was a Thursday; ISO weekday 1 = Monday */
	int wd = (int)(((days % 7) + 7 + 3) % 7) + 1;
	int32_t thursday = days + 4 - wd;
	int y, m, d;

	civil_from_days(thursday, &y, &m, &d);
	*year = y;
	*week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
}

int day_of_week(int32_t days)
{
	return (int)(((days % 7) + 7 + 3) % 7);     /* 1970-01-01 was a Thursday */
}

/* The first listed date after d (c->n if none). */
static size_t listed_after(const struct workcal *c, int32_t d)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->day[mid] <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int workday_is(const struct workcal *c, int32_t d)
{
	size_t i = listed_after(c, d);

	/* the listed dates first: they override the weekday */
	if (i > 0 && c->day[i - 1] == d)
		return c->work[i - 1];
	return day_of_week(d) < 5;
}

int32_t workday_add(const struct workcal *c, int32_t d, int n)
{
	/* a calendar lists finitely many holidays, so both loops end */
	if (n == 0) {
		while (!workday_is(c, d))
			d++;
		return d;
	}
	while (n > 0)
		if (workday_is(c, ++d))
			n--;
	return d;
}

/* Mondays to Fridays from the Monday 1970-01-05 up to d (negative before it): a
 * difference of two is the weekdays between them, in constant time. */
static int32_t weekdays_upto(int32_t d)
{
	int32_t x = d - 4, weeks = (x >= 0 ? x : x - 6) / 7, rem = x - weeks * 7;

	return weeks * 5 + (rem < 5 ? rem + 1 : 5);
}

int32_t workdays_between(const struct workcal *c, int32_t a, int32_t b)
{
	int32_t n;
	size_t i;

	if (b <= a)
		return 0;
	/* the weekdays, then each listed date in (a, b] corrected: a holiday on a weekday
	 * one fewer, a worked weekend day one more; the open report asks this for every
	 * open complaint, so no walk day by day */
	n = weekdays_upto(b) - weekdays_upto(a);
	for (i = listed_after(c, a); i < c->n && c->day[i] <= b; i++)
		n += c->work[i] - (day_of_week(c->day[i]) < 5);
	return n;
}

/* Calendar dates as days since 1970-01-01 (proleptic Gregorian). */
#ifndef SALESDESK_DATE_H
#define SALESDESK_DATE_H
#include <stddef.h>
#include <stdint.h>

#include "must.h"

/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD (month and day of one or two digits), YYYYMMDD and
 * YYYY年M月D日.  Only real calendar dates in years 0001..9999.  0 on success, -1 if not. */
MUST_CHECK
int parse_date(const char *s, size_t n, int32_t *days);
/* ISO form into buf (at least 11 bytes); returns 10. */
int fmt_date(char *buf, int32_t days);
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t days, int *y, int *m, int *d);
/* ISO 8601 week: its year and number (1..53). */
void iso_week(int32_t days, int *year, int *week);
int date_valid(int y, int m, int d);
/* 0 = Monday .. 6 = Sunday. */
int day_of_week(int32_t days);

/* A working-day calendar (complaints(1), The working-day calendar): Monday to Friday are working
 * days, except the dates listed, each either a holiday (休) or a weekend day made a
 * working day (调休, 班).  day[] is sorted and holds no date twice. */
struct workcal {
	int32_t *day;
	unsigned char *work;    /* 1: a working day, 0: a holiday */
	size_t n;
};
int workday_is(const struct workcal *c, int32_t d);
/* The n-th working day after d; for n 0, d itself if it is a working day, else the next
 * working day. */
int32_t workday_add(const struct workcal *c, int32_t d, int n);
/* The working days in (a, b]: 0 when b <= a. */
int32_t workdays_between(const struct workcal *c, int32_t a, int32_t b);
#endif

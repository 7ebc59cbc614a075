/* Ageing bucket labels (bucket.h, receivables(1) --buckets). */
#include <stdio.h>
#include <string.h>

#include "bucket.h"

int bucket_of(int32_t days, const int *limits, int n)
{
	int b;

	if (days == 0)
		return 0;
	for (b = 0; b < n; b++)
		if (days <= limits[b])
			return b + 1;
	return n + 1;
}

void bucket_label(char *buf, size_t size, const int *limits, int n, int b)
{
	if (b == 0)
		snprintf(buf, size, "current");
	else if (b == 1)
		snprintf(buf, size, "d1_%d", limits[0]);
	else if (b <= n)
		snprintf(buf, size, "d%d_%d", limits[b - 2] + 1, limits[b - 1]);
	else
		snprintf(buf, size, "d%d_plus", limits[n - 1]);
}

/* d, digits, _, then digits or "plus": what bucket_label writes */
int bucket_is_label(const char *s)
{
	if (!strcmp(s, "current"))
		return 1;
	if (*s++ != 'd' || *s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s++ != '_')
		return 0;
	if (!strcmp(s, "plus"))
		return 1;
	if (!*s)
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	return !*s;
}

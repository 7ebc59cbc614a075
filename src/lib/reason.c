#include "reason.h"

#include <stdio.h>

#include "sderr.h"

const char *reason_column(const struct reason *r, char *buf, size_t size)
{
	if (!r->qual)
		return r->code;
	snprintf(buf, size, "%s:%s", r->code, r->qual);
	return buf;
}

const char *reason_detail(const struct reason *r, char *buf, size_t size)
{
	if (r->text)
		return r->text;
	if (!r->cell.s)
		return NULL;
	int n = snprintf(buf, size, "%s%s%s%s%s", r->col ? r->col : "", r->col ? " " : "",
	                 diag_quote(r->cell.s, r->cell.n), r->what ? " " : "",
	                 r->what ? r->what : "");
	if (n >= 0 && (size_t)n >= size)       /* cut: between characters, not in one */
		buf[utf8_cut(buf, size - 1)] = '\0';
	return buf;
}

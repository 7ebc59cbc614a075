/* Why a row is rejected, as a value the checks return and one place formats: the
 * reject_reason code and the detail of the diagnostic line (salesdesk(7), Row
 * conservation). */
#ifndef SALESDESK_REASON_H
#define SALESDESK_REASON_H
#include <stddef.h>

#include "csvread.h"

/* A rejected row's reason: reject_reason is "code" or "code:qual"; the detail after it
 * in the diagnostic is "[col ]'cell'[ what]" for a value at fault, else the tool's own
 * text, else nothing. */
struct reason {
	const char *code;       /* "bad_date"; NULL: no reason, the row passes */
	const char *qual;       /* after the colon: the column ("ship_date") or a day */
	const char *col;        /* the column the detail names before the value, or NULL */
	struct csv_field cell;  /* the value at fault; cell.s NULL: the detail has none */
	const char *what;       /* what is wrong with the value, or NULL */
	const char *text;       /* a detail of the tool's own (no cell), or NULL */
};

/* A reason with no detail: "code", or "code:qual" when qual is not NULL. */
static inline struct reason reason_of(const char *code, const char *qual)
{
	struct reason r = { code, qual, NULL, { NULL, 0 }, NULL, NULL };
	return r;
}

/* A value at fault: code[:qual], the detail "[col ]'cell'[ what]". */
static inline struct reason reason_cell(const char *code, const char *qual, const char *col,
                                        struct csv_field cell, const char *what)
{
	struct reason r = { code, qual, col, cell, what, NULL };
	return r;
}

/* A detail of the tool's own making (TEXT, kept by the caller until the row is
 * written). */
static inline struct reason reason_text(const char *code, const char *qual, const char *text)
{
	struct reason r = { code, qual, NULL, { NULL, 0 }, NULL, text };
	return r;
}

/* The reject_reason column into buf (size at least 1), cut when it does not fit. */
const char *reason_column(const struct reason *r, char *buf, size_t size);
/* The detail into buf, cut at size - 1 bytes; NULL when the reason has none. */
const char *reason_detail(const struct reason *r, char *buf, size_t size);

#endif

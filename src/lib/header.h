/* Columns are found by name: trimmed of ASCII spaces and tabs, ASCII case folded, and
 * through the Chinese aliases of salesdesk(7) (订单号 is order_no). */
#ifndef SALESDESK_HEADER_H
#define SALESDESK_HEADER_H
#include <stddef.h>

#include "csvread.h"
#include "must.h"
#include "sbuf.h"

struct hdrmap {
	size_t n;               /* input columns */
	struct sbuf names;      /* canonical names, NUL-separated */
	size_t *off;            /* offset of column i's canonical name */
};

/* The canonical name of one header cell, appended to out. */
MUST_CHECK
int hdr_canon(const char *s, size_t n, struct sbuf *out);
/* What a column name says about its values (salesdesk(7), COLUMNS). */
enum hdr_kind {
	HK_PLAIN,       /* whatever the values are */
	HK_CODE,        /* ids, order numbers, phones: always text, zeros kept */
	HK_NUMBER,      /* counts, line numbers, days */
	HK_MONEY, HK_PCT, HK_WEIGHT, HK_VOLUME
};
struct hdr_sem {
	const char *canon, *zh;         /* zh: the caption, also an input alias; or NULL */
	enum hdr_kind kind;
	int additive;                   /* a total of the column means something */
	int coded;                      /* its values are codes with Chinese captions */
};
/* The table entry or rule for a canonical name (a plain, non-additive one if none). */
const struct hdr_sem *hdr_sem(const char *canon);
/* The Chinese of one code value (confirmed, d1_30, missing ...), or NULL. */
const char *hdr_zh_value(const char *s, size_t n);
/* The Chinese caption of a canonical name (salesdesk(7)), or NULL. */
const char *hdr_zh_label(const char *canon);

/* 1 when a column name (canonical, as hdr_canon gives it) other than canon looks meant
 * for it: the same name once the unit is dropped, in English or in Chinese (账期 or
 * 账期(日) for payment_terms_days, whose alias is 账期(天); capacity(kg) for
 * capacity_kg). */
int hdr_meant(const char *name, const char *canon);

MUST_CHECK
int hdrmap_build(struct hdrmap *m, const struct csv_record *hdr);
/* Appends one column (a header cell as read) to m; -1 when out of memory. */
MUST_CHECK
int hdrmap_add(struct hdrmap *m, const char *s, size_t n);
void hdrmap_free(struct hdrmap *m);
static inline const char *hdrmap_name(const struct hdrmap *m, size_t i)
{
	return m->names.buf + m->off[i];
}
/* Index of the first column with that canonical name, or -1. */
int hdrmap_col(const struct hdrmap *m, const char *canon);
/* Looks up names[0..n-1] into cols[]; returns the first name of the first `required`
 * ones that is missing, or NULL when all required ones are there. */
const char *hdrmap_lookup(const struct hdrmap *m, const char *const *names, int *cols,
                          size_t n, size_t required);
/* The input columns that pass through: all whose canonical name is not among the
 * tool's output columns, in input order.  idx must hold m->n entries; returns the count. */
size_t hdrmap_passthrough(const struct hdrmap *m, const char *const *outcols, size_t nout,
                          size_t *idx);
/* 1 when two headers name the same columns in the same order. */
int hdrmap_same(const struct hdrmap *a, const struct hdrmap *b);
#endif

/* Master and reference files (salesdesk(7)): customers, products, balances, the rate
 * card, accessorials, categories, the calendar, and what the archive gives back (shipment
 * ids, claims, earlier lines, cancellations, freight-audit's plans), each loaded whole
 * into a compact table keyed by id.  One loader in master.c reads them all, from a table
 * per file kind.  The files must be clean: any bad value or a duplicate key fills in err
 * (EX_DATAERR, FILE:LINE and the column, every bad row up to SD_MAX_BAD) and returns -1.
 * Text is kept in one arena per table; records hold offsets into it. */
#ifndef SALESDESK_MASTER_H
#define SALESDESK_MASTER_H
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "must.h"
#include "sbuf.h"
#include "strmap.h"
#include "stream.h"

/* How master files are read.  The tools pass { 0, NULL }: a master file's delimiter comes
 * from its header line and its encoding from its bytes, whatever -d and -E say about the
 * input stream (salesdesk(7)); tests may force either.  unread, when
 * set, is handed each column that the loader does not read but that looks meant for
 * an optional one it would (salesdesk(7), Master files): the default would otherwise
 * apply without a word.  The tool prints it; loading goes on. */
struct master_io {
	int delim;              /* 0: detected (csvr_open) */
	const char *encoding;   /* NULL: auto */
	void (*unread)(const struct sd_err *warning);
};

/* ---- customers ---- */
struct customer {
	size_t id, name, city, region, office;  /* offsets into customers.text */
	size_t contact, phone, address;         /* for letters and statements; "" if none */
	int64_t credit_limit;   /* cents; 0 = no limit */
	int limit_blank;        /* blank in the master (shown blank in reports) */
	int terms;              /* payment terms in days, -1 = the tool's --terms */
	int blocked;
	long line;              /* in the customers file */
};
struct customers {
	struct customer *v;
	size_t n, cap;
	struct strmap idx;
	struct sbuf text;
};
MUST_CHECK
int customers_load(struct customers *c, const char *path, const struct master_io *io,
                   struct sd_err *err);
void customers_free(struct customers *c);
const struct customer *customer_find(const struct customers *c, const char *id, size_t n);
static inline const char *cust_str(const struct customers *c, size_t off)
{
	return c->text.buf + off;
}

/* ---- products ---- */
struct product {
	size_t sku, name, unit;
	int64_t list_price;     /* SCALE_PRICE */
	int64_t unit_weight;    /* SCALE_WEIGHT */
	int64_t unit_volume;    /* SCALE_VOLUME */
	int inactive;
	long line;
};
struct products {
	struct product *v;
	size_t n, cap;
	struct strmap idx;
	struct sbuf text;
};
MUST_CHECK
int products_load(struct products *p, const char *path, const struct master_io *io,
                  struct sd_err *err);
void products_free(struct products *p);
const struct product *product_find(const struct products *p, const char *sku, size_t n);

/* ---- balances (receivables --report balances) ---- */
struct balances {
	struct strmap idx;      /* customer_id -> open_balance in cents (as uint64 bits) */
};
MUST_CHECK
int balances_load(struct balances *b, const char *path, const struct master_io *io,
                  struct sd_err *err);
int64_t balance_of(const struct balances *b, const char *id, size_t n);
void balances_free(struct balances *b);

/* ---- agreed accessorial charges (freight-audit(1) --accessorials) ---- */
/* max maps each code to its max_amount in cents (as uint64 bits). */
MUST_CHECK
int accessorials_load(struct strmap *max, const char *path, const struct master_io *io,
                      struct sd_err *err);
/* The next shipment id of the ship date DAY (YYYYMMDD) into sid: SH<DAY>-<nnnn> with the
 * next number after *seq that ids (the --used files') does not hold, *seq moved on to it
 * (dispatch-plan(1); also merge(1) --renumber, which numbers as dispatch-plan does).
 * An id of another form never equals one of ours: nothing to parse. */
void shipment_id_next(char *sid, size_t size, const char *day, unsigned long *seq,
                      const struct strmap *ids);

/* ---- shipment ids of the archive (salesdesk(7)) ---- */
/* Adds every shipment_id of the n files (earlier loads files, plans or audits, each
 * read on its own) to ids, the value 0 for a new key.  A blank id is an error: such a
 * file was not written by the desk.  Returns 0, or -1 with err filled in at the first
 * file that fails (ids keeps what was added). */
MUST_CHECK
int shipment_ids_load(struct strmap *ids, char *const *paths, size_t n,
                      const struct master_io *io, struct sd_err *err);

/* ---- carrier claims (complaints(1) --report claims, read by freight-audit(1)) ---- */
/* Adds each row's hold_amount (cents, 0 or more) of the n files to holds under its
 * shipment_id (value 0 for a new key), summing a shipment named twice.  Returns 0, or -1
 * with err at the first file that fails. */
MUST_CHECK
int claims_load(struct strmap *holds, char *const *paths, size_t n,
                const struct master_io *io, struct sd_err *err);

/* ---- earlier confirmed lines (order-intake output of earlier days, salesdesk(7)) ---- */
struct earlier_line {
	int32_t day;            /* the day it was confirmed (the run's date) */
	int32_t order_date, ship_date;
	int64_t qty, price;     /* price at SCALE_PRICE */
	size_t cust, sku;       /* offsets into earlier.text */
};
struct earlier {
	struct strmap idx;      /* order_no '\x1f' line_no -> index into v */
	struct strmap orders;   /* order_no -> its first line confirmed, index into v */
	struct earlier_line *v;
	size_t n, cap;
	struct sbuf text;
};
void earlier_init(struct earlier *e);
/* Adds the confirmed lines (status confirmed) of one earlier day's file; a key already
 * known keeps its first (earliest given) day.  -1 with err (EX_DATAERR naming FILE:LINE
 * and the column, EX_NOINPUT, EX_OSERR). */
MUST_CHECK
int earlier_load(struct earlier *e, const char *path, int32_t day, const struct master_io *io,
                 struct sd_err *err);
/* The first line confirmed earlier of that order, or NULL. */
const struct earlier_line *earlier_order(const struct earlier *e, const char *order_no,
                                         size_t on);
/* The line confirmed earlier with that order_no and line_no, or NULL. */
const struct earlier_line *earlier_find(const struct earlier *e, const char *order_no,
                                        size_t on, const char *line_no, size_t ln,
                                        struct sbuf *key);
void earlier_free(struct earlier *e);
static inline const char *earlier_str(const struct earlier *e, size_t off)
{
	return e->text.buf + off;
}

/* ---- cancellations (order_no, optional line_no, reason; salesdesk(7)) ---- */
struct cancels {
	struct strmap idx;      /* order_no '\x1f' [line_no] -> offset of reason in text */
	struct sbuf text;
};
void cancels_init(struct cancels *c);
/* Adds the cancellations of the n files; a blank line_no cancels every open line of the
 * order.  A key given twice keeps its first reason.  -1 with err as for the master
 * files, at the first file that fails. */
MUST_CHECK
int cancels_load(struct cancels *c, char *const *paths, size_t n, const struct master_io *io,
                 struct sd_err *err);
/* Adds one cancellation (line_no blank: the whole order) unless its key is known;
 * -1 out of memory. */
MUST_CHECK
int cancels_add(struct cancels *c, struct csv_field order_no, struct csv_field line_no,
                struct csv_field reason, struct sbuf *key);
/* The reason the line (or its whole order) is cancelled, or NULL. */
const char *cancel_reason(const struct cancels *c, const char *order_no, size_t on,
                          const char *line_no, size_t ln, struct sbuf *key);
void cancels_free(struct cancels *c);
/* ---- complaint categories (complaints(1)) ---- */
struct category {
	size_t name, department;        /* offsets into categories.text */
	int response_days, resolve_days, callback_days; /* working days */
	int claim;              /* a carrier claim when on a shipment (破损, 少货) */
	long line;
};
struct categories {
	struct category *v;
	size_t n, cap;
	struct strmap idx;
	struct sbuf text;
};
MUST_CHECK
int categories_load(struct categories *c, const char *path, const struct master_io *io,
                    struct sd_err *err);
void categories_free(struct categories *c);
const struct category *category_find(const struct categories *c, const char *s, size_t n);
static inline const char *cat_str(const struct categories *c, size_t off)
{
	return c->text.buf + off;
}

/* ---- working-day calendar (complaints(1)) ---- */
MUST_CHECK
int calendar_load(struct workcal *cal, const char *path, const struct master_io *io,
                  struct sd_err *err);
void calendar_free(struct workcal *cal);

/* ---- rate card ---- */
enum mode { MODE_FTL = 0, MODE_LTL = 1 };
struct lane {
	size_t carrier, city, vtype;    /* offsets into rates.text; city "*" = any */
	int mode;
	int64_t fuel_pct;       /* SCALE_PCT */
	/* FTL */
	int64_t capacity_kg;    /* SCALE_WEIGHT */
	int64_t capacity_m3;    /* SCALE_VOLUME */
	int64_t trip_charge;    /* SCALE_PRICE */
	long vehicles;          /* -1 = no limit */
	/* LTL */
	int64_t rate_per_kg;    /* SCALE_PRICE */
	int64_t min_charge;     /* SCALE_PRICE */
	int64_t kg_per_m3;      /* SCALE_PRICE; 0 = weight only */
	long line;              /* in the rates file */
};
struct rates {
	struct lane *v;
	size_t n;
	struct strmap idx;      /* "carrier\x1fmode\x1fvtype\x1fcity" -> lane */
	struct strmap lanes;    /* "carrier\x1fmode\x1fvtype" -> first lane (for listing) */
	struct sbuf text;
};
MUST_CHECK
int rates_load(struct rates *r, const char *path, const struct master_io *io,
               struct sd_err *err);
void rates_free(struct rates *r);
static inline const char *rate_str(const struct rates *r, size_t off)
{
	return r->text.buf + off;
}
/* The lane row that prices carrier/mode/vehicle type to city: the city's own row, else
 * the carrier's "*" row for that mode (and vehicle type).  NULL if none. */
const struct lane *rates_find(const struct rates *r, const char *carrier, int mode,
                              const char *vtype, const char *city);
/* Every lane that serves city (one per carrier/mode/vehicle type), in rate-file order.
 * Returns the count; out must hold r->n entries. */
size_t rates_for_city(const struct rates *r, const char *city, const struct lane **out);
const char *mode_name(int mode);

/* Load costs in cents, rounded once (salesdesk(7)).  NUM_OVERFLOW is reported as -1. */
MUST_CHECK
int64_t ftl_cost(const struct lane *l);
/* Chargeable weight at scale 8 (kg): max(kg, m³ × kg_per_m3). */
__int128 ltl_chargeable(const struct lane *l, int64_t kg, int64_t m3);
MUST_CHECK
int64_t ltl_cost(const struct lane *l, int64_t kg, int64_t m3);

/* ---- the plan (freight-audit(1) --plan) ---- */
/* One planned load: a load list's row, or the lines of one shipment of a line-level plan
 * summed.  Its shipment_id is the key of the same index in plan.idx.  Kept small: a plan
 * may hold a million. */
struct plan_load {
	long line;                              /* first plan row, within its file */
	uint32_t file;                          /* which of the plan files */
	int64_t weight, volume;                 /* SCALE_WEIGHT, SCALE_VOLUME */
	int64_t cost;                           /* cents, by the rate card */
	uint32_t carrier, vtype, city;          /* plan_str() */
	int32_t ship_date;                      /* PLAN_NO_DATE when blank */
	unsigned char mode;
	unsigned char billed;                   /* the audit's: named by an accepted bill */
	int64_t hold;                           /* the audit's: cents of claims to hold back */
};
#define PLAN_NO_DATE INT32_MIN
/* A plan row as read: nf NUL-terminated fields from off in plan.raw, of load load. */
struct plan_row {
	size_t off, nf, load;
};
struct plan {
	struct strmap idx;              /* shipment_id -> index into v */
	struct plan_load *v;
	size_t cap;
	struct strmap interned;         /* carriers, vehicle types and cities */
	int line_level;                 /* order_no is a column: a shipment's lines summed */
	/* with keep_rows: the header and every row as read, in plan order */
	struct sbuf header, raw;
	size_t header_nf;
	struct plan_row *rows;
	size_t nrows, rows_cap;
};
/* Reads the plan files (one stream, each detected on its own) and prices each load on
 * its own carrier's lane of r (read from rates_path; no lane or a cost that overflows is
 * a bad row).  An id twice is a bad row, unless the plan is line-level: then its lines
 * must agree on the load.  0, or -1 with err. */
MUST_CHECK
int plan_load(struct plan *p, char **paths, size_t npaths, const struct rates *r,
              const char *rates_path, int keep_rows, struct sd_err *err);
void plan_free(struct plan *p);
static inline const char *plan_str(const struct plan *p, uint32_t ix)
{
	return strmap_key(&p->interned, ix);
}
static inline const char *plan_id(const struct plan *p, const struct plan_load *l)
{
	return strmap_key(&p->idx, (size_t)(l - p->v));
}
#endif

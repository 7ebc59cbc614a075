/* Master files (SPEC §2): customers, products, balances and the rate card, loaded whole
 * into compact tables keyed by id.  Master files must be clean: any bad value or a
 * duplicate key fills in err (EX_DATAERR, FILE:LINE and the column) and returns -1.
 * Text is kept in one arena per table; records hold offsets into it. */
#ifndef SALESDESK_MASTER_H
#define SALESDESK_MASTER_H
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "must.h"
#include "sbuf.h"
#include "strmap.h"
#include "tool.h"

/* How master files are read.  The tools pass { 0, NULL }: a master file's delimiter comes
 * from its header line and its encoding from its bytes, whatever -d and -E say about the
 * input stream (salesdesk(7)); tests may force either. */
struct master_io {
	int delim;              /* 0: detected (csvr_open) */
	const char *encoding;   /* NULL: auto */
};

/* ---- customers ---- */
struct customer {
	size_t id, name, city, region, office;  /* offsets into customers.text */
	int64_t credit_limit;   /* cents; 0 = no limit */
	int limit_blank;        /* blank in the master (shown blank in reports) */
	int terms;              /* payment terms in days, -1 = the tool's --terms */
	int blocked;
	long line;              /* in the customers file */
};
struct customers {
	struct customer *v;
	size_t n;
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
	size_t n;
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

/* ---- complaint categories (complaints(1)) ---- */
struct category {
	size_t name, department;        /* offsets into categories.text */
	int response_days, resolve_days, callback_days; /* working days */
	int claim;              /* a carrier claim when on a shipment (破损, 少货) */
	long line;
};
struct categories {
	struct category *v;
	size_t n;
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

/* Load costs in cents, rounded once (SPEC §2).  NUM_OVERFLOW is reported as -1. */
MUST_CHECK
int64_t ftl_cost(const struct lane *l);
/* Chargeable weight at scale 8 (kg): max(kg, m³ × kg_per_m3). */
__int128 ltl_chargeable(const struct lane *l, int64_t kg, int64_t m3);
MUST_CHECK
int64_t ltl_cost(const struct lane *l, int64_t kg, int64_t m3);
#endif

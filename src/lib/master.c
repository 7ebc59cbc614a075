#include "master.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "num.h"

/* Reading one master file: the header checked, then each row handed to a loader.  A bad
 * row is reported and skipped (sd_bad_row), so that one run shows every bad row of the
 * file; the loader fails at the end. */
struct mreader {
	struct instream in;
	const char *name;
	int *cols;
	const char *const *names;
	struct csv_record rec;
	struct sd_err *err;
	size_t nbad;
};

static int is_read(const struct mreader *m, size_t n, int col)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (m->cols[k] == col)
			return 1;
	return 0;
}

/* Hands io->unread each column not read that looks meant for a missing one. */
static void report_unread(const struct mreader *m, const struct master_io *io, size_t n)
{
	const struct hdrmap *map = &m->in.map;
	const char *zh;
	struct sd_err w;
	size_t i, k;

	if (!io->unread)
		return;
	for (i = 0; i < map->n; i++) {
		if (is_read(m, n, (int)i))
			continue;
		for (k = 0; k < n; k++)
			if (m->cols[k] < 0 && hdr_meant(hdrmap_name(map, i), m->names[k]))
				break;
		if (k == n)
			continue;
		zh = hdr_zh_label(m->names[k]);
		sd_seterr(&w, EX_DATAERR, "%s:1: column %s is not read: did you mean '%s'%s%s%s?",
		          m->name,
		          diag_quote(m->in.hdr[i].s, m->in.hdr[i].n), m->names[k],
		          zh ? " (" : "", zh ? zh : "", zh ? ")" : "");
		io->unread(&w);
	}
}

static int mopen(struct mreader *m, const char *path, const struct master_io *io,
                 const char *const *names, int *cols, size_t n, size_t required,
                 struct sd_err *err)
{
	char *paths[1];

	paths[0] = (char *)path;
	m->name = diag_name(path);
	m->cols = cols;
	m->names = names;
	m->err = err;
	m->nbad = 0;
	err->msg[0] = '\0';
	if (instream_open(&m->in, paths, 1, io->delim, io->encoding, err) < 0) {
		instream_close(&m->in);         /* a failed open keeps what it allocated */
		return -1;
	}
	if (instream_columns(&m->in, names, cols, n, required, err) < 0) {
		instream_close(&m->in);
		return -1;
	}
	report_unread(m, io, n);
	return 0;
}

/* Next data row with the right field count and encoding (the others are bad rows): 1,
 * 0 at the end, -1 when the file cannot be read on (err says why, after the bad rows). */
static int mnext(struct mreader *m)
{
	struct sd_err e;
	int st;

	while ((st = instream_next(&m->in, &m->rec, &e)) > 0) {
		if (m->rec.bad_encoding)
			sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
			           "bytes that are not valid in the input encoding");
		else if (m->rec.nf != m->in.hdr_nf)
			sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
			           "%zu fields where the header has %zu", m->rec.nf, m->in.hdr_nf);
		else
			return 1;
	}
	if (st < 0)
		sd_adderr(m->err, e.code, "%s", e.msg);
	return st;
}


/* The trimmed cell of column k (empty if the column is absent). */
static struct csv_field cell(const struct mreader *m, int k)
{
	return record_cell(&m->rec, m->cols, k);
}

static int bad(struct mreader *m, int k, const char *what)
{
	struct csv_field f = cell(m, k);

	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line, "column '%s': %s %s",
	                  m->names[k], diag_quote(f.s, f.n), what);
}

static int need(struct mreader *m, int k)
{
	if (cell(m, k).n)
		return 0;
	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line, "column '%s' is empty",
	                  m->names[k]);
}

static int dup(struct mreader *m, const char *key, long first)
{
	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
	                  "duplicate key %s (first at line %ld)", diag_qstr(key), first);
}

/* Out of memory ends the loading at once: the bad rows so far give way to it. */
static int oom(struct mreader *m)
{
	sd_seterr(m->err, EX_OSERR, "out of memory loading %s", m->name);
	return -1;
}

static size_t keep(struct sbuf *text, struct csv_field f)
{
	size_t off = text->len;

	if (sbuf_add(text, f.s, f.n) < 0 || sbuf_addch(text, '\0') < 0)
		return (size_t)-1;
	return off;
}

static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	p = sd_realloc(*v, *cap * size);
	if (!p)
		return -1;
	*v = p;
	return 0;
}

/* Adds rec (size bytes, its line number a long at line_off) to a table keyed by key: v
 * holds n records of cap, idx maps each key to its record.  A key already there is a
 * bad row (the duplicate, with the first one's line).  0, or -1 out of memory. */
static int keyed_add(struct mreader *m, struct strmap *idx, struct csv_field key, void **v,
                     size_t *n, size_t *cap, size_t size, const void *rec, size_t line_off)
{
	int added;
	long i;

	if (grow(v, *n, cap, size) || (i = strmap_add(idx, key.s, key.n, 0, &added)) < 0)
		return oom(m);
	if (!added) {
		long first;
		memcpy(&first, (const char *)*v + idx->e[i].val * size + line_off, sizeof first);
		(void)dup(m, strmap_key(idx, (size_t)i), first);
		return 0;
	}
	idx->e[i].val = *n;
	memcpy((char *)*v + *n * size, rec, size);
	(*n)++;
	return 0;
}

/* Money, a decimal or a whole number in a master cell; blank gives dflt. */
static int money_cell(struct mreader *m, int k, int scale, int64_t dflt, int allow_neg,
                      int64_t *out)
{
	struct csv_field f = cell(m, k);

	if (!f.n) {
		*out = dflt;
		return 0;
	}
	if (parse_money(f.s, f.n, scale, out) != NUM_OK || (!allow_neg && *out < 0))
		return bad(m, k, allow_neg ? "is not an amount" : "is not an amount of 0 or more");
	return 0;
}

static int plain_cell(struct mreader *m, int k, int scale, int64_t *out)
{
	struct csv_field f = cell(m, k);

	*out = 0;
	if (!f.n)
		return 0;
	if (parse_plain(f.s, f.n, scale, out) != NUM_OK)
		return bad(m, k, scale ? "is not a number of 0 or more" : "is not a whole number");
	return 0;
}

/* ---- customers ---- */

enum { C_ID, C_NAME, C_CITY, C_REGION, C_OFFICE, C_LIMIT, C_TERMS, C_STATUS, C_CONTACT,
       C_PHONE, C_ADDRESS, C_N };
static const char *const cust_cols[C_N] = {
	"customer_id", "customer_name", "city", "region", "office", "credit_limit",
	"payment_terms_days", "status", "contact", "phone", "address"
};

int customers_load(struct customers *c, const char *path, const struct master_io *io,
                   struct sd_err *err)
{
	struct mreader m;
	int cols[C_N], st;
	size_t cap = 0;

	memset(c, 0, sizeof *c);
	strmap_init(&c->idx);
	sbuf_init(&c->text);
	if (mopen(&m, path, io, cust_cols, cols, C_N, 3, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct customer cu;
		struct csv_field id = cell(&m, C_ID), s = cell(&m, C_STATUS);
		int64_t v;

		if (need(&m, C_ID) || need(&m, C_NAME) || need(&m, C_CITY))
			continue;
		memset(&cu, 0, sizeof cu);
		if (money_cell(&m, C_LIMIT, SCALE_AMOUNT, 0, 0, &cu.credit_limit))
			continue;
		cu.limit_blank = cell(&m, C_LIMIT).n == 0;
		cu.terms = -1;
		cu.line = m.rec.line;
		if (cell(&m, C_TERMS).n) {
			if (plain_cell(&m, C_TERMS, 0, &v))
				continue;
			if (v > 3650) {
				(void)bad(&m, C_TERMS, "is too large (allowed 0-3650 days)");
				continue;
			}
			cu.terms = (int)v;
		}
		if (field_eq(s, "blocked"))
			cu.blocked = 1;
		else if (s.n && !field_eq(s, "active")) {
			(void)bad(&m, C_STATUS, "is not a status (allowed: active, blocked)");
			continue;
		}
		cu.id = keep(&c->text, id);
		cu.name = keep(&c->text, cell(&m, C_NAME));
		cu.city = keep(&c->text, cell(&m, C_CITY));
		cu.region = keep(&c->text, cell(&m, C_REGION));
		cu.office = keep(&c->text, cell(&m, C_OFFICE));
		cu.contact = keep(&c->text, cell(&m, C_CONTACT));
		cu.phone = keep(&c->text, cell(&m, C_PHONE));
		cu.address = keep(&c->text, cell(&m, C_ADDRESS));
		/* each keep may fail alone (a later, smaller one can still fit) */
		if (cu.id == (size_t)-1 || cu.name == (size_t)-1 || cu.city == (size_t)-1 ||
		    cu.region == (size_t)-1 || cu.office == (size_t)-1 ||
		    cu.contact == (size_t)-1 || cu.phone == (size_t)-1 ||
		    cu.address == (size_t)-1) {
			(void)oom(&m);
			goto fail;
		}
		if (keyed_add(&m, &c->idx, id, (void **)&c->v, &c->n, &cap, sizeof *c->v, &cu,
		              offsetof(struct customer, line)) < 0)
			goto fail;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	return 0;
fail:	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
	instream_close(&m.in);
	customers_free(c);
	return -1;
}

const struct customer *customer_find(const struct customers *c, const char *id, size_t n)
{
	long i = strmap_find(&c->idx, id, n);
	return i < 0 ? NULL : &c->v[c->idx.e[i].val];
}

void customers_free(struct customers *c)
{
	sd_free(c->v);
	strmap_free(&c->idx);
	sbuf_release(&c->text);
	c->v = NULL;
	c->n = 0;
}

/* ---- products ---- */

enum { P_SKU, P_NAME, P_PRICE, P_UNIT, P_WEIGHT, P_VOLUME, P_STATUS, P_N };
static const char *const prod_cols[P_N] = {
	"sku", "product_name", "list_price", "unit", "unit_weight_kg", "unit_volume_m3", "status"
};

int products_load(struct products *p, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	struct mreader m;
	int cols[P_N], st;
	size_t cap = 0;

	memset(p, 0, sizeof *p);
	strmap_init(&p->idx);
	sbuf_init(&p->text);
	if (mopen(&m, path, io, prod_cols, cols, P_N, 3, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct product pr;
		struct csv_field sku = cell(&m, P_SKU), s = cell(&m, P_STATUS), u = cell(&m, P_UNIT);

		if (need(&m, P_SKU) || need(&m, P_NAME) || need(&m, P_PRICE))
			continue;
		memset(&pr, 0, sizeof pr);
		pr.line = m.rec.line;
		if (money_cell(&m, P_PRICE, SCALE_PRICE, 0, 0, &pr.list_price) ||
		    plain_cell(&m, P_WEIGHT, SCALE_WEIGHT, &pr.unit_weight) ||
		    plain_cell(&m, P_VOLUME, SCALE_VOLUME, &pr.unit_volume))
			continue;
		if (field_eq(s, "inactive"))
			pr.inactive = 1;
		else if (s.n && !field_eq(s, "active")) {
			(void)bad(&m, P_STATUS, "is not a status (allowed: active, inactive)");
			continue;
		}
		if (!u.n) {
			u.s = "件";
			u.n = strlen(u.s);
		}
		pr.sku = keep(&p->text, sku);
		pr.name = keep(&p->text, cell(&m, P_NAME));
		pr.unit = keep(&p->text, u);
		if (pr.sku == (size_t)-1 || pr.name == (size_t)-1 || pr.unit == (size_t)-1) {
			(void)oom(&m);
			goto fail;
		}
		if (keyed_add(&m, &p->idx, sku, (void **)&p->v, &p->n, &cap, sizeof *p->v, &pr,
		              offsetof(struct product, line)) < 0)
			goto fail;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	return 0;
fail:	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
	instream_close(&m.in);
	products_free(p);
	return -1;
}

const struct product *product_find(const struct products *p, const char *sku, size_t n)
{
	long i = strmap_find(&p->idx, sku, n);
	return i < 0 ? NULL : &p->v[p->idx.e[i].val];
}

void products_free(struct products *p)
{
	sd_free(p->v);
	strmap_free(&p->idx);
	sbuf_release(&p->text);
	p->v = NULL;
	p->n = 0;
}

/* ---- balances ---- */

enum { B_ID, B_BAL, B_N };
static const char *const bal_cols[B_N] = { "customer_id", "open_balance" };

int balances_load(struct balances *b, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	struct mreader m;
	int cols[B_N], st;
	struct strmap lines;

	strmap_init(&b->idx);
	strmap_init(&lines);
	if (mopen(&m, path, io, bal_cols, cols, B_N, 2, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct csv_field id = cell(&m, B_ID);
		int64_t v;
		int added;
		long i;

		if (need(&m, B_ID) || need(&m, B_BAL) ||
		    money_cell(&m, B_BAL, SCALE_AMOUNT, 0, 1, &v))
			continue;
		i = strmap_add(&b->idx, id.s, id.n, (uint64_t)v, &added);
		if (i < 0 || strmap_add(&lines, id.s, id.n, (uint64_t)m.rec.line, &added) < 0) {
			(void)oom(&m);
			goto fail;
		}
		if (!added)
			(void)dup(&m, strmap_key(&b->idx, (size_t)i), (long)lines.e[i].val);
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	strmap_free(&lines);
	instream_close(&m.in);
	return 0;
fail:	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
	strmap_free(&lines);
	instream_close(&m.in);
	balances_free(b);
	return -1;
}

int64_t balance_of(const struct balances *b, const char *id, size_t n)
{
	long i = strmap_find(&b->idx, id, n);
	return i < 0 ? 0 : (int64_t)b->idx.e[i].val;
}

void balances_free(struct balances *b)
{
	strmap_free(&b->idx);
}

/* ---- shipment ids of the archive ---- */

static const char *const ship_cols[1] = { "shipment_id" };

int shipment_ids_load(struct strmap *ids, const char *path, const struct master_io *io,
                      struct sd_err *err)
{
	struct mreader m;
	int cols[1], st, added;

	if (mopen(&m, path, io, ship_cols, cols, 1, 1, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct csv_field id = cell(&m, 0);

		if (need(&m, 0))
			continue;
		if (strmap_add(ids, id.s, id.n, 0, &added) < 0) {
			st = oom(&m);
			break;
		}
	}
	if (st == 0 && sd_bad_end(m.err, m.nbad, m.name) < 0)
		st = -1;
	instream_close(&m.in);
	return st;
}

void shipment_id_next(char *sid, size_t size, const char *day, unsigned long *seq,
                      const struct strmap *ids)
{
	do
		snprintf(sid, size, "SH%s-%04lu", day, ++*seq);
	while (strmap_find(ids, sid, strlen(sid)) >= 0);
}

/* ---- carrier claims (complaints(1) --report claims) ---- */

enum { CL_ID, CL_HOLD, CL_N };
static const char *const claim_cols[CL_N] = { "shipment_id", "hold_amount" };

int claims_load(struct strmap *holds, const char *path, const struct master_io *io,
                struct sd_err *err)
{
	struct mreader m;
	int cols[CL_N], st, added;

	if (mopen(&m, path, io, claim_cols, cols, CL_N, CL_N, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct csv_field id = cell(&m, CL_ID);
		int64_t v;
		long i;

		if (need(&m, CL_ID) || need(&m, CL_HOLD) ||
		    money_cell(&m, CL_HOLD, SCALE_AMOUNT, 0, 0, &v))
			continue;
		if ((i = strmap_add(holds, id.s, id.n, 0, &added)) < 0) {
			st = oom(&m);
			break;
		}
		/* a shipment in two rows (two files) holds back both */
		if (__builtin_add_overflow((int64_t)holds->e[i].val, v, &v)) {
			(void)bad(&m, CL_HOLD, "makes the shipment's hold overflow");
			continue;
		}
		holds->e[i].val = (uint64_t)v;
	}
	if (st == 0 && sd_bad_end(m.err, m.nbad, m.name) < 0)
		st = -1;
	instream_close(&m.in);
	return st;
}

/* ---- earlier confirmed lines ---- */

enum { E_ORDER, E_LINE, E_CUST, E_SKU, E_QTY, E_PRICE, E_SHIP, E_ODATE, E_STATUS, E_N };
static const char *const earlier_cols[E_N] = {
	"order_no", "line_no", "customer_id", "sku", "qty", "unit_price", "ship_date",
	"order_date", "status"
};

void earlier_init(struct earlier *e)
{
	memset(e, 0, sizeof *e);
	strmap_init(&e->idx);
	strmap_init(&e->orders);
	sbuf_init(&e->text);
}

/* The map key: order_no, a unit separator (never in a trimmed id), line_no. */
static int order_line_key(struct sbuf *k, const char *o, size_t on, const char *l, size_t ln)
{
	sbuf_reset(k);
	return (sbuf_add(k, o, on) < 0 || sbuf_addch(k, 0x1f) < 0 || sbuf_add(k, l, ln) < 0)
	       ? -1 : 0;
}

/* A confirmed line into l; -1 for a bad row (reported, skipped). */
static int earlier_row(struct mreader *m, struct earlier_line *l)
{
	struct csv_field f;
	int k;

	for (k = E_ORDER; k <= E_ODATE; k++)
		if (need(m, k))
			return -1;
	f = cell(m, E_QTY);
	if (parse_qty(f.s, f.n, &l->qty) != NUM_OK)
		return bad(m, E_QTY, "is not a whole number above 0");
	if (money_cell(m, E_PRICE, SCALE_PRICE, 0, 0, &l->price))
		return -1;
	f = cell(m, E_SHIP);
	if (parse_date(f.s, f.n, &l->ship_date) < 0)
		return bad(m, E_SHIP, "is not a date");
	f = cell(m, E_ODATE);
	if (parse_date(f.s, f.n, &l->order_date) < 0)
		return bad(m, E_ODATE, "is not a date");
	return 0;
}

static int same_order(const struct strmap *m, long i, struct csv_field o)
{
	return i >= 0 && m->e[i].klen == o.n && !memcmp(strmap_key(m, (size_t)i), o.s, o.n);
}

int earlier_load(struct earlier *e, const char *path, int32_t day, const struct master_io *io,
                 struct sd_err *err)
{
	struct mreader m;
	struct sbuf key = SBUF_INIT;
	int cols[E_N], st;
	long last = -1;         /* the previous line's order in e->orders */

	if (mopen(&m, path, io, earlier_cols, cols, E_N, E_N, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct earlier_line l;
		struct csv_field o = cell(&m, E_ORDER), ln = cell(&m, E_LINE);
		int added;
		long i;

		if (!field_eq(cell(&m, E_STATUS), "confirmed"))
			continue;       /* a held line was not confirmed: it may come again */
		if (earlier_row(&m, &l) < 0)
			continue;
		l.day = day;
		if (order_line_key(&key, o.s, o.n, ln.s, ln.n) < 0 ||
		    (i = strmap_add(&e->idx, key.buf, key.len, e->n, &added)) < 0) {
			(void)oom(&m);
			goto fail;
		}
		if (!added)
			continue;       /* the archive's first confirmation is the one named */
		l.cust = keep(&e->text, cell(&m, E_CUST));
		l.sku = keep(&e->text, cell(&m, E_SKU));
		/* an order's lines come together: its key is added at its first line */
		if (l.cust == (size_t)-1 || l.sku == (size_t)-1 ||
		    grow((void **)&e->v, e->n, &e->cap, sizeof *e->v) ||
		    (!same_order(&e->orders, last, o) &&
		     (last = strmap_add(&e->orders, o.s, o.n, e->n, &added)) < 0)) {
			(void)oom(&m);
			goto fail;
		}
		e->v[e->n++] = l;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	sbuf_release(&key);
	return 0;
fail:	/* as for the masters: closing twice is allowed, the table stays the caller's */
	instream_close(&m.in);
	sbuf_release(&key);
	return -1;
}

const struct earlier_line *earlier_order(const struct earlier *e, const char *order_no,
                                         size_t on)
{
	long i = e->n ? strmap_find(&e->orders, order_no, on) : -1;
	return i < 0 ? NULL : &e->v[e->orders.e[i].val];
}

const struct earlier_line *earlier_find(const struct earlier *e, const char *order_no,
                                        size_t on, const char *line_no, size_t ln,
                                        struct sbuf *key)
{
	long i;

	if (!e->n || order_line_key(key, order_no, on, line_no, ln) < 0)
		return NULL;
	i = strmap_find(&e->idx, key->buf, key->len);
	return i < 0 ? NULL : &e->v[e->idx.e[i].val];
}

void earlier_free(struct earlier *e)
{
	sd_free(e->v);
	strmap_free(&e->idx);
	strmap_free(&e->orders);
	sbuf_release(&e->text);
	memset(e, 0, sizeof *e);
}

/* ---- cancellations ---- */

enum { X_ORDER, X_REASON, X_LINE, X_N };
static const char *const cancel_cols[X_N] = { "order_no", "reason", "line_no" };

void cancels_init(struct cancels *c)
{
	strmap_init(&c->idx);
	sbuf_init(&c->text);
}

int cancels_add(struct cancels *c, struct csv_field order_no, struct csv_field line_no,
                struct csv_field reason, struct sbuf *key)
{
	size_t why;
	int added;
	long i;

	if (order_line_key(key, order_no.s, order_no.n, line_no.s, line_no.n) < 0 ||
	    (i = strmap_add(&c->idx, key->buf, key->len, 0, &added)) < 0)
		return -1;
	if (!added)
		return 0;
	if ((why = keep(&c->text, reason)) == (size_t)-1)
		return -1;
	c->idx.e[i].val = why;
	return 0;
}

int cancels_load(struct cancels *c, const char *path, const struct master_io *io,
                 struct sd_err *err)
{
	struct mreader m;
	struct sbuf key = SBUF_INIT;
	int cols[X_N], st;

	if (mopen(&m, path, io, cancel_cols, cols, X_N, 2, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		if (need(&m, X_ORDER) || need(&m, X_REASON))
			continue;
		if (cancels_add(c, cell(&m, X_ORDER), cell(&m, X_LINE), cell(&m, X_REASON),
		                &key) < 0) {
			(void)oom(&m);
			goto fail;
		}
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	sbuf_release(&key);
	return 0;
fail:
	instream_close(&m.in);
	sbuf_release(&key);
	return -1;
}

const char *cancel_reason(const struct cancels *c, const char *order_no, size_t on,
                          const char *line_no, size_t ln, struct sbuf *key)
{
	long i = -1;

	if (!c->idx.count)
		return NULL;
	if (order_line_key(key, order_no, on, line_no, ln) == 0)
		i = strmap_find(&c->idx, key->buf, key->len);
	if (i < 0 && order_line_key(key, order_no, on, "", 0) == 0)
		i = strmap_find(&c->idx, key->buf, key->len);
	return i < 0 ? NULL : c->text.buf + c->idx.e[i].val;
}

void cancels_free(struct cancels *c)
{
	strmap_free(&c->idx);
	sbuf_release(&c->text);
}

/* ---- complaint categories ---- */

enum { K_NAME, K_DEPT, K_RESPONSE, K_RESOLVE, K_CALLBACK, K_CLAIM, K_N };
static const char *const cat_cols[K_N] = {
	"category", "department", "response_days", "resolve_days", "callback_days", "claim"
};
/* The three time limits, read the same way: whole working days, 0-365. */
static const struct {
	int col;
	size_t off;
} cat_days[] = {
	{ K_RESPONSE, offsetof(struct category, response_days) },
	{ K_RESOLVE, offsetof(struct category, resolve_days) },
	{ K_CALLBACK, offsetof(struct category, callback_days) },
};

static int read_category(struct mreader *m, struct category *k)
{
	struct csv_field cl = cell(m, K_CLAIM);
	size_t i;
	int64_t v;

	memset(k, 0, sizeof *k);
	if (need(m, K_NAME) || need(m, K_DEPT))
		return -1;
	for (i = 0; i < sizeof cat_days / sizeof cat_days[0]; i++) {
		if (need(m, cat_days[i].col) || plain_cell(m, cat_days[i].col, 0, &v))
			return -1;
		if (v > 365)
			return bad(m, cat_days[i].col, "is too large (allowed 0-365 working days)");
		*(int *)(void *)((char *)k + cat_days[i].off) = (int)v;
	}
	if (k->response_days > k->resolve_days)
		return bad(m, K_RESPONSE, "is more than resolve_days (a response comes first)");
	if (field_eq(cl, "yes") || field_eq(cl, "是"))
		k->claim = 1;
	else if (cl.n && !field_eq(cl, "no") && !field_eq(cl, "否"))
		return bad(m, K_CLAIM, "is not yes or no (是, 否)");
	k->line = m->rec.line;
	return 0;
}

int categories_load(struct categories *c, const char *path, const struct master_io *io,
                    struct sd_err *err)
{
	struct mreader m;
	int cols[K_N], st;
	size_t cap = 0;

	memset(c, 0, sizeof *c);
	strmap_init(&c->idx);
	sbuf_init(&c->text);
	if (mopen(&m, path, io, cat_cols, cols, K_N, K_CLAIM, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct category k;
		struct csv_field name = cell(&m, K_NAME);

		if (read_category(&m, &k) < 0)
			continue;
		k.name = keep(&c->text, name);
		k.department = keep(&c->text, cell(&m, K_DEPT));
		if (k.name == (size_t)-1 || k.department == (size_t)-1) {
			(void)oom(&m);
			goto fail;
		}
		if (keyed_add(&m, &c->idx, name, (void **)&c->v, &c->n, &cap, sizeof *c->v, &k,
		              offsetof(struct category, line)) < 0)
			goto fail;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	return 0;
fail:	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
	instream_close(&m.in);
	categories_free(c);
	return -1;
}

const struct category *category_find(const struct categories *c, const char *s, size_t n)
{
	long i = strmap_find(&c->idx, s, n);
	return i < 0 ? NULL : &c->v[c->idx.e[i].val];
}

void categories_free(struct categories *c)
{
	sd_free(c->v);
	strmap_free(&c->idx);
	sbuf_release(&c->text);
	c->v = NULL;
	c->n = 0;
}

/* ---- working-day calendar ---- */

enum { W_DATE, W_TYPE, W_N };
static const char *const cal_cols[W_N] = { "date", "day_type" };
/* The words of day_type: a holiday, or a weekend day made a working day (调休). */
static const struct {
	const char *word;
	int work;
} day_types[] = {
	{ "holiday", 0 }, { "休", 0 }, { "假", 0 }, { "workday", 1 }, { "班", 1 }, { "调休", 1 },
};

static int read_day(struct mreader *m, int32_t *d, int *work)
{
	struct csv_field f = cell(m, W_DATE);
	size_t i;

	if (need(m, W_DATE) || need(m, W_TYPE))
		return -1;
	if (parse_date(f.s, f.n, d) < 0)
		return bad(m, W_DATE, "is not a date");
	f = cell(m, W_TYPE);
	for (i = 0; i < sizeof day_types / sizeof day_types[0]; i++)
		if (field_eq(f, day_types[i].word)) {
			*work = day_types[i].work;
			return 0;
		}
	return bad(m, W_TYPE, "is not a day type (allowed: holiday 休, workday 班)");
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

int calendar_load(struct workcal *cal, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	struct mreader m;
	struct strmap seen;     /* date -> its line, for the duplicate's message */
	int cols[W_N], st, work = 0, added;
	size_t cap = 0, i;
	int32_t *pairs = NULL;  /* (date, work) pairs, sorted together */
	long k;

	memset(cal, 0, sizeof *cal);
	strmap_init(&seen);
	if (mopen(&m, path, io, cal_cols, cols, W_N, W_N, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		int32_t d;
		if (read_day(&m, &d, &work) < 0)
			continue;
		if ((k = strmap_add(&seen, (const char *)&d, sizeof d, (uint64_t)m.rec.line,
		                    &added)) < 0 ||
		    grow((void **)&pairs, cal->n * 2 + 1, &cap, sizeof *pairs)) {
			(void)oom(&m);
			goto fail;
		}
		if (!added) {
			char b[16];
			fmt_date(b, d);
			(void)dup(&m, b, (long)seen.e[k].val);
			continue;
		}
		pairs[cal->n * 2] = d;
		pairs[cal->n * 2 + 1] = work;
		cal->n++;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	if (cal->n)     /* qsort wants a valid pointer even for no items */
		qsort(pairs, cal->n, 2 * sizeof *pairs, cmp_day);
	cal->day = sd_realloc(NULL, (cal->n ? cal->n : 1) * sizeof *cal->day);
	cal->work = sd_realloc(NULL, cal->n ? cal->n : 1);
	if (!cal->day || !cal->work) {
		(void)oom(&m);
		goto fail;
	}
	for (i = 0; i < cal->n; i++) {
		cal->day[i] = pairs[2 * i];
		cal->work[i] = (unsigned char)pairs[2 * i + 1];
	}
	sd_free(pairs);
	strmap_free(&seen);
	instream_close(&m.in);
	return 0;
fail:
	sd_free(pairs);
	strmap_free(&seen);
	instream_close(&m.in);
	calendar_free(cal);
	return -1;
}

void calendar_free(struct workcal *cal)
{
	sd_free(cal->day);
	sd_free(cal->work);
	cal->day = NULL;
	cal->work = NULL;
	cal->n = 0;
}

/* ---- rates ---- */

enum {
	R_CARRIER, R_MODE, R_CITY, R_FUEL, R_VTYPE, R_CAPKG, R_CAPM3, R_TRIP, R_VEH, R_RATE,
	R_MIN, R_FACTOR, R_N
};
static const char *const rate_cols[R_N] = {
	"carrier", "mode", "dest_city", "fuel_pct", "vehicle_type", "capacity_kg",
	"capacity_m3", "trip_charge", "vehicles", "rate_per_kg", "min_charge", "kg_per_m3"
};

const char *mode_name(int mode)
{
	return mode == MODE_FTL ? "FTL" : "LTL";
}

static int lane_key(struct sbuf *k, const char *carrier, size_t cn, int mode,
                    const char *vtype, size_t vn, const char *city, size_t yn)
{
	sbuf_reset(k);
	return sbuf_add(k, carrier, cn) | sbuf_addch(k, 0x1f) | sbuf_addstr(k, mode_name(mode)) |
	       sbuf_addch(k, 0x1f) | sbuf_add(k, vtype, vn) | sbuf_addch(k, 0x1f) |
	       (city ? sbuf_add(k, city, yn) : 0);
}

static int read_lane(struct mreader *m, struct lane *l)
{
	struct csv_field mo = cell(m, R_MODE), f;
	int64_t v;

	memset(l, 0, sizeof *l);
	if (need(m, R_CARRIER) || need(m, R_MODE) || need(m, R_CITY))
		return -1;
	if (field_eq(mo, "FTL") || field_eq(mo, "ftl") || field_eq(mo, "整车"))
		l->mode = MODE_FTL;
	else if (field_eq(mo, "LTL") || field_eq(mo, "ltl") || field_eq(mo, "零担"))
		l->mode = MODE_LTL;
	else
		return bad(m, R_MODE, "is not a mode (allowed: FTL, LTL)");
	f = cell(m, R_FUEL);
	if (f.n && parse_pct(f.s, f.n, &l->fuel_pct) != NUM_OK)
		return bad(m, R_FUEL, "is not a percentage of 0 or more");
	l->vehicles = -1;
	if (l->mode == MODE_FTL) {
		if (need(m, R_VTYPE) || need(m, R_CAPKG) || need(m, R_CAPM3) ||
		    need(m, R_TRIP) ||
		    plain_cell(m, R_CAPKG, SCALE_WEIGHT, &l->capacity_kg) ||
		    plain_cell(m, R_CAPM3, SCALE_VOLUME, &l->capacity_m3) ||
		    money_cell(m, R_TRIP, SCALE_PRICE, 0, 0, &l->trip_charge))
			return -1;
		if (l->capacity_kg <= 0)
			return bad(m, R_CAPKG, "is not a capacity above 0");
		if (l->capacity_m3 <= 0)
			return bad(m, R_CAPM3, "is not a capacity above 0");
		if (cell(m, R_VEH).n) {
			if (plain_cell(m, R_VEH, 0, &v))
				return -1;
			if (v > 1000000)
				return bad(m, R_VEH, "is too large (allowed 0-1000000)");
			l->vehicles = (long)v;
		}
	} else {
		if (need(m, R_RATE) || need(m, R_MIN) ||
		    money_cell(m, R_RATE, SCALE_PRICE, 0, 0, &l->rate_per_kg) ||
		    money_cell(m, R_MIN, SCALE_PRICE, 0, 0, &l->min_charge))
			return -1;
		f = cell(m, R_FACTOR);
		if (f.n && parse_plain(f.s, f.n, SCALE_PRICE, &l->kg_per_m3) != NUM_OK)
			return bad(m, R_FACTOR, "is not a number of 0 or more");
	}
	l->line = m->rec.line;
	return 0;
}

int rates_load(struct rates *r, const char *path, const struct master_io *io,
               struct sd_err *err)
{
	struct mreader m;
	struct sbuf key = SBUF_INIT;
	int cols[R_N], st;
	size_t cap = 0;

	memset(r, 0, sizeof *r);
	strmap_init(&r->idx);
	strmap_init(&r->lanes);
	sbuf_init(&r->text);
	if (mopen(&m, path, io, rate_cols, cols, R_N, 3, err) < 0)
		return -1;
	while ((st = mnext(&m)) > 0) {
		struct lane l;
		struct csv_field ca = cell(&m, R_CARRIER), ci = cell(&m, R_CITY);
		struct csv_field vt = cell(&m, R_VTYPE);
		int added;
		long i;

		if (read_lane(&m, &l) < 0)
			continue;
		if (l.mode == MODE_LTL)
			vt.n = 0;       /* LTL lanes have no vehicle type */
		l.carrier = keep(&r->text, ca);
		l.city = keep(&r->text, ci);
		l.vtype = keep(&r->text, vt);
		if (l.carrier == (size_t)-1 || l.city == (size_t)-1 || l.vtype == (size_t)-1 ||
		    grow((void **)&r->v, r->n, &cap, sizeof *r->v) ||
		    lane_key(&key, ca.s, ca.n, l.mode, vt.s, vt.n, ci.s, ci.n) < 0)
			goto nomem;
		i = strmap_add(&r->idx, key.buf, key.len, r->n, &added);
		if (i < 0)
			goto nomem;
		if (!added) {
			(void)sd_bad_row(m.err, &m.nbad, m.name, m.rec.line,
			                 "duplicate lane %s %s %s%s%s (first at line %ld)",
			                 diag_quote(ca.s, ca.n), mode_name(l.mode),
			                 vt.n ? diag_quote(vt.s, vt.n) : "", vt.n ? " " : "",
			                 diag_quote(ci.s, ci.n), r->v[r->idx.e[i].val].line);
			continue;
		}
		if (lane_key(&key, ca.s, ca.n, l.mode, vt.s, vt.n, NULL, 0) < 0 ||
		    strmap_add(&r->lanes, key.buf, key.len, r->n, &added) < 0)
			goto nomem;
		r->v[r->n++] = l;
	}
	if (st < 0 || sd_bad_end(m.err, m.nbad, m.name) < 0)
		goto fail;
	instream_close(&m.in);
	sbuf_release(&key);
	return 0;
nomem:
	(void)oom(&m);
fail:	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
	instream_close(&m.in);
	sbuf_release(&key);
	rates_free(r);
	return -1;
}

/* The lane key of lane_key() in buf, without allocating; 0 when it does not fit. */
static size_t lane_key_in(char *buf, size_t cap, const char *carrier, int mode,
                          const char *vt, const char *city)
{
	const char *part[4] = { carrier, mode_name(mode), vt, city };
	size_t n = 0, k, len;

	for (k = 0; k < 4; k++) {
		len = strlen(part[k]);
		if (n + len + 1 > cap)
			return 0;
		memcpy(buf + n, part[k], len);
		n += len;
		if (k < 3)
			buf[n++] = 0x1f;
	}
	return n;
}

const struct lane *rates_find(const struct rates *r, const char *carrier, int mode,
                              const char *vtype, const char *city)
{
	struct sbuf key = SBUF_INIT;
	const char *vt = mode == MODE_FTL && vtype ? vtype : "";
	char buf[256];
	size_t n;
	long i;

	/* the common case, names of ordinary length: no allocation per lookup */
	if ((n = lane_key_in(buf, sizeof buf, carrier, mode, vt, city))) {
		i = strmap_find(&r->idx, buf, n);
		if (i < 0 && (n = lane_key_in(buf, sizeof buf, carrier, mode, vt, "*")))
			i = strmap_find(&r->idx, buf, n);
		if (n)
			return i < 0 ? NULL : &r->v[r->idx.e[i].val];
	}
	if (lane_key(&key, carrier, strlen(carrier), mode, vt, strlen(vt), city,
	             strlen(city)) < 0) {
		/* out of memory: a scan, so that "no lane" stays a fact about the rate card */
		const struct lane *any = NULL;
		size_t k;
		sbuf_release(&key);
		for (k = 0; k < r->n; k++) {
			const struct lane *l = &r->v[k];
			if (l->mode != mode || strcmp(rate_str(r, l->carrier), carrier) ||
			    strcmp(rate_str(r, l->vtype), vt))
				continue;
			if (!strcmp(rate_str(r, l->city), city))
				return l;
			if (!any && !strcmp(rate_str(r, l->city), "*"))
				any = l;
		}
		return any;
	}
	i = strmap_find(&r->idx, key.buf, key.len);
	if (i < 0) {
		lane_key(&key, carrier, strlen(carrier), mode, vt, strlen(vt), "*", 1);
		i = strmap_find(&r->idx, key.buf, key.len);
	}
	sbuf_release(&key);
	return i < 0 ? NULL : &r->v[r->idx.e[i].val];
}

size_t rates_for_city(const struct rates *r, const char *city, const struct lane **out)
{
	size_t i, k = 0;

	/* one per carrier/mode/vehicle type, in the order those first appear */
	for (i = 0; i < r->lanes.count; i++) {
		const struct lane *first = &r->v[r->lanes.e[i].val];
		const struct lane *l = rates_find(r, rate_str(r, first->carrier), first->mode,
		                                  rate_str(r, first->vtype), city);
		if (l)
			out[k++] = l;
	}
	return k;
}

void rates_free(struct rates *r)
{
	sd_free(r->v);
	strmap_free(&r->idx);
	strmap_free(&r->lanes);
	sbuf_release(&r->text);
	r->v = NULL;
	r->n = 0;
}

/* ---- costs ---- */

/* round(v / den) half away from zero for v >= 0, or -1 when it does not fit 64 bits. */
static int64_t cents_or_overflow(__int128 v, __int128 den)
{
	__int128 q = v / den, rem = v % den;

	if (2 * rem >= den)
		q++;
	return q > INT64_MAX ? -1 : (int64_t)q;
}

int64_t ftl_cost(const struct lane *l)
{
	/* trip_charge × (1 + fuel/100) = trip4 × (10^6 + fuel4) / 10^6, at scale 4+6 */
	__int128 v = (__int128)l->trip_charge * (1000000 + l->fuel_pct);

	return cents_or_overflow(v, 100000000);                         /* to scale 2 */
}

__int128 ltl_chargeable(const struct lane *l, int64_t kg, int64_t m3)
{
	__int128 w = (__int128)kg * 100000;                     /* scale 3 -> 8 */
	__int128 v = (__int128)m3 * l->kg_per_m3;               /* scale 4+4 */

	return v > w ? v : w;
}

int64_t ltl_cost(const struct lane *l, int64_t kg, int64_t m3)
{
	__int128 base = ltl_chargeable(l, kg, m3) * l->rate_per_kg;     /* scale 12 */
	__int128 minc = (__int128)l->min_charge * 100000000;            /* scale 4 -> 12 */

	if (minc > base)
		base = minc;
	/* × (10^6 + fuel4): scale 18; to cents: / 10^16.  The product stays far below
	 * 2^127 for any weight and rate that parse (both under 2^63 / 10^4). */
	if (base > ((__int128)1 << 100))
		return -1;
	base *= 1000000 + l->fuel_pct;
	return cents_or_overflow(base, (__int128)10000000000000000LL);
}

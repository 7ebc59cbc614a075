#include "master.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "num.h"

/* ---- the one loader of every master and reference file (salesdesk(7), Master files) ----
 *
 * A file kind is a table: its columns (the required ones first), the rules that read a
 * row's cells in order, the key column, and the function that adds a checked row to its
 * table.  master_read() does the rest for every kind: the header, the field counts and
 * encodings, the rules, and the bad rows, which are reported and skipped (sd_bad_row) so
 * that one run shows every bad row of the file; the load fails at the end.  A new file
 * kind (the archive's history files) is one more table and one add function. */

#define MCOL_MAX 16             /* columns of the widest kind (the rate card has 12) */

/* What a rule does with its cell.  The reading rules (MONEY to WORD) take a blank cell
 * as .dflt without a word; a cell they cannot read makes the row bad with .what, or the
 * reading's usual message (what_of). */
enum mop {
	M_NEED,         /* the cell is not blank */
	M_MONEY,        /* parse_money at .scale, 0 or more unless .neg */
	M_PLAIN,        /* parse_plain at .scale */
	M_PCT,          /* parse_pct */
	M_QTY,          /* parse_qty */
	M_DATE,         /* parse_date */
	M_WORD,         /* one of .words, as its value */
	M_RANGE,        /* the value of a cell that is not blank lies in [.lo, .hi] */
	M_NOT_ABOVE,    /* the value is not above column .other's */
	M_ONLY,         /* the row is skipped, without a word, unless the cell is .word */
};

struct mword {
	const char *word;
	int value;
};

struct mrule {
	unsigned char op;               /* enum mop */
	unsigned char col;
	unsigned char when;             /* 0: always; else only when 1 + the kind's .sw value */
	unsigned char scale;
	unsigned char neg;              /* M_MONEY: a negative amount is allowed */
	unsigned char other;            /* M_NOT_ABOVE */
	int64_t dflt, lo, hi;
	const char *what;               /* the bad cell's message (NULL: what_of; M_WORD,
	                                 * M_RANGE and M_NOT_ABOVE give it); M_ONLY: the word */
	const struct mword *words;      /* M_WORD, ending in { NULL } */
};

struct mload;
struct mkind {
	const char *const *names;       /* the columns */
	size_t ncols, required;         /* the first required ones must be in the header */
	const struct mrule *rules;
	size_t nrules;
	int key;                        /* the key column, or the first of a composite key */
	int value;                      /* value_add: the value column */
	int sw;                         /* the column whose value selects the rules' .when */
	/* After the header: 0, or -1 (out of memory).  NULL: nothing to do. */
	int (*begin)(struct mload *m, void *to);
	/* A row the rules passed, into the table: 0 (a duplicate is a bad row too), or -1
	 * when the load cannot go on (out of memory, err set). */
	int (*add)(struct mload *m, void *to);
	/* After the last row, before the bad rows are counted; as begin. */
	int (*end)(struct mload *m, void *to);
};

/* One file (or several, as one stream) being read. */
struct mload {
	struct instream in;
	const struct mkind *kind;
	const char *name;               /* the current file, for messages */
	int cols[MCOL_MAX];
	int64_t v[MCOL_MAX];            /* the row's values by column, as its rules read them */
	struct csv_record rec;
	struct sd_err *err;
	size_t nbad;
};

/* The trimmed cell of column k (empty if the column is absent). */
static struct csv_field cell(const struct mload *m, int k)
{
	return record_cell(&m->rec, m->cols, k);
}

static int bad(struct mload *m, int k, const char *what)
{
	struct csv_field f = cell(m, k);

	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line, "column '%s': %s %s",
	                  m->kind->names[k], diag_quote(f.s, f.n), what);
}

static int dup(struct mload *m, const char *key, long first)
{
	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
	                  "duplicate key %s (first at line %ld)", diag_qstr(key), first);
}

/* Out of memory ends the loading at once: the bad rows so far give way to it. */
static int oom(struct mload *m)
{
	sd_seterr(m->err, EX_OSERR, "out of memory loading %s", m->name);
	return -1;
}

static int is_read(const struct mload *m, int col)
{
	size_t k;

	for (k = 0; k < m->kind->ncols; k++)
		if (m->cols[k] == col)
			return 1;
	return 0;
}

/* Hands io->unread each column not read that looks meant for a missing one. */
static void report_unread(const struct mload *m, const struct master_io *io)
{
	const struct hdrmap *map = &m->in.map;
	const char *const *names = m->kind->names;
	size_t i, k, n = m->kind->ncols;
	const char *zh;
	struct sd_err w;

	if (!io->unread)
		return;
	for (i = 0; i < map->n; i++) {
		if (is_read(m, (int)i))
			continue;
		for (k = 0; k < n; k++)
			if (m->cols[k] < 0 && hdr_meant(hdrmap_name(map, i), names[k]))
				break;
		if (k == n)
			continue;
		zh = hdr_zh_label(names[k]);
		sd_seterr(&w, EX_DATAERR, "%s:1: column %s is not read: did you mean '%s'%s%s%s?",
		          m->name,
		          diag_quote(m->in.hdr[i].s, m->in.hdr[i].n), names[k],
		          zh ? " (" : "", zh ? zh : "", zh ? ")" : "");
		io->unread(&w);
	}
}

/* Next data row with the right field count and encoding (the others are bad rows): 1,
 * 0 at the end, -1 when the file cannot be read on (err says why, after the bad rows). */
static int mnext(struct mload *m)
{
	struct sd_err e;
	int st;

	while ((st = instream_next(&m->in, &m->rec, &e)) > 0) {
		m->name = m->in.name;   /* several files are one stream (freight-audit's plans) */
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

static int read_word(const struct mword *w, struct csv_field f, int64_t *v)
{
	for (; w->word; w++)
		if (field_eq(f, w->word)) {
			*v = w->value;
			return 0;
		}
	return -1;
}

/* What is wrong with a cell a reading rule refused, when the rule does not say. */
static const char *what_of(const struct mrule *r)
{
	switch (r->op) {
	case M_MONEY: return r->neg ? "is not an amount" : "is not an amount of 0 or more";
	case M_PLAIN: return r->scale ? "is not a number of 0 or more" : "is not a whole number";
	case M_PCT: return "is not a percentage of 0 or more";
	case M_QTY: return "is not a whole number above 0";
	default: return "is not a date";                /* M_DATE */
	}
}

/* One rule on the row: 0, or -1 for a bad row (reported) or one skipped (M_ONLY). */
static int apply(struct mload *m, const struct mrule *r)
{
	struct csv_field f = cell(m, r->col);
	int64_t *v = &m->v[r->col];
	int32_t d;
	int ok;

	if (r->op == M_NEED)
		return f.n ? 0 : sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
		                            "column '%s' is empty", m->kind->names[r->col]);
	if (r->op == M_ONLY)
		return field_eq(f, r->what) ? 0 : -1;
	if (r->op == M_RANGE)
		ok = !f.n || (*v >= r->lo && *v <= r->hi);
	else if (r->op == M_NOT_ABOVE)
		ok = *v <= m->v[r->other];
	else if (!f.n) {
		*v = r->dflt;
		return 0;
	} else switch (r->op) {
	case M_MONEY:
		ok = parse_money(f.s, f.n, r->scale, v) == NUM_OK && (r->neg || *v >= 0);
		break;
	case M_PLAIN: ok = parse_plain(f.s, f.n, r->scale, v) == NUM_OK; break;
	case M_PCT: ok = parse_pct(f.s, f.n, v) == NUM_OK; break;
	case M_QTY: ok = parse_qty(f.s, f.n, v) == NUM_OK; break;
	case M_DATE:
		if ((ok = parse_date(f.s, f.n, &d) >= 0))
			*v = d;
		break;
	default: ok = read_word(r->words, f, v) == 0; break;
	}
	return ok ? 0 : bad(m, r->col, r->what ? r->what : what_of(r));
}

/* The kind's rules in order: the first that fails makes the row bad. */
static int check_cells(struct mload *m)
{
	const struct mkind *k = m->kind;
	size_t i;

	memset(m->v, 0, sizeof m->v);
	for (i = 0; i < k->nrules; i++) {
		const struct mrule *r = &k->rules[i];
		if (r->when && r->when != 1 + m->v[k->sw])
			continue;
		if (apply(m, r) < 0)
			return -1;
	}
	return 0;
}

/* Reads the files of paths (one stream) as kind k into to.  0, or -1 with err filled
 * in: the file cannot be read (EX_NOINPUT, ...), its header lacks a column, it has bad
 * rows (EX_DATAERR, each FILE:LINE), or out of memory (EX_OSERR). */
static int master_read(const struct mkind *k, char **paths, size_t npaths,
                       const struct master_io *io, void *to, struct sd_err *err)
{
	struct mload m;
	int st = 0;

	m.kind = k;
	m.name = diag_name(paths[0]);
	m.err = err;
	m.nbad = 0;
	err->msg[0] = '\0';
	if (instream_open(&m.in, paths, npaths, io->delim, io->encoding, err) < 0 ||
	    instream_columns(&m.in, k->names, m.cols, k->ncols, k->required, err) < 0) {
		instream_close(&m.in);          /* a failed open keeps what it allocated */
		return -1;
	}
	report_unread(&m, io);
	if (k->begin)
		st = k->begin(&m, to);
	while (st == 0 && (st = mnext(&m)) > 0)
		st = check_cells(&m) < 0 ? 0 : k->add(&m, to);
	if (st == 0 && k->end)
		st = k->end(&m, to);
	if (st == 0)
		st = sd_bad_end(err, m.nbad, m.name);
	instream_close(&m.in);
	return st;
}

/* One file of one kind. */
static int master_read1(const struct mkind *k, const char *path, const struct master_io *io,
                        void *to, struct sd_err *err)
{
	char *paths[1];

	paths[0] = (char *)path;
	return master_read(k, paths, 1, io, to, err);
}

/* Each of the files in turn, each with its own header, as kind k into to (a repeatable
 * option's files: --used, --billed, --claims, --cancel): the first that fails ends it. */
static int master_read_each(const struct mkind *k, char *const *paths, size_t n,
                            const struct master_io *io, void *to, struct sd_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (master_read1(k, paths[i], io, to, err) < 0)
			return -1;
	return 0;
}

/* ---- what the add functions share ---- */

static size_t keep(struct sbuf *text, struct csv_field f)
{
	size_t off = text->len;

	if (sbuf_add(text, f.s, f.n) < 0 || sbuf_addch(text, '\0') < 0)
		return (size_t)-1;
	return off;
}

/* The text columns of a record: each cell kept in the table's text, its offset stored
 * at off in the record; a blank cell keeps dflt when there is one. */
struct mtext {
	int col;
	size_t off;
	const char *dflt;
};

static int keep_texts(struct mload *m, struct sbuf *text, const struct mtext *t, size_t n,
                      void *rec)
{
	size_t i, off;

	for (i = 0; i < n; i++) {
		struct csv_field f = cell(m, t[i].col);
		if (!f.n && t[i].dflt) {
			f.s = t[i].dflt;
			f.n = strlen(f.s);
		}
		if ((off = keep(text, f)) == (size_t)-1)
			return oom(m);
		memcpy((char *)rec + t[i].off, &off, sizeof off);
	}
	return 0;
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

/* Adds rec (size bytes, its line number a long at line_off) to a table keyed by the
 * kind's key column: v holds n records of cap, idx maps each key to its record.  A key
 * already there is a bad row (the duplicate, with the first one's line).  0, or -1 out
 * of memory. */
static int keyed_add(struct mload *m, struct strmap *idx, void **v, size_t *n, size_t *cap,
                     size_t size, const void *rec, size_t line_off)
{
	struct csv_field key = cell(m, m->kind->key);
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

/* A file of key and value (balances, accessorials): map takes key -> value (as uint64
 * bits), lines the line of each key, for the duplicate's message. */
struct value_map {
	struct strmap *map;
	struct strmap lines;
};

static int value_add(struct mload *m, void *to)
{
	struct value_map *t = to;
	struct csv_field id = cell(m, m->kind->key);
	int added;
	long i;

	i = strmap_add(t->map, id.s, id.n, (uint64_t)m->v[m->kind->value], &added);
	if (i < 0 || strmap_add(&t->lines, id.s, id.n, (uint64_t)m->rec.line, &added) < 0)
		return oom(m);
	if (!added)
		(void)dup(m, strmap_key(t->map, (size_t)i), (long)t->lines.e[i].val);
	return 0;
}

static int value_load(const struct mkind *k, struct strmap *map, const char *path,
                      const struct master_io *io, struct sd_err *err)
{
	struct value_map t;
	int st;

	t.map = map;
	strmap_init(map);
	strmap_init(&t.lines);
	st = master_read1(k, path, io, &t, err);
	strmap_free(&t.lines);
	if (st < 0)
		strmap_free(map);       /* a caller that goes on must not leak */
	return st;
}

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* ---- customers ---- */

enum { C_ID, C_NAME, C_CITY, C_REGION, C_OFFICE, C_LIMIT, C_TERMS, C_STATUS, C_CONTACT,
       C_PHONE, C_ADDRESS, C_N };
static const char *const cust_cols[C_N] = {
	"customer_id", "customer_name", "city", "region", "office", "credit_limit",
	"payment_terms_days", "status", "contact", "phone", "address"
};
static const struct mword cust_status[] = { { "active", 0 }, { "blocked", 1 }, { NULL, 0 } };
static const struct mrule cust_rules[] = {
	{ .op = M_NEED, .col = C_ID },
	{ .op = M_NEED, .col = C_NAME },
	{ .op = M_NEED, .col = C_CITY },
	{ .op = M_MONEY, .col = C_LIMIT, .scale = SCALE_AMOUNT },
	{ .op = M_PLAIN, .col = C_TERMS, .dflt = -1 },
	{ .op = M_RANGE, .col = C_TERMS, .lo = 0, .hi = 3650,
	  .what = "is too large (allowed 0-3650 days)" },
	{ .op = M_WORD, .col = C_STATUS, .words = cust_status,
	  .what = "is not a status (allowed: active, blocked)" },
};
static const struct mtext cust_text[] = {
	{ C_ID, offsetof(struct customer, id), NULL },
	{ C_NAME, offsetof(struct customer, name), NULL },
	{ C_CITY, offsetof(struct customer, city), NULL },
	{ C_REGION, offsetof(struct customer, region), NULL },
	{ C_OFFICE, offsetof(struct customer, office), NULL },
	{ C_CONTACT, offsetof(struct customer, contact), NULL },
	{ C_PHONE, offsetof(struct customer, phone), NULL },
	{ C_ADDRESS, offsetof(struct customer, address), NULL },
};

static int add_customer(struct mload *m, void *to)
{
	struct customers *c = to;
	struct customer cu;

	memset(&cu, 0, sizeof cu);
	cu.credit_limit = m->v[C_LIMIT];
	cu.limit_blank = cell(m, C_LIMIT).n == 0;
	cu.terms = (int)m->v[C_TERMS];
	cu.blocked = (int)m->v[C_STATUS];
	cu.line = m->rec.line;
	if (keep_texts(m, &c->text, cust_text, NELEM(cust_text), &cu) < 0)
		return -1;
	return keyed_add(m, &c->idx, (void **)&c->v, &c->n, &c->cap, sizeof *c->v, &cu,
	                 offsetof(struct customer, line));
}

static const struct mkind customers_kind = {
	.names = cust_cols, .ncols = C_N, .required = 3,
	.rules = cust_rules, .nrules = NELEM(cust_rules),
	.key = C_ID,
	.add = add_customer,
};

int customers_load(struct customers *c, const char *path, const struct master_io *io,
                   struct sd_err *err)
{
	memset(c, 0, sizeof *c);
	strmap_init(&c->idx);
	sbuf_init(&c->text);
	if (master_read1(&customers_kind, path, io, c, err) == 0)
		return 0;
	/* a bad master is fatal to a tool, but a caller that goes on must not leak */
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
	c->n = c->cap = 0;
}

/* ---- products ---- */

enum { P_SKU, P_NAME, P_PRICE, P_UNIT, P_WEIGHT, P_VOLUME, P_STATUS, P_N };
static const char *const prod_cols[P_N] = {
	"sku", "product_name", "list_price", "unit", "unit_weight_kg", "unit_volume_m3", "status"
};
static const struct mword prod_status[] = { { "active", 0 }, { "inactive", 1 }, { NULL, 0 } };
static const struct mrule prod_rules[] = {
	{ .op = M_NEED, .col = P_SKU },
	{ .op = M_NEED, .col = P_NAME },
	{ .op = M_NEED, .col = P_PRICE },
	{ .op = M_MONEY, .col = P_PRICE, .scale = SCALE_PRICE },
	{ .op = M_PLAIN, .col = P_WEIGHT, .scale = SCALE_WEIGHT },
	{ .op = M_PLAIN, .col = P_VOLUME, .scale = SCALE_VOLUME },
	{ .op = M_WORD, .col = P_STATUS, .words = prod_status,
	  .what = "is not a status (allowed: active, inactive)" },
};
static const struct mtext prod_text[] = {
	{ P_SKU, offsetof(struct product, sku), NULL },
	{ P_NAME, offsetof(struct product, name), NULL },
	{ P_UNIT, offsetof(struct product, unit), "件" },
};

static int add_product(struct mload *m, void *to)
{
	struct products *p = to;
	struct product pr;

	memset(&pr, 0, sizeof pr);
	pr.line = m->rec.line;
	pr.list_price = m->v[P_PRICE];
	pr.unit_weight = m->v[P_WEIGHT];
	pr.unit_volume = m->v[P_VOLUME];
	pr.inactive = (int)m->v[P_STATUS];
	if (keep_texts(m, &p->text, prod_text, NELEM(prod_text), &pr) < 0)
		return -1;
	return keyed_add(m, &p->idx, (void **)&p->v, &p->n, &p->cap, sizeof *p->v, &pr,
	                 offsetof(struct product, line));
}

static const struct mkind products_kind = {
	.names = prod_cols, .ncols = P_N, .required = 3,
	.rules = prod_rules, .nrules = NELEM(prod_rules),
	.key = P_SKU,
	.add = add_product,
};

int products_load(struct products *p, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	memset(p, 0, sizeof *p);
	strmap_init(&p->idx);
	sbuf_init(&p->text);
	if (master_read1(&products_kind, path, io, p, err) == 0)
		return 0;
	products_free(p);       /* as for customers */
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
	p->n = p->cap = 0;
}

/* ---- balances ---- */

enum { B_ID, B_BAL, B_N };
static const char *const bal_cols[B_N] = { "customer_id", "open_balance" };
static const struct mrule bal_rules[] = {
	{ .op = M_NEED, .col = B_ID },
	{ .op = M_NEED, .col = B_BAL },
	{ .op = M_MONEY, .col = B_BAL, .scale = SCALE_AMOUNT, .neg = 1 },
};
static const struct mkind balances_kind = {
	.names = bal_cols, .ncols = B_N, .required = B_N,
	.rules = bal_rules, .nrules = NELEM(bal_rules),
	.key = B_ID, .value = B_BAL,
	.add = value_add,
};

int balances_load(struct balances *b, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	return value_load(&balances_kind, &b->idx, path, io, err);
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

/* ---- agreed accessorial charges (freight-audit(1) --accessorials) ---- */

enum { A_CODE, A_MAX, A_DESC, A_N };
static const char *const acc_cols[A_N] = { "code", "max_amount", "description" };
static const struct mrule acc_rules[] = {
	{ .op = M_NEED, .col = A_CODE },
	{ .op = M_NEED, .col = A_MAX },
	{ .op = M_MONEY, .col = A_MAX, .scale = SCALE_AMOUNT },
};
static const struct mkind accessorials_kind = {
	.names = acc_cols, .ncols = A_N, .required = 2,
	.rules = acc_rules, .nrules = NELEM(acc_rules),
	.key = A_CODE, .value = A_MAX,
	.add = value_add,
};

int accessorials_load(struct strmap *max, const char *path, const struct master_io *io,
                      struct sd_err *err)
{
	return value_load(&accessorials_kind, max, path, io, err);
}

/* ---- shipment ids of the archive ---- */

static const char *const ship_cols[1] = { "shipment_id" };
static const struct mrule ship_rules[] = { { .op = M_NEED, .col = 0 } };

static int add_shipment_id(struct mload *m, void *to)
{
	struct csv_field id = cell(m, 0);
	int added;

	return strmap_add(to, id.s, id.n, 0, &added) < 0 ? oom(m) : 0;
}

static const struct mkind shipment_ids_kind = {
	.names = ship_cols, .ncols = 1, .required = 1,
	.rules = ship_rules, .nrules = NELEM(ship_rules),
	.key = 0,
	.add = add_shipment_id,
};

int shipment_ids_load(struct strmap *ids, char *const *paths, size_t n, const struct master_io *io,
                      struct sd_err *err)
{
	return master_read_each(&shipment_ids_kind, paths, n, io, ids, err);
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
static const struct mrule claim_rules[] = {
	{ .op = M_NEED, .col = CL_ID },
	{ .op = M_NEED, .col = CL_HOLD },
	{ .op = M_MONEY, .col = CL_HOLD, .scale = SCALE_AMOUNT },
};

static int add_claim(struct mload *m, void *to)
{
	struct strmap *holds = to;
	struct csv_field id = cell(m, CL_ID);
	int64_t v = m->v[CL_HOLD];
	int added;
	long i;

	if ((i = strmap_add(holds, id.s, id.n, 0, &added)) < 0)
		return oom(m);
	/* a shipment in two rows (two files) holds back both */
	if (__builtin_add_overflow((int64_t)holds->e[i].val, v, &v))
		(void)bad(m, CL_HOLD, "makes the shipment's hold overflow");
	else
		holds->e[i].val = (uint64_t)v;
	return 0;
}

static const struct mkind claims_kind = {
	.names = claim_cols, .ncols = CL_N, .required = CL_N,
	.rules = claim_rules, .nrules = NELEM(claim_rules),
	.key = CL_ID,
	.add = add_claim,
};

int claims_load(struct strmap *holds, char *const *paths, size_t n, const struct master_io *io,
                struct sd_err *err)
{
	return master_read_each(&claims_kind, paths, n, io, holds, err);
}

/* ---- earlier confirmed lines ---- */

enum { E_ORDER, E_LINE, E_CUST, E_SKU, E_QTY, E_PRICE, E_SHIP, E_ODATE, E_STATUS, E_N };
static const char *const earlier_cols[E_N] = {
	"order_no", "line_no", "customer_id", "sku", "qty", "unit_price", "ship_date",
	"order_date", "status"
};
static const struct mrule earlier_rules[] = {
	/* a held line was not confirmed: it may come again */
	{ .op = M_ONLY, .col = E_STATUS, .what = "confirmed" },
	{ .op = M_NEED, .col = E_ORDER },
	{ .op = M_NEED, .col = E_LINE },
	{ .op = M_NEED, .col = E_CUST },
	{ .op = M_NEED, .col = E_SKU },
	{ .op = M_NEED, .col = E_QTY },
	{ .op = M_NEED, .col = E_PRICE },
	{ .op = M_NEED, .col = E_SHIP },
	{ .op = M_NEED, .col = E_ODATE },
	{ .op = M_QTY, .col = E_QTY },
	{ .op = M_MONEY, .col = E_PRICE, .scale = SCALE_PRICE },
	{ .op = M_DATE, .col = E_SHIP },
	{ .op = M_DATE, .col = E_ODATE },
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

static int same_order(const struct strmap *m, long i, struct csv_field o)
{
	return i >= 0 && m->e[i].klen == o.n && !memcmp(strmap_key(m, (size_t)i), o.s, o.n);
}

/* One earlier day's file being added. */
struct earlier_ctx {
	struct earlier *e;
	int32_t day;
	struct sbuf key;
	long last;              /* the previous line's order in e->orders */
};

static int add_earlier(struct mload *m, void *to)
{
	struct earlier_ctx *t = to;
	struct earlier *e = t->e;
	struct earlier_line l;
	struct csv_field o = cell(m, E_ORDER), ln = cell(m, E_LINE);
	int added;
	long i;

	memset(&l, 0, sizeof l);
	l.day = t->day;
	l.qty = m->v[E_QTY];
	l.price = m->v[E_PRICE];
	l.ship_date = (int32_t)m->v[E_SHIP];
	l.order_date = (int32_t)m->v[E_ODATE];
	if (order_line_key(&t->key, o.s, o.n, ln.s, ln.n) < 0 ||
	    (i = strmap_add(&e->idx, t->key.buf, t->key.len, e->n, &added)) < 0)
		return oom(m);
	if (!added)
		return 0;       /* the archive's first confirmation is the one named */
	l.cust = keep(&e->text, cell(m, E_CUST));
	l.sku = keep(&e->text, cell(m, E_SKU));
	/* an order's lines come together: its key is added at its first line */
	if (l.cust == (size_t)-1 || l.sku == (size_t)-1 ||
	    grow((void **)&e->v, e->n, &e->cap, sizeof *e->v) ||
	    (!same_order(&e->orders, t->last, o) &&
	     (t->last = strmap_add(&e->orders, o.s, o.n, e->n, &added)) < 0))
		return oom(m);
	e->v[e->n++] = l;
	return 0;
}

static const struct mkind earlier_kind = {
	.names = earlier_cols, .ncols = E_N, .required = E_N,
	.rules = earlier_rules, .nrules = NELEM(earlier_rules),
	.key = E_ORDER,
	.add = add_earlier,
};

int earlier_load(struct earlier *e, const char *path, int32_t day, const struct master_io *io,
                 struct sd_err *err)
{
	struct earlier_ctx t = { e, day, SBUF_INIT, -1 };
	int st = master_read1(&earlier_kind, path, io, &t, err);

	sbuf_release(&t.key);   /* the table stays the caller's, as it is */
	return st;
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
static const struct mrule cancel_rules[] = {
	{ .op = M_NEED, .col = X_ORDER },
	{ .op = M_NEED, .col = X_REASON },
};

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

/* One cancellations file being added. */
struct cancels_ctx {
	struct cancels *c;
	struct sbuf key;
};

static int add_cancel(struct mload *m, void *to)
{
	struct cancels_ctx *t = to;

	if (cancels_add(t->c, cell(m, X_ORDER), cell(m, X_LINE), cell(m, X_REASON), &t->key) < 0)
		return oom(m);
	return 0;
}

static const struct mkind cancels_kind = {
	.names = cancel_cols, .ncols = X_N, .required = 2,
	.rules = cancel_rules, .nrules = NELEM(cancel_rules),
	.key = X_ORDER,
	.add = add_cancel,
};

int cancels_load(struct cancels *c, char *const *paths, size_t n, const struct master_io *io,
                 struct sd_err *err)
{
	struct cancels_ctx t = { c, SBUF_INIT };
	int st = master_read_each(&cancels_kind, paths, n, io, &t, err);

	sbuf_release(&t.key);
	return st;
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
static const struct mword cat_claim[] = {
	{ "yes", 1 }, { "是", 1 }, { "no", 0 }, { "否", 0 }, { NULL, 0 }
};
static const char days_max[] = "is too large (allowed 0-365 working days)";
static const struct mrule cat_rules[] = {
	{ .op = M_NEED, .col = K_NAME },
	{ .op = M_NEED, .col = K_DEPT },
	/* the three time limits: whole working days, 0-365 */
	{ .op = M_NEED, .col = K_RESPONSE },
	{ .op = M_PLAIN, .col = K_RESPONSE },
	{ .op = M_RANGE, .col = K_RESPONSE, .hi = 365, .what = days_max },
	{ .op = M_NEED, .col = K_RESOLVE },
	{ .op = M_PLAIN, .col = K_RESOLVE },
	{ .op = M_RANGE, .col = K_RESOLVE, .hi = 365, .what = days_max },
	{ .op = M_NEED, .col = K_CALLBACK },
	{ .op = M_PLAIN, .col = K_CALLBACK },
	{ .op = M_RANGE, .col = K_CALLBACK, .hi = 365, .what = days_max },
	{ .op = M_NOT_ABOVE, .col = K_RESPONSE, .other = K_RESOLVE,
	  .what = "is more than resolve_days (a response comes first)" },
	{ .op = M_WORD, .col = K_CLAIM, .words = cat_claim, .what = "is not yes or no (是, 否)" },
};
static const struct mtext cat_text[] = {
	{ K_NAME, offsetof(struct category, name), NULL },
	{ K_DEPT, offsetof(struct category, department), NULL },
};

static int add_category(struct mload *m, void *to)
{
	struct categories *c = to;
	struct category k;

	memset(&k, 0, sizeof k);
	k.response_days = (int)m->v[K_RESPONSE];
	k.resolve_days = (int)m->v[K_RESOLVE];
	k.callback_days = (int)m->v[K_CALLBACK];
	k.claim = (int)m->v[K_CLAIM];
	k.line = m->rec.line;
	if (keep_texts(m, &c->text, cat_text, NELEM(cat_text), &k) < 0)
		return -1;
	return keyed_add(m, &c->idx, (void **)&c->v, &c->n, &c->cap, sizeof *c->v, &k,
	                 offsetof(struct category, line));
}

static const struct mkind categories_kind = {
	.names = cat_cols, .ncols = K_N, .required = K_CLAIM,
	.rules = cat_rules, .nrules = NELEM(cat_rules),
	.key = K_NAME,
	.add = add_category,
};

int categories_load(struct categories *c, const char *path, const struct master_io *io,
                    struct sd_err *err)
{
	memset(c, 0, sizeof *c);
	strmap_init(&c->idx);
	sbuf_init(&c->text);
	if (master_read1(&categories_kind, path, io, c, err) == 0)
		return 0;
	categories_free(c);     /* as for customers */
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
	c->n = c->cap = 0;
}

/* ---- working-day calendar ---- */

enum { W_DATE, W_TYPE, W_N };
static const char *const cal_cols[W_N] = { "date", "day_type" };
/* The words of day_type: a holiday, or a weekend day made a working day (调休). */
static const struct mword day_types[] = {
	{ "holiday", 0 }, { "休", 0 }, { "假", 0 }, { "workday", 1 }, { "班", 1 }, { "调休", 1 },
	{ NULL, 0 }
};
static const struct mrule cal_rules[] = {
	{ .op = M_NEED, .col = W_DATE },
	{ .op = M_NEED, .col = W_TYPE },
	{ .op = M_DATE, .col = W_DATE },
	{ .op = M_WORD, .col = W_TYPE, .words = day_types,
	  .what = "is not a day type (allowed: holiday 休, workday 班)" },
};

/* The calendar being read: (date, work) pairs, sorted together at the end. */
struct cal_ctx {
	struct strmap seen;     /* date -> its line, for the duplicate's message */
	int32_t *pairs;
	size_t n, cap;
};

static int add_day(struct mload *m, void *to)
{
	struct cal_ctx *t = to;
	int32_t d = (int32_t)m->v[W_DATE];
	int added;
	long k;

	if ((k = strmap_add(&t->seen, (const char *)&d, sizeof d, (uint64_t)m->rec.line,
	                    &added)) < 0 ||
	    grow((void **)&t->pairs, t->n * 2 + 1, &t->cap, sizeof *t->pairs))
		return oom(m);
	if (!added) {
		char b[16];
		fmt_date(b, d);
		(void)dup(m, b, (long)t->seen.e[k].val);
		return 0;
	}
	t->pairs[t->n * 2] = d;
	t->pairs[t->n * 2 + 1] = (int32_t)m->v[W_TYPE];
	t->n++;
	return 0;
}

static const struct mkind calendar_kind = {
	.names = cal_cols, .ncols = W_N, .required = W_N,
	.rules = cal_rules, .nrules = NELEM(cal_rules),
	.key = W_DATE,
	.add = add_day,
};

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

int calendar_load(struct workcal *cal, const char *path, const struct master_io *io,
                  struct sd_err *err)
{
	struct cal_ctx t;
	size_t i;
	int st;

	memset(cal, 0, sizeof *cal);
	memset(&t, 0, sizeof t);
	strmap_init(&t.seen);
	st = master_read1(&calendar_kind, path, io, &t, err);
	if (st == 0) {
		if (t.n)        /* qsort wants a valid pointer even for no items */
			qsort(t.pairs, t.n, 2 * sizeof *t.pairs, cmp_day);
		cal->n = t.n;
		cal->day = sd_realloc(NULL, (t.n ? t.n : 1) * sizeof *cal->day);
		cal->work = sd_realloc(NULL, t.n ? t.n : 1);
		if (!cal->day || !cal->work) {
			sd_seterr(err, EX_OSERR, "out of memory loading %s", diag_name(path));
			st = -1;
		}
	}
	for (i = 0; st == 0 && i < t.n; i++) {
		cal->day[i] = t.pairs[2 * i];
		cal->work[i] = (unsigned char)t.pairs[2 * i + 1];
	}
	sd_free(t.pairs);
	strmap_free(&t.seen);
	if (st < 0)
		calendar_free(cal);
	return st;
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
/* The words of mode, in the rate card and in a plan. */
static const struct mword modes[] = {
	{ "FTL", MODE_FTL }, { "ftl", MODE_FTL }, { "整车", MODE_FTL },
	{ "LTL", MODE_LTL }, { "ltl", MODE_LTL }, { "零担", MODE_LTL }, { NULL, 0 }
};
static const char not_mode[] = "is not a mode (allowed: FTL, LTL)";
enum { FTL = 1 + MODE_FTL, LTL = 1 + MODE_LTL };       /* as .when */
static const struct mrule rate_rules[] = {
	{ .op = M_NEED, .col = R_CARRIER },
	{ .op = M_NEED, .col = R_MODE },
	{ .op = M_NEED, .col = R_CITY },
	{ .op = M_WORD, .col = R_MODE, .words = modes, .what = not_mode },
	{ .op = M_PCT, .col = R_FUEL },
	/* a truck: its vehicle type, capacity and trip charge, and how many there are */
	{ .op = M_NEED, .col = R_VTYPE, .when = FTL },
	{ .op = M_NEED, .col = R_CAPKG, .when = FTL },
	{ .op = M_NEED, .col = R_CAPM3, .when = FTL },
	{ .op = M_NEED, .col = R_TRIP, .when = FTL },
	{ .op = M_PLAIN, .col = R_CAPKG, .when = FTL, .scale = SCALE_WEIGHT },
	{ .op = M_PLAIN, .col = R_CAPM3, .when = FTL, .scale = SCALE_VOLUME },
	{ .op = M_MONEY, .col = R_TRIP, .when = FTL, .scale = SCALE_PRICE },
	{ .op = M_RANGE, .col = R_CAPKG, .when = FTL, .lo = 1, .hi = INT64_MAX,
	  .what = "is not a capacity above 0" },
	{ .op = M_RANGE, .col = R_CAPM3, .when = FTL, .lo = 1, .hi = INT64_MAX,
	  .what = "is not a capacity above 0" },
	{ .op = M_PLAIN, .col = R_VEH, .when = FTL, .dflt = -1 },
	{ .op = M_RANGE, .col = R_VEH, .when = FTL, .hi = 1000000,
	  .what = "is too large (allowed 0-1000000)" },
	/* a consignment: its rate, minimum charge and volume factor */
	{ .op = M_NEED, .col = R_RATE, .when = LTL },
	{ .op = M_NEED, .col = R_MIN, .when = LTL },
	{ .op = M_MONEY, .col = R_RATE, .when = LTL, .scale = SCALE_PRICE },
	{ .op = M_MONEY, .col = R_MIN, .when = LTL, .scale = SCALE_PRICE },
	{ .op = M_PLAIN, .col = R_FACTOR, .when = LTL, .scale = SCALE_PRICE },
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

/* The rate card being read. */
struct rates_ctx {
	struct rates *r;
	struct sbuf key;
	size_t cap;
};

static int add_lane(struct mload *m, void *to)
{
	struct rates_ctx *t = to;
	struct rates *r = t->r;
	struct csv_field ca = cell(m, R_CARRIER), ci = cell(m, R_CITY), vt = cell(m, R_VTYPE);
	struct lane l;
	int added;
	long i;

	memset(&l, 0, sizeof l);
	l.mode = (int)m->v[R_MODE];
	l.fuel_pct = m->v[R_FUEL];
	l.vehicles = -1;
	if (l.mode == MODE_FTL) {
		l.capacity_kg = m->v[R_CAPKG];
		l.capacity_m3 = m->v[R_CAPM3];
		l.trip_charge = m->v[R_TRIP];
		l.vehicles = (long)m->v[R_VEH];
	} else {
		l.rate_per_kg = m->v[R_RATE];
		l.min_charge = m->v[R_MIN];
		l.kg_per_m3 = m->v[R_FACTOR];
		vt.n = 0;       /* LTL lanes have no vehicle type */
	}
	l.line = m->rec.line;
	l.carrier = keep(&r->text, ca);
	l.city = keep(&r->text, ci);
	l.vtype = keep(&r->text, vt);
	if (l.carrier == (size_t)-1 || l.city == (size_t)-1 || l.vtype == (size_t)-1 ||
	    grow((void **)&r->v, r->n, &t->cap, sizeof *r->v) ||
	    lane_key(&t->key, ca.s, ca.n, l.mode, vt.s, vt.n, ci.s, ci.n) < 0 ||
	    (i = strmap_add(&r->idx, t->key.buf, t->key.len, r->n, &added)) < 0)
		return oom(m);
	if (!added) {
		(void)sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
		                 "duplicate lane %s %s %s%s%s (first at line %ld)",
		                 diag_quote(ca.s, ca.n), mode_name(l.mode),
		                 vt.n ? diag_quote(vt.s, vt.n) : "", vt.n ? " " : "",
		                 diag_quote(ci.s, ci.n), r->v[r->idx.e[i].val].line);
		return 0;
	}
	if (lane_key(&t->key, ca.s, ca.n, l.mode, vt.s, vt.n, NULL, 0) < 0 ||
	    strmap_add(&r->lanes, t->key.buf, t->key.len, r->n, &added) < 0)
		return oom(m);
	r->v[r->n++] = l;
	return 0;
}

static const struct mkind rates_kind = {
	.names = rate_cols, .ncols = R_N, .required = 3,
	.rules = rate_rules, .nrules = NELEM(rate_rules),
	.key = R_CARRIER, .sw = R_MODE,
	.add = add_lane,
};

int rates_load(struct rates *r, const char *path, const struct master_io *io,
               struct sd_err *err)
{
	struct rates_ctx t = { r, SBUF_INIT, 0 };
	int st;

	memset(r, 0, sizeof *r);
	strmap_init(&r->idx);
	strmap_init(&r->lanes);
	sbuf_init(&r->text);
	st = master_read1(&rates_kind, path, io, &t, err);
	sbuf_release(&t.key);
	if (st < 0)
		rates_free(r);  /* as for customers */
	return st;
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

/* A cost rounded to cents (div_round), or -1 when it does not fit 64 bits. */
static int64_t cents_or_overflow(__int128 v, __int128 den)
{
	int64_t c;

	return fit_int64(div_round(v, den), &c) == NUM_OK ? c : -1;
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

/* ---- the plan (freight-audit(1) --plan) ---- */

/* Plan columns: the first seven are required; order_no marks a line-level plan. */
enum { L_ID, L_CARRIER, L_MODE, L_VTYPE, L_CITY, L_WEIGHT, L_VOLUME, L_DATE, L_ORDER, L_N };
static const char *const plan_cols[L_N] = {
	"shipment_id", "carrier", "mode", "vehicle_type", "dest_city", "weight_kg", "volume_m3",
	"ship_date", "order_no"
};
static const struct mrule plan_rules[] = {
	{ .op = M_NEED, .col = L_ID },
	{ .op = M_NEED, .col = L_CARRIER },
	{ .op = M_NEED, .col = L_CITY },
	{ .op = M_NEED, .col = L_MODE },
	{ .op = M_WORD, .col = L_MODE, .words = modes, .what = not_mode },
	{ .op = M_NEED, .col = L_VTYPE, .when = FTL },
	{ .op = M_NEED, .col = L_WEIGHT },
	{ .op = M_PLAIN, .col = L_WEIGHT, .scale = SCALE_WEIGHT,
	  .what = "is not a weight of 0 or more (up to 3 decimals)" },
	{ .op = M_PLAIN, .col = L_VOLUME, .scale = SCALE_VOLUME,
	  .what = "is not a volume of 0 or more (up to 4 decimals)" },
	{ .op = M_DATE, .col = L_DATE, .dflt = PLAN_NO_DATE },
};

/* The plan being read, and what its messages need. */
struct plan_ctx {
	struct plan *p;
	const struct rates *rates;
	const char *rates_path;
	int keep_rows;
	char at[600];           /* load_at's text */
};

/* Where load l was first planned, for messages: "line N", and the file when that is not
 * the current one (several plans are one stream). */
static const char *load_at(struct plan_ctx *t, const struct mload *m, const struct plan_load *l)
{
	if (l->file == m->in.cur)
		snprintf(t->at, sizeof t->at, "line %ld", l->line);
	else
		snprintf(t->at, sizeof t->at, "line %ld of %s", l->line,
		         diag_name(m->in.paths[l->file]));
	return t->at;
}

/* A later line of a line-level plan must describe the same load as its first line. */
static int same_load(struct plan_ctx *t, struct mload *m, const struct plan_load *l, int k,
                     const char *have, struct csv_field f)
{
	if (field_eq(f, have))
		return 0;
	return sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
	                  "column '%s': %s differs from %s on %s of shipment %s",
	                  plan_cols[k], diag_quote(f.s, f.n), diag_qstr(have), load_at(t, m, l),
	                  diag_qstr(plan_id(t->p, l)));
}

static int plan_begin(struct mload *m, void *to)
{
	struct plan_ctx *t = to;
	struct plan *p = t->p;
	size_t i;

	p->line_level = m->cols[L_ORDER] >= 0;
	if (!t->keep_rows)
		return 0;
	for (i = 0; i < m->in.hdr_nf; i++)
		if (keep(&p->header, m->in.hdr[i]) == (size_t)-1)
			return oom(m);
	p->header_nf = m->in.hdr_nf;
	return 0;
}

/* The row as read, kept for the audit's --unbilled. */
static int keep_row(struct plan_ctx *t, struct mload *m, size_t li)
{
	struct plan *p = t->p;
	struct plan_row *r;
	size_t i;

	if (!t->keep_rows)
		return 0;
	if (grow((void **)&p->rows, p->nrows, &p->rows_cap, sizeof *p->rows))
		return oom(m);
	r = &p->rows[p->nrows++];
	r->off = p->raw.len;
	r->nf = m->rec.nf;
	r->load = li;
	for (i = 0; i < m->rec.nf; i++)
		if (keep(&p->raw, m->rec.f[i]) == (size_t)-1)
			return oom(m);
	return 0;
}

/* A later line of a shipment (line-level plan): the same load, its weight and volume
 * added. */
static int add_to_load(struct plan_ctx *t, struct mload *m, long i)
{
	struct plan_load *o = &t->p->v[t->p->idx.e[i].val];
	struct csv_field vt = cell(m, L_VTYPE);
	int mode = (int)m->v[L_MODE];

	if (!t->p->line_level) {
		struct csv_field id = cell(m, L_ID);
		(void)sd_bad_row(m->err, &m->nbad, m->name, m->rec.line,
		                 "duplicate key %s (first at %s)", diag_quote(id.s, id.n),
		                 load_at(t, m, o));
		return 0;
	}
	if (same_load(t, m, o, L_CARRIER, plan_str(t->p, o->carrier), cell(m, L_CARRIER)) ||
	    same_load(t, m, o, L_MODE, mode_name(o->mode),
	              (struct csv_field){ mode_name(mode), 3 }) ||
	    (mode == MODE_FTL && same_load(t, m, o, L_VTYPE, plan_str(t->p, o->vtype), vt)) ||
	    same_load(t, m, o, L_CITY, plan_str(t->p, o->city), cell(m, L_CITY)))
		return 0;
	if (m->v[L_DATE] != o->ship_date)
		(void)bad(m, L_DATE, "differs from the shipment's first line");
	else if (__builtin_add_overflow(o->weight, m->v[L_WEIGHT], &o->weight))
		(void)bad(m, L_WEIGHT, "makes the shipment's total overflow");
	else if (__builtin_add_overflow(o->volume, m->v[L_VOLUME], &o->volume))
		(void)bad(m, L_VOLUME, "makes the shipment's total overflow");
	else
		return keep_row(t, m, t->p->idx.e[i].val);
	return 0;       /* a bad row: reported, the load goes on */
}

static int intern(struct plan *p, struct csv_field f, uint32_t *ix)
{
	int added;
	long i = strmap_add(&p->interned, f.s, f.n, 0, &added);

	*ix = (uint32_t)i;
	return i < 0 ? -1 : 0;
}

/* A plan row into its load. */
static int add_plan_row(struct mload *m, void *to)
{
	struct plan_ctx *t = to;
	struct plan *p = t->p;
	struct csv_field id = cell(m, L_ID), vt = cell(m, L_VTYPE);
	struct plan_load l;
	int added;
	long i = strmap_find(&p->idx, id.s, id.n);

	if (i >= 0)
		return add_to_load(t, m, i);
	memset(&l, 0, sizeof l);
	l.mode = (unsigned char)m->v[L_MODE];
	if (l.mode == MODE_LTL)
		vt.n = 0;       /* an LTL consignment has no vehicle type (as in the rate card) */
	l.weight = m->v[L_WEIGHT];
	l.volume = m->v[L_VOLUME];
	l.ship_date = (int32_t)m->v[L_DATE];
	l.line = m->rec.line;
	l.file = (uint32_t)m->in.cur;
	if ((i = strmap_add(&p->idx, id.s, id.n, 0, &added)) < 0 ||
	    intern(p, cell(m, L_CARRIER), &l.carrier) < 0 || intern(p, vt, &l.vtype) < 0 ||
	    intern(p, cell(m, L_CITY), &l.city) < 0 ||
	    grow((void **)&p->v, (size_t)i, &p->cap, sizeof *p->v))
		return oom(m);
	p->v[i] = l;
	p->idx.e[i].val = (uint64_t)i;
	return keep_row(t, m, (size_t)i);
}

/* Each load's cost by the formulas of salesdesk(7) on its own carrier's lane. */
static int price_loads(struct mload *m, void *to)
{
	struct plan_ctx *t = to;
	struct plan *p = t->p;
	struct strmap found;    /* carrier, vehicle type, city, mode -> lane index + 1, or 0 */
	size_t i;
	int st = 0;

	strmap_init(&found);
	for (i = 0; i < p->idx.count; i++) {
		struct plan_load *l = &p->v[i];
		uint32_t key[4] = { l->carrier, l->vtype, l->city, l->mode };
		const struct lane *ln;
		int added;
		long k = strmap_add(&found, (const char *)key, sizeof key, 0, &added);

		if (k < 0) {
			st = oom(m);
			break;
		}
		if (added) {
			ln = rates_find(t->rates, plan_str(p, l->carrier), l->mode,
			                plan_str(p, l->vtype), plan_str(p, l->city));
			found.e[k].val = ln ? (uint64_t)(ln - t->rates->v) + 1 : 0;
		}
		ln = found.e[k].val ? &t->rates->v[found.e[k].val - 1] : NULL;
		if (!ln) {
			sd_bad_row(m->err, &m->nbad, diag_name(m->in.paths[l->file]), l->line,
			           "shipment %s: no %s lane of "
			           "carrier %s%s%s to %s in %s", diag_qstr(plan_id(p, l)),
			           mode_name(l->mode), diag_qstr(plan_str(p, l->carrier)),
			           l->mode == MODE_FTL ? " for vehicle type " : "",
			           l->mode == MODE_FTL ? diag_qstr(plan_str(p, l->vtype)) : "",
			           diag_qstr(plan_str(p, l->city)), diag_name(t->rates_path));
			continue;
		}
		l->cost = l->mode == MODE_FTL ? ftl_cost(ln) : ltl_cost(ln, l->weight, l->volume);
		if (l->cost < 0)
			sd_bad_row(m->err, &m->nbad, diag_name(m->in.paths[l->file]), l->line,
			           "shipment %s: the freight overflows", diag_qstr(plan_id(p, l)));
	}
	strmap_free(&found);
	return st;
}

static const struct mkind plan_kind = {
	.names = plan_cols, .ncols = L_N, .required = L_DATE,
	.rules = plan_rules, .nrules = NELEM(plan_rules),
	.key = L_ID, .sw = L_MODE,
	.begin = plan_begin, .add = add_plan_row, .end = price_loads,
};

int plan_load(struct plan *p, char **paths, size_t npaths, const struct rates *r,
              const char *rates_path, int keep_rows, struct sd_err *err)
{
	/* detected on its own: -d and -E are the bills' (salesdesk(7)) */
	static const struct master_io io = { 0, NULL, NULL };
	struct plan_ctx t;

	memset(p, 0, sizeof *p);
	strmap_init(&p->idx);
	strmap_init(&p->interned);
	sbuf_init(&p->raw);
	sbuf_init(&p->header);
	t.p = p;
	t.rates = r;
	t.rates_path = rates_path;
	t.keep_rows = keep_rows;
	return master_read(&plan_kind, paths, npaths, &io, &t, err);
}

void plan_free(struct plan *p)
{
	strmap_free(&p->idx);
	strmap_free(&p->interned);
	sbuf_release(&p->raw);
	sbuf_release(&p->header);
	sd_free(p->v);
	sd_free(p->rows);
	memset(p, 0, sizeof *p);
}

/* Every kind's columns fit struct mload's per-column arrays. */
_Static_assert(C_N <= MCOL_MAX && P_N <= MCOL_MAX && B_N <= MCOL_MAX && A_N <= MCOL_MAX &&
               CL_N <= MCOL_MAX && E_N <= MCOL_MAX && X_N <= MCOL_MAX && K_N <= MCOL_MAX &&
               W_N <= MCOL_MAX && R_N <= MCOL_MAX && L_N <= MCOL_MAX,
               "a file kind has more columns than MCOL_MAX");

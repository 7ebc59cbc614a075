/* receivables — 应收账款与回款台帐: invoices from the shipment stream, bank receipts from
 * the payments file, payments applied in date order (by reference, then oldest due
 * first, then kept as unapplied credit), the late fee, and six reports: aging,
 * open-items, ledger, balances, dunning and statement (receivables(1)).
 *
 * Application is in date order while the input is not sorted, so the tool reads
 * everything first: invoice lines aggregated into one compact record per invoice, and
 * the payments; then it sorts the documents into events and applies them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bucket.h"
#include "date.h"
#include "master.h"
#include "num.h"
#include "strmap.h"
#include "tool.h"

enum { REP_AGING, REP_OPEN, REP_LEDGER, REP_BALANCES, REP_DUNNING, REP_STATEMENT };
static const char *const report_names[] = {
	"aging", "open-items", "ledger", "balances", "dunning", "statement"
};
enum { RATE_SCALE = 8 };        /* --late-fee-rate: up to 8 decimals */
enum { MAX_BUCKETS = 16 };

static struct {
	const char *customers, *payments, *payment_rejects;
	int32_t as_of;
	int have_as_of;
	int report;
	int terms, grace, min_days;
	int64_t rate;           /* per day, RATE_SCALE */
	int buckets[MAX_BUCKETS];
	int nbuckets;
	int32_t from, to;       /* statement: the period, both days in it */
	int have_from, have_to;
	const char **only;      /* statement: --customer IDs (none: every customer) */
	size_t nonly;
} opt = { .terms = 30, .min_days = 1, .buckets = { 30, 60, 90 }, .nbuckets = 3 };

enum { OPT_PAYMENTS = 300, OPT_PREJECTS, OPT_ASOF, OPT_REPORT, OPT_TERMS, OPT_RATE,
       OPT_GRACE, OPT_BUCKETS, OPT_MINDAYS, OPT_FROM, OPT_TO, OPT_CUSTOMER };
static const struct tool_opt own_opts[] = {
	{ "as-of", OPT_ASOF, 1, "DATE", "the day the ledger is closed (default today)" },
	{ "buckets", OPT_BUCKETS, 1, "LIST", "ageing bucket limits in days (default 30,60,90)" },
	{ "customer", OPT_CUSTOMER, 1, "ID", "statement: this customer only (repeatable)" },
	{ "customers", 'c', 1, "FILE", "customer file (required)" },
	{ "from", OPT_FROM, 1, "DATE", "statement: the first day of the period" },
	{ "grace", OPT_GRACE, 1, "DAYS", "days after due_date before the late fee runs (default 0)" },
	{ "late-fee-rate", OPT_RATE, 1, "RATE", "late fee per day on the open amount, e.g. 0.0005" },
	{ "min-days", OPT_MINDAYS, 1, "N", "dunning: invoices at least N days overdue (default 1)" },
	{ "payment-rejects", OPT_PREJECTS, 1, "FILE", "write rejected payment rows to FILE" },
	{ "payments", OPT_PAYMENTS, 1, "FILE", "bank receipts (required)" },
	{ "report", OPT_REPORT, 1, "NAME", "aging (default), open-items, ledger, balances, dunning or statement" },
	{ "terms", OPT_TERMS, 1, "DAYS", "payment terms when the customer has none (default 30)" },
	{ "to", OPT_TO, 1, "DATE", "statement: the last day of the period" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_CUSTOMER, 0 };

static struct tool tool = {
	.name = "receivables",
	.synopsis = "-c customers.csv --payments FILE [--as-of DATE]\n"
	            "       [--report aging|open-items|ledger|balances|dunning] [--terms DAYS]\n"
	            "       [--report statement --from DATE --to DATE [--customer ID]...]\n"
	            "       [--late-fee-rate RATE] [--grace DAYS] [--buckets 30,60,90]\n"
	            "       [--min-days N] [--rejects FILE] [--payment-rejects FILE] [--shard K/N]\n"
	            "       [-o FILE] [-d C] [-E NAME] [-q] [-v] [--strict] [--excel] [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = COMMON_FILTER | COMMON_SHARD,
	.detail_size = 256,
};

/* Stream columns: customer_id and amount are required, and a date (invoice_date or
 * ship_date) and a number (invoice_no or order_no): checked in main. */
enum { I_CUST, I_AMOUNT, I_INVNO, I_ORDER, I_INVDATE, I_SHIP, I_LINE, I_N };
static const char *const in_names[I_N] = {
	"customer_id", "amount", "invoice_no", "order_no", "invoice_date", "ship_date",
	"line_no"
};
enum { P_NO, P_DATE, P_CUST, P_AMOUNT, P_REF, P_N };
static const char *const pay_names[P_N] = {
	"payment_no", "payment_date", "customer_id", "amount", "reference"
};

/* One invoice: its lines summed.  Text (number, order_no) lives in `text`. */
struct invoice {
	int64_t amount;         /* cents, sum of its lines */
	int64_t open;           /* cents still open */
	__int128 open_days;     /* sum over fee days of the open amount at day end, cents */
	size_t num;             /* offset into text: the number shown */
	int32_t cust, date, due;
	int32_t fee_from;       /* first fee day not yet summed into open_days */
	int posted;
};

struct payment {
	int64_t amount;
	size_t no, ref;         /* offsets into text; ref 0 = none (text starts with "") */
	int32_t cust, date;
};

/* What the reports need per customer. */
struct account {
	int64_t invoiced, paid, credit;
	size_t head;            /* first invoice (in `order`) that may still be open */
	size_t start, end;      /* its invoices in `order` */
	int active;
};

static struct customers customers;
/* Per customer, the amounts of the lines and payments taken so far: a line or payment
 * that would make its customer's total overflow is rejected as overflow, as one that
 * makes its invoice's total overflow is (receivables(1)), so that no sum the reports
 * print can wrap. */
static int64_t *cust_invoiced, *cust_paid;
static struct invoice *inv;
static size_t ninv, inv_cap;
static struct payment *pay;
static size_t npay, pay_cap;
static struct strmap inv_keys;          /* cust + kind + [date] + number -> invoice */
static struct strmap order_lines;       /* order_no -> its line_no 1-64 taken (bit n-1) */
static long last_order = -1;            /* the previous line's entry in order_lines */
static struct strmap line_keys;         /* order_no 0x1f line_no, the other line_no */
static struct sbuf text = SBUF_INIT;
static struct sbuf key = SBUF_INIT;
static struct account *acct;
static size_t *rank_cust;               /* customers in id order */
static uint32_t *cust_rank;             /* customer -> its place in id order */
static size_t *order;                   /* invoices by id order, due, date, number */
static uint64_t *events;                /* (date, kind, index), sorted */
static size_t nevents;
static uint64_t late_docs;              /* dated after --as-of: ignored */

/* Reference lookup: customer + invoice_no or order_no -> its invoices.  While reading,
 * every (key, invoice) pair is noted once; then the pairs are sorted by key and, within
 * a key, oldest due first, and ref_start[key] .. ref_start[key + 1] is the key's run. */
struct ref_pair {
	uint32_t key, inv;
};
static struct strmap ref_keys;          /* value: last invoice noted under it, + 1 */
static struct ref_pair *refs;
static size_t nrefs, refs_cap;
static uint32_t *ref_start;
static uint32_t *inv_pos;               /* invoice -> its place in `order` */

static int cols[I_N], pcols[P_N];

static size_t add_text(const char *s, size_t n)
{
	size_t off = text.len;

	tool_must(sbuf_add(&text, s, n));
	tool_must(sbuf_addch(&text, 0));
	return off;
}

static const char *str(size_t off)
{
	return text.buf + off;
}

static int32_t terms_of(const struct customer *cu)
{
	return cu->terms >= 0 ? cu->terms : opt.terms;
}

/* ---- invoice lines ---- */

/* A checked invoice line. */
struct line {
	struct csv_field cust, number, order_no, line_no, amount_cell;
	const struct customer *cu;
	int32_t date, ship;
	int64_t amount;
	int by_invoice_no;
};

/* The reasons that name a value: the value at fault, as receivables(1) describes it. */
static const char *const not_a_date = "is not a date";
static const char *const not_an_amount = "is not an amount (up to 2 decimals)";

/* overflow names the line's amount, whichever total overflowed */
static struct reason line_overflow(const struct line *ln)
{
	return reason_cell("overflow", NULL, "amount", ln->amount_cell,
	                   "is too large (or its invoice's or customer's total is)");
}

static struct reason check_line(const struct csv_record *rec, struct line *ln)
{
	struct csv_field f;
	int st;

	ln->cust = record_cell(rec, cols, I_CUST);
	if (!ln->cust.n)
		return reason_of("missing", "customer_id");
	f = ln->amount_cell = record_cell(rec, cols, I_AMOUNT);
	if (!f.n)
		return reason_of("missing", "amount");
	ln->number = record_cell(rec, cols, I_INVNO);
	ln->order_no = record_cell(rec, cols, I_ORDER);
	ln->line_no = record_cell(rec, cols, I_LINE);
	ln->by_invoice_no = ln->number.n > 0;
	if (!ln->by_invoice_no) {
		if (!ln->order_no.n)
			return reason_of("missing", "order_no");
		ln->number = ln->order_no;
		if (!record_cell(rec, cols, I_SHIP).n)
			return reason_of("missing", "ship_date");
	}
	if (cols[I_INVDATE] >= 0 && !record_cell(rec, cols, I_INVDATE).n)
		return reason_of("missing", "invoice_date");
	if (cols[I_INVDATE] < 0 && !record_cell(rec, cols, I_SHIP).n)
		return reason_of("missing", "ship_date");
	/* ship_date is read only where it is used: for the key or as the date */
	f = record_cell(rec, cols, I_SHIP);
	if ((!ln->by_invoice_no || cols[I_INVDATE] < 0) && parse_date(f.s, f.n, &ln->ship) < 0)
		return reason_cell("bad_date", "ship_date", "ship_date", f, not_a_date);
	f = record_cell(rec, cols, I_INVDATE);
	if (cols[I_INVDATE] >= 0 && parse_date(f.s, f.n, &ln->date) < 0)
		return reason_cell("bad_date", "invoice_date", "invoice_date", f, not_a_date);
	if (cols[I_INVDATE] < 0)
		ln->date = ln->ship;
	f = ln->amount_cell;
	if ((st = parse_money(f.s, f.n, SCALE_AMOUNT, &ln->amount)) == NUM_BAD)
		return reason_cell("bad_amount", "amount", "amount", f, not_an_amount);
	if (st == NUM_OVERFLOW)
		return line_overflow(ln);
	if (!(ln->cu = customer_find(&customers, ln->cust.s, ln->cust.n)))
		return reason_cell("unknown_customer", NULL, "customer_id", ln->cust,
		                   "is not in the customer file");
	return reason_of(NULL, NULL);
}

/* The invoice of the line, created on its first line; the amount added to it.  *idx is
 * the invoice's index. */
static struct reason add_line(const struct line *ln, size_t *idx)
{
	int32_t ci = (int32_t)(ln->cu - customers.v);
	struct invoice *iv;
	int64_t total;
	int added;
	long i;

	if (add_ok(cust_invoiced[ci], ln->amount, &total))
		return line_overflow(ln);
	sbuf_reset(&key);
	tool_must(sbuf_add(&key, &ci, sizeof ci));
	tool_must(sbuf_addch(&key, ln->by_invoice_no ? 'I' : 'O'));
	if (!ln->by_invoice_no)
		tool_must(sbuf_add(&key, &ln->ship, sizeof ln->ship));
	tool_must(sbuf_add(&key, ln->number.s, ln->number.n));
	/* one probe: strmap_add finds the invoice, or adds it */
	i = tool_must(strmap_add(&inv_keys, key.buf, key.len, 0, &added));
	*idx = (size_t)i;
	if (!added) {
		iv = &inv[i];
		if (add_ok(iv->amount, ln->amount, &iv->amount))
			return line_overflow(ln);
		cust_invoiced[ci] = total;
		return reason_of(NULL, NULL);
	}
	inv = tool_grow(inv, (size_t)i, &inv_cap, sizeof *inv);
	iv = &inv[i];
	memset(iv, 0, sizeof *iv);
	iv->amount = ln->amount;
	iv->cust = ci;
	iv->date = ln->date;
	iv->due = ln->date + terms_of(ln->cu);
	iv->num = add_text(ln->number.s, ln->number.n);
	ninv++;
	cust_invoiced[ci] = total;
	return reason_of(NULL, NULL);
}

/* Notes that a reference to s (for the line's customer) means invoice i. */
static void note_reference(const struct line *ln, struct csv_field s, size_t i)
{
	int32_t ci = (int32_t)(ln->cu - customers.v);
	int added;
	long k;

	sbuf_reset(&key);
	tool_must(sbuf_add(&key, &ci, sizeof ci));
	tool_must(sbuf_add(&key, s.s, s.n));
	k = tool_must(strmap_add(&ref_keys, key.buf, key.len, 0, &added));
	if (ref_keys.e[k].val == i + 1)
		return;         /* the usual case: the next line of the same invoice */
	ref_keys.e[k].val = i + 1;
	refs = tool_grow(refs, nrefs, &refs_cap, sizeof *refs);
	refs[nrefs++] = (struct ref_pair){ (uint32_t)k, (uint32_t)i };
}

/* A shipped line is invoiced once (receivables(1)): the plans of every archived day are
 * read together, and the same order line in two of them is the line sent twice, not a
 * second delivery.  Lines without both numbers are not order lines and are not keyed. */
static int shipped_twice(const struct line *ln)
{
	struct csv_field o = ln->order_no;
	int added, bit;
	long i = last_order;

	if (!ln->line_no.n || !o.n)
		return 0;
	if ((bit = small_line_no(ln->line_no.s, ln->line_no.n))) {
		uint64_t b = (uint64_t)1 << (bit - 1);
		/* an order's lines come together: the previous line's order is tried first */
		if (i < 0 || order_lines.e[i].klen != o.n ||
		    memcmp(strmap_key(&order_lines, (size_t)i), o.s, o.n)) {
			i = tool_must(strmap_add(&order_lines, o.s, o.n, 0, &added));
			last_order = i;
		}
		if (order_lines.e[i].val & b)
			return 1;
		order_lines.e[i].val |= b;
		return 0;
	}
	sbuf_reset(&key);
	tool_must(sbuf_add(&key, ln->order_no.s, ln->order_no.n));
	tool_must(sbuf_addch(&key, 0x1f));
	tool_must(sbuf_add(&key, ln->line_no.s, ln->line_no.n));
	tool_must(strmap_add(&line_keys, key.buf, key.len, 0, &added));
	return !added;
}

/* An accepted line: into its invoice, and its numbers into the reference index.  Under
 * --shard a line of another part's customer is only keyed: an order line is invoiced once
 * whichever customer it names, so every part keys every line (receivables(1)). */
static struct reason take_line(const struct line *ln, int mine)
{
	size_t i;
	struct reason why;

	/* a line then rejected as overflow keeps its key: sent again it is the same line */
	if (shipped_twice(ln))
		return reason_cell("duplicate_line", NULL, "line_no", ln->line_no,
		                   "of its order was invoiced already (a plan given twice?)");
	if (!mine)
		return reason_of(NULL, NULL);
	if ((why = add_line(ln, &i)).code)
		return why;
	note_reference(ln, ln->number, i);
	if (ln->by_invoice_no && ln->order_no.n)
		note_reference(ln, ln->order_no, i);
	return reason_of(NULL, NULL);
}

/* ---- payments ---- */

static struct reason payment_overflow(struct csv_field amount)
{
	return reason_cell("overflow", NULL, "amount", amount,
	                   "is too large (or its customer's total is)");
}

static struct reason check_payment(const struct csv_record *rec, struct payment *p)
{
	const struct customer *cu;
	struct csv_field f, amount;
	int k, st;

	for (k = P_NO; k <= P_AMOUNT; k++)
		if (!record_cell(rec, pcols, k).n)
			return reason_of("missing", pay_names[k]);
	f = record_cell(rec, pcols, P_DATE);
	if (parse_date(f.s, f.n, &p->date) < 0)
		return reason_cell("bad_date", "payment_date", "payment_date", f, not_a_date);
	f = amount = record_cell(rec, pcols, P_AMOUNT);
	if ((st = parse_money(f.s, f.n, SCALE_AMOUNT, &p->amount)) == NUM_BAD ||
	    (st == NUM_OK && p->amount <= 0))
		return reason_cell("bad_amount", "amount", "amount", f,
		                   "is not an amount above 0 (up to 2 decimals)");
	if (st == NUM_OVERFLOW)
		return payment_overflow(amount);
	f = record_cell(rec, pcols, P_CUST);
	if (!(cu = customer_find(&customers, f.s, f.n)))
		return reason_cell("unknown_customer", NULL, "customer_id", f,
		                   "is not in the customer file");
	p->cust = (int32_t)(cu - customers.v);
	/* the last check: the payment is taken when it passes */
	if (add_ok(cust_paid[p->cust], p->amount, &cust_paid[p->cust]))
		return payment_overflow(amount);
	return reason_of(NULL, NULL);
}

static void keep_payment(const struct csv_record *rec, struct payment *p)
{
	struct csv_field f = record_cell(rec, pcols, P_NO);

	p->no = add_text(f.s, f.n);
	f = record_cell(rec, pcols, P_REF);
	p->ref = f.n ? add_text(f.s, f.n) : 0;
	pay = tool_grow(pay, npay, &pay_cap, sizeof *pay);
	pay[npay++] = *p;
}

/* ---- ordering ---- */

static int cmp_cust(const void *a, const void *b)
{
	return strcmp(cust_str(&customers, customers.v[*(const size_t *)a].id),
	              cust_str(&customers, customers.v[*(const size_t *)b].id));
}

/* Customer (id order), due_date, invoice_date, number, input order. */
static int cmp_inv(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct invoice *x = &inv[i], *y = &inv[j];
	int c;

	if (x->cust != y->cust)
		return cust_rank[x->cust] < cust_rank[y->cust] ? -1 : 1;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if ((c = strcmp(str(x->num), str(y->num))))
		return c;
	return i < j ? -1 : i > j;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* An event sorts by date, then invoices before payments, then input order. */
enum { EV_INVOICE = 0, EV_PAYMENT = 1 };
static uint64_t event(int32_t date, int kind, size_t idx)
{
	return (uint64_t)(date + 1000000) << 33 | (uint64_t)kind << 32 | idx;
}

static void sort_documents(void)
{
	size_t i;

	rank_cust = tool_alloc(customers.n, sizeof *rank_cust);
	cust_rank = tool_alloc(customers.n, sizeof *cust_rank);
	for (i = 0; i < customers.n; i++)
		rank_cust[i] = i;
	qsort(rank_cust, customers.n, sizeof *rank_cust, cmp_cust);
	for (i = 0; i < customers.n; i++)
		cust_rank[rank_cust[i]] = (uint32_t)i;
	order = tool_alloc(ninv, sizeof *order);
	for (i = 0; i < ninv; i++)
		order[i] = i;
	qsort(order, ninv, sizeof *order, cmp_inv);
	acct = tool_alloc(customers.n, sizeof *acct);
	for (i = 0; i < ninv; i++) {
		struct account *a = &acct[inv[order[i]].cust];
		if (a->end == 0)
			a->start = a->head = i;
		a->end = i + 1;
	}
	events = tool_alloc(ninv + npay, sizeof *events);
	for (i = 0; i < ninv; i++) {
		if (inv[i].date > opt.as_of)
			late_docs++;
		else
			events[nevents++] = event(inv[i].date, EV_INVOICE, i);
	}
	for (i = 0; i < npay; i++) {
		if (pay[i].date > opt.as_of)
			late_docs++;
		else
			events[nevents++] = event(pay[i].date, EV_PAYMENT, i);
	}
	qsort(events, nevents, sizeof *events, cmp_u64);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct ref_pair *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return inv_pos[x->inv] < inv_pos[y->inv] ? -1 : inv_pos[x->inv] > inv_pos[y->inv];
}

static void index_references(void)
{
	size_t i;

	inv_pos = tool_alloc(ninv, sizeof *inv_pos);
	for (i = 0; i < ninv; i++)
		inv_pos[order[i]] = (uint32_t)i;
	if (nrefs > 0)	/* NULL when no line was accepted: qsort(NULL, 0) is undefined */
		qsort(refs, nrefs, sizeof *refs, cmp_ref);
	ref_start = tool_alloc(ref_keys.count + 1, sizeof *ref_start);
	for (i = 0; i < nrefs; i++)
		ref_start[refs[i].key + 1]++;
	for (i = 0; i < ref_keys.count; i++)
		ref_start[i + 1] += ref_start[i];
}

/* ---- application ---- */

/* The open amount of iv changes on day d: the days before d keep the old amount. */
static void change_open(struct invoice *iv, int32_t d, int64_t new_open)
{
	if (d > iv->fee_from) {
		iv->open_days += (__int128)iv->open * (d - iv->fee_from);
		iv->fee_from = d;
	}
	iv->open = new_open;
}

/* Pays up to *left of iv on day d. */
static void pay_invoice(struct invoice *iv, int32_t d, int64_t *left)
{
	int64_t x = iv->open < *left ? iv->open : *left;

	if (x <= 0 || !iv->posted)
		return;
	change_open(iv, d, iv->open - x);
	*left -= x;
}

/* Oldest due first over the customer's posted invoices. */
static void pay_oldest(struct account *a, int32_t d, int64_t *left)
{
	size_t i;

	while (a->head < a->end) {
		const struct invoice *iv = &inv[order[a->head]];
		if (!iv->posted || iv->open > 0)
			break;
		a->head++;
	}
	for (i = a->head; i < a->end && *left > 0; i++) {
		struct invoice *iv = &inv[order[i]];
		if (!iv->posted) {
			if (iv->date > d)
				break;          /* all later ones are later too */
			continue;
		}
		pay_invoice(iv, d, left);
	}
}

static void post_invoice(struct invoice *iv)
{
	struct account *a = &acct[iv->cust];

	iv->posted = 1;
	a->active = 1;
	a->invoiced += iv->amount;
	iv->fee_from = iv->due + opt.grace + 1;
	iv->open = iv->amount > 0 ? iv->amount : 0;
	if (iv->amount < 0) {
		/* a credit note larger than its invoice: a payment of the difference */
		int64_t left = -iv->amount;
		pay_oldest(a, iv->date, &left);
		a->credit += left;
	} else if (a->credit > 0 && iv->open > 0) {
		int64_t left = a->credit;
		pay_invoice(iv, iv->date, &left);
		a->credit = left;
	}
}

static void post_payment(const struct payment *p)
{
	struct account *a = &acct[p->cust];
	int64_t left = p->amount;

	a->active = 1;
	a->paid += p->amount;
	if (p->ref) {
		long id;
		sbuf_reset(&key);
		tool_must(sbuf_add(&key, &p->cust, sizeof p->cust));
		tool_must(sbuf_addstr(&key, str(p->ref)));
		if ((id = strmap_find(&ref_keys, key.buf, key.len)) >= 0) {
			uint32_t k;
			for (k = ref_start[id]; k < ref_start[id + 1] && left > 0; k++)
				pay_invoice(&inv[refs[k].inv], p->date, &left);
		}
	}
	if (left > 0)
		pay_oldest(a, p->date, &left);
	a->credit += left;
}

static void apply_all(void)
{
	size_t e;

	for (e = 0; e < nevents; e++) {
		size_t idx = (size_t)(events[e] & 0xffffffffu);
		if ((events[e] >> 32 & 1) == EV_INVOICE)
			post_invoice(&inv[idx]);
		else
			post_payment(&pay[idx]);
	}
}

/* ---- figures at --as-of ---- */

static int64_t late_fee(struct invoice *iv)
{
	int64_t fee;

	if (!opt.rate || !iv->posted)
		return 0;
	change_open(iv, opt.as_of + 1, iv->open);       /* close the books at the as-of day */
	if (fit_int64(div_round(iv->open_days * opt.rate, pow10i(RATE_SCALE)), &fee) != NUM_OK)
		diag_fatal(EX_DATAERR, "late fee of invoice %s does not fit in 64 bits",
		           diag_qstr(str(iv->num)));
	return fee;
}

static int32_t days_overdue(const struct invoice *iv)
{
	return opt.as_of > iv->due ? opt.as_of - iv->due : 0;
}

/* ---- reports ---- */

static void put_money(struct csv_writer *w, int64_t v)
{
	char b[48];

	fmt_fixed(b, v, SCALE_AMOUNT);
	csvw_str(w, b);
}

static void put_date(struct csv_writer *w, int32_t d)
{
	char b[16];

	fmt_date(b, d);
	csvw_str(w, b);
}

static void put_int(struct csv_writer *w, int64_t v)
{
	char b[32];

	fmt_int(b, v);
	csvw_str(w, b);
}

static void put_head(struct csv_writer *w, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csvw_str(w, names[i]);
}

/* Under --shard, a report row's seq (salesdesk(7), SCALE-OUT): every report lists its
 * customers in id order, each one's rows together, so the customer's rank in id order,
 * then the row's place among the customer's rows, is its place in the single run's. */
static void put_row_seq(struct csv_writer *w, uint32_t rank)
{
	static uint32_t last = UINT32_MAX;
	static uint64_t n;
	uint64_t seq;

	if (rank != last) {
		last = rank;
		n = 0;
	}
	seq = (uint64_t)rank << 34 | n++;       /* a customer has under 2^33 documents */
	tool_put_seq(&tool, w, &seq);
}

static void report_aging(struct csv_writer *w)
{
	static const char *const head[] = {
		"customer_id", "customer_name", "credit_limit", "invoiced", "paid", "open_amount"
	};
	static const char *const tail[] = {
		"unapplied_credit", "net_balance", "over_limit", "late_fee"
	};
	int64_t bucket[MAX_BUCKETS + 2];
	char label[48];
	size_t r, i;
	int b;

	put_head(w, head, 6);
	for (b = 0; b < opt.nbuckets + 2; b++) {
		bucket_label(label, sizeof label, opt.buckets, opt.nbuckets, b);
		csvw_str(w, label);
	}
	put_head(w, tail, 4);
	csvw_endrow(w);
	for (r = 0; r < customers.n; r++) {
		const struct customer *cu = &customers.v[rank_cust[r]];
		const struct account *a = &acct[rank_cust[r]];
		int64_t open = 0, fee = 0, net;
		if (!a->active)
			continue;
		memset(bucket, 0, sizeof bucket);
		for (i = a->start; i < a->end; i++) {
			struct invoice *iv = &inv[order[i]];
			if (!iv->posted)
				continue;
			fee += late_fee(iv);
			open += iv->open;
			if (iv->open)
				bucket[bucket_of(days_overdue(iv), opt.buckets, opt.nbuckets)] += iv->open;
		}
		net = open - a->credit;
		put_row_seq(w, (uint32_t)r);
		csvw_str(w, cust_str(&customers, cu->id));
		csvw_str(w, cust_str(&customers, cu->name));
		if (cu->limit_blank)
			csvw_str(w, "");
		else
			put_money(w, cu->credit_limit);
		put_money(w, a->invoiced);
		put_money(w, a->paid);
		put_money(w, open);
		for (b = 0; b < opt.nbuckets + 2; b++)
			put_money(w, bucket[b]);
		put_money(w, a->credit);
		put_money(w, net);
		csvw_str(w, cu->credit_limit > 0 && net > cu->credit_limit ? "yes" : "no");
		put_money(w, fee);
		csvw_endrow(w);
	}
}

static const char *const ledger_head[] = {
	"customer_id", "customer_name", "date", "doc_type", "doc_no", "debit", "credit",
	"balance", "contact", "phone", "address"
};

/* The customer's contact columns of the master, last on a row: ends the row. */
static void put_contact(struct csv_writer *w, const struct customer *cu)
{
	csvw_str(w, cust_str(&customers, cu->contact));
	csvw_str(w, cust_str(&customers, cu->phone));
	csvw_str(w, cust_str(&customers, cu->address));
	csvw_endrow(w);
}

/* open-items and dunning share their rows. */
static void report_items(struct csv_writer *w, int dunning)
{
	static const char *const head[] = {
		"customer_id", "customer_name", "invoice_no", "invoice_date", "due_date",
		"amount", "paid", "open_amount", "days_overdue"
	};
	char label[48];
	size_t i;

	put_head(w, head, 9);
	csvw_str(w, dunning ? "late_fee" : "bucket");
	csvw_str(w, dunning ? "amount_due" : "late_fee");
	if (dunning)    /* whom a notice goes to (report --letter) */
		put_head(w, ledger_head + 8, 3);
	csvw_endrow(w);
	for (i = 0; i < ninv; i++) {
		struct invoice *iv = &inv[order[i]];
		const struct customer *cu = &customers.v[iv->cust];
		int32_t days = days_overdue(iv);
		int64_t fee;
		if (!iv->posted || iv->open <= 0 || (dunning && days < opt.min_days))
			continue;
		fee = late_fee(iv);
		put_row_seq(w, cust_rank[iv->cust]);
		csvw_str(w, cust_str(&customers, cu->id));
		csvw_str(w, cust_str(&customers, cu->name));
		csvw_str(w, str(iv->num));
		put_date(w, iv->date);
		put_date(w, iv->due);
		put_money(w, iv->amount);
		put_money(w, iv->amount - iv->open);
		put_money(w, iv->open);
		put_int(w, days);
		if (dunning) {
			put_money(w, fee);
			put_money(w, iv->open + fee);
			put_contact(w, cu);     /* ends the row */
		} else {
			bucket_label(label, sizeof label, opt.buckets, opt.nbuckets,
			             bucket_of(days, opt.buckets, opt.nbuckets));
			csvw_str(w, label);
			put_money(w, fee);
			csvw_endrow(w);
		}
		if ((i & 4095) == 0 && csvw_status(w))
			break;
	}
}

static int32_t event_cust(uint64_t ev)
{
	size_t idx = (size_t)(ev & 0xffffffffu);

	return (ev >> 32 & 1) == EV_INVOICE ? inv[idx].cust : pay[idx].cust;
}

/* The events of each customer, customers in id order, each one's in application order:
 * a counting sort, which keeps the order of events.  byc[start[r] .. start[r + 1]) are
 * the indices into events of the customer of rank r. */
static size_t *events_by_customer(size_t **startp)
{
	size_t *start = tool_alloc(customers.n + 1, sizeof *start), *fill, *byc, e, r;

	for (e = 0; e < nevents; e++)
		start[cust_rank[event_cust(events[e])] + 1]++;
	for (r = 0; r < customers.n; r++)
		start[r + 1] += start[r];
	fill = tool_alloc(customers.n, sizeof *fill);
	byc = tool_alloc(nevents, sizeof *byc);
	for (e = 0; e < nevents; e++) {
		uint32_t rk = cust_rank[event_cust(events[e])];
		byc[start[rk] + fill[rk]++] = e;
	}
	sd_free(fill);
	*startp = start;
	return byc;
}

/* What an event does to the balance: an invoice its amount, a payment minus its. */
static int64_t event_amount(uint64_t ev)
{
	size_t idx = (size_t)(ev & 0xffffffffu);

	return (ev >> 32 & 1) == EV_INVOICE ? inv[idx].amount : -pay[idx].amount;
}

/* One event's date, type, number, debit and credit (ledger and statement rows);
 * returns event_amount. */
static int64_t put_event(struct csv_writer *w, uint64_t ev)
{
	size_t idx = (size_t)(ev & 0xffffffffu);

	if ((ev >> 32 & 1) == EV_INVOICE) {
		put_date(w, inv[idx].date);
		csvw_str(w, "invoice");
		csvw_str(w, str(inv[idx].num));
		put_money(w, inv[idx].amount);
		csvw_str(w, "");
	} else {
		put_date(w, pay[idx].date);
		csvw_str(w, "payment");
		csvw_str(w, str(pay[idx].no));
		csvw_str(w, "");
		put_money(w, pay[idx].amount);
	}
	return event_amount(ev);
}

static void report_ledger(struct csv_writer *w)
{
	size_t *start, *byc = events_by_customer(&start), e, r;

	put_head(w, ledger_head, 8);
	csvw_endrow(w);
	for (r = 0; r < customers.n; r++) {
		const struct customer *cu = &customers.v[rank_cust[r]];
		int64_t bal = 0;
		for (e = start[r]; e < start[r + 1]; e++) {
			put_row_seq(w, (uint32_t)r);
			csvw_str(w, cust_str(&customers, cu->id));
			csvw_str(w, cust_str(&customers, cu->name));
			bal += put_event(w, events[byc[e]]);
			put_money(w, bal);
			csvw_endrow(w);
		}
		if (csvw_status(w))
			break;
	}
	sd_free(start);
	sd_free(byc);
}

/* ---- statement (对账单) ---- */

static int32_t event_date(uint64_t ev)
{
	return (int32_t)(ev >> 33) - 1000000;
}

/* A statement row's head; put_contact ends it. */
static void put_cust(struct csv_writer *w, const struct customer *cu)
{
	put_row_seq(w, cust_rank[cu - customers.v]);
	csvw_str(w, cust_str(&customers, cu->id));
	csvw_str(w, cust_str(&customers, cu->name));
}

/* The opening or closing row: DEBIT and CREDIT are the period's totals on the closing
 * row, blank on the opening one. */
static void put_balance_row(struct csv_writer *w, const struct customer *cu, int32_t d,
                            const char *type, const int64_t *debit, const int64_t *credit,
                            int64_t bal)
{
	put_cust(w, cu);
	put_date(w, d);
	csvw_str(w, type);
	csvw_str(w, "");
	if (debit) {
		put_money(w, *debit);
		put_money(w, *credit);
	} else {
		csvw_str(w, "");
		csvw_str(w, "");
	}
	put_money(w, bal);
	put_contact(w, cu);
}

/* Per customer (receivables(1)): the balance on the day before --from, every document
 * of the period in application order, and the balance on --to with the period's
 * debits and credits, so that opening + debits - credits = closing, which is the
 * ledger's balance on --to.  Without --customer a customer is shown when it has a
 * document in the period or an opening balance other than 0. */
static void report_statement(struct csv_writer *w, const char *pick)
{
	size_t *start, *byc = events_by_customer(&start), e, r;

	put_head(w, ledger_head, 11);
	csvw_endrow(w);
	for (r = 0; r < customers.n; r++) {
		const struct customer *cu = &customers.v[rank_cust[r]];
		int64_t open = 0, debit = 0, credit = 0, bal;
		size_t first = start[r + 1], last;
		for (e = start[r]; e < start[r + 1]; e++) {
			int32_t d = event_date(events[byc[e]]);
			if (d >= opt.from) {
				first = e;
				break;
			}
			open += event_amount(events[byc[e]]);
		}
		for (last = first; last < start[r + 1] &&
		     event_date(events[byc[last]]) <= opt.to; last++)
			;
		if (opt.nonly ? !pick[rank_cust[r]] : first == last && open == 0)
			continue;
		put_balance_row(w, cu, opt.from - 1, "opening", NULL, NULL, open);
		for (bal = open, e = first; e < last; e++) {
			int64_t x;
			put_cust(w, cu);
			x = put_event(w, events[byc[e]]);
			bal += x;
			/* by column, as printed: a credit note is a negative debit */
			if ((events[byc[e]] >> 32 & 1) == EV_INVOICE)
				debit += x;
			else
				credit -= x;
			put_money(w, bal);
			put_contact(w, cu);
		}
		put_balance_row(w, cu, opt.to, "closing", &debit, &credit, bal);
		if (csvw_status(w))
			break;
	}
	sd_free(start);
	sd_free(byc);
}

/* --customer: each must be in the customer file (a typo would give an empty statement). */
static char *pick_customers(void)
{
	char *pick = tool_alloc(customers.n, 1);
	size_t i;

	for (i = 0; i < opt.nonly; i++) {
		const struct customer *cu = customer_find(&customers, opt.only[i],
		                                          strlen(opt.only[i]));
		if (!cu)
			diag_fatal(EX_DATAERR, "%s: --customer %s is not in the customer file",
			           diag_name(opt.customers), diag_qstr(opt.only[i]));
		/* under --shard, the statement of another part's customer is that part's */
		pick[cu - customers.v] = (char)tool_shard_mine(&tool, opt.only[i], strlen(opt.only[i]));
	}
	return pick;
}

static void report_balances(struct csv_writer *w)
{
	size_t r, i;

	put_head(w, (const char *const[]){ "customer_id", "open_balance" }, 2);
	csvw_endrow(w);
	for (r = 0; r < customers.n; r++) {
		const struct account *a = &acct[rank_cust[r]];
		int64_t open = 0;
		if (!a->active)
			continue;
		for (i = a->start; i < a->end; i++)
			if (inv[order[i]].posted)
				open += inv[order[i]].open;
		put_row_seq(w, (uint32_t)r);
		csvw_str(w, cust_str(&customers, customers.v[rank_cust[r]].id));
		put_money(w, open - a->credit);
		csvw_endrow(w);
	}
}

/* ---- options ---- */

static int own_option(struct tool *t, int opt_key, const char *arg)
{
	size_t i;
	int n;

	switch (opt_key) {
	case 'c': opt.customers = arg; tool_add_file(t, TOOL_IN, "-c", arg); break;
	case OPT_ASOF:
		opt.as_of = tool_date(t, "--as-of", arg);
		opt.have_as_of = 1;
		break;
	case OPT_BUCKETS:
		if ((n = parse_uint_list(arg, 1, 36500, opt.buckets, MAX_BUCKETS)) < 0) {
			diag_warn("--buckets: %s is not a list of increasing day counts "
			          "(e.g. 30,60,90; 1-36500, at most %d)", diag_qstr(arg), MAX_BUCKETS);
			return -1;
		}
		opt.nbuckets = n;
		break;
	case OPT_GRACE: opt.grace = (int)tool_number(t, "--grace", arg, 0, 36500); break;
	case OPT_MINDAYS: opt.min_days = (int)tool_number(t, "--min-days", arg, 0, 36500); break;
	case OPT_PAYMENTS: opt.payments = arg; tool_add_file(t, TOOL_IN, "--payments", arg); break;
	case OPT_PREJECTS:
		opt.payment_rejects = arg;
		tool_add_file(t, TOOL_OUT, "--payment-rejects", arg);
		break;
	case OPT_RATE:
		if (parse_plain(arg, strlen(arg), RATE_SCALE, &opt.rate) != NUM_OK ||
		    opt.rate >= pow10i(RATE_SCALE)) {
			diag_warn("--late-fee-rate: %s is not a daily rate "
			          "(a decimal below 1, up to 8 decimals, e.g. 0.0005)", diag_qstr(arg));
			return -1;
		}
		break;
	case OPT_REPORT:
		for (i = 0; i < sizeof report_names / sizeof report_names[0]; i++)
			if (!strcmp(arg, report_names[i]))
				break;
		if (i == sizeof report_names / sizeof report_names[0]) {
			diag_warn("--report: %s is not a report (allowed aging, open-items, "
			          "ledger, balances, dunning)", diag_qstr(arg));
			return -1;
		}
		opt.report = (int)i;
		break;
	case OPT_TERMS: opt.terms = (int)tool_number(t, "--terms", arg, 0, 36500); break;
	case OPT_FROM: opt.from = tool_date(t, "--from", arg); opt.have_from = 1; break;
	case OPT_TO: opt.to = tool_date(t, "--to", arg); opt.have_to = 1; break;
	case OPT_CUSTOMER:
		opt.only = tool_realloc(opt.only, (opt.nonly + 1) * sizeof *opt.only);
		opt.only[opt.nonly++] = arg;
		break;
	default: return -1;
	}
	return 0;
}

static int32_t today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- reading ---- */

static void read_invoices(struct instream *in, struct rejects *rj)
{
	struct csv_record rec;
	struct sd_err err;
	int st;

	while ((st = instream_next(in, &rec, &err)) > 0) {
		struct line ln;
		struct reason why;
		const char *bad;
		/* under --shard, the run of the customer_id as written takes or rejects the line */
		struct csv_field cust = record_cell(&rec, cols, I_CUST);
		int mine = tool_shard_mine(&tool, cust.s, cust.n);
		if ((bad = instream_malformed(in, &rec)))
			why = reason_of(bad, NULL);
		else if (!(why = check_line(&rec, &ln)).code)
			why = take_line(&ln, mine);
		rj->seq = in->rows;
		if (why.code && mine)
			reject_row(&tool, rj, in->paths[in->cur], &rec, &why);
		if (ninv >= 0xffffffffu)
			diag_fatal(EX_DATAERR, "%s:%ld: more than 4294967294 invoices", in->name,
			           rec.line);
	}
	if (st < 0)
		diag_die(&err);
}

static void read_payments(struct instream *in, struct rejects *rj)
{
	struct csv_record rec;
	struct sd_err err;
	int st;

	while ((st = instream_next(in, &rec, &err)) > 0) {
		struct payment p;
		struct reason why;
		const char *bad;
		struct csv_field cust = record_cell(&rec, pcols, P_CUST);
		/* under --shard, another part's customer's payment is that part's alone */
		if (!tool_shard_mine(&tool, cust.s, cust.n))
			continue;
		rj->seq = in->rows;
		if ((bad = instream_malformed(in, &rec)))
			why = reason_of(bad, NULL);
		else
			why = check_payment(&rec, &p);
		if (why.code)
			reject_row(&tool, rj, in->paths[in->cur], &rec, &why);
		else
			keep_payment(&rec, &p);
		if (npay >= 0xffffffffu)
			diag_fatal(EX_DATAERR, "%s:%ld: more than 4294967294 payments", in->name,
			           rec.line);
	}
	if (st < 0)
		diag_die(&err);
}

static void open_inputs(struct instream *in, struct instream *pin, char **paths, size_t n)
{
	/* -d and -E are the input stream's: a master file is detected on its own (salesdesk(7)) */
	struct master_io io = { 0, NULL, diag_warn_err };
	struct sd_err err;

	if (instream_open(in, paths, n, tool.delim, tool.encoding, &err) < 0 ||
	    instream_columns(in, in_names, cols, I_N, 2, &err) < 0)
		diag_die(&err);
	if (cols[I_INVNO] < 0 && cols[I_ORDER] < 0)
		diag_fatal(EX_DATAERR, "%s:1: required column 'order_no' is missing "
		           "(or invoice_no)", diag_name(in->paths[0]));
	if (cols[I_INVDATE] < 0 && cols[I_SHIP] < 0)
		diag_fatal(EX_DATAERR, "%s:1: required column 'ship_date' is missing "
		           "(or invoice_date)", diag_name(in->paths[0]));
	if (cols[I_INVNO] < 0 && cols[I_SHIP] < 0)
		diag_fatal(EX_DATAERR, "%s:1: required column 'ship_date' is missing "
		           "(invoices without invoice_no are keyed by order_no and ship_date)",
		           diag_name(in->paths[0]));
	if (instream_open(pin, (char **)&opt.payments, 1, io.delim, io.encoding, &err) < 0 ||
	    instream_columns(pin, pay_names, pcols, P_N, P_REF, &err) < 0)
		diag_die(&err);
	if (customers_load(&customers, opt.customers, &io, &err) < 0)
		diag_die(&err);
	cust_invoiced = tool_alloc(customers.n, sizeof *cust_invoiced);
	cust_paid = tool_alloc(customers.n, sizeof *cust_paid);
}

/* --from, --to and --customer belong to the statement, which needs the first two
 * (receivables(1)); its --as-of, when given, cannot close the books before --to. */
static void check_statement(void)
{
	char to[16];

	if (opt.report != REP_STATEMENT) {
		if (!opt.have_from && !opt.have_to && !opt.nonly)
			return;
		diag_warn("--from, --to and --customer are for --report statement");
		tool_usage(&tool, EX_USAGE);
	}
	if (!opt.have_from || !opt.have_to) {
		diag_warn("--report statement needs --from DATE and --to DATE");
		tool_usage(&tool, EX_USAGE);
	}
	fmt_date(to, opt.to);
	if (opt.from > opt.to) {
		diag_warn("--from is after --to (%s)", to);
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.have_as_of && opt.as_of < opt.to) {
		diag_warn("--as-of is before --to (%s): the period's documents would be missing", to);
		tool_usage(&tool, EX_USAGE);
	}
}

int main(int argc, char *argv[])
{
	struct instream in, pin;
	struct csv_writer out;
	struct rejects rj, prj;
	struct csv_writer *outs[3] = { &out, &rj.w, &prj.w };
	char asof[16], *pick;
	int first, rc;

	first = tool_parse(&tool, argc, argv, own_option);
	if (!opt.customers || !opt.payments) {
		diag_warn("%s is required", !opt.customers ? "-c customers.csv" : "--payments FILE");
		tool_usage(&tool, EX_USAGE);
	}
	check_statement();
	if (!opt.have_as_of)
		opt.as_of = opt.report == REP_STATEMENT ? opt.to : today();
	/* open everything first: inputs, master, outputs; then read */
	open_inputs(&in, &pin, argv + first, (size_t)(argc - first));
	pick = opt.report == REP_STATEMENT ? pick_customers() : NULL;
	tool_open_output(&out, tool.output, tool.delim);
	if (rejects_open(&rj, tool.rejects, &in, tool.delim) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(tool.rejects),
		           strerror(errno));
	if (rejects_open(&prj, opt.payment_rejects, &pin, tool.delim) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(opt.payment_rejects),
		           strerror(errno));
	strmap_init(&inv_keys);
	strmap_init(&line_keys);
	strmap_init(&order_lines);
	strmap_init(&ref_keys);
	add_text("", 0);        /* offset 0 is the empty string: "no reference" */

	read_invoices(&in, &rj);
	read_payments(&pin, &prj);
	strmap_free(&inv_keys);
	strmap_free(&line_keys);
	strmap_free(&order_lines);
	sort_documents();
	index_references();
	apply_all();
	tool_put_seq(&tool, &out, NULL);        /* under --shard, seq heads every report */
	switch (opt.report) {
	case REP_AGING: report_aging(&out); break;
	case REP_OPEN: report_items(&out, 0); break;
	case REP_LEDGER: report_ledger(&out); break;
	case REP_BALANCES: report_balances(&out); break;
	case REP_DUNNING: report_items(&out, 1); break;
	case REP_STATEMENT: report_statement(&out, pick); break;
	}
	fmt_date(asof, opt.as_of);
	if (tool.verbose)
		diag_warn("%llu invoice lines read: %zu invoices, %llu rejected; "
		          "%llu payments read: %llu rejected; %llu documents after %s ignored",
		          (unsigned long long)in.rows, ninv, (unsigned long long)rj.count,
		          (unsigned long long)pin.rows, (unsigned long long)prj.count,
		          (unsigned long long)late_docs, asof);
	rc = tool.strict && (rj.count || prj.count) ? EX_DATAERR : 0;
	rc = tool_finish(rc, outs, 3);
	instream_close(&in);
	instream_close(&pin);
	customers_free(&customers);
	strmap_free(&ref_keys);
	sbuf_release(&text);
	sbuf_release(&key);
	sd_free(inv);
	sd_free(pay);
	sd_free(acct);
	sd_free(cust_invoiced);
	sd_free(cust_paid);
	sd_free(rank_cust);
	sd_free(cust_rank);
	sd_free(order);
	sd_free(events);
	sd_free(ref_start);
	sd_free(refs);
	sd_free(inv_pos);
	sd_free(opt.only);
	sd_free(pick);
	return rc;
}

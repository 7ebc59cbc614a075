/* order-intake — 订单接收与确认: check each order line against the customer and product
 * files, fill in what the clerk left out, hold lines over the credit limit, and pass
 * everything else to the rejects stream with its reason (order-intake(1)). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "master.h"
#include "num.h"
#include "strmap.h"
#include "tool.h"

static struct opts {
	const char *customers, *products, *balances, *summary;
	const char *book, *book_out;            /* the order book, salesdesk(7) */
	struct tool_files cancel;               /* --cancel FILE, repeatable */
	int32_t date;                           /* --date: "since" of the day's lines */
	char today[16];                         /* --date, as written in "since" */
	size_t nearlier;        /* --earlier DATE=FILE, in argv order */
	struct earlier_arg { int32_t day; const char *path; } *earlier;
	size_t earlier_cap;
	int64_t tolerance;      /* --price-tolerance, SCALE_PCT */
	int lead_days;
} opt;
static const struct opts opt_defaults = { .lead_days = 1 };

enum { OPT_SUMMARY = 300, OPT_TOLERANCE, OPT_LEAD, OPT_EARLIER, OPT_BOOK, OPT_BOOK_OUT,
       OPT_CANCEL, OPT_DATE };
static const struct tool_opt own_opts[] = {
	{ "balances", 'b', 1, "FILE", "open balances for the credit check (receivables --report balances)" },
	{ "book", OPT_BOOK, 1, "FILE", "the previous order book: its held and unplanned lines are checked again" },
	{ "book-out", OPT_BOOK_OUT, 1, "FILE", "write the order book's lines known here (needs --date)" },
	{ "cancel", OPT_CANCEL, 1, "FILE", "cancellations: order_no, line_no (blank: the whole order), reason; repeatable" },
	{ "customers", 'c', 1, "FILE", "customer file (required)" },
	{ "date", OPT_DATE, 1, "DATE", "the business day, the order book's since for the day's lines" },
	{ "earlier", OPT_EARLIER, 1, "DATE=FILE", "lines confirmed on DATE (that day's output); repeatable" },
	{ "lead-days", OPT_LEAD, 1, "N", "default ship date = order date + N days (default 1)" },
	{ "price-tolerance", OPT_TOLERANCE, 1, "PCT", "allowed deviation of unit_price from list_price (default 0)" },
	{ "products", 'p', 1, "FILE", "product file (required)" },
	{ "summary", OPT_SUMMARY, 1, "FILE", "write the daily summary per order date and office to FILE" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_CANCEL, OPT_EARLIER, 0 };

static struct tool tool;
static const struct tool tool_defaults = {
	.name = "order-intake",
	.synopsis = "-c customers.csv -p products.csv [-b balances.csv] [--rejects FILE]\n"
	            "       [--earlier DATE=FILE ...] [--book FILE] [--cancel FILE ...]\n"
	            "       [--book-out FILE --date DATE] [--summary FILE]\n"
	            "       [--price-tolerance PCT] [--lead-days N] [--shard K/N] [-o FILE] [-d C]\n"
	            "       [-E NAME] [-q] [-v] [--strict] [--excel] [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = COMMON_FILTER | COMMON_SHARD,
};

/* Input columns: the first five are required. */
enum { I_ORDER, I_DATE, I_CUST, I_SKU, I_QTY, I_LINE, I_PRICE, I_SHIP, I_OFFICE, I_N };
static const char *const in_names[I_N] = {
	"order_no", "order_date", "customer_id", "sku", "qty", "line_no", "unit_price",
	"ship_date", "office"
};

static const char *const out_names[] = {
	"order_no", "line_no", "order_date", "ship_date", "customer_id", "customer_name",
	"region", "city", "office", "sku", "product_name", "unit", "qty", "unit_price", "amount",
	"weight_kg", "volume_m3", "status"
};
enum { N_OUT = sizeof out_names / sizeof out_names[0] };

/* What the run remembers per order_no: every row seen (for default line numbers) and the
 * customer and date of its first accepted line (for inconsistent_order). */
struct order {
	uint32_t rows;
	int32_t cust;           /* customer index, -1 until a line is accepted */
	int32_t date;
	uint64_t lines;         /* accepted line_no 1-64 (bit n-1), see small_line_no() */
	int seeded;             /* the earlier days' confirmation looked up (--earlier) */
	int owner;              /* --shard: 1 this run's, 0 another's, -1 not known yet */
};

/* One summary group: order_date × office. */
struct group {
	int64_t qty, amount, weight;
	uint64_t orders, lines, confirmed, held, rejected;
};

/* The book's columns as read: the input columns, then these. */
enum { K_STATE = I_N, K_SINCE, K_WHY, K_AMOUNT, K_N };

/* Everything a run of order-intake knows besides its options: the master files, the
 * orders and groups seen so far, the outputs of its own.  main makes a fresh one per run
 * (the fuzz harness runs main many times in one process). */
struct intake {
	struct customers customers;
	struct products products;
	struct balances balances;
	int have_balances;
	struct earlier earlier;         /* --earlier: the archive's confirmed lines */
	struct cancels cancels;         /* --cancel */
	struct cancels book_cancels;    /* lines cancelled before, from --book */
	int cols[I_N];                  /* the input's columns by meaning */
	int no_line_column;
	int book_cols[K_N];             /* --book's columns */
	struct csv_writer book_w;       /* --book-out */
	int64_t *confirmed_total;       /* per customer, this run's confirmed amounts */
	/* The master text every output row repeats, encoded once for the output's
	 * delimiter: "name,region,city" per customer and "name,unit" per product, as
	 * [start, end) offsets into blocks.  Written with one copy instead of five quoting
	 * checks. */
	struct sbuf blocks;
	size_t *cust_block, *prod_block;
	struct strmap orders;           /* order_no -> struct order (same index) */
	struct order *order_v;
	size_t order_cap;
	long last_order;                /* index of the previous row's order, or -1 */
	struct strmap line_keys;        /* order index bytes + line_no (or sku) */
	struct strmap groups;           /* "date\x1foffice" -> struct group (same index) */
	struct group *group_v;
	size_t group_cap;
	struct strmap group_orders;     /* group index bytes + order_no: orders counted */
	struct sbuf key;
	uint64_t seq;                   /* --shard: the current row's, tool_put_seq */
	/* the detail of the current row's reason when it is a text of its own (struct
	 * reason): made where the check fails, which has the values it names */
	char detail[512];
};

/* ---- the per-row rule ---- */

/* A checked line, ready to print. */
struct line {
	struct csv_field order_no, line_no, cust_id, sku, office;
	const struct customer *cu;
	const struct product *pr;
	int32_t order_date, ship_date;
	int64_t qty, price, amount, weight, volume;
	int held;
	size_t oidx;            /* the order's index in orders, found once per row */
	char line_buf[24];
	char why_buf[16];       /* the day a reason names */
	const struct earlier_line *was;  /* the earlier confirmation of this line, if any */
	const char *cancelled;  /* the cancellation's reason */
	int cancelled_before;   /* in the book as cancelled already */
	int carried;            /* from the order book: confirmed before, not sent again */
};

/* A row's cells by meaning, trimmed, blank when the column is absent or the row too
 * short: taken once per row (the checks read them about twenty times). */
struct row {
	struct csv_field cell[I_N];
};

static struct row take_row(const struct csv_record *rec, const int *colv)
{
	struct row row;
	int k;

	for (k = 0; k < I_N; k++)
		row.cell[k] = record_cell(rec, colv, k);
	return row;
}

static struct csv_field text_field(const char *s)
{
	struct csv_field f = { s, strlen(s) };
	return f;
}

/* A row's office (order-intake(1)): its own, else its customer's, else blank (cu NULL). */
static struct csv_field row_office(const struct intake *run, const struct row *row,
                                   const struct customer *cu)
{
	if (row->cell[I_OFFICE].n || !cu)
		return row->cell[I_OFFICE];
	return text_field(cust_str(&run->customers, cu->office));
}

/* The order's record, created on first sight.  An order's lines come together, so the
 * previous row's order is tried first, against its key in the map (no hash, no probe). */

static struct order *order_of(struct intake *run, struct csv_field no, size_t *idx)
{
	long last = run->last_order, i;
	int added;

	if (last >= 0 && run->orders.e[last].klen == no.n &&
	    !memcmp(strmap_key(&run->orders, (size_t)last), no.s, no.n)) {
		*idx = (size_t)last;
		return &run->order_v[last];
	}
	run->last_order = i = tool_must(strmap_add(&run->orders, no.s, no.n, 0, &added));
	if (added) {
		run->order_v = tool_grow(run->order_v, (size_t)i, &run->order_cap, sizeof *run->order_v);
		run->order_v[i] = (struct order){ 0, -1, 0, 0, 0, tool.nshard ? -1 : 1 };
	}
	*idx = (size_t)i;
	return &run->order_v[i];
}

/* Under --shard K/N (salesdesk(7), SCALE-OUT) an order is its customer's run: the
 * customer its lines are confirmed for, whose credit they use.  Until that is known (a
 * line accepted, or the earlier confirmation found), every run checks the order's rows,
 * all runs holding the same state of it, and the run of its order_no writes those it
 * rejects.  So after count_row: row_checked, 0 when another run has the order; then
 * row_written, given the customer of a row about to be accepted. */
static int row_checked(struct intake *run, const struct row *row, size_t oidx)
{
	return !row->cell[I_ORDER].n || run->order_v[oidx].owner != 0;
}

static int row_written(struct intake *run, const struct row *row, size_t oidx,
                       const struct customer *cu)
{
	struct order *o = &run->order_v[oidx];
	const char *id;

	if (!tool.nshard)
		return 1;
	if (!row->cell[I_ORDER].n)
		return tool_shard_mine(&tool, row->cell[I_CUST].s, row->cell[I_CUST].n);
	if (o->owner < 0 && (cu || o->cust >= 0)) {
		id = cust_str(&run->customers, (cu ? cu : &run->customers.v[o->cust])->id);
		o->owner = tool_shard_mine(&tool, id, strlen(id));
	}
	if (o->owner < 0)
		return tool_shard_mine(&tool, row->cell[I_ORDER].s, row->cell[I_ORDER].n);
	return o->owner;
}

/* Counts the row in its order for default line numbers; returns that row's number and
 * the order's index (for the checks, so that a row looks its order up once). */
static uint32_t count_row(struct intake *run, const struct row *row, size_t *idx)
{
	struct csv_field no = row->cell[I_ORDER];

	if (!no.n)
		return 0;
	return ++order_of(run, no, idx)->rows;
}

/* |price - list| > list × tolerance / 100, exactly. */
static int price_deviates(int64_t price, int64_t list)
{
	__int128 diff = (__int128)price - list;

	if (diff < 0)
		diff = -diff;
	return diff * 1000000 > (__int128)list * opt.tolerance;
}

static struct reason parse_row(const struct row *row, struct line *ln)
{
	struct csv_field f;
	int k, st;

	for (k = I_ORDER; k <= I_QTY; k++)
		if (!row->cell[k].n)
			return reason_of("missing", in_names[k]);
	ln->order_no = row->cell[I_ORDER];
	ln->cust_id = row->cell[I_CUST];
	ln->sku = row->cell[I_SKU];
	f = row->cell[I_DATE];
	if (parse_date(f.s, f.n, &ln->order_date) < 0)
		return reason_cell("bad_date", "order_date", NULL, f, "is not a date");
	f = row->cell[I_SHIP];
	ln->ship_date = ln->order_date + opt.lead_days;
	if (f.n && parse_date(f.s, f.n, &ln->ship_date) < 0)
		return reason_cell("bad_date", "ship_date", NULL, f, "is not a date");
	f = row->cell[I_QTY];
	if ((st = parse_qty(f.s, f.n, &ln->qty)) == NUM_BAD)
		return reason_cell("bad_qty", NULL, "qty", f, "is not a whole number above 0");
	f = row->cell[I_PRICE];
	ln->price = -1;
	if (f.n) {
		int pst = parse_money(f.s, f.n, SCALE_PRICE, &ln->price);
		if (pst == NUM_BAD || (pst == NUM_OK && ln->price < 0))
			return reason_cell("bad_price", NULL, "unit_price", f,
			                   "is not an amount of 0 or more (up to 4 decimals)");
		if (pst == NUM_OVERFLOW)
			st = NUM_OVERFLOW;
	}
	return reason_of(st == NUM_OVERFLOW ? "overflow" : NULL, NULL);
}

/* A line_no of 1-64 written plainly (small_line_no), as nearly all are, is
 * remembered as a bit of its order: the duplicate check then touches only the order's
 * record, which its neighbouring lines keep in cache, instead of a million-entry map
 * (a cache miss per row and 40 of the 80 bytes per line at 1M lines).  Every other key
 * goes to line_keys; a key is always in the same one of the two, so none is missed. */

/* The first of the contents order-intake(1) compares that differs from the earlier
 * confirmation, or NULL when the line is the same line sent again. */
static const char *amended_field(const struct intake *run, const struct line *ln,
                                 const struct earlier_line *e)
{
	const char *cust = earlier_str(&run->earlier, e->cust);
	const char *sku = earlier_str(&run->earlier, e->sku);

	if (strlen(cust) != ln->cust_id.n || memcmp(cust, ln->cust_id.s, ln->cust_id.n))
		return "customer_id";
	if (strlen(sku) != ln->sku.n || memcmp(sku, ln->sku.s, ln->sku.n))
		return "sku";
	if (e->qty != ln->qty)
		return "qty";
	if (e->price != ln->price)
		return "unit_price";
	if (e->ship_date != ln->ship_date)
		return "ship_date";
	return NULL;
}

/* A line confirmed on an earlier day (salesdesk(7), the archive) is never confirmed
 * again: sent again it is confirmed_earlier, changed it is amended_after_confirmation,
 * both naming the day, as a person has to decide about an amendment. */
static struct reason check_earlier(struct intake *run, struct line *ln)
{
	const char *field;

	if (!(ln->was = earlier_find(&run->earlier, ln->order_no.s, ln->order_no.n, ln->line_no.s,
	                             ln->line_no.n, &run->key)))
		return reason_of(NULL, NULL);
	fmt_date(ln->why_buf, ln->was->day);
	field = amended_field(run, ln, ln->was);
	snprintf(run->detail, sizeof run->detail, "order %s line_no %s was confirmed on %s%s%s",
	         diag_quote(ln->order_no.s, ln->order_no.n),
	         diag_quote(ln->line_no.s, ln->line_no.n), ln->why_buf,
	         field ? " with another " : "", field ? field : "");
	return reason_text(field ? "amended_after_confirmation" : "confirmed_earlier",
	                   ln->why_buf, run->detail);
}

/* An order confirmed on an earlier day keeps the customer and date of its first line
 * then: a file sent again cannot bring in a line the first run refused as
 * inconsistent_order, after its good lines are refused as confirmed_earlier. */
static void seed_order(struct intake *run, struct order *o, const struct line *ln)
{
	const struct earlier_line *e;
	const struct customer *cu;
	const char *id;

	if (o->seeded || o->cust >= 0)
		return;
	o->seeded = 1;
	if (!(e = earlier_order(&run->earlier, ln->order_no.s, ln->order_no.n)))
		return;
	id = earlier_str(&run->earlier, e->cust);
	if ((cu = customer_find(&run->customers, id, strlen(id)))) {
		o->cust = (int32_t)(cu - run->customers.v);
		o->date = e->order_date;
	}
}

/* duplicate_line, naming the key that repeats: line_no, or sku without that column */
static struct reason duplicate(struct intake *run, const struct line *ln)
{
	snprintf(run->detail, sizeof run->detail, "order %s %s %s was accepted already",
	         diag_quote(ln->order_no.s, ln->order_no.n),
	         run->no_line_column ? "sku" : "line_no",
	         run->no_line_column ? diag_quote(ln->sku.s, ln->sku.n) :
	                          diag_quote(ln->line_no.s, ln->line_no.n));
	return reason_text("duplicate_line", NULL, run->detail);
}

static struct reason check_row(struct intake *run, const struct row *row, struct line *ln,
                               uint32_t rowno)
{
	struct reason why = parse_row(row, ln);
	struct order *o;
	char a[48], b[48];
	int added, bit;

	if (why.code)
		return why;
	if (!(ln->cu = customer_find(&run->customers, ln->cust_id.s, ln->cust_id.n)))
		return reason_cell("unknown_customer", NULL, "customer_id", ln->cust_id, NULL);
	if (ln->cu->blocked)
		return reason_cell("blocked_customer", NULL, "customer_id", ln->cust_id, NULL);
	ln->office = row_office(run, row, ln->cu);
	if (!(ln->pr = product_find(&run->products, ln->sku.s, ln->sku.n)))
		return reason_cell("unknown_sku", NULL, "sku", ln->sku, NULL);
	if (ln->pr->inactive)
		return reason_cell("inactive_sku", NULL, "sku", ln->sku, NULL);
	if (ln->price < 0)
		ln->price = ln->pr->list_price;
	if (mul_round(ln->qty, ln->price, SCALE_PRICE - SCALE_AMOUNT, &ln->amount) ||
	    __builtin_mul_overflow(ln->qty, ln->pr->unit_weight, &ln->weight) ||
	    __builtin_mul_overflow(ln->qty, ln->pr->unit_volume, &ln->volume))
		return reason_of("overflow", NULL);
	if (row->cell[I_PRICE].n && price_deviates(ln->price, ln->pr->list_price)) {
		fmt_trim(a, ln->price, SCALE_PRICE, 2);
		fmt_trim(b, ln->pr->list_price, SCALE_PRICE, 2);
		snprintf(run->detail, sizeof run->detail, "unit_price %s, list_price %s", a, b);
		return reason_text("price_deviation", NULL, run->detail);
	}
	if (ln->ship_date < ln->order_date) {
		fmt_date(a, ln->ship_date);
		fmt_date(b, ln->order_date);
		snprintf(run->detail, sizeof run->detail, "ship_date %s is before order_date %s", a, b);
		return reason_text("ship_before_order", NULL, run->detail);
	}
	/* line number: given, or this row's place in its order */
	ln->line_no = row->cell[I_LINE];
	if (!ln->line_no.n) {
		ln->line_no.n = (size_t)fmt_int(ln->line_buf, rowno);
		ln->line_no.s = ln->line_buf;
	}
	if (!ln->carried && (why = check_earlier(run, ln)).code)
		return why;
	/* a line cancelled before and sent again stays cancelled: it is in the book */
	if ((ln->cancelled = cancel_reason(&run->book_cancels, ln->order_no.s, ln->order_no.n,
	                                   ln->line_no.s, ln->line_no.n, &run->key)))
		ln->cancelled_before = 1;
	else
		ln->cancelled = cancel_reason(&run->cancels, ln->order_no.s, ln->order_no.n,
		                              ln->line_no.s, ln->line_no.n, &run->key);
	if (ln->cancelled) {
		snprintf(run->detail, sizeof run->detail, "order %s line_no %s: %s",
		         diag_quote(ln->order_no.s, ln->order_no.n),
		         diag_quote(ln->line_no.s, ln->line_no.n), diag_qstr(ln->cancelled));
		return reason_text("cancelled", NULL, run->detail);
	}
	o = &run->order_v[ln->oidx];    /* order_no is not blank: count_row has it */
	seed_order(run, o, ln);
	if (o->cust >= 0 && (o->cust != (int32_t)(ln->cu - run->customers.v) ||
	                     o->date != ln->order_date)) {
		fmt_date(a, o->date);
		snprintf(run->detail, sizeof run->detail, "order %s was accepted for %s dated %s",
		         diag_quote(ln->order_no.s, ln->order_no.n),
		         diag_qstr(cust_str(&run->customers, run->customers.v[o->cust].id)), a);
		return reason_text("inconsistent_order", NULL, run->detail);
	}
	/* the last check: a key new here is remembered at once (one probe, not two),
	 * since a row that passes it is accepted */
	if (!run->no_line_column && (bit = small_line_no(ln->line_no.s, ln->line_no.n))) {
		uint64_t m = (uint64_t)1 << (bit - 1);
		if (o->lines & m)
			return duplicate(run, ln);
		o->lines |= m;
		return reason_of(NULL, NULL);
	}
	sbuf_reset(&run->key);
	tool_must(sbuf_add(&run->key, &ln->oidx, sizeof ln->oidx));
	if (run->no_line_column)
		tool_must(sbuf_add(&run->key, ln->sku.s, ln->sku.n));
	else
		tool_must(sbuf_add(&run->key, ln->line_no.s, ln->line_no.n));
	tool_must(strmap_add(&run->line_keys, run->key.buf, run->key.len, 0, &added));
	return added ? reason_of(NULL, NULL) : duplicate(run, ln);
}

/* The line is accepted: remember its keys and apply the credit check. */
static void accept(struct intake *run, struct line *ln)
{
	size_t ci = (size_t)(ln->cu - run->customers.v);
	struct order *o = &run->order_v[ln->oidx];

	if (o->cust < 0) {
		o->cust = (int32_t)ci;
		o->date = ln->order_date;
	}
	ln->held = 0;
	if (run->have_balances && ln->cu->credit_limit > 0) {
		__int128 exposure = (__int128)balance_of(&run->balances, ln->cust_id.s, ln->cust_id.n) +
		                    run->confirmed_total[ci] + ln->amount;
		if (exposure > ln->cu->credit_limit)
			ln->held = 1;
	}
	if (!ln->held)
		run->confirmed_total[ci] += ln->amount;
}

/* ---- summary ---- */

static struct group *group_of(struct intake *run, int32_t date, int have_date,
                              struct csv_field office, size_t *gi)
{
	char d[16] = "";
	int added;
	long i;

	if (have_date)
		fmt_date(d, date);
	sbuf_reset(&run->key);
	tool_must(sbuf_addstr(&run->key, d));
	tool_must(sbuf_addch(&run->key, 0x1f));
	tool_must(sbuf_add(&run->key, office.s, office.n));
	i = tool_must(strmap_add(&run->groups, run->key.buf, run->key.len, 0, &added));
	if (added) {
		run->group_v = tool_grow(run->group_v, (size_t)i, &run->group_cap, sizeof *run->group_v);
		memset(&run->group_v[i], 0, sizeof run->group_v[i]);
	}
	*gi = (size_t)i;
	return &run->group_v[i];
}

static void sum_line(struct intake *run, const struct line *ln)
{
	size_t gi;
	struct group *g = group_of(run, ln->order_date, 1, ln->office, &gi);
	int added;

	g->lines++;
	g->held += ln->held;
	g->confirmed += !ln->held;
	g->qty += ln->qty;
	g->amount += ln->amount;
	g->weight += ln->weight;
	sbuf_reset(&run->key);
	tool_must(sbuf_add(&run->key, &gi, sizeof gi));
	tool_must(sbuf_add(&run->key, ln->order_no.s, ln->order_no.n));
	tool_must(strmap_add(&run->group_orders, run->key.buf, run->key.len, 0, &added));
	g->orders += (uint64_t)added;
}

/* A rejected row: under its order date (blank if missing or bad) and office (the row's,
 * else its known customer's, else blank); a malformed row under blank and blank. */
static void sum_reject(struct intake *run, const struct row *row, int malformed)
{
	struct csv_field office = { "", 0 }, f;
	const struct customer *cu = NULL;
	int32_t d = 0;
	int have_date = 0;
	size_t gi;

	if (!malformed) {
		f = row->cell[I_DATE];
		have_date = f.n && parse_date(f.s, f.n, &d) == 0;
		f = row->cell[I_CUST];
		if (!row->cell[I_OFFICE].n)
			cu = customer_find(&run->customers, f.s, f.n);
		office = row_office(run, row, cu);
	}
	group_of(run, d, have_date, office, &gi)->rejected++;
}

static void write_summary(struct intake *run, struct csv_writer *w)
{
	static const char *const head[] = {
		"order_date", "office", "orders", "lines", "qty", "amount", "weight_kg",
		"confirmed_lines", "held_lines", "rejected_lines"
	};
	/* "date\x1foffice" sorts by date (blank first) then office, in byte order */
	size_t *ix = tool_must_ptr(strmap_sorted(&run->groups)), i;
	char b[48];

	stream_write_header(w, head, sizeof head / sizeof head[0], NULL, NULL, 0);
	for (i = 0; i < run->groups.count; i++) {
		const char *gk = strmap_key(&run->groups, ix[i]);
		const char *sep = strchr(gk, 0x1f);
		const struct group *g = &run->group_v[ix[i]];
		csvw_field(w, gk, (size_t)(sep - gk));
		csvw_str(w, sep + 1);
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)g->orders));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)g->lines));
		csvw_plain(w, b, (size_t)fmt_int(b, g->qty));
		csvw_plain(w, b, (size_t)fmt_fixed(b, g->amount, SCALE_AMOUNT));
		csvw_plain(w, b, (size_t)fmt_fixed(b, g->weight, SCALE_WEIGHT));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)g->confirmed));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)g->held));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)g->rejected));
		csvw_endrow(w);
	}
	sd_free(ix);
}

/* ---- output ---- */

static void emit_row(struct intake *run, struct csv_writer *w, const struct line *ln,
                     const struct csv_record *rec, const size_t *pass, size_t npass)
{
	const struct customer *cu = ln->cu;
	const struct product *pr = ln->pr;
	char b[48];
	size_t i;

	tool_put_seq(&tool, w, &run->seq);
	csvw_field(w, ln->order_no.s, ln->order_no.n);
	csvw_field(w, ln->line_no.s, ln->line_no.n);
	size_t c = (size_t)(cu - run->customers.v), p = (size_t)(pr - run->products.v);

	csvw_plain(w, b, (size_t)fmt_date(b, ln->order_date));
	csvw_plain(w, b, (size_t)fmt_date(b, ln->ship_date));
	csvw_field(w, ln->cust_id.s, ln->cust_id.n);
	csvw_encoded(w, run->blocks.buf + run->cust_block[c],
	             run->cust_block[c + 1] - run->cust_block[c]);
	csvw_field(w, ln->office.s, ln->office.n);
	csvw_field(w, ln->sku.s, ln->sku.n);
	csvw_encoded(w, run->blocks.buf + run->prod_block[p],
	             run->prod_block[p + 1] - run->prod_block[p]);
	csvw_plain(w, b, (size_t)fmt_int(b, ln->qty));
	csvw_plain(w, b, (size_t)fmt_trim(b, ln->price, SCALE_PRICE, 2));
	csvw_plain(w, b, (size_t)fmt_fixed(b, ln->amount, SCALE_AMOUNT));
	csvw_plain(w, b, (size_t)fmt_fixed(b, ln->weight, SCALE_WEIGHT));
	csvw_plain(w, b, (size_t)fmt_fixed(b, ln->volume, SCALE_VOLUME));
	if (ln->held)
		csvw_plain(w, "credit_hold", 11);
	else
		csvw_plain(w, "confirmed", 9);
	for (i = 0; i < npass; i++)
		if (rec)
			csvw_field(w, rec->f[pass[i]].s, rec->f[pass[i]].n);
		else
			csvw_plain(w, "", 0);   /* a carried line has no pass-through */
	csvw_endrow(w);
}

/* Appends the fields, joined by the delimiter, to blocks; -1 out of memory. */
static int encode_block(struct intake *run, const struct csv_writer *w,
                        const char *const *text, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && sbuf_addch(&run->blocks, w->delim) < 0)
			return -1;
		if (csvw_encode(w, &run->blocks, text[i], strlen(text[i])) < 0)
			return -1;
	}
	return 0;
}

static void encode_masters(struct intake *run, const struct csv_writer *w)
{
	size_t i;

	run->cust_block = tool_realloc(NULL, (run->customers.n + 1) * sizeof *run->cust_block);
	run->prod_block = tool_realloc(NULL, (run->products.n + 1) * sizeof *run->prod_block);
	for (i = 0; i < run->customers.n; i++) {
		const struct customer *cu = &run->customers.v[i];
		const char *text[] = { cust_str(&run->customers, cu->name),
		                       cust_str(&run->customers, cu->region),
		                       cust_str(&run->customers, cu->city) };
		run->cust_block[i] = run->blocks.len;
		tool_must(encode_block(run, w, text, 3));
	}
	run->cust_block[run->customers.n] = run->blocks.len;
	for (i = 0; i < run->products.n; i++) {
		const struct product *pr = &run->products.v[i];
		const char *text[] = { run->products.text.buf + pr->name,
		                       run->products.text.buf + pr->unit };
		run->prod_block[i] = run->blocks.len;
		tool_must(encode_block(run, w, text, 2));
	}
	run->prod_block[run->products.n] = run->blocks.len;
}

/* ---- the order book (salesdesk(7)): the lines received and not shipped ---- */

static const char *const book_in_names[K_N] = {
	"order_no", "order_date", "customer_id", "sku", "qty", "line_no", "unit_price",
	"ship_date", "office", "state", "since", "why", "amount"
};
static const char *const book_names[] = {
	"order_no", "line_no", "order_date", "ship_date", "customer_id", "sku", "qty",
	"unit_price", "amount", "office", "state", "since", "why"
};

/* One line of --book-out: a checked line with its values as confirmed would have them
 * (defaults filled in), or, for ln NULL, a carried line's cells as the book had them. */
static void book_row(struct intake *run, const struct row *row, const struct line *ln,
                     const struct csv_record *rec, struct csv_field state,
                     struct csv_field since, struct csv_field why)
{
	struct csv_writer *w = &run->book_w;
	struct csv_field f;
	char b[48];

	if (!opt.book_out)
		return;
	tool_put_seq(&tool, w, &run->seq);
	if (ln) {
		csvw_field(w, ln->order_no.s, ln->order_no.n);
		csvw_field(w, ln->line_no.s, ln->line_no.n);
		csvw_plain(w, b, (size_t)fmt_date(b, ln->order_date));
		csvw_plain(w, b, (size_t)fmt_date(b, ln->ship_date));
		csvw_field(w, ln->cust_id.s, ln->cust_id.n);
		csvw_field(w, ln->sku.s, ln->sku.n);
		csvw_plain(w, b, (size_t)fmt_int(b, ln->qty));
		csvw_plain(w, b, (size_t)fmt_trim(b, ln->price, SCALE_PRICE, 2));
		csvw_plain(w, b, (size_t)fmt_fixed(b, ln->amount, SCALE_AMOUNT));
		f = ln->office;
	} else {
		static const int from[] = { I_ORDER, I_LINE, I_DATE, I_SHIP, I_CUST, I_SKU, I_QTY,
		                            I_PRICE };
		size_t k;
		for (k = 0; k < sizeof from / sizeof from[0]; k++)
			csvw_field(w, row->cell[from[k]].s, row->cell[from[k]].n);
		f = record_cell(rec, run->book_cols, K_AMOUNT);
		csvw_field(w, f.s, f.n);
		f = row->cell[I_OFFICE];
	}
	csvw_field(w, f.s, f.n);
	csvw_field(w, state.s, state.n);
	csvw_field(w, since.s, since.n);
	csvw_field(w, why.s, why.n);
	csvw_endrow(w);
}

static void open_book(struct intake *run, struct instream *bin)
{
	static const int need[] = { I_LINE, K_STATE, K_SINCE };
	struct sd_err err;
	size_t k;

	if (instream_open(bin, (char **)&opt.book, 1, 0, NULL, &err) < 0 ||
	    instream_columns(bin, book_in_names, run->book_cols, K_N, I_LINE, &err) < 0)
		diag_die(&err);
	for (k = 0; k < sizeof need / sizeof need[0]; k++)
		if (run->book_cols[need[k]] < 0)
			diag_fatal(EX_DATAERR, "%s:1: required column '%s' is missing",
			           diag_name(opt.book), book_in_names[need[k]]);
}

/* The previous book's open lines, checked again before the day's files (the oldest
 * first for the credit check): confirmed they go out like the day's lines; held,
 * cancelled or failing a check now they stay in the book with their first day.  Lines
 * cancelled before are copied.  Returns the lines confirmed or held. */
static uint64_t carry_book(struct intake *run, struct instream *bin, struct csv_writer *out,
                           const size_t *pass, size_t npass)
{
	struct csv_record rec;
	struct sd_err err;
	uint64_t n = 0;
	int st;

	while ((st = instream_next(bin, &rec, &err)) > 0) {
		struct csv_field state, since;
		struct row row;
		struct line ln;
		struct reason why;
		const char *bad;
		char code[64];

		if ((bad = instream_malformed(bin, &rec)))
			diag_fatal(EX_DATAERR, "%s:%ld: %s in the order book", bin->name, rec.line,
			           bad);
		row = take_row(&rec, run->book_cols);
		run->seq = bin->rows;
		state = record_cell(&rec, run->book_cols, K_STATE);
		since = record_cell(&rec, run->book_cols, K_SINCE);
		if (field_eq(state, "cancelled")) {
			struct csv_field why_f = record_cell(&rec, run->book_cols, K_WHY);
			/* copied by one run; every run knows the cancellation */
			if (tool_shard_mine(&tool, row.cell[I_CUST].s, row.cell[I_CUST].n))
				book_row(run, &row, NULL, &rec, state, since, why_f);
			if (cancels_add(&run->book_cancels, row.cell[I_ORDER], row.cell[I_LINE], why_f,
			                &run->key) < 0)
				diag_fatal(EX_OSERR, "out of memory");
			continue;
		}
		memset(&ln, 0, sizeof ln);
		ln.carried = 1;
		if (row.cell[I_ORDER].n)
			order_of(run, row.cell[I_ORDER], &ln.oidx);
		if (!row_checked(run, &row, ln.oidx))
			continue;
		why = check_row(run, &row, &ln, 0);
		if (!row_written(run, &row, ln.oidx, why.code ? NULL : ln.cu))
			continue;
		if (!why.code) {
			accept(run, &ln);
			emit_row(run, out, &ln, NULL, pass, npass);
			if (ln.held)
				book_row(run, &row, &ln, NULL, text_field("held"), since,
				         text_field("credit_hold"));
			n++;
		} else if (ln.cancelled) {
			book_row(run, &row, &ln, NULL, text_field("cancelled"), since, text_field(ln.cancelled));
		} else {
			book_row(run, &row, NULL, &rec, state, since,
			         text_field(reason_column(&why, code, sizeof code)));
		}
	}
	if (st < 0)
		diag_die(&err);
	return n;
}

/* --earlier DATE=FILE: the date is checked with the options, the file with the masters. */
static int earlier_option(struct tool *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	int32_t day;

	if (!eq) {
		diag_warn("--earlier: %s is not DATE=FILE", diag_qstr(arg));
		return -1;
	}
	if (parse_date(arg, (size_t)(eq - arg), &day) < 0) {
		diag_warn("--earlier: %s does not start with a date (DATE=FILE)", diag_qstr(arg));
		return -1;
	}
	opt.earlier = tool_grow(opt.earlier, opt.nearlier, &opt.earlier_cap, sizeof *opt.earlier);
	opt.earlier[opt.nearlier].day = day;
	opt.earlier[opt.nearlier++].path = eq + 1;
	tool_add_file(t, TOOL_IN, "--earlier", eq + 1);
	return 0;
}

static int own_option(struct tool *t, int opt_key, const char *arg)
{
	switch (opt_key) {
	case 'b': opt.balances = arg; tool_add_file(t, TOOL_IN, "-b", arg); break;
	case 'c': opt.customers = arg; tool_add_file(t, TOOL_IN, "-c", arg); break;
	case 'p': opt.products = arg; tool_add_file(t, TOOL_IN, "-p", arg); break;
	case OPT_SUMMARY: opt.summary = arg; tool_add_file(t, TOOL_OUT, "--summary", arg); break;
	case OPT_BOOK: opt.book = arg; tool_add_file(t, TOOL_IN, "--book", arg); break;
	case OPT_BOOK_OUT: opt.book_out = arg; tool_add_file(t, TOOL_OUT, "--book-out", arg); break;
	case OPT_CANCEL:
		tool_add_input(t, &opt.cancel, "--cancel", arg);
		break;
	case OPT_DATE:
		opt.date = tool_date(t, "--date", arg);
		fmt_date(opt.today, opt.date);
		break;
	case OPT_EARLIER: return earlier_option(t, arg);
	case OPT_LEAD: opt.lead_days = (int)tool_number(t, "--lead-days", arg, 0, 3650); break;
	case OPT_TOLERANCE:
		if (parse_pct(arg, strlen(arg), &opt.tolerance) != NUM_OK) {
			diag_warn("--price-tolerance: %s is not a percentage (e.g. 5 or 5%%)",
			          diag_qstr(arg));
			return -1;
		}
		break;
	default: return -1;
	}
	return 0;
}

/* The earlier days' files are read like master files: a bad value stops the run, as the
 * archive is the desk's own output. */
static void load_earlier(struct intake *run, const struct master_io *io)
{
	struct sd_err err;
	size_t i;

	earlier_init(&run->earlier);
	for (i = 0; i < opt.nearlier; i++)
		if (earlier_load(&run->earlier, opt.earlier[i].path, opt.earlier[i].day, io, &err) < 0)
			diag_die(&err);
}

static void load_masters(struct intake *run)
{
	/* -d and -E are the input stream's: a master file is detected on its own (salesdesk(7)) */
	struct master_io io = { 0, NULL, diag_warn_err };
	struct sd_err err;

	if (customers_load(&run->customers, opt.customers, &io, &err) < 0 ||
	    products_load(&run->products, opt.products, &io, &err) < 0)
		diag_die(&err);
	if (opt.balances) {
		if (balances_load(&run->balances, opt.balances, &io, &err) < 0)
			diag_die(&err);
		run->have_balances = 1;
	}
	run->confirmed_total = tool_alloc(run->customers.n + 1, sizeof *run->confirmed_total);
	load_earlier(run, &io);
	if (cancels_load(&run->cancels, opt.cancel.v, opt.cancel.n, &io, &err) < 0)
		diag_die(&err);
}

int main(int argc, char *argv[])
{
	struct intake fresh = { .book_w = { .fd = -1 }, .blocks = SBUF_INIT, .key = SBUF_INIT,
	                        .last_order = -1 };
	struct intake *run = &fresh;
	struct instream in, bin;
	struct csv_writer out, summary = { .fd = -1 };
	struct rejects rj;
	struct csv_writer *outs[4] = { &out, &rj.w, &summary, &run->book_w };
	struct csv_record rec;
	struct sd_err err;
	size_t *pass, npass;
	uint64_t confirmed = 0, held = 0, carried = 0, seq_base = 0;
	int first, st, rc;

	/* every run from the defaults: the fuzz harness calls main many times */
	opt = opt_defaults;
	tool = tool_defaults;
	first = tool_parse(&tool, argc, argv, own_option);
	if (!opt.customers || !opt.products) {
		diag_warn("%s is required", !opt.customers ? "-c customers.csv" : "-p products.csv");
		tool_usage(&tool, EX_USAGE);
	}
	if (opt.book_out && !opt.today[0]) {
		diag_warn("--book-out needs --date (the day the lines are in the book since)");
		tool_usage(&tool, EX_USAGE);
	}
	/* open everything first: inputs, masters, outputs; then stream */
	if (instream_open(&in, argv + first, (size_t)(argc - first), tool.delim, tool.encoding,
	                  &err) < 0 ||
	    instream_columns(&in, in_names, run->cols, I_N, I_LINE, &err) < 0)
		diag_die(&err);
	run->no_line_column = run->cols[I_LINE] < 0;
	cancels_init(&run->cancels);         /* empty without --cancel: cancel_reason finds none */
	cancels_init(&run->book_cancels);
	load_masters(run);
	if (opt.book)
		open_book(run, &bin);
	pass = tool_passthrough(&in, out_names, N_OUT, &npass);
	tool_open_output(&out, tool.output, tool.delim);
	encode_masters(run, &out);
	if (rejects_open(&rj, tool.rejects, &in, tool.delim) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(tool.rejects),
		           strerror(errno));
	if (opt.summary)
		tool_open_output(&summary, opt.summary, tool.delim);
	if (opt.book_out) {
		tool_open_output(&run->book_w, opt.book_out, tool.delim);
		tool_put_seq(&tool, &run->book_w, NULL);
		stream_write_header(&run->book_w, book_names, sizeof book_names / sizeof book_names[0],
		                    NULL, NULL, 0);
	}
	strmap_init(&run->orders);
	run->last_order = -1;
	strmap_init(&run->line_keys);
	strmap_init(&run->groups);
	strmap_init(&run->group_orders);

	tool_put_seq(&tool, &out, NULL);
	stream_write_header(&out, out_names, N_OUT, &in, pass, npass);
	if (opt.book) {
		carried = carry_book(run, &bin, &out, pass, npass);
		seq_base = bin.rows;
		instream_close(&bin);
	}
	while ((st = instream_next(&in, &rec, &err)) > 0) {
		struct line ln = { .carried = 0, .cancelled = NULL, .cancelled_before = 0 };
		struct row row;
		struct reason why;
		const char *bad;
		uint32_t rowno;

		row = take_row(&rec, run->cols);
		rj.seq = run->seq = seq_base + in.rows;
		if ((bad = instream_malformed(&in, &rec))) {
			count_row(run, &row, &ln.oidx);
			if (!row_checked(run, &row, ln.oidx) || !row_written(run, &row, ln.oidx, NULL))
				continue;
			why = reason_of(bad, NULL);
			reject_row(&tool, &rj, in.paths[in.cur], &rec, &why);
			if (opt.summary)
				sum_reject(run, &row, 1);
			continue;
		}
		rowno = count_row(run, &row, &ln.oidx);
		if (!row_checked(run, &row, ln.oidx))
			continue;
		why = check_row(run, &row, &ln, rowno);
		if (!row_written(run, &row, ln.oidx, why.code ? NULL : ln.cu))
			continue;
		if (why.code) {
			reject_row(&tool, &rj, in.paths[in.cur], &rec, &why);
			/* ln.cancelled is set only for the reason cancelled */
			if (ln.cancelled && !ln.cancelled_before)
				book_row(run, &row, &ln, NULL, text_field("cancelled"), text_field(opt.today),
				         text_field(ln.cancelled));
			if (opt.summary)
				sum_reject(run, &row, 0);
		} else {
			accept(run, &ln);
			held += ln.held;
			confirmed += !ln.held;
			emit_row(run, &out, &ln, &rec, pass, npass);
			if (ln.held)
				book_row(run, &row, &ln, NULL, text_field("held"), text_field(opt.today),
				         text_field("credit_hold"));
			if (opt.summary)
				sum_line(run, &ln);
		}
		if ((in.rows & 1023) == 0 && tool_output_gone(outs, 4))
			break;
	}
	if (st < 0)
		diag_die(&err);
	if (opt.summary && !tool_output_gone(outs, 4))
		write_summary(run, &summary);
	if (tool.verbose)
		diag_warn("%llu rows read: %llu confirmed, %llu on credit hold, %llu rejected",
		          (unsigned long long)in.rows, (unsigned long long)confirmed,
		          (unsigned long long)held, (unsigned long long)rj.count);
	if (tool.verbose && opt.book)
		diag_warn("%llu lines of the order book confirmed or held again",
		          (unsigned long long)carried);
	rc = tool.strict && rj.count ? EX_DATAERR : 0;
	rc = tool_finish(rc, outs, 4);
	instream_close(&in);
	customers_free(&run->customers);
	products_free(&run->products);
	if (run->have_balances)
		balances_free(&run->balances);
	earlier_free(&run->earlier);
	cancels_free(&run->cancels);
	cancels_free(&run->book_cancels);
	sd_free(opt.cancel.v);
	sd_free(opt.earlier);
	strmap_free(&run->orders);
	strmap_free(&run->line_keys);
	strmap_free(&run->groups);
	strmap_free(&run->group_orders);
	sbuf_release(&run->key);
	sd_free(run->order_v);
	sd_free(run->group_v);
	sd_free(pass);
	sd_free(run->cust_block);
	sd_free(run->prod_block);
	sbuf_release(&run->blocks);
	sd_free(run->confirmed_total);
	return rc;
}

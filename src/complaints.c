/* complaints — 客户投诉跟踪: the complaint log (投诉登记) checked row by row against the
 * customers, the category table and the archive's orders and shipments; each complaint
 * linked to its order lines, shipment and carrier; its response, resolution and
 * call-back due dates counted in working days (the calendar's 国庆 and 调休 included);
 * what is overdue, by how many working days, and the escalation level; and five
 * reports: log, open, callbacks, stats and claims (complaints(1)).
 *
 * The log report streams; the others need every complaint, so the rows are kept as
 * compact records (text in one arena) and sorted at the end.  "Today" is --as-of:
 * the filter reads no clock, so the same input gives the same output on any day. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "master.h"
#include "num.h"
#include "strmap.h"
#include "tool.h"

enum { REP_LOG, REP_OPEN, REP_CALLBACKS, REP_STATS, REP_CLAIMS };
static const char *const report_names[] = { "log", "open", "callbacks", "stats", "claims" };
enum { MAX_LEVELS = 8 };

static struct {
	const char *customers, *categories, *calendar;
	struct tool_files orders, loads;
	int32_t as_of;
	int have_as_of;
	int report;
	int escalate[MAX_LEVELS];
	int nescalate;
} opt = { .escalate = { 2, 5 }, .nescalate = 2 };

enum { OPT_ASOF = 300, OPT_CALENDAR, OPT_CATEGORIES, OPT_ESCALATE, OPT_LOADS, OPT_ORDERS,
       OPT_REPORT };
static const struct tool_opt own_opts[] = {
	{ "as-of", OPT_ASOF, 1, "DATE", "the day the log is looked at (required)" },
	{ "calendar", OPT_CALENDAR, 1, "FILE", "holidays and 调休 working days (default: Mon-Fri)" },
	{ "categories", OPT_CATEGORIES, 1, "FILE", "category table (required)" },
	{ "customers", 'c', 1, "FILE", "customer file (required)" },
	{ "escalate", OPT_ESCALATE, 1, "LIST", "escalation levels after N working days overdue (default 2,5)" },
	{ "loads", OPT_LOADS, 1, "FILE", "a loads file of the archive (repeatable)" },
	{ "orders", OPT_ORDERS, 1, "FILE", "a plan or order file of the archive (repeatable)" },
	{ "report", OPT_REPORT, 1, "NAME", "log (default), open, callbacks, stats or claims" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_LOADS, OPT_ORDERS, 0 };

static struct tool tool = {
	.name = "complaints",
	.synopsis = "-c customers.csv --categories FILE --as-of DATE [--calendar FILE]\n"
	            "       [--orders FILE]... [--loads FILE]...\n"
	            "       [--report log|open|callbacks|stats|claims] [--escalate 2,5]\n"
	            "       [--rejects FILE] [-o FILE] [-d C] [-E NAME] [-q] [-v] [--strict]\n"
	            "       [--excel] [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = COMMON_FILTER,
};

/* The complaint log's columns; the first five are required. */
enum { I_NO, I_RECEIVED, I_CUST, I_CATEGORY, I_STATUS, I_CHANNEL, I_ORDER, I_SHIPMENT,
       I_DESCRIPTION, I_DEPT, I_RESOLVED, I_RESOLUTION, I_CALLBACK, I_SATISFACTION,
       I_REMARK, I_N };
static const char *const in_names[I_N] = {
	"complaint_no", "received_at", "customer_id", "category", "status", "channel",
	"order_no", "shipment_id", "description", "department", "resolved_date", "resolution",
	"callback_date", "satisfaction", "remark"
};
static int cols[I_N];

/* The log report's own columns (then the rest of the input's, as read). */
static const char *const log_names[] = {
	"complaint_no", "received_date", "customer_id", "customer_name", "office", "category",
	"department", "status", "order_no", "order_lines", "shipment_id", "carrier",
	"response_due", "resolve_due", "callback_due", "overdue_stage", "days_overdue",
	"escalation"
};
enum { N_LOG = sizeof log_names / sizeof log_names[0] };

/* Statuses in the order a complaint goes through them (complaints(1)). */
enum { ST_RECEIVED, ST_IN_PROGRESS, ST_RESOLVED, ST_CLOSED };
static const struct {
	const char *zh, *en;
} statuses[] = {
	{ "受理", "received" }, { "处理中", "in_progress" }, { "已解决", "resolved" },
	{ "已关闭", "closed" },
};
static const struct {
	const char *zh, *en;
} satisfactions[] = {
	{ "满意", "satisfied" }, { "基本满意", "fair" }, { "不满意", "dissatisfied" },
};

enum { STAGE_NONE, STAGE_RESPONSE, STAGE_RESOLUTION, STAGE_CALLBACK };
static const char *const stage_names[] = { "", "response", "resolution", "callback" };

/* ---- the archive: orders and shipments the complaints may name ---- */

struct order {
	size_t cust;            /* offset into text: the order's customer_id */
	uint32_t lines;
	long ship;              /* its shipment (index into shp), -1 none */
	int several;            /* on more than one shipment: no carrier to link */
};
struct shipment {
	size_t carrier;         /* offset into text */
	int32_t date;           /* -1 unknown */
	int64_t freight;        /* cents: the loads file's, else the sum of planned_freight */
	int loaded;             /* freight from the loads file */
	int planned;            /* named by a plan line: its customers and orders are known */
};

static struct customers customers;
static struct categories categories;
static struct workcal cal;
static struct strmap orders_idx, ship_idx;
static struct strmap links;     /* 'C' shipment 0x1f customer, 'O' shipment 0x1f order */
static struct order *ord;
static size_t ord_cap;
static struct shipment *shp;
static size_t shp_cap;
static uint32_t *cust_lines;    /* order lines per customer (the stats report's base) */
static struct strmap carrier_loads;     /* carrier -> shipments (the stats base) */
static uint64_t all_lines;
static struct sbuf text = SBUF_INIT;
static struct sbuf key = SBUF_INIT;

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

static void link_key(char kind, struct csv_field a, struct csv_field b)
{
	sbuf_reset(&key);
	tool_must(sbuf_addch(&key, kind));
	tool_must(sbuf_add(&key, a.s, a.n));
	tool_must(sbuf_addch(&key, 0x1f));
	tool_must(sbuf_add(&key, b.s, b.n));
}

static int linked(char kind, struct csv_field a, struct csv_field b)
{
	link_key(kind, a, b);
	return strmap_find(&links, key.buf, key.len) >= 0;
}

static void add_link(char kind, struct csv_field a, struct csv_field b)
{
	int added;

	link_key(kind, a, b);
	(void)tool_must(strmap_add(&links, key.buf, key.len, 0, &added));
}

/* The shipment's index, its record created on first sight. */
static long shipment_of(struct csv_field id)
{
	int added;
	long i = tool_must(strmap_add(&ship_idx, id.s, id.n, 0, &added));

	if (added) {
		shp = tool_grow(shp, (size_t)i, &shp_cap, sizeof *shp);
		memset(&shp[i], 0, sizeof shp[i]);
		shp[i].date = -1;
	}
	return i;
}

/* An archive file is a reference file: a bad row in it is fatal (salesdesk(7), master
 * files), for a complaint checked against a half-read archive would be rejected
 * wrongly. */
static _Noreturn void archive_bad(const struct instream *in, const struct csv_record *rec,
                                  const char *what)
{
	diag_fatal(EX_DATAERR, "%s:%ld: %s", in->name, rec->line, what);
}

/* A cell of an archive file that is not what its column holds. */
static _Noreturn void archive_bad_cell(const struct instream *in, const struct csv_record *rec,
                                       const char *col, struct csv_field f, const char *what)
{
	diag_fatal(EX_DATAERR, "%s:%ld: column '%s': %s %s", in->name, rec->line, col,
	           diag_quote(f.s, f.n), what);
}

enum { O_ORDER, O_CUST, O_SHIPMENT, O_CARRIER, O_SHIPDATE, O_FREIGHT, O_N };
static const char *const order_names[O_N] = {
	"order_no", "customer_id", "shipment_id", "carrier", "ship_date", "planned_freight"
};

/* One order line of the archive: its order, and its shipment's customers and orders. */
static void take_order_line(const struct instream *in, const struct csv_record *rec,
                            const int *cv)
{
	struct csv_field no = record_cell(rec, cv, O_ORDER), cu = record_cell(rec, cv, O_CUST);
	struct csv_field sh = record_cell(rec, cv, O_SHIPMENT), f;
	const struct customer *c;
	struct order *o;
	int added;
	long i;

	if (!no.n || !cu.n)
		archive_bad(in, rec, !no.n ? "column 'order_no' is empty"
		                           : "column 'customer_id' is empty");
	i = tool_must(strmap_add(&orders_idx, no.s, no.n, 0, &added));
	if (added) {
		ord = tool_grow(ord, (size_t)i, &ord_cap, sizeof *ord);
		ord[i] = (struct order){ add_text(cu.s, cu.n), 0, -1, 0 };
	} else if (!field_eq(cu, str(ord[i].cust))) {
		diag_fatal(EX_DATAERR, "%s:%ld: order_no %s is of customer %s here and of %s "
		           "on an earlier line", in->name, rec->line, diag_quote(no.s, no.n),
		           diag_quote(cu.s, cu.n), diag_qstr(str(ord[i].cust)));
	}
	o = &ord[i];
	o->lines++;
	all_lines++;
	if ((c = customer_find(&customers, cu.s, cu.n)))
		cust_lines[c - customers.v]++;
	if (!sh.n)
		return;
	{
		long si = shipment_of(sh);
		struct shipment *s = &shp[si];
		int64_t v;

		if (o->ship < 0)
			o->ship = si;
		else if (o->ship != si)
			o->several = 1;
		s->planned = 1;
		f = record_cell(rec, cv, O_CARRIER);
		if (f.n && !s->carrier)
			s->carrier = add_text(f.s, f.n);
		f = record_cell(rec, cv, O_SHIPDATE);
		if (f.n && s->date < 0 && parse_date(f.s, f.n, &s->date) < 0)
			archive_bad_cell(in, rec, "ship_date", f, "is not a date");
		f = record_cell(rec, cv, O_FREIGHT);
		if (f.n && !s->loaded) {
			if (parse_money(f.s, f.n, SCALE_AMOUNT, &v) != NUM_OK ||
			    add_ok(s->freight, v, &s->freight))
				archive_bad_cell(in, rec, "planned_freight", f, "is not an amount");
		}
		add_link('C', sh, cu);
		add_link('O', sh, no);
	}
}

enum { L_SHIPMENT, L_CARRIER, L_FREIGHT, L_SHIPDATE, L_N };
static const char *const load_names[L_N] = { "shipment_id", "carrier", "freight", "ship_date" };

static void take_load(const struct instream *in, const struct csv_record *rec, const int *cv)
{
	struct csv_field sh = record_cell(rec, cv, L_SHIPMENT), f;
	struct shipment *s;
	int added;
	long i;

	if (!sh.n)
		archive_bad(in, rec, "column 'shipment_id' is empty");
	i = shipment_of(sh);    /* may move shp: index after the call */
	s = &shp[i];
	/* Two days' runs can both number a load SH20261104-0001 (dispatch-plan(1) numbers
	 * within a ship date per run): the later file's row is the one kept. */
	s->loaded = 1;
	f = record_cell(rec, cv, L_CARRIER);
	if (!f.n)
		archive_bad(in, rec, "column 'carrier' is empty");
	s->carrier = add_text(f.s, f.n);
	i = tool_must(strmap_add(&carrier_loads, f.s, f.n, 0, &added));
	carrier_loads.e[i].val++;
	f = record_cell(rec, cv, L_FREIGHT);
	if (parse_money(f.s, f.n, SCALE_AMOUNT, &s->freight) != NUM_OK)
		archive_bad_cell(in, rec, "freight", f, "is not an amount");
	f = record_cell(rec, cv, L_SHIPDATE);
	if (f.n && parse_date(f.s, f.n, &s->date) < 0)
		archive_bad_cell(in, rec, "ship_date", f, "is not a date");
}

/* Reads the archive files of one kind, each row through take; the log's -d and -E are
 * not theirs (a reference file is detected on its own, salesdesk(7)). */
enum { ARCHIVE_COLS = 8 };
static void read_archive(char **paths, size_t n, const char *const *names, size_t ncol,
                         size_t required,
                         void (*take)(const struct instream *, const struct csv_record *,
                                      const int *))
{
	struct instream in;
	struct csv_record rec;
	struct sd_err err;
	int cv[ARCHIVE_COLS], st;

	if (!n)
		return;
	if (instream_open(&in, paths, n, 0, NULL, &err) < 0 ||
	    instream_columns(&in, names, cv, ncol, required, &err) < 0)
		diag_die(&err);
	while ((st = instream_next(&in, &rec, &err)) > 0) {
		if (rec.bad_encoding)
			archive_bad(&in, &rec, "bytes that are not valid in the input encoding");
		if (instream_malformed(&in, &rec))
			diag_fatal(EX_DATAERR, "%s:%ld: %zu fields where the header has %zu", in.name,
			           rec.line, rec.nf, in.file[in.cur].nf);
		take(&in, &rec, cv);
	}
	if (st < 0)
		diag_die(&err);
	instream_close(&in);
}
_Static_assert((int)O_N <= (int)ARCHIVE_COLS && (int)L_N <= (int)ARCHIVE_COLS,
               "read_archive's column array");

/* ---- one complaint: the rules ---- */

/* Why a row is rejected (complaints(1), Rules): its name in the rejects, and for the
 * diagnostic the column at fault and what is wrong with it (col -1: the name says all). */
enum cause {
	R_OK, R_MISSING_NO, R_MISSING_RECEIVED, R_MISSING_CUST, R_MISSING_CATEGORY,
	R_MISSING_STATUS, R_BAD_RECEIVED, R_BAD_RESOLVED, R_BAD_CALLBACK, R_LATE_RECEIVED,
	R_LATE_RESOLVED, R_LATE_CALLBACK, R_CUSTOMER, R_CATEGORY, R_STATUS, R_SATISFACTION,
	R_ORDER, R_FOREIGN_ORDER, R_SHIPMENT, R_FOREIGN_SHIPMENT, R_NOT_OF_ORDER,
	R_RESOLVED_EARLY, R_CALLBACK_EARLY, R_NO_RESOLVED, R_STATUS_MISMATCH, R_NO_CALLBACK,
	R_DUPLICATE, R_N
};
/* Each cause as a reason (struct reason): its code and qualifier, and the column whose
 * value the detail names (-1: none) with what is wrong with it. */
static const struct {
	const char *code, *qual;
	int col;
	const char *what;
} reasons[R_N] = {
	[R_MISSING_NO] = { "missing", "complaint_no", -1, NULL },
	[R_MISSING_RECEIVED] = { "missing", "received_at", -1, NULL },
	[R_MISSING_CUST] = { "missing", "customer_id", -1, NULL },
	[R_MISSING_CATEGORY] = { "missing", "category", -1, NULL },
	[R_MISSING_STATUS] = { "missing", "status", -1, NULL },
	[R_BAD_RECEIVED] = { "bad_date", "received_at", I_RECEIVED, "is not a date (and time HH:MM)" },
	[R_BAD_RESOLVED] = { "bad_date", "resolved_date", I_RESOLVED, "is not a date" },
	[R_BAD_CALLBACK] = { "bad_date", "callback_date", I_CALLBACK, "is not a date" },
	[R_LATE_RECEIVED] = { "after_as_of", "received_at", I_RECEIVED, "is after --as-of" },
	[R_LATE_RESOLVED] = { "after_as_of", "resolved_date", I_RESOLVED, "is after --as-of" },
	[R_LATE_CALLBACK] = { "after_as_of", "callback_date", I_CALLBACK, "is after --as-of" },
	[R_CUSTOMER] = { "unknown_customer", NULL, I_CUST, "is not in the customer file" },
	[R_CATEGORY] = { "unknown_category", NULL, I_CATEGORY, "is not in the category table" },
	[R_STATUS] = { "unknown_status", NULL, I_STATUS,
	               "is not a status (allowed 受理, 处理中, 已解决, 已关闭)" },
	[R_SATISFACTION] = { "unknown_satisfaction", NULL, I_SATISFACTION,
	                     "is not a satisfaction (allowed 满意, 基本满意, 不满意)" },
	[R_ORDER] = { "unknown_order", NULL, I_ORDER, "is not in the --orders files" },
	[R_FOREIGN_ORDER] = { "foreign_order", NULL, I_ORDER, "is another customer's order" },
	[R_SHIPMENT] = { "unknown_shipment", NULL, I_SHIPMENT, "is not in the --orders or --loads files" },
	[R_FOREIGN_SHIPMENT] = { "foreign_shipment", NULL, I_SHIPMENT,
	                         "carries nothing for this customer" },
	[R_NOT_OF_ORDER] = { "shipment_not_of_order", NULL, I_SHIPMENT, "does not carry the order" },
	[R_RESOLVED_EARLY] = { "dates_out_of_order", "resolved_date", I_RESOLVED,
	                       "is before received_at" },
	[R_CALLBACK_EARLY] = { "dates_out_of_order", "callback_date", I_CALLBACK,
	                       "is before resolved_date (or received_at)" },
	[R_NO_RESOLVED] = { "missing", "resolved_date", -1, NULL },
	[R_STATUS_MISMATCH] = { "status_mismatch", NULL, I_STATUS,
	                        "is not resolved, but resolved_date is filled" },
	[R_NO_CALLBACK] = { "missing", "callback_date", -1, NULL },
	[R_DUPLICATE] = { "duplicate_complaint", NULL, I_NO, "is taken by an earlier row" },
};
/* check_fields turns a blank required column k into R_MISSING_NO + k */
_Static_assert((int)R_MISSING_STATUS - (int)R_MISSING_NO == (int)I_STATUS - (int)I_NO &&
               (int)I_NO == 0, "the missing:<column> reasons follow the log's columns");

struct complaint {
	size_t no, dept, resolution;    /* offsets into text; dept -1: the category's */
	const struct customer *cu;
	const struct category *cat;
	int status;
	int32_t received, resolved, callback;   /* -1: blank */
	int received_min;       /* minutes after midnight, for "oldest first" */
	int32_t response_due, resolve_due, callback_due;        /* callback_due -1: none */
	uint32_t order_lines;
	long ship;              /* index into shp, -1 none */
	int stage;
	int32_t overdue;        /* working days */
	int level;
};

static struct complaint *comp;
static size_t ncomp, comp_cap;
static struct strmap seen_no;   /* complaint numbers taken */

/* "2026-09-28", "2026-09-28 14:30" or "2026/9/28 9:05:10": the date, and the minutes. */
static int parse_received(struct csv_field f, int32_t *d, int *min)
{
	const char *sp = memchr(f.s, ' ', f.n);
	size_t dn = sp ? (size_t)(sp - f.s) : f.n, i;
	int h = 0, m = 0, k = 0, part[3] = { 0, 0, 0 }, nd = 0;

	*min = 0;
	if (parse_date(f.s, dn, d) < 0)
		return -1;
	if (!sp)
		return 0;
	for (i = dn + 1; i < f.n; i++) {
		char c = f.s[i];
		if (c >= '0' && c <= '9' && nd < 2) {
			part[k] = part[k] * 10 + (c - '0');
			nd++;
		} else if (c == ':' && nd > 0 && k < 2) {
			k++;
			nd = 0;
		} else {
			return -1;
		}
	}
	h = part[0];
	m = part[1];
	if (k < 1 || nd == 0 || h > 23 || m > 59 || part[2] > 59)
		return -1;
	*min = h * 60 + m;
	return 0;
}

/* A date column, blank -1: R_OK, or bad when it is not a date. */
static enum cause date_cell(const struct csv_record *rec, int k, int32_t *d, enum cause bad)
{
	struct csv_field f = record_cell(rec, cols, k);

	*d = -1;
	return f.n && parse_date(f.s, f.n, d) < 0 ? bad : R_OK;
}

static int word_index(struct csv_field f, const void *table, size_t n)
{
	const struct { const char *zh, *en; } *t = table;
	size_t i;

	for (i = 0; i < n; i++)
		if (field_eq(f, t[i].zh) || field_eq(f, t[i].en))
			return (int)i;
	return -1;
}

static enum cause check_fields(const struct csv_record *rec, struct complaint *c)
{
	struct csv_field f;
	enum cause why;
	int k;

	for (k = I_NO; k <= I_STATUS; k++)      /* the required columns, in reason order */
		if (!record_cell(rec, cols, k).n)
			return (enum cause)(R_MISSING_NO + k);
	if (parse_received(record_cell(rec, cols, I_RECEIVED), &c->received, &c->received_min) < 0)
		return R_BAD_RECEIVED;
	if ((why = date_cell(rec, I_RESOLVED, &c->resolved, R_BAD_RESOLVED)) ||
	    (why = date_cell(rec, I_CALLBACK, &c->callback, R_BAD_CALLBACK)))
		return why;
	if (c->received > opt.as_of)
		return R_LATE_RECEIVED;
	if (c->resolved > opt.as_of)
		return R_LATE_RESOLVED;
	if (c->callback > opt.as_of)
		return R_LATE_CALLBACK;
	f = record_cell(rec, cols, I_CUST);
	if (!(c->cu = customer_find(&customers, f.s, f.n)))
		return R_CUSTOMER;
	f = record_cell(rec, cols, I_CATEGORY);
	if (!(c->cat = category_find(&categories, f.s, f.n)))
		return R_CATEGORY;
	if ((c->status = word_index(record_cell(rec, cols, I_STATUS), statuses,
	                            sizeof statuses / sizeof statuses[0])) < 0)
		return R_STATUS;
	f = record_cell(rec, cols, I_SATISFACTION);
	if (f.n && word_index(f, satisfactions, sizeof satisfactions / sizeof satisfactions[0]) < 0)
		return R_SATISFACTION;
	return R_OK;
}

/* The order and the shipment named, which the archive must know as the customer's. */
static enum cause check_links(const struct csv_record *rec, struct complaint *c)
{
	struct csv_field no = record_cell(rec, cols, I_ORDER);
	struct csv_field sh = record_cell(rec, cols, I_SHIPMENT);
	struct csv_field cu = record_cell(rec, cols, I_CUST);
	const struct order *o = NULL;
	long i;

	c->ship = -1;
	c->order_lines = 0;
	if (no.n) {
		if ((i = strmap_find(&orders_idx, no.s, no.n)) < 0)
			return R_ORDER;
		o = &ord[i];
		if (!field_eq(cu, str(o->cust)))
			return R_FOREIGN_ORDER;
		c->order_lines = o->lines;
	}
	if (sh.n) {
		if ((c->ship = strmap_find(&ship_idx, sh.s, sh.n)) < 0)
			return R_SHIPMENT;
		if (shp[c->ship].planned && !linked('C', sh, cu))
			return R_FOREIGN_SHIPMENT;
		if (o && shp[c->ship].planned && !linked('O', sh, no))
			return R_NOT_OF_ORDER;
	} else if (o && !o->several) {
		c->ship = o->ship;      /* the order's one shipment, and so its carrier */
	}
	return R_OK;
}

/* Dates in the order a complaint lives them, and a status that agrees with them. */
static enum cause check_dates(struct complaint *c)
{
	if (c->resolved >= 0 && c->resolved < c->received)
		return R_RESOLVED_EARLY;
	if (c->callback >= 0 && c->callback < (c->resolved >= 0 ? c->resolved : c->received))
		return R_CALLBACK_EARLY;
	if (c->status >= ST_RESOLVED && c->resolved < 0)
		return R_NO_RESOLVED;
	if (c->status < ST_RESOLVED && c->resolved >= 0)
		return R_STATUS_MISMATCH;
	if (c->callback >= 0 && c->resolved < 0)
		return R_NO_RESOLVED;
	if (c->status == ST_CLOSED && c->callback < 0)
		return R_NO_CALLBACK;
	return R_OK;
}

static int level_of(int32_t days)
{
	int k = 0;

	while (k < opt.nescalate && days > opt.escalate[k])
		k++;
	return k;
}

/* The due dates, and what is overdue on --as-of (complaints(1), Due dates). */
static void schedule(struct complaint *c)
{
	int32_t due = -1, late;

	c->response_due = workday_add(&cal, c->received, c->cat->response_days);
	c->resolve_due = workday_add(&cal, c->received, c->cat->resolve_days);
	c->callback_due = c->resolved >= 0 ?
	                  workday_add(&cal, c->resolved, c->cat->callback_days) : -1;
	c->stage = STAGE_NONE;
	/* one stage at a time: a 受理 complaint past its resolution due date too is late
	 * at the resolution, the later and bigger debt */
	if (c->status == ST_RECEIVED && workdays_between(&cal, c->resolve_due, opt.as_of) == 0) {
		c->stage = STAGE_RESPONSE;
		due = c->response_due;
	} else if (c->status <= ST_IN_PROGRESS) {
		c->stage = STAGE_RESOLUTION;
		due = c->resolve_due;
	} else if (c->status == ST_RESOLVED && c->callback < 0) {
		c->stage = STAGE_CALLBACK;
		due = c->callback_due;
	}
	late = due >= 0 ? workdays_between(&cal, due, opt.as_of) : 0;
	if (!late)
		c->stage = STAGE_NONE;
	c->overdue = late;
	c->level = level_of(late);
}

static enum cause check_row(const struct csv_record *rec, struct complaint *c)
{
	enum cause why;
	struct csv_field f;

	if ((why = check_fields(rec, c)) || (why = check_links(rec, c)) ||
	    (why = check_dates(c)))
		return why;
	f = record_cell(rec, cols, I_NO);
	if (strmap_find(&seen_no, f.s, f.n) >= 0)
		return R_DUPLICATE;
	schedule(c);
	return R_OK;
}

/* An accepted complaint: its number taken, and kept for the reports. */
static void keep(const struct csv_record *rec, struct complaint *c)
{
	struct csv_field f = record_cell(rec, cols, I_NO);
	int added;

	(void)tool_must(strmap_add(&seen_no, f.s, f.n, 0, &added));
	if (opt.report == REP_LOG)
		return;         /* written as read: nothing to keep */
	c->no = add_text(f.s, f.n);
	f = record_cell(rec, cols, I_DEPT);
	c->dept = f.n ? add_text(f.s, f.n) : (size_t)-1;
	f = record_cell(rec, cols, I_RESOLUTION);
	c->resolution = add_text(f.s, f.n);
	comp = tool_grow(comp, ncomp, &comp_cap, sizeof *comp);
	comp[ncomp++] = *c;
}

/* ---- output ---- */

static void put_date(struct csv_writer *w, int32_t d)
{
	char b[16];

	if (d < 0) {
		csvw_plain(w, "", 0);
		return;
	}
	csvw_plain(w, b, (size_t)fmt_date(b, d));
}

static void put_int(struct csv_writer *w, int64_t v)
{
	char b[32];

	csvw_plain(w, b, (size_t)fmt_int(b, v));
}

static void put_money(struct csv_writer *w, int64_t v)
{
	char b[48];

	csvw_plain(w, b, (size_t)fmt_fixed(b, v, SCALE_AMOUNT));
}

/* The department that must act: the one the desk passed it to, else the category's. */
static const char *dept_of(const struct complaint *c)
{
	return c->dept != (size_t)-1 ? str(c->dept) : cat_str(&categories, c->cat->department);
}

static void write_log_row(struct csv_writer *w, const struct csv_record *rec,
                          const struct complaint *c, const size_t *pass, size_t npass)
{
	struct csv_field f;
	size_t i;

	f = record_cell(rec, cols, I_NO);
	csvw_field(w, f.s, f.n);
	put_date(w, c->received);
	csvw_str(w, cust_str(&customers, c->cu->id));
	csvw_str(w, cust_str(&customers, c->cu->name));
	csvw_str(w, cust_str(&customers, c->cu->office));
	csvw_str(w, cat_str(&categories, c->cat->name));
	f = record_cell(rec, cols, I_DEPT);
	if (f.n)
		csvw_field(w, f.s, f.n);
	else
		csvw_str(w, cat_str(&categories, c->cat->department));
	f = record_cell(rec, cols, I_STATUS);
	csvw_field(w, f.s, f.n);
	f = record_cell(rec, cols, I_ORDER);
	csvw_field(w, f.s, f.n);
	if (c->order_lines)
		put_int(w, c->order_lines);
	else
		csvw_plain(w, "", 0);
	csvw_str(w, c->ship >= 0 ? strmap_key(&ship_idx, (size_t)c->ship) : "");
	csvw_str(w, c->ship >= 0 ? str(shp[c->ship].carrier) : "");
	put_date(w, c->response_due);
	put_date(w, c->resolve_due);
	put_date(w, c->callback_due);
	csvw_str(w, stage_names[c->stage]);
	put_int(w, c->overdue);
	put_int(w, c->level);
	for (i = 0; i < npass; i++)
		csvw_field(w, rec->f[pass[i]].s, rec->f[pass[i]].n);
	csvw_endrow(w);
}

static void put_head(struct csv_writer *w, const char *const *names, size_t n)
{
	stream_write_header(w, names, n, NULL, NULL, 0);
}

/* 督促: the open complaints by department, oldest first. */
static int cmp_open(const void *a, const void *b)
{
	const struct complaint *x = &comp[*(const size_t *)a], *y = &comp[*(const size_t *)b];
	int r = strcmp(dept_of(x), dept_of(y));

	if (r)
		return r;
	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	if (x->received_min != y->received_min)
		return x->received_min < y->received_min ? -1 : 1;
	return strcmp(str(x->no), str(y->no));
}

static size_t *select_rows(int (*want)(const struct complaint *), size_t *n,
                           int (*cmp)(const void *, const void *))
{
	size_t *ix = tool_alloc(ncomp, sizeof *ix), i;

	*n = 0;
	for (i = 0; i < ncomp; i++)
		if (want(&comp[i]))
			ix[(*n)++] = i;
	qsort(ix, *n, sizeof *ix, cmp);
	return ix;
}

static int is_open(const struct complaint *c)
{
	return c->status <= ST_IN_PROGRESS;
}

static void report_open(struct csv_writer *w)
{
	static const char *const head[] = {
		"department", "complaint_no", "received_date", "customer_id", "customer_name",
		"category", "status", "response_due", "resolve_due", "days_open", "overdue_stage",
		"days_overdue", "escalation"
	};
	size_t n, i, *ix = select_rows(is_open, &n, cmp_open);

	put_head(w, head, sizeof head / sizeof head[0]);
	for (i = 0; i < n; i++) {
		const struct complaint *c = &comp[ix[i]];
		csvw_str(w, dept_of(c));
		csvw_str(w, str(c->no));
		put_date(w, c->received);
		csvw_str(w, cust_str(&customers, c->cu->id));
		csvw_str(w, cust_str(&customers, c->cu->name));
		csvw_str(w, cat_str(&categories, c->cat->name));
		csvw_str(w, statuses[c->status].zh);
		put_date(w, c->response_due);
		put_date(w, c->resolve_due);
		put_int(w, workdays_between(&cal, c->received, opt.as_of));
		csvw_str(w, stage_names[c->stage]);
		put_int(w, c->overdue);
		put_int(w, c->level);
		csvw_endrow(w);
	}
	sd_free(ix);
}

/* 回访: resolved, not yet called back, due on --as-of or before. */
static int callback_due(const struct complaint *c)
{
	return c->status == ST_RESOLVED && c->callback < 0 && c->callback_due <= opt.as_of;
}

static int cmp_callback(const void *a, const void *b)
{
	const struct complaint *x = &comp[*(const size_t *)a], *y = &comp[*(const size_t *)b];

	if (x->callback_due != y->callback_due)
		return x->callback_due < y->callback_due ? -1 : 1;
	return strcmp(str(x->no), str(y->no));
}

static void report_callbacks(struct csv_writer *w)
{
	static const char *const head[] = {
		"callback_due", "complaint_no", "customer_id", "customer_name", "category",
		"department", "resolved_date", "resolution", "days_overdue", "escalation"
	};
	size_t n, i, *ix = select_rows(callback_due, &n, cmp_callback);

	put_head(w, head, sizeof head / sizeof head[0]);
	for (i = 0; i < n; i++) {
		const struct complaint *c = &comp[ix[i]];
		put_date(w, c->callback_due);
		csvw_str(w, str(c->no));
		csvw_str(w, cust_str(&customers, c->cu->id));
		csvw_str(w, cust_str(&customers, c->cu->name));
		csvw_str(w, cat_str(&categories, c->cat->name));
		csvw_str(w, dept_of(c));
		put_date(w, c->resolved);
		csvw_str(w, str(c->resolution));
		put_int(w, c->overdue);
		put_int(w, c->level);
		csvw_endrow(w);
	}
	sd_free(ix);
}

/* ---- stats: the --as-of month by category, department, customer, office, carrier ---- */

struct tally {
	uint64_t complaints, resolved, in_time, base;
	int have_base;
};

enum { D_CATEGORY, D_DEPT, D_CUSTOMER, D_OFFICE, D_CARRIER, D_N };
static const char *const dim_names[D_N] = {
	"category", "department", "customer", "office", "carrier"
};

struct dim {
	struct strmap keys;
	struct tally *t;
	size_t cap;
};

static struct tally *tally_of(struct dim *d, const char *k)
{
	int added;
	long i = tool_must(strmap_add(&d->keys, k, strlen(k), 0, &added));

	if (added) {
		d->t = tool_grow(d->t, (size_t)i, &d->cap, sizeof *d->t);
		memset(&d->t[i], 0, sizeof d->t[i]);
	}
	return &d->t[i];
}

static void count(struct tally *t, const struct complaint *c)
{
	t->complaints++;
	if (c->resolved >= 0) {
		t->resolved++;
		t->in_time += c->resolved <= c->resolve_due;
	}
}

/* The base of a group: order lines of the archive (the customer's, the office's
 * customers', or all of them), or a carrier's shipments in the loads files. */
static uint64_t base_of(int d, const char *k)
{
	uint64_t n = 0;
	size_t j;
	long ci;

	switch (d) {
	case D_CUSTOMER:
		ci = strmap_find(&customers.idx, k, strlen(k));
		return ci < 0 ? 0 : cust_lines[customers.idx.e[ci].val];
	case D_OFFICE:
		for (j = 0; j < customers.n; j++)
			if (!strcmp(cust_str(&customers, customers.v[j].office), k))
				n += cust_lines[j];
		return n;
	case D_CARRIER:
		ci = strmap_find(&carrier_loads, k, strlen(k));
		return ci < 0 ? 0 : carrier_loads.e[ci].val;
	default:
		return all_lines;
	}
}

static void set_bases(struct dim *dims)
{
	size_t d, i;

	for (d = 0; d < D_N; d++)
		for (i = 0; i < dims[d].keys.count; i++) {
			struct tally *t = &dims[d].t[i];
			/* without the archive files there is no base, not a base of 0 */
			t->have_base = d == D_CARRIER ? opt.loads.n > 0 : opt.orders.n > 0;
			t->base = base_of((int)d, strmap_key(&dims[d].keys, i));
		}
}

static void put_ratio(struct csv_writer *w, uint64_t num, uint64_t den, int64_t times)
{
	char b[48];

	if (!den) {
		csvw_plain(w, "", 0);
		return;
	}
	/* two decimals, rounded half away: num * times / den at scale 2 */
	csvw_plain(w, b, (size_t)fmt_fixed(b, div_round((__int128)num * times * 100,
	                                                 (int64_t)den), 2));
}

static void put_tally(struct csv_writer *w, const char *month, const char *dim,
                      const char *group, const struct tally *t)
{
	csvw_plain(w, month, strlen(month));
	csvw_str(w, dim);
	csvw_str(w, group);
	put_int(w, (int64_t)t->complaints);
	put_int(w, (int64_t)t->resolved);
	put_int(w, (int64_t)t->in_time);
	put_ratio(w, t->in_time, t->resolved, 100);
	if (t->have_base)
		put_int(w, (int64_t)t->base);
	else
		csvw_plain(w, "", 0);
	put_ratio(w, t->complaints, t->have_base ? t->base : 0, 1000);
	csvw_endrow(w);
}

static void report_stats(struct csv_writer *w)
{
	static const char *const head[] = {
		"month", "dimension", "group", "complaints", "resolved", "resolved_in_time",
		"in_time_pct", "base", "per_1000"
	};
	struct dim dims[D_N];
	struct tally all = { 0, 0, 0, 0, 0 };
	char month[16];
	int y, m, dd, cy, cm;
	size_t d, i;

	civil_from_days(opt.as_of, &y, &m, &dd);
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	memset(dims, 0, sizeof dims);
	for (d = 0; d < D_N; d++)
		strmap_init(&dims[d].keys);
	for (i = 0; i < ncomp; i++) {
		const struct complaint *c = &comp[i];
		civil_from_days(c->received, &cy, &cm, &dd);
		if (cy != y || cm != m)
			continue;
		count(&all, c);
		count(tally_of(&dims[D_CATEGORY], cat_str(&categories, c->cat->name)), c);
		count(tally_of(&dims[D_DEPT], dept_of(c)), c);
		count(tally_of(&dims[D_CUSTOMER], cust_str(&customers, c->cu->id)), c);
		count(tally_of(&dims[D_OFFICE], cust_str(&customers, c->cu->office)), c);
		if (c->ship >= 0 && shp[c->ship].carrier)
			count(tally_of(&dims[D_CARRIER], str(shp[c->ship].carrier)), c);
	}
	all.base = all_lines;
	all.have_base = opt.orders.n > 0;
	set_bases(dims);
	put_head(w, head, sizeof head / sizeof head[0]);
	for (d = 0; d < D_N; d++) {     /* each dimension's groups in byte order */
		size_t *ix = tool_must_ptr(strmap_sorted(&dims[d].keys));
		for (i = 0; i < dims[d].keys.count; i++)
			put_tally(w, month, dim_names[d], strmap_key(&dims[d].keys, ix[i]),
			          &dims[d].t[ix[i]]);
		sd_free(ix);
	}
	put_tally(w, month, "all", "", &all);
	for (d = 0; d < D_N; d++) {
		strmap_free(&dims[d].keys);
		sd_free(dims[d].t);
	}
}

/* ---- claims: damage and shortage on a shipment, for freight-audit ---- */

static int is_claim(const struct complaint *c)
{
	return c->cat->claim && c->ship >= 0;
}

static int cmp_claim(const void *a, const void *b)
{
	const struct complaint *x = &comp[*(const size_t *)a], *y = &comp[*(const size_t *)b];
	int r = strcmp(str(shp[x->ship].carrier), str(shp[y->ship].carrier));

	if (r)
		return r;
	if (x->ship != y->ship)
		return strcmp(strmap_key(&ship_idx, (size_t)x->ship),
		              strmap_key(&ship_idx, (size_t)y->ship));
	return strcmp(str(x->no), str(y->no));
}

static void report_claims(struct csv_writer *w)
{
	static const char *const head[] = {
		"carrier", "shipment_id", "ship_date", "freight", "complaints", "complaint_nos",
		"status", "hold_amount"
	};
	size_t n, i, j, *ix = select_rows(is_claim, &n, cmp_claim);
	struct sbuf nos = SBUF_INIT;

	put_head(w, head, sizeof head / sizeof head[0]);
	for (i = 0; i < n; i = j) {
		const struct complaint *c = &comp[ix[i]];
		const struct shipment *s = &shp[c->ship];
		int open = 0;
		sbuf_reset(&nos);
		for (j = i; j < n && comp[ix[j]].ship == c->ship; j++) {
			if (j > i)
				tool_must(sbuf_addch(&nos, ' '));
			tool_must(sbuf_addstr(&nos, str(comp[ix[j]].no)));
			open |= comp[ix[j]].status < ST_RESOLVED;
		}
		csvw_str(w, str(s->carrier));
		csvw_str(w, strmap_key(&ship_idx, (size_t)c->ship));
		put_date(w, s->date);
		put_money(w, s->freight);
		put_int(w, (int64_t)(j - i));
		csvw_field(w, nos.buf, nos.len);
		csvw_str(w, open ? "open" : "resolved");
		put_money(w, open ? s->freight : 0);
		csvw_endrow(w);
	}
	sbuf_release(&nos);
	sd_free(ix);
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
	case OPT_CALENDAR: opt.calendar = arg; tool_add_file(t, TOOL_IN, "--calendar", arg); break;
	case OPT_CATEGORIES:
		opt.categories = arg;
		tool_add_file(t, TOOL_IN, "--categories", arg);
		break;
	case OPT_ESCALATE:
		if ((n = parse_uint_list(arg, 0, 365, opt.escalate, MAX_LEVELS)) < 0) {
			diag_warn("--escalate: %s is not a list of increasing working-day counts "
			          "(e.g. 2,5; 0-365, at most %d)", diag_qstr(arg), MAX_LEVELS);
			return -1;
		}
		opt.nescalate = n;
		break;
	case OPT_LOADS:
		tool_add_input(t, &opt.loads, "--loads", arg);
		break;
	case OPT_ORDERS:
		tool_add_input(t, &opt.orders, "--orders", arg);
		break;
	case OPT_REPORT:
		for (i = 0; i < sizeof report_names / sizeof report_names[0]; i++)
			if (!strcmp(arg, report_names[i]))
				break;
		if (i == sizeof report_names / sizeof report_names[0]) {
			diag_warn("--report: %s is not a report (allowed log, open, callbacks, "
			          "stats, claims)", diag_qstr(arg));
			return -1;
		}
		opt.report = (int)i;
		break;
	default: return -1;
	}
	return 0;
}

/* ---- reading ---- */

/* The cause as the reason written and printed: the value at fault and why. */
static struct reason reason_for(const struct csv_record *rec, enum cause why)
{
	int k = reasons[why].col;

	if (k < 0)
		return reason_of(reasons[why].code, reasons[why].qual);
	return reason_cell(reasons[why].code, reasons[why].qual, in_names[k],
	                   record_cell(rec, cols, k), reasons[why].what);
}

static void read_log(struct instream *in, struct rejects *rj, struct csv_writer *out,
                     const size_t *pass, size_t npass)
{
	struct csv_record rec;
	struct sd_err err;
	struct csv_writer *outs[2] = { out, &rj->w };
	int st;

	while ((st = instream_next(in, &rec, &err)) > 0) {
		struct complaint c;
		const char *bad;
		struct reason r;
		enum cause why;
		memset(&c, 0, sizeof c);
		if ((bad = instream_malformed(in, &rec))) {
			r = reason_of(bad, NULL);
			reject_row(&tool, rj, in->paths[in->cur], &rec, &r);
			continue;
		}
		if ((why = check_row(&rec, &c))) {
			r = reason_for(&rec, why);
			reject_row(&tool, rj, in->paths[in->cur], &rec, &r);
			continue;
		}
		keep(&rec, &c);
		if (opt.report == REP_LOG)
			write_log_row(out, &rec, &c, pass, npass);
		if ((in->rows & 4095) == 0 && tool_output_gone(outs, 2))
			break;
	}
	if (st < 0)
		diag_die(&err);
}

static void load_masters(void)
{
	/* -d and -E are the log's: a master file is detected on its own (salesdesk(7)) */
	struct master_io io = { 0, NULL, diag_warn_err };
	struct sd_err err;

	if (customers_load(&customers, opt.customers, &io, &err) < 0 ||
	    categories_load(&categories, opt.categories, &io, &err) < 0 ||
	    (opt.calendar && calendar_load(&cal, opt.calendar, &io, &err) < 0))
		diag_die(&err);
	cust_lines = tool_alloc(customers.n, sizeof *cust_lines);
	strmap_init(&orders_idx);
	strmap_init(&ship_idx);
	strmap_init(&links);
	strmap_init(&carrier_loads);
	strmap_init(&seen_no);
	add_text("", 0);        /* offset 0 is the empty string: "no carrier" */
	/* the loads first: a loaded shipment's freight is the loads file's */
	read_archive(opt.loads.v, opt.loads.n, load_names, L_N, 3, take_load);
	read_archive(opt.orders.v, opt.orders.n, order_names, O_N, 2, take_order_line);
}

int main(int argc, char *argv[])
{
	struct instream in;
	struct csv_writer out;
	struct rejects rj;
	struct csv_writer *outs[2] = { &out, &rj.w };
	size_t *pass = NULL, npass = 0;
	struct sd_err err;
	int first, rc;

	first = tool_parse(&tool, argc, argv, own_option);
	if (!opt.customers || !opt.categories || !opt.have_as_of) {
		diag_warn("%s is required", !opt.customers ? "-c customers.csv" :
		          !opt.categories ? "--categories FILE" : "--as-of DATE");
		tool_usage(&tool, EX_USAGE);
	}
	/* open everything first: the log, the masters, the archive, the outputs */
	if (instream_open(&in, argv + first, (size_t)(argc - first), tool.delim, tool.encoding,
	                  &err) < 0 ||
	    instream_columns(&in, in_names, cols, I_N, I_CHANNEL, &err) < 0)
		diag_die(&err);
	load_masters();
	if (opt.report == REP_LOG)
		pass = tool_passthrough(&in, log_names, N_LOG, &npass);
	tool_open_output(&out, tool.output, tool.delim);
	if (rejects_open(&rj, tool.rejects, &in, tool.delim) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(tool.rejects),
		           strerror(errno));
	if (opt.report == REP_LOG)
		stream_write_header(&out, log_names, N_LOG, &in, pass, npass);
	read_log(&in, &rj, &out, pass, npass);
	switch (opt.report) {
	case REP_OPEN: report_open(&out); break;
	case REP_CALLBACKS: report_callbacks(&out); break;
	case REP_STATS: report_stats(&out); break;
	case REP_CLAIMS: report_claims(&out); break;
	}
	if (tool.verbose)
		diag_warn("%llu complaints read: %llu rejected", (unsigned long long)in.rows,
		          (unsigned long long)rj.count);
	rc = tool.strict && rj.count ? EX_DATAERR : 0;
	rc = tool_finish(rc, outs, 2);
	instream_close(&in);
	customers_free(&customers);
	categories_free(&categories);
	calendar_free(&cal);
	strmap_free(&orders_idx);
	strmap_free(&ship_idx);
	strmap_free(&links);
	strmap_free(&carrier_loads);
	strmap_free(&seen_no);
	sbuf_release(&text);
	sbuf_release(&key);
	sd_free(ord);
	sd_free(shp);
	sd_free(comp);
	sd_free(cust_lines);
	sd_free(pass);
	sd_free(opt.orders.v);
	sd_free(opt.loads.v);
	return rc;
}

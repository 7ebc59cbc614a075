/* freight-audit — 运费审核: check every carrier bill row against the planned load and the
 * rate card, flag what does not match, and say how much of each bill may be paid
 * (freight-audit(1)). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "master.h"
#include "num.h"
#include "strmap.h"
#include "tool.h"

static struct {
	const char *rates, *accessorials, *unbilled, *summary;
	struct tool_files plans, billed, claims;        /* --plan, --billed, --claims */
	int64_t weight_tol;     /* --weight-tolerance, SCALE_PCT */
	int64_t amount_tol;     /* --amount-tolerance, cents */
} opt = { .weight_tol = 20000, .amount_tol = 100 };

enum { OPT_ACCESSORIALS = 300, OPT_AMOUNT_TOL, OPT_BILLED, OPT_CLAIMS, OPT_PLAN,
       OPT_SUMMARY, OPT_UNBILLED, OPT_WEIGHT_TOL };
static const struct tool_opt own_opts[] = {
	{ "accessorials", OPT_ACCESSORIALS, 1, "FILE", "agreed accessorial charges: code, description, max_amount" },
	{ "amount-tolerance", OPT_AMOUNT_TOL, 1, "MONEY", "allowed billed - expected either way (default 1.00)" },
	{ "billed", OPT_BILLED, 1, "FILE", "an earlier audit's output: its shipments are billed already (repeatable)" },
	{ "claims", OPT_CLAIMS, 1, "FILE", "carrier claims (complaints --report claims): their hold_amount is held back (repeatable)" },
	{ "plan", OPT_PLAN, 1, "FILE", "the plan: dispatch-plan's --loads file or its line-level output (required, repeatable)" },
	{ "rates", 'R', 1, "FILE", "rate card (required)" },
	{ "summary", OPT_SUMMARY, 1, "FILE", "write the totals per bill carrier to FILE" },
	{ "unbilled", OPT_UNBILLED, 1, "FILE", "write the planned loads that no accepted bill row named to FILE" },
	{ "weight-tolerance", OPT_WEIGHT_TOL, 1, "PCT", "allowed billed weight above planned (default 2)" },
	{ NULL, 0, 0, NULL, NULL }
};

static const int many_opts[] = { OPT_BILLED, OPT_CLAIMS, OPT_PLAN, 0 };

static struct tool tool = {
	.name = "freight-audit",
	.synopsis = "--plan loads.csv [--plan FILE] -R rates.csv [--billed FILE]\n"
	            "       [--claims FILE] [--accessorials FILE] [--weight-tolerance PCT]\n"
	            "       [--amount-tolerance MONEY] [--unbilled FILE]\n"
	            "       [--summary FILE] [--rejects FILE] [--shard K/N] [-o FILE] [-d C]\n"
	            "       [-E NAME] [-q] [-v] [--strict] [--excel] [FILE...]",
	.opts = own_opts,
	.many = many_opts,
	.common = COMMON_FILTER | COMMON_SHARD,
};

/* Bill columns: the first six are required. */
enum { B_CARRIER, B_BILL, B_DATE, B_SHIP, B_WEIGHT, B_FREIGHT, B_FUEL, B_ACODE, B_AAMT,
       B_TOTAL, B_N };
static const char *const bill_names[B_N] = {
	"carrier", "bill_no", "bill_date", "shipment_id", "billed_weight_kg", "freight_amount",
	"fuel_amount", "accessorial_code", "accessorial_amount", "total_amount"
};

static const char *const out_names[] = {
	"carrier", "bill_no", "bill_date", "shipment_id", "planned_weight_kg",
	"billed_weight_kg", "expected_amount", "billed_amount", "variance", "approved_amount",
	"status", "flags"
};
enum { N_OUT = sizeof out_names / sizeof out_names[0] };

/* Flags, in freight-audit(1)'s order (bit i is flag_names[i]). */
enum {
	F_UNPLANNED, F_DUPLICATE, F_CARRIER, F_WEIGHT, F_TOTAL, F_UNKNOWN_ACC, F_ACC_LIMIT,
	F_OVER, F_UNDER, F_CLAIM, F_N
};
static const char *const flag_names[F_N] = {
	"unplanned_shipment", "duplicate_bill", "carrier_mismatch", "weight_discrepancy",
	"total_mismatch", "unknown_accessorial", "accessorial_over_limit", "overcharge",
	"undercharge", "claim_hold"
};

/* Totals of one bill carrier. */
struct carsum {
	uint64_t bills, exceptions;
	int64_t billed, expected, approved, over;
};

static struct rates rates;
static struct strmap accessorials;      /* code -> max_amount in cents */
static int have_accessorials;

static struct plan plan;                /* the --plan files' loads by shipment_id */

static struct strmap unplanned_billed;  /* shipment ids billed but not in the plan */
static struct strmap carriers;          /* bill carrier -> struct carsum (same index) */
static struct carsum *carsum_v;
static size_t carsum_cap;

static int cols[B_N];
static uint64_t rec_seq;                /* --shard: the current bill's input record number */

/* ---- the archive: earlier audits and open claims, marked on the plan's loads ---- */

/* The shipments of the earlier audits (--billed) count as billed before the first bill
 * row: a planned load is marked, an unplanned id remembered, so that any later row of
 * them is a duplicate_bill, as if the earlier bills came first in the stream. */
static void load_billed(void)
{
	struct master_io io = { 0, NULL, NULL };        /* detected on its own, like every master */
	struct strmap ids;
	struct sd_err err;
	size_t i;
	int added;

	strmap_init(&ids);
	if (shipment_ids_load(&ids, opt.billed.v, opt.billed.n, &io, &err) < 0)
		diag_die(&err);
	for (i = 0; i < ids.count; i++) {
		const char *id = strmap_key(&ids, i);
		long k = strmap_find(&plan.idx, id, ids.e[i].klen);

		if (k >= 0)
			plan.v[plan.idx.e[k].val].billed = 1;
		else
			tool_must(strmap_add(&unplanned_billed, id, ids.e[i].klen, 0, &added));
	}
	strmap_free(&ids);
}

/* The open carrier claims (--claims): each planned shipment's hold_amount, to be held
 * back from its approved amount (freight-audit(1), Claims).  A claim on a shipment of no
 * given plan holds nothing: its bill rows are unplanned_shipment, approved 0.00. */
static void load_claims(void)
{
	struct master_io io = { 0, NULL, NULL };        /* detected on its own */
	struct strmap holds;
	struct sd_err err;
	size_t i;

	strmap_init(&holds);
	if (claims_load(&holds, opt.claims.v, opt.claims.n, &io, &err) < 0)
		diag_die(&err);
	for (i = 0; i < holds.count; i++) {
		long k = strmap_find(&plan.idx, strmap_key(&holds, i), holds.e[i].klen);

		if (k >= 0)
			plan.v[plan.idx.e[k].val].hold = (int64_t)holds.e[i].val;
	}
	strmap_free(&holds);
}

/* ---- the per-row rule ---- */

/* A checked bill row, ready to judge and print. */
struct bill {
	struct csv_field carrier, bill_no, ship, acode;
	int32_t date;
	int64_t weight;                         /* SCALE_WEIGHT */
	int64_t freight, fuel, acc, total;      /* cents */
	int64_t held;                           /* cents held back for a claim */
	int have_total;
	int64_t billed, expected, variance, approved;
	struct plan_load *load;                 /* NULL: unplanned */
	unsigned flags;
};

static struct csv_field cell(const struct csv_record *rec, int k)
{
	return record_cell(rec, cols, k);
}

/* A value at fault in bill column k. */
static struct reason bad_cell(const struct csv_record *rec, const char *code, int k,
                              const char *what)
{
	return reason_cell(code, k == B_WEIGHT ? NULL : bill_names[k], bill_names[k],
	                   cell(rec, k), what);
}

/* An amount, blank = 0 (a negative one is a credit on the bill); no reason, or
 * bad_amount naming its column. */
static struct reason amount(const struct csv_record *rec, int k, int64_t *v, int *overflow)
{
	struct csv_field f = cell(rec, k);
	int st;

	*v = 0;
	if (!f.n)
		return reason_of(NULL, NULL);
	st = parse_money(f.s, f.n, SCALE_AMOUNT, v);
	if (st == NUM_BAD)
		return bad_cell(rec, "bad_amount", k, "is not an amount (up to 2 decimals)");
	if (st == NUM_OVERFLOW)
		*overflow = 1;
	return reason_of(NULL, NULL);
}

static struct reason parse_bill(const struct csv_record *rec, struct bill *b)
{
	struct csv_field f;
	int k, st, overflow = 0;
	struct reason why;

	for (k = B_CARRIER; k <= B_FREIGHT; k++)
		if (!cell(rec, k).n)
			return reason_of("missing", bill_names[k]);
	b->carrier = cell(rec, B_CARRIER);
	b->bill_no = cell(rec, B_BILL);
	b->ship = cell(rec, B_SHIP);
	b->acode = cell(rec, B_ACODE);
	f = cell(rec, B_DATE);
	if (parse_date(f.s, f.n, &b->date) < 0)
		return bad_cell(rec, "bad_date", B_DATE, "is not a date");
	/* freight-audit(1)'s order of reasons: bad_date, bad_amount, bad_weight */
	if ((why = amount(rec, B_FREIGHT, &b->freight, &overflow)).code ||
	    (why = amount(rec, B_FUEL, &b->fuel, &overflow)).code ||
	    (why = amount(rec, B_AAMT, &b->acc, &overflow)).code ||
	    (why = amount(rec, B_TOTAL, &b->total, &overflow)).code)
		return why;
	f = cell(rec, B_WEIGHT);
	if ((st = parse_plain(f.s, f.n, SCALE_WEIGHT, &b->weight)) == NUM_BAD)
		return bad_cell(rec, "bad_weight", B_WEIGHT,
		                "is not a weight of 0 or more (up to 3 decimals)");
	overflow |= st == NUM_OVERFLOW;
	b->have_total = cell(rec, B_TOTAL).n > 0;
	if (overflow || __builtin_add_overflow(b->freight, b->fuel, &b->billed) ||
	    __builtin_add_overflow(b->billed, b->acc, &b->billed))
		return reason_of("overflow", NULL);
	return reason_of(NULL, NULL);
}

/* Expected charge, flags and approved amount of a parsed bill row (freight-audit(1)). */
static struct reason judge(struct bill *b)
{
	long i = strmap_find(&plan.idx, b->ship.s, b->ship.n);
	unsigned fl = 0;
	long ai = -1;

	b->held = 0;
	b->load = i < 0 ? NULL : &plan.v[plan.idx.e[i].val];
	if (!b->load)
		fl |= 1u << F_UNPLANNED;
	if (b->load ? b->load->billed : strmap_find(&unplanned_billed, b->ship.s, b->ship.n) >= 0)
		fl |= 1u << F_DUPLICATE;
	if (have_accessorials && b->acode.n)
		ai = strmap_find(&accessorials, b->acode.s, b->acode.n);
	b->expected = 0;
	if (b->load) {
		const struct plan_load *l = b->load;
		__int128 lim = (__int128)l->weight * (1000000 + opt.weight_tol);
		if (!field_eq(b->carrier, plan_str(&plan, l->carrier)))
			fl |= 1u << F_CARRIER;
		if ((__int128)b->weight * 1000000 > lim)
			fl |= 1u << F_WEIGHT;
		b->expected = l->cost;
	}
	if (b->have_total && b->total != b->billed)
		fl |= 1u << F_TOTAL;
	if (ai >= 0) {
		int64_t mx = (int64_t)accessorials.e[ai].val;
		if (b->acc > mx)
			fl |= 1u << F_ACC_LIMIT;
		if (b->load && __builtin_add_overflow(b->expected, b->acc < mx ? b->acc : mx,
		                                      &b->expected))
			return reason_of("overflow", NULL);
	} else if (b->acode.n || b->acc) {
		fl |= 1u << F_UNKNOWN_ACC;
	}
	if (__builtin_sub_overflow(b->billed, b->expected, &b->variance))
		return reason_of("overflow", NULL);
	if (b->load && b->variance > opt.amount_tol)
		fl |= 1u << F_OVER;
	if (b->load && b->variance < -opt.amount_tol)
		fl |= 1u << F_UNDER;
	b->approved = fl & (1u << F_UNPLANNED | 1u << F_DUPLICATE) ? 0 :
	              b->billed < b->expected ? b->billed : b->expected;
	/* an open carrier claim on the shipment is held back from what would be paid,
	 * once (freight-audit(1), Claims); hold is spent by accept() */
	if (b->load && b->load->hold > 0 && b->approved > 0) {
		b->held = b->approved < b->load->hold ? b->approved : b->load->hold;
		b->approved -= b->held;
		fl |= 1u << F_CLAIM;
	}
	b->flags = fl;
	return reason_of(NULL, NULL);
}

/* The row is accepted: its shipment counts as billed from now on. */
static void accept(const struct bill *b)
{
	int added;

	if (b->load) {
		b->load->billed = 1;
		b->load->hold -= b->held;
	} else
		tool_must(strmap_add(&unplanned_billed, b->ship.s, b->ship.n, 0, &added));
}

/* ---- summary ---- */

static void add_to(int64_t *sum, int64_t v, const char *what, const struct bill *b)
{
	if (__builtin_add_overflow(*sum, v, sum))
		diag_fatal(EX_DATAERR, "the summary's %s of carrier %s overflows", what,
		           diag_quote(b->carrier.s, b->carrier.n));
}

static void sum_bill(const struct bill *b)
{
	struct carsum *c;
	int added;
	long i = tool_must(strmap_add(&carriers, b->carrier.s, b->carrier.n, 0, &added));

	if (added) {
		carsum_v = tool_grow(carsum_v, (size_t)i, &carsum_cap, sizeof *carsum_v);
		memset(&carsum_v[i], 0, sizeof carsum_v[i]);
	}
	c = &carsum_v[i];
	c->bills++;
	c->exceptions += b->flags != 0;
	add_to(&c->billed, b->billed, "billed_amount", b);
	add_to(&c->expected, b->expected, "expected_amount", b);
	add_to(&c->approved, b->approved, "approved_amount", b);
	if (b->flags & 1u << F_OVER)
		add_to(&c->over, b->variance, "overcharge_amount", b);
}

static void write_summary(struct csv_writer *w)
{
	static const char *const head[] = {
		"carrier", "bills", "billed_amount", "expected_amount", "approved_amount",
		"overcharge_amount", "exceptions"
	};
	size_t *ix = tool_must_ptr(strmap_sorted(&carriers)), i;   /* by carrier, in byte order */
	char b[48];

	stream_write_header(w, head, sizeof head / sizeof head[0], NULL, NULL, 0);
	for (i = 0; i < carriers.count; i++) {
		const struct carsum *c = &carsum_v[ix[i]];
		csvw_str(w, strmap_key(&carriers, ix[i]));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)c->bills));
		csvw_plain(w, b, (size_t)fmt_fixed(b, c->billed, SCALE_AMOUNT));
		csvw_plain(w, b, (size_t)fmt_fixed(b, c->expected, SCALE_AMOUNT));
		csvw_plain(w, b, (size_t)fmt_fixed(b, c->approved, SCALE_AMOUNT));
		csvw_plain(w, b, (size_t)fmt_fixed(b, c->over, SCALE_AMOUNT));
		csvw_plain(w, b, (size_t)fmt_int(b, (int64_t)c->exceptions));
		csvw_endrow(w);
	}
	sd_free(ix);
}

/* ---- unbilled loads: the plan's rows as read, in plan order ---- */

static void write_fields(struct csv_writer *w, const char *s, size_t nf)
{
	size_t i, n;

	for (i = 0; i < nf; i++, s += n + 1) {
		n = strlen(s);
		csvw_field(w, s, n);
	}
	csvw_endrow(w);
}

/* Under --shard K/N, whether the bills of the shipment are this run's (salesdesk(7),
 * SCALE-OUT): a shipment is paid once, so all its bills are checked in one run. */
static int mine(const char *ship, size_t n)
{
	return tool_shard_mine(&tool, ship, n);
}

static void write_unbilled(struct csv_writer *w)
{
	uint64_t seq;
	size_t i;

	tool_put_seq(&tool, w, NULL);
	write_fields(w, plan.header.buf, plan.header_nf);
	for (i = 0; i < plan.nrows; i++) {
		const struct plan_load *l = &plan.v[plan.rows[i].load];
		const char *id = plan_id(&plan, l);
		if (l->billed || !mine(id, strlen(id)))
			continue;
		seq = i;
		tool_put_seq(&tool, w, &seq);
		write_fields(w, plan.raw.buf + plan.rows[i].off, plan.rows[i].nf);
	}
}

static uint64_t count_unbilled(void)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < plan.idx.count; i++)
		n += !plan.v[i].billed;
	return n;
}

/* ---- output ---- */

static void emit_row(struct csv_writer *w, const struct bill *b, const struct csv_record *rec,
                     const size_t *pass, size_t npass)
{
	char buf[48], flags[256];
	size_t i, fn = 0;
	int k;

	tool_put_seq(&tool, w, &rec_seq);
	csvw_field(w, b->carrier.s, b->carrier.n);
	csvw_field(w, b->bill_no.s, b->bill_no.n);
	csvw_plain(w, buf, (size_t)fmt_date(buf, b->date));
	csvw_field(w, b->ship.s, b->ship.n);
	if (b->load)
		csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->load->weight, SCALE_WEIGHT));
	else
		csvw_str(w, "");
	csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->weight, SCALE_WEIGHT));
	csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->expected, SCALE_AMOUNT));
	csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->billed, SCALE_AMOUNT));
	csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->variance, SCALE_AMOUNT));
	csvw_plain(w, buf, (size_t)fmt_fixed(buf, b->approved, SCALE_AMOUNT));
	csvw_str(w, b->flags ? "exception" : "ok");
	flags[0] = '\0';
	for (k = 0; k < F_N; k++) {
		if (!(b->flags & 1u << k))
			continue;
		size_t n = strlen(flag_names[k]);
		if (fn)
			flags[fn++] = ';';
		memcpy(flags + fn, flag_names[k], n + 1);      /* all ten fit in flags[] */
		fn += n;
	}
	csvw_str(w, flags);
	for (i = 0; i < npass; i++)
		csvw_field(w, rec->f[pass[i]].s, rec->f[pass[i]].n);
	csvw_endrow(w);
}

static int own_option(struct tool *t, int key, const char *arg)
{
	switch (key) {
	case 'R': opt.rates = arg; tool_add_file(t, TOOL_IN, "-R", arg); break;
	case OPT_ACCESSORIALS:
		opt.accessorials = arg;
		tool_add_file(t, TOOL_IN, "--accessorials", arg);
		break;
	case OPT_BILLED: tool_add_input(t, &opt.billed, "--billed", arg); break;
	case OPT_CLAIMS: tool_add_input(t, &opt.claims, "--claims", arg); break;
	case OPT_PLAN: tool_add_input(t, &opt.plans, "--plan", arg); break;
	case OPT_SUMMARY: opt.summary = arg; tool_add_file(t, TOOL_OUT, "--summary", arg); break;
	case OPT_UNBILLED: opt.unbilled = arg; tool_add_file(t, TOOL_OUT, "--unbilled", arg); break;
	case OPT_AMOUNT_TOL:
		if (parse_money(arg, strlen(arg), SCALE_AMOUNT, &opt.amount_tol) != NUM_OK ||
		    opt.amount_tol < 0) {
			diag_warn("--amount-tolerance: %s is not an amount of 0 or more (e.g. 1.00)",
			          diag_qstr(arg));
			return -1;
		}
		break;
	case OPT_WEIGHT_TOL:
		if (parse_pct(arg, strlen(arg), &opt.weight_tol) != NUM_OK) {
			diag_warn("--weight-tolerance: %s is not a percentage (e.g. 2 or 2%%)",
			          diag_qstr(arg));
			return -1;
		}
		break;
	default: return -1;
	}
	return 0;
}

static void load_masters(void)
{
	/* -d and -E are the input stream's: a master file is detected on its own (salesdesk(7)) */
	struct master_io io = { 0, NULL, diag_warn_err };
	struct master_io quiet = { 0, NULL, NULL };     /* no hint of a column not read */
	struct sd_err err;

	if (rates_load(&rates, opt.rates, &io, &err) < 0)
		diag_die(&err);
	if (opt.accessorials) {
		if (accessorials_load(&accessorials, opt.accessorials, &quiet, &err) < 0)
			diag_die(&err);
		have_accessorials = 1;
	}
	if (plan_load(&plan, opt.plans.v, opt.plans.n, &rates, opt.rates, opt.unbilled != NULL,
	              &err) < 0)
		diag_die(&err);
	strmap_init(&unplanned_billed);
	load_billed();
	load_claims();
}

int main(int argc, char *argv[])
{
	struct instream in;
	struct csv_writer out, summary = { .fd = -1 }, unbilled = { .fd = -1 };
	struct rejects rj;
	struct csv_writer *outs[4] = { &out, &rj.w, &summary, &unbilled };
	struct csv_record rec;
	struct sd_err err;
	size_t *pass, npass;
	uint64_t ok = 0, exceptions = 0, nunbilled;
	int first, st, rc;

	first = tool_parse(&tool, argc, argv, own_option);
	if (!opt.plans.n || !opt.rates) {
		diag_warn("%s is required", !opt.plans.n ? "--plan FILE" : "-R rates.csv");
		tool_usage(&tool, EX_USAGE);
	}
	/* open everything first: inputs, masters, outputs; then stream */
	if (instream_open(&in, argv + first, (size_t)(argc - first), tool.delim, tool.encoding,
	                  &err) < 0 ||
	    instream_columns(&in, bill_names, cols, B_N, B_FUEL, &err) < 0)
		diag_die(&err);
	load_masters();
	pass = tool_passthrough(&in, out_names, N_OUT, &npass);
	tool_open_output(&out, tool.output, tool.delim);
	if (rejects_open(&rj, tool.rejects, &in, tool.delim) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(tool.rejects),
		           strerror(errno));
	if (opt.summary)
		tool_open_output(&summary, opt.summary, tool.delim);
	if (opt.unbilled)
		tool_open_output(&unbilled, opt.unbilled, tool.delim);
	strmap_init(&carriers);

	tool_put_seq(&tool, &out, NULL);
	stream_write_header(&out, out_names, N_OUT, &in, pass, npass);
	while ((st = instream_next(&in, &rec, &err)) > 0) {
		struct csv_field ship = cell(&rec, B_SHIP);
		struct bill b;
		struct reason why;
		const char *bad;
		char detail[96];

		if (!mine(ship.s, ship.n))
			continue;
		rj.seq = rec_seq = in.rows;
		memset(&b, 0, sizeof b);
		if ((bad = instream_malformed(&in, &rec))) {
			/* field_count, unless the row is bad_encoding: say the counts */
			snprintf(detail, sizeof detail, "%zu fields where the header has %zu",
			         rec.nf, in.file[in.cur].nf);
			why = reason_text(bad, NULL, rec.bad_encoding ? NULL : detail);
		} else if (!(why = parse_bill(&rec, &b)).code) {
			why = judge(&b);
		}
		if (why.code) {
			reject_row(&tool, &rj, in.paths[in.cur], &rec, &why);
		} else {
			accept(&b);
			exceptions += b.flags != 0;
			ok += b.flags == 0;
			emit_row(&out, &b, &rec, pass, npass);
			if (opt.summary)
				sum_bill(&b);
		}
		if ((in.rows & 1023) == 0 && tool_output_gone(outs, 4))
			break;
	}
	if (st < 0)
		diag_die(&err);
	if (opt.unbilled && !tool_output_gone(outs, 4))
		write_unbilled(&unbilled);
	if (opt.summary && !tool_output_gone(outs, 4))
		write_summary(&summary);
	nunbilled = count_unbilled();
	if (tool.verbose)
		diag_warn("%llu bill rows read: %llu ok, %llu exceptions, %llu rejected; "
		          "%llu of %zu planned loads unbilled",
		          (unsigned long long)in.rows, (unsigned long long)ok,
		          (unsigned long long)exceptions, (unsigned long long)rj.count,
		          (unsigned long long)nunbilled, plan.idx.count);
	rc = tool.strict && (rj.count || exceptions) ? EX_DATAERR : 0;
	rc = tool_finish(rc, outs, 4);
	instream_close(&in);
	rates_free(&rates);
	if (have_accessorials)
		strmap_free(&accessorials);
	plan_free(&plan);
	strmap_free(&unplanned_billed);
	strmap_free(&carriers);
	sd_free(opt.plans.v);
	sd_free(opt.billed.v);
	sd_free(opt.claims.v);
	sd_free(carsum_v);
	sd_free(pass);
	return rc;
}

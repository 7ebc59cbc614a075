/* order-intake's whole row logic: src/order-intake.c is compiled into this file with its
 * main renamed, and run on the fuzz input as the order stream with fixed small masters
 * (customers with a credit limit, products, balances) and --summary.  The first byte
 * chooses a header (with or without line_no, unit_price, ship_date, office; English or
 * Chinese names) and the options; the rest is the body.
 *
 * Inputs that are not well-formed CSV are skipped: the tool exits 65 on them by design,
 * and exit() cannot be caught in-process.  Invariant: row conservation — data rows in
 * = output rows + rejected rows, each counted by reading the files back. */
#include "fuzz.h"
#include "csvread.h"

int order_intake_main(int argc, char *argv[]);
#define main order_intake_main
#include "../../src/order-intake.c"
#undef main

static const char fx_customers[] =
	"customer_id,customer_name,city,region,office,credit_limit,payment_terms_days,status\n"
	"C1,上海华联,上海,华东,上海办事处,\"1,000.00\",30,active\n"
	"C2,杭州联华,杭州,华东,,,45,\n"
	"C3,南京苏果,南京,华东,南京办事处,100,30,blocked\n";
static const char fx_products[] =
	"sku,product_name,list_price,unit,unit_weight_kg,unit_volume_m3,status\n"
	"P1,矿泉水,36.5,箱,13.2,0.018,active\n"
	"00123,洗衣液,89.9999,箱,12.8,0.024,\n"
	"X9,旧款,10,件,1,0.001,inactive\n";
static const char fx_balances[] = "customer_id,open_balance\nC1,900.00\nC2,-5.00\n";
static const char *const fx_headers[] = {
	"order_no,order_date,customer_id,sku,qty\n",
	"order_no,line_no,order_date,customer_id,sku,qty,unit_price,ship_date,office,remark\n",
	"订单号,订单日期,客户编号,产品编号,数量,单价,发货日期,备注\n",
	"qty,sku,customer_id,order_date,order_no,status,amount,city\n",
};

/* Data records of a file (header excluded), read back with the core reader. */
static long count_rows(const char *path)
{
	struct csv_reader r;
	struct csv_record rec;
	long n = -1;
	int st;

	FUZZ_CHECK(csvr_open(&r, path, ',', "UTF-8") == 0);
	while ((st = csvr_next(&r, &rec)) > 0)
		n++;
	FUZZ_CHECK(st == 0);
	csvr_close(&r);
	return n < 0 ? 0 : n;
}

static int fuzz_order_intake(const uint8_t *data, size_t size)
{
	static char *cpath, *ppath, *bpath;
	struct sbuf file = SBUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	const char *in, *out, *rej, *sum;
	char *argv[24];
	long rows = -1;
	int argc = 0, st, rc;

	if (size < 1)
		return 0;
	if (!cpath) {
		char tmpl[] = "/tmp/salesdesk-fuzz-XXXXXX";
		FILE *fp;
		FUZZ_CHECK(mkdtemp(tmpl) != NULL);
		FUZZ_CHECK(asprintf(&cpath, "%s/customers.csv", tmpl) > 0);
		FUZZ_CHECK(asprintf(&ppath, "%s/products.csv", tmpl) > 0);
		FUZZ_CHECK(asprintf(&bpath, "%s/balances.csv", tmpl) > 0);
		FUZZ_CHECK((fp = fopen(cpath, "w")) && fputs(fx_customers, fp) >= 0 && !fclose(fp));
		FUZZ_CHECK((fp = fopen(ppath, "w")) && fputs(fx_products, fp) >= 0 && !fclose(fp));
		FUZZ_CHECK((fp = fopen(bpath, "w")) && fputs(fx_balances, fp) >= 0 && !fclose(fp));
	}
	FUZZ_CHECK(sbuf_addstr(&file, fx_headers[data[0] & 3]) == 0);
	FUZZ_CHECK(sbuf_add(&file, data + 1, size - 1) == 0);
	in = fuzz_file(0, file.buf, file.len);
	/* skip what the tool rightly refuses as a whole (exit 65): malformed CSV, or a
	 * header that is not valid in the encoding auto-detection chose for the file */
	FUZZ_CHECK(csvr_open(&r, in, ',', NULL) == 0);
	while ((st = csvr_next(&r, &rec)) > 0 && !(rows < 0 && rec.bad_encoding))
		rows++;
	csvr_close(&r);
	sbuf_release(&file);
	if (st != 0)
		return 0;
	out = fuzz_file(1, "", 0);
	rej = fuzz_file(2, "", 0);
	sum = fuzz_file(3, "", 0);
	argv[argc++] = "order-intake";
	argv[argc++] = "-q";
	argv[argc++] = "-c";
	argv[argc++] = cpath;
	argv[argc++] = "-p";
	argv[argc++] = ppath;
	if (data[0] & 4) {
		argv[argc++] = "-b";
		argv[argc++] = bpath;
	}
	if (data[0] & 8)
		argv[argc++] = "--price-tolerance=5%";
	if (data[0] & 16)
		argv[argc++] = "--lead-days=3";
	argv[argc++] = "-o";
	argv[argc++] = (char *)out;
	argv[argc++] = "--rejects";
	argv[argc++] = (char *)rej;
	argv[argc++] = "--summary";
	argv[argc++] = (char *)sum;
	argv[argc++] = (char *)in;
	argv[argc] = NULL;
	optind = 0;     /* glibc: reinitialise getopt; main starts its own state fresh */
	rc = order_intake_main(argc, argv);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(rows >= 0);
	FUZZ_CHECK(count_rows(out) + count_rows(rej) == rows);
	return 0;
}

FUZZ_ENTRY(fuzz_order_intake)

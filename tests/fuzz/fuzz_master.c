/* The master-file loader: the first byte chooses the file kind — below 128 its low two
 * bits choose customers, products, balances or rates (the seeds' bytes 0-3), from 128 on
 * bits 2-4 one of the other kinds: accessorials, shipment ids, claims, earlier lines,
 * cancellations, categories, the calendar or a plan (priced on a fixed rate card; bit 6:
 * the file given twice, as two plans); the rest is the file.  A bad file is an error with a message (exit 65 in the tools), never
 * a crash or a leak; a loaded one answers lookups. */
#include "fuzz.h"
#include "master.h"

/* A failed load says why. */
static void loaded(int st, const struct sd_err *err)
{
	FUZZ_CHECK(st == 0 || (err->msg[0] && err->code));
}

static int fuzz_other(const char *path, uint8_t sel, const struct master_io *io,
                      struct sd_err *err)
{
	static const char card[] = "carrier,mode,dest_city,vehicle_type,capacity_kg,capacity_m3,"
		"trip_charge,rate_per_kg,min_charge,kg_per_m3\n"
		"A,FTL,*,9.6m,15000,55,900.00,,,\nA,LTL,*,,,,,0.80,50.00,250\n";
	struct sbuf key = SBUF_INIT;
	struct strmap map;

	strmap_init(&map);
	switch ((sel >> 2) & 7) {
	case 0:
		loaded(accessorials_load(&map, path, io, err), err);
		break;
	case 1:
		loaded(shipment_ids_load(&map, (char *const *)&path, 1, io, err), err);
		break;
	case 2:
		loaded(claims_load(&map, (char *const *)&path, 1, io, err), err);
		break;
	case 3: {
		struct earlier e;
		earlier_init(&e);
		loaded(earlier_load(&e, path, 20000, io, err), err);
		(void)earlier_find(&e, "SO1", 3, "1", 1, &key);
		(void)earlier_order(&e, "SO1", 3);
		earlier_free(&e);
		break;
	}
	case 4: {
		struct cancels c;
		cancels_init(&c);
		loaded(cancels_load(&c, (char *const *)&path, 1, io, err), err);
		(void)cancel_reason(&c, "SO1", 3, "1", 1, &key);
		cancels_free(&c);
		break;
	}
	case 5: {
		struct categories c;
		if (categories_load(&c, path, io, err) == 0) {
			(void)category_find(&c, "破损", strlen("破损"));
			categories_free(&c);
		} else {
			loaded(-1, err);
		}
		break;
	}
	case 6: {
		struct workcal cal;
		if (calendar_load(&cal, path, io, err) == 0) {
			(void)workday_add(&cal, 20000, 3);
			calendar_free(&cal);
		} else {
			loaded(-1, err);
		}
		break;
	}
	default: {
		struct rates r;
		struct plan p;
		char *paths[2];
		struct sd_err rerr;
		FUZZ_CHECK(rates_load(&r, fuzz_file(1, card, sizeof card - 1), io, &rerr) == 0);
		paths[0] = paths[1] = (char *)path;     /* one file twice: a second plan */
		loaded(plan_load(&p, paths, 1 + ((sel >> 6) & 1), &r, "rates.csv", 1, err), err);
		plan_free(&p);
		rates_free(&r);
		break;
	}
	}
	strmap_free(&map);
	sbuf_release(&key);
	return 0;
}

static int fuzz_master(const uint8_t *data, size_t size)
{
	struct master_io io = { ',', NULL, NULL };
	struct sd_err err;
	const char *path;

	if (size < 1)
		return 0;
	path = fuzz_file(0, data + 1, size - 1);
	err.msg[0] = '\0';
	if (data[0] & 0x80)
		return fuzz_other(path, data[0], &io, &err);
	switch (data[0] & 3) {
	case 0: {
		struct customers c;
		memset(&c, 0, sizeof c);
		if (customers_load(&c, path, &io, &err) == 0) {
			(void)customer_find(&c, "C1", 2);
			customers_free(&c);
		} else {
			FUZZ_CHECK(err.msg[0] && err.code);
		}
		break;
	}
	case 1: {
		struct products p;
		memset(&p, 0, sizeof p);
		if (products_load(&p, path, &io, &err) == 0) {
			(void)product_find(&p, "P1", 2);
			products_free(&p);
		} else {
			FUZZ_CHECK(err.msg[0] && err.code);
		}
		break;
	}
	case 2: {
		struct balances b;
		memset(&b, 0, sizeof b);
		if (balances_load(&b, path, &io, &err) == 0) {
			(void)balance_of(&b, "C1", 2);
			balances_free(&b);
		} else {
			FUZZ_CHECK(err.msg[0] && err.code);
		}
		break;
	}
	default: {
		struct rates r;
		memset(&r, 0, sizeof r);
		if (rates_load(&r, path, &io, &err) == 0) {
			const struct lane **out = calloc(r.n + 1, sizeof *out);
			size_t i, k;
			FUZZ_CHECK(out != NULL);
			k = rates_for_city(&r, "上海", out);
			FUZZ_CHECK(k <= r.n);
			for (i = 0; i < k; i++)
				(void)(out[i]->mode == MODE_FTL ? ftl_cost(out[i]) :
				       ltl_cost(out[i], 123456, 7890));
			free(out);
			rates_free(&r);
		} else {
			FUZZ_CHECK(err.msg[0] && err.code);
		}
		break;
	}
	}
	return 0;
}

FUZZ_ENTRY(fuzz_master)

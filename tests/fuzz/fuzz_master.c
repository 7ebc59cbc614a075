/* The master-file loaders: the first byte chooses customers, products, balances or
 * rates; the rest is the file.  A bad master is an error with a message (exit 65 in the
 * tools), never a crash or a leak; a loaded one answers lookups. */
#include "fuzz.h"
#include "master.h"

static int fuzz_master(const uint8_t *data, size_t size)
{
	struct master_io io = { ',', NULL, NULL };
	struct sd_err err;
	const char *path;

	if (size < 1)
		return 0;
	path = fuzz_file(0, data + 1, size - 1);
	err.msg[0] = '\0';
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

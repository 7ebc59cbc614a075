/* The header mapper: hdr_canon on one cell (exact-size buffer), then the input split at
 * ',' as a header row through hdrmap_build, lookup and pass-through.  Invariants: the
 * canonical name is idempotent (canon(canon(x)) == canon(x)); a looked-up column has
 * that name; pass-through never lists an output column and stays in input order. */
#include "fuzz.h"
#include "header.h"

static int fuzz_header(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"order_no", "order_date", "customer_id", "sku", "qty", "line_no", "unit_price",
		"remark"
	};
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, cells = SBUF_INIT;
	struct csv_field f[64];
	struct csv_record rec = { f, 0, 1, 0 };
	struct hdrmap m;
	size_t i, start, idx[64], np, off[64];
	int cols[8];
	char *s = fuzz_copy(data, size);

	FUZZ_CHECK(hdr_canon(s, size, &a) == 0);
	FUZZ_CHECK(hdr_canon(a.buf, a.len, &b) == 0);
	FUZZ_CHECK(a.len == b.len && !memcmp(a.buf, b.buf, a.len));
	free(s);

	/* cells NUL-terminated, as the reader hands them out */
	for (i = start = 0; i <= size && rec.nf < 64; i++) {
		if (i < size && data[i] != ',')
			continue;
		off[rec.nf] = cells.len;
		f[rec.nf].n = i - start;
		FUZZ_CHECK(sbuf_add(&cells, data + start, i - start) == 0);
		FUZZ_CHECK(sbuf_addch(&cells, '\0') == 0);
		rec.nf++;
		start = i + 1;
	}
	for (i = 0; i < rec.nf; i++)
		f[i].s = cells.buf + off[i];
	FUZZ_CHECK(hdrmap_build(&m, &rec) == 0);
	FUZZ_CHECK(m.n == rec.nf);
	(void)hdrmap_lookup(&m, names, cols, 8, 5);
	for (i = 0; i < 8; i++)
		if (cols[i] >= 0)
			FUZZ_CHECK(!strcmp(hdrmap_name(&m, (size_t)cols[i]), names[i]));
	np = hdrmap_passthrough(&m, names, 8, idx);
	FUZZ_CHECK(np <= m.n);
	for (i = 0; i < np; i++) {
		size_t k;
		FUZZ_CHECK(idx[i] < m.n && (i == 0 || idx[i] > idx[i - 1]));
		for (k = 0; k < 8; k++)
			FUZZ_CHECK(strcmp(hdrmap_name(&m, idx[i]), names[k]) != 0);
	}
	FUZZ_CHECK(hdrmap_same(&m, &m));
	hdrmap_free(&m);
	sbuf_release(&a);
	sbuf_release(&b);
	sbuf_release(&cells);
	return 0;
}

FUZZ_ENTRY(fuzz_header)

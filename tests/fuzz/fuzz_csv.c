/* The CSV reader through every encoding path: the first byte chooses the encoding
 * (auto, UTF-8, GB18030, GBK, UTF-16, UTF-16LE, UTF-16BE, UTF-32) and the delimiter; the
 * rest is the file.  Invariants: every record has a field, starts on a later line than
 * the one before and no later than the input's newlines allow; every field is
 * NUL-terminated; a record not marked bad_encoding is valid UTF-8; an error names a line
 * or an errno. */
#include "fuzz.h"
#include "csvread.h"

static int fuzz_csv(const uint8_t *data, size_t size)
{
	static const char *const encs[] = {
		"auto", "UTF-8", "GB18030", "GBK", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32"
	};
	static const char delims[] = { ',', ';', '|', '\t' };
	struct csv_reader r;
	struct csv_record rec;
	long last = 0, maxline = 1;
	size_t i, k;
	int st;

	if (size < 1)
		return 0;
	for (i = 1; i < size; i++)
		maxline += data[i] == '\n' || data[i] == '\r';
	FUZZ_CHECK(csvr_open(&r, fuzz_file(0, data + 1, size - 1), delims[(data[0] >> 3) & 3],
	                     encs[data[0] & 7]) == 0);
	while ((st = csvr_next(&r, &rec)) > 0) {
		FUZZ_CHECK(rec.nf >= 1);
		FUZZ_CHECK(rec.line > last && rec.line <= maxline);
		last = rec.line;
		for (k = 0; k < rec.nf; k++) {
			FUZZ_CHECK(rec.f[k].s[rec.f[k].n] == '\0');
			if (!rec.bad_encoding)
				FUZZ_CHECK(utf8_valid(rec.f[k].s, rec.f[k].n));
		}
	}
	if (st < 0)
		FUZZ_CHECK(r.err_errno || (r.err_msg[0] && r.err_line >= 1 && r.err_line > last - 1 &&
		                           r.err_line <= maxline));
	csvr_close(&r);
	return 0;
}

FUZZ_ENTRY(fuzz_csv)

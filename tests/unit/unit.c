/* Table-driven unit tests of the core (STYLE §12).  Each line of a table file is
 *   KIND <TAB> INPUT <TAB> EXPECTED   [# comment]
 * with \t, \n, \r, \xHH escapes in INPUT and EXPECTED, and <empty> for "".
 * EXPECTED is the canonical output, or "bad" / "overflow".  Prints "ok"/"FAIL" per line
 * and exits non-zero on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "bucket.h"
#include "csvread.h"
#include "csvwrite.h"
#include "date.h"
#include "header.h"
#include "master.h"
#include "num.h"
#include "sbuf.h"
#include "sderr.h"

static int failed, passed;

static size_t unescape(const char *s, char *out)
{
	size_t k = 0;

	if (!strcmp(s, "<empty>"))
		return 0;
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			out[k++] = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 't': out[k++] = '\t'; break;
		case 'n': out[k++] = '\n'; break;
		case 'r': out[k++] = '\r'; break;
		case '\\': out[k++] = '\\'; break;
		case 'x': {
			char h[3] = { s[1], s[2], 0 };
			out[k++] = (char)strtol(h, NULL, 16);
			s += 2;
			break;
		}
		default: out[k++] = '\\'; out[k++] = *s; break;
		}
	}
	out[k] = '\0';
	return k;
}

static const char *status_word(int st)
{
	return st == NUM_BAD ? "bad" : st == NUM_OVERFLOW ? "overflow" : "?";
}

/* Runs one case into got. */
static void run(const char *kind, const char *in, size_t n, char *got)
{
	int64_t v, w;
	int32_t d;
	int st = -1;

	if (!strcmp(kind, "money2") || !strcmp(kind, "money4")) {
		int sc = kind[5] - '0';
		st = parse_money(in, n, sc, &v);
		if (st == NUM_OK)
			sc == 2 ? fmt_fixed(got, v, 2) : fmt_trim(got, v, 4, 2);
	} else if (!strcmp(kind, "weight")) {
		if ((st = parse_plain(in, n, SCALE_WEIGHT, &v)) == NUM_OK)
			fmt_fixed(got, v, SCALE_WEIGHT);
	} else if (!strcmp(kind, "volume")) {
		if ((st = parse_plain(in, n, SCALE_VOLUME, &v)) == NUM_OK)
			fmt_fixed(got, v, SCALE_VOLUME);
	} else if (!strcmp(kind, "qty")) {
		if ((st = parse_qty(in, n, &v)) == NUM_OK)
			fmt_int(got, v);
	} else if (!strcmp(kind, "smallline")) {
		/* a line_no kept as a bit of its order (1-64), else "bad": kept by its text */
		int l = small_line_no(in, n);
		st = l ? NUM_OK : NUM_BAD;
		if (l)
			fmt_int(got, l);
	} else if (!strcmp(kind, "pct")) {
		if ((st = parse_pct(in, n, &v)) == NUM_OK)
			fmt_pct(got, v);
	} else if (!strcmp(kind, "amount_of")) {
		/* "QTY x PRICE4" -> amount rounded to cents */
		const char *x = strchr(in, 'x');
		if (x && parse_qty(in, (size_t)(x - in), &v) == NUM_OK &&
		    parse_money(x + 1, strlen(x + 1), 4, &w) == NUM_OK &&
		    (st = mul_round(v, w, 2, &v)) == NUM_OK)
			fmt_fixed(got, v, 2);
		else if (st < 0)
			st = NUM_BAD;
	} else if (!strcmp(kind, "round2")) {
		/* a value at scale 3 rounded half away from zero to cents */
		if ((st = parse_money(in, n, 3, &v)) == NUM_OK && (st = rescale(v, 3, 2, &v)) == NUM_OK)
			fmt_fixed(got, v, 2);
	} else if (!strcmp(kind, "date")) {
		st = parse_date(in, n, &d) == 0 ? NUM_OK : NUM_BAD;
		if (st == NUM_OK)
			fmt_date(got, d);
	} else if (!strcmp(kind, "isoweek")) {
		int y, wk;
		st = parse_date(in, n, &d) == 0 ? NUM_OK : NUM_BAD;
		if (st == NUM_OK) {
			iso_week(d, &y, &wk);
			sprintf(got, "%04d-W%02d", y, wk);
		}
	} else if (!strcmp(kind, "uintlist")) {
		/* a list of 0-365, at most 4: "2,5" -> "2 5" */
		int lv[4], k, j = 0;
		st = (k = parse_uint_list(in, 0, 365, lv, 4)) < 0 ? NUM_BAD : NUM_OK;
		got[0] = '\0';
		for (int i = 0; i < k; i++)
			j += sprintf(got + j, "%s%d", i ? " " : "", lv[i]);
	} else if (!strcmp(kind, "workday") || !strcmp(kind, "workdays")) {
		/* workday: DATE N -> the N-th working day after DATE; workdays: A B -> the
		 * working days in (A, B]; over 国庆 2026 with its 调休 days (complaints(1)) */
		static int32_t day[12];
		static unsigned char work[12] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
		static const char *const listed[12] = {
			"2026-09-20", "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01",
			"2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
			"2026-10-07", "2026-10-10"
		};
		struct workcal cal = { day, work, 12 };
		char a[2][64];
		int32_t b;
		long cnt;
		size_t i;
		for (i = 0; i < 12; i++)
			if (parse_date(listed[i], 10, &day[i]) < 0)
				abort();
		st = NUM_BAD;
		if (sscanf(in, "%63s %63s", a[0], a[1]) == 2 &&
		    parse_date(a[0], strlen(a[0]), &d) == 0) {
			if (kind[7] == 's' && parse_date(a[1], strlen(a[1]), &b) == 0) {
				st = NUM_OK;
				sprintf(got, "%ld", (long)workdays_between(&cal, d, b));
			} else if (kind[7] != 's' && (cnt = strtol(a[1], NULL, 10)) >= 0) {
				st = NUM_OK;
				fmt_date(got, workday_add(&cal, d, (int)cnt));
			}
		}
	} else if (!strcmp(kind, "ftl") || !strcmp(kind, "ltl")) {
		/* ftl: TRIP FUEL%;  ltl: RATE MIN KG_PER_M3 FUEL% KG M3 -> cost in cents */
		struct lane l;
		char a[6][64];
		int k = sscanf(in, "%63s %63s %63s %63s %63s %63s", a[0], a[1], a[2], a[3], a[4], a[5]);
		int64_t kg = 0, m3 = 0, c;
		memset(&l, 0, sizeof l);
		st = NUM_BAD;
		if (kind[0] == 'f' && k == 2 &&
		    parse_money(a[0], strlen(a[0]), 4, &l.trip_charge) == NUM_OK &&
		    parse_pct(a[1], strlen(a[1]), &l.fuel_pct) == NUM_OK)
			st = NUM_OK;
		if (kind[0] == 'l' && k == 6 &&
		    parse_money(a[0], strlen(a[0]), 4, &l.rate_per_kg) == NUM_OK &&
		    parse_money(a[1], strlen(a[1]), 4, &l.min_charge) == NUM_OK &&
		    parse_plain(a[2], strlen(a[2]), 4, &l.kg_per_m3) == NUM_OK &&
		    parse_pct(a[3], strlen(a[3]), &l.fuel_pct) == NUM_OK &&
		    parse_plain(a[4], strlen(a[4]), 3, &kg) == NUM_OK &&
		    parse_plain(a[5], strlen(a[5]), 4, &m3) == NUM_OK)
			st = NUM_OK;
		if (st == NUM_OK) {
			c = kind[0] == 'f' ? ftl_cost(&l) : ltl_cost(&l, kg, m3);
			if (c < 0)
				st = NUM_OVERFLOW;
			else
				fmt_fixed(got, c, 2);
		}
	} else if (!strcmp(kind, "meant")) {
		/* NAME CANON -> 1 when the header cell NAME looks meant for CANON */
		struct sbuf sb = SBUF_INIT;
		char a[2][64];
		if (sscanf(in, "%63s %63s", a[0], a[1]) == 2 &&
		    hdr_canon(a[0], strlen(a[0]), &sb) == 0) {
			sprintf(got, "%d", hdr_meant(sb.buf, a[1]));
			st = NUM_OK;
		}
		sbuf_release(&sb);
	} else if (!strcmp(kind, "header")) {
		struct sbuf sb = SBUF_INIT;
		st = hdr_canon(in, n, &sb) < 0 ? NUM_OVERFLOW : NUM_OK;
		strcpy(got, sb.buf);
		sbuf_release(&sb);
	} else if (!strcmp(kind, "column")) {
		/* salesdesk(7) COLUMNS: "KIND[+] CAPTION[ codes]", + when it adds up */
		static const char *const kinds[] = {
			"plain", "code", "number", "money", "pct", "weight", "volume"
		};
		const struct hdr_sem *h = hdr_sem(in);
		st = NUM_OK;
		snprintf(got, 256, "%s%s %s%s", kinds[h->kind], h->additive ? "+" : "",
		         h->zh ? h->zh : "-", h->coded ? " codes" : "");
	} else if (!strcmp(kind, "bucketlabel")) {
		/* 1 when the name is an ageing bucket's label under any --buckets */
		st = NUM_OK;
		sprintf(got, "%d", bucket_is_label(in));
	} else if (!strcmp(kind, "quote")) {
		/* a value as messages quote it: escaped, cut after 247 bytes, never inside a
		 * UTF-8 character (salesdesk(7): a message is one readable line) */
		st = NUM_OK;
		strcpy(got, diag_quote(in, n));
	} else if (!strcmp(kind, "zhvalue")) {
		const char *zh = hdr_zh_value(in, n);
		st = NUM_OK;
		strcpy(got, zh ? zh : "-");
	} else {
		sprintf(got, "unknown kind %s", kind);
		return;
	}
	if (st != NUM_OK)
		strcpy(got, status_word(st));
}

/* A CSV case: INPUT is the file's bytes, EXPECTED the records as
 * LINE:[f1|f2|...] joined by spaces, "!enc" after a bad_encoding record, or
 * "error@LINE" when the reader must fail. */
static void run_csv(const char *enc, const char *in, size_t n, char *got)
{
	char path[] = "/tmp/salesdesk-unit-XXXXXX";
	int fd = mkstemp(path);
	struct csv_reader r;
	struct csv_record rec;
	size_t i, k = 0;
	int st;

	if (fd < 0 || write(fd, in, n) != (ssize_t)n) {
		strcpy(got, "cannot write temp file");
		return;
	}
	close(fd);
	got[0] = '\0';
	if (csvr_open(&r, path, ',', enc) < 0) {
		strcpy(got, "open failed");
		unlink(path);
		return;
	}
	while ((st = csvr_next(&r, &rec)) > 0) {
		k += (size_t)sprintf(got + k, "%s%ld:[", k ? " " : "", rec.line);
		for (i = 0; i < rec.nf; i++) {
			memcpy(got + k, rec.f[i].s, rec.f[i].n);
			k += rec.f[i].n;
			if (i + 1 < rec.nf)
				got[k++] = '|';
		}
		got[k++] = ']';
		for (i = 0; i < rec.nf; i++)
			if (rec.f[i].s[rec.f[i].n] != '\0')    /* csvread.h: fields are C strings */
				break;
		if (i < rec.nf)
			k += (size_t)sprintf(got + k, "!unterminated");
		if (rec.bad_encoding)
			k += (size_t)sprintf(got + k, "!enc");
		got[k] = '\0';
	}
	if (st < 0)
		sprintf(got + k, "%serror@%ld", k ? " " : "", r.err_line);
	csvr_close(&r);
	unlink(path);
}

/* KIND wfield:D, wplain:D or wencode:D: the fields of IN (split at \x1e) written as one
 * row with delimiter D by csvw_field, csvw_plain, or csvw_encode + csvw_encoded; GOT is
 * the bytes written.  wfieldx:D and the like write through csvw_excel. */
static void run_write(const char *kind, const char *in, size_t n, char *got)
{
	char path[] = "/tmp/salesdesk-unit-XXXXXX";
	struct csv_writer w;
	struct sbuf block = SBUF_INIT;
	const char *p = in, *end = in + n;
	int fd = mkstemp(path), first = 1, bad = 0;
	ssize_t k;

	strcpy(got, "(setup bad)");
	if (fd < 0)
		return;
	close(fd);
	if (csvw_open(&w, path, kind[strlen(kind) - 1]) < 0) {
		unlink(path);
		return;
	}
	if (strstr(kind, "x:"))
		csvw_excel(&w);
	for (;;) {
		const char *q = memchr(p, '\x1e', (size_t)(end - p));
		size_t len = q ? (size_t)(q - p) : (size_t)(end - p);
		if (!strncmp(kind, "wfield", 6)) {
			csvw_field(&w, p, len);
		} else if (!strncmp(kind, "wplain", 6)) {
			csvw_plain(&w, p, len);
		} else {
			if ((!first && sbuf_addch(&block, w.delim) < 0) ||
			    csvw_encode(&w, &block, p, len) < 0)
				bad = 1;
		}
		first = 0;
		if (!q)
			break;
		p = q + 1;
	}
	if (!strncmp(kind, "wencode", 7))
		csvw_encoded(&w, block.buf, block.len);
	csvw_endrow(&w);
	bad |= csvw_close(&w);
	bad |= outfile_commit(&w.of) != 0;      /* the bytes went to a temporary beside path */
	sbuf_release(&block);
	fd = bad ? -1 : open(path, O_RDONLY);
	k = fd < 0 ? -1 : read(fd, got, 8000);
	got[k < 0 ? 0 : k] = '\0';
	if (fd >= 0)
		close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	int a;

	for (a = 1; a < argc; a++) {
		FILE *fp = fopen(argv[a], "r");
		char line[8192];
		long ln = 0;

		if (!fp) {
			perror(argv[a]);
			return 2;
		}
		while (fgets(line, sizeof line, fp)) {
			char *kind, *in, *exp, *hash, got[8192], inb[4096], expb[4096];
			size_t n;

			ln++;
			line[strcspn(line, "\n")] = '\0';
			if (!line[0] || line[0] == '#')
				continue;
			if ((hash = strstr(line, "\t#")))
				*hash = '\0';
			kind = strtok(line, "\t");
			in = strtok(NULL, "\t");
			exp = strtok(NULL, "\t");
			if (!kind || !in || !exp) {
				printf("FAIL %s:%ld: malformed test line\n", argv[a], ln);
				failed++;
				continue;
			}
			n = unescape(in, inb);
			unescape(exp, expb);
			if (kind[0] == 'w' && strchr(kind, ':'))
				run_write(kind, inb, n, got);
			else if (!strncmp(kind, "csv", 3))
				run_csv(kind[3] == ':' ? kind + 4 : NULL, inb, n, got);
			else
				run(kind, inb, n, got);
			if (strcmp(got, expb)) {
				printf("FAIL unit %s:%ld: %s %s: got '%s', want '%s'\n", argv[a], ln, kind,
				       in, got, expb);
				failed++;
			} else {
				printf("ok unit %s:%ld\n", argv[a], ln);
				passed++;
			}
		}
		fclose(fp);
	}
	return failed ? 1 : 0;
}

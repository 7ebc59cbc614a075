/* csvdump — the core CSV reader's view of a file, for the conformance and fault tests.
 *
 *   csvdump [-l] [-d C] [-E NAME] FILE
 *
 * Prints each record as a JSON array of strings, one per line (with -l prefixed by
 * "LINE " — the physical line where the record starts — and followed by " !enc" when
 * the record is bad_encoding).  A byte that is not part of valid UTF-8 is written as
 * \u00XX so the line stays valid JSON.  A malformed file ends with the line
 * "error LINE: message" and exit 65; a file that cannot be opened or read exits 66/74. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "csvread.h"

static void put_json(FILE *fp, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	putc('"', fp);
	while (i < n) {
		unsigned c = u[i];
		if (c == '"' || c == '\\') {
			fprintf(fp, "\\%c", c);
		} else if (c < 0x20) {
			fprintf(fp, "\\u%04x", c);
		} else if (c < 0x80) {
			putc((int)c, fp);
		} else {
			/* a valid sequence goes out as is, anything else byte by byte */
			for (k = 1; k < 4 && i + k < n && (u[i + k] & 0xC0) == 0x80; k++)
				;
			while (k > 1 && !utf8_valid(s + i, k))
				k--;
			if (k > 1 || utf8_valid(s + i, 1)) {
				fwrite(s + i, 1, k, fp);
				i += k;
				continue;
			}
			fprintf(fp, "\\u%04x", c);
		}
		i++;
	}
	putc('"', fp);
}

int main(int argc, char **argv)
{
	struct csv_reader r;
	struct csv_record rec;
	const char *enc = NULL;
	int delim = ',', lines = 0, c, st;
	size_t i;

	while ((c = getopt(argc, argv, "d:E:l")) != -1) {
		switch (c) {
		case 'd': delim = optarg[0] == '\\' && optarg[1] == 't' ? '\t' : optarg[0]; break;
		case 'E': enc = optarg; break;
		case 'l': lines = 1; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	if (csvr_open(&r, argv[optind], delim, enc) < 0) {
		fprintf(stderr, "csvdump: cannot open %s: %s\n", argv[optind], strerror(errno));
		return EX_NOINPUT;
	}
	while ((st = csvr_next(&r, &rec)) > 0) {
		if (lines)
			printf("%ld ", rec.line);
		putchar('[');
		for (i = 0; i < rec.nf; i++) {
			if (i)
				putchar(',');
			put_json(stdout, rec.f[i].s, rec.f[i].n);
		}
		putchar(']');
		if (lines && rec.bad_encoding)
			printf(" !enc");
		putchar('\n');
	}
	if (st < 0) {
		if (r.err_errno)
			printf("error: read: %s\n", strerror(r.err_errno));
		else
			printf("error %ld: %s\n", r.err_line, r.err_msg);
	}
	csvr_close(&r);
	if (fflush(stdout) || ferror(stdout))
		return EX_IOERR;
	return st < 0 ? (r.err_errno ? EX_IOERR : EX_DATAERR) : 0;
usage:
	fprintf(stderr, "usage: csvdump [-l] [-d C] [-E NAME] FILE\n");
	return EX_USAGE;
}

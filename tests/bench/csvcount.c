/* csvcount — the raw libcsv floor for the benchmark: parse FILE (or standard input) with
 * csv_parse, set up exactly as the core reader sets it up (CSV_STRICT | CSV_STRICT_FINI |
 * CSV_REPALL_NL | CSV_APPEND_NULL, no trimming, 64 KiB reads), and print the number of
 * records (non-empty, header included) and fields.  Nothing is copied or checked: this is
 * what any filter built on libcsv pays before it does its own work.
 *
 *   cc -O2 -o csvcount tests/bench/csvcount.c -lcsv
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
	unsigned long long fields, records, cur;
};

static int keep_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *s, size_t n, void *ctx)
{
	struct counts *c = ctx;

	(void)s;
	(void)n;
	c->fields++;
	c->cur++;
}

static void on_record(int ch, void *ctx)
{
	struct counts *c = ctx;

	(void)ch;
	if (c->cur)             /* CSV_REPALL_NL: a bare newline is a 0-field record */
		c->records++;
	c->cur = 0;
}

int main(int argc, char *argv[])
{
	static char buf[64 * 1024];
	struct csv_parser p;
	struct counts c = { 0, 0, 0 };
	ssize_t k;
	int fd = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: csvcount [FILE]\n");
		return 64;
	}
	if (argc == 2 && strcmp(argv[1], "-") && (fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 66;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
		return 70;
	csv_set_space_func(&p, keep_space);
	while ((k = read(fd, buf, sizeof buf)) > 0) {
		if (csv_parse(&p, buf, (size_t)k, on_field, on_record, &c) != (size_t)k) {
			fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&p)));
			return 65;
		}
	}
	if (k < 0) {
		perror("read");
		return 74;
	}
	if (csv_fini(&p, on_field, on_record, &c) != 0) {
		fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&p)));
		return 65;
	}
	csv_free(&p);
	printf("%llu records, %llu fields\n", c.records, c.fields);
	return 0;
}

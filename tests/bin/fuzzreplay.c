/* fuzzreplay — the fuzz targets of tests/fuzz/ without libFuzzer, built with the plain
 * compiler by the Makefile, so that `make test` (and `make test-asan`) replays the saved
 * corpus and the crash regressions on any machine.
 *
 *   fuzzreplay [-v] TARGET PATH...      TARGET: csv num header master order-intake
 *
 * Each PATH is a file or a directory of files, each one input.  A broken invariant
 * aborts with its message (and -v names each input first); otherwise prints
 * "TARGET: N inputs" and exits 0. */
#define FUZZ_NO_ENTRY
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "../fuzz/fuzz_csv.c"
#include "../fuzz/fuzz_header.c"
#include "../fuzz/fuzz_master.c"
#include "../fuzz/fuzz_num.c"
#include "../fuzz/fuzz_order_intake.c"

static const struct {
	const char *name;
	int (*run)(const uint8_t *, size_t);
} targets[] = {
	{ "csv", fuzz_csv }, { "header", fuzz_header }, { "master", fuzz_master },
	{ "num", fuzz_num }, { "order-intake", fuzz_order_intake },
};

static int verbose;
static long inputs;

static int replay_file(int (*run)(const uint8_t *, size_t), const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	size_t n;

	if (!fp) {
		fprintf(stderr, "fuzzreplay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		FUZZ_CHECK(sbuf_add(&sb, buf, n) == 0);
	fclose(fp);
	if (verbose)
		fprintf(stderr, "fuzzreplay: %s\n", path);
	run((const uint8_t *)sb.buf, sb.len);
	sbuf_release(&sb);
	inputs++;
	return 0;
}

static int replay(int (*run)(const uint8_t *, size_t), const char *path)
{
	struct stat st;
	struct dirent **names;
	int n, i, rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzzreplay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(run, path);
	if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
		fprintf(stderr, "fuzzreplay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];
		if (names[i]->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name);
			if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) && replay_file(run, sub) < 0)
				rc = -1;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t t;
	int a = 1, rc = 0;

	if (a < argc && !strcmp(argv[a], "-v")) {
		verbose = 1;
		a++;
	}
	if (a >= argc)
		goto usage;
	for (t = 0; t < sizeof targets / sizeof targets[0]; t++)
		if (!strcmp(argv[a], targets[t].name))
			break;
	if (t == sizeof targets / sizeof targets[0])
		goto usage;
	for (a++; a < argc; a++)
		if (replay(targets[t].run, argv[a]) < 0)
			rc = 66;
	printf("%s: %ld inputs\n", targets[t].name, inputs);
	return rc;
usage:
	fprintf(stderr, "usage: fuzzreplay [-v] csv|num|header|master|order-intake PATH...\n");
	return 64;
}

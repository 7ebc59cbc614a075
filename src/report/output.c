/* report's workbook file (report(1)): built in a temporary beside its target and
 * renamed into place when complete (salesdesk(7), Inputs and outputs), or copied out to
 * standard output or a device; with --split-by into a folder, one workbook per value. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

char *target;
struct outfile wbfile;
int copy_out = -1;
char *tmpdir;

/* Where the workbook is built: beside the target, so that rename() is atomic
 * (tool_outfile_open); for standard output or a device (-o /dev/stdout) in $TMPDIR,
 * copied out at the end.  libxlsxwriter writes it by name. */
void open_output(void)
{
	size_t n;
	char *slash;
	int fd;

	if (!strcmp(target, "-")) {
		if (isatty(STDOUT_FILENO)) {
			diag_warn("-o -: standard output is a terminal (redirect it to a file)");
			tool_usage(&tool, EX_USAGE);
		}
		copy_out = STDOUT_FILENO;
	} else if (outfile_in_place(target)) {
		if ((copy_out = open(target, O_WRONLY | O_TRUNC)) < 0)
			diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(target),
			           strerror(errno));
	}
	if (copy_out >= 0) {
		const char *t = getenv("TMPDIR");
		tmpdir = xstrdup(t && *t ? t : "/tmp");
	} else {
		tmpdir = xstrdup(target);
		slash = strrchr(tmpdir, '/');
		if (!slash)
			strcpy(tmpdir, ".");
		else if (slash == tmpdir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (copy_out < 0) {
		if ((fd = tool_outfile_open(&wbfile, target)) < 0 && errno == ENOMEM)
			diag_fatal(EX_OSERR, "out of memory");
		if (fd < 0)
			diag_fatal(EX_CANTCREAT, "cannot create %s: %s", diag_qstr(target),
			           strerror(errno));
		close(fd);
		return;
	}
	n = strlen(tmpdir) + 32;
	wbfile.tmp = tool_realloc(NULL, n);
	snprintf(wbfile.tmp, n, "%s/.report-XXXXXX.xlsx", tmpdir);
	if ((fd = mkstemps(wbfile.tmp, 5)) < 0)
		diag_fatal(EX_CANTCREAT, "cannot create a temporary file in %s: %s",
		           diag_qstr(tmpdir), strerror(errno));
	close(fd);
	tool_outfile_track(&wbfile);    /* never committed: copied, then discarded */
}

static int copy_to(int out)
{
	char buf[1 << 16];
	int in = open(wbfile.tmp, O_RDONLY);
	ssize_t got;

	if (in < 0)
		return -1;
	while ((got = read(in, buf, sizeof buf)) > 0) {
		char *p = buf;
		while (got > 0) {
			ssize_t put = write(out, p, (size_t)got);
			if (put < 0) {
				int e = errno;
				close(in);
				errno = e;
				return -1;
			}
			p += put;
			got -= put;
		}
	}
	close(in);
	return got < 0 ? -1 : 0;
}

/* The finished workbook goes into place; returns the exit status. */
int commit(void)
{
	const char *name = copy_out == STDOUT_FILENO ? "standard output" : target;

	if (copy_out >= 0) {
		int st = copy_to(copy_out), e;
		if (st == 0 && copy_out != STDOUT_FILENO && close(copy_out) < 0)
			st = -1;
		e = errno;
		tool_outfile_discard(&wbfile);
		if (st < 0 && e == EPIPE)
			return 0;       /* the reader went away: quiet, as head users expect */
		if (st < 0) {
			diag_warn("cannot write %s: %s", diag_qstr(name), strerror(e));
			return EX_IOERR;
		}
		return 0;
	} else {
		if (tool_outfile_commit(&wbfile) < 0) {
			diag_warn("cannot create %s: %s", diag_qstr(target), strerror(errno));
			return EX_CANTCREAT;
		}
		return 0;
	}
}

static void set_properties(void)
{
	lxw_doc_properties props = { 0 };

	props.created = created;
	props.title = (char *)opt.title;
	props.author = (char *)opt.author;
	props.company = (char *)opt.company;
	check(workbook_set_properties(wb, &props), "properties");
}

/* A workbook built in PATH (a temporary), with its properties and shared formats. */
void start_workbook(const char *path)
{
	lxw_workbook_options wo = { .constant_memory = 1, .use_zip64 = 0 };

	wo.tmpdir = tmpdir;
	wb_number++;
	if (!(wb = workbook_new_opt(path, &wo)))
		diag_fatal(EX_CANTCREAT, "cannot create %s", diag_qstr(target));
	set_properties();
	f_bold = new_format(NULL, 0, 1);
	f_title = tool_must_ptr(workbook_add_format(wb));       /* not shared: new_format's are */
	format_set_bold(f_title);
	format_set_font_size(f_title, 14);
}

void close_workbook(const char *name)
{
	lxw_error e = workbook_close(wb);

	wb = NULL;
	if (e != LXW_NO_ERROR)
		diag_fatal(e == LXW_ERROR_CREATING_XLSX_FILE ? EX_CANTCREAT : EX_IOERR,
		           "cannot write %s: %s", diag_qstr(name), lxw_strerror(e));
}

/* --split-by into a folder (report(1)): one workbook per value, FOLDER/SHEET.xlsx after
 * its sheet's name, each built beside its target and renamed into place before the next
 * begins: one workbook open at a time, whatever the number of values.  Returns the exit
 * status. */
int write_books(void)
{
	/* the path lives past a fatal exit (still reachable: no leak report under ASan) */
	static struct sbuf path = SBUF_INIT;
	struct input *ip = &inputs[0];
	struct outfile of;
	size_t p;
	int fd;

	for (p = 0; p < ip->nparts; p++) {
		sbuf_reset(&path);
		tool_must(sbuf_addstr(&path, target));
		tool_must(sbuf_addstr(&path, ip->names[p][0] == '.' ? "/_" : "/"));
		tool_must(sbuf_addstr(&path, ip->names[p]));
		tool_must(sbuf_addstr(&path, ".xlsx"));
		if ((fd = tool_outfile_open(&of, path.buf)) < 0)
			diag_fatal(errno == ENOMEM ? EX_OSERR : EX_CANTCREAT, "cannot create %s: %s",
			           diag_qstr(path.buf), strerror(errno));
		close(fd);
		start_workbook(of.tmp);
		write_parts(ip, p, p + 1);
		close_workbook(path.buf);
		if (tool_outfile_commit(&of) < 0) {
			diag_warn("cannot create %s: %s", diag_qstr(path.buf), strerror(errno));
			return EX_CANTCREAT;
		}
	}
	return 0;
}

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = sd_realloc(NULL, n);

	return d ? memcpy(d, s, n) : NULL;
}

static void release(struct outfile *of)
{
	sd_free(of->tmp);
	sd_free(of->target);
	of->tmp = of->target = NULL;
}

/* "DIR/.BASE.XXXXXX" for TARGET: in its folder, so that rename() is atomic, and hidden. */
static char *tmp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dlen = slash ? (size_t)(slash - target) + 1 : 0, n = strlen(target) + 10;
	char *t = sd_realloc(NULL, n);

	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX", (int)dlen, target, target + dlen);
	return t;
}

/* A device or a FIFO, or a name for an open descriptor (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N) even when that is a regular file: the file the caller opened is the
 * one meant.  A folder is too, and its open fails with EISDIR, as it always did. */
int outfile_in_place(const char *path)
{
	struct stat st;

	return !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6) ||
	       (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
}

int outfile_open(struct outfile *of, const char *path)
{
	struct stat st;
	mode_t mode, mask;
	char *real;
	int fd, e, exists;

	of->tmp = of->target = NULL;
	if (outfile_in_place(path))
		return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	exists = stat(path, &st) == 0;
	/* a file the user may not write stays protected, as an open for writing would
	 * leave it, although the folder would let a rename replace it */
	if (exists && access(path, W_OK) < 0)
		return -1;
	if (exists) {
		mode = st.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	real = realpath(path, NULL);    /* through a link to the file itself */
	of->target = dup_str(real ? real : path);
	free(real);
	if (!of->target || !(of->tmp = tmp_name(of->target))) {
		release(of);
		errno = ENOMEM;
		return -1;
	}
	/* one way out for both failures: fchmod of a file just made fails only where
	 * mkstemp would too (a read-only or strange file system) */
	if ((fd = mkstemp(of->tmp)) >= 0 && fchmod(fd, mode) == 0)
		return fd;
	e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(of->tmp);
	}
	release(of);
	errno = e;
	return -1;
}

int outfile_commit(struct outfile *of)
{
	int e;

	if (!of->tmp) {
		release(of);
		return 0;
	}
	if (rename(of->tmp, of->target) < 0) {
		e = errno;
		unlink(of->tmp);
		release(of);
		errno = e;
		return -1;
	}
	release(of);
	return 0;
}

void outfile_discard(struct outfile *of)
{
	if (of->tmp)
		unlink(of->tmp);
	release(of);
}

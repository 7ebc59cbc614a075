/* An output file that replaces the earlier one only when the run succeeds (salesdesk(7),
 * "Inputs and outputs"): written to a temporary file beside its target, renamed over it
 * by outfile_commit, removed by outfile_discard.  A file that exists and is not a regular
 * file (/dev/null, /dev/full, a FIFO), and any path under /dev or /proc (/dev/stdout,
 * /dev/fd/N: an open descriptor, whatever it is), cannot be renamed over: it is written
 * in place.  A symbolic link keeps pointing where it did: the file it names is replaced. */
#ifndef SALESDESK_OUTFILE_H
#define SALESDESK_OUTFILE_H

#include "must.h"

struct outfile {
	char *tmp;              /* the temporary file; NULL when written in place or done */
	char *target;           /* what tmp becomes: the path, or the file its link names */
};

/* 1 when PATH is written in place, not through a temporary. */
int outfile_in_place(const char *path);
/* Opens PATH for writing: returns the descriptor, or -1 with errno.  The temporary is
 * "DIR/.NAME.XXXXXX", with the mode of the file it will replace, or 0666 & ~umask for a
 * new file, as an ordinary create gives. */
MUST_CHECK
int outfile_open(struct outfile *of, const char *path);
/* Renames the temporary into place (nothing for a file written in place): 0, or -1 with
 * errno, the temporary removed. */
MUST_CHECK
int outfile_commit(struct outfile *of);
/* Removes the temporary. */
void outfile_discard(struct outfile *of);
#endif

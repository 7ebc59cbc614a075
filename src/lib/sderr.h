/* An error the core found, carried up to the tool as a value (struct sd_err), and the
 * quoting of user text that goes into such messages; nothing here prints or exits. */
#ifndef SALESDESK_SDERR_H
#define SALESDESK_SDERR_H
#include <stdarg.h>
#include <stddef.h>
#include <sysexits.h>

#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* An error found by the core, ready to print: msg is "FILE:LINE: what" or "what", or
 * several such lines (the bad rows of a master file, salesdesk(7)). */
struct sd_err {
	int code;               /* sysexits code */
	size_t shown;           /* bad rows of the current file in msg (sd_bad_row) */
	char msg[32768];        /* 20 whole bad-row lines of names up to about 1 KB */
};
void sd_seterr(struct sd_err *e, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Adds one more line to e (sd_seterr when e->msg is empty); a line that does not fit is
 * cut. */
void sd_adderr(struct sd_err *e, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* The bad rows of a master file (salesdesk(7)), read on so that one run shows them all:
 * sd_bad_row counts one in *nbad and adds "NAME:LINE: what" to e (EX_DATAERR) while there
 * are at most SD_MAX_BAD and the line fits whole with room left for the closing line;
 * sd_bad_end adds "NAME: and N more bad rows" for the others and returns -1 when there
 * was any.  sd_bad_row returns -1, for "return sd_bad_row(...)". */
enum { SD_MAX_BAD = 20 };
int sd_bad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
               const char *fmt, ...) ATTR_PRINTF(5, 6);
int sd_vbad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
                const char *fmt, va_list ap) ATTR_PRINTF(5, 0);
int sd_bad_end(struct sd_err *e, size_t nbad, const char *name);

/* The length of b[0..k) without a character cut off at its end, so that a shortened
 * text stays UTF-8 (a message is one readable line, salesdesk(7)). */
size_t utf8_cut(const char *b, size_t k);
/* A quoted, escaped copy of user text for messages (control bytes escaped, long text
 * cut), in one of a few rotating static buffers: valid for the next few calls. */
const char *diag_quote(const char *s, size_t n);
const char *diag_qstr(const char *s);
/* How a path is named in messages: "<stdin>" for "-". */
const char *diag_name(const char *path);

#endif

#include "sderr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sd_seterr(struct sd_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void sd_adderr(struct sd_err *e, int code, const char *fmt, ...)
{
	size_t len = strlen(e->msg);
	va_list ap;

	e->code = code;
	if (len && len + 1 < sizeof e->msg)
		e->msg[len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(e->msg + len, sizeof e->msg - len, fmt, ap);
	va_end(ap);
}

int sd_vbad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
                const char *fmt, va_list ap)
{
	char what[1024];
	size_t room = sizeof e->msg - strlen(e->msg);
	int n;

	if (++*nbad == 1)
		e->shown = 0;
	/* once a row was left out, the rest are counted too, so the lines shown are the first */
	if (*nbad > SD_MAX_BAD || e->shown + 1 < *nbad)
		return -1;
	vsnprintf(what, sizeof what, fmt, ap);
	n = snprintf(NULL, 0, "%s:%ld: %s", name, line, what);
	/* whole, and room kept for "NAME: and N more bad rows" (a newline each) */
	if (n < 0 || (size_t)n + 1 + strlen(name) + 48 >= room)
		return -1;
	sd_adderr(e, EX_DATAERR, "%s:%ld: %s", name, line, what);
	e->shown++;
	return -1;
}

int sd_bad_row(struct sd_err *e, size_t *nbad, const char *name, long line,
               const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_vbad_row(e, nbad, name, line, fmt, ap);
	va_end(ap);
	return -1;
}

int sd_bad_end(struct sd_err *e, size_t nbad, const char *name)
{
	/* shown is set by the first bad row: with none it may not be */
	if (nbad && nbad > e->shown)
		sd_adderr(e, EX_DATAERR, "%s: and %zu more bad rows", name, nbad - e->shown);
	return nbad ? -1 : 0;
}

/* ---- user text in messages ---- */

size_t utf8_cut(const char *b, size_t k)
{
	size_t p = k;
	unsigned char c;

	while (p > 0 && ((unsigned char)b[p - 1] & 0xC0) == 0x80)
		p--;
	if (p == 0 || (c = (unsigned char)b[p - 1]) < 0xC0)
		return k;
	return k - (p - 1) < (size_t)(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2) ? p - 1 : k;
}

const char *diag_quote(const char *s, size_t n)
{
	static char ring[4][256];
	static int next;
	char *b = ring[next++ & 3];
	size_t i, k = 0;

	b[k++] = '\'';
	for (i = 0; i < n && k < sizeof ring[0] - 8; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
			k += (size_t)snprintf(b + k, 8, c == '\'' ? "\\'" : c == '\\' ? "\\\\" :
			                      c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" :
			                      "\\x%02x", c);
		} else {
			b[k++] = (char)c;
		}
	}
	if (i < n) {
		k = utf8_cut(b, k);
		memcpy(b + k, "...", 3);
		k += 3;
	}
	b[k++] = '\'';
	b[k] = '\0';
	return b;
}

const char *diag_qstr(const char *s)
{
	return diag_quote(s, strlen(s));
}

const char *diag_name(const char *path)
{
	return !path || !strcmp(path, "-") ? "<stdin>" : path;
}


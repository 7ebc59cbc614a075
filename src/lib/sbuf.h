/* sbuf: the one growable byte string (after git's strbuf).
 * Invariants: buf is never NULL after SBUF_INIT or sbuf_init; buf[len] == '\0';
 * len excludes the NUL; sbuf_reset keeps the capacity, so a buffer reused per record
 * allocates nothing in the steady state.  Allocation failure is fatal for a filter,
 * but the library does not exit: sbuf_* return -1 and leave the buffer unchanged, and
 * MUST_CHECK makes every caller look (a tool wraps the call in tool_must: exit 71). */
#ifndef SALESDESK_SBUF_H
#define SALESDESK_SBUF_H
#include <stddef.h>

#include "must.h"

struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb);
MUST_CHECK
int sbuf_grow(struct sbuf *sb, size_t extra);   /* room for extra more bytes + NUL */
MUST_CHECK
int sbuf_add(struct sbuf *sb, const void *data, size_t n);
MUST_CHECK
int sbuf_addstr(struct sbuf *sb, const char *s);
MUST_CHECK
int sbuf_addch(struct sbuf *sb, int c);
static inline void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}
void sbuf_release(struct sbuf *sb);

/* xmalloc family: the allocation hook shared by the core and libcsv, so that
 * fault-injection tests can make the n-th allocation fail (SALESDESK_FAIL_ALLOC). */
MUST_CHECK
void *sd_realloc(void *p, size_t n);
void sd_free(void *p);
#endif

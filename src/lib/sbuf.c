#include "sbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char sbuf_empty[1];

/* A countdown for fault-injection tests: when SALESDESK_FAIL_ALLOC=N is set in the
 * environment, the N-th allocation through sd_realloc fails.  Read once. */
static long fail_countdown = -2;

void *sd_realloc(void *p, size_t n)
{
	if (fail_countdown == -2) {
		const char *e = getenv("SALESDESK_FAIL_ALLOC");
		fail_countdown = e ? atol(e) : -1;
	}
	if (fail_countdown > 0 && --fail_countdown == 0)
		return NULL;
	return realloc(p, n ? n : 1);
}

void sd_free(void *p)
{
	free(p);
}

void sbuf_init(struct sbuf *sb)
{
	sb->buf = sbuf_empty;
	sb->len = sb->cap = 0;
}

int sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need, cap;
	char *nb;

	if (extra > SIZE_MAX - sb->len - 1)
		return -1;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	nb = sd_realloc(sb->cap ? sb->buf : NULL, cap);
	if (!nb)
		return -1;
	if (!sb->cap)
		nb[0] = '\0';
	sb->buf = nb;
	sb->cap = cap;
	return 0;
}

int sbuf_add(struct sbuf *sb, const void *data, size_t n)
{
	if (sbuf_grow(sb, n) < 0)
		return -1;
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sbuf_addstr(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int sbuf_addch(struct sbuf *sb, int c)
{
	char ch = (char)c;
	return sbuf_add(sb, &ch, 1);
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->cap)
		sd_free(sb->buf);
	sbuf_init(sb);
}

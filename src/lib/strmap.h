/* A hash map from byte strings to 64-bit values, keys stored exactly (a collision never
 * confuses two keys), open addressing.  Keys live in one arena, so a million short keys
 * cost about 40-50 bytes each plus the key text.  A slot holds the key's hash beside
 * its entry number, so a probe reads the entry (a cache miss in a big map) only when
 * the hashes agree.  Insertion order is kept: entries are
 * numbered 0..count-1 in the order they were added, which gives deterministic output. */
#ifndef SALESDESK_STRMAP_H
#define SALESDESK_STRMAP_H
#include <stddef.h>
#include <stdint.h>

#include "must.h"
#include "sbuf.h"

struct strmap_entry {
	size_t koff;
	uint32_t klen;
	uint32_t hash;
	uint64_t val;
};

struct strmap_slot {
	uint32_t ix;            /* entry index + 1; 0 = empty */
	uint32_t hash;
};

struct strmap {
	struct strmap_slot *slot;
	size_t nslot;
	struct strmap_entry *e;
	size_t count, cap;
	struct sbuf keys;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Index of the key, or -1. */
long strmap_find(const struct strmap *m, const char *k, size_t n);
/* Adds the key if new; returns its index (and *added = 1 if new), or -1 on OOM. */
MUST_CHECK
long strmap_add(struct strmap *m, const char *k, size_t n, uint64_t val, int *added);
/* The entry indices ordered by key in byte order (strcmp: salesdesk(7)'s sort order for
 * text keys, blank first), in a new array of m->count entries for the caller to
 * sd_free; NULL when out of memory. */
MUST_CHECK
size_t *strmap_sorted(const struct strmap *m);
static inline const char *strmap_key(const struct strmap *m, size_t i)
{
	return m->keys.buf + m->e[i].koff;
}
#endif

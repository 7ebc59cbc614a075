#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* The key eight bytes at a time, the length mixed in first: a multiply per word instead
 * of FNV's multiply per byte, a chain of dependent multiplies that was the larger part
 * of a lookup in a cache-resident map.  The last word of a key of 8 bytes or more is its
 * last eight bytes (overlapping the previous word), so there is no byte loop for the
 * tail.  Each multiply is followed by a fold of the high half into the low half,
 * because the slot is chosen by the low bits and a product's low bits depend only on
 * its factors' low bits. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 32);
}

static uint32_t hash(const char *k, size_t n)
{
	uint64_t h = mix(0x243F6A8885A308D3ULL, n), w = 0;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)k[i] << (8 * i);
		h = mix(h, w);
	} else {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&w, k + i, 8);
			h = mix(h, w);
		}
		memcpy(&w, k + n - 8, 8);
		h = mix(h, w);
	}
	h *= 0xBF58476D1CE4E5B9ULL;
	return (uint32_t)(h ^ (h >> 32));
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
	sbuf_init(&m->keys);
}

void strmap_free(struct strmap *m)
{
	sd_free(m->slot);
	sd_free(m->e);
	sbuf_release(&m->keys);
	strmap_init(m);
}

static long lookup(const struct strmap *m, const char *k, size_t n, uint32_t h, size_t *at)
{
	size_t mask = m->nslot - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t s = m->slot[i].ix;
		const struct strmap_entry *e;
		if (!s) {
			*at = i;
			return -1;
		}
		if (m->slot[i].hash != h)
			continue;
		e = &m->e[s - 1];
		if (e->klen == n && !memcmp(m->keys.buf + e->koff, k, n))
			return (long)s - 1;
	}
}

long strmap_find(const struct strmap *m, const char *k, size_t n)
{
	size_t at;

	if (!m->nslot)
		return -1;
	return lookup(m, k, n, hash(k, n), &at);
}

static int rehash(struct strmap *m)
{
	size_t ns = m->nslot ? m->nslot * 2 : 64, i;
	struct strmap_slot *slot = sd_realloc(NULL, ns * sizeof *slot);

	if (!slot)
		return -1;
	memset(slot, 0, ns * sizeof *slot);
	for (i = 0; i < m->count; i++) {
		size_t j = m->e[i].hash & (ns - 1);
		while (slot[j].ix)
			j = (j + 1) & (ns - 1);
		slot[j].ix = (uint32_t)i + 1;
		slot[j].hash = m->e[i].hash;
	}
	sd_free(m->slot);
	m->slot = slot;
	m->nslot = ns;
	return 0;
}

long strmap_add(struct strmap *m, const char *k, size_t n, uint64_t val, int *added)
{
	uint32_t h = hash(k, n);
	size_t at;
	long i;

	*added = 0;
	if ((m->count + 1) * 4 > m->nslot * 3 && rehash(m) < 0)
		return -1;
	if ((i = lookup(m, k, n, h, &at)) >= 0)
		return i;
	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct strmap_entry *e = sd_realloc(m->e, cap * sizeof *e);
		if (!e)
			return -1;
		m->e = e;
		m->cap = cap;
	}
	if (m->count >= UINT32_MAX - 1 || n > UINT32_MAX)
		return -1;
	m->e[m->count].koff = m->keys.len;
	m->e[m->count].klen = (uint32_t)n;
	m->e[m->count].hash = h;
	m->e[m->count].val = val;
	if (sbuf_add(&m->keys, k, n) < 0 || sbuf_addch(&m->keys, '\0') < 0)
		return -1;
	m->slot[at].ix = (uint32_t)m->count + 1;
	m->slot[at].hash = h;
	*added = 1;
	return (long)m->count++;
}

static int cmp_key(const void *a, const void *b, void *map)
{
	const struct strmap *m = map;

	return strcmp(strmap_key(m, *(const size_t *)a), strmap_key(m, *(const size_t *)b));
}

size_t *strmap_sorted(const struct strmap *m)
{
	size_t *ix = sd_realloc(NULL, (m->count + 1) * sizeof *ix), i;

	if (!ix)
		return NULL;
	for (i = 0; i < m->count; i++)
		ix[i] = i;
	qsort_r(ix, m->count, sizeof *ix, cmp_key, (void *)m);
	return ix;
}

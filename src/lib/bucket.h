/* The ageing buckets of receivables (receivables(1) --buckets): their labels are spelt in
 * this one place, written by receivables and recognised by the column table that report
 * and the others read (salesdesk(7), COLUMNS).  With limits B1 < B2 < ... < Bn the
 * buckets are current, d1_B1, d(B1+1)_B2, ..., d(Bn-1+1)_Bn and dBn_plus. */
#ifndef SALESDESK_BUCKET_H
#define SALESDESK_BUCKET_H
#include <stddef.h>
#include <stdint.h>

/* The bucket of an invoice DAYS overdue: 0 current, 1..n the one whose limit it is
 * within, n + 1 beyond the last limit. */
int bucket_of(int32_t days, const int *limits, int n);
/* The label of bucket b into buf. */
void bucket_label(char *buf, size_t size, const int *limits, int n, int b);
/* 1 when s is a bucket's label under any limits (current, d1_30, d91_180, d90_plus). */
int bucket_is_label(const char *s);
#endif

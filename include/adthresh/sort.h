/* Order-preserving integer keys for floating-point scores and an LSD radix
 * sort on them: O(n), deterministic, no comparisons. */
#ifndef ADTHRESH_SORT_H
#define ADTHRESH_SORT_H

#include <stddef.h>
#include <stdint.h>

/* The key of a double: a < b as numbers exactly when key(a) < key(b);
 * -0 and +0 get the same key.  x must not be NaN. */
uint64_t adt_key_f64(double x);
/* The inverse of adt_key_f64 (returns +0 for the key of zero). */
double adt_f64_of_key(uint64_t key);

/* The same for float. */
uint32_t adt_key_f32(float x);
float adt_f32_of_key(uint32_t key);

/* Sorts keys[0..n) ascending, using tmp[0..n) as scratch.  Passes whose
 * digit is the same in every key are skipped. */
void adt_radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);
void adt_radix_sort_u32(uint32_t *keys, uint32_t *tmp, size_t n);

#endif

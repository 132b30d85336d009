/* Order-preserving integer keys for floating-point scores and an LSD radix
 * sort on them: O(n), deterministic, no comparisons. */
#ifndef ADTHRESH_SORT_H
#define ADTHRESH_SORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The key of a double: a < b as numbers exactly when key(a) < key(b);
 * -0 and +0 get the same key.  x must not be NaN.  Inline: the pixel
 * level converts every pixel. */
static inline uint64_t adt_key_f64(double x)
{
	uint64_t u;

	if (x == 0)
		x = 0.0; /* -0 sorts with +0 */
	memcpy(&u, &x, sizeof(u));
	/* Negative: flip all bits so larger magnitudes sort lower; positive:
	 * set the sign bit so they sort above every negative. */
	return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

/* The inverse of adt_key_f64 (returns +0 for the key of zero). */
static inline double adt_f64_of_key(uint64_t key)
{
	uint64_t u = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* The same for float. */
static inline uint32_t adt_key_f32(float x)
{
	uint32_t u;

	if (x == 0)
		x = 0.0f;
	memcpy(&u, &x, sizeof(u));
	return (u >> 31) ? ~u : u | (UINT32_C(1) << 31);
}

static inline float adt_f32_of_key(uint32_t key)
{
	uint32_t u = (key >> 31) ? key & ~(UINT32_C(1) << 31) : ~key;
	float x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* Sorts keys[0..n) ascending, using tmp[0..n) as scratch.  Passes whose
 * digit is the same in every key are skipped. */
void adt_radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);
void adt_radix_sort_u32(uint32_t *keys, uint32_t *tmp, size_t n);

/* The same, moving tags[i] along with keys[i] (stable), with scratch
 * tmp[0..n) and tmp_tags[0..n). */
void adt_radix_sort_u64_tagged(uint64_t *keys, uint32_t *tags, uint64_t *tmp, uint32_t *tmp_tags,
			       size_t n);

#endif

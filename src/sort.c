/* Order-preserving keys and LSD radix sort (see sort.h). */
#include "adthresh/sort.h"

#include <string.h>

/* 11-bit digits: 2048 counters per pass stay in L1, and a 64-bit key
 * takes 6 passes, a 32-bit key 3. */
#define DIGIT_BITS 11
#define BUCKETS	   (1u << DIGIT_BITS)
#define MASK	   (BUCKETS - 1)

/* One LSD radix sort per key width: count every digit of every key in
 * one pass, then scatter once per digit that is not constant. */
#define DEFINE_RADIX_SORT(name, type, bits)                                                        \
	void name(type *keys, type *tmp, size_t n)                                                 \
	{                                                                                          \
		enum { PASSES = ((bits) + DIGIT_BITS - 1) / DIGIT_BITS };                          \
		static const unsigned shift_of[6] = {0, 11, 22, 33, 44, 55};                       \
		size_t count[PASSES][BUCKETS];                                                     \
		type *src = keys, *dst = tmp, *swap;                                               \
                                                                                                   \
		if (n < 2)                                                                         \
			return;                                                                    \
		memset(count, 0, sizeof(count));                                                   \
		for (size_t i = 0; i < n; i++) {                                                   \
			for (unsigned p = 0; p < PASSES; p++)                                      \
				count[p][(keys[i] >> shift_of[p]) & MASK]++;                       \
		}                                                                                  \
		for (unsigned p = 0; p < PASSES; p++) {                                            \
			size_t *c = count[p], sum = 0;                                             \
			unsigned shift = shift_of[p];                                              \
                                                                                                   \
			if (c[(src[0] >> shift) & MASK] == n)                                      \
				continue; /* every key has this digit */                           \
			for (unsigned b = 0; b < BUCKETS; b++) {                                   \
				size_t k = c[b];                                                   \
				c[b] = sum;                                                        \
				sum += k;                                                          \
			}                                                                          \
			for (size_t i = 0; i < n; i++)                                             \
				dst[c[(src[i] >> shift) & MASK]++] = src[i];                       \
			swap = src;                                                                \
			src = dst;                                                                 \
			dst = swap;                                                                \
		}                                                                                  \
		if (src != keys)                                                                   \
			memcpy(keys, src, n * sizeof(*keys));                                      \
	}

DEFINE_RADIX_SORT(adt_radix_sort_u64, uint64_t, 64)
DEFINE_RADIX_SORT(adt_radix_sort_u32, uint32_t, 32)

void adt_radix_sort_u64_tagged(uint64_t *keys, uint32_t *tags, uint64_t *tmp, uint32_t *tmp_tags,
			       size_t n)
{
	enum { PASSES = (64 + DIGIT_BITS - 1) / DIGIT_BITS };
	static const unsigned shift_of[PASSES] = {0, 11, 22, 33, 44, 55};
	size_t count[PASSES][BUCKETS];
	uint64_t *src = keys, *dst = tmp, *swap;
	uint32_t *src_t = tags, *dst_t = tmp_tags, *swap_t;

	if (n < 2)
		return;
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		for (unsigned p = 0; p < PASSES; p++)
			count[p][(keys[i] >> shift_of[p]) & MASK]++;
	}
	for (unsigned p = 0; p < PASSES; p++) {
		size_t *c = count[p], sum = 0;
		unsigned shift = shift_of[p];

		if (c[(src[0] >> shift) & MASK] == n)
			continue;
		for (unsigned b = 0; b < BUCKETS; b++) {
			size_t k = c[b];

			c[b] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = c[(src[i] >> shift) & MASK]++;

			dst[at] = src[i];
			dst_t[at] = src_t[i];
		}
		swap = src;
		src = dst;
		dst = swap;
		swap_t = src_t;
		src_t = dst_t;
		dst_t = swap_t;
	}
	if (src != keys) {
		memcpy(keys, src, n * sizeof(*keys));
		memcpy(tags, src_t, n * sizeof(*tags));
	}
}

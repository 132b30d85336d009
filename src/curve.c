/* Sorting scores by key and walking their distinct values (see curve.h). */
#include "adthresh/curve.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "adthresh/sort.h"

/* One implementation per score width: convert to keys (refusing NaN), sort
 * both classes, then merge them from the top, one step per distinct key. */
#define DEFINE_CURVE_SWEEP(name, type, ktype, key_of, value_of, sort)                              \
	int name(const type *pos, size_t npos, const type *neg, size_t nneg, struct adt_sweep *s,  \
		 struct adt_error *err)                                                            \
	{                                                                                          \
		size_t n = npos + nneg, i, j;                                                      \
		ktype *keys, *tmp;                                                                 \
		int ret = -1;                                                                      \
                                                                                                   \
		if (n < npos || n > SIZE_MAX / sizeof(ktype) / 2)                                  \
			return adt_error_set(err, ADT_ENOMEM, "too many scores");                  \
		keys = malloc((n ? n : 1) * sizeof(ktype));                                        \
		tmp = malloc((npos > nneg ? npos : nneg) * sizeof(ktype) + 1);                     \
		if (!keys || !tmp) {                                                               \
			adt_error_set(err, ADT_ENOMEM, "out of memory sorting %zu scores", n);     \
			goto out;                                                                  \
		}                                                                                  \
		for (i = 0; i < n; i++) {                                                          \
			type x = i < npos ? pos[i] : neg[i - npos];                                \
			if (isnan(x)) {                                                            \
				adt_error_set(err, ADT_EDATA, "score is NaN");                     \
				goto out;                                                          \
			}                                                                          \
			keys[i] = key_of(x);                                                       \
		}                                                                                  \
		sort(keys, tmp, npos);                                                             \
		sort(keys + npos, tmp, nneg);                                                      \
		i = npos;                                                                          \
		j = nneg;                                                                          \
		while (i > 0 || j > 0) {                                                           \
			const ktype *p = keys, *q = keys + npos;                                   \
			ktype k;                                                                   \
			uint64_t cp = 0, cn = 0;                                                   \
                                                                                                   \
			if (i == 0)                                                                \
				k = q[j - 1];                                                      \
			else if (j == 0 || p[i - 1] > q[j - 1])                                    \
				k = p[i - 1];                                                      \
			else                                                                       \
				k = q[j - 1];                                                      \
			for (; i > 0 && p[i - 1] == k; i--)                                        \
				cp++;                                                              \
			for (; j > 0 && q[j - 1] == k; j--)                                        \
				cn++;                                                              \
			adt_sweep_step(s, (double)value_of(k), cp, cn);                            \
		}                                                                                  \
		ret = 0;                                                                           \
	out:                                                                                       \
		free(keys);                                                                        \
		free(tmp);                                                                         \
		return ret;                                                                        \
	}

DEFINE_CURVE_SWEEP(adt_curve_sweep_f64, double, uint64_t, adt_key_f64, adt_f64_of_key,
		   adt_radix_sort_u64)
DEFINE_CURVE_SWEEP(adt_curve_sweep_f32, float, uint32_t, adt_key_f32, adt_f32_of_key,
		   adt_radix_sort_u32)

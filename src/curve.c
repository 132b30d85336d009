/* Sorting scores by key and walking their distinct values (see curve.h). */
#include "adthresh/curve.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "adthresh/sort.h"

/* A k-way merge from the top: each run is consumed from its end (its
 * highest key); a step takes the highest remaining key and every copy of
 * it in every run. */
#define DEFINE_WALK(name, ktype, value_of)                                                         \
	void name(const struct adt_keyrun *runs, size_t nruns, struct adt_sweep *s)                \
	{                                                                                          \
		const ktype *key[ADT_MAX_RUNS];                                                    \
		size_t left[ADT_MAX_RUNS];                                                         \
		int positive[ADT_MAX_RUNS];                                                        \
		size_t live = 0;                                                                   \
                                                                                                   \
		assert(nruns <= ADT_MAX_RUNS);                                                     \
		for (size_t r = 0; r < nruns && r < ADT_MAX_RUNS; r++) {                           \
			if (runs[r].n == 0)                                                        \
				continue;                                                          \
			key[live] = runs[r].keys;                                                  \
			left[live] = runs[r].n;                                                    \
			positive[live] = runs[r].positive;                                         \
			live++;                                                                    \
		}                                                                                  \
		while (live > 0) {                                                                 \
			ktype k = key[0][left[0] - 1];                                             \
			uint64_t cnt[2] = {0, 0};                                                  \
                                                                                                   \
			for (size_t r = 1; r < live; r++) {                                        \
				if (key[r][left[r] - 1] > k)                                       \
					k = key[r][left[r] - 1];                                   \
			}                                                                          \
			for (size_t r = 0; r < live;) {                                            \
				size_t i = left[r];                                                \
                                                                                                   \
				while (i > 0 && key[r][i - 1] == k)                                \
					i--;                                                       \
				cnt[positive[r]] += left[r] - i;                                   \
				left[r] = i;                                                       \
				if (i > 0) {                                                       \
					r++;                                                       \
					continue;                                                  \
				}                                                                  \
				/* Exhausted: the last run takes its place. */                     \
				live--;                                                            \
				key[r] = key[live];                                                \
				left[r] = left[live];                                              \
				positive[r] = positive[live];                                      \
			}                                                                          \
			adt_sweep_step(s, (double)value_of(k), cnt[1], cnt[0]);                    \
		}                                                                                  \
	}

DEFINE_WALK(adt_curve_walk_u32, uint32_t, adt_f32_of_key)
DEFINE_WALK(adt_curve_walk_u64, uint64_t, adt_f64_of_key)

/* Converts both classes to keys (refusing NaN), sorts each and walks them. */
#define DEFINE_CURVE_SWEEP(name, type, ktype, key_of, sort, walk, is_single)                       \
	int name(const type *pos, size_t npos, const type *neg, size_t nneg, struct adt_sweep *s,  \
		 struct adt_error *err)                                                            \
	{                                                                                          \
		size_t n = npos + nneg;                                                            \
		ktype *keys, *tmp;                                                                 \
		int ret = -1;                                                                      \
                                                                                                   \
		if (n < npos || n > SIZE_MAX / sizeof(ktype) / 2)                                  \
			return adt_error_set(err, ADT_ENOMEM, "too many scores");                  \
		keys = malloc((n ? n : 1) * sizeof(ktype));                                        \
		tmp = malloc(((npos > nneg ? npos : nneg) + 1) * sizeof(ktype));                   \
		if (!keys || !tmp) {                                                               \
			adt_error_set(err, ADT_ENOMEM, "out of memory sorting %zu scores", n);     \
			goto out;                                                                  \
		}                                                                                  \
		for (size_t i = 0; i < n; i++) {                                                   \
			type x = i < npos ? pos[i] : neg[i - npos];                                \
                                                                                                   \
			if (isnan(x)) {                                                            \
				adt_error_set(err, ADT_EDATA, "score is NaN");                     \
				goto out;                                                          \
			}                                                                          \
			keys[i] = key_of(x);                                                       \
		}                                                                                  \
		sort(keys, tmp, npos);                                                             \
		sort(keys + npos, tmp, nneg);                                                      \
		{                                                                                  \
			struct adt_keyrun runs[2] = {{keys, npos, 1}, {keys + npos, nneg, 0}};     \
                                                                                                   \
			walk(runs, 2, s);                                                          \
			s->single = is_single;                                                     \
		}                                                                                  \
		ret = 0;                                                                           \
	out:                                                                                       \
		free(keys);                                                                        \
		free(tmp);                                                                         \
		return ret;                                                                        \
	}

DEFINE_CURVE_SWEEP(adt_curve_sweep_f64, double, uint64_t, adt_key_f64, adt_radix_sort_u64,
		   adt_curve_walk_u64, 0)
DEFINE_CURVE_SWEEP(adt_curve_sweep_f32, float, uint32_t, adt_key_f32, adt_radix_sort_u32,
		   adt_curve_walk_u32, 1)

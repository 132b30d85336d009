/* --merge: the report of the union of several runs' saved counts (see
 * counts.h), as one run over all their data would give it. */
#ifndef ADTHRESH_MERGE_H
#define ADTHRESH_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/counts.h"
#include "adthresh/defects.h"
#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/metrics.h"
#include "adthresh/samples.h"

struct adt_merge;

/* Reads the heads of the n files and checks that they merge: no file
 * twice (ADT_EUSAGE "FILE: given twice to --merge"), and each like the
 * first (ADT_EDATA naming the file: "has a pixel level and 'A' has none",
 * "counts float64 maps and 'A' float32 maps; merge counts of one
 * precision", "counted with other options than 'A': '--rule=gt' against
 * 'nothing more'", "is shard 2/4 of 100 images and 'A' shard 1/5 of 100
 * images: not parts of one data set", "is shard 2/4, as 'B' is"); shards
 * all present ("2 of the 4 shards are missing (3, 4): ..."), and no image
 * id in two files ("image 'good/001' is also in 'A'; merge counts of
 * disjoint parts"; the images of maps are saved under their files'
 * paths as opened).  Shards are put in their order; the image samples of
 * all files are gathered in that order.  Returns 0, or -1 with *m NULL. */
int adt_merge_open(const char *const *files, size_t n, struct adt_merge **m,
		   struct adt_error *err);

void adt_merge_close(struct adt_merge *m);

/* The first file's head (every file's options and kind are the same), its
 * name, the image samples of all files, and where those came from ("map
 * maxima", the scores file, or "merged counts" when the files differ). */
const struct adt_counts_head *adt_merge_head(const struct adt_merge *m);
const char *adt_merge_first(const struct adt_merge *m);
struct adt_samples *adt_merge_images(struct adt_merge *m);
const char *adt_merge_source(const struct adt_merge *m);

/* The pixel level of the merged counts into r, as adt_eval_dataset gives
 * it for all the data: the files' steps merged by score (summed at equal
 * scores) and swept once.  sigma:K reads the steps twice more first.
 * keep_regions not NULL: receives the region size of each anomalous pixel
 * in sweep order (freed by the caller) and *nregions their regions.
 * Errors name the file (a broken step is found here: the steps are read
 * only now). */
int adt_merge_pixels(const struct adt_merge *m, const struct adt_eval_opts *eo,
		     struct adt_level_result *r, uint32_t **keep_regions, uint64_t *nregions,
		     struct adt_error *err);

/* The pixel level of the per-defect table: each file's defect folders
 * (ADT_COUNTS_DEFECTS) counted at pixel's threshold under its rule, the
 * same folder of several files added up, into d (then sorted).  Errors
 * name the file: "has no defect folders for the per-defect table", or a
 * broken folder table (read only now). */
int adt_merge_defects(const struct adt_merge *m, const struct adt_level_result *pixel,
		      struct adt_defects *d, struct adt_error *err);

#endif

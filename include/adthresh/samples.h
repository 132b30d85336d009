/* Image-level samples: one score, one label and an optional id each. */
#ifndef ADTHRESH_SAMPLES_H
#define ADTHRESH_SAMPLES_H

#include <stddef.h>

#include "adthresh/error.h"

/* Parallel arrays of n samples.  id is NULL when the input has no id
 * column; otherwise id[i] is an owned string.  line[i] is the input line
 * the sample came from (0 when unknown), for messages. */
struct adt_samples {
	double *score;
	unsigned char *label; /* 0 normal, 1 anomalous */
	char **id;
	unsigned long *line;
	size_t n, cap;
	int single; /* the scores are float32 values (the maxima of float32
		     * maps): a threshold chosen above them is a float32 */
};

/* Makes s empty.  Allocates nothing. */
void adt_samples_init(struct adt_samples *s);

/* Frees everything s owns and makes it empty again. */
void adt_samples_release(struct adt_samples *s);

/* Appends one sample.  id may be NULL only while no sample with an id was
 * pushed, and must be non-NULL if any earlier one had an id (the reader
 * decides once per file).  The id is copied.  Returns 0, or -1 with
 * ADT_ENOMEM. */
int adt_samples_push(struct adt_samples *s, double score, int label, const char *id,
		     unsigned long line, struct adt_error *err);

/* Finds the first sample whose id an earlier one has: returns 1 with
 * *first and *dup (first < dup) the indices of the two, 0 when the ids
 * are unique or the samples have none, -1 when out of memory. */
int adt_samples_find_duplicate(const struct adt_samples *s, size_t *first, size_t *dup);

/* Fails with ADT_EDATA "duplicate id 'X' (first on line N)" at the line of
 * the second occurrence when two samples share an id.  Does nothing when
 * the samples have no ids.  Returns 0 or -1 (ADT_EDATA, ADT_ENOMEM). */
int adt_samples_check_ids(const struct adt_samples *s, struct adt_error *err);

#endif

/* Fuzzes the thresholds-file reader (adt_read_thresholds_mem): a single
 * run's {"rule", "image", "pixel"} or a batch's "categories".  On success
 * at least one threshold, each finite, of level 0 or 1, with a category
 * exactly when the file is a batch's, and no (category, level) twice; the
 * rule is >= or >.  On error t is empty.  adt_thresholds_release frees it
 * either way. */
#include "fuzz.h"

#include "adthresh/thresholds.h"

/* Whether two saved thresholds are for the same category (NULL: none). */
static int same_category(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adt_thresholds t;
	struct adt_error err;
	int rc;

	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_read_thresholds_mem(data, size, "t.json", &t, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) == 0) {
		FUZZ_ASSERT(t.n > 0 && t.n <= t.cap && t.v != NULL);
		FUZZ_ASSERT(t.rule == ADT_RULE_GE || t.rule == ADT_RULE_GT);
		for (size_t i = 0; i < t.n; i++) {
			const struct adt_saved_threshold *p = &t.v[i];

			FUZZ_ASSERT(isfinite(p->value));
			FUZZ_ASSERT(p->pixel == 0 || p->pixel == 1);
			FUZZ_ASSERT((p->category != NULL) == (t.batch != 0));
			FUZZ_ASSERT(!p->category || strlen(p->category) < size + 1);
			for (size_t j = 0; j < i; j++)
				FUZZ_ASSERT(!(t.v[j].pixel == p->pixel &&
					      same_category(t.v[j].category, p->category)));
		}
	} else {
		FUZZ_ASSERT(t.n == 0 && t.v == NULL);
	}
	adt_thresholds_release(&t);
	FUZZ_ASSERT(t.n == 0 && t.v == NULL);
	return 0;
}

/* Fuzzes the counts reader (--merge's input): the head, then every step
 * to the checksum, from a memory stream.  On success the head is one the
 * format allows, and the steps hold strictly decreasing finite scores
 * whose counts and region sizes add up to the head's totals.  The reader
 * grows its arrays only as data arrives, so the memory it takes is
 * bounded by the input's size whatever the head claims. */
#include "fuzz.h"

#include "adthresh/counts.h"

#define PATH "fuzz.adtc"

/* A failed call: a message naming the file, and where in it the format
 * breaks. */
static void check_failure(const struct adt_error *err)
{
	fuzz_check_error(err);
	if (err->code == ADT_ENOMEM)
		return;
	FUZZ_ASSERT(strcmp(err->file, PATH) == 0);
	if (err->code == ADT_EFORMAT)
		FUZZ_ASSERT(strncmp(err->msg, "byte ", 5) == 0);
}

/* A head the reader accepted. */
static void check_head(const struct adt_counts_head *h)
{
	FUZZ_ASSERT((h->flags & ~(unsigned)ADT_COUNTS_FLAGS) == 0);
	FUZZ_ASSERT(h->flags & (ADT_COUNTS_IMAGE | ADT_COUNTS_PIXEL));
	if (h->shard_n == 0)
		FUZZ_ASSERT(h->shard_k == 0 && h->items == 0);
	else
		FUZZ_ASSERT(h->shard_k >= 1 && h->shard_k <= h->shard_n && h->items >= h->shard_n);
	FUZZ_ASSERT(h->nwords <= ADT_COUNTS_MAX_WORDS);
	for (size_t i = 0; i < h->nwords; i++)
		FUZZ_ASSERT(h->words[i] && h->words[i][0] &&
			    strlen(h->words[i]) <= ADT_COUNTS_MAX_TEXT);
	FUZZ_ASSERT(h->source && strlen(h->source) <= ADT_COUNTS_MAX_TEXT);
	if (h->flags & ADT_COUNTS_IMAGE) {
		struct adt_error err;

		FUZZ_ASSERT(h->images.n >= 1);
		FUZZ_ASSERT((h->images.id != NULL) == ((h->flags & ADT_COUNTS_IDS) != 0));
		fuzz_check_samples(&h->images);
		adt_error_init(&err);
		FUZZ_ASSERT(adt_samples_check_ids(&h->images, &err) == 0);
	} else {
		FUZZ_ASSERT(h->images.n == 0);
	}
	if (h->flags & ADT_COUNTS_PIXEL) {
		FUZZ_ASSERT(h->P <= UINT64_MAX - h->N);
		FUZZ_ASSERT(h->steps >= 1 && h->steps <= h->P + h->N);
		if ((h->flags & ADT_COUNTS_REGIONS) && h->P > 0)
			FUZZ_ASSERT(h->regions >= 1 && h->regions <= h->P);
		else
			FUZZ_ASSERT(h->regions == 0);
	}
}

/* Reads every step of a section of r (the pixel level, or a defect
 * folder of P anomalous and N normal pixels), checking each, then its end.
 * Returns 0 at its end, -1 when the reader failed. */
static int check_steps(struct adt_counts_reader *r, const struct adt_counts_head *h, uint64_t P,
		       uint64_t N, int group)
{
	uint64_t key, pos, neg, prev = 0, tp = 0, fp = 0, n = 0;
	uint64_t limit = (h->flags & ADT_COUNTS_WIDE) ? UINT64_MAX : UINT32_MAX;
	double score, last = 0;
	const uint32_t *sizes = NULL;
	struct adt_error err;
	int rc;

	for (;;) {
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_counts_step(r, &key, &pos, &neg, &sizes, &err);
		fuzz_quiet_end();
		FUZZ_ASSERT(rc >= -1 && rc <= 1);
		if (rc < 0) {
			check_failure(&err);
			return -1;
		}
		if (rc == 0)
			break;
		FUZZ_ASSERT(h->flags & ADT_COUNTS_PIXEL);
		FUZZ_ASSERT(key <= limit);
		FUZZ_ASSERT(n == 0 || key < prev);
		score = adt_counts_score(r, key);
		FUZZ_ASSERT(isfinite(score));
		FUZZ_ASSERT(n == 0 || score < last);
		FUZZ_ASSERT(pos + neg >= 1);
		FUZZ_ASSERT(pos <= P - tp && neg <= N - fp);
		if ((h->flags & ADT_COUNTS_REGIONS) && !group)
			for (uint64_t i = 0; i < pos; i++)
				FUZZ_ASSERT(sizes[i] >= 1 && sizes[i] <= h->P);
		prev = key;
		last = score;
		tp += pos;
		fp += neg;
		n++;
	}
	if (h->flags & ADT_COUNTS_PIXEL) {
		FUZZ_ASSERT(group || n == h->steps);
		FUZZ_ASSERT(tp == P && fp == N);
	} else {
		FUZZ_ASSERT(n == 0);
	}
	/* After the end, the end again. */
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_counts_step(r, &key, &pos, &neg, &sizes, &err);
	fuzz_quiet_end();
	FUZZ_ASSERT(rc == 0);
	return 0;
}

/* The defect folders after the pixel level: names in increasing order,
 * pixels adding up to the pixel level's. */
static void check_groups(struct adt_counts_reader *r, const struct adt_counts_head *h)
{
	uint64_t P, N, sum_P = 0, sum_N = 0;
	char last[ADT_COUNTS_MAX_TEXT + 1] = "";
	const char *name;
	struct adt_error err;
	int rc;

	for (;;) {
		adt_error_init(&err);
		fuzz_quiet_begin();
		rc = adt_counts_next_group(r, &name, &P, &N, &err);
		fuzz_quiet_end();
		FUZZ_ASSERT(rc >= -1 && rc <= 1);
		if (rc < 0) {
			check_failure(&err);
			return;
		}
		if (rc == 0)
			break;
		FUZZ_ASSERT(h->flags & ADT_COUNTS_DEFECTS);
		FUZZ_ASSERT(name[0] && !strchr(name, '/') && strcmp(name, last) > 0);
		FUZZ_ASSERT(strlen(name) <= ADT_COUNTS_MAX_TEXT);
		strcpy(last, name);
		FUZZ_ASSERT(P <= h->P - sum_P && N <= h->N - sum_N);
		sum_P += P;
		sum_N += N;
		if (check_steps(r, h, P, N, 1))
			return;
	}
	if (h->flags & ADT_COUNTS_DEFECTS)
		FUZZ_ASSERT(sum_P == h->P && sum_N == h->N);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy: fmemopen wants a writable buffer, of at least one byte. */
	char *buf = malloc(size ? size : 1);
	struct adt_counts_reader *r;
	struct adt_counts_head h;
	struct adt_error err;
	FILE *f;
	int rc;

	FUZZ_ASSERT(buf != NULL);
	if (size)
		memcpy(buf, data, size);
	f = fmemopen(buf, size ? size : 1, "rb");
	FUZZ_ASSERT(f != NULL);
	if (size == 0)
		FUZZ_ASSERT(fgetc(f) != EOF); /* past the one byte: an empty stream */
	adt_error_init(&err);
	fuzz_quiet_begin();
	rc = adt_counts_open(PATH, f, &r, &err);
	fuzz_quiet_end();
	if (fuzz_check_rc(rc, &err) != 0) {
		FUZZ_ASSERT(r == NULL);
		check_failure(&err);
		free(buf);
		return 0;
	}
	check_head(adt_counts_head_of(r));
	if (check_steps(r, adt_counts_head_of(r), adt_counts_head_of(r)->P, adt_counts_head_of(r)->N,
			0) == 0)
		check_groups(r, adt_counts_head_of(r));
	adt_counts_take_head(r, &h);
	adt_counts_close(r);
	adt_counts_head_release(&h);
	free(buf);
	return 0;
}

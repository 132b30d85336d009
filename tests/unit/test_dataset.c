/* Unit tests of the score-id join (adt_dataset_match): a table of cases,
 * each a test of its own, then random datasets checked against the rule
 * spelled out as a comparison of every id with every map.  Then the
 * folder layouts adt_dataset_pair walks, a table of file trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adthresh/dataset.h"
#include "adthresh/error.h"
#include "adthresh/samples.h"

#include "test_list.h"
#include "test_tree.h"

#define MAXN 8
#define ROOT "maps/test"

struct match_case {
	const char *name;
	const char *items[MAXN]; /* the maps' ids, up to the first NULL */
	const char *ids[MAXN];	 /* the samples' ids (on lines 2, 3, ...) */
	int no_ids;		 /* the samples have no id column: n_samples of them */
	size_t n_samples;
	size_t item_of[MAXN]; /* success: the item of each sample */
	const char *msg;      /* failure: the message, at err_line */
	unsigned long err_line;
};

static const struct match_case cases[] = {
    /* Which ids match which maps */
    {.name = "the same id", .items = {"crack/003"}, .ids = {"crack/003"}, .item_of = {0}},
    {.name = "a longer id with an extension",
     .items = {"crack/003", "good/003"},
     .ids = {"bottle/test/good/003.png", "bottle/test/crack/003.png"},
     .item_of = {1, 0}},
    {.name = "a shorter id",
     .items = {"bottle/crack/003", "bottle/crack/004"},
     .ids = {"crack/004.tiff", "crack/003.tiff"},
     .item_of = {1, 0}},
    {.name = "backslashes",
     .items = {"crack/003"},
     .ids = {"bottle\\test\\crack\\003.png"},
     .item_of = {0}},
    {.name = "document ids keep their extension",
     .items = {"crack/003.png", "crack/004.png"},
     .ids = {"004.tiff", "003"},
     .item_of = {1, 0}},
    {.name = "a dot in a folder name",
     .items = {"v1.2/003", "v1.2/004"},
     .ids = {"v1.2/003", "x/v1.2/004.png"},
     .item_of = {0, 1}},
    {.name = "a map inside a longer id, and one that the id is inside",
     .items = {"003", "crack/004"},
     .ids = {"crack/003", "004"},
     .item_of = {0, 1}},
    {.name = "shuffled",
     .items = {"a/1", "a/2", "b/1", "b/2", "c/1"},
     .ids = {"c/1", "x/b/2.png", "a\\2", "b/1", "test/a/1"},
     .item_of = {4, 3, 1, 2, 0}},
    {.name = "no id column, as many rows as maps",
     .items = {"a/1", "a/2"},
     .no_ids = 1,
     .n_samples = 2,
     .item_of = {0, 1}},

    /* Ambiguous matches: the first match (in the maps' order) that an
     * earlier row took, or else the second, is named */
    {.name = "a bare name in two folders",
     .items = {"crack/003", "scratch/003"},
     .ids = {"003"},
     .msg = "image '003' matches map 'scratch/003' and another map too",
     .err_line = 2},
    {.name = "the first match taken by an earlier row",
     .items = {"crack/003", "scratch/003"},
     .ids = {"crack/003", "003"},
     .msg = "image '003' matches map 'crack/003' which another row matches too",
     .err_line = 3},
    {.name = "the second match taken by an earlier row",
     .items = {"crack/003", "scratch/003"},
     .ids = {"scratch/003", "003"},
     .msg = "image '003' matches map 'scratch/003' which another row matches too",
     .err_line = 3},
    {.name = "one map named by two rows",
     .items = {"crack/003"},
     .ids = {"crack/003.png", "test/crack/003"},
     .msg = "image 'test/crack/003' matches map 'crack/003' which another row matches too",
     .err_line = 3},
    {.name = "a map inside the id and a map the id is inside",
     .items = {"003", "crack/003"},
     .ids = {"crack/003"},
     .msg = "image 'crack/003' matches map 'crack/003' and another map too",
     .err_line = 2},
    {.name = "two maps with one name but their extensions",
     .items = {"a/b.png", "a/b.tiff"},
     .ids = {"a/b"},
     .msg = "image 'a/b' matches map 'a/b.tiff' and another map too",
     .err_line = 2},
    {.name = "ambiguity before the unknown ids above it",
     .items = {"a/1", "b/1"},
     .ids = {"x/9", "1"},
     .msg = "image '1' matches map 'b/1' and another map too",
     .err_line = 3},

    /* Ids without a map, maps without a row */
    {.name = "not at a folder boundary",
     .items = {"crack/003"},
     .ids = {"ack/003"},
     .msg = "1 of 1 images have no map under '" ROOT "', e.g. 'ack/003'",
     .err_line = 2},
    {.name = "a name cut",
     .items = {"crack/003"},
     .ids = {"crack/03"},
     .msg = "1 of 1 images have no map under '" ROOT "', e.g. 'crack/03'",
     .err_line = 2},
    {.name = "a longer name",
     .items = {"crack/003"},
     .ids = {"crack/0030.png"},
     .msg = "1 of 1 images have no map under '" ROOT "', e.g. 'crack/0030.png'",
     .err_line = 2},
    {.name = "an empty id and one ending in a slash",
     .items = {"crack/003", "good/1"},
     .ids = {"crack/003", "", "good/1/"},
     .msg = "2 of 3 images have no map under '" ROOT "', e.g. '', 'good/1/'",
     .err_line = 3},
    {.name = "three examples of unknown ids, on the first one's line",
     .items = {"a/1"},
     .ids = {"a/1", "x", "y", "z", "w"},
     .msg = "4 of 5 images have no map under '" ROOT "', e.g. 'x', 'y', 'z'",
     .err_line = 3},
    {.name = "three examples of maps without a row, in the maps' order",
     .items = {"a/1", "a/2", "b/1", "b/2"},
     .ids = {"b/1"},
     .msg = "3 of 4 maps have no row in the scores, e.g. 'a/1', 'a/2', 'b/2'"},
    {.name = "unknown ids before maps without a row",
     .items = {"a/1", "a/2"},
     .ids = {"a/1", "q/1"},
     .msg = "1 of 2 images have no map under '" ROOT "', e.g. 'q/1'",
     .err_line = 3},
    {.name = "no id column, a row short",
     .items = {"a/1", "a/2"},
     .no_ids = 1,
     .n_samples = 1,
     .msg = "the scores have 1 rows and no id column, the maps 2 images: add an id column "
	    "to pair them"},
};

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (n < MAXN && v[n])
		n++;
	return n;
}

static void make_dataset(struct adt_dataset *ds, const char *const *ids, size_t n)
{
	struct adt_error err;

	adt_dataset_init(ds);
	snprintf(ds->root, sizeof(ds->root), "%s", ROOT);
	for (size_t j = 0; j < n; j++)
		assert_int_equal(adt_dataset_add(ds, ids[j], "m.npy", j, NULL, 0, &err), 0);
}

static void make_samples(struct adt_samples *s, const char *const *ids, size_t n)
{
	struct adt_error err;

	adt_samples_init(s);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(adt_samples_push(s, 0.5, 0, ids ? ids[i] : NULL, i + 2, &err), 0);
}

static void test_match_case(void **state)
{
	const struct match_case *c = *state;
	size_t n = c->no_ids ? c->n_samples : count(c->ids), item_of[MAXN];
	struct adt_dataset ds;
	struct adt_samples s;
	struct adt_error err;
	int ret;

	make_dataset(&ds, c->items, count(c->items));
	make_samples(&s, c->no_ids ? NULL : c->ids, n);
	adt_error_init(&err);
	ret = adt_dataset_match(&ds, &s, item_of, &err);
	if (c->msg) {
		assert_int_equal(ret, -1);
		assert_int_equal(err.code, ADT_EDATA);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(err.line, c->err_line);
		assert_string_equal(err.file, "");
	} else {
		assert_int_equal(ret, 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(item_of[i], c->item_of[i]);
		/* item_of may be NULL */
		assert_int_equal(adt_dataset_match(&ds, &s, NULL, &err), 0);
	}
	adt_samples_release(&s);
	adt_dataset_release(&ds);
}

/* ---- The rule, one comparison per id and map, as a reference ---- */

/* id without its extension (after the last '/'), backslashes as slashes. */
static void ref_norm(const char *id, char *out, size_t size)
{
	const char *dot = strrchr(id, '.'), *slash = strrchr(id, '/');
	size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - id) : strlen(id);

	assert_true(len < size);
	for (size_t k = 0; k < len; k++)
		out[k] = id[k] == '\\' ? '/' : id[k];
	out[len] = '\0';
}

/* Whether a and b end alike at a folder boundary. */
static int ref_same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	if (memcmp(a + la - n, b + lb - n, n) != 0)
		return 0;
	return (la == n || a[la - n - 1] == '/') && (lb == n || b[lb - n - 1] == '/');
}

static void ref_example(char *buf, size_t size, size_t *count_, const char *what)
{
	size_t len = strlen(buf);

	if (*count_ < 3)
		snprintf(buf + len, size - len, "%s'%s'", *count_ ? ", " : "", what);
	(*count_)++;
}

/* The reference join: 0 with item_of, or -1 with the message and line. */
static int ref_match(const struct adt_dataset *ds, const struct adt_samples *s, size_t *item_of,
		     char *msg, size_t size, unsigned long *line)
{
	char used[64] = {0}, a[64], b[64], nomap[512] = "", nosample[512] = "";
	size_t n_nomap = 0, n_nosample = 0;

	assert_true(ds->n <= sizeof(used));
	*line = 0;
	for (size_t i = 0; i < s->n; i++) {
		size_t hits = 0;

		ref_norm(s->id[i], a, sizeof(a));
		for (size_t j = 0; j < ds->n; j++) {
			ref_norm(ds->items[j].id, b, sizeof(b));
			if (!ref_same(a, b))
				continue;
			if (used[j] || ++hits > 1) {
				snprintf(msg, size, "image '%s' matches map '%s' %s", s->id[i],
					 ds->items[j].id,
					 used[j] ? "which another row matches too"
						 : "and another map too");
				*line = s->line[i];
				return -1;
			}
			used[j] = 1;
			item_of[i] = j;
		}
		if (hits == 0 && n_nomap == 0)
			*line = s->line[i];
		if (hits == 0)
			ref_example(nomap, sizeof(nomap), &n_nomap, s->id[i]);
	}
	for (size_t j = 0; j < ds->n; j++) {
		if (!used[j])
			ref_example(nosample, sizeof(nosample), &n_nosample, ds->items[j].id);
	}
	if (n_nomap) {
		snprintf(msg, size, "%zu of %zu images have no map under '%s', e.g. %s", n_nomap,
			 s->n, ds->root, nomap);
		return -1;
	}
	*line = 0;
	if (n_nosample) {
		snprintf(msg, size, "%zu of %zu maps have no row in the scores, e.g. %s",
			 n_nosample, ds->n, nosample);
		return -1;
	}
	return 0;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned next_below(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* A short random path over few letters, so that ids often share tails:
 * names from {a, b, ab}, separated by '/' (or '\' in sample ids), an
 * extension sometimes, and now and then an empty name or a trailing '/'. */
static void random_path(char *buf, size_t size, int sample)
{
	static const char *const names[] = {"a", "b", "ab", "a.b", ""};
	static const char *const ext[] = {"", "", ".png", ".npy"};
	unsigned parts = 1 + next_below(3);
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < parts; k++) {
		const char *sep = k == 0 ? "" : sample && next_below(4) == 0 ? "\\" : "/";
		const char *name = names[next_below(next_below(8) == 0 ? 5 : 4)];

		len += (size_t)snprintf(buf + len, size - len, "%s%s", sep, name);
	}
	snprintf(buf + len, size - len, "%s", ext[next_below(4)]);
}

/* Random datasets and samples: the join gives what the reference gives,
 * the same items or the same message on the same line. */
static void test_match_random(void **state)
{
	size_t agree = 0, failures = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		/* Half the rounds name every item once, shuffled; the others
		 * draw any ids, mostly items' ids below another folder. */
		int each_once = round % 2;
		size_t n_items = each_once + next_below(8 - (unsigned)each_once);
		size_t n_samples = each_once ? n_items : 1 + next_below(7), item_of[8], ref_of[8];
		size_t order[8];
		char ids[16][32], msg[2 * ADT_MSG_SIZE];
		const char *item_ids[8], *sample_ids[8];
		struct adt_dataset ds;
		struct adt_samples s;
		struct adt_error err;
		unsigned long line;
		int ret, ref;

		for (size_t j = 0; j < n_items; j++) {
			random_path(ids[j], sizeof(ids[j]), 0);
			item_ids[j] = ids[j];
			order[j] = j;
		}
		for (size_t j = n_items; j > 1; j--) {
			size_t k = next_below((unsigned)j), t = order[j - 1];

			order[j - 1] = order[k];
			order[k] = t;
		}
		for (size_t i = 0; i < n_samples; i++) {
			if (each_once || (n_items && next_below(3))) {
				const char *item =
				    item_ids[each_once ? order[i] : next_below((unsigned)n_items)];

				snprintf(ids[8 + i], sizeof(ids[8 + i]), "%s%s%s",
					 next_below(2) ? "x/" : "", item,
					 next_below(2) ? ".png" : "");
			} else {
				random_path(ids[8 + i], sizeof(ids[8 + i]), 1);
			}
			sample_ids[i] = ids[8 + i];
		}
		make_dataset(&ds, item_ids, n_items);
		make_samples(&s, sample_ids, n_samples);
		adt_error_init(&err);
		ret = adt_dataset_match(&ds, &s, item_of, &err);
		ref = ref_match(&ds, &s, ref_of, msg, sizeof(msg), &line);
		assert_int_equal(ret, ref);
		if (ret == 0) {
			for (size_t i = 0; i < n_samples; i++)
				assert_int_equal(item_of[i], ref_of[i]);
			agree++;
		} else {
			assert_string_equal(err.msg, msg);
			assert_int_equal(err.line, line);
			failures++;
		}
		adt_samples_release(&s);
		adt_dataset_release(&ds);
	}
	print_message("%zu joins, %zu errors\n", agree, failures);
	/* Both outcomes were exercised, each many times. */
	assert_true(agree > 1000);
	assert_true(failures > 1000);
}

/* A join of many maps whose ids share their tails: every row finds its
 * own map, in an order unrelated to the maps'. */
static void test_match_many(void **state)
{
	enum { N = 30000 };
	char **ids = calloc(2 * N, sizeof(*ids));
	size_t *item_of = calloc(N, sizeof(*item_of));
	struct adt_dataset ds;
	struct adt_samples s;
	struct adt_error err;

	(void)state;
	assert_non_null(ids);
	assert_non_null(item_of);
	for (size_t j = 0; j < N; j++) {
		size_t i = (j * 7919) % N; /* the row that names map j */

		ids[j] = malloc(32);
		ids[N + i] = malloc(48);
		assert_non_null(ids[j]);
		assert_non_null(ids[N + i]);
		snprintf(ids[j], 32, "d%zu/%03zu", j / 3, j % 3);
		snprintf(ids[N + i], 48, "bottle/test/d%zu/%03zu.png", j / 3, j % 3);
	}
	make_dataset(&ds, (const char *const *)ids, N);
	make_samples(&s, (const char *const *)ids + N, N);
	assert_int_equal(adt_dataset_match(&ds, &s, item_of, &err), 0);
	for (size_t j = 0; j < N; j++)
		assert_int_equal(item_of[(j * 7919) % N], j);
	for (size_t k = 0; k < 2 * N; k++)
		free(ids[k]);
	free(ids);
	free(item_of);
	adt_samples_release(&s);
	adt_dataset_release(&ds);
}

/* A tree of empty files (the pairing reads no file), the arguments, and
 * what the pairing makes of them: "ID=MASK" per item in order (MASK
 * relative to the tree, "-" for none), or the error's message; notes
 * counted, each holding the next fragment of `notes`. */
#define MAXF 16
struct pair_case {
	const char *name;
	const char *files[MAXF];
	const char *maps, *masks; /* relative to the tree; masks may be NULL */
	const char *suffix, *split;
	const char *want[MAXF];
	const char *msg; /* failure: the message, with "@" for the tree */
	const char *notes[4];
};

static const struct pair_case pair_cases[] = {
    {.name = "MVTec AD: test/ against ground_truth/",
     .files = {"r/c/test/good/0.tiff", "r/c/test/crack/1.tiff", "d/c/ground_truth/crack/1_mask.png",
	       "d/c/test/crack/1.png"},
     .maps = "r/c",
     .masks = "d/c",
     .want = {"crack/1=d/c/ground_truth/crack/1_mask.png", "good/0=-"}},
    {.name = "MVTec AD 2: test_public/ first, validation and test_private noted",
     .files = {"r/c/test_public/good/0.tiff", "r/c/test_public/bad/1.tiff",
	       "r/c/validation/good/0.tiff", "r/c/test_private/5.tiff",
	       "d/c/test_public/ground_truth/bad/1_mask.png", "d/c/test_public/bad/1.png",
	       "d/c/validation/good/0.png"},
     .maps = "r/c",
     .masks = "d/c",
     .want = {"bad/1=d/c/test_public/ground_truth/bad/1_mask.png", "good/0=-"},
     .notes = {"validation: the split walked is 'test_public'", "test_private: a private"}},
    {.name = "MVTec AD 2: --split validation needs no ground truth",
     .files = {"r/c/test_public/bad/1.tiff", "r/c/validation/good/0.tiff",
	       "d/c/test_public/ground_truth/bad/1_mask.png", "d/c/validation/good/0.png"},
     .maps = "r/c",
     .masks = "d/c",
     .split = "validation",
     .want = {"good/0=-"},
     .notes = {"test_public: the split walked is 'validation' (--split test_public"}},
    {.name = "MVTec AD 2: an anomalous map in validation has no ground truth",
     .files = {"r/c/validation/bad/1.tiff", "d/c/validation/good/0.png"},
     .maps = "r/c",
     .masks = "d/c",
     .msg = "no mask for this map: '@/d/c/validation' has no ground_truth/ (only maps in a "
	    "folder named good, ok or normal count there)"},
    {.name = "MVTec AD 2: maps and ground_truth/ in one test_public/",
     .files = {"x/test_public/good/0.tiff", "x/test_public/bad/1.tiff",
	       "x/test_public/ground_truth/bad/1_mask.png"},
     .maps = "x",
     .masks = "x",
     .want = {"bad/1=x/test_public/ground_truth/bad/1_mask.png", "good/0=-"}},
    {.name = "MVTec AD 2: maps without a split against test_public/ground_truth/",
     .files = {"r/good/0.tiff", "r/bad/1.tiff", "d/test_public/ground_truth/bad/1_mask.png",
	       "d/test_public/bad/1.png"},
     .maps = "r",
     .masks = "d",
     .want = {"bad/1=d/test_public/ground_truth/bad/1_mask.png", "good/0=-"}},
    {.name = "MVTec AD 2: only private splits",
     .files = {"r/c/test_private/0.tiff", "r/c/test_private_mixed/1.tiff"},
     .maps = "r/c",
     .masks = "r/c",
     .msg = "no maps found: only private test splits (test_private, test_private_mixed), "
	    "which have no ground truth",
     .notes = {"test_private: a private test split", "test_private_mixed: a private"}},
    {.name = "VisA: Data/Images/ against Data/Masks/, masks named as their images",
     .files = {"r/c/Data/Images/Normal/0.tiff", "r/c/Data/Images/Anomaly/1.tiff",
	       "d/c/Data/Images/Anomaly/1.JPG", "d/c/Data/Masks/Anomaly/1.png"},
     .maps = "r/c",
     .masks = "d/c",
     .want = {"Anomaly/1=d/c/Data/Masks/Anomaly/1.png", "Normal/0=-"}},
    {.name = "VisA: one tree for both",
     .files = {"d/c/Data/Images/Normal/0.png", "d/c/Data/Images/Anomaly/1.png",
	       "d/c/Data/Masks/Anomaly/1.png"},
     .maps = "d/c",
     .masks = "d/c",
     .want = {"Anomaly/1=d/c/Data/Masks/Anomaly/1.png", "Normal/0=-"}},
    {.name = "--mask-suffix _gt",
     .files = {"r/crack/1.tiff", "r/crack/2.tiff", "d/crack/1_gt.png", "d/crack/2.png"},
     .maps = "r",
     .masks = "d",
     .suffix = "_gt",
     .want = {"crack/1=d/crack/1_gt.png", "crack/2=d/crack/2.png"}},
    {.name = "--mask-suffix _gt: a _mask file is a mask without a map",
     .files = {"r/crack/1.tiff", "d/crack/1_gt.png", "d/crack/2_mask.png"},
     .maps = "r",
     .masks = "d",
     .suffix = "_gt",
     .msg = "mask without a map (expected '@/r/crack/2_mask.*'; mask suffix '_gt')"},
    {.name = "--mask-suffix _gt beside the maps",
     .files = {"x/crack/1.tiff", "x/crack/1_gt.png", "x/good/0.tiff"},
     .maps = "x",
     .masks = "x",
     .suffix = "_gt",
     .want = {"crack/1=x/crack/1_gt.png", "good/0=-"}},
    {.name = "--mask-suffix '': the name only",
     .files = {"r/crack/1.tiff", "d/crack/1.npy"},
     .maps = "r",
     .masks = "d",
     .suffix = "",
     .want = {"crack/1=d/crack/1.npy"}},
    {.name = "--mask-suffix '': no mask",
     .files = {"r/crack/1.tiff", "d/crack/1_mask.png"},
     .maps = "r",
     .masks = "d",
     .suffix = "",
     .msg = "no mask for this map (looked for '@/d/crack/1.*' with --mask-suffix ''; maps in "
	    "a folder named good need none)"},
    {.name = "--mask-suffix '' with maps and masks in one folder",
     .files = {"x/crack/1.tiff", "x/crack/1_mask.png"},
     .maps = "x",
     .masks = "x",
     .suffix = "",
     .msg = "maps and masks in one folder need a mask suffix (--mask-suffix '' leaves none to "
	    "tell them apart)"},
    {.name = "the default suffix names itself in errors",
     .files = {"r/crack/1.tiff", "d/crack/1_mask.png", "d/crack/7_mask.png"},
     .maps = "r",
     .masks = "d",
     .msg = "mask without a map (expected '@/r/crack/7.*'; mask suffix '_mask')"},
    {.name = "files of no map format are noted, dot files not",
     .files = {"r/test/crack/1.tiff", "r/test/crack/notes.txt", "r/test/crack/.x.tiff",
	       "r/test/crack/a.jpg", "r/test/scores.csv", "d/ground_truth/crack/1_mask.png",
	       "d/ground_truth/crack/README"},
     .maps = "r",
     .masks = "d",
     .want = {"crack/1=d/ground_truth/crack/1_mask.png"},
     .notes = {"crack/a.jpg: not a map format", "crack/notes.txt: not a map format",
	       "crack/README: not a mask format"}},
    {.name = "--split absent from both",
     .files = {"r/good/0.tiff"},
     .maps = "r",
     .masks = "r",
     .split = "valdation",
     .msg = "no split folder 'valdation' here nor in '@/r' (--split valdation)"},
    {.name = "--split test_private",
     .files = {"r/test_private/0.tiff"},
     .maps = "r",
     .masks = "r",
     .split = "test_private",
     .msg = "split 'test_private' is a private test split: it has no ground truth"},
};

static char tree[256];

static void make_file(const char *rel)
{
	char path[PATH_MAX];
	FILE *f;

	for (char *p = path + snprintf(path, sizeof(path), "%s/", tree); *rel; rel++, p++) {
		*p = *rel;
		p[1] = '\0';
		if (*rel == '/')
			mkdir(path, 0777);
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

/* s with every "@" replaced by the tree's path. */
static void expand(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		if (*s == '@')
			n += (size_t)snprintf(out + n, size - n, "%s", tree);
		else
			out[n++] = *s;
	}
	out[n < size ? n : size - 1] = '\0';
}

static void test_pair_case(void **state)
{
	const struct pair_case *c = *state;
	char maps[PATH_MAX], masks[PATH_MAX], want[ADT_MSG_SIZE];
	struct adt_pair_opts o = {c->suffix, c->split};
	struct adt_messages notes;
	struct adt_dataset ds;
	struct adt_error err;
	size_t n = 0, k = 0;
	int rc;

	remove_tree(tree);
	assert_int_equal(mkdir(tree, 0777), 0);
	for (size_t i = 0; i < MAXF && c->files[i]; i++)
		make_file(c->files[i]);
	snprintf(maps, sizeof(maps), "%s/%s", tree, c->maps);
	if (c->masks)
		snprintf(masks, sizeof(masks), "%s/%s", tree, c->masks);
	adt_dataset_init(&ds);
	adt_messages_init(&notes);
	adt_error_init(&err);
	rc = adt_dataset_pair(&ds, maps, c->masks ? masks : NULL, &o, &notes, &err);
	if (c->msg) {
		expand(want, sizeof(want), c->msg);
		assert_int_equal(rc, -1);
		assert_string_equal(err.msg, want);
	} else {
		assert_int_equal(rc, 0);
		for (; n < MAXF && c->want[n]; n++) {
			const struct adt_item *it = &ds.items[n];
			char got[2 * PATH_MAX];
			size_t skip = strlen(tree) + 1;

			assert_true(n < ds.n);
			snprintf(got, sizeof(got), "%s=%s", it->id,
				 it->mask_path ? it->mask_path + skip : "-");
			assert_string_equal(got, c->want[n]);
		}
		assert_int_equal(ds.n, n);
	}
	for (size_t i = 0; i < notes.n; i++) {
		if (k < 4 && c->notes[k] && strstr(notes.v[i].text, c->notes[k]))
			k++;
	}
	for (; k < 4 && c->notes[k]; k++)
		fail_msg("no note with '%s' (%zu notes)", c->notes[k], notes.n);
	if (!c->notes[0])
		assert_int_equal(notes.n, 0);
	adt_messages_release(&notes);
	adt_dataset_release(&ds);
	remove_tree(tree);
}

/* Which folders look like a category. */
static void test_is_category(void **state)
{
	static const struct {
		const char *file;
		int yes;
	} rows[] = {{"a/test/good/0.png", 1},
		    {"b/test_public/good/0.png", 1},
		    {"c/validation/good/0.png", 1},
		    {"d/Data/Images/Normal/0.png", 1},
		    {"e/ground_truth/crack/0.png", 1},
		    {"f/test_private/0.png", 1},
		    {"g/good/0.png", 0},
		    {"h/Data/0.png", 0}};
	char path[PATH_MAX];

	(void)state;
	remove_tree(tree);
	assert_int_equal(mkdir(tree, 0777), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		make_file(rows[i].file);
		snprintf(path, sizeof(path), "%s/%c", tree, rows[i].file[0]);
		if (adt_dataset_is_category(path) != rows[i].yes)
			fail_msg("%s: expected %d", rows[i].file, rows[i].yes);
	}
	remove_tree(tree);
}

int main(void)
{
	struct test_list l = {0};
	int rc;

	TEST_LIST_TABLE(&l, cases, test_match_case);
	test_list_add(&l, "random datasets agree with the reference", test_match_random);
	test_list_add(&l, "30,000 maps, shuffled", test_match_many);
	TEST_LIST_TABLE(&l, pair_cases, test_pair_case);
	test_list_add(&l, "folders that look like a category", test_is_category);
	snprintf(tree, sizeof(tree), "%s/adt-dataset-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tree)) {
		perror("mkdtemp");
		return 1;
	}
	rc = test_list_run(&l, "dataset");
	remove_tree(tree);
	return rc;
}

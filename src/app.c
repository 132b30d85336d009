/* One evaluation end to end (see app.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "adthresh/app.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/counts.h"
#include "adthresh/dataset.h"
#include "adthresh/hash.h"
#include "adthresh/image_formats.h"
#include "adthresh/imagefile.h"
#include "adthresh/merge.h"
#include "adthresh/samples.h"
#include "adthresh/value.h"

int adt_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0 || stat(a, &sa) != 0 ||
	    stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The output that would overwrite something given as input (the scores,
 * the maps or masks, any file paired from their folders), or NULL. */
static const char *output_is_input(const struct adt_job *job, const struct adt_dataset *ds)
{
	for (size_t k = 0; k < sizeof(job->output) / sizeof(job->output[0]); k++) {
		const char *o = job->output[k];

		if (!o || strcmp(o, "-") == 0)
			continue;
		if (adt_same_file(o, job->scores) || adt_same_file(o, job->maps) ||
		    adt_same_file(o, job->masks))
			return o;
		for (size_t i = 0; i < job->nmerge; i++) {
			if (adt_same_file(o, job->merge[i]))
				return o;
		}
		for (size_t i = 0; ds && i < ds->n; i++) {
			if (adt_same_file(o, ds->items[i].map_path) ||
			    adt_same_file(o, ds->items[i].mask_path))
				return o;
		}
	}
	return NULL;
}

static int refuse_output(const char *output, struct adt_outcome *out, struct adt_error *err)
{
	out->output_is_input = 1;
	return adt_error_at(err, ADT_EUSAGE, output, 0,
			    "refusing to overwrite an input with the output");
}

/* Whether --maps names a JSON results document rather than maps. */
static int is_document(const struct adt_job *job)
{
	size_t len = strlen(job->maps);

	return !job->masks && ((len > 5 && strcasecmp(job->maps + len - 5, ".json") == 0) ||
			       (len > 6 && strcasecmp(job->maps + len - 6, ".jsonl") == 0));
}

/* Turns a JSON results document into items (maps and masks in memory) and,
 * when every image has a score and a label, image-level samples. */
static int load_document(const struct adt_job *job, struct adt_doc *doc, struct adt_dataset *ds,
			 struct adt_samples *scores, struct adt_error *err)
{
	struct adt_decode_opts o = {ADT_AS_MAP, job->pixels.max_pixels};
	size_t with_score = 0;
	char *buf;
	size_t len;
	int ret;

	if (adt_slurp_file(job->maps, &buf, &len, err)) {
		adt_error_set_file(err, job->maps);
		return -1;
	}
	ret = adt_doc_json_read_mem(buf, len, job->maps, &o, doc, err);
	free(buf);
	if (ret || adt_doc_check_masks(doc, job->maps, err))
		return -1;
	snprintf(ds->root, sizeof(ds->root), "%s", job->maps);
	for (size_t i = 0; i < doc->n; i++) {
		struct adt_doc_image *im = &doc->images[i];
		char id[32];

		snprintf(id, sizeof(id), "%zu", i);
		if (adt_dataset_add(ds, im->id ? im->id : id, job->maps, i, NULL, 0, err))
			return -1;
		ds->items[i].map_mem = &im->map;
		ds->items[i].mask_mem = im->mask.width ? &im->mask : NULL;
		ds->items[i].line = im->line;
		with_score += im->has_score && im->has_label;
	}
	if (adt_dataset_check_ids(ds, err))
		return -1;
	if (with_score == 0)
		return 0;
	/* Image scores for some images only would be a guess for the others. */
	for (size_t i = 0; with_score < doc->n && i < doc->n; i++) {
		struct adt_doc_image *im = &doc->images[i];

		if (!im->has_score || !im->has_label)
			return adt_error_at(
			    err, ADT_EDATA, job->maps, im->line,
			    "element %zu has no %s but %zu other elements have both "
			    "pred_score and gt_label; give them for every image or for "
			    "none",
			    i + 1, im->has_score ? "gt_label" : "pred_score", with_score);
	}
	for (size_t i = 0; i < doc->n; i++) {
		struct adt_doc_image *im = &doc->images[i];

		if (adt_samples_push(scores, im->score, im->label, ds->items[i].id, im->line, err))
			return -1;
	}
	return 0;
}

/* The maps and masks held in memory as the items of a stacked file. */
static int load_memory_maps(const struct adt_memory *mem, struct adt_dataset *ds,
			    struct adt_error *err)
{
	snprintf(ds->root, sizeof(ds->root), "%s", mem->maps_name);
	for (size_t i = 0; i < mem->nmaps; i++) {
		struct adt_item *it;
		char id[32];

		snprintf(id, sizeof(id), "%zu", i);
		if (adt_dataset_add(ds, id, mem->maps_name, i, NULL, i, err))
			return -1;
		it = &ds->items[i];
		it->map_mem = &mem->maps[i];
		it->mask_mem = mem->masks ? &mem->masks[i] : NULL;
		/* Errors name the image of the stack, as for a stacked file. */
		it->map_info.count = it->mask_info.count = mem->nmaps;
	}
	return 0;
}

/* The image-level samples held in memory; with maps in memory too,
 * sample i is named as map i ("i"), without them they have no ids. */
static int load_memory_scores(const struct adt_memory *mem, struct adt_samples *s,
			      struct adt_error *err)
{
	for (size_t i = 0; i < mem->nscores; i++) {
		double x = mem->scores[i];
		char id[32];

		if (!isfinite(x))
			return adt_error_at(err, ADT_EDATA, mem->scores_name, 0,
					    "element %zu: score is %s", i,
					    isnan(x) ? "NaN" : "infinite");
		snprintf(id, sizeof(id), "%zu", i);
		if (adt_samples_push(s, x, mem->labels[i] != 0, mem->maps ? id : NULL, 0, err))
			return -1;
	}
	return 0;
}

/* Warns about images in a good/ok/normal folder whose mask marks
 * anomalous pixels: they count as anomalous, which the folder contradicts. */
static void warn_marked_good(const struct adt_dataset *ds, const struct adt_samples *from_maps,
			     struct adt_outcome *out)
{
	size_t bad = 0, first = 0;

	for (size_t i = 0; i < ds->n && i < from_maps->n; i++) {
		int label;

		if (from_maps->label[i] && adt_label_from_path(ds->items[i].id, &label) == 0 &&
		    label == 0 && bad++ == 0)
			first = i;
	}
	if (bad && ds->items[first].line)
		/* An image of a JSON document, at its line. */
		adt_messages_add(
		    &out->msgs, ADT_MSG_WARNING,
		    "%s:%lu: the gt_mask of image '%s' marks anomalous pixels on an "
		    "image in a normal folder (%zu such image%s); they count as anomalous",
		    ds->root, ds->items[first].line, ds->items[first].id, bad, bad == 1 ? "" : "s");
	else if (bad)
		adt_messages_add(
		    &out->msgs, ADT_MSG_WARNING,
		    "%s: mask '%s' marks anomalous pixels on an image in a normal folder (%zu such "
		    "image%s); they count as anomalous",
		    ds->items[first].map_path ? ds->items[first].map_path : ds->root,
		    ds->items[first].mask_path ? ds->items[first].mask_path : ds->items[first].id,
		    bad, bad == 1 ? "" : "s");
}

/* Warns about images whose label in the scores file contradicts their
 * mask (an anomalous label with an empty mask, or the reverse). */
static void warn_label_mismatch(const struct adt_samples *scores, const size_t *item_of,
				const struct adt_samples *from_maps, const char *file,
				struct adt_outcome *out)
{
	size_t bad = 0, first = 0;
	char at[32] = "";

	for (size_t i = 0; i < scores->n; i++) {
		if (scores->label[i] != from_maps->label[item_of[i]] && bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return;
	/* Scores held in memory have no lines. */
	if (scores->line[first])
		snprintf(at, sizeof(at), ":%lu", scores->line[first]);
	adt_messages_add(
	    &out->msgs, ADT_MSG_WARNING,
	    "%s%s: image '%s' is labelled %s but its mask %s (%zu of %zu images disagree with "
	    "their masks)",
	    file, at, scores->id ? scores->id[first] : "",
	    scores->label[first] ? "anomalous" : "normal",
	    scores->label[first] ? "marks no pixel" : "marks anomalous pixels", bad, scores->n);
}

/* Warns about images whose gt_label in the document contradicts their
 * mask, as for the labels of a scores file. */
static int warn_doc_mismatch(const struct adt_doc *doc, const struct adt_dataset *ds,
			     const struct adt_samples *from_maps, const char *file,
			     struct adt_outcome *out, struct adt_error *err)
{
	size_t *item_of = malloc((doc->n ? doc->n : 1) * sizeof(*item_of));
	struct adt_samples labelled;
	int ret = -1;

	adt_samples_init(&labelled);
	if (!item_of) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < doc->n; i++) {
		const struct adt_doc_image *im = &doc->images[i];

		if (!im->has_label)
			continue;
		item_of[labelled.n] = i;
		if (adt_samples_push(&labelled, 0, im->label, ds->items[i].id, im->line, err))
			goto out;
	}
	warn_label_mismatch(&labelled, item_of, from_maps, file, out);
	ret = 0;
out:
	adt_samples_release(&labelled);
	free(item_of);
	return ret;
}

/* The pixel level, and the image level the maps imply. */
/* Adds s (with its NUL, so that "ab" "c" and "a" "bc" differ) to a
 * running hash h. */
static uint64_t hash_text(uint64_t h, const char *s)
{
	return (h ^ adt_hash_bytes(s, strlen(s) + 1)) * UINT64_C(0x100000001b3);
}

/* The hash of a file's resolved path (the path as given when it cannot be
 * resolved: standard input), fed to h. */
static uint64_t hash_path(uint64_t h, const char *path)
{
	char *abs = path && strcmp(path, "-") != 0 ? realpath(path, NULL) : NULL;

	h = hash_text(h, abs ? abs : path ? path : "");
	free(abs);
	return h;
}

/* The ids under which --save-counts keeps the images of maps: the item's
 * id ("crack/003", "7" in a stack) names an image only within its run, so
 * two runs over other folders or stacks would share ids and their merge
 * would take them for one image; and a folder spelt two ways would give
 * one image two names.  Each id gets "@" and 16 hexadecimal digits: a hash
 * of the map file's resolved path, the image's index in it and its id, so
 * that one image has one id however its folder was spelt, and no machine's
 * folders end up in the file.  The id before the "@" keeps its folder for
 * the per-defect table. */
static int identify_images(const struct adt_dataset *ds, struct adt_samples *s,
			   struct adt_error *err)
{
	for (size_t i = 0; s->id && i < s->n && i < ds->n; i++) {
		const struct adt_item *it = &ds->items[i];
		uint64_t h = UINT64_C(0xcbf29ce484222325);
		char index[24], *id;
		size_t len;

		if (!it->map_path)
			continue;
		snprintf(index, sizeof(index), "%llu", (unsigned long long)it->map_index);
		h = hash_text(hash_text(hash_path(h, it->map_path), index), it->id);
		len = strlen(it->id) + 18;
		if (!(id = malloc(len)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		snprintf(id, len, "%s@%016llx", it->id, (unsigned long long)h);
		free(s->id[i]);
		s->id[i] = id;
	}
	return 0;
}

/* What tells the inputs of a shard from others': a hash of the resolved
 * paths of the maps, masks and scores given, and the count of the images
 * cut. */
static uint64_t cut_of(const struct adt_job *job, size_t items)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	char n[24];

	snprintf(n, sizeof(n), "%zu", items);
	h = hash_path(hash_path(hash_path(h, job->maps), job->masks), job->scores);
	return hash_text(h, n) | 1;
}

/* Where part k of n of `items` things begins (k - 1) and ends (k). */
static size_t shard_edge(uint32_t k, uint32_t n, size_t items)
{
	/* items * k / n without overflow: items = q n + r, r k < 2^64. */
	return items / n * k + items % n * k / n;
}

/* The shard of `items` things the job asks for, as [*lo, *hi); an error
 * when there are fewer things than shards. */
static int shard_range(const struct adt_job *job, size_t items, const char *what,
		       const char *file, struct adt_outcome *out, size_t *lo, size_t *hi,
		       struct adt_error *err)
{
	if (items < job->shard_n)
		return adt_error_at(err, ADT_EDATA, file, 0,
				    "%zu %s cannot make %u shards (--shard %u/%u)", items, what,
				    job->shard_n, job->shard_k, job->shard_n);
	*lo = shard_edge(job->shard_k - 1, job->shard_n, items);
	*hi = shard_edge(job->shard_k, job->shard_n, items);
	if (out->saved) {
		out->saved->items = items;
		out->saved->cut = cut_of(job, items);
	}
	if (job->verbose)
		adt_messages_add(&out->msgs, ADT_MSG_NOTE,
				 "%s: shard %u/%u is %s %zu to %zu of %zu", file, job->shard_k,
				 job->shard_n, what, *lo + 1, *hi, items);
	return 0;
}

/* Keeps the samples lo .. hi - 1, or those whose item_of is in [lo, hi). */
static int keep_samples(struct adt_samples *s, const size_t *item_of, size_t lo, size_t hi,
			struct adt_error *err)
{
	struct adt_samples kept;

	adt_samples_init(&kept);
	kept.single = s->single;
	for (size_t i = 0; i < s->n; i++) {
		size_t at = item_of ? item_of[i] : i;

		if (at < lo || at >= hi)
			continue;
		if (adt_samples_push(&kept, s->score[i], s->label[i], s->id ? s->id[i] : NULL,
				     s->line ? s->line[i] : 0, err)) {
			adt_samples_release(&kept);
			return -1;
		}
	}
	adt_samples_release(s);
	*s = kept;
	return 0;
}

/* --shard with maps: keeps the shard's maps, and with a scores file the
 * rows of those maps (read here, matched against all the maps). */
static int shard_maps(const struct adt_job *job, struct adt_dataset *ds, struct adt_samples *scores,
		      struct adt_outcome *out, struct adt_error *err)
{
	size_t lo, hi, *item_of = NULL;
	struct adt_read_opts ro = job->read;
	int ret = -1;

	if (shard_range(job, ds->n, "maps", ds->root, out, &lo, &hi, err))
		return -1;
	if (job->scores) {
		adt_samples_release(scores);
		if (adt_read_scores_file(job->scores, &ro, scores, err))
			return -1;
		item_of = malloc((scores->n ? scores->n : 1) * sizeof(*item_of));
		if (!item_of)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		if (adt_dataset_match(ds, scores, item_of, err)) {
			adt_error_set_file(err, job->scores);
			goto out;
		}
		if (keep_samples(scores, item_of, lo, hi, err))
			goto out;
	}
	adt_dataset_keep(ds, lo, hi);
	ret = 0;
out:
	free(item_of);
	return ret;
}

static int eval_pixels(const struct adt_job *job, struct adt_dataset *ds, struct adt_doc *doc,
		       struct adt_samples *scores, struct adt_outcome *out,
		       struct adt_samples *from_maps, struct adt_image_stats **stats,
		       struct adt_error *err)
{
	size_t masked = 0;

	if (job->memory && job->memory->maps) {
		if (load_memory_maps(job->memory, ds, err))
			return -1;
	} else if (is_document(job)) {
		if (load_document(job, doc, ds, scores, err))
			return -1;
	} else if (adt_dataset_pair(ds, job->maps, job->masks, &job->pair,
				    job->verbose ? &out->msgs : NULL, err) ||
		   (job->shard_n && shard_maps(job, ds, scores, out, err))) {
		return -1;
	}
	if (output_is_input(job, ds))
		return refuse_output(output_is_input(job, ds), out, err);
	if (adt_eval_dataset(ds, &job->pixels, &job->pixel, &out->pixel, from_maps,
			     job->per_defect || job->per_image ? stats : NULL, err))
		return -1;
	out->has_pixel = 1;
	for (size_t i = 0; i < ds->n; i++)
		masked += ds->items[i].mask_path || ds->items[i].mask_mem;
	warn_marked_good(ds, from_maps, out);
	if (job->maps && is_document(job) &&
	    warn_doc_mismatch(doc, ds, from_maps, job->maps, out, err))
		return -1;
	if (job->verbose)
		adt_messages_add(&out->msgs, ADT_MSG_NOTE,
				 "%s: %zu maps, %zu with a mask, %llu pixels", ds->root, ds->n,
				 masked, (unsigned long long)out->pixel.n);
	return 0;
}

/* Checks that the scores name the images of the maps, and warns where
 * their labels contradict the masks.  *item_of (freed by the caller)
 * receives the map of each sample. */
static int match_scores(const struct adt_dataset *ds, const struct adt_samples *scores,
			const struct adt_samples *from_maps, const char *file,
			struct adt_outcome *out, size_t **item_of, struct adt_error *err)
{
	int ret = -1;

	*item_of = malloc((scores->n ? scores->n : 1) * sizeof(**item_of));
	if (!*item_of)
		adt_error_set(err, ADT_ENOMEM, "out of memory");
	else if (adt_dataset_match(ds, scores, *item_of, err) == 0)
		ret = 0;
	if (ret)
		adt_error_set_file(err, file);
	else
		warn_label_mismatch(scores, *item_of, from_maps, file, out);
	return ret;
}

/* Whether the samples are all of one class. */
static int one_class(const struct adt_samples *s)
{
	for (size_t i = 1; i < s->n; i++) {
		if (s->label[i] != s->label[0])
			return 0;
	}
	return 1;
}

static void warn_one_class(struct adt_outcome *out, const char *level,
			   const struct adt_level_result *r)
{
	adt_messages_add(
	    &out->msgs, ADT_MSG_WARNING,
	    "%s level has only %s samples (%llu); threshold = %s score (anomalib's fallback); "
	    "undefined metrics are n/a (null in JSON)",
	    level, r->positives ? "anomalous" : "normal", (unsigned long long)r->n,
	    r->positives ? "lowest" : "highest");
}

/* The image level, from the scores or implied by the maps. */
static int eval_images(const struct adt_job *job, const struct adt_samples *images, const char *src,
		       int implied, struct adt_outcome *out, struct adt_error *err)
{
	if (implied && one_class(images) &&
	    adt_eval_classes_missing(&job->image, images->label[0] != 0, images->label[0] == 0)) {
		/* Only implied by the maps: a set of defective images alone still
		 * has a pixel level worth reporting. */
		adt_messages_add(
		    &out->msgs, ADT_MSG_WARNING,
		    "%s: %s %zu image%s %s %s, so there is no image level (give SCORES or "
		    "--allow-one-class for one)",
		    src, images->n == 1 ? "the" : "all", images->n, images->n == 1 ? "" : "s",
		    images->n == 1 ? "is" : "are", images->label[0] ? "anomalous" : "normal");
		return 0;
	}
	if (adt_eval_samples(images, "image", &job->image, &out->image, err)) {
		adt_error_set_file(err, src);
		return -1;
	}
	out->has_image = 1;
	return 0;
}

void adt_outcome_release(struct adt_outcome *out)
{
	adt_points_release(&out->curve[0]);
	adt_points_release(&out->curve[1]);
	adt_defects_release(&out->defects);
	adt_perimage_release(&out->images);
	adt_messages_release(&out->msgs);
	free(out->aupimo);
	out->aupimo = NULL;
	free(out->source);
	out->source = NULL;
	out->image.source = NULL;
	if (out->saved) {
		for (size_t i = 0; i < out->saved->ngroups; i++) {
			free(out->saved->group_name[i]);
			adt_points_release(&out->saved->group_points[i]);
		}
		free(out->saved->group_name);
		free(out->saved->group_points);
		adt_samples_release(&out->saved->images);
		free(out->saved->region_size);
		free(out->saved);
		out->saved = NULL;
	}
}

/* What --save-counts writes of a run: the image samples it used (moved
 * out of images) and the kind of its levels. */
static void keep_saved(const struct adt_job *job, struct adt_outcome *out,
		       struct adt_samples *images, int implied)
{
	struct adt_saved *s = out->saved;

	s->flags = 0;
	if (images->n > 0) {
		s->flags |= ADT_COUNTS_IMAGE;
		s->flags |= images->single ? ADT_COUNTS_SINGLE : 0;
		s->flags |= images->id ? ADT_COUNTS_IDS : 0;
		s->flags |= implied ? ADT_COUNTS_IMPLIED : 0;
		s->images = *images;
		adt_samples_init(images);
	}
	if (out->has_pixel) {
		s->flags |= ADT_COUNTS_PIXEL;
		s->flags |= out->pixel.single ? 0 : ADT_COUNTS_WIDE;
		s->flags |= s->region_size ? ADT_COUNTS_REGIONS : 0;
		s->flags |= job->per_defect ? ADT_COUNTS_DEFECTS : 0;
	}
	s->shard_k = job->shard_k;
	s->shard_n = job->shard_n;
	s->words = job->words;
	s->nwords = job->nwords;
}

static int set_source(struct adt_outcome *out, const char *source, struct adt_error *err);
static int break_down(const struct adt_dataset *ds, const struct adt_image_stats *stats,
		      const struct adt_samples *images, const char *src, struct adt_outcome *out,
		      struct adt_error *err);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The defect folders of the items' ids, sorted, each once, into
 * s->group_name (every id has a folder: the per-defect table checked). */
static int group_names(const struct adt_dataset *ds, struct adt_saved *s, struct adt_error *err)
{
	size_t n = 0;

	s->group_name = calloc(ds->n ? ds->n : 1, sizeof(*s->group_name));
	if (!s->group_name)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (size_t i = 0; i < ds->n; i++) {
		const char *start;
		size_t len;

		if (adt_defect_of(ds->items[i].id, &start, &len))
			continue;
		if (!(s->group_name[n] = strndup(start, len)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		n++;
	}
	qsort(s->group_name, n, sizeof(*s->group_name), by_name);
	s->ngroups = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->ngroups && strcmp(s->group_name[i], s->group_name[s->ngroups - 1]) == 0)
			free(s->group_name[i]);
		else
			s->group_name[s->ngroups++] = s->group_name[i];
	}
	return 0;
}

/* --save-counts with --per-defect: each defect folder's pixels counted
 * apart (a count-only run over its maps), for the merge to count them at
 * its threshold. */
static int count_groups(const struct adt_job *job, const struct adt_dataset *ds,
			struct adt_outcome *out, struct adt_error *err)
{
	struct adt_saved *s = out->saved;
	struct adt_pixel_opts po = job->pixels;
	struct adt_eval_opts eo;
	struct adt_level_result r;
	struct adt_samples scratch;
	struct adt_dataset sub;
	int ret = 0;

	if (group_names(ds, s, err))
		return -1;
	s->group_points = calloc(s->ngroups ? s->ngroups : 1, sizeof(*s->group_points));
	if (!s->group_points)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	po.progress = NULL;
	memset(&eo, 0, sizeof(eo));
	eo.rule = job->pixel.rule;
	eo.allow_one_class = 1;
	eo.record = ADT_RECORD_ALL;
	eo.record_memory = (size_t)1 << 20;
	for (size_t g = 0; ret == 0 && g < s->ngroups; g++) {
		adt_dataset_init(&sub);
		adt_samples_init(&scratch);
		memcpy(sub.root, ds->root, sizeof(sub.root));
		for (size_t i = 0; ret == 0 && i < ds->n; i++) {
			const char *start;
			size_t len;

			if (adt_defect_of(ds->items[i].id, &start, &len) == 0 &&
			    strlen(s->group_name[g]) == len &&
			    strncmp(start, s->group_name[g], len) == 0)
				ret = adt_dataset_copy_item(&sub, &ds->items[i], err);
		}
		eo.curve = &s->group_points[g];
		if (ret == 0)
			ret = adt_eval_dataset(&sub, &po, &eo, &r, &scratch, NULL, err);
		adt_samples_release(&scratch);
		adt_dataset_release(&sub);
	}
	return ret;
}

/* --merge: the union of the counts files, as one run over their data. */
static int evaluate_merge(const struct adt_job *job, struct adt_outcome *out,
			  struct adt_error *err)
{
	struct adt_merge *m;
	const struct adt_counts_head *h;
	struct adt_samples *images;
	int implied, ret = -1;

	if (adt_merge_open(job->merge, job->nmerge, &m, err))
		return -1;
	h = adt_merge_head(m);
	implied = (h->flags & ADT_COUNTS_IMPLIED) != 0;
	images = adt_merge_images(m);
	if ((h->flags & ADT_COUNTS_PIXEL) &&
	    adt_merge_pixels(m, &job->pixel, &out->pixel,
			     out->saved && (h->flags & ADT_COUNTS_REGIONS) ? &out->saved->region_size
									    : NULL,
			     out->saved ? &out->saved->regions : NULL, err))
		goto out;
	out->has_pixel = (h->flags & ADT_COUNTS_PIXEL) != 0;
	if ((h->flags & ADT_COUNTS_IMAGE) &&
	    (eval_images(job, images, adt_merge_first(m), implied, out, err) ||
	     (out->has_image && set_source(out, adt_merge_source(m), err))))
		goto out;
	if (job->per_defect) {
		/* The image level from the samples' ids, the pixel level from
		 * each file's folders. */
		struct adt_dataset none;

		adt_dataset_init(&none);
		if (break_down(&none, NULL, images, adt_merge_first(m), out, err) ||
		    (out->has_pixel && adt_merge_defects(m, &out->pixel, &out->defects, err)))
			goto out;
	}
	if (job->verbose)
		adt_messages_add(&out->msgs, ADT_MSG_NOTE,
				 "merged %zu counts files: %zu image samples, %llu pixels",
				 job->nmerge, images->n,
				 (unsigned long long)(out->has_pixel ? out->pixel.n : 0));
	if (out->saved) {
		keep_saved(job, out, images, implied);
		/* A merged whole is no longer a shard. */
		out->saved->shard_k = out->saved->shard_n = 0;
		out->saved->items = out->saved->cut = 0;
		if (!out->source && adt_merge_source(m)[0] &&
		    set_source(out, adt_merge_source(m), err))
			goto out;
	}
	if (out->has_image && out->image.one_class)
		warn_one_class(out, "image", &out->image);
	if (out->has_pixel && out->pixel.one_class)
		warn_one_class(out, "pixel", &out->pixel);
	ret = 0;
out:
	adt_merge_close(m);
	return ret;
}

/* Records where the image level's scores came from. */
static int set_source(struct adt_outcome *out, const char *source, struct adt_error *err)
{
	out->source = strdup(source);
	if (!out->source)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	out->image.source = out->source;
	return 0;
}

/* Whether the threshold of level r flags score x, under its rule. */
static int flags(const struct adt_level_result *r, double x)
{
	return r->rule == ADT_RULE_GT ? x > r->threshold : x >= r->threshold;
}

/* The per-defect breakdown of both levels: pixels per map from stats,
 * images from the samples the image level used, each flagged as that
 * level's threshold and rule flag it. */
static int break_down(const struct adt_dataset *ds, const struct adt_image_stats *stats,
		      const struct adt_samples *images, const char *src, struct adt_outcome *out,
		      struct adt_error *err)
{
	const struct adt_level_result *r = &out->image;

	for (size_t i = 0; out->has_pixel && i < ds->n; i++) {
		const struct adt_image_stats *st = &stats[i];
		struct adt_defect_counts c = {st->pixels, st->positives, st->tp, st->fp};

		if (adt_defects_add(&out->defects, ds->items[i].id, 1, &c, err)) {
			adt_error_set_file(err, ds->root);
			return -1;
		}
	}
	if (out->has_image && !images->id)
		return adt_error_at(err, ADT_EUSAGE, src, 0,
				    "the per-defect breakdown needs image ids (an id column such "
				    "as image_path)");
	for (size_t i = 0; out->has_image && i < images->n; i++) {
		int flagged = flags(r, images->score[i]);
		int label = images->label[i] != 0;
		struct adt_defect_counts c = {1, (uint64_t)label, (uint64_t)(flagged && label),
					      (uint64_t)(flagged && !label)};

		if (adt_defects_add(&out->defects, images->id[i], 0, &c, err)) {
			adt_error_set_file(err, src);
			if (images->line && err->code == ADT_EDATA)
				err->line = images->line[i];
			return -1;
		}
	}
	adt_defects_sort(&out->defects);
	return 0;
}

/* The per-image list: a row per map, in the order of ds, with what stats
 * counted; the image level's sample of map j being sample i where
 * item_of[i] == j (sample j when item_of is NULL).  Without maps, a row
 * per sample in their order. */
static int list_images(const struct adt_dataset *ds, const struct adt_image_stats *stats,
		       const struct adt_samples *images, const size_t *item_of, const char *src,
		       struct adt_outcome *out, struct adt_error *err)
{
	struct adt_perimage *l = &out->images;
	struct adt_perimage_row row;

	memset(&row, 0, sizeof(row));
	if (!out->has_pixel && !images->id)
		return adt_error_at(err, ADT_EUSAGE, src, 0,
				    "the per-image list needs image ids (an id column such as "
				    "image_path)");
	for (size_t i = 0; out->has_pixel && i < ds->n; i++) {
		row.pixels = stats[i].pixels;
		row.positives = stats[i].positives;
		row.tp = stats[i].tp;
		row.fp = stats[i].fp;
		row.aupimo = out->aupimo ? out->aupimo[i] : NAN;
		if (adt_perimage_add(l, ds->items[i].id, &row, err))
			return -1;
	}
	for (size_t i = 0; out->has_image && i < images->n; i++) {
		size_t j = item_of ? item_of[i] : i;
		struct adt_perimage_row *r = out->has_pixel ? &l->v[j] : &row;

		r->score = images->score[i];
		r->label = images->label[i] != 0;
		r->flagged = (unsigned char)flags(&out->image, r->score);
		if (!out->has_pixel && adt_perimage_add(l, images->id[i], r, err))
			return -1;
	}
	return 0;
}

int adt_evaluate(const struct adt_job *given, struct adt_outcome *out, struct adt_error *err)
{
	struct adt_job with_curves = *given, *job = &with_curves;
	struct adt_samples scores, from_maps;
	struct adt_image_stats *stats = NULL;
	size_t *item_of = NULL;
	struct adt_dataset ds;
	struct adt_doc doc = {NULL, 0};
	struct adt_read_opts ro = job->read;
	const char *src = job->scores && strcmp(job->scores, "-") ? job->scores : "<stdin>";
	const struct adt_memory *mem = job->memory;
	int has_maps = job->maps || (mem && mem->maps);
	int implied = 0, ret = -1;
	size_t lo, hi;

	memset(out, 0, sizeof(*out));
	adt_messages_init(&out->msgs);
	adt_samples_init(&scores);
	adt_samples_init(&from_maps);
	adt_dataset_init(&ds);
	if (job->save_counts) {
		/* The counts file holds every distinct pixel score, and AU-PRO's
		 * region sizes. */
		out->saved = calloc(1, sizeof(*out->saved));
		if (!out->saved) {
			adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
		adt_samples_init(&out->saved->images);
		job->curves = ADT_RECORD_ALL;
		job->pixel.region_sizes = &out->saved->region_size;
		job->pixel.regions = &out->saved->regions;
	}
	if (job->curves) {
		job->image.curve = &out->curve[0];
		job->pixel.curve = &out->curve[1];
		job->image.record = job->pixel.record = job->curves;
		/* Every point of a billion-pixel curve would not fit: past a
		 * million points per part of the sweep they go to a file. */
		job->image.record_memory = job->pixel.record_memory = (size_t)1 << 20;
	}
	if (job->pixel.aupimo_upper > 0)
		job->pixel.aupimo_images = &out->aupimo;
	if (job->shard_n && (mem || (job->maps && is_document(job)))) {
		adt_error_set(err, ADT_EUSAGE,
			      "--shard cuts folders and stacked files of maps, and score files; "
			      "not %s",
			      mem ? "inputs held in memory" : "a JSON results document");
		goto out;
	}
	if (job->nmerge) {
		if (output_is_input(job, NULL)) {
			refuse_output(output_is_input(job, NULL), out, err);
			goto out;
		}
		ret = evaluate_merge(job, out, err);
		goto out;
	}
	if (output_is_input(job, NULL)) {
		refuse_output(output_is_input(job, NULL), out, err);
		goto out;
	}
	if (has_maps && eval_pixels(job, &ds, &doc, &scores, out, &from_maps, &stats, err))
		goto out;
	if (mem && mem->scores) {
		src = mem->scores_name;
		if (load_memory_scores(mem, &scores, err) ||
		    (has_maps && match_scores(&ds, &scores, &from_maps, src, out, &item_of, err)))
			goto out;
	} else if (job->scores) {
		/* A scores file replaces the scores of a JSON document; a shard
		 * of maps has read its rows already. */
		if (!(job->shard_n && has_maps)) {
			adt_samples_release(&scores);
			ro.verbose = job->verbose;
			if (adt_read_scores_file(job->scores, &ro, &scores, err))
				goto out;
			if (job->verbose && ro.note[0])
				adt_messages_add(&out->msgs, ADT_MSG_NOTE, "%s: %s", src, ro.note);
		}
		if (!has_maps && job->shard_n &&
		    (shard_range(job, scores.n, "images", src, out, &lo, &hi, err) ||
		     keep_samples(&scores, NULL, lo, hi, err)))
			goto out;
		if (job->maps && match_scores(&ds, &scores, &from_maps, src, out, &item_of, err))
			goto out;
	} else if (has_maps && scores.n == 0) {
		implied = 1;
		src = ds.root;
	} else if (job->maps) {
		src = job->maps;
	}
	if (eval_images(job, implied ? &from_maps : &scores, src, implied, out, err))
		goto out;
	if (out->has_image && set_source(out,
					 implied			 ? "map maxima"
					 : mem && mem->scores		 ? mem->scores_name
					 : !job->scores			 ? job->maps
					 : job->scores_name		 ? job->scores_name
					 : strcmp(job->scores, "-") == 0 ? "standard input"
									 : job->scores,
					 err))
		goto out;
	if (job->per_defect &&
	    break_down(&ds, stats, implied ? &from_maps : &scores, src, out, err))
		goto out;
	if (job->per_image &&
	    list_images(&ds, stats, implied ? &from_maps : &scores, item_of, src, out, err))
		goto out;
	/* A shard that only counts chooses no threshold to warn about. */
	if (out->has_image && out->image.one_class && !out->saved)
		warn_one_class(out, "image", &out->image);
	if (out->has_pixel && out->pixel.one_class && !out->saved)
		warn_one_class(out, "pixel", &out->pixel);
	if (out->saved && job->per_defect && out->has_pixel && count_groups(job, &ds, out, err))
		goto out;
	if (out->saved && implied && identify_images(&ds, &from_maps, err))
		goto out;
	if (out->saved)
		keep_saved(job, out, implied ? &from_maps : &scores, implied);
	ret = 0;
out:
	if (ret) {
		/* The messages stay for the caller to print. */
		struct adt_messages msgs = out->msgs;
		int output_is_input = out->output_is_input;

		adt_messages_init(&out->msgs);
		adt_outcome_release(out);
		out->msgs = msgs;
		out->output_is_input = output_is_input;
	}
	free(stats);
	free(item_of);
	adt_samples_release(&scores);
	adt_samples_release(&from_maps);
	adt_dataset_release(&ds);
	adt_doc_release(&doc);
	return ret;
}

/* The pixel level of a result folder (see eval.h). */
#include "adthresh/eval.h"

#include <math.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/format.h"
#include "adthresh/parallel.h"
#include "adthresh/pixels.h"

/* Work shared by the threads: items are claimed in increasing order, and
 * the error of the lowest failing item is kept so that messages do not
 * depend on timing. */
struct work {
	struct adt_dataset *ds;
	const struct adt_pixel_opts *po;
	struct adt_pixels *px;
	struct adt_image_stats *stats;
	atomic_size_t next;
	atomic_uint_fast64_t images_done, pixels_done;
	uint64_t pixels_total;
	atomic_int failed;
	struct adt_error err[64];
	size_t err_item[64];
	int have_err[64];
};

static size_t claim(struct work *w)
{
	if (atomic_load(&w->failed))
		return w->ds->n;
	return atomic_fetch_add(&w->next, 1);
}

/* Records the error of item i for thread t, naming the file. */
static void fail(struct work *w, unsigned t, size_t i, const char *file, uint64_t index,
		 uint64_t count, struct adt_error *e)
{
	if (count > 1)
		adt_error_set(e, e->code, "image %llu: %s", (unsigned long long)index, e->msg);
	adt_error_set_file(e, file);
	if (!w->have_err[t] || i < w->err_item[t]) {
		w->err[t] = *e;
		w->err_item[t] = i;
		w->have_err[t] = 1;
	}
	atomic_store(&w->failed, 1);
}

/* Probes one file of an item.  The images of a stacked file come probed
 * (adt_dataset_pair probes the file once for all of them); any other file
 * must be one image. */
static int probe_file(const char *path, enum adt_imgfmt fmt, struct adt_raster_info *info,
		      struct adt_error *e)
{
	if (info->count > 0)
		return 0;
	if (adt_image_probe_file(path, fmt, info, e))
		return -1;
	if (info->count > 1)
		return adt_error_set(e, ADT_EDATA,
				     "holds %llu %s; in a folder each map and mask file is one "
				     "image (give a stack as --maps FILE --masks FILE)",
				     (unsigned long long)info->count, adt_imgfmt_images(fmt));
	return 0;
}

static void probe_worker(void *arg, unsigned t)
{
	struct work *w = arg;
	struct adt_error e;

	for (size_t i = claim(w); i < w->ds->n; i = claim(w)) {
		struct adt_item *it = &w->ds->items[i];

		adt_error_init(&e);
		if (it->map_mem) {
			/* Images of a stack in memory come counted. */
			it->map_info = (struct adt_raster_info){
			    it->map_mem->width, it->map_mem->height,
			    it->map_info.count ? it->map_info.count : 1, it->map_mem->sample};
		} else if (probe_file(it->map_path, it->map_fmt, &it->map_info, &e)) {
			fail(w, t, i, it->map_path, 0, 1, &e);
			continue;
		}
		if (it->mask_mem) {
			it->mask_info = (struct adt_raster_info){
			    it->mask_mem->width, it->mask_mem->height,
			    it->mask_info.count ? it->mask_info.count : 1, it->mask_mem->sample};
		} else if (it->mask_path &&
			   probe_file(it->mask_path, it->mask_fmt, &it->mask_info, &e)) {
			fail(w, t, i, it->mask_path, 0, 1, &e);
		}
	}
}

/* Nearest-neighbour resize as PyTorch's "nearest": source index =
 * floor(destination index * source size / destination size). */
static int resize_nearest(const struct adt_raster *in, uint64_t width, uint64_t height,
			  struct adt_raster *out, struct adt_error *err)
{
	size_t sz = adt_sample_size(in->sample);

	if (adt_raster_reshape(out, width, height, in->sample, err))
		return -1;
	for (uint64_t y = 0; y < height; y++) {
		uint64_t sy = y * in->height / height;

		for (uint64_t x = 0; x < width; x++) {
			uint64_t sx = x * in->width / width;

			memcpy((char *)out->data + (y * width + x) * sz,
			       (const char *)in->data + (sy * in->width + sx) * sz, sz);
		}
	}
	return 0;
}

static void decode_worker(void *arg, unsigned t)
{
	struct work *w = arg;
	struct adt_raster map, mask, sized;
	struct adt_decode_opts mo = {ADT_AS_MAP, w->po->max_pixels};
	struct adt_decode_opts ko = {ADT_AS_MASK, w->po->max_pixels};
	/* Each thread reads the pages of a stacked TIFF in increasing order:
	 * one open file each for maps and masks steps through them. */
	struct adt_image_cursor mapc, maskc;
	struct adt_error e;

	adt_raster_init(&map);
	adt_raster_init(&mask);
	adt_raster_init(&sized);
	adt_image_cursor_init(&mapc);
	adt_image_cursor_init(&maskc);
	for (size_t i = claim(w); i < w->ds->n; i = claim(w)) {
		struct adt_item *it = &w->ds->items[i];
		const struct adt_raster *m = it->map_mem, *k = it->mask_mem;

		adt_error_init(&e);
		if (!m) {
			if (adt_image_cursor_read(&mapc, it->map_path, it->map_fmt, it->map_index,
						  &mo, &map, &e)) {
				fail(w, t, i, it->map_path, it->map_index, it->map_info.count, &e);
				continue;
			}
			m = &map;
		}
		if (!k && it->mask_path) {
			if (adt_image_cursor_read(&maskc, it->mask_path, it->mask_fmt,
						  it->mask_index, &ko, &mask, &e)) {
				fail(w, t, i, it->mask_path, it->mask_index, it->mask_info.count,
				     &e);
				continue;
			}
			k = &mask;
		}
		if (k && (k->width != m->width || k->height != m->height)) {
			if (resize_nearest(k, m->width, m->height, &sized, &e)) {
				fail(w, t, i, it->mask_path, it->mask_index, it->mask_info.count,
				     &e);
				continue;
			}
			k = &sized;
		}
		if (adt_pixels_add(w->px, m, it->map_fmt == ADT_IMG_PNG, k, &w->stats[i], &e)) {
			/* Mask pixels are named "mask pixel": the mask's file.
			 * A temporary file's error names its folder. */
			int on_mask = strncmp(e.msg, "mask", 4) == 0;

			if (e.file[0]) {
				fail(w, t, i, NULL, 0, 1, &e);
				continue;
			}
			fail(w, t, i, on_mask ? it->mask_path : it->map_path,
			     on_mask ? it->mask_index : it->map_index,
			     on_mask ? it->mask_info.count : it->map_info.count, &e);
		} else if (w->po->progress) {
			struct adt_pixel_progress p = {
			    atomic_fetch_add(&w->images_done, 1) + 1, w->ds->n,
			    atomic_fetch_add(&w->pixels_done, w->stats[i].pixels) +
				w->stats[i].pixels,
			    w->pixels_total, 0};

			w->po->progress(w->po->progress_ctx, &p);
		}
	}
	adt_raster_release(&map);
	adt_raster_release(&mask);
	adt_raster_release(&sized);
	adt_image_cursor_release(&mapc);
	adt_image_cursor_release(&maskc);
}

/* The first error by item order, if any thread failed. */
static int first_error(struct work *w, unsigned threads, struct adt_error *err)
{
	int best = -1;

	for (unsigned t = 0; t < threads; t++) {
		if (w->have_err[t] && (best < 0 || w->err_item[t] < w->err_item[best]))
			best = (int)t;
	}
	if (best < 0)
		return 0;
	if (err)
		*err = w->err[best];
	return -1;
}

static const char *where(const struct adt_item *it, int mask)
{
	if (mask)
		return it->mask_path ? it->mask_path : it->id;
	return it->map_path ? it->map_path : it->id;
}

/* Checks sizes and sample types from the headers; sets *wide and *total. */
static int check_items(const struct adt_dataset *ds, const struct adt_pixel_opts *po, int *wide,
		       uint64_t *total, struct adt_error *err)
{
	*wide = 0;
	*total = 0;
	for (size_t i = 0; i < ds->n; i++) {
		const struct adt_item *it = &ds->items[i];
		const struct adt_raster_info *mi = &it->map_info, *ki = &it->mask_info;
		enum adt_sample s = mi->sample;
		int png = it->map_fmt == ADT_IMG_PNG;

		if (!adt_sample_is_float(s) &&
		    !(png && (s == ADT_SAMPLE_U8 || s == ADT_SAMPLE_U16)))
			return adt_error_at(err, ADT_EDATA, where(it, 0), 0,
					    "%s samples cannot be a map (expected float16, float32 "
					    "or float64; or an 8- or 16-bit PNG)",
					    adt_sample_name(s));
		if (it->mask_mem && !po->resize_masks &&
		    (ki->width != mi->width || ki->height != mi->height))
			return adt_error_at(
			    err, ADT_EDATA, it->map_path, it->line,
			    "image '%s': anomaly_map is %llux%llu but gt_mask is "
			    "%llux%llu (--resize-masks nearest resizes masks to the "
			    "map)",
			    it->id, (unsigned long long)mi->width, (unsigned long long)mi->height,
			    (unsigned long long)ki->width, (unsigned long long)ki->height);
		if (it->mask_path && !po->resize_masks &&
		    (ki->width != mi->width || ki->height != mi->height))
			return adt_error_at(
			    err, ADT_EDATA, where(it, 0), 0,
			    "map is %llux%llu pixels but its mask '%s' is %llux%llu "
			    "(--resize-masks nearest resizes masks to the map)",
			    (unsigned long long)mi->width, (unsigned long long)mi->height,
			    where(it, 1), (unsigned long long)ki->width,
			    (unsigned long long)ki->height);
		if (s == ADT_SAMPLE_F64)
			*wide = 1;
		if (mi->width * mi->height > UINT64_MAX / 2 - *total)
			return adt_error_at(err, ADT_EDATA, where(it, 0), 0,
					    "the maps up to this one hold more than 2^63 pixels");
		*total += mi->width * mi->height;
		if (po->max_pixels && *total > po->max_pixels)
			return adt_error_at(err, ADT_EDATA, where(it, 0), 0,
					    "the maps up to this one hold %llu pixels, over the "
					    "limit of %llu (--max-pixels)",
					    (unsigned long long)*total,
					    (unsigned long long)po->max_pixels);
	}
	return 0;
}

/* Readies AUPIMO once the maps are decoded: the level needs a normal
 * image, and its band must lie within the shared FPR the data reaches. */
static int aupimo_prepare(const struct adt_dataset *ds, struct adt_pixels *px,
			  const struct adt_image_stats *st, const struct adt_eval_opts *eo,
			  uint64_t P, uint64_t N, struct adt_error *err)
{
	char lo[ADT_NUMBER_SIZE], hi[ADT_NUMBER_SIZE], least[ADT_NUMBER_SIZE];
	double min;

	if (adt_pixels_track_images(px, st, ds->n, eo->aupimo_upper, err))
		return -1;
	if (adt_pixels_normal_images(px) == 0 && P > 0 && N > 0)
		return adt_error_at(err, ADT_EDATA, ds->root, 0,
				    "--aupimo needs a normal image (a mask that marks no pixel); "
				    "all %zu images have anomalous pixels",
				    ds->n);
	min = adt_pixels_shared_fpr_min(px);
	if (adt_pixels_normal_images(px) == 0 || adt_pixels_anomalous_images(px) == 0 ||
	    min <= eo->aupimo_lower)
		return 0;
	adt_format_shortest(lo, sizeof(lo), eo->aupimo_lower);
	adt_format_shortest(hi, sizeof(hi), eo->aupimo_upper);
	adt_format_shortest(least, sizeof(least), min);
	return adt_error_at(err, ADT_EDATA, ds->root, 0,
			    "--aupimo %s bound %s is below the lowest shared false-positive rate "
			    "a threshold gives, %s (the reachable range is %s to 1)",
			    min > eo->aupimo_upper ? "upper" : "lower",
			    min > eo->aupimo_upper ? hi : lo, least, least);
}

/* Each item's AUPIMO (NaN for a normal image) into *out. */
static int aupimo_images(const struct adt_dataset *ds, const struct adt_image_stats *st,
			 const struct adt_sweep *sw, double **out, struct adt_error *err)
{
	double *v = malloc((ds->n ? ds->n : 1) * sizeof(*v));
	double *k = malloc((size_t)(sw->aupimo.images ? sw->aupimo.images : 1) * sizeof(*k));
	size_t j = 0;

	if (!v || !k) {
		free(v);
		free(k);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	adt_sweep_aupimo(sw, k);
	for (size_t i = 0; i < ds->n; i++)
		v[i] = st[i].positives > 0 && j < sw->aupimo.images ? k[j++] : NAN;
	free(k);
	*out = v;
	return 0;
}

uint64_t adt_memory_bound(const struct adt_pixel_opts *po)
{
	return po->memory ? po->memory : ADT_MEMORY_DEFAULT;
}

int adt_eval_dataset(struct adt_dataset *ds, const struct adt_pixel_opts *po,
		     const struct adt_eval_opts *eo, struct adt_level_result *r,
		     struct adt_samples *images, struct adt_image_stats **per_image,
		     struct adt_error *err)
{
	unsigned threads = po->threads ? po->threads : adt_parallel_default();
	struct work *w = NULL;
	struct adt_sweep sw;
	struct adt_sweep_opts so;
	uint64_t total, P, N;
	double mean = NAN, std = NAN;
	const struct adt_item *big;
	int wide, ret = -1;

	memset(&sw, 0, sizeof(sw));
	if (ds->n == 0)
		return adt_error_set(err, ADT_EDATA, "no maps");
	if (threads > 64)
		threads = 64;
	w = calloc(1, sizeof(*w));
	if (!w)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	w->ds = ds;
	w->po = po;
	w->stats = calloc(ds->n, sizeof(*w->stats));
	if (!w->stats) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	adt_parallel_run(threads, probe_worker, w);
	if (first_error(w, threads, err) || check_items(ds, po, &wide, &total, err))
		goto out;
	/* The largest map: the bounded buffer holds two of them, and a
	 * corrupt header is the likely cause of an allocation that fails. */
	big = &ds->items[0];
	for (size_t i = 1; i < ds->n; i++) {
		if (ds->items[i].map_info.width * ds->items[i].map_info.height >
		    big->map_info.width * big->map_info.height)
			big = &ds->items[i];
	}
	/* AUPIMO reads the normal images' keys in place: they stay. */
	w->px = adt_pixels_new_bounded(total, wide, eo->aupimo_upper > 0 ? 0 : adt_memory_bound(po),
				       big->map_info.width * big->map_info.height, threads, err);
	if (!w->px) {
		if (strncmp(err->msg, "a map of", 8) == 0) {
			char msg[ADT_MSG_SIZE];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			adt_error_at(err, ADT_ENOMEM, where(big, 0), 0, "%s (this map is %llux%llu)",
				     msg, (unsigned long long)big->map_info.width,
				     (unsigned long long)big->map_info.height);
			goto out;
		}
		adt_error_at(err, ADT_ENOMEM, where(big, 0), 0,
			     "out of memory for %llu pixels; the largest map is this one, "
			     "%llux%llu (--max-pixels bounds the total)",
			     (unsigned long long)total, (unsigned long long)big->map_info.width,
			     (unsigned long long)big->map_info.height);
		goto out;
	}
	if (eo->aupro_limit > 0 && adt_pixels_track_regions(w->px, err))
		goto out;
	if (per_image)
		adt_pixels_keep_order(w->px);
	atomic_store(&w->next, 0);
	w->pixels_total = total;
	atomic_store(&w->images_done, 0);
	atomic_store(&w->pixels_done, 0);
	adt_parallel_run(threads, decode_worker, w);
	if (first_error(w, threads, err) || adt_pixels_finish(w->px, err))
		goto out;
	if (po->progress) {
		struct adt_pixel_progress p = {ds->n, ds->n, total, total, 1};

		po->progress(po->progress_ctx, &p);
	}
	P = adt_pixels_positives(w->px);
	N = adt_pixels_negatives(w->px);
	if (adt_eval_classes_missing(eo, P, N)) {
		adt_error_at(err, ADT_EDATA, ds->root, 0,
			     "pixel level has %llu anomalous and %llu normal pixels%s; a threshold "
			     "needs both (--allow-one-class falls back as anomalib does)",
			     (unsigned long long)P, (unsigned long long)N,
			     P == 0 ? " (no mask marks a pixel anomalous)" : "");
		goto out;
	}
	if (eo->aupimo_upper > 0 && aupimo_prepare(ds, w->px, w->stats, eo, P, N, err))
		goto out;
	adt_eval_sweep_opts(eo, &so);
	if (adt_eval_wants_moments(eo, &so) &&
	    ((N > 0 && adt_pixels_normal_moments(w->px, threads, &mean, &std, err)) ||
	     adt_eval_sigma(eo, &so, mean, std, "pixel", err))) {
		adt_error_set_file(err, ds->root);
		goto out;
	}
	if (adt_pixels_sweep(w->px, threads, &so, &sw, err) ||
	    adt_eval_finish(&sw, "pixel", eo, r, err))
		goto out;
	r->normal_mean = mean;
	r->normal_std = std;
	if (eo->region_sizes && eo->aupro_limit > 0)
		*eo->region_sizes = adt_pixels_take_region_sizes(w->px, eo->regions);
	if (sw.aupimo_failed) {
		adt_error_set(err, ADT_ENOMEM, "out of memory for AUPIMO");
		goto out;
	}
	if (eo->aupimo_images && eo->aupimo_upper > 0 &&
	    aupimo_images(ds, w->stats, &sw, eo->aupimo_images, err))
		goto out;
	if (per_image && !r->unmet &&
	    adt_pixels_count_at(w->px, r->threshold, eo->rule, w->stats, ds->n, err))
		goto out;
	adt_pixels_free(w->px);
	w->px = NULL;
	if (r->unmet) {
		adt_error_at(err, ADT_EDATA, ds->root, 0, "pixel level: no threshold meets %s",
			     so.policy.name);
		goto out;
	}
	for (size_t i = 0; i < ds->n; i++) {
		if (adt_samples_push(images, w->stats[i].max, w->stats[i].positives > 0,
				     ds->items[i].id, 0, err))
			goto out;
	}
	images->single = !wide;
	if (per_image) {
		*per_image = w->stats;
		w->stats = NULL;
	}
	ret = 0;
out:
	adt_sweep_release(&sw);
	if (w) {
		adt_pixels_free(w->px);
		free(w->stats);
		free(w);
	}
	return ret;
}

/* Pairing maps with masks (see dataset.h). */
#include "adthresh/dataset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/grow.h"
#include "adthresh/value.h"

/* Folders deeper than this are not followed (and symlink loops end). */
#define MAX_DEPTH 32

void adt_dataset_init(struct adt_dataset *ds)
{
	memset(ds, 0, sizeof(*ds));
}

void adt_dataset_release(struct adt_dataset *ds)
{
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->items[i].id);
		free(ds->items[i].map_path);
		free(ds->items[i].mask_path);
	}
	free(ds->items);
	adt_dataset_init(ds);
}

int adt_dataset_copy_item(struct adt_dataset *ds, const struct adt_item *it, struct adt_error *err)
{
	struct adt_item *n;

	if (adt_dataset_add(ds, it->id, it->map_path, it->map_index, it->mask_path, it->mask_index,
			    err))
		return -1;
	n = &ds->items[ds->n - 1];
	n->map_fmt = it->map_fmt;
	n->mask_fmt = it->mask_fmt;
	n->map_mem = it->map_mem;
	n->mask_mem = it->mask_mem;
	n->map_info = it->map_info;
	n->mask_info = it->mask_info;
	n->line = it->line;
	return 0;
}

void adt_dataset_keep(struct adt_dataset *ds, size_t lo, size_t hi)
{
	for (size_t i = 0; i < ds->n; i++) {
		if (i >= lo && i < hi)
			continue;
		free(ds->items[i].id);
		free(ds->items[i].map_path);
		free(ds->items[i].mask_path);
	}
	memmove(ds->items, ds->items + lo, (hi - lo) * sizeof(*ds->items));
	ds->n = hi - lo;
}

int adt_dataset_add(struct adt_dataset *ds, const char *id, const char *map_path,
		    uint64_t map_index, const char *mask_path, uint64_t mask_index,
		    struct adt_error *err)
{
	struct adt_item *it;
	void *p = ds->items;

	if (adt_grow(&p, &ds->cap, ds->n + 1, sizeof(*ds->items)))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	ds->items = p;
	it = &ds->items[ds->n];
	memset(it, 0, sizeof(*it));
	it->id = strdup(id);
	it->map_path = map_path ? strdup(map_path) : NULL;
	it->mask_path = mask_path ? strdup(mask_path) : NULL;
	if (!it->id || (map_path && !it->map_path) || (mask_path && !it->mask_path)) {
		free(it->id);
		free(it->map_path);
		free(it->mask_path);
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	}
	it->map_fmt = map_path ? adt_imgfmt_of_path(map_path) : ADT_IMG_NONE;
	it->map_index = map_index;
	it->mask_fmt = mask_path ? adt_imgfmt_of_path(mask_path) : ADT_IMG_NONE;
	it->mask_index = mask_index;
	ds->n++;
	return 0;
}

/* A growable list of strings. */
struct strlist {
	char **v;
	size_t n, cap;
};

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int strlist_push(struct strlist *l, const char *s)
{
	void *p = l->v;

	if (adt_grow(&p, &l->cap, l->n + 1, sizeof(*l->v)))
		return -1;
	l->v = p;
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		return -1;
	l->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins a and b with '/' into a fresh string. */
static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	if (la == 0)
		memmove(s, s + 1, lb + 1);
	return s;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* MVTec AD 2's test splits whose ground truth is not published. */
static const char *const private_splits[] = {"test_private", "test_private_mixed", NULL};

const char *const adt_dataset_splits[] = {"test", "test_public", "validation", "Data/Images", NULL};

static int is_private_split(const char *name)
{
	for (const char *const *p = private_splits; *p; p++) {
		if (strcmp(name, *p) == 0)
			return 1;
	}
	return 0;
}

/* How a folder walk treats a file. */
enum take { TAKE, LEAVE, NOT_A_FORMAT };

/* Whether a file is taken as a map or mask in a folder walk.  Text
 * matrices count only inside a subfolder: at the top of a result folder a
 * .csv or .json is a scores file, not a map.  A .txt, which the readers
 * take as a matrix when it is named on its own, is notes in a folder. */
static enum take wanted(const char *rel, int depth)
{
	enum adt_imgfmt f = adt_imgfmt_of_path(rel);
	const char *dot = strrchr(rel, '.');

	if (f == ADT_IMG_NONE || (dot && strcasecmp(dot, ".txt") == 0))
		return NOT_A_FORMAT;
	if ((f == ADT_IMG_CSV || f == ADT_IMG_JSON) && depth == 0)
		return LEAVE;
	return TAKE;
}

/* The folders from the walk root down to the one being read, to tell a
 * symlink loop from a deep tree. */
struct ancestry {
	dev_t dev[MAX_DEPTH + 1];
	ino_t ino[MAX_DEPTH + 1];
};

/* One folder walk: what it collects and what it leaves out. */
struct walk {
	const char *root;
	struct ancestry up;
	struct strlist *out;	 /* the files taken, relative to root */
	struct strlist skipped;	 /* files of no map format, whole paths */
	struct strlist privates; /* private splits left out, whole paths */
	int skip_private;	 /* leave out private splits at the top */
	int exclude;		 /* leave out the folder ex_dev/ex_ino */
	dev_t ex_dev;
	ino_t ex_ino;
};

/* Collects the map and mask files below root/rel (relative paths). */
static int walk(struct walk *w, const char *rel, int depth, struct adt_error *err)
{
	const char *root = w->root;
	char *dir = rel[0] ? join(root, rel) : strdup(root);
	struct stat st;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (!dir)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	if (stat(dir, &st) == 0) {
		for (int i = 0; i < depth; i++) {
			if (w->up.dev[i] == st.st_dev && w->up.ino[i] == st.st_ino) {
				ret = adt_error_at(
				    err, ADT_EDATA, dir, 0,
				    "symbolic link loop (this folder contains itself)");
				free(dir);
				return ret;
			}
		}
		w->up.dev[depth] = st.st_dev;
		w->up.ino[depth] = st.st_ino;
	}
	d = opendir(dir);
	if (!d) {
		ret = adt_error_at(err, ADT_EIO, dir, 0, "cannot open folder: %s", strerror(errno));
		free(dir);
		return ret;
	}
	while (ret == 0 && (e = readdir(d)) != NULL) {
		char *sub, *full;

		if (e->d_name[0] == '.')
			continue;
		sub = rel[0] ? join(rel, e->d_name) : strdup(e->d_name);
		full = sub ? join(root, sub) : NULL;
		if (!sub || !full) {
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		} else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (w->exclude && st.st_dev == w->ex_dev && st.st_ino == w->ex_ino)
				;
			else if (depth == 0 && w->skip_private && is_private_split(e->d_name)) {
				if (strlist_push(&w->privates, full))
					ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
			} else if (depth >= MAX_DEPTH)
				ret = adt_error_at(err, ADT_EDATA, full, 0,
						   "folders nested more than %d deep", MAX_DEPTH);
			else
				ret = walk(w, sub, depth + 1, err);
		} else {
			enum take t = wanted(sub, depth);

			if ((t == TAKE && strlist_push(w->out, sub)) ||
			    (t == NOT_A_FORMAT && strlist_push(&w->skipped, full)))
				ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		}
		free(sub);
		free(full);
	}
	closedir(d);
	free(dir);
	return ret;
}

/* Whether root/sub is a folder. */
static int has_sub(const char *root, const char *sub)
{
	char *r = join(root, sub);
	int yes = r && is_dir(r);

	free(r);
	return yes;
}

int adt_dataset_is_category(const char *dir)
{
	for (const char *const *p = adt_dataset_splits; *p; p++) {
		if (has_sub(dir, *p))
			return 1;
	}
	for (const char *const *p = private_splits; *p; p++) {
		if (has_sub(dir, *p))
			return 1;
	}
	return has_sub(dir, "ground_truth");
}

/* rel without its extension, in a fresh string. */
static char *strip_ext(const char *rel)
{
	const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
	size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - rel) : strlen(rel);
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, rel, len);
		s[len] = '\0';
	}
	return s;
}

/* The length of rel's stem (its path without extension). */
static size_t stem_len(const char *rel)
{
	const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');

	return dot && (!slash || dot > slash) ? (size_t)(dot - rel) : strlen(rel);
}

/* Whether rel's stem ends in the mask suffix (never for an empty one). */
static int has_suffix(const char *rel, const char *suffix)
{
	size_t len = stem_len(rel), sl = strlen(suffix);

	return sl > 0 && len > sl && strncmp(rel + len - sl, suffix, sl) == 0;
}

/* The key a mask is found by: its path without extension or suffix. */
static char *mask_key(const char *rel, const char *suffix)
{
	char *k = strip_ext(rel);

	if (k && has_suffix(rel, suffix))
		k[stem_len(rel) - strlen(suffix)] = '\0';
	return k;
}

/* Whether the map's folder says the image is normal (good, ok, normal). */
static int in_normal_folder(const char *id)
{
	int label;

	return adt_label_from_path(id, &label) == 0 && label == 0;
}

/* Whether the folder itself is named good, ok or normal (--maps val/good):
 * every map below it is normal. */
static int normal_folder_itself(const char *root)
{
	size_t len = strlen(root);
	char *probe;
	int normal;

	while (len > 1 && root[len - 1] == '/')
		len--;
	probe = malloc(len + 3);
	if (!probe)
		return 0;
	memcpy(probe, root, len);
	memcpy(probe + len, "/x", 3);
	normal = in_normal_folder(probe);
	free(probe);
	return normal;
}

struct mask_entry {
	char *key;
	const char *rel; /* borrowed from the mask list */
	int used;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct mask_entry *)a)->key, ((const struct mask_entry *)b)->key);
}

static int same_folder(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Maps and masks side by side in one folder: the same files were listed
 * twice; keep the masks (<id><suffix>.*) in one list and the maps in the
 * other. */
static void split_flat(struct strlist *maps, struct strlist *masks, const char *suffix)
{
	size_t nm = 0, nk = 0;

	for (size_t i = 0; i < maps->n; i++) {
		if (has_suffix(maps->v[i], suffix))
			free(maps->v[i]);
		else
			maps->v[nm++] = maps->v[i];
	}
	maps->n = nm;
	for (size_t i = 0; i < masks->n; i++) {
		if (has_suffix(masks->v[i], suffix))
			masks->v[nk++] = masks->v[i];
		else
			free(masks->v[i]);
	}
	masks->n = nk;
}

static int cmp_item_id(const void *a, const void *b)
{
	const struct adt_item *x = *(const struct adt_item *const *)a;
	const struct adt_item *y = *(const struct adt_item *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->map_path, y->map_path);
}

int adt_dataset_check_ids(const struct adt_dataset *ds, struct adt_error *err)
{
	const struct adt_item **v = malloc((ds->n ? ds->n : 1) * sizeof(*v));
	int ret = 0;

	if (!v)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	for (size_t i = 0; i < ds->n; i++)
		v[i] = &ds->items[i];
	qsort(v, ds->n, sizeof(*v), cmp_item_id);
	for (size_t i = 1; i < ds->n && ret == 0; i++) {
		if (strcmp(v[i - 1]->id, v[i]->id) != 0)
			continue;
		if (v[i]->line || v[i - 1]->line)
			ret = adt_error_at(err, ADT_EDATA, v[i]->map_path, v[i]->line,
					   "image '%s' appears twice (first on line %lu)", v[i]->id,
					   v[i - 1]->line);
		else
			ret = adt_error_at(err, ADT_EDATA, v[i]->map_path, 0,
					   "two maps for one image: '%s' and this one",
					   v[i - 1]->map_path);
	}
	free(v);
	return ret;
}

/* Records the root the ids are relative to, whole or not at all. */
static int set_root(struct adt_dataset *ds, const char *root, struct adt_error *err)
{
	size_t len = strlen(root);

	if (len >= sizeof(ds->root))
		return adt_error_at(err, ADT_EUSAGE, root, 0,
				    "path too long: %zu bytes (the most is %d)", len, ADT_PATH_MAX);
	memcpy(ds->root, root, len + 1);
	return 0;
}

/* Where the walks of pair_folders start. */
struct roots {
	char *maps;	   /* the maps walk's root */
	char *masks;	   /* the masks walk's root; NULL: no masks */
	const char *split; /* the split folder the maps walk is in, or NULL */
	int no_truth;	   /* masks given, but the split has no ground truth */
	int flat;	   /* masks beside the maps, in one walk */
};

/* Sets *root to a/b/c (c may be NULL) when that folder exists and *root
 * is still NULL.  Returns -1 when memory runs out. */
static int try_root(char **root, const char *a, const char *b, const char *c)
{
	char *ab = join(a, b), *r = ab && c ? join(ab, c) : ab;

	if (!ab || !r) {
		free(ab);
		return -1;
	}
	if (c)
		free(ab);
	if (*root || !is_dir(r))
		free(r);
	else
		*root = r;
	return 0;
}

/* The roots of the walks (see adt_dataset_pair). */
static int find_roots(const char *maps, const char *masks, const char *split, struct roots *r,
		      struct adt_error *err)
{
	memset(r, 0, sizeof(*r));
	if (split && is_private_split(split))
		return adt_error_set(err, ADT_EUSAGE,
				     "split '%s' is a private test split: it has no ground truth",
				     split);
	if (split && !has_sub(maps, split) && !(masks && has_sub(masks, split)))
		return adt_error_at(
		    err, ADT_EDATA, maps, 0, "no split folder '%s' here%s%s%s (--split %s)", split,
		    masks ? " nor in '" : "", masks ? masks : "", masks ? "'" : "", split);
	r->split = split;
	/* The first present is the one walked. */
	for (const char *const *p = adt_dataset_splits; !split && *p; p++) {
		if (has_sub(maps, *p)) {
			r->split = *p;
			break;
		}
	}
	if (r->split && try_root(&r->maps, maps, r->split, NULL))
		goto oom;
	if (!r->maps && !(r->maps = strdup(maps)))
		goto oom;
	if (!masks)
		return 0;
	if (r->split && strcmp(r->split, "Data/Images") != 0 &&
	    try_root(&r->masks, masks, r->split, "ground_truth"))
		goto oom;
	if (try_root(&r->masks, masks, "ground_truth", NULL))
		goto oom;
	/* MVTec AD 2's validation split holds normal images only. */
	if (!r->masks && r->split && strcmp(r->split, "validation") == 0 &&
	    has_sub(masks, "validation")) {
		r->no_truth = 1;
		return 0;
	}
	if (try_root(&r->masks, masks, "Data/Masks", NULL) ||
	    (!r->split && try_root(&r->masks, masks, "test_public", "ground_truth")) ||
	    (r->split && strcmp(r->split, "Data/Images") != 0 &&
	     try_root(&r->masks, masks, r->split, NULL)))
		goto oom;
	if (!r->masks && !(r->masks = strdup(masks)))
		goto oom;
	r->flat = same_folder(r->maps, r->masks);
	return 0;
oom:
	free(r->maps);
	free(r->masks);
	r->maps = r->masks = NULL;
	return adt_error_set(err, ADT_ENOMEM, "out of memory");
}

/* Notes on what the walks left out, each list in sorted order. */
static void note_skipped(struct adt_messages *notes, const char *maps, const struct roots *r,
			 struct walk *mw, struct walk *kw)
{
	struct strlist *lists[3] = {&mw->privates, &mw->skipped, &kw->skipped};
	const char *why[3] = {"a private test split, without ground truth", "not a map format",
			      "not a mask format"};

	if (!notes)
		return;
	/* The splits beside the one walked. */
	for (int pass = 0; r->split && pass < 2; pass++) {
		const char *const *names = pass ? private_splits : adt_dataset_splits;

		for (const char *const *p = names; *p; p++) {
			if (strcmp(*p, r->split) == 0 || !has_sub(maps, *p))
				continue;
			if (pass)
				adt_messages_add(notes, ADT_MSG_NOTE, "skipped %s/%s: %s", maps, *p,
						 why[0]);
			else
				adt_messages_add(notes, ADT_MSG_NOTE,
						 "skipped %s/%s: the split walked is '%s' "
						 "(--split %s walks it)",
						 maps, *p, r->split, *p);
		}
	}
	for (int k = 0; k < 3; k++) {
		if (lists[k]->n > 1)
			qsort(lists[k]->v, lists[k]->n, sizeof(*lists[k]->v), cmp_str);
		for (size_t i = 0; i < lists[k]->n; i++)
			adt_messages_add(notes, ADT_MSG_NOTE, "skipped %s: %s", lists[k]->v[i],
					 why[k]);
	}
}

/* The error of an anomalous map without a mask. */
static int no_mask(const char *map, const char *id, const char *masks, const struct roots *r,
		   const char *suffix, struct adt_error *err)
{
	if (!masks)
		return adt_error_at(err, ADT_EDATA, map, 0,
				    "no mask for this map: without --masks only maps in a "
				    "folder named good, ok or normal count (all their pixels "
				    "normal)");
	if (r->no_truth)
		return adt_error_at(err, ADT_EDATA, map, 0,
				    "no mask for this map: '%s/%s' has no ground_truth/ (only "
				    "maps in a folder named good, ok or normal count there)",
				    masks, r->split);
	if (!suffix[0])
		return adt_error_at(err, ADT_EDATA, map, 0,
				    "no mask for this map (looked for '%s/%s.*' with --mask-suffix "
				    "''; maps in a folder named good need none)",
				    r->masks, id);
	return adt_error_at(err, ADT_EDATA, map, 0,
			    "no mask for this map (looked for '%s/%s%s.*' and '%s/%s.*'; maps in a "
			    "folder named good need none)",
			    r->masks, id, suffix, r->masks, id);
}

static int pair_folders(struct adt_dataset *ds, const char *maps, const char *masks,
			const struct adt_pair_opts *o, struct adt_messages *notes,
			struct adt_error *err)
{
	const char *suffix = o && o->mask_suffix ? o->mask_suffix : "_mask";
	struct strlist ml = {0}, kl = {0};
	struct walk mw, kw;
	struct mask_entry *ent = NULL;
	struct roots r;
	struct stat st;
	int normal_root, ret = -1;

	memset(&mw, 0, sizeof(mw));
	memset(&kw, 0, sizeof(kw));
	if (find_roots(maps, masks, o ? o->split : NULL, &r, err))
		return -1;
	if (r.flat && !suffix[0]) {
		adt_error_at(err, ADT_EUSAGE, r.maps, 0,
			     "maps and masks in one folder need a mask suffix (--mask-suffix '' "
			     "leaves none to tell them apart)");
		goto out;
	}
	mw.root = r.maps;
	mw.out = &ml;
	mw.skip_private = 1;
	/* A masks folder inside the maps walk (MVTec AD 2's
	 * test_public/ground_truth) holds no maps. */
	if (r.masks && !r.flat && stat(r.masks, &st) == 0) {
		mw.exclude = 1;
		mw.ex_dev = st.st_dev;
		mw.ex_ino = st.st_ino;
	}
	kw.root = r.masks;
	kw.out = &kl;
	normal_root = normal_folder_itself(r.maps);
	if (set_root(ds, r.maps, err) || walk(&mw, "", 0, err) ||
	    (r.masks && walk(&kw, "", 0, err)))
		goto out;
	if (r.flat)
		split_flat(&ml, &kl, suffix);
	note_skipped(notes, maps, &r, &mw, &kw);
	if (ml.n == 0 && mw.privates.n) {
		adt_error_at(err, ADT_EDATA, r.maps, 0,
			     "no maps found: only private test splits (%s%s%s), which have no "
			     "ground truth",
			     strrchr(mw.privates.v[0], '/') + 1, mw.privates.n > 1 ? ", " : "",
			     mw.privates.n > 1 ? strrchr(mw.privates.v[1], '/') + 1 : "");
		goto out;
	}
	if (ml.n == 0) {
		adt_error_at(
		    err, ADT_EDATA, r.maps, 0,
		    "no maps found (expected .tiff, .tif, .npy, .png, .csv or .json files)");
		goto out;
	}
	qsort(ml.v, ml.n, sizeof(*ml.v), cmp_str);
	ent = calloc(kl.n ? kl.n : 1, sizeof(*ent));
	if (!ent) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < kl.n; i++) {
		ent[i].key = mask_key(kl.v[i], suffix);
		ent[i].rel = kl.v[i];
		if (!ent[i].key) {
			adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
	}
	qsort(ent, kl.n, sizeof(*ent), cmp_entry);
	for (size_t i = 1; i < kl.n; i++) {
		if (strcmp(ent[i - 1].key, ent[i].key) == 0) {
			char *a = join(r.masks, ent[i - 1].rel), *b = join(r.masks, ent[i].rel);

			adt_error_at(err, ADT_EDATA, b ? b : ent[i].rel, 0,
				     "two masks for one map: '%s' and this one",
				     a ? a : ent[i - 1].rel);
			free(a);
			free(b);
			goto out;
		}
	}
	for (size_t i = 0; i < ml.n; i++) {
		char *id = strip_ext(ml.v[i]), *map = join(r.maps, ml.v[i]), *mask = NULL;
		struct mask_entry probe = {id, NULL, 0}, *hit;
		int bad;

		if (!id || !map) {
			free(id);
			free(map);
			adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
		hit = kl.n ? bsearch(&probe, ent, kl.n, sizeof(*ent), cmp_entry) : NULL;
		if (hit) {
			hit->used = 1;
			mask = join(r.masks, hit->rel);
		}
		if (!hit && !normal_root && !in_normal_folder(id))
			bad = no_mask(map, id, masks, &r, suffix, err);
		else if (hit && !mask)
			bad = adt_error_set(err, ADT_ENOMEM, "out of memory");
		else
			bad = adt_dataset_add(ds, id, map, 0, mask, 0, err);
		free(id);
		free(map);
		free(mask);
		if (bad)
			goto out;
	}
	if (adt_dataset_check_ids(ds, err))
		goto out;
	for (size_t i = 0; i < kl.n; i++) {
		if (!ent[i].used) {
			char *mask = join(r.masks, ent[i].rel);

			adt_error_at(err, ADT_EDATA, mask ? mask : ent[i].rel, 0,
				     "mask without a map (expected '%s/%s.*'; mask suffix '%s')",
				     r.maps, ent[i].key, suffix);
			free(mask);
			goto out;
		}
	}
	ret = 0;
out:
	for (size_t i = 0; ent && i < kl.n; i++)
		free(ent[i].key);
	free(ent);
	strlist_release(&ml);
	strlist_release(&kl);
	strlist_release(&mw.skipped);
	strlist_release(&mw.privates);
	strlist_release(&kw.skipped);
	strlist_release(&kw.privates);
	free(r.maps);
	free(r.masks);
	return ret;
}

static int pair_files(struct adt_dataset *ds, const char *maps, const char *masks,
		      struct adt_error *err)
{
	struct adt_raster_info mi, ki;
	enum adt_imgfmt mf = adt_imgfmt_of_path(maps), kf = adt_imgfmt_of_path(masks);

	if (mf == ADT_IMG_NONE)
		return adt_error_at(err, ADT_EDATA, maps, 0,
				    "not a map format (expected .tiff, .tif, .npy, .png, .csv or "
				    ".json)");
	if (kf == ADT_IMG_NONE)
		return adt_error_at(err, ADT_EDATA, masks, 0,
				    "not a mask format (expected .png, .tiff, .tif, .npy, .csv or "
				    ".json)");
	if (adt_image_probe_file(maps, mf, &mi, err)) {
		adt_error_set_file(err, maps);
		return -1;
	}
	if (adt_image_probe_file(masks, kf, &ki, err)) {
		adt_error_set_file(err, masks);
		return -1;
	}
	if (mi.count != ki.count)
		return adt_error_at(
		    err, ADT_EDATA, masks, 0, "holds %llu masks but '%s' holds %llu maps",
		    (unsigned long long)ki.count, maps, (unsigned long long)mi.count);
	if (set_root(ds, maps, err))
		return -1;
	for (uint64_t i = 0; i < mi.count; i++) {
		char id[32];

		snprintf(id, sizeof(id), "%llu", (unsigned long long)i);
		if (adt_dataset_add(ds, id, maps, i, masks, i, err))
			return -1;
		/* Probed once for all the images of the stack. */
		ds->items[ds->n - 1].map_info = mi;
		ds->items[ds->n - 1].mask_info = ki;
	}
	return 0;
}

int adt_dataset_pair(struct adt_dataset *ds, const char *maps, const char *masks,
		     const struct adt_pair_opts *o, struct adt_messages *notes,
		     struct adt_error *err)
{
	struct stat sm, sk;

	if (stat(maps, &sm) != 0)
		return adt_error_at(err, ADT_EIO, maps, 0, "cannot open: %s", strerror(errno));
	if (!masks && !S_ISDIR(sm.st_mode))
		return adt_error_set(err, ADT_EUSAGE,
				     "--maps needs --masks (or a JSON document with gt_mask "
				     "arrays); only a folder of normal images (in good, ok or "
				     "normal folders) needs none");
	if (!masks)
		return pair_folders(ds, maps, NULL, o, notes, err);
	if (stat(masks, &sk) != 0)
		return adt_error_at(err, ADT_EIO, masks, 0, "cannot open: %s", strerror(errno));
	if (S_ISDIR(sm.st_mode) && S_ISDIR(sk.st_mode))
		return pair_folders(ds, maps, masks, o, notes, err);
	if (!S_ISDIR(sm.st_mode) && !S_ISDIR(sk.st_mode))
		return pair_files(ds, maps, masks, err);
	return adt_error_set(
	    err, ADT_EUSAGE,
	    "--maps '%s' is a %s but --masks '%s' is a %s; give two folders or two "
	    "files",
	    maps, S_ISDIR(sm.st_mode) ? "folder" : "file", masks,
	    S_ISDIR(sk.st_mode) ? "folder" : "file");
}

/* The sample id as a path without extension, backslashes as slashes. */
static char *norm_id(const char *id)
{
	char *s = strip_ext(id);

	for (char *p = s; p && *p; p++) {
		if (*p == '\\')
			*p = '/';
	}
	return s;
}

/* A name an item answers to in the join: its id without extension
 * (whole), or what follows one of the id's slashes (a tail). */
struct name_ref {
	const char *s; /* inside the item's normalised id */
	size_t item;
};

static int cmp_name_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : (x->item > y->item) - (x->item < y->item);
}

/* The items' names, sorted, for adt_dataset_match.  A sample id and an
 * item match when one ends with the other at a folder boundary: the id is
 * the item's whole name or one of its tails, or the item's whole name is
 * one of the id's tails.  Each is a lookup in a sorted array, so a join
 * costs O((items + samples * slashes) log items) instead of comparing
 * every id with every item. */
struct name_index {
	char **norm; /* per item: its id without extension, '/' for '\\' */
	struct name_ref *whole, *tail;
	size_t n, n_tail, cap_tail;
};

static void name_index_release(struct name_index *ix)
{
	for (size_t j = 0; ix->norm && j < ix->n; j++)
		free(ix->norm[j]);
	free(ix->norm);
	free(ix->whole);
	free(ix->tail);
}

static int name_index_build(struct name_index *ix, const struct adt_dataset *ds)
{
	size_t slashes = 0;
	void *p = NULL;

	ix->n = ds->n;
	ix->norm = calloc(ds->n ? ds->n : 1, sizeof(*ix->norm));
	ix->whole = malloc((ds->n ? ds->n : 1) * sizeof(*ix->whole));
	if (!ix->norm || !ix->whole)
		return -1;
	/* Item ids from a document keep their extension; folder ids have none. */
	for (size_t j = 0; j < ds->n; j++) {
		ix->norm[j] = norm_id(ds->items[j].id);
		if (!ix->norm[j])
			return -1;
		ix->whole[j] = (struct name_ref){ix->norm[j], j};
		for (const char *c = ix->norm[j]; *c; c++)
			slashes += *c == '/';
	}
	/* Items and slashes are all in memory: the sum does not overflow. */
	if (adt_grow(&p, &ix->cap_tail, ds->n + slashes + 1, sizeof(*ix->tail)))
		return -1;
	ix->tail = p;
	for (size_t j = 0; j < ds->n; j++) {
		ix->tail[ix->n_tail++] = ix->whole[j];
		for (const char *c = ix->norm[j]; *c; c++) {
			if (*c == '/')
				ix->tail[ix->n_tail++] = (struct name_ref){c + 1, j};
		}
	}
	qsort(ix->whole, ds->n, sizeof(*ix->whole), cmp_name_ref);
	qsort(ix->tail, ix->n_tail, sizeof(*ix->tail), cmp_name_ref);
	return 0;
}

/* The items a sample id names, for the rules of adt_dataset_match: how
 * many, and the two lowest (in the dataset's order). */
struct name_hits {
	size_t n, item[2];
};

static void name_hits_add(struct name_hits *h, size_t item)
{
	if (h->n == 0 || item < h->item[0]) {
		h->item[1] = h->item[0];
		h->item[0] = item;
	} else if (h->n == 1 || item < h->item[1]) {
		h->item[1] = item;
	}
	h->n++;
}

/* Adds the items of the n sorted refs v whose name is key. */
static void name_lookup(const struct name_ref *v, size_t n, const char *key, struct name_hits *h)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].s, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(v[lo].s, key) == 0; lo++)
		name_hits_add(h, v[lo].item);
}

/* The items matching id (normalised): the id is an item's whole name or a
 * tail of it, or an item's whole name is a tail of the id.  Each item
 * counts once: a tail of the id is shorter than the id. */
static struct name_hits name_match(const struct name_index *ix, const char *id)
{
	struct name_hits h = {0, {0, 0}};

	name_lookup(ix->tail, ix->n_tail, id, &h);
	for (const char *c = id; *c; c++) {
		if (*c == '/')
			name_lookup(ix->whole, ix->n, c + 1, &h);
	}
	return h;
}

/* Appends "'x'" to a list of at most three examples, ending the list in
 * "..." when it does not fit. */
static void example(char *buf, size_t size, size_t *count, const char *what)
{
	size_t len = strlen(buf);
	int k;

	if (*count < 3 && len + 1 < size) {
		k = snprintf(buf + len, size - len, "%s'%s'", *count ? ", " : "", what);
		if (k < 0 || (size_t)k >= size - len)
			adt_error_mark_cut(buf, size);
	}
	(*count)++;
}

int adt_dataset_match(const struct adt_dataset *ds, const struct adt_samples *s, size_t *item_of,
		      struct adt_error *err)
{
	char *used = NULL, nomap[ADT_MSG_SIZE] = "", nosample[ADT_MSG_SIZE] = "";
	struct name_index ix = {0};
	size_t n_nomap = 0, n_nosample = 0;
	unsigned long first_line = 0;
	int ret = -1;

	if (!s->id) {
		for (size_t i = 0; item_of && i < s->n && s->n == ds->n; i++)
			item_of[i] = i;
		if (s->n == ds->n)
			return 0;
		return adt_error_set(err, ADT_EDATA,
				     "the scores have %zu rows and no id column, the maps %zu "
				     "images: add an id column to pair them",
				     s->n, ds->n);
	}
	used = calloc(ds->n ? ds->n : 1, 1);
	if (!used || name_index_build(&ix, ds)) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s->n; i++) {
		char *id = norm_id(s->id[i]);
		struct name_hits h;
		size_t j;

		if (!id) {
			adt_error_set(err, ADT_ENOMEM, "out of memory");
			goto out;
		}
		h = name_match(&ix, id);
		free(id);
		if (h.n == 0) {
			if (n_nomap == 0)
				first_line = s->line[i];
			example(nomap, sizeof(nomap), &n_nomap, s->id[i]);
			continue;
		}
		/* Taking the matches in the items' order, the first that an
		 * earlier row took, or else the second, is the one reported. */
		j = !used[h.item[0]] && h.n > 1 ? h.item[1] : h.item[0];
		if (used[j] || h.n > 1) {
			adt_error_at(err, ADT_EDATA, NULL, s->line[i],
				     "image '%s' matches map '%s' %s", s->id[i], ds->items[j].id,
				     used[j] ? "which another row matches too"
					     : "and another map too");
			goto out;
		}
		used[j] = 1;
		if (item_of)
			item_of[i] = j;
	}
	for (size_t j = 0; j < ds->n; j++) {
		if (!used[j])
			example(nosample, sizeof(nosample), &n_nosample, ds->items[j].id);
	}
	if (n_nomap)
		adt_error_at(err, ADT_EDATA, NULL, first_line,
			     "%zu of %zu images have no map under '%s', e.g. %s", n_nomap, s->n,
			     ds->root, nomap);
	else if (n_nosample)
		adt_error_set(err, ADT_EDATA, "%zu of %zu maps have no row in the scores, e.g. %s",
			      n_nosample, ds->n, nosample);
	else
		ret = 0;
out:
	name_index_release(&ix);
	free(used);
	return ret;
}

/* adthresh: the program around libadthresh.  Only this file prints
 * diagnostics and chooses the exit status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adthresh/dataset.h"
#include "adthresh/error.h"
#include "adthresh/eval.h"
#include "adthresh/image_formats.h"
#include "adthresh/imagefile.h"
#include "adthresh/read.h"
#include "adthresh/report.h"
#include "adthresh/samples.h"
#include "adthresh/version.h"
#include "cli.h"

enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_ERROR = 2 };

static void print_error(const struct adt_error *err)
{
	if (err->file[0] && err->line)
		fprintf(stderr, "adthresh: %s:%lu: %s\n", err->file, err->line, err->msg);
	else if (err->file[0])
		fprintf(stderr, "adthresh: %s: %s\n", err->file, err->msg);
	else
		fprintf(stderr, "adthresh: %s\n", err->msg);
}

/* Prints err; a usage error also points to --help. */
static void report_error(const struct adt_error *err)
{
	print_error(err);
	if (err->code == ADT_EUSAGE)
		fputs("Try 'adthresh --help' for more information.\n", stderr);
}

static int usage_error(const struct adt_error *err)
{
	if (err->msg[0]) /* else getopt_long has said it */
		print_error(err);
	fputs("Try 'adthresh --help' for more information.\n", stderr);
	return EXIT_ERROR;
}

/* Flushes and closes a result stream; a failed write is an error. */
static int close_output(FILE *f, const char *name)
{
	int bad = ferror(f);
	int e = errno;

	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		fprintf(stderr, "adthresh: %s: write error: %s\n", name, strerror(e));
		return -1;
	}
	return 0;
}

/* Whether path names the same file as the input (never overwrite input). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(b, "-") == 0 || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void warn_one_class(const char *level, const struct adt_level_result *r)
{
	fprintf(stderr,
		"adthresh: warning: %s level has only %s samples (%llu); threshold = %s score "
		"(anomalib's fallback); undefined metrics are n/a (null in JSON)\n",
		level, r->positives ? "anomalous" : "normal", (unsigned long long)r->n,
		r->positives ? "lowest" : "highest");
}

/* Reads the scores file into s, printing any error. */
static int read_scores(const struct adt_cli *cli, struct adt_samples *s)
{
	struct adt_read_opts ro = cli->read;
	struct adt_error err;

	adt_error_init(&err);
	if (adt_read_scores_file(cli->input, &ro, s, &err)) {
		print_error(&err);
		return -1;
	}
	if (cli->verbose && ro.note[0])
		fprintf(stderr, "adthresh: %s: %s\n", err.file[0] ? err.file : cli->input, ro.note);
	return 0;
}

/* Whether --maps names a JSON results document rather than maps. */
static int is_document(const struct adt_cli *cli)
{
	size_t len = strlen(cli->maps);

	return !cli->masks && ((len > 5 && strcasecmp(cli->maps + len - 5, ".json") == 0) ||
			       (len > 6 && strcasecmp(cli->maps + len - 6, ".jsonl") == 0));
}

/* Turns a JSON results document into items (maps and masks in memory) and,
 * when every image has a score and a label, image-level samples. */
static int load_document(const struct adt_cli *cli, struct adt_doc *doc, struct adt_dataset *ds,
			 struct adt_samples *scores, struct adt_error *err)
{
	struct adt_decode_opts o = {ADT_AS_MAP, cli->pixel.max_pixels};
	size_t with_score = 0;
	char *buf;
	size_t len;
	int ret;

	if (adt_slurp_file(cli->maps, &buf, &len, err)) {
		adt_error_set_file(err, cli->maps);
		return -1;
	}
	ret = adt_doc_json_read_mem(buf, len, cli->maps, &o, doc, err);
	free(buf);
	if (ret)
		return -1;
	snprintf(ds->root, sizeof(ds->root), "%s", cli->maps);
	for (size_t i = 0; i < doc->n; i++) {
		struct adt_doc_image *im = &doc->images[i];
		char id[32];

		snprintf(id, sizeof(id), "%zu", i);
		if (adt_dataset_add(ds, im->id ? im->id : id, cli->maps, i, NULL, 0, err))
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
			    err, ADT_EDATA, cli->maps, im->line,
			    "element %zu has no %s but %zu other elements have both "
			    "pred_score and gt_label; give them for every image or for "
			    "none",
			    i + 1, im->has_score ? "gt_label" : "pred_score", with_score);
	}
	for (size_t i = 0; i < doc->n; i++) {
		struct adt_doc_image *im = &doc->images[i];

		if (adt_samples_push(scores, im->score, im->label, NULL, im->line, err))
			return -1;
	}
	return 0;
}

/* The pixel level, and the image level the maps imply. */
static int eval_pixels(const struct adt_cli *cli, struct adt_dataset *ds, struct adt_doc *doc,
		       struct adt_samples *scores, struct adt_level_result *pixel,
		       struct adt_samples *from_maps)
{
	struct adt_error err;

	adt_error_init(&err);
	if (is_document(cli)) {
		if (load_document(cli, doc, ds, scores, &err))
			goto fail;
	} else if (!cli->masks) {
		adt_error_set(&err, ADT_EUSAGE,
			      "--maps needs --masks (or a JSON document with gt_mask arrays)");
		goto fail;
	} else if (adt_dataset_pair(ds, cli->maps, cli->masks, &err)) {
		goto fail;
	}
	if (adt_eval_dataset(ds, &cli->pixel, &cli->eval, pixel, from_maps, &err))
		goto fail;
	if (cli->verbose) {
		size_t masked = 0;

		for (size_t i = 0; i < ds->n; i++)
			masked += ds->items[i].mask_path || ds->items[i].mask_mem;
		fprintf(stderr, "adthresh: %s: %zu maps, %zu with a mask, %llu pixels\n", ds->root,
			ds->n, masked, (unsigned long long)pixel->n);
	}
	return 0;
fail:
	report_error(&err);
	return -1;
}

/* Whether writing the output would overwrite something given as input:
 * the scores, the maps or masks, or any file paired from their folders. */
static int output_is_input(const struct adt_cli *cli, const struct adt_dataset *ds)
{
	if (!cli->output || strcmp(cli->output, "-") == 0)
		return 0;
	if (same_file(cli->output, cli->input) ||
	    (cli->maps && same_file(cli->output, cli->maps)) ||
	    (cli->masks && same_file(cli->output, cli->masks)))
		return 1;
	for (size_t i = 0; ds && i < ds->n; i++) {
		if ((ds->items[i].map_path && same_file(cli->output, ds->items[i].map_path)) ||
		    (ds->items[i].mask_path && same_file(cli->output, ds->items[i].mask_path)))
			return 1;
	}
	return 0;
}

/* Warns about images whose label in the scores file contradicts their
 * mask (an anomalous label with an empty mask, or the reverse). */
static void warn_label_mismatch(const struct adt_samples *scores, const size_t *item_of,
				const struct adt_samples *from_maps, const char *file)
{
	size_t bad = 0, first = 0;

	for (size_t i = 0; i < scores->n; i++) {
		if (scores->label[i] != from_maps->label[item_of[i]] && bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return;
	fprintf(stderr,
		"adthresh: warning: %s:%lu: image '%s' is labelled %s but its mask %s (%zu of %zu "
		"images disagree with their masks)\n",
		file, scores->line[first], scores->id ? scores->id[first] : "",
		scores->label[first] ? "anomalous" : "normal",
		scores->label[first] ? "marks no pixel" : "marks anomalous pixels", bad, scores->n);
}

/* Opens the output only once there is a result to put in it, writes it
 * and closes it; write errors are errors. */
static int write_report(const struct adt_cli *cli, const struct adt_report *rep)
{
	FILE *out = stdout;
	struct adt_error err;

	adt_error_init(&err);
	if (cli->output && strcmp(cli->output, "-") != 0) {
		out = fopen(cli->output, "w");
		if (!out) {
			fprintf(stderr, "adthresh: %s: cannot open for writing: %s\n", cli->output,
				strerror(errno));
			return -1;
		}
	}
	adt_report_write(out, cli->out_format, rep, &err);
	return close_output(out, out == stdout ? "standard output" : cli->output);
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

/* Checks that the scores name the images of the maps, and warns where
 * their labels contradict the masks. */
static int match_scores(const struct adt_cli *cli, const struct adt_dataset *ds,
			const struct adt_samples *scores, const struct adt_samples *from_maps,
			const char *file)
{
	size_t *item_of = malloc((scores->n ? scores->n : 1) * sizeof(*item_of));
	struct adt_error err;
	int ret = -1;

	adt_error_init(&err);
	if (!item_of)
		adt_error_set(&err, ADT_ENOMEM, "out of memory");
	else if (adt_dataset_match(ds, scores, item_of, &err) == 0)
		ret = 0;
	if (ret) {
		adt_error_set_file(&err, file);
		print_error(&err);
	} else if (!cli->quiet) {
		warn_label_mismatch(scores, item_of, from_maps, file);
	}
	free(item_of);
	return ret;
}

static int run(const struct adt_cli *cli)
{
	struct adt_samples scores, from_maps;
	const struct adt_samples *images = &scores;
	struct adt_level_result image, pixel;
	struct adt_report rep = {NULL, NULL, "f1"};
	struct adt_dataset ds;
	struct adt_doc doc = {NULL, 0};
	struct adt_error err;
	const char *image_src = strcmp(cli->input, "-") ? cli->input : "<stdin>";
	int status = EXIT_ERROR;

	adt_error_init(&err);
	adt_samples_init(&scores);
	adt_samples_init(&from_maps);
	adt_dataset_init(&ds);
	if (output_is_input(cli, NULL)) {
		fprintf(stderr, "adthresh: %s: refusing to overwrite an input with the output\n",
			cli->output);
		goto out;
	}
	if (cli->maps) {
		if (eval_pixels(cli, &ds, &doc, &scores, &pixel, &from_maps))
			goto out;
		if (output_is_input(cli, &ds)) {
			fprintf(stderr,
				"adthresh: %s: refusing to overwrite an input with the output\n",
				cli->output);
			goto out;
		}
		rep.pixel = &pixel;
		if (!cli->input_given && scores.n == 0) {
			images = &from_maps;
			image_src = ds.root;
		} else if (!cli->input_given) {
			image_src = cli->maps;
		}
	}
	if (!cli->maps || cli->input_given) {
		/* A scores file overrides the scores of a JSON document. */
		adt_samples_release(&scores);
		if (read_scores(cli, &scores))
			goto out;
		if (cli->maps && match_scores(cli, &ds, &scores, &from_maps, image_src))
			goto out;
	}
	if (images == &from_maps && !cli->eval.allow_one_class && one_class(images)) {
		/* The image level was only implied by the maps: a set of defective
		 * images alone still has a pixel level worth reporting. */
		if (!cli->quiet)
			fprintf(stderr,
				"adthresh: warning: %s: %s %zu image%s %s %s, so there is no image "
				"level (give SCORES or --allow-one-class for one)\n",
				image_src, images->n == 1 ? "the" : "all", images->n,
				images->n == 1 ? "" : "s", images->n == 1 ? "is" : "are",
				images->label[0] ? "anomalous" : "normal");
	} else if (adt_eval_samples(images, "image", &cli->eval, &image, &err)) {
		adt_error_set_file(&err, image_src);
		print_error(&err);
		goto out;
	} else {
		rep.image = &image;
	}
	if (image.one_class && !cli->quiet)
		warn_one_class("image", &image);
	if (rep.pixel && pixel.one_class && !cli->quiet)
		warn_one_class("pixel", &pixel);
	if (write_report(cli, &rep) == 0)
		status = EXIT_OK;
out:
	adt_samples_release(&scores);
	adt_samples_release(&from_maps);
	adt_dataset_release(&ds);
	adt_doc_release(&doc);
	return status;
}

int main(int argc, char **argv)
{
	struct adt_cli cli;
	struct adt_error err;

	adt_error_init(&err);
	if (adt_cli_parse(argc, argv, &cli, &err))
		return usage_error(&err);
	if (cli.help || cli.version) {
		if (cli.help)
			adt_cli_help(stdout);
		else
			printf("adthresh %s\n", ADTHRESH_VERSION);
		return close_output(stdout, "standard output") ? EXIT_ERROR : EXIT_OK;
	}
	return run(&cli);
}

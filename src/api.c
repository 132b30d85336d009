/* The library's one-call API (see api.h): the program's run, with its
 * output gathered as text instead of printed. */
#include "adthresh/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adthresh/app.h"
#include "adthresh/cli.h"
#include "adthresh/error.h"
#include "adthresh/format.h"
#include "adthresh/output.h"
#include "adthresh/raster.h"
#include "adthresh/run.h"

enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_ERROR = 2 };

/* Text gathered in memory, line by line. */
struct text {
	char *buf;
	size_t len;
	FILE *f;
};

static int text_open(struct text *t, struct adt_error *err)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : adt_error_set(err, ADT_ENOMEM, "out of memory");
}

/* Closes t and hands its text over: NULL when empty.  Returns 0, or -1
 * when a write failed (out of memory). */
static int text_close(struct text *t, char **out)
{
	int failed = ferror(t->f);

	failed |= fclose(t->f) != 0;
	*out = NULL;
	if (failed || t->len == 0) {
		free(t->buf);
		return failed ? -1 : 0;
	}
	*out = t->buf;
	return 0;
}

static int sample_of(const char *name, enum adt_sample *s)
{
	for (int k = ADT_SAMPLE_BOOL; name && k <= ADT_SAMPLE_F64; k++) {
		if (strcmp(adt_sample_name((enum adt_sample)k), name) == 0) {
			*s = (enum adt_sample)k;
			return 0;
		}
	}
	return -1;
}

/* The maps and masks of in as rasters over the caller's memory: *maps and
 * *masks (one block) are freed by the caller. */
static int wrap_arrays(const struct adt_api_inputs *in, struct adt_raster **maps,
		       struct adt_raster **masks, struct adt_error *err)
{
	enum adt_sample ms, ks;
	size_t msize, ksize, n;

	*maps = *masks = NULL;
	if (sample_of(in->map_dtype, &ms) || !adt_sample_is_float(ms))
		return adt_error_set(err, ADT_EUSAGE, "unsupported map dtype '%s'",
				     in->map_dtype ? in->map_dtype : "");
	if (sample_of(in->mask_dtype, &ks) || adt_sample_is_float(ks))
		return adt_error_set(err, ADT_EUSAGE, "unsupported mask dtype '%s'",
				     in->mask_dtype ? in->mask_dtype : "");
	msize = adt_sample_size(ms);
	ksize = adt_sample_size(ks);
	/* The arrays exist, so their sizes fit; a map of no pixels is the
	 * pipeline's to refuse. */
	n = in->count ? (size_t)in->count : 1;
	*maps = calloc(2 * n, sizeof(**maps));
	if (!*maps)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	*masks = *maps + n;
	for (uint64_t i = 0; i < in->count; i++) {
		size_t at = (size_t)(i * in->height * in->width);

		(*maps)[i] = (struct adt_raster){in->width, in->height, ms,
						 (char *)in->maps + at * msize, 0};
		(*masks)[i] = (struct adt_raster){in->width, in->height, ks,
						  (char *)in->masks + at * ksize, 0};
	}
	return 0;
}

/* What the options cannot ask of this call, or what the inputs lack. */
static int check_call(const struct adt_cli *cli, const struct adt_api_inputs *in,
		      struct adt_error *err)
{
	int arrays = in->scores || in->maps;

	if (cli->output)
		return adt_error_set(err, ADT_EUSAGE,
				     "-o writes the report to a file; this call returns it");
	if (cli->out_format != ADT_OUT_TEXT && cli->out_format != ADT_OUT_JSON)
		return adt_error_set(err, ADT_EUSAGE,
				     "this call returns the JSON report, not "
				     "--format %s",
				     cli->out_format == ADT_OUT_CSV ? "csv" : "markdown");
	if (cli->save_counts || cli->merge || cli->shard_n)
		return adt_error_set(err, ADT_EUSAGE,
				     "%s: sharded runs are the program's (this call returns a "
				     "report of its inputs)",
				     cli->save_counts ? "--save-counts" : cli->merge ? "--merge" : "--shard");
	if (arrays && (cli->maps || cli->masks || cli->input_given))
		return adt_error_set(err, ADT_EUSAGE,
				     "inputs given as arrays cannot be combined with --maps, "
				     "--masks or a scores file");
	if (arrays && cli->batch)
		return adt_error_set(err, ADT_EUSAGE, "--batch evaluates folders, not arrays");
	if (!arrays && !cli->maps && !cli->input_given)
		return adt_error_set(err, ADT_EUSAGE,
				     "no input: give scores and labels, or maps and masks");
	if (in->scores && !in->labels)
		return adt_error_set(err, ADT_EUSAGE, "scores need labels");
	if (in->maps && !in->masks)
		return adt_error_set(err, ADT_EUSAGE, "maps need masks (nonzero = anomalous)");
	if (in->maps && in->scores && in->nscores != in->count)
		return adt_error_set(err, ADT_EUSAGE,
				     "%zu scores for %llu maps: give one score per map, in the "
				     "order of the maps",
				     in->nscores, (unsigned long long)in->count);
	if (in->maps && in->scores && cli->map_maxima)
		return adt_error_set(err, ADT_EUSAGE,
				     "--map-maxima takes the image scores from the maps, not from "
				     "'scores'");
	return 0;
}

/* The run: its report into *report, its files written, its messages
 * into msgs and errs. */
static int run(struct adt_cli *cli, const struct adt_api_inputs *in, char **report, FILE *msgs,
	       FILE *errs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct adt_raster *maps = NULL, *masks = NULL;
	struct adt_memory mem = {"scores", NULL, NULL, 0, "maps", NULL, NULL, 0};
	struct adt_write_opts wo;
	struct adt_run_job job;
	struct adt_result res;
	struct adt_error err;
	int status = EXIT_ERROR;

	adt_result_init(&res);
	adt_error_init(&err);
	if (check_call(cli, in, &err) || (in->maps && wrap_arrays(in, &maps, &masks, &err)))
		goto out;
	/* Maps in memory are maps given, for the checks of the options that
	 * need them (--aupro, --pixel-threshold, ...). */
	if (in->maps) {
		cli->maps = mem.maps_name;
		cli->masks = "masks";
	}
	if (adt_cli_check(cli, &err))
		goto out;
	adt_cli_job(cli, &job);
	adt_cli_write_opts(cli, &wo, NULL);
	wo.format = ADT_OUT_JSON;
	wo.columns = NULL;
	if (in->scores || in->maps) {
		mem.scores = in->scores;
		mem.labels = in->labels;
		mem.nscores = in->nscores;
		mem.maps = maps;
		mem.masks = masks;
		mem.nmaps = in->maps ? (size_t)in->count : 0;
		job.scores = job.maps = job.masks = NULL;
		job.eval.memory = &mem;
	}
	if (adt_run(&job, &res, &err)) {
		adt_messages_print(&res.msgs, msgs, errs, "", cli->quiet, cli->verbose);
		goto out;
	}
	adt_messages_print(&res.msgs, msgs, errs, "", cli->quiet, cli->verbose);
	if (!res.complete)
		goto done;
	/* The report goes where the program's standard output would. */
	f = open_memstream(&text, &len);
	if (!f) {
		adt_error_set(&err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	if (adt_outputs_write(job.output, f, &res, &wo, NULL, &err)) {
		free(text);
		goto out;
	}
	*report = text;
	for (size_t i = 0; !res.failed && i < res.unmet.n; i++)
		fprintf(errs, "gate not met: %s\n", res.unmet.v[i].text);
	if (!res.failed && res.gates_unmet > res.unmet.n)
		fprintf(errs, "%zu more gates not met\n", res.gates_unmet - res.unmet.n);
	status = res.failed ? EXIT_ERROR : res.gates_unmet ? EXIT_GATE : EXIT_OK;
	goto done;
out:
	adt_format_error(errs, "", &err);
done:
	adt_result_release(&res);
	free(maps);
	return status;
}

/* out for a call that ran out of memory on the way. */
static int out_of_memory(struct adt_api_result *out)
{
	adt_api_result_release(out);
	out->error = strdup("out of memory\n");
	out->status = EXIT_ERROR;
	return out->status;
}

int adt_api_evaluate(int argc, const char *const *argv, const struct adt_api_inputs *in,
		     struct adt_api_result *out)
{
	static const struct adt_api_inputs none;
	struct text t[2];
	struct adt_cli cli;
	struct adt_error err;
	char **words = NULL;
	char *report = NULL;
	int status = EXIT_ERROR, opened = 0, failed;

	memset(out, 0, sizeof(*out));
	memset(t, 0, sizeof(t));
	adt_error_init(&err);
	while (opened < 2 && text_open(&t[opened], &err) == 0)
		opened++;
	/* getopt_long permutes the words: a copy of the pointers. */
	if (opened == 2 && argc >= 0)
		words = calloc((size_t)argc + 2, sizeof(*words));
	if (!words) {
		for (int k = 0; k < opened; k++) {
			char *s;

			if (text_close(&t[k], &s) == 0)
				free(s);
		}
		return out_of_memory(out);
	}
	for (int i = 0; i < argc; i++)
		words[i + 1] = (char *)argv[i];
	words[0] = "adthresh";
	if (adt_cli_parse_options(argc + 1, words, &cli, &err) == 0)
		status = run(&cli, in ? in : &none, &report, t[0].f, t[1].f);
	else
		adt_format_error(t[1].f, "", &err);
	adt_cli_release(&cli);
	free(words);
	out->report = report;
	failed = text_close(&t[0], &out->messages);
	failed |= text_close(&t[1], &out->error);
	if (failed)
		return out_of_memory(out);
	out->status = status;
	return status;
}

void adt_api_result_release(struct adt_api_result *out)
{
	free(out->report);
	free(out->error);
	free(out->messages);
	memset(out, 0, sizeof(*out));
}

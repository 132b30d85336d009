/* One evaluation pipeline (see run.h). */
#include "adthresh/run.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adthresh/batch.h"
#include "adthresh/format.h"
#include "adthresh/gate.h"
#include "adthresh/imagefile.h"
#include "adthresh/output.h"
#include "adthresh/parallel.h"
#include "adthresh/thresholds.h"

static const char *const output_options[ADT_OUTPUTS] = {"-o", "--save-thresholds", "--curves",
							"--plot", "--per-image", "--save-counts"};

/* Each category's job names every output, to refuse one that is an input. */
_Static_assert(sizeof(((struct adt_job *)0)->output) == ADT_OUTPUTS * sizeof(const char *),
	       "struct adt_job has room for every output");

const char *adt_output_option(enum adt_output_kind k)
{
	return k < ADT_OUTPUTS ? output_options[k] : "";
}

void adt_run_job_init(struct adt_run_job *job)
{
	memset(job, 0, sizeof(*job));
	adt_read_opts_init(&job->eval.read);
	adt_policy_default(&job->eval.image.policy);
	adt_policy_default(&job->eval.pixel.policy);
}

void adt_result_init(struct adt_result *res)
{
	memset(res, 0, sizeof(*res));
	adt_messages_init(&res->msgs);
	adt_messages_init(&res->unmet);
}

void adt_result_release(struct adt_result *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->v[i].name);
		free(res->v[i].error);
		adt_outcome_release(&res->v[i].out);
	}
	free(res->v);
	adt_messages_release(&res->msgs);
	adt_messages_release(&res->unmet);
	adt_result_init(res);
}

/* Reads the thresholds file of the job into t; a batch's file for a
 * single run (or the reverse) is a usage error, another rule a warning. */
static int load_thresholds(const struct adt_run_job *job, struct adt_thresholds *t,
			   struct adt_messages *msgs, struct adt_error *err)
{
	enum adt_rule rule = job->eval.image.rule;
	char *buf;
	size_t len;
	int ret;

	if (adt_slurp_file(job->thresholds, &buf, &len, err)) {
		adt_error_set_file(err, job->thresholds);
		err->code = err->code == ADT_EUSAGE ? ADT_EIO : err->code;
		return -1;
	}
	ret = adt_read_thresholds_mem(buf, len, job->thresholds, t, err);
	free(buf);
	if (ret)
		return -1;
	if (t->batch != job->batch) {
		adt_thresholds_release(t);
		return adt_error_at(err, ADT_EUSAGE, job->thresholds, 0,
				    job->batch
					? "holds the thresholds of a single run, not of a batch"
					: "holds the thresholds of a batch; use it with --batch");
	}
	if (t->rule != rule)
		adt_messages_add(msgs, ADT_MSG_WARNING,
				 "%s: the thresholds were chosen with score %s threshold and are "
				 "applied with %s",
				 job->thresholds, t->rule == ADT_RULE_GT ? ">" : ">=",
				 rule == ADT_RULE_GT ? ">" : ">=");
	return 0;
}

/* The thresholds of one category (NULL: a single run) from the file and
 * the options (the options win); with a thresholds file every level the
 * run has must get one: choosing on the evaluated data would leak it. */
static int thresholds_for(const struct adt_run_job *job, const struct adt_thresholds *t,
			  const char *category, struct adt_job *eval, struct adt_error *err)
{
	struct adt_eval_opts *lv[2] = {&eval->image, &eval->pixel};
	const char *missing = NULL;

	for (int l = 0; l < 2; l++)
		lv[l]->has_threshold = 0;
	for (size_t i = 0; t && i < t->n; i++) {
		/* The file has the name as JSON holds it (valid UTF-8). */
		if (category &&
		    (!t->v[i].category || !adt_format_json_same(category, t->v[i].category)))
			continue;
		lv[t->v[i].pixel]->has_threshold = 1;
		lv[t->v[i].pixel]->threshold = t->v[i].value;
	}
	for (int l = 0; l < 2; l++) {
		if (job->has_threshold[l]) {
			lv[l]->has_threshold = 1;
			lv[l]->threshold = job->threshold[l];
		}
	}
	if (!t)
		return 0;
	if (!eval->image.has_threshold)
		missing = "image";
	else if ((job->maps || (job->eval.memory && job->eval.memory->maps)) &&
		 !eval->pixel.has_threshold)
		missing = "pixel";
	if (!missing)
		return 0;
	return adt_error_at(err, ADT_EDATA, job->thresholds, 0, "no %s threshold%s%s", missing,
			    category ? " for category " : "", category ? category : "");
}

/* Warns about categories of the thresholds file that the run lacks. */
static void warn_unused_thresholds(const struct adt_run_job *job, const struct adt_thresholds *t,
				   struct adt_result *res)
{
	for (size_t k = 0; k < t->n; k++) {
		size_t i = 0;

		if (k > 0 && t->v[k - 1].category && t->v[k].category &&
		    strcmp(t->v[k - 1].category, t->v[k].category) == 0)
			continue;
		while (i < res->n && !adt_format_json_same(res->v[i].name, t->v[k].category))
			i++;
		if (i == res->n)
			adt_messages_add(&res->msgs, ADT_MSG_WARNING,
					 "%s: category '%s' is not in this run; its thresholds "
					 "are not used",
					 job->thresholds, t->v[k].category);
	}
}

/* The gates of the job: --fail-under's, then each --gate's, into g. */
static int parse_gates(const struct adt_run_job *job, struct adt_gates *g, struct adt_error *err)
{
	if (job->gates && adt_gates_parse(job->gates, job->batch, 0, g, err))
		return -1;
	for (size_t i = 0; i < job->ngate; i++) {
		if (adt_gates_parse(job->gate[i], job->batch, 1, g, err))
			return -1;
	}
	return 0;
}

/* The gates must parse, name categories the run has, and ask for
 * metrics the options compute. */
static int check_gates(const struct adt_run_job *job, const struct adt_categories *cats,
		       struct adt_error *err)
{
	struct adt_gates g = {NULL, 0, 0};
	int ret = 0;

	if (parse_gates(job, &g, err))
		ret = -1;
	for (size_t k = 0; ret == 0 && cats && k < g.n; k++) {
		const char *scope = g.v[k].scope;
		size_t i = 0;

		if (strcmp(scope, "mean") == 0 || strcmp(scope, "*") == 0)
			continue;
		while (i < cats->n && strcmp(cats->v[i].name, scope) != 0)
			i++;
		if (i == cats->n)
			ret = adt_error_set(err, ADT_EUSAGE, "gate '%s': no category '%s'",
					    g.v[k].text, scope);
	}
	for (size_t k = 0; ret == 0 && k < g.n; k++)
		ret = adt_gate_available(&g.v[k], &job->eval, err);
	adt_gates_release(&g);
	return ret;
}

/* The categories of the run: a batch's, or the one of a single run,
 * whose scores come from SCORES or else from a scores file in the maps
 * folder (as a batch finds them). */
static int find_categories(const struct adt_run_job *job, struct adt_categories *cats,
			   struct adt_error *err)
{
	struct stat st;
	char *scores = NULL, *source = NULL;

	if (job->batch && job->maps && !job->masks)
		return adt_error_set(err, ADT_EUSAGE, "--batch with --maps needs --masks");
	if (job->batch) {
		if (adt_categories_list(job->maps, job->masks, job->maps ? NULL : job->scores,
					job->map_maxima, cats, err))
			return -1;
		/* An image-only batch leaves out the files this run reads or
		 * writes besides the scores (a thresholds file saved beside). */
		for (size_t i = cats->n; !job->maps && i-- > 0;) {
			int own = adt_same_file(cats->v[i].scores, job->thresholds);

			for (int k = 0; k < ADT_OUTPUTS; k++)
				own |= adt_same_file(cats->v[i].scores, job->output[k]);
			if (own)
				adt_categories_remove(cats, i);
		}
		if (cats->n == 0)
			return adt_error_at(err, ADT_EDATA, job->scores, 0,
					    "no score files in it besides this run's own outputs");
		return 0;
	}
	if (job->maps && adt_categories_refuse_parent(job->maps, err))
		return -1;
	if (job->scores) {
		scores = strdup(job->scores);
		if (!scores)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
	} else if (job->maps && !job->map_maxima && stat(job->maps, &st) == 0 &&
		   S_ISDIR(st.st_mode)) {
		if (adt_category_scores(job->maps, &scores, err))
			return -1;
		if (scores && !(source = strdup(strrchr(scores, '/') + 1))) {
			free(scores);
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		}
	}
	return adt_categories_add(cats, 1, NULL, scores, source,
				  job->maps ? strdup(job->maps) : NULL,
				  job->masks ? strdup(job->masks) : NULL, err);
}

/* Evaluating the categories, several at a time. */
struct pool {
	const struct adt_categories *c;
	const struct adt_job *eval; /* per category, with its thresholds */
	unsigned inner_threads;
	unsigned outer; /* categories evaluated at once */
	struct adt_entry *e;
	struct adt_error *errs;
	int *ok;
	atomic_size_t next;
	atomic_int stop;
	int stop_on_error;
	size_t done; /* under lock */
	pthread_mutex_t lock;
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
};

/* The least share of the memory bound a category evaluated beside others
 * gets (see worker). */
#define SHARE_FLOOR ((uint64_t)64 << 20)

static void worker(void *arg, unsigned t)
{
	struct pool *p = arg;

	(void)t;
	/* Categories are claimed in order: after a failure that stops the
	 * run, every category before it has still been evaluated. */
	for (size_t i = atomic_fetch_add(&p->next, 1); i < p->c->n && !atomic_load(&p->stop);
	     i = atomic_fetch_add(&p->next, 1)) {
		struct adt_job job = p->eval[i];
		uint64_t bound;
		size_t done;

		job.pixels.threads = p->inner_threads;
		/* The categories evaluated at once share the memory bound, each
		 * with 64 MiB at least (or the whole bound when it is smaller),
		 * so that a small bound does not depend on --threads. */
		bound = adt_memory_bound(&job.pixels);
		job.pixels.memory = bound / p->outer;
		if (job.pixels.memory < (bound < SHARE_FLOOR ? bound : SHARE_FLOOR))
			job.pixels.memory = bound < SHARE_FLOOR ? bound : SHARE_FLOOR;
		adt_error_init(&p->errs[i]);
		p->ok[i] = adt_evaluate(&job, &p->e[i].out, &p->errs[i]) == 0;
		if (!p->ok[i] && p->stop_on_error)
			atomic_store(&p->stop, 1);
		/* Counted and shown under the lock, so the last line is the last. */
		pthread_mutex_lock(&p->lock);
		done = ++p->done;
		if (p->progress)
			p->progress(p->ctx, done, p->c->n);
		pthread_mutex_unlock(&p->lock);
	}
}

static void evaluate_all(struct pool *p, unsigned threads)
{
	unsigned outer;

	if (threads == 0)
		threads = adt_parallel_default();
	/* Categories in parallel, sharing the threads out among them. */
	outer = p->c->n < threads ? (unsigned)p->c->n : threads;
	p->inner_threads = outer > 1 ? threads / outer : threads;
	p->outer = outer ? outer : 1;
	atomic_init(&p->next, 0);
	atomic_init(&p->stop, 0);
	pthread_mutex_init(&p->lock, NULL);
	adt_parallel_run(outer ? outer : 1, worker, p);
	pthread_mutex_destroy(&p->lock);
}

/* The message of a failed category as on stderr, with file and line. */
static char *failure_text(const struct adt_error *err)
{
	struct adt_messages m;
	char *text = NULL;

	adt_messages_init(&m);
	if (err->file[0] && err->line)
		adt_messages_add(&m, ADT_MSG_ERROR, "%s:%lu: %s", err->file, err->line, err->msg);
	else if (err->file[0])
		adt_messages_add(&m, ADT_MSG_ERROR, "%s: %s", err->file, err->msg);
	else
		adt_messages_add(&m, ADT_MSG_ERROR, "%s", err->msg);
	if (m.n) {
		text = m.v[0].text;
		m.v[0].text = NULL;
	}
	adt_messages_release(&m);
	return text;
}

/* Takes the outcomes into the result: messages in category order (the
 * warnings, then the notes, then the failure of each), failures counted;
 * a single run's failure becomes the run's error. */
static int collect(const struct adt_run_job *job, struct pool *p, struct adt_result *res,
		   struct adt_error *err)
{
	int fatal = 0;

	for (size_t i = 0; i < res->n; i++) {
		struct adt_entry *e = &res->v[i];
		char prefix[16] = "";
		const char *pre = prefix;
		char *own = NULL;

		if (job->batch) {
			size_t len = strlen(e->name) + 3;

			own = malloc(len);
			if (!own)
				return adt_error_set(err, ADT_ENOMEM, "out of memory");
			snprintf(own, len, "%s: ", e->name);
			pre = own;
		}
		adt_messages_copy(&res->msgs, &e->out.msgs, ADT_MSG_WARNING, pre);
		adt_messages_copy(&res->msgs, &e->out.msgs, ADT_MSG_NOTE, pre);
		free(own);
		e->out.image.normalize = e->out.pixel.normalize = job->normalize;
		if (p->ok[i]) {
			e->level[0] = e->out.has_image ? &e->out.image : NULL;
			e->level[1] = e->out.has_pixel ? &e->out.pixel : NULL;
			continue;
		}
		if (p->errs[i].code == ADT_EOK) /* never started */
			continue;
		if (!job->batch) {
			*err = p->errs[i];
			return -1;
		}
		e->error = failure_text(&p->errs[i]);
		if (!e->error)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		/* An output that is an input stops the run, --keep-going or not. */
		fatal |= e->out.output_is_input;
		/* Without --keep-going the first failure (in name order) is it. */
		if (job->keep_going || res->failed == 0)
			adt_messages_add(&res->msgs, ADT_MSG_ERROR, "category %s: %s", e->name,
					 e->error);
		res->failed++;
	}
	res->complete = !fatal && (res->failed == 0 || job->keep_going);
	return 0;
}

static void note_unmet(void *ctx, const char *message)
{
	adt_messages_add(ctx, ADT_MSG_ERROR, "%s", message);
}

/* Checks the gates against the entries; unmet ones go to res->unmet. */
static int apply_gates(const struct adt_run_job *job, struct adt_result *res, struct adt_error *err)
{
	struct adt_gates g = {NULL, 0, 0};
	int ret = 0;

	if (!res->complete)
		return 0;
	if (parse_gates(job, &g, err))
		ret = -1;
	else if ((ret = adt_gates_check(&g, res->v, res->n, job->batch, note_unmet, &res->unmet,
					err)) >= 0) {
		res->gates_unmet = (size_t)ret;
		ret = 0;
	}
	adt_gates_release(&g);
	return ret;
}

int adt_run(const struct adt_run_job *job, struct adt_result *res, struct adt_error *err)
{
	const char *files[ADT_OUTPUTS + 1], *options[ADT_OUTPUTS + 1];
	struct adt_thresholds t = {NULL, 0, 0, 0, ADT_RULE_GE};
	struct adt_categories cats = {NULL, 0, 0};
	struct pool p;
	struct adt_job *eval = NULL;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	res->batch = job->batch;
	res->per_defect = job->eval.per_defect;
	/* Two of the files the run reads or writes must not be one file. */
	for (int k = 0; k < ADT_OUTPUTS; k++) {
		files[k] = job->output[k];
		options[k] = output_options[k];
	}
	files[ADT_OUTPUTS] = job->thresholds;
	options[ADT_OUTPUTS] = "--thresholds";
	/* The order of the checks is the order of the messages users see:
	 * the files, the gates, the thresholds file, then the inputs. */
	if (adt_outputs_distinct(files, options, ADT_OUTPUTS + 1, err) ||
	    check_gates(job, NULL, err) ||
	    (job->thresholds && load_thresholds(job, &t, &res->msgs, err)) ||
	    find_categories(job, &cats, err) || (job->batch && check_gates(job, &cats, err)))
		goto out;
	res->v = calloc(cats.n ? cats.n : 1, sizeof(*res->v));
	eval = calloc(cats.n ? cats.n : 1, sizeof(*eval));
	p.errs = calloc(cats.n ? cats.n : 1, sizeof(*p.errs));
	p.ok = calloc(cats.n ? cats.n : 1, sizeof(*p.ok));
	if (!res->v || !eval || !p.errs || !p.ok) {
		adt_error_set(err, ADT_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < cats.n; i++) {
		struct adt_category *c = &cats.v[i];

		eval[i] = job->eval;
		/* A batch tells of its categories, not of their pixels. */
		if (job->batch)
			eval[i].pixels.progress = NULL;
		eval[i].scores = c->scores;
		eval[i].scores_name = c->source;
		eval[i].maps = c->maps;
		eval[i].masks = c->masks;
		for (int k = 0; k < ADT_OUTPUTS; k++)
			eval[i].output[k] = job->output[k];
		if (thresholds_for(job, job->thresholds ? &t : NULL, c->name, &eval[i], err))
			goto out;
		/* The entry takes the name over. */
		res->v[i].name = c->name;
		c->name = NULL;
		res->n++;
	}
	if (job->thresholds && job->batch)
		warn_unused_thresholds(job, &t, res);
	p.c = &cats;
	p.eval = eval;
	p.e = res->v;
	p.stop_on_error = !job->keep_going;
	p.progress = job->batch ? job->progress : NULL;
	p.ctx = job->ctx;
	evaluate_all(&p, job->eval.pixels.threads);
	if (collect(job, &p, res, err) || apply_gates(job, res, err))
		goto out;
	ret = 0;
out:
	adt_categories_release(&cats);
	adt_thresholds_release(&t);
	free(eval);
	free(p.errs);
	free(p.ok);
	return ret;
}

int adt_result_plot_groups(const struct adt_result *res, struct adt_plot_group **out, size_t *ng,
			   struct adt_error *err)
{
	size_t n = res->n ? res->n : 1;
	struct adt_plot_group *g = calloc(n, sizeof(*g) + 2 * sizeof(struct adt_plot_curve));
	struct adt_plot_curve *c;

	*ng = 0;
	*out = g;
	if (!g)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	c = (struct adt_plot_curve *)(g + n);
	for (size_t i = 0; i < res->n; i++) {
		const struct adt_entry *e = &res->v[i];
		struct adt_plot_group *k = &g[*ng];

		if (e->error || (!e->level[0] && !e->level[1]))
			continue;
		k->name = res->batch ? e->name : NULL;
		k->c = c;
		for (int l = 0; l < 2; l++) {
			const struct adt_level_result *r = e->level[l];

			if (!r)
				continue;
			*c++ = (struct adt_plot_curve){l ? "pixel" : "image", &e->out.curve[l],
						       r->positives, r->negatives, r};
			k->n++;
		}
		++*ng;
	}
	return 0;
}

/* Option parsing and help text of the adthresh program (see cli.h). */
#include "adthresh/cli.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adthresh/counts.h"
#include "adthresh/defects.h"
#include "adthresh/fields.h"
#include "adthresh/grow.h"
#include "adthresh/value.h"

enum {
	OPT_INPUT_FORMAT = 256,
	OPT_DELIMITER,
	OPT_SCORE_COL,
	OPT_LABEL_COL,
	OPT_ID_COL,
	OPT_POSITIVE_LABEL,
	OPT_RULE,
	OPT_ALLOW_ONE_CLASS,
	OPT_MAPS,
	OPT_MASKS,
	OPT_MASK_SUFFIX,
	OPT_SPLIT,
	OPT_RESIZE_MASKS,
	OPT_MAX_PIXELS,
	OPT_MEMORY,
	OPT_THREADS,
	OPT_BATCH,
	OPT_KEEP_GOING,
	OPT_SAVE_THRESHOLDS,
	OPT_THRESHOLDS,
	OPT_IMAGE_THRESHOLD,
	OPT_PIXEL_THRESHOLD,
	OPT_FAIL_UNDER,
	OPT_GATE,
	OPT_POLICY,
	OPT_MAX_FPR,
	OPT_NORMALIZE,
	OPT_AUPRO,
	OPT_AUPIMO,
	OPT_CURVES,
	OPT_CURVE_POINTS,
	OPT_COLUMNS,
	OPT_PLOT,
	OPT_PER_DEFECT,
	OPT_PER_IMAGE,
	OPT_MAP_MAXIMA,
	OPT_COMPARE_POLICIES,
	OPT_SAVE_COUNTS,
	OPT_MERGE,
	OPT_SHARD
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
    {"delimiter", required_argument, NULL, OPT_DELIMITER},
    {"score-col", required_argument, NULL, OPT_SCORE_COL},
    {"label-col", required_argument, NULL, OPT_LABEL_COL},
    {"id-col", required_argument, NULL, OPT_ID_COL},
    {"positive-label", required_argument, NULL, OPT_POSITIVE_LABEL},
    {"rule", required_argument, NULL, OPT_RULE},
    {"allow-one-class", no_argument, NULL, OPT_ALLOW_ONE_CLASS},
    {"maps", required_argument, NULL, OPT_MAPS},
    {"masks", required_argument, NULL, OPT_MASKS},
    {"mask-suffix", required_argument, NULL, OPT_MASK_SUFFIX},
    {"split", required_argument, NULL, OPT_SPLIT},
    {"resize-masks", required_argument, NULL, OPT_RESIZE_MASKS},
    {"max-pixels", required_argument, NULL, OPT_MAX_PIXELS},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"batch", no_argument, NULL, OPT_BATCH},
    {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
    {"save-thresholds", required_argument, NULL, OPT_SAVE_THRESHOLDS},
    {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
    {"image-threshold", required_argument, NULL, OPT_IMAGE_THRESHOLD},
    {"pixel-threshold", required_argument, NULL, OPT_PIXEL_THRESHOLD},
    {"fail-under", required_argument, NULL, OPT_FAIL_UNDER},
    {"gate", required_argument, NULL, OPT_GATE},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"compare-policies", no_argument, NULL, OPT_COMPARE_POLICIES},
    {"max-fpr", required_argument, NULL, OPT_MAX_FPR},
    {"normalize", required_argument, NULL, OPT_NORMALIZE},
    {"aupro", optional_argument, NULL, OPT_AUPRO},
    {"aupimo", optional_argument, NULL, OPT_AUPIMO},
    {"curves", required_argument, NULL, OPT_CURVES},
    {"curve-points", required_argument, NULL, OPT_CURVE_POINTS},
    {"columns", required_argument, NULL, OPT_COLUMNS},
    {"plot", required_argument, NULL, OPT_PLOT},
    {"per-defect", no_argument, NULL, OPT_PER_DEFECT},
    {"per-image", required_argument, NULL, OPT_PER_IMAGE},
    {"map-maxima", no_argument, NULL, OPT_MAP_MAXIMA},
    {"save-counts", required_argument, NULL, OPT_SAVE_COUNTS},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

/* Comma-separated names as lines of the help's right-hand column. */
static void help_names(FILE *f, const char *names)
{
	const char *p = names;

	while (*p) {
		size_t len = strlen(p);

		/* Break after the last ", " that leaves the line within 50 columns. */
		if (len > 50) {
			len = 50;
			while (len > 0 && p[len - 1] != ' ')
				len--;
		}
		fprintf(f, "                             %.*s\n",
			(int)(len && p[len - 1] == ' ' ? len - 1 : len), p);
		p += len;
	}
}

/* The names of the fields with `flags` and not `without` (the mean's
 * with mean set), as lines of the help's right-hand column. */
static void help_fields(FILE *f, unsigned flags, unsigned without, int mean)
{
	char names[1024];

	adt_field_names(names, sizeof(names), flags, without, mean);
	help_names(f, names);
}

void adt_cli_usage(FILE *f)
{
	fputs("Usage: adthresh [OPTION]... [SCORES]\n"
	      "  or:  adthresh [OPTION]... --maps MAPS [--masks MASKS] [SCORES]\n"
	      "  or:  adthresh [OPTION]... --merge COUNTS...\n",
	      f);
}

int adt_cli_reads_terminal(const struct adt_cli *cli, int stdin_is_terminal)
{
	return stdin_is_terminal && !cli->input_given && !cli->maps && !cli->merge && !cli->help &&
	       !cli->version;
}

void adt_cli_help(FILE *f)
{
	char names[256];

	adt_cli_usage(f);
	fputs("Find the F1-maximising anomaly threshold of exported detector scores and\n"
	      "report F1, precision, recall, AUROC and AP at it, exactly: for images, and\n"
	      "with --maps for pixels too.\n"
	      "\n"
	      "SCORES is a CSV, TSV, JSON or JSON Lines file of image-level scores and\n"
	      "labels; with no SCORES, or when SCORES is -, read standard input (with\n"
	      "--maps and no SCORES the image level comes from the maps).\n"
	      "\n",
	      f);
	fputs("Input:\n"
	      "      --input-format FMT   csv, tsv, json or jsonl (default: from the file\n"
	      "                           extension, else guessed from the content)\n"
	      "      --delimiter C        CSV field delimiter: ',', ';' or 'tab'\n"
	      "                           (default: detected from the header line)\n"
	      "      --score-col COL      score column: a name or a 1-based index (CSV),\n"
	      "                           or a key (JSON)\n"
	      "                           (default: score, pred_score, anomaly_score,\n"
	      "                           pred_scores or prediction)\n"
	      "      --label-col COL      label column (default: label, gt_label, target,\n"
	      "                           y_true, is_anomalous or anomalous)\n"
	      "      --id-col COL         image id column (default: image_path, path,\n"
	      "                           filename, file or image)\n"
	      "      --positive-label V   the label value that means anomalous; every other\n"
	      "                           value is normal (default: 1, true, anomalous,\n"
	      "                           abnormal, anomaly, defect, defective, bad, ng are\n"
	      "                           anomalous; 0, false, normal, good, ok are normal)\n"
	      "  Without a label column, an id in a folder named good (or ok, normal) is\n"
	      "  normal and an id in any other folder anomalous (the MVTec AD layout).\n"
	      "\n",
	      f);
	fputs("Pixels:\n"
	      "      --maps PATH          anomaly maps: a folder (walked recursively; from\n"
	      "                           its test/ subfolder if it has one), a stack of N\n"
	      "                           maps (.npy, or a TIFF of N pages), one map file,\n"
	      "                           or a JSON document of per-image objects with\n"
	      "                           anomaly_map and gt_mask.\n"
	      "                           Maps: float32/16/64 TIFF, .npy (f2, f4, f8),\n"
	      "                           8/16-bit PNG (scaled to [0, 1]), CSV/JSON matrix\n"
	      "      --masks PATH         ground-truth masks, nonzero = anomalous: a folder\n"
	      "                           (from its ground_truth/ or Data/Masks/ subfolder\n"
	      "                           if any) or a stack as for --maps; PNG, TIFF, NPY,\n"
	      "                           CSV or JSON.  A map <defect>/<id>.* pairs with\n"
	      "                           <defect>/<id>_mask.* or <defect>/<id>.*; maps\n"
	      "                           under good/ need none\n"
	      "      --mask-suffix S      masks are named <id>S.* (default _mask; '' for\n"
	      "                           masks named as their maps only)\n"
	      "      --split NAME         the split folder of each category to walk\n"
	      "                           (default: the first of test, test_public,\n"
	      "                           validation, Data/Images present)\n"
	      "      --resize-masks nearest  resize masks to the map size instead of failing\n"
	      "      --max-pixels N       refuse inputs of more than N pixels in all\n"
	      "      --memory SIZE        memory for the pixel keys (512M, 4G; default 1G):\n"
	      "                           past it, the normal pixels' keys go to temporary\n"
	      "                           files in $TMPDIR (else /tmp), with the same result\n"
	      "      --threads N          decode and sort on N threads (default: one per\n"
	      "                           processor)\n"
	      "      --map-maxima         take the image scores from the map maxima even\n"
	      "                           where the maps folder has a scores file\n"
	      "  Without SCORES the image scores come from the scores file of the maps\n"
	      "  folder (scores.csv, .tsv, .json or .jsonl; two of them are an error), as\n"
	      "  in a batch; without one, the image score is the map maximum and the\n"
	      "  image label whether its mask has an anomalous pixel (the MVTec AD\n"
	      "  convention).  Scores must name the same images as the maps.  Every\n"
	      "  output says where the image scores came from.\n"
	      "\n",
	      f);
	fputs("Batch, threshold transfer and gates:\n"
	      "      --batch              evaluate every category: with --maps ROOT --masks\n"
	      "                           DATASET, each folder ROOT/<category> (scores from\n"
	      "                           ROOT/<category>/scores.csv if present) against\n"
	      "                           DATASET/<category>; else SCORES is a folder of\n"
	      "                           score files, one category each (named by stem).\n"
	      "                           Prints a row per category and a mean row\n"
	      "      --keep-going         report the other categories when one fails (the\n"
	      "                           exit status is still 2)\n"
	      "      --save-thresholds FILE  write the chosen thresholds as JSON\n"
	      "      --thresholds FILE    apply the thresholds of FILE (as written by\n"
	      "                           --save-thresholds) instead of choosing them\n"
	      "      --image-threshold X, --pixel-threshold Y\n"
	      "                           apply these thresholds instead of choosing them\n"
	      "                           (policy given)\n"
	      "      --fail-under GATES   exit 1 unless every gate holds: a comma-separated\n"
	      "                           list of LEVEL.FIELD=BOUND (image.auroc=0.95,\n"
	      "                           pixel.f1=0.6); in a batch mean.LEVEL.FIELD,\n"
	      "                           *.LEVEL.FIELD (every category) or\n"
	      "                           CATEGORY.LEVEL.FIELD; a gate holds when\n"
	      "                           FIELD >= BOUND.  FIELD is one of:\n",
	      f);
	help_fields(f, ADT_FIELD_GATE | ADT_FIELD_IMAGE, 0, 0);
	fputs("                           and at the pixel level also:\n", f);
	help_fields(f, ADT_FIELD_GATE | ADT_FIELD_PIXEL, ADT_FIELD_IMAGE, 0);
	fputs("                           in the mean:\n", f);
	help_fields(f, ADT_FIELD_MEAN | ADT_FIELD_PIXEL, 0, 1);
	fputs("      --gate GATES         exit 1 unless every gate holds: a comma-separated\n"
	      "                           list of PATH>=BOUND or PATH<=BOUND, where PATH is\n"
	      "                           one of --fail-under's (image.fp<=5,\n"
	      "                           pixel.recall>=0.6, mean.pixel.aupro>=0.9,\n"
	      "                           *.image.recall>=0.95); may be repeated and\n"
	      "                           combined with --fail-under.  With --per-defect,\n"
	      "                           PATH may also be defect.NAME.LEVEL.FIELD, in a\n"
	      "                           batch *.defect.NAME.LEVEL.FIELD (every category\n"
	      "                           with that folder) or\n"
	      "                           CATEGORY.defect.NAME.LEVEL.FIELD, a row of the\n"
	      "                           per-defect table (--fail-under takes these\n"
	      "                           too); its FIELD is one of:\n",
	      f);
	adt_defect_field_names(names, sizeof(names));
	help_names(f, names);
	fputs("                           An undefined (n/a) value fails its gate; a\n"
	      "                           defect folder no category has is an error\n"
	      "\n",
	      f);
	fputs("Threshold:\n"
	      "      --rule RULE          ge: anomalous when score >= threshold (default);\n"
	      "                           gt: score > threshold, as anomalib applies it at\n"
	      "                           inference (the counts are taken with that rule)\n"
	      "      --allow-one-class    with only normal samples use the highest score,\n"
	      "                           with only anomalous ones the lowest (anomalib's\n"
	      "                           fallback) instead of failing; undefined metrics\n"
	      "                           are reported as n/a (null in JSON)\n"
	      "\n",
	      f);
	fputs("Policies and partial AUROC:\n"
	      "      --policy [LEVEL=]P   how a threshold is chosen, for both levels or for\n"
	      "                           image= or pixel= only: f1 (default: the highest\n"
	      "                           F1, the lowest threshold on ties), recall:R (the\n"
	      "                           highest threshold whose recall is at least R),\n"
	      "                           fpr:F (the lowest threshold whose false-positive\n"
	      "                           rate is at most F), precision:P (the lowest\n"
	      "                           threshold whose precision is at least P), youden\n"
	      "                           (the highest TPR - FPR, lowest on ties), corner\n"
	      "                           (the ROC point closest to the top-left corner:\n"
	      "                           the lowest FPR^2 + (1 - TPR)^2, lowest on ties),\n"
	      "                           sigma:K (mean + K standard deviations of the\n"
	      "                           normal scores); fpr:F and sigma:K need no\n"
	      "                           anomalous samples: they calibrate on normal\n"
	      "                           images alone\n"
	      "      --compare-policies   also show, per level, the threshold and precision,\n"
	      "                           recall, F1, FPR, TP, FP, FN, TN that f1, youden,\n"
	      "                           corner and each --policy given choose (one sweep;\n"
	      "                           text, markdown and json; n/a where a policy\n"
	      "                           cannot apply); the main result stays that of\n"
	      "                           the last --policy of each level\n"
	      "      --max-fpr F          also report the partial AUROC up to the\n"
	      "                           false-positive rate F, McClish-standardised as\n"
	      "                           scikit-learn's roc_auc_score(max_fpr=F)\n"
	      "      --normalize minmax   also report anomalib's min-max normalisation,\n"
	      "                           clamp((x - t) / (max - min) + 0.5, 0, 1), in\n"
	      "                           which the raw threshold t reads 0.5\n"
	      "      --aupro[=LIMIT]      also report the pixel level's AU-PRO (MVTec AD):\n"
	      "                           the area under the per-region overlap curve up\n"
	      "                           to the false-positive rate LIMIT (default 0.3),\n"
	      "                           divided by LIMIT; regions are the 8-connected\n"
	      "                           components of each mask\n"
	      "      --aupimo[=L:U]       also report the pixel level's AUPIMO (Bertoldo et\n"
	      "                           al., BMVC 2024): for each anomalous image, the\n"
	      "                           area under its TPR against ln(shared FPR), the\n"
	      "                           mean FPR of the normal images, from L to U\n"
	      "                           (default 1e-5:1e-4), divided by ln(U / L); the\n"
	      "                           mean and population std over the images\n"
	      "\n",
	      f);
	fputs("Curves:\n"
	      "      --curves FILE        write the points of both levels' curves as CSV:\n"
	      "                           level,threshold,tp,fp,precision,recall,fpr; by\n"
	      "                           default the ends and each corner of the ROC\n"
	      "                           curve that lies 1e-5 or more from the row before\n"
	      "                           in FPR, recall or precision (every corner when\n"
	      "                           both classes have at most 100,000 samples)\n"
	      "      --curve-points N     at most N rows per curve in --curves, evenly\n"
	      "                           spaced by rank (N >= 2); 'corners': every corner\n"
	      "                           of the ROC curve, as scikit-learn's\n"
	      "                           drop_intermediate keeps them; 'all': one row per\n"
	      "                           distinct score\n"
	      "      --plot FILE          draw the PR and ROC curves of both levels, with\n"
	      "                           the chosen thresholds marked and labelled, as SVG,\n"
	      "                           PNG or PDF by FILE's extension (.svg, .png, .pdf;\n"
	      "                           '-' writes SVG to standard output); a batch is a\n"
	      "                           grid of categories, up to 4 a row\n"
	      "      --per-defect         break both levels down by the folder that holds\n"
	      "                           each image (test/<defect>/...): per folder, the\n"
	      "                           anomalous images and pixels the threshold flags\n"
	      "                           (recall) and the normal ones (false-positive rate)\n"
	      "      --per-image FILE     list every image as CSV, a row each in input\n"
	      "                           order (the maps as paired, else the rows of\n"
	      "                           SCORES): image,folder,label,score,predicted,\n"
	      "                           outcome (TP, FP, FN or TN at the image\n"
	      "                           threshold) and with --maps pixels,\n"
	      "                           anomalous_pixels,pixel_tp,pixel_fp,pixel_fn,\n"
	      "                           pixel_tn at the pixel threshold; in a batch\n"
	      "                           category first\n"
	      "\n",
	      f);
	fputs("Sharded runs:\n"
	      "      --save-counts FILE   write the run's counts to FILE instead of a\n"
	      "                           report: per level every distinct score with its\n"
	      "                           anomalous and normal counts (and per defect\n"
	      "                           folder with --per-defect), the image samples,\n"
	      "                           AU-PRO's region sizes and the evaluation options\n"
	      "                           (a versioned binary format, see the README)\n"
	      "      --shard K/N          evaluate part K of N of the images (1 <= K <= N;\n"
	      "                           the maps in their paired order, else the rows of\n"
	      "                           SCORES), for --save-counts\n"
	      "      --merge              the arguments are counts files: report their\n"
	      "                           union as one run over all their data would (same\n"
	      "                           thresholds and counts), with the options they\n"
	      "                           were saved with; every shard once, no image twice\n"
	      "\n",
	      f);
	fputs("Output:\n"
	      "  -f, --format FMT         text (default), json, csv or markdown\n"
	      "      --columns LIST       the columns of the text, markdown and csv tables,\n"
	      "                           in order: comma-separated names of the JSON\n"
	      "                           fields, category and level (e.g.\n"
	      "                           level,threshold,f1,aupro)\n"
	      "  -o, --output FILE        write the result to FILE instead of standard output\n"
	      "  -q, --quiet              no warnings\n"
	      "  -v, --verbose            say how the input was read\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\n"
	      "The threshold is the distinct score that maximises F1, the lowest one on\n"
	      "ties; counts are exact integers and JSON/CSV print every real number in\n"
	      "the shortest form that reads back as the same double (0.98, not\n"
	      "0.97999999999999998), so a threshold read back reproduces the counts.\n"
	      "\n",
	      f);
	fputs(
	    "Examples:\n"
	    "  adthresh data/scores.csv\n"
	    "  adthresh --format json data/scores.json\n"
	    "  adthresh --rule gt --format markdown data/scores.csv >> summary.md\n"
	    "  cut -d, -f1,3 data/scores.csv | adthresh --score-col 2 -\n"
	    "  adthresh --maps data/bottle --masks data/bottle data/bottle/scores.csv\n"
	    "  adthresh --format json --maps maps.npy --masks masks.npy\n"
	    "  adthresh --maps data/bottle --masks data/bottle --aupro --plot bottle.png\n"
	    "  adthresh --batch --maps results --masks mvtec_ad --fail-under "
	    "mean.pixel.auroc=0.97\n"
	    "  adthresh --save-thresholds t.json val.csv && adthresh --thresholds t.json test.csv\n"
	    "  parallel adthresh --maps m.npy --masks g.npy --shard {}/4 --save-counts s{}.adtc \\\n"
	    "    ::: 1 2 3 4 && adthresh --merge s*.adtc\n"
	    "\n",
	    f);
	fputs("Exit status:\n"
	      "  0  success\n"
	      "  1  a --fail-under or --gate gate was not met (the result is still\n"
	      "     printed)\n"
	      "  2  usage error, or input that cannot be evaluated (the message says\n"
	      "     which file and line, and why); nothing is printed on stdout then\n",
	      f);
}

static int parse_delimiter(const char *arg, char *out, struct adt_error *err)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		*out = '\t';
	else if (strlen(arg) != 1)
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid delimiter '%s' (expected one character, or 'tab')",
				     arg);
	else if (strchr("\" \r\n", arg[0]))
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid delimiter '%s' (a space, quote or line end cannot "
				     "separate fields)",
				     arg);
	else
		*out = arg[0];
	return 0;
}

static int parse_rule(const char *arg, enum adt_rule *out, struct adt_error *err)
{
	if (strcmp(arg, "ge") == 0 || strcmp(arg, ">=") == 0)
		*out = ADT_RULE_GE;
	else if (strcmp(arg, "gt") == 0 || strcmp(arg, ">") == 0)
		*out = ADT_RULE_GT;
	else
		return adt_error_set(err, ADT_EUSAGE, "invalid rule '%s' (expected ge or gt)", arg);
	return 0;
}

static int nonempty(const char *opt, const char *arg, struct adt_error *err)
{
	if (*arg)
		return 0;
	return adt_error_set(err, ADT_EUSAGE, "option '--%s' needs a non-empty value", opt);
}

/* A threshold given on the command line: a finite decimal number. */
static int parse_threshold(const char *opt, const char *arg, double *out, struct adt_error *err)
{
	if (adt_parse_double(arg, opt, out, err)) {
		err->code = ADT_EUSAGE;
		return -1;
	}
	return 0;
}

/* --aupimo=L:U: two numbers with 0 < L < U <= 1. */
static int parse_aupimo(const char *arg, struct adt_eval_opts *o, struct adt_error *err)
{
	const char *colon = strchr(arg, ':');
	char lower[64];
	double bound[2];

	if (!colon || (size_t)(colon - arg) >= sizeof(lower))
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "invalid --aupimo bounds '%s' (expected L:U, such as 1e-5:1e-4)", arg);
	memcpy(lower, arg, (size_t)(colon - arg));
	lower[colon - arg] = '\0';
	for (int k = 0; k < 2; k++) {
		const char *text = k ? colon + 1 : lower;

		if (parse_threshold("--aupimo", text, &bound[k], err))
			return -1;
		if (!(bound[k] > 0 && bound[k] <= 1))
			return adt_error_set(err, ADT_EUSAGE,
					     "--aupimo bound '%s' must be above 0 and at most 1",
					     text);
	}
	if (!(bound[0] < bound[1]))
		return adt_error_set(err, ADT_EUSAGE,
				     "invalid --aupimo bounds '%s': the lower bound must be below "
				     "the upper one",
				     arg);
	o->aupimo_lower = bound[0];
	o->aupimo_upper = bound[1];
	return 0;
}

/* --policy [image=|pixel=]POLICY: both levels, or the one named. */
static int parse_policy(struct adt_cli *cli, const char *arg, struct adt_error *err)
{
	struct adt_policy p;
	int image = 1, pixel = 1;

	if (strncmp(arg, "image=", 6) == 0) {
		pixel = 0;
		arg += 6;
	} else if (strncmp(arg, "pixel=", 6) == 0) {
		image = 0;
		arg += 6;
	}
	if (adt_policy_parse(arg, &p, err))
		return -1;
	if (image)
		cli->eval.policy = p;
	if (pixel)
		cli->pixel_policy = p;
	/* The list can only overflow with --compare-policies, which says so. */
	if (image && adt_policy_list_add(&cli->asked[0], &p))
		cli->asked[0].n = ADT_COMPARE_MAX + 1;
	if (pixel && adt_policy_list_add(&cli->asked[1], &p))
		cli->asked[1].n = ADT_COMPARE_MAX + 1;
	return 0;
}

/* The policies --compare-policies shows at each level: f1, youden,
 * corner, then those of --policy. */
static int compare_lists(struct adt_cli *cli, struct adt_error *err)
{
	static const char *const standard[] = {"f1", "youden", "corner"};
	struct adt_policy_list *lists[2] = {&cli->eval.compare, &cli->pixel_compare};

	for (int l = 0; l < 2; l++) {
		int full = cli->asked[l].n > ADT_COMPARE_MAX;

		for (size_t i = 0; i < sizeof(standard) / sizeof(*standard); i++) {
			struct adt_policy p;

			adt_policy_parse(standard[i], &p, err);
			adt_policy_list_add(lists[l], &p);
		}
		for (size_t i = 0; !full && i < cli->asked[l].n; i++)
			full = adt_policy_list_add(lists[l], &cli->asked[l].v[i]) != 0;
		if (full)
			return adt_error_set(err, ADT_EUSAGE,
					     "--compare-policies compares at most %d policies at "
					     "a level (f1, youden, corner and %d more)",
					     ADT_COMPARE_MAX, ADT_COMPARE_MAX - 3);
	}
	return 0;
}

/* A whole number for option --opt in [min, max]. */
/* A size in bytes: digits and an optional K, M, G or T (powers of 1024). */
static int parse_size(const char *opt, const char *arg, uint64_t min, uint64_t *out,
		      struct adt_error *err)
{
	static const char units[] = "KMGT";
	uint64_t v = 0, mul = 1;
	const char *p = arg, *u;

	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (p == arg)
		goto bad;
	if (*p && (u = strchr(units, *p >= 'a' ? *p - 'a' + 'A' : *p)) != NULL) {
		for (const char *q = units; q <= u; q++)
			mul *= 1024;
		p++;
	}
	if (*p || v > UINT64_MAX / mul)
		goto bad;
	v *= mul;
	if (v < min)
		return adt_error_set(err, ADT_EUSAGE, "--%s %s is below the least, %lluM", opt,
				     arg, (unsigned long long)(min >> 20));
	*out = v;
	return 0;
bad:
	return adt_error_set(err, ADT_EUSAGE,
			     "--%s: invalid size '%s' (expected bytes, or a number with K, M, "
			     "G or T: 512M, 4G)",
			     opt, arg);
}

static int parse_count(const char *opt, const char *arg, long min, long max, uint64_t *out,
		       struct adt_error *err)
{
	char what[64];
	long v;

	snprintf(what, sizeof(what), "--%s", opt);
	if (adt_parse_long(arg, what, min, max, &v, err))
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* --shard K/N: 1 <= K <= N <= 1e6. */
static int parse_shard(const char *arg, struct adt_cli *cli, struct adt_error *err)
{
	unsigned long k, n;
	char *end;

	if (!isdigit((unsigned char)arg[0]))
		goto bad;
	k = strtoul(arg, &end, 10);
	if (*end != '/' || !isdigit((unsigned char)end[1]))
		goto bad;
	n = strtoul(end + 1, &end, 10);
	if (*end || k < 1 || n > 1000000 || k > n)
		goto bad;
	cli->shard_k = (uint32_t)k;
	cli->shard_n = (uint32_t)n;
	return 0;
bad:
	return adt_error_set(err, ADT_EUSAGE,
			     "invalid shard '%s' (expected K/N: part K of N, 1 <= K <= N <= "
			     "1000000)",
			     arg);
}

/* The options that decide how the data is evaluated: a counts file
 * records them and a merge evaluates with them. */
static int evaluation_option(int c)
{
	switch (c) {
	case OPT_RULE:
	case OPT_ALLOW_ONE_CLASS:
	case OPT_THRESHOLDS:
	case OPT_IMAGE_THRESHOLD:
	case OPT_PIXEL_THRESHOLD:
	case OPT_POLICY:
	case OPT_COMPARE_POLICIES:
	case OPT_MAX_FPR:
	case OPT_NORMALIZE:
	case OPT_AUPRO:
	case OPT_AUPIMO:
	case OPT_PER_DEFECT:
	case OPT_PER_IMAGE:
		return 1;
	}
	return 0;
}

/* The options that say what the inputs are and how to read them. */
static int input_option(int c)
{
	switch (c) {
	case OPT_INPUT_FORMAT:
	case OPT_DELIMITER:
	case OPT_SCORE_COL:
	case OPT_LABEL_COL:
	case OPT_ID_COL:
	case OPT_POSITIVE_LABEL:
	case OPT_MAPS:
	case OPT_MASKS:
	case OPT_MASK_SUFFIX:
	case OPT_SPLIT:
	case OPT_RESIZE_MASKS:
	case OPT_MAX_PIXELS:
	case OPT_BATCH:
	case OPT_KEEP_GOING:
	case OPT_MAP_MAXIMA:
	case OPT_SHARD:
		return 1;
	}
	return 0;
}

static const struct option *long_option_val(int val);

/* Records option c (with arg) among the evaluation words, or as the
 * first input option. */
static int note_option(struct adt_cli *cli, int c, const char *arg, struct adt_error *err)
{
	const struct option *o = long_option_val(c);
	size_t len;
	void *p;

	if (!o)
		return 0;
	if (input_option(c) && !cli->input_given_opt)
		cli->input_given_opt = o->name;
	if (!evaluation_option(c))
		return 0;
	if (!cli->eval_given)
		cli->eval_given = o->name;
	p = cli->words;
	if (adt_grow(&p, &cli->words_cap, cli->nwords + 1, sizeof(*cli->words)))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	cli->words = p;
	len = strlen(o->name) + (arg ? strlen(arg) + 1 : 0) + 3;
	if (!(cli->words[cli->nwords] = malloc(len)))
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	snprintf(cli->words[cli->nwords++], len, "--%s%s%s", o->name, arg ? "=" : "",
		 arg ? arg : "");
	return 0;
}

/* Handles one option; c is getopt_long's answer. */
static int apply(struct adt_cli *cli, int c, const char *arg, struct adt_error *err)
{
	uint64_t threads;

	switch (c) {
	case 'f':
		if (adt_out_format_parse(arg, &cli->out_format))
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid format '%s' (expected text, json, csv or "
					     "markdown)",
					     arg);
		return 0;
	case 'o':
		cli->output = arg;
		return nonempty("output", arg, err);
	case OPT_INPUT_FORMAT:
		if (adt_format_parse(arg, &cli->read.format))
			return adt_error_set(
			    err, ADT_EUSAGE,
			    "invalid input format '%s' (expected csv, tsv, json or "
			    "jsonl)",
			    arg);
		return 0;
	case OPT_DELIMITER:
		return parse_delimiter(arg, &cli->read.delimiter, err);
	case OPT_SCORE_COL:
		cli->read.score_col = arg;
		return nonempty("score-col", arg, err);
	case OPT_LABEL_COL:
		cli->read.label_col = arg;
		return nonempty("label-col", arg, err);
	case OPT_ID_COL:
		cli->read.id_col = arg;
		return nonempty("id-col", arg, err);
	case OPT_POSITIVE_LABEL:
		cli->read.positive_label = arg;
		return nonempty("positive-label", arg, err);
	case OPT_RULE:
		return parse_rule(arg, &cli->eval.rule, err);
	case OPT_ALLOW_ONE_CLASS:
		cli->eval.allow_one_class = 1;
		return 0;
	case OPT_MAPS:
		cli->maps = arg;
		return nonempty("maps", arg, err);
	case OPT_MASKS:
		cli->masks = arg;
		return nonempty("masks", arg, err);
	case OPT_MASK_SUFFIX:
		if (strchr(arg, '/'))
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid mask suffix '%s': it is part of a file name, "
					     "without '/'",
					     arg);
		cli->mask_suffix = arg;
		return 0;
	case OPT_SPLIT:
		cli->split = arg;
		if (strcmp(arg, "test_private") == 0 || strcmp(arg, "test_private_mixed") == 0)
			return adt_error_set(err, ADT_EUSAGE,
					     "--split %s: a private test split has no ground truth "
					     "to evaluate against",
					     arg);
		return nonempty("split", arg, err);
	case OPT_RESIZE_MASKS:
		if (strcmp(arg, "nearest") != 0)
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid resize method '%s' (expected nearest)", arg);
		cli->pixel.resize_masks = 1;
		return 0;
	case OPT_MEMORY:
		return parse_size("memory", arg, (uint64_t)1 << 20, &cli->pixel.memory, err);
	case OPT_MAX_PIXELS:
		return parse_count("max-pixels", arg, 1, LONG_MAX, &cli->pixel.max_pixels, err);
	case OPT_BATCH:
		cli->batch = 1;
		return 0;
	case OPT_KEEP_GOING:
		cli->keep_going = 1;
		return 0;
	case OPT_SAVE_THRESHOLDS:
		cli->save_thresholds = arg;
		return nonempty("save-thresholds", arg, err);
	case OPT_THRESHOLDS:
		cli->thresholds = arg;
		return nonempty("thresholds", arg, err);
	case OPT_IMAGE_THRESHOLD:
		cli->has_image_threshold = 1;
		return parse_threshold("--image-threshold", arg, &cli->image_threshold, err);
	case OPT_PIXEL_THRESHOLD:
		cli->has_pixel_threshold = 1;
		return parse_threshold("--pixel-threshold", arg, &cli->pixel_threshold, err);
	case OPT_POLICY:
		return parse_policy(cli, arg, err);
	case OPT_NORMALIZE:
		if (strcmp(arg, "minmax") != 0)
			return adt_error_set(err, ADT_EUSAGE,
					     "invalid normalisation '%s' (expected minmax)", arg);
		cli->normalize = 1;
		return 0;
	case OPT_AUPRO:
		cli->eval.aupro_limit = 0.3;
		if (!arg)
			return 0;
		if (parse_threshold("--aupro", arg, &cli->eval.aupro_limit, err))
			return -1;
		if (!(cli->eval.aupro_limit > 0 && cli->eval.aupro_limit <= 1))
			return adt_error_set(err, ADT_EUSAGE,
					     "--aupro limit '%s' must be above 0 and at most 1",
					     arg);
		return 0;
	case OPT_AUPIMO:
		cli->eval.aupimo_lower = 1e-5;
		cli->eval.aupimo_upper = 1e-4;
		return arg ? parse_aupimo(arg, &cli->eval, err) : 0;
	case OPT_CURVES:
		cli->curves = arg;
		return nonempty("curves", arg, err);
	case OPT_PLOT:
		cli->plot = arg;
		return nonempty("plot", arg, err);
	case OPT_PER_DEFECT:
		cli->per_defect = 1;
		return 0;
	case OPT_PER_IMAGE:
		cli->per_image = arg;
		return nonempty("per-image", arg, err);
	case OPT_MAP_MAXIMA:
		cli->map_maxima = 1;
		return 0;
	case OPT_COMPARE_POLICIES:
		cli->compare_policies = 1;
		return 0;
	case OPT_SAVE_COUNTS:
		cli->save_counts = arg;
		return nonempty("save-counts", arg, err);
	case OPT_MERGE:
		cli->merge = 1;
		return 0;
	case OPT_SHARD:
		return parse_shard(arg, cli, err);
	case OPT_COLUMNS:
		return adt_columns_parse(arg, &cli->columns, err);
	case OPT_CURVE_POINTS:
		if (strcmp(arg, "all") == 0 || strcmp(arg, "corners") == 0) {
			cli->curve_points = arg[0] == 'a' ? UINT64_MAX : 1;
			return 0;
		}
		if (!isdigit((unsigned char)arg[0]) && arg[0] != '-' && arg[0] != '+')
			return adt_error_set(
			    err, ADT_EUSAGE,
			    "--curve-points '%s' is neither 'all', 'corners' nor a whole number",
			    arg);
		return parse_count("curve-points", arg, 2, LONG_MAX, &cli->curve_points, err);
	case OPT_MAX_FPR:
		if (parse_threshold("--max-fpr", arg, &cli->eval.max_fpr, err))
			return -1;
		if (!(cli->eval.max_fpr > 0 && cli->eval.max_fpr <= 1))
			return adt_error_set(err, ADT_EUSAGE,
					     "--max-fpr '%s' must be above 0 and at most 1", arg);
		return 0;
	case OPT_FAIL_UNDER:
		cli->fail_under = arg;
		return nonempty("fail-under", arg, err);
	case OPT_GATE: {
		void *p = cli->gate;

		if (adt_grow(&p, &cli->gate_cap, cli->ngate + 1, sizeof(*cli->gate)))
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		cli->gate = p;
		cli->gate[cli->ngate++] = arg;
		return nonempty("gate", arg, err);
	}
	case OPT_THREADS:
		if (parse_count("threads", arg, 1, 64, &threads, err))
			return -1;
		cli->pixel.threads = (unsigned)threads;
		return 0;
	case 'q':
		cli->quiet = 1;
		return 0;
	case 'v':
		cli->verbose = 1;
		cli->read.verbose = 1;
		return 0;
	case 'h':
		cli->help = 1;
		return 0;
	case 'V':
		cli->version = 1;
		return 0;
	}
	return adt_error_set(err, ADT_EUSAGE, "internal error: option %d", c);
}

/* An option whose argument is optional takes it only after '=': the next
 * word is an argument of the program (SCORES).  When that word reads as
 * the option's argument and names no file, the user meant the option's. */
static int check_optional(const char *opt, const char *next, struct adt_error *err)
{
	struct adt_error scratch;
	struct stat st;
	double v;

	adt_error_init(&scratch);
	if (!next || adt_parse_double(next, opt, &v, &scratch) || stat(next, &st) == 0)
		return 0;
	return adt_error_set(err, ADT_EUSAGE,
			     "%s takes its value after '=': write '%s=%s' (there is no scores "
			     "file '%s')",
			     opt, opt, next, next);
}

/* The same for --aupimo, whose value is L:U. */
static int check_optional_bounds(const char *next, struct adt_error *err)
{
	struct adt_eval_opts scratch_opts;
	struct adt_error scratch;
	struct stat st;

	adt_error_init(&scratch);
	if (!next || parse_aupimo(next, &scratch_opts, &scratch) || stat(next, &st) == 0)
		return 0;
	return adt_error_set(err, ADT_EUSAGE,
			     "--aupimo takes its value after '=': write '--aupimo=%s' (there is no "
			     "scores file '%s')",
			     next, next);
}

void adt_cli_release(struct adt_cli *cli)
{
	free(cli->gate);
	cli->gate = NULL;
	cli->ngate = cli->gate_cap = 0;
	for (size_t i = 0; i < cli->nwords; i++)
		free(cli->words[i]);
	free(cli->words);
	cli->words = NULL;
	cli->nwords = cli->words_cap = 0;
	free(cli->merge_files);
	cli->merge_files = NULL;
	cli->nmerge = 0;
	for (size_t i = 0; i < cli->nmerge_words; i++)
		free(cli->merge_words[i]);
	free(cli->merge_words);
	cli->merge_words = NULL;
	cli->nmerge_words = 0;
}

/* Whether the options add the fields that --columns names. */
static int check_columns(const struct adt_cli *cli, struct adt_error *err)
{
	const struct adt_columns *c = &cli->columns;
	int sigma =
	    cli->eval.policy.kind == ADT_POLICY_SIGMA || cli->pixel_policy.kind == ADT_POLICY_SIGMA;

	if (c->n && cli->out_format == ADT_OUT_JSON)
		return adt_error_set(err, ADT_EUSAGE,
				     "--columns chooses the columns of text, markdown and csv "
				     "output, not of json");
	for (size_t i = 0; i < c->n; i++) {
		const struct adt_field *f;
		const char *opt;
		int given = 0;

		if (c->v[i] == ADT_COLUMN_CATEGORY) {
			if (!cli->batch)
				return adt_error_set(err, ADT_EUSAGE,
						     "--columns: 'category' needs --batch");
			continue;
		}
		if (c->v[i] == ADT_COLUMN_LEVEL)
			continue;
		f = &adt_fields[c->v[i]];
		opt = adt_field_option(f);
		switch (f->when) {
		case ADT_WHEN_PAUROC:
			given = cli->eval.max_fpr > 0;
			break;
		case ADT_WHEN_AUPRO:
			given = cli->eval.aupro_limit > 0;
			break;
		case ADT_WHEN_NORMALIZE:
			given = cli->normalize;
			break;
		case ADT_WHEN_SIGMA:
			given = sigma;
			break;
		case ADT_WHEN_AUPIMO:
			given = cli->eval.aupimo_upper > 0;
			break;
		case ADT_WHEN_ALWAYS:
		case ADT_WHEN_SOURCE:
			given = 1;
			break;
		}
		if (!given)
			return adt_error_set(err, ADT_EUSAGE, "--columns: '%s' needs %s", f->name,
					     opt);
	}
	return 0;
}

static int to_stdout(const char *file)
{
	return file && strcmp(file, "-") == 0;
}

/* The long option named by the start of word (after "--", up to any
 * '='), as getopt_long finds it: the exact name, else the abbreviated one;
 * *ambiguous tells whether several differ (getopt_long accepts an
 * abbreviation of options that are all the same). */
static const struct option *long_option_of(const char *word, size_t len, int *ambiguous)
{
	const struct option *found = NULL;

	*ambiguous = 0;
	for (const struct option *p = long_options; p->name; p++) {
		if (strncmp(p->name, word, len) != 0)
			continue;
		if (strlen(p->name) == len)
			return p;
		if (!found)
			found = p;
		else if (found->has_arg != p->has_arg || found->val != p->val)
			*ambiguous = 1;
	}
	return found;
}

/* The long option whose value is val, or NULL. */
static const struct option *long_option_val(int val)
{
	for (const struct option *p = long_options; p->name; p++) {
		if (p->val == val)
			return p;
	}
	return NULL;
}

/* The message glibc's getopt_long prints (without "PROGRAM: ") for the
 * option it refused, c being its answer ('?' or ':') and word the
 * argument that held the option. */
static int refused(int c, int bad, const char *word, struct adt_error *err)
{
	const struct option *o = bad ? long_option_val(bad) : NULL;
	int is_long = word && strncmp(word, "--", 2) == 0;
	char list[512];
	size_t used = 0;
	int ambiguous;

	if (c == ':' && is_long && o)
		return adt_error_set(err, ADT_EUSAGE, "option '--%s' requires an argument",
				     o->name);
	if (c == ':')
		return adt_error_set(err, ADT_EUSAGE, "option requires an argument -- '%c'", bad);
	/* A short option without an argument is never refused, so a known
	 * value is a long option given one. */
	if (o)
		return adt_error_set(err, ADT_EUSAGE, "option '--%s' doesn't allow an argument",
				     o->name);
	if (bad || !is_long)
		return adt_error_set(err, ADT_EUSAGE, "invalid option -- '%c'", bad);
	word += 2;
	o = long_option_of(word, strcspn(word, "="), &ambiguous);
	if (!o || !ambiguous)
		return adt_error_set(err, ADT_EUSAGE, "unrecognized option '--%s'", word);
	list[0] = '\0';
	for (const struct option *p = o; p->name; p++) {
		if (p != o && (strncmp(p->name, word, strcspn(word, "=")) != 0 ||
			       (p->has_arg == o->has_arg && p->val == o->val)))
			continue;
		used += (size_t)snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					 " '--%s'", p->name);
	}
	return adt_error_set(err, ADT_EUSAGE, "option '--%s' is ambiguous; possibilities:%s", word,
			     list);
}

/* getopt_long keeps its place in globals. */
static pthread_mutex_t getopt_lock = PTHREAD_MUTEX_INITIALIZER;

int adt_cli_parse_options(int argc, char **argv, struct adt_cli *cli, struct adt_error *err)
{
	int c, ret = 0;

	memset(cli, 0, sizeof(*cli));
	adt_read_opts_init(&cli->read);
	adt_policy_default(&cli->eval.policy);
	adt_policy_default(&cli->pixel_policy);
	cli->input = "-";
	argv[0] = "adthresh";
	pthread_mutex_lock(&getopt_lock);
	/* Silent, with ':' for a missing argument: the messages are made
	 * above.  optind 0 starts afresh, also after a run that stopped in
	 * the middle of grouped short options. */
	opterr = 0;
	optind = 0;
	while (ret == 0 && (c = getopt_long(argc, argv, ":f:o:qvhV", long_options, NULL)) != -1) {
		if (c == '?' || c == ':')
			ret = refused(c, optopt,
				      optind > 0 && optind <= argc ? argv[optind - 1] : NULL, err);
		else if (apply(cli, c, optarg, err) || note_option(cli, c, optarg, err))
			ret = -1;
		else if (c == OPT_AUPRO && !optarg && optind < argc &&
			 check_optional("--aupro", argv[optind], err))
			ret = -1;
		else if (c == OPT_AUPIMO && !optarg && optind < argc &&
			 check_optional_bounds(argv[optind], err))
			ret = -1;
	}
	if (ret == 0 && cli->merge) {
		/* Every argument is a counts file. */
		cli->nmerge = (size_t)(argc - optind);
		cli->merge_files = malloc((cli->nmerge ? cli->nmerge : 1) * sizeof(char *));
		if (!cli->merge_files)
			ret = adt_error_set(err, ADT_ENOMEM, "out of memory");
		for (size_t i = 0; ret == 0 && i < cli->nmerge; i++)
			cli->merge_files[i] = argv[optind + (int)i];
	} else if (ret == 0 && argc - optind > 1) {
		ret = adt_error_set(err, ADT_EUSAGE, "too many arguments: '%s' after '%s'",
				    argv[optind + 1], argv[optind]);
	}
	if (ret == 0 && !cli->merge && argc - optind == 1) {
		cli->input = argv[optind];
		cli->input_given = 1;
	}
	pthread_mutex_unlock(&getopt_lock);
	return ret;
}

/* Applies the option words a counts file was saved with (as if given on
 * the command line; they are recorded again, for a merge that saves). */
static int apply_words(struct adt_cli *cli, const char *file, char **words, size_t n,
		       struct adt_error *err)
{
	char **argv = malloc((n + 2) * sizeof(*argv));
	int c, ret = 0;

	if (!argv)
		return adt_error_set(err, ADT_ENOMEM, "out of memory");
	argv[0] = "adthresh";
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = words[i];
	argv[n + 1] = NULL;
	pthread_mutex_lock(&getopt_lock);
	opterr = 0;
	optind = 0;
	while (ret == 0 && (c = getopt_long((int)n + 1, argv, ":f:o:qvhV", long_options, NULL)) !=
				   -1) {
		if (c == '?' || c == ':' || !evaluation_option(c))
			ret = adt_error_at(err, ADT_EFORMAT, file, 0,
					   "saved option word '%s' is not an evaluation option",
					   argv[optind > 1 ? optind - 1 : 1]);
		else if (apply(cli, c, optarg, err) || note_option(cli, c, optarg, err))
			ret = adt_error_at(err, ADT_EFORMAT, file, 0, "saved option word: %s",
					   err->msg);
	}
	if (ret == 0 && optind <= (int)n)
		ret = adt_error_at(err, ADT_EFORMAT, file, 0,
				   "saved option word '%s' is not an option", argv[optind]);
	pthread_mutex_unlock(&getopt_lock);
	free(argv);
	return ret;
}

/* --merge: no inputs and no evaluation options on the command line; the
 * first counts file's options apply (adt_merge_open checks that every
 * file has the same). */
static int merge_options(struct adt_cli *cli, struct adt_error *err)
{
	struct adt_counts_reader *r;
	struct adt_counts_head h;
	int ret;

	if (cli->nmerge == 0)
		return adt_error_set(err, ADT_EUSAGE,
				     "--merge needs the counts files that --save-counts wrote");
	if (cli->input_given_opt)
		return adt_error_set(err, ADT_EUSAGE,
				     "--%s: --merge reads counts files, not inputs (each run that "
				     "saves counts reads its part)",
				     cli->input_given_opt);
	if (cli->eval_given)
		return adt_error_set(err, ADT_EUSAGE,
				     "--%s: --merge evaluates with the options the counts were "
				     "saved with; give it to the runs with --save-counts",
				     cli->eval_given);
	if (adt_counts_open(cli->merge_files[0], NULL, &r, err))
		return -1;
	adt_counts_take_head(r, &h);
	adt_counts_close(r);
	cli->merge_flags = h.flags;
	/* The options keep pointers into the words (--thresholds FILE): they
	 * live as long as cli. */
	cli->merge_words = h.words;
	cli->nmerge_words = h.nwords;
	h.words = NULL;
	h.nwords = 0;
	adt_counts_head_release(&h);
	ret = apply_words(cli, cli->merge_files[0], cli->merge_words, cli->nmerge_words, err);
	return ret;
}

int adt_cli_parse(int argc, char **argv, struct adt_cli *cli, struct adt_error *err)
{
	if (adt_cli_parse_options(argc, argv, cli, err))
		return -1;
	if (cli->merge && !cli->help && !cli->version && merge_options(cli, err))
		return -1;
	return adt_cli_check(cli, err);
}

/* Whether the run has a pixel level: maps, or counts files with one. */
static int has_pixels(const struct adt_cli *cli)
{
	return cli->maps || (cli->merge && (cli->merge_flags & ADT_COUNTS_PIXEL));
}

/* --save-counts and --shard against the other options. */
static int check_counts(const struct adt_cli *cli, struct adt_error *err)
{
	static const char *const what = "counts keep no image's pixels";

	if (cli->shard_n && !cli->save_counts)
		return adt_error_set(err, ADT_EUSAGE,
				     "--shard needs --save-counts: a shard's report is not the "
				     "data's (merge the shards' counts with --merge)");
	if (cli->merge && cli->batch)
		return adt_error_set(err, ADT_EUSAGE, "--merge makes one report, not a --batch");
	if ((cli->save_counts || cli->merge) && (cli->per_image || cli->eval.aupimo_upper > 0))
		return adt_error_set(err, ADT_EUSAGE, "%s cannot come from %s counts: %s",
				     cli->per_image ? "--per-image" : "--aupimo",
				     cli->merge ? "merged" : "saved", what);
	if (cli->merge && cli->save_counts && cli->per_defect)
		return adt_error_set(err, ADT_EUSAGE,
				     "--save-counts cannot save merged counts with --per-defect "
				     "(their defect folders are not merged into one file); merge "
				     "all the counts files at once");
	if (!cli->save_counts || cli->merge)
		return 0;
	if (cli->batch)
		return adt_error_set(err, ADT_EUSAGE,
				     "--save-counts saves one run's counts, not a --batch");
	if (cli->output || cli->save_thresholds || cli->curves || cli->plot || cli->fail_under ||
	    cli->ngate || cli->columns.n || cli->out_format != ADT_OUT_TEXT)
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "--save-counts writes counts instead of a report: %s belongs to the run "
		    "with --merge",
		    cli->output		 ? "-o"
		    : cli->save_thresholds ? "--save-thresholds"
		    : cli->curves	 ? "--curves"
		    : cli->plot		 ? "--plot"
		    : cli->fail_under	 ? "--fail-under"
		    : cli->ngate	 ? "--gate"
		    : cli->columns.n	 ? "--columns"
					 : "--format");
	return 0;
}

int adt_cli_check(struct adt_cli *cli, struct adt_error *err)
{
	int report_out;

	if (check_counts(cli, err))
		return -1;
	if (cli->masks && !cli->maps)
		return adt_error_set(err, ADT_EUSAGE, "--masks needs --maps");
	if (cli->mask_suffix && !cli->maps)
		return adt_error_set(err, ADT_EUSAGE, "--mask-suffix needs --maps");
	if (cli->split && !cli->maps)
		return adt_error_set(err, ADT_EUSAGE, "--split needs --maps");
	if (cli->pixel.resize_masks && !cli->maps)
		return adt_error_set(err, ADT_EUSAGE, "--resize-masks needs --maps");
	if (cli->keep_going && !cli->batch)
		return adt_error_set(err, ADT_EUSAGE, "--keep-going needs --batch");
	if (cli->batch && cli->maps && !cli->masks)
		return adt_error_set(err, ADT_EUSAGE, "--batch with --maps needs --masks");
	if (cli->batch && cli->maps && cli->input_given)
		return adt_error_set(err, ADT_EUSAGE,
				     "--batch with --maps takes the scores from each category's "
				     "folder (scores.csv), not from '%s'",
				     cli->input);
	if (cli->batch && !cli->maps && !cli->input_given)
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "--batch needs a folder of score files, or --maps and --masks");
	if (cli->map_maxima && !cli->maps)
		return adt_error_set(err, ADT_EUSAGE, "--map-maxima needs --maps");
	if (cli->map_maxima && cli->input_given && !cli->batch)
		return adt_error_set(err, ADT_EUSAGE,
				     "--map-maxima takes the image scores from the maps, not from "
				     "'%s'",
				     cli->input);
	if (cli->has_pixel_threshold && !has_pixels(cli))
		return adt_error_set(err, ADT_EUSAGE, "--pixel-threshold needs --maps");
	if (cli->eval.aupro_limit > 0 && !has_pixels(cli))
		return adt_error_set(err, ADT_EUSAGE,
				     "--aupro needs --maps and masks (it is a pixel-level metric)");
	if (cli->compare_policies && cli->out_format == ADT_OUT_CSV)
		return adt_error_set(err, ADT_EUSAGE,
				     "--compare-policies shows its table in text, markdown and "
				     "json output, not in csv (a CSV row is one level's result)");
	if (cli->compare_policies && compare_lists(cli, err))
		return -1;
	if (cli->eval.aupimo_upper > 0 && !has_pixels(cli))
		return adt_error_set(
		    err, ADT_EUSAGE,
		    "--aupimo needs --maps and masks (it is a pixel-level metric)");
	if (cli->plot && adt_plot_format_of(cli->plot, &cli->plot_format, err))
		return -1;
	if (cli->curve_points && !cli->curves)
		return adt_error_set(err, ADT_EUSAGE, "--curve-points needs --curves");
	if (check_columns(cli, err))
		return -1;
	/* Saving counts, a run writes no report. */
	report_out = !(cli->save_counts && !cli->merge) && (!cli->output || to_stdout(cli->output));
	if (to_stdout(cli->curves) + to_stdout(cli->plot) + to_stdout(cli->save_thresholds) +
		to_stdout(cli->per_image) + to_stdout(cli->save_counts) + report_out >
	    1)
		return adt_error_set(err, ADT_EUSAGE,
				     "only one of the report, --curves, --plot, --save-thresholds, "
				     "--per-image and --save-counts can go to standard output (-o "
				     "FILE sends the report elsewhere)");
	return 0;
}

/* What the plot is titled: the run's input as given, the maps folder
 * when there is one (in a batch, the folder of the categories). */
static const char *plot_title(const struct adt_cli *cli)
{
	if (cli->maps)
		return cli->maps;
	if (cli->merge)
		return cli->nmerge == 1 ? cli->merge_files[0] : "merged counts";
	return strcmp(cli->input, "-") == 0 ? "standard input" : cli->input;
}

void adt_cli_write_opts(const struct adt_cli *cli, struct adt_write_opts *wo,
			uint64_t *curve_rows)
{
	memset(wo, 0, sizeof(*wo));
	wo->format = (int)cli->out_format;
	wo->curve_points = cli->curve_points == UINT64_MAX ? ADT_CURVES_EVERY
			   : cli->curve_points == 1	   ? ADT_CURVES_CORNERS
			   : cli->curve_points == 0	   ? ADT_CURVES_THINNED
							   : (size_t)cli->curve_points;
	wo->plot.format = cli->plot_format;
	wo->plot.title = plot_title(cli);
	wo->curve_rows = curve_rows;
	wo->columns = cli->columns.n ? &cli->columns : NULL;
}

void adt_cli_job(const struct adt_cli *cli, struct adt_run_job *job)
{
	adt_run_job_init(job);
	job->batch = cli->batch;
	job->keep_going = cli->keep_going;
	job->scores = cli->merge ? NULL : !cli->maps || cli->input_given ? cli->input : NULL;
	job->maps = cli->maps;
	job->masks = cli->masks;
	job->map_maxima = cli->map_maxima;
	/* A plot alone needs only the points that show. */
	job->eval.curves = cli->curves ? ADT_RECORD_ALL
			   : cli->plot ? ADT_RECORD_PLOT
				       : ADT_RECORD_NONE;
	job->eval.per_defect = cli->per_defect;
	job->eval.per_image = cli->per_image != NULL;
	job->eval.read = cli->read;
	job->eval.image = cli->eval;
	job->eval.pixel = cli->eval;
	job->eval.pixel.policy = cli->pixel_policy;
	job->eval.pixel.compare = cli->pixel_compare;
	job->eval.pixels = cli->pixel;
	job->eval.pair.mask_suffix = cli->mask_suffix;
	job->eval.pair.split = cli->split;
	job->eval.verbose = cli->verbose;
	job->normalize = cli->normalize;
	job->thresholds = cli->thresholds;
	job->has_threshold[0] = cli->has_image_threshold;
	job->threshold[0] = cli->image_threshold;
	job->has_threshold[1] = cli->has_pixel_threshold;
	job->threshold[1] = cli->pixel_threshold;
	job->gates = cli->fail_under;
	job->gate = cli->gate;
	job->ngate = cli->ngate;
	job->output[ADT_OUTPUT_REPORT] = cli->output ? cli->output : "-";
	job->output[ADT_OUTPUT_THRESHOLDS] = cli->save_thresholds;
	job->output[ADT_OUTPUT_CURVES] = cli->curves;
	job->output[ADT_OUTPUT_PLOT] = cli->plot;
	job->output[ADT_OUTPUT_PER_IMAGE] = cli->per_image;
	job->output[ADT_OUTPUT_COUNTS] = cli->save_counts;
	job->eval.merge = cli->merge_files;
	job->eval.nmerge = cli->nmerge;
	job->eval.save_counts = cli->save_counts != NULL;
	job->eval.words = (const char *const *)cli->words;
	job->eval.nwords = cli->nwords;
	job->eval.shard_k = cli->shard_k;
	job->eval.shard_n = cli->shard_n;
	if (cli->save_counts && !cli->merge) {
		/* Only counting: the report, thresholds and gates are the
		 * merge's, so a shard of one class or one that a policy's target
		 * cannot be met on is still counted. */
		job->output[ADT_OUTPUT_REPORT] = NULL;
		job->eval.image.allow_one_class = job->eval.pixel.allow_one_class = 1;
		adt_policy_default(&job->eval.image.policy);
		adt_policy_default(&job->eval.pixel.policy);
		job->eval.image.compare.n = job->eval.pixel.compare.n = 0;
		job->eval.image.has_threshold = job->eval.pixel.has_threshold = 0;
		job->eval.image.max_fpr = job->eval.pixel.max_fpr = 0;
		job->thresholds = NULL;
		job->has_threshold[0] = job->has_threshold[1] = 0;
		job->normalize = 0;
		job->gates = NULL;
		job->ngate = 0;
	}
}

/* A program built against the installed libadthresh: the image level of
 * a few scores, printed as adthresh --format csv prints its columns
 * threshold,f1,precision,recall,tp,fp,fn,tn,auroc,ap, then the libraries'
 * line of adthresh --version (which needs every library linked). */
#include <stdio.h>

#include <adthresh/error.h>
#include <adthresh/eval.h>
#include <adthresh/format.h>
#include <adthresh/samples.h>
#include <adthresh/version.h>

static const struct {
	double score;
	int label;
} data[] = {
    {0.1, 0}, {0.4, 0}, {0.35, 1}, {0.8, 1}, {0.7, 0}, {0.9, 1}, {0.8, 0}, {0.65, 1},
};

int main(void)
{
	struct adt_samples s;
	struct adt_eval_opts o = {0};
	struct adt_level_result r;
	struct adt_error err;
	char t[ADT_NUMBER_SIZE], f1[ADT_NUMBER_SIZE], p[ADT_NUMBER_SIZE], rc[ADT_NUMBER_SIZE];
	char auroc[ADT_NUMBER_SIZE], ap[ADT_NUMBER_SIZE];
	char libs[ADT_VERSION_LIBRARIES_SIZE];
	int status = 1;

	adt_error_init(&err);
	adt_samples_init(&s);
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		if (adt_samples_push(&s, data[i].score, data[i].label, NULL, i + 2, &err))
			goto out;
	if (adt_eval_samples(&s, "image", &o, &r, &err))
		goto out;
	adt_format_exact(t, sizeof(t), r.threshold, "");
	adt_format_exact(f1, sizeof(f1), r.f1, "");
	adt_format_exact(p, sizeof(p), r.precision, "");
	adt_format_exact(rc, sizeof(rc), r.recall, "");
	adt_format_exact(auroc, sizeof(auroc), r.auroc, "");
	adt_format_exact(ap, sizeof(ap), r.ap, "");
	printf("%s,%s,%s,%s,%llu,%llu,%llu,%llu,%s,%s\n", t, f1, p, rc, (unsigned long long)r.tp,
	       (unsigned long long)r.fp, (unsigned long long)r.fn, (unsigned long long)r.tn, auroc,
	       ap);
	adt_version_libraries(libs, sizeof(libs));
	printf("libraries: %s\n", libs);
	status = 0;
out:
	if (status)
		fprintf(stderr, "example: %s\n", err.msg);
	adt_samples_release(&s);
	return status;
}

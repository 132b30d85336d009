/* Replays fuzz inputs through one target without libFuzzer (zstd's
 * tests/fuzz/regression_driver.c): built with the normal compiler against
 * the normal build's libadthresh.a, linked with one fuzz_<name>.c, it runs
 * LLVMFuzzerTestOneInput once on every file named on the command line and
 * on every file in the folders named there (not recursively).  Each input
 * sits in a buffer of exactly its size, so that a sanitizer build
 * (SANITIZE=address) catches reads past the end.  Exits 0 and prints
 * "replay: N inputs" when every input ran; an input that breaks an
 * invariant aborts the program, which names it first on stderr. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, unsigned long *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long size;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot size '%s'\n", path);
		goto out;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		goto out;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	(*n)++;
	ret = 0;
out:
	free(buf);
	fclose(f);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir, in name order. */
static int run_dir(const char *dir, unsigned long *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **grown;
	size_t count = 0, cap = 0, i;
	int ret = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		path = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!path) {
			ret = -1;
			break;
		}
		sprintf(path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				free(path);
				ret = -1;
				break;
			}
			names = grown;
		}
		names[count++] = path;
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), cmp_names);
	for (i = 0; i < count; i++) {
		if (ret == 0 && run_file(names[i], n) != 0)
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
	struct stat st;
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc && ret == 0; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ret = run_dir(argv[i], &n);
		else
			ret = run_file(argv[i], &n);
	}
	if (ret != 0)
		return 1;
	printf("replay: %lu inputs\n", n);
	return 0;
}

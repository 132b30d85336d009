/* Unit tests of the outputs: all or nothing through a temporary file,
 * modes, links, devices, standard output, and distinct output names. */
#include "test_list.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_tree.h"
#include "adthresh/output.h"

/* Every test works in a folder of its own below root. */
static char root[PATH_MAX];

/* dir/name into buf, which must be large enough. */
static const char *join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
	return buf;
}

/* Makes the folder root/name (afresh) and returns its path in buf. */
static const char *folder(char *buf, size_t size, const char *name)
{
	join(buf, size, root, name);
	remove_tree(buf);
	assert_int_equal(mkdir(buf, 0777), 0);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The content of path (owned), or NULL when it cannot be read. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;

	if (!f)
		return NULL;
	buf = calloc(4096, 1);
	assert_non_null(buf);
	len = fread(buf, 1, 4095, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void assert_content(const char *path, const char *want)
{
	char *got = read_text(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* The names in folder dir, sorted and joined with spaces, into buf. */
static const char *listing(char *buf, size_t size, const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	size_t len = 0;

	assert_true(n >= 0);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "",
						v[i]->d_name);
		free(v[i]);
	}
	free(v);
	return buf;
}

static void test_new_file(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], prefix[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;
	struct stat st;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "new");
	join(path, sizeof(path), dir, "out.txt");
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_non_null(o.f);
	assert_ptr_equal(o.path, path);
	assert_non_null(o.tmp);
	assert_string_equal(o.target, path);
	/* ".out.txt.XXXXXX" beside it. */
	join(prefix, sizeof(prefix), dir, ".out.txt.");
	assert_int_equal(strncmp(o.tmp, prefix, strlen(prefix)), 0);
	assert_int_equal(strlen(o.tmp), strlen(prefix) + 6);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(fputs("result\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_null(o.f);
	/* Not there until committed. */
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(adt_output_commit(&o, &err), 0);
	assert_null(o.tmp);
	assert_null(o.target);
	assert_content(path, "result\n");
	assert_string_equal(listing(ls, sizeof(ls), dir), "out.txt");
	/* Abort after commit does nothing. */
	adt_output_abort(&o);
	assert_content(path, "result\n");
	assert_int_equal(err.code, ADT_EOK);
}

static void test_replace_file(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "replace");
	join(path, sizeof(path), dir, "out.txt");
	write_file(path, "old and longer\n");
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_non_null(o.tmp);
	assert_int_equal(fputs("new\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	/* The old content stays until the commit. */
	assert_content(path, "old and longer\n");
	assert_int_equal(adt_output_commit(&o, &err), 0);
	assert_content(path, "new\n");
	assert_string_equal(listing(ls, sizeof(ls), dir), "out.txt");
}

static void test_abort_new(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "abort-new");
	join(path, sizeof(path), dir, "out.txt");
	/* Aborted while still open. */
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_int_equal(fputs("partial", o.f) >= 0, 1);
	adt_output_abort(&o);
	assert_null(o.f);
	assert_null(o.tmp);
	assert_null(o.target);
	assert_string_equal(listing(ls, sizeof(ls), dir), "");
	/* Aborted after closing. */
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_int_equal(fputs("whole\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	adt_output_abort(&o);
	assert_string_equal(listing(ls, sizeof(ls), dir), "");
	/* Twice is fine. */
	adt_output_abort(&o);
}

static void test_abort_existing(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "abort-existing");
	join(path, sizeof(path), dir, "report.json");
	write_file(path, "{\"old\": 1}\n");
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_int_equal(fputs("{\"new\": 2}\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	adt_output_abort(&o);
	assert_content(path, "{\"old\": 1}\n");
	assert_string_equal(listing(ls, sizeof(ls), dir), "report.json");
}

/* A zeroed output, never opened, aborts cleanly. */
static void test_abort_zeroed(void **state)
{
	struct adt_output o;

	(void)state;
	memset(&o, 0, sizeof(o));
	adt_output_abort(&o);
	assert_null(o.f);
	assert_null(o.tmp);
}

static const struct mode_case {
	const char *name;
	int exists;   /* the file exists with `mode` */
	mode_t mode;  /* of the existing file */
	mode_t umask; /* while opening */
	mode_t want;  /* of the file after commit */
} modes[] = {
    {"existing 0600 kept", 1, 0600, 022, 0600},
    {"existing 0640 kept", 1, 0640, 022, 0640},
    {"existing 0755 kept under umask 077", 1, 0755, 077, 0755},
    {"existing 0666 kept under umask 022", 1, 0666, 022, 0666},
    {"new under umask 022", 0, 0, 022, 0644},
    {"new under umask 027", 0, 0, 027, 0640},
    {"new under umask 077", 0, 0, 077, 0600},
    {"new under umask 0", 0, 0, 0, 0666},
};

static void test_mode(void **state)
{
	const struct mode_case *c = *state;
	char dir[PATH_MAX], path[PATH_MAX];
	struct adt_output o;
	struct adt_error err;
	struct stat st;
	mode_t old;

	adt_error_init(&err);
	folder(dir, sizeof(dir), "mode");
	join(path, sizeof(path), dir, "out.csv");
	if (c->exists) {
		write_file(path, "old\n");
		assert_int_equal(chmod(path, c->mode), 0);
	}
	old = umask(c->umask);
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	umask(old);
	assert_int_equal(fputs("new\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_int_equal(adt_output_commit(&o, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, c->want);
	assert_content(path, "new\n");
}

static const struct open_error_case {
	const char *name;
	const char *file; /* below the test's folder */
	const char *msg;
} open_errors[] = {
    {"a folder given as the file", "sub", "cannot open for writing: Is a directory"},
    {"a missing folder", "missing/out.txt", "cannot open for writing: No such file or directory"},
    {"a file as a folder", "plain/out.txt", "cannot open for writing: Not a directory"},
};

static void test_open_error(void **state)
{
	const struct open_error_case *c = *state;
	char dir[PATH_MAX], path[PATH_MAX], sub[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	adt_error_init(&err);
	folder(dir, sizeof(dir), "open-error");
	join(sub, sizeof(sub), dir, "sub");
	assert_int_equal(mkdir(sub, 0777), 0);
	join(sub, sizeof(sub), dir, "plain");
	write_file(sub, "x");
	join(path, sizeof(path), dir, c->file);
	assert_int_equal(adt_output_open(&o, path, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.msg, c->msg);
	assert_null(o.f);
	assert_null(o.tmp);
	/* A failed open may leave o.target set: abort frees it. */
	adt_output_abort(&o);
	assert_string_equal(listing(ls, sizeof(ls), dir), "plain sub");
}

/* Without write permission (not testable as root, who has it anyway). */
static void test_read_only(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	if (geteuid() == 0)
		skip();
	adt_error_init(&err);
	folder(dir, sizeof(dir), "read-only");
	join(path, sizeof(path), dir, "out.txt");
	write_file(path, "old\n");
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(adt_output_open(&o, path, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "cannot open for writing: Permission denied");
	assert_content(path, "old\n");
}

static const struct link_case {
	const char *name;
	const char *real;	       /* the file the link points to, below the test's folder */
	const char *link;	       /* what the link holds */
	const char *real_ls, *link_ls; /* the listings of their folders after */
} links[] = {
    {"a link beside its file", "real.txt", "real.txt", "link real.txt", "link real.txt"},
    {"a link to a file in another folder", "sub/real.txt", "sub/real.txt", "real.txt", "link sub"},
    {"a link to a link", "real.txt", "link2", "link link2 real.txt", "link link2 real.txt"},
};

static void test_symlink(void **state)
{
	const struct link_case *c = *state;
	char dir[PATH_MAX], real[PATH_MAX], link[PATH_MAX], sub[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;
	struct stat st;

	adt_error_init(&err);
	folder(dir, sizeof(dir), "symlink");
	join(sub, sizeof(sub), dir, "sub");
	if (strncmp(c->real, "sub/", 4) == 0)
		assert_int_equal(mkdir(sub, 0777), 0);
	join(real, sizeof(real), dir, c->real);
	join(link, sizeof(link), dir, "link");
	write_file(real, "old\n");
	assert_int_equal(chmod(real, 0640), 0);
	if (strcmp(c->link, "link2") == 0) {
		join(sub, sizeof(sub), dir, "link2");
		assert_int_equal(symlink("real.txt", sub), 0);
	}
	assert_int_equal(symlink(c->link, link), 0);

	assert_int_equal(adt_output_open(&o, link, &err), 0);
	assert_non_null(o.tmp);
	assert_int_equal(fputs("new\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_content(real, "old\n");
	assert_int_equal(adt_output_commit(&o, &err), 0);
	/* The link is still a link, and the file it points to has the content. */
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_content(real, "new\n");
	assert_content(link, "new\n");
	assert_int_equal(lstat(real, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
	/* No temporary file left in either folder. */
	snprintf(sub, sizeof(sub), "%s", real);
	*strrchr(sub, '/') = '\0';
	assert_string_equal(listing(ls, sizeof(ls), sub), c->real_ls);
	assert_string_equal(listing(ls, sizeof(ls), dir), c->link_ls);
}

/* A link to a missing file: writing creates the file it points to. */
static void test_dangling_symlink(void **state)
{
	char dir[PATH_MAX], link[PATH_MAX], real[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;
	struct stat st;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "dangling");
	join(link, sizeof(link), dir, "link");
	join(real, sizeof(real), dir, "real.txt");
	assert_int_equal(symlink("real.txt", link), 0);
	assert_int_equal(adt_output_open(&o, link, &err), 0);
	assert_non_null(o.f);
	assert_int_equal(fputs("new\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_int_equal(adt_output_commit(&o, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_content(real, "new\n");
	assert_string_equal(listing(ls, sizeof(ls), dir), "link real.txt");
}

/* A link to a missing file in a failed run: the file it points to is
 * not created. */
static void test_dangling_symlink_abort(void **state)
{
	char dir[PATH_MAX], link[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "dangling-abort");
	join(link, sizeof(link), dir, "link");
	assert_int_equal(symlink("real.txt", link), 0);
	assert_int_equal(adt_output_open(&o, link, &err), 0);
	assert_non_null(o.tmp);
	assert_int_equal(fputs("half\n", o.f) >= 0, 1);
	adt_output_abort(&o);
	assert_string_equal(listing(ls, sizeof(ls), dir), "link");
}

static void test_dev_null(void **state)
{
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_output_open(&o, "/dev/null", &err), 0);
	assert_non_null(o.f);
	assert_null(o.tmp);
	assert_int_equal(fputs("discarded\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_int_equal(adt_output_commit(&o, &err), 0);
	adt_output_abort(&o);
	assert_int_equal(err.code, ADT_EOK);
}

/* A device that fails every write: the error shows at close. */
static void test_dev_full(void **state)
{
	struct adt_output o;
	struct adt_error err;

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	adt_error_init(&err);
	assert_int_equal(adt_output_open(&o, "/dev/full", &err), 0);
	assert_null(o.tmp);
	fputs("no room\n", o.f);
	assert_int_equal(adt_output_close(&o, &err), -1);
	assert_null(o.f);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.file, "/dev/full");
	assert_string_equal(err.msg, "write error: No space left on device");
	adt_output_abort(&o);
}

static void test_stdout(void **state)
{
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_output_open(&o, "-", &err), 0);
	assert_ptr_equal(o.f, stdout);
	assert_null(o.tmp);
	assert_null(o.target);
	/* Standard output is the program's to close, not this test's. */
	o.f = NULL;
	assert_int_equal(adt_output_commit(&o, &err), 0);
	adt_output_abort(&o);
	assert_int_equal(err.code, ADT_EOK);
}

/* The target became a folder before the commit: the rename fails and the
 * temporary file goes. */
static void test_commit_error(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX], ls[1024];
	struct adt_output o;
	struct adt_error err;

	(void)state;
	adt_error_init(&err);
	folder(dir, sizeof(dir), "commit-error");
	join(path, sizeof(path), dir, "out.txt");
	assert_int_equal(adt_output_open(&o, path, &err), 0);
	assert_int_equal(fputs("new\n", o.f) >= 0, 1);
	assert_int_equal(adt_output_close(&o, &err), 0);
	assert_int_equal(mkdir(path, 0777), 0);
	assert_int_equal(adt_output_commit(&o, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "cannot replace: Is a directory");
	assert_null(o.tmp);
	assert_null(o.target);
	assert_string_equal(listing(ls, sizeof(ls), dir), "out.txt");
	adt_output_abort(&o);
}

/* Each case runs in a fresh folder holding a file "a", its hard link "b",
 * a symbolic link "lnk" to it and an empty folder "sub". */
static const struct distinct_case {
	const char *name;
	const char *file[3];
	const char *option[3];
	size_t n;
	const char *err_file; /* NULL: distinct */
	const char *msg;
} distincts[] = {
    {"same path",
     {"x.json", "x.json"},
     {"-o", "--plot"},
     2,
     "x.json",
     "given to both -o and --plot"},
    {"./x and x",
     {"./x", "x"},
     {"-o", "--save-thresholds"},
     2,
     "x",
     "given to both -o and --save-thresholds"},
    {"two names of one file (a hard link)",
     {"a", "b"},
     {"--curves", "--plot"},
     2,
     "b",
     "given to both --curves and --plot"},
    {"a symbolic link and its file",
     {"lnk", "a"},
     {"-o", "--curves"},
     2,
     "a",
     "given to both -o and --curves"},
    {"a missing file in one folder spelled two ways",
     {"sub/../y", "y"},
     {"-o", "--plot"},
     2,
     "y",
     "given to both -o and --plot"},
    {"a missing file below a folder spelled two ways",
     {"sub/y", "./sub//y"},
     {"-o", "--plot"},
     2,
     "./sub//y",
     "given to both -o and --plot"},
    {"the third the same as the first",
     {"x", "y", "./x"},
     {"-o", "--save-thresholds", "--thresholds"},
     3,
     "./x",
     "given to both -o and --thresholds"},
    {"standard output twice", {"-", "-"}, {"-o", "--plot"}, 2, NULL, NULL},
    {"standard output and a file named -", {"-", "./-"}, {"-o", "--plot"}, 2, NULL, NULL},
    {"unnamed outputs", {NULL, NULL, "x"}, {"-o", "--save-thresholds", "--plot"}, 3, NULL, NULL},
    {"different names", {"x", "y", "sub/x"}, {"-o", "--save-thresholds", "--plot"}, 3, NULL, NULL},
    {"an existing and a missing file", {"a", "c"}, {"-o", "--plot"}, 2, NULL, NULL},
    {"one file", {"a"}, {"-o"}, 1, NULL, NULL},
};

static void test_distinct(void **state)
{
	const struct distinct_case *c = *state;
	char dir[PATH_MAX], cwd[PATH_MAX], path[PATH_MAX], other[PATH_MAX];
	struct adt_error err;
	int ret;

	adt_error_init(&err);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	folder(dir, sizeof(dir), "distinct");
	join(path, sizeof(path), dir, "a");
	write_file(path, "a\n");
	join(other, sizeof(other), dir, "b");
	assert_int_equal(link(path, other), 0);
	join(other, sizeof(other), dir, "lnk");
	assert_int_equal(symlink("a", other), 0);
	join(other, sizeof(other), dir, "sub");
	assert_int_equal(mkdir(other, 0777), 0);
	assert_int_equal(chdir(dir), 0);
	ret = adt_outputs_distinct(c->file, c->option, c->n, &err);
	assert_int_equal(chdir(cwd), 0);
	if (!c->err_file) {
		assert_int_equal(ret, 0);
		assert_int_equal(err.code, ADT_EOK);
		return;
	}
	assert_int_equal(ret, -1);
	assert_int_equal(err.code, ADT_EUSAGE);
	assert_string_equal(err.file, c->err_file);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.msg, c->msg);
}

static const char *make_root(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof(root), "%s/adt-output-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(root);
}

int main(void)
{
	struct test_list l = {0};
	int rc;

	if (!make_root()) {
		perror("mkdtemp");
		return 1;
	}
	test_list_add(&l, "a new file appears at commit", test_new_file);
	test_list_add(&l, "an existing file is replaced at commit", test_replace_file);
	test_list_add(&l, "abort leaves no new file", test_abort_new);
	test_list_add(&l, "abort keeps an existing file", test_abort_existing);
	test_list_add(&l, "abort of a zeroed output", test_abort_zeroed);
	TEST_LIST_TABLE(&l, modes, test_mode);
	TEST_LIST_TABLE(&l, open_errors, test_open_error);
	test_list_add(&l, "a read-only file", test_read_only);
	TEST_LIST_TABLE(&l, links, test_symlink);
	test_list_add(&l, "a link to a missing file", test_dangling_symlink);
	test_list_add(&l, "a link to a missing file, aborted", test_dangling_symlink_abort);
	test_list_add(&l, "/dev/null written in place", test_dev_null);
	test_list_add(&l, "/dev/full fails at close", test_dev_full);
	test_list_add(&l, "- is standard output", test_stdout);
	test_list_add(&l, "a failed rename", test_commit_error);
	TEST_LIST_TABLE(&l, distincts, test_distinct);
	rc = test_list_run(&l, "output");
	remove_tree(root);
	return rc;
}

/* Map and mask files by path (see imagefile.h). */
#include "adthresh/imagefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adthresh/grow.h"
#include "adthresh/image_formats.h"

enum adt_imgfmt adt_imgfmt_of_path(const char *path)
{
	static const struct {
		const char *ext;
		enum adt_imgfmt fmt;
	} exts[] = {{".png", ADT_IMG_PNG}, {".tif", ADT_IMG_TIFF}, {".tiff", ADT_IMG_TIFF},
		    {".npy", ADT_IMG_NPY}, {".csv", ADT_IMG_CSV},  {".tsv", ADT_IMG_CSV},
		    {".txt", ADT_IMG_CSV}, {".json", ADT_IMG_JSON}};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return ADT_IMG_NONE;
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		if (strcasecmp(dot, exts[i].ext) == 0)
			return exts[i].fmt;
	}
	return ADT_IMG_NONE;
}

const char *adt_imgfmt_images(enum adt_imgfmt fmt)
{
	return fmt == ADT_IMG_TIFF ? "pages" : "images";
}

int adt_slurp_file(const char *path, char **buf, size_t *len, struct adt_error *err)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	size_t cap = 0, n = 0, first;
	void *p = NULL;
	ssize_t got;

	if (fd < 0)
		return adt_error_set(err, ADT_EIO, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(EISDIR));
	}
	first =
	    st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX - 1 ? (size_t)st.st_size + 1 : 4096;
	if (adt_grow(&p, &cap, first, 1))
		goto nomem;
	for (;;) {
		/* Room for one more byte than read so far, and the NUL. */
		if (adt_grow(&p, &cap, n + 2, 1))
			goto nomem;
		got = read(fd, (char *)p + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(p);
			close(fd);
			return adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	((char *)p)[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
nomem:
	free(p);
	close(fd);
	return adt_error_set(err, ADT_ENOMEM, "out of memory reading the file");
}

/* Text matrices have no header: probing them means parsing them. */
static int read_text(const char *path, enum adt_imgfmt fmt, const struct adt_decode_opts *o,
		     struct adt_raster *out, struct adt_error *err)
{
	char *buf;
	size_t len;
	int ret;

	if (adt_slurp_file(path, &buf, &len, err))
		return -1;
	if (fmt == ADT_IMG_CSV)
		ret = adt_matrix_csv_read_mem(buf, len, NULL, o, out, err);
	else
		ret = adt_matrix_json_read_mem(buf, len, NULL, o, out, err);
	free(buf);
	return ret;
}

/* Reads the NPY header of fd: the first 4 KiB hold it in practice (numpy
 * pads it to 64 bytes); a longer one is read again at its stated length. */
static int npy_header_of_fd(int fd, struct adt_npy_header *h, struct adt_error *err)
{
	unsigned char head[4096], *big = NULL;
	struct stat st;
	uint64_t need = 0;
	ssize_t got;
	int ret;

	if (fstat(fd, &st) != 0)
		return adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(errno));
	do
		got = pread(fd, head, sizeof(head), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(errno));
	if (got == (ssize_t)sizeof(head) && head[6] == 1)
		need = 10 + (uint64_t)(head[8] | head[9] << 8);
	else if (got == (ssize_t)sizeof(head) && (head[6] == 2 || head[6] == 3))
		need = 12 + (uint64_t)(head[8] | head[9] << 8 | head[10] << 16 |
				       (uint32_t)head[11] << 24);
	if (need <= (uint64_t)got || need > (uint64_t)st.st_size || need > (1u << 24))
		return adt_npy_parse_header(head, (size_t)got, (uint64_t)st.st_size, NULL, h, err);
	big = malloc((size_t)need);
	if (!big)
		return adt_error_set(err, ADT_ENOMEM, "out of memory reading the NPY header");
	do
		got = pread(fd, big, (size_t)need, 0);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		ret = adt_error_set(err, ADT_EIO, "cannot read: %s", strerror(errno));
	else
		ret = adt_npy_parse_header(big, (size_t)got, (uint64_t)st.st_size, NULL, h, err);
	free(big);
	return ret;
}

/* Probes a PNG from its first 64 KiB, where its header chunks lie in
 * practice, so that the file is not read whole twice (probe, decode);
 * when the prefix does not do, from the whole file, whose result and
 * messages are then the same as ever. */
static int png_probe_path(const char *path, struct adt_raster_info *info, struct adt_error *err)
{
	enum { PREFIX = 65536 };
	unsigned char *head = malloc(PREFIX);
	ssize_t got = -1;
	char *buf;
	size_t len;
	int fd = head ? open(path, O_RDONLY) : -1, ret;

	if (fd >= 0) {
		do
			got = pread(fd, head, PREFIX, 0);
		while (got < 0 && errno == EINTR);
		close(fd);
	}
	if (got > 0 && got < PREFIX) { /* the whole file */
		ret = adt_png_probe_mem(head, (size_t)got, NULL, info, err);
		free(head);
		return ret;
	}
	if (got == PREFIX) {
		struct adt_error quiet;

		adt_error_init(&quiet);
		if (adt_png_probe_mem(head, PREFIX, NULL, info, &quiet) == 0) {
			free(head);
			return 0;
		}
	}
	free(head);
	if (adt_slurp_file(path, &buf, &len, err))
		return -1;
	ret = adt_png_probe_mem(buf, len, NULL, info, err);
	free(buf);
	return ret;
}

int adt_image_probe_file(const char *path, enum adt_imgfmt fmt, struct adt_raster_info *info,
			 struct adt_error *err)
{
	struct adt_raster r;
	struct adt_npy_header h;
	int fd, ret;

	switch (fmt) {
	case ADT_IMG_TIFF:
		return adt_tiff_probe_file(path, info, err);
	case ADT_IMG_NPY:
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return adt_error_set(err, ADT_EIO, "cannot open: %s", strerror(errno));
		ret = npy_header_of_fd(fd, &h, err);
		close(fd);
		if (ret == 0)
			*info = h.info;
		return ret;
	case ADT_IMG_PNG:
		return png_probe_path(path, info, err);
	case ADT_IMG_CSV:
	case ADT_IMG_JSON:
		adt_raster_init(&r);
		ret = read_text(path, fmt, NULL, &r, err);
		if (ret == 0)
			*info = (struct adt_raster_info){r.width, r.height, 1, r.sample};
		adt_raster_release(&r);
		return ret;
	case ADT_IMG_NONE:
		break;
	}
	return adt_error_set(err, ADT_EDATA, "not a map or mask format");
}

int adt_image_read_file(const char *path, enum adt_imgfmt fmt, uint64_t index,
			const struct adt_decode_opts *o, struct adt_raster *out,
			struct adt_error *err)
{
	struct adt_npy_header h;
	char *buf;
	size_t len;
	int fd, ret;

	switch (fmt) {
	case ADT_IMG_TIFF:
		return adt_tiff_read_file(path, index, o, out, err);
	case ADT_IMG_NPY:
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return adt_error_set(err, ADT_EIO, "cannot open: %s", strerror(errno));
		ret = npy_header_of_fd(fd, &h, err);
		if (ret == 0)
			ret = adt_npy_read_fd(fd, &h, NULL, index, o, out, err);
		close(fd);
		return ret;
	case ADT_IMG_PNG:
		if (adt_slurp_file(path, &buf, &len, err))
			return -1;
		ret = adt_png_read_mem(buf, len, NULL, o, out, err);
		free(buf);
		return ret;
	case ADT_IMG_CSV:
	case ADT_IMG_JSON:
		return read_text(path, fmt, o, out, err);
	case ADT_IMG_NONE:
		break;
	}
	return adt_error_set(err, ADT_EDATA, "not a map or mask format");
}

void adt_image_cursor_init(struct adt_image_cursor *c)
{
	memset(c, 0, sizeof(*c));
}

void adt_image_cursor_release(struct adt_image_cursor *c)
{
	adt_tiff_file_close(c->tiff);
	free(c->path);
	adt_image_cursor_init(c);
}

int adt_image_cursor_read(struct adt_image_cursor *c, const char *path, enum adt_imgfmt fmt,
			  uint64_t index, const struct adt_decode_opts *o, struct adt_raster *out,
			  struct adt_error *err)
{
	uint64_t max_pixels = o ? o->max_pixels : 0;

	if (fmt != ADT_IMG_TIFF)
		return adt_image_read_file(path, fmt, index, o, out, err);
	if (c->tiff && (strcmp(c->path, path) != 0 || c->max_pixels != max_pixels))
		adt_image_cursor_release(c);
	if (!c->tiff) {
		c->path = strdup(path);
		if (!c->path)
			return adt_error_set(err, ADT_ENOMEM, "out of memory");
		if (adt_tiff_file_open(path, o, &c->tiff, err)) {
			adt_image_cursor_release(c);
			return -1;
		}
		c->max_pixels = max_pixels;
	}
	if (adt_tiff_file_read(c->tiff, index, o, out, err)) {
		adt_image_cursor_release(c);
		return -1;
	}
	return 0;
}

/* Decoders of map and mask files, each on a buffer in memory (for tests and
 * fuzzing) and each behind one wrapper file: read_png.c (libpng),
 * read_tiff.c (libtiff), read_npy.c (hand-written).
 *
 * Common contract: name is used in messages only.  *_probe_mem reads the
 * header and fills info without decoding pixels.  *_read_mem decodes image
 * `index` (0 for PNG and TIFF) into out, reusing its buffer.  Both return 0,
 * or -1 with err (ADT_EFORMAT for corrupt or truncated data, ADT_EDATA for
 * unsupported sample formats or sizes over the limit, ADT_ENOMEM), and
 * never print.  Size limits in o are checked before any allocation. */
#ifndef ADTHRESH_IMAGE_FORMATS_H
#define ADTHRESH_IMAGE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/raster.h"

/* PNG: 8/16-bit grayscale, palette, gray+alpha, RGB(A).  As a map: gray
 * only (U8 or U16 samples; alpha, if any, is an error).  As a mask: one U8
 * sample per pixel, 1 where any colour channel (palette entries expanded,
 * alpha ignored) is nonzero, else 0. */
int adt_png_probe_mem(const void *buf, size_t len, const char *name, struct adt_raster_info *info,
		      struct adt_error *err);
int adt_png_read_mem(const void *buf, size_t len, const char *name, const struct adt_decode_opts *o,
		     struct adt_raster *out, struct adt_error *err);

/* TIFF: one sample per pixel; IEEE float of 16, 32 or 64 bits, unsigned
 * integers of 8 or 16 bits (and 32), strips or tiles, any compression
 * libtiff decodes.  Only the first directory (page) is read. */
int adt_tiff_probe_mem(const void *buf, size_t len, const char *name, struct adt_raster_info *info,
		       struct adt_error *err);
int adt_tiff_read_mem(const void *buf, size_t len, const char *name,
		      const struct adt_decode_opts *o, struct adt_raster *out,
		      struct adt_error *err);
/* The same on a file by path: libtiff reads only what it needs. */
int adt_tiff_probe_file(const char *path, struct adt_raster_info *info, struct adt_error *err);
int adt_tiff_read_file(const char *path, const struct adt_decode_opts *o, struct adt_raster *out,
		       struct adt_error *err);

/* NPY (format versions 1, 2 and 3): C order only; shape [H,W], [N,H,W] or
 * [N,1,H,W]; dtypes f2 f4 f8, b1, u1 u2 u4 u8, i1 i2 i4 i8 in either byte
 * order (swapped to native on reading). */
struct adt_npy_header {
	struct adt_raster_info info;
	int swap;	      /* data is in the other byte order */
	uint64_t data_offset; /* where the array data starts */
};

/* Parses the header at the start of buf (len: what is available, at least
 * the header) and checks that the file of file_size bytes holds exactly
 * the data the header announces ("truncated: ..." otherwise). */
int adt_npy_parse_header(const void *buf, size_t len, uint64_t file_size, const char *name,
			 struct adt_npy_header *h, struct adt_error *err);
/* Decodes image index of a whole NPY file held in buf.  A bool byte other
 * than 0 or 1 is ADT_EFORMAT "invalid bool value 2 in NPY data at pixel
 * (X, Y)"; the caller names the image of a stack. */
int adt_npy_read_mem(const void *buf, size_t len, const char *name, uint64_t index,
		     const struct adt_decode_opts *o, struct adt_raster *out,
		     struct adt_error *err);
/* The same on an open file descriptor, reading only that image (pread). */
int adt_npy_read_fd(int fd, const struct adt_npy_header *h, const char *name, uint64_t index,
		    const struct adt_decode_opts *o, struct adt_raster *out, struct adt_error *err);

/* Text matrices, parsed to F64 samples: a CSV/TSV matrix (one image row
 * per line, numbers separated by ',', ';', tab or blanks; every row the
 * same length) in read_matrix.c, or a JSON 2-D array of numbers in
 * read_doc.c.  Errors carry the line. */
int adt_matrix_csv_read_mem(const void *buf, size_t len, const char *name,
			    const struct adt_decode_opts *o, struct adt_raster *out,
			    struct adt_error *err);
int adt_matrix_json_read_mem(const void *buf, size_t len, const char *name,
			     const struct adt_decode_opts *o, struct adt_raster *out,
			     struct adt_error *err);

/* One image of a JSON results document. */
struct adt_doc_image {
	char *id;		/* "image_path" (or another id key), or NULL */
	struct adt_raster map;	/* "anomaly_map": F64 samples */
	struct adt_raster mask; /* "gt_mask": F64 samples; width 0 when absent */
	double score;		/* "pred_score", when has_score */
	int has_score;
	int label; /* "gt_label" (0 or 1), when has_label */
	int has_label;
	unsigned long line; /* where the image's object starts */
};

/* A JSON document of per-image objects (an array of them, or JSON Lines):
 * [{"image_path": "...", "anomaly_map": [[...]], "gt_mask": [[...]],
 *   "pred_score": 0.7, "gt_label": 1}, ...]. */
struct adt_doc {
	struct adt_doc_image *images;
	size_t n;
};

/* Parses such a document (in read_doc.c).  Returns 0, or -1 with err at
 * the line; doc is empty on error. */
int adt_doc_json_read_mem(const void *buf, size_t len, const char *name,
			  const struct adt_decode_opts *o, struct adt_doc *doc,
			  struct adt_error *err);

/* Frees everything doc owns. */
void adt_doc_release(struct adt_doc *doc);

#endif

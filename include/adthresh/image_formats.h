/* Decoders of map and mask files, each on a buffer in memory (for tests and
 * fuzzing) and each behind one wrapper file: read_png.c (libpng),
 * read_tiff.c (libtiff), read_npy.c (hand-written).
 *
 * Common contract: name is used in messages only.  *_probe_mem reads the
 * header and fills info without decoding pixels.  *_read_mem decodes image
 * `index` (0 for PNG) into out, reusing its buffer.  Both return 0,
 * or -1 with err (ADT_EFORMAT for corrupt or truncated data, ADT_EDATA for
 * unsupported sample formats or sizes over the limit, ADT_ENOMEM), and
 * never print.  Size limits in o are checked before any allocation. */
#ifndef ADTHRESH_IMAGE_FORMATS_H
#define ADTHRESH_IMAGE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/raster.h"

/* The versions of the decoding libraries loaded at run time, as numbers
 * ("1.6.39", "4.5.0"): png_get_libpng_ver for libpng; for libtiff, what
 * follows "Version " on the first line of TIFFGetVersion (that whole line
 * if it has no such word).  Written into buf, truncated to size - 1
 * bytes; size must be at least 1. */
void adt_png_library_version(char *buf, size_t size);
void adt_tiff_library_version(char *buf, size_t size);

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
 * libtiff decodes.  Each page (directory) is one image: a file of N pages
 * is a stack [N,H,W] (info->count = N), image i its page i + 1.
 *
 * The probes read every directory and no pixels.  Besides the messages
 * of libtiff ("corrupt TIFF: ..."), errors are, ADT_EFORMAT:
 *   "not a TIFF file", "truncated TIFF data: the file ends in its header",
 *   "corrupt TIFF: bad BigTIFF header", "corrupt TIFF: no image directory",
 *   "corrupt TIFF: bad directory offset N", "truncated TIFF data: the
 *   directory at byte N is past the end of the N-byte file",
 *   "corrupt TIFF: no image width or length";
 * ADT_EDATA:
 *   "TIFF with N samples per pixel is not supported (expected one
 *   channel)", "TIFF palette images are not supported (expected one gray
 *   channel)", "unsupported TIFF sample format: 12-bit unsigned integer",
 *   the size errors of adt_raster_check_size;
 *   "page 3 is 8x9 pixels but page 1 is 8x8 (the pages of a TIFF are the
 *   images of one stack: one size, one sample type)",
 *   "page 2 holds float64 samples but page 1 float32 (...the same...)".
 * An error met on a later page starts "page N: ".
 *
 * Decoding checks every strip or tile of the page before it decodes one:
 *   "truncated TIFF data: strip 2 ends at byte N, past the end of the
 *   N-byte file" (ADT_EFORMAT, and so are the next three);
 *   "corrupt TIFF: W" where W is a warning of libtiff that means the pixels
 *   are not the ones the tags describe (an offset or byte count table of
 *   the wrong length or type, a tag that shapes the pixels unreadable,
 *   byte counts libtiff would guess), cut before libtiff's way round it:
 *   "corrupt TIFF: TIFFFetchStripThing: Incorrect count for
 *   \"StripOffsets\"";
 *   "corrupt TIFF: strip 1 starts at byte 0, inside the 8-byte header";
 *   "corrupt TIFF: the page has 3 strips but its tags place only 2";
 * then the decoding errors: "corrupt TIFF: strip 0: <libtiff's message>",
 * "truncated TIFF data: strip 0 holds N of N bytes", "TIFF strip of N
 * bytes is too large", "TIFF tile of WxH pixels is too large for an image
 * of WxH pixels" (ADT_EDATA), "out of memory for a TIFF strip of N bytes"
 * (ADT_ENOMEM).  An index past the last page is ADT_EDATA "image index 4
 * is out of range: the TIFF file holds 4 pages". */
int adt_tiff_probe_mem(const void *buf, size_t len, const char *name, struct adt_raster_info *info,
		       struct adt_error *err);
int adt_tiff_read_mem(const void *buf, size_t len, const char *name, uint64_t index,
		      const struct adt_decode_opts *o, struct adt_raster *out,
		      struct adt_error *err);
/* The same on a file by path: libtiff reads only what it needs.  Errors
 * opening the file are ADT_EIO "cannot open: <reason>" or "cannot read:
 * <reason>". */
int adt_tiff_probe_file(const char *path, struct adt_raster_info *info, struct adt_error *err);
int adt_tiff_read_file(const char *path, uint64_t index, const struct adt_decode_opts *o,
		       struct adt_raster *out, struct adt_error *err);

/* A TIFF file kept open to read its pages one after another: reading page
 * i after page j < i reads the directories between them only, where
 * adt_tiff_read_file walks from the first page each time (a stack of N
 * pages read page by page would cost N^2 / 2 directory reads).  Going back
 * starts over from the first page.  o at opening bounds libtiff's own
 * allocations as its max_pixels does for adt_tiff_read_file (NULL: no
 * limit); each read checks its own o.  Errors as adt_tiff_read_file's;
 * after one, the file can only be closed.  adt_tiff_file_close(NULL) is
 * fine. */
struct adt_tiff_file;
int adt_tiff_file_open(const char *path, const struct adt_decode_opts *o, struct adt_tiff_file **tf,
		       struct adt_error *err);
int adt_tiff_file_read(struct adt_tiff_file *tf, uint64_t index, const struct adt_decode_opts *o,
		       struct adt_raster *out, struct adt_error *err);
void adt_tiff_file_close(struct adt_tiff_file *tf);

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

/* The folder rule of adt_dataset_pair for a parsed document: every image
 * that is not known to be normal has a mask.  Known normal: gt_label 0
 * (in whatever folder; a gt_label decides where there is one), or, with
 * no gt_label, an image_path whose parent folder is named good, ok or
 * normal (adt_label_from_path).  So an image needs a mask when it has
 * gt_label 1, or no gt_label and an image_path in any other folder, or
 * neither a gt_label nor a folder in an image_path.  A null gt_mask is
 * no mask.  Returns 0, or -1 with ADT_EDATA at the line of the first
 * image without the mask it needs, element numbers counting from 1 in
 * document order (also in JSON Lines), the image_path quoted when there
 * is one (at most 60 bytes of it):
 *   "element 2 ('test/crack/001.png'): no gt_mask for an image labelled
 *    anomalous (a missing or null mask would count every pixel normal)",
 *   "element 2 ('test/crack/001.png'): no gt_mask for an image without a
 *    gt_label outside a folder named good, ok or normal (give its mask,
 *    or gt_label 0 if it is normal)",
 *   "element 2: no gt_mask, and neither a gt_label nor a folder in
 *    image_path says the image is normal (give its mask, or gt_label 0
 *    if it is normal)". */
int adt_doc_check_masks(const struct adt_doc *doc, const char *name, struct adt_error *err);

/* Frees everything doc owns. */
void adt_doc_release(struct adt_doc *doc);

#endif

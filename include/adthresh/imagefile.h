/* Map and mask files by path: the format from the extension, then the
 * decoder of that format (see image_formats.h). */
#ifndef ADTHRESH_IMAGEFILE_H
#define ADTHRESH_IMAGEFILE_H

#include <stdint.h>

#include "adthresh/error.h"
#include "adthresh/raster.h"

enum adt_imgfmt {
	ADT_IMG_NONE = 0,
	ADT_IMG_PNG,  /* .png */
	ADT_IMG_TIFF, /* .tif .tiff */
	ADT_IMG_NPY,  /* .npy */
	ADT_IMG_CSV,  /* .csv .tsv .txt: a matrix, one image row per line */
	ADT_IMG_JSON  /* .json: a 2-D array of numbers */
};

/* The format of a file by its extension (case-insensitive); ADT_IMG_NONE
 * for anything else. */
enum adt_imgfmt adt_imgfmt_of_path(const char *path);

/* What a file of the format holds several of, for messages: "pages" for
 * TIFF, "images" for the others. */
const char *adt_imgfmt_images(enum adt_imgfmt fmt);

/* Reads the header of the file at path.  Errors name no file (the caller
 * adds it): ADT_EIO "cannot open: ...", or the decoder's error. */
int adt_image_probe_file(const char *path, enum adt_imgfmt fmt, struct adt_raster_info *info,
			 struct adt_error *err);

/* Decodes image `index` of the file at path into out (reusing its
 * buffer): the image of a stacked NPY, the page of a TIFF (index from 0),
 * 0 for the other formats. */
int adt_image_read_file(const char *path, enum adt_imgfmt fmt, uint64_t index,
			const struct adt_decode_opts *o, struct adt_raster *out,
			struct adt_error *err);

struct adt_tiff_file;

/* The file one thread read last, kept open: reading the pages of a
 * multi-page TIFF in increasing order through one cursor reads each of
 * its directories once (see adt_tiff_file_open), where a fresh
 * adt_image_read_file per page would walk them from the first.  Other
 * formats are opened for each read.  A cursor is not shared between
 * threads. */
struct adt_image_cursor {
	char *path;	     /* the TIFF held open, or NULL */
	uint64_t max_pixels; /* the limit it was opened with */
	struct adt_tiff_file *tiff;
};

/* Makes c empty.  Allocates nothing. */
void adt_image_cursor_init(struct adt_image_cursor *c);
/* Closes what c holds open and makes it empty. */
void adt_image_cursor_release(struct adt_image_cursor *c);
/* As adt_image_read_file, keeping a TIFF open in c for the next read (of
 * the same file, with the same limit; another file closes it).  After an
 * error c holds nothing.  Errors as adt_image_read_file's, and ADT_ENOMEM
 * "out of memory". */
int adt_image_cursor_read(struct adt_image_cursor *c, const char *path, enum adt_imgfmt fmt,
			  uint64_t index, const struct adt_decode_opts *o, struct adt_raster *out,
			  struct adt_error *err);

/* Reads a whole file into *buf (owned by the caller, NUL-terminated for
 * convenience, *len without the NUL).  Returns 0 or -1 with ADT_EIO or
 * ADT_ENOMEM (no file name in err). */
int adt_slurp_file(const char *path, char **buf, size_t *len, struct adt_error *err);

#endif

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

/* Reads the header of the file at path.  Errors name no file (the caller
 * adds it): ADT_EIO "cannot open: ...", or the decoder's error. */
int adt_image_probe_file(const char *path, enum adt_imgfmt fmt, struct adt_raster_info *info,
			 struct adt_error *err);

/* Decodes image `index` of the file at path into out (reusing its
 * buffer). */
int adt_image_read_file(const char *path, enum adt_imgfmt fmt, uint64_t index,
			const struct adt_decode_opts *o, struct adt_raster *out,
			struct adt_error *err);

/* Reads a whole file into *buf (owned by the caller, NUL-terminated for
 * convenience, *len without the NUL).  Returns 0 or -1 with ADT_EIO or
 * ADT_ENOMEM (no file name in err). */
int adt_slurp_file(const char *path, char **buf, size_t *len, struct adt_error *err);

#endif

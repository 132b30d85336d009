/* The version of adthresh and of the libraries it is linked with. */
#ifndef ADTHRESH_VERSION_H
#define ADTHRESH_VERSION_H

#include <stddef.h>

#define ADTHRESH_VERSION "0.1.0"

/* Enough for the libraries' line. */
enum { ADT_VERSION_LIBRARIES_SIZE = 256 };

/* Writes the libraries libadthresh uses and their versions into buf, as
 * `--version` prints them: "libcsv 3.0.3, cJSON 1.7.15, libpng 1.6.39,
 * libtiff 4.5.0".  libcsv's is the version it was compiled with (it has
 * no run-time query; a name alone when csv.h does not tell it), the
 * others' those of the libraries loaded.  Truncated to size - 1 bytes;
 * size must be at least 1. */
void adt_version_libraries(char *buf, size_t size);

#endif

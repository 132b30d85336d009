/* The libraries line of --version.  Each library's version comes from
 * the one wrapper file that includes its header; a library is added here
 * with its wrapper's function. */
#include "adthresh/version.h"

#include <stdio.h>
#include <string.h>

#include "adthresh/image_formats.h"
#include "adthresh/json.h"
#include "adthresh/plot.h"
#include "adthresh/score_formats.h"

static const struct library {
	const char *name;
	void (*version)(char *buf, size_t size);
} libraries[] = {
    {"libcsv", adt_csv_library_version},
    {"cJSON", adt_json_library_version},
    {"libpng", adt_png_library_version},
    {"libtiff", adt_tiff_library_version},
    {"cairo", adt_cairo_library_version},
};

void adt_version_libraries(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++) {
		char v[64];
		int n;

		libraries[i].version(v, sizeof(v));
		n = snprintf(buf + used, size - used, "%s%s%s%s", i ? ", " : "", libraries[i].name,
			     v[0] ? " " : "", v);
		if (n < 0 || (size_t)n >= size - used)
			return; /* truncated: buf is full */
		used += (size_t)n;
	}
}

/* Fuzzes the JSON matrix reader (adt_matrix_json_read_mem): a 2-D array
 * of numbers, with the options and checks of fuzz_matrix_csv.c. */
#define FUZZ_MATRIX_READER adt_matrix_json_read_mem
#define FUZZ_MATRIX_NAME   "map.json"

#include "fuzz_matrix_csv.c"

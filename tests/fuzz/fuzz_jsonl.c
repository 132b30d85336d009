/* Fuzzes the JSON Lines score reader (adt_read_jsonl_mem): one object
 * per line, with the options of fuzz_json.c. */
#define FUZZ_JSON_READER adt_read_jsonl_mem
#define FUZZ_JSON_FORMAT ADT_FMT_JSONL
#define FUZZ_JSON_NAME	 "scores.jsonl"

#include "fuzz_json.c"

/* Unit tests for the NPY reader: one table row per file, each decoded both
 * from memory (adt_npy_read_mem) and from a temporary file (parse_header
 * then adt_npy_read_fd), which must agree.  Header texts are what numpy
 * 1.24 writes (np.save, and np.lib.format.write_array with version (2, 0)
 * and (3, 0)), plus the quirks of other writers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adthresh/error.h"
#include "adthresh/image_formats.h"
#include "adthresh/raster.h"

#include "test_list.h"

#define MAXV 8

#define DTYPE_HINT " (expected float16/32/64, bool or an integer type)"
#define SHAPE_HINT ": expected (H, W), (N, H, W) or (N, 1, H, W)"

/* The dict numpy writes for descr d and shape s. */
#define DICT(d, s) "{'descr': '" d "', 'fortran_order': False, 'shape': " s ", }"
/* Data bytes, or a whole file, as a string literal with its length. */
#define DATA(s) .data = s, .data_len = sizeof(s) - 1
#define RAW(s)	.raw = s, .raw_len = sizeof(s) - 1

struct npy_case {
	const char *name;
	/* The file: magic, version major.0, header length, the dict padded
	 * with spaces and '\n' to a multiple of 64 as numpy does (exact:
	 * the dict as given, nothing added), then the data.  raw, when set,
	 * is the whole file instead. */
	int major;
	const char *dict;
	int exact;
	const char *data;
	size_t data_len;
	const char *raw;
	size_t raw_len;
	/* What to read. */
	uint64_t index, max_pixels;
	/* Success: the header and the samples, each as its bit pattern in
	 * native order (float 1.5 is 0x3FC00000, int8 -1 is 0xFF). */
	uint64_t w, h, count, offset;
	enum adt_sample sample;
	int swap;
	uint64_t want[MAXV];
	/* Failure, when code != ADT_EOK. */
	enum adt_errcode code;
	const char *msg;
};

/* Two samples of each type, in both byte orders. */
#define F2_LE  "\x00\x3c\x00\xc0" /* 1.0, -2.0 */
#define F2_BE  "\x3c\x00\xc0\x00"
#define F4_LE  "\x00\x00\xc0\x3f\x00\x00\x80\xbe" /* 1.5, -0.25 */
#define F4_BE  "\x3f\xc0\x00\x00\xbe\x80\x00\x00"
#define F8_LE  "\x00\x00\x00\x00\x00\x00\xf8\x3f\x00\x00\x00\x00\x00\x00\xd0\xbf"
#define F8_BE  "\x3f\xf8\x00\x00\x00\x00\x00\x00\xbf\xd0\x00\x00\x00\x00\x00\x00"
#define U2_LE  "\x02\x01\xfe\xff" /* 0x0102, 0xFFFE (int16 -2) */
#define U2_BE  "\x01\x02\xff\xfe"
#define U4_LE  "\x04\x03\x02\x01\xfe\xff\xff\xff"
#define U4_BE  "\x01\x02\x03\x04\xff\xff\xff\xfe"
#define U8_LE  "\x08\x07\x06\x05\x04\x03\x02\x01\xfe\xff\xff\xff\xff\xff\xff\xff"
#define U8_BE  "\x01\x02\x03\x04\x05\x06\x07\x08\xff\xff\xff\xff\xff\xff\xff\xfe"
#define F4_1x3 "\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40" /* 1, 2, 3 */
#define F4_2x3 F4_1x3 "\x00\x00\x80\x40\x00\x00\xa0\x40\x00\x00\xc0\x40"

#define WANT_F2                                                                                    \
	{                                                                                          \
		0x3C00, 0xC000                                                                     \
	}
#define WANT_F4                                                                                    \
	{                                                                                          \
		0x3FC00000, 0xBE800000                                                             \
	}
#define WANT_F8                                                                                    \
	{                                                                                          \
		0x3FF8000000000000, 0xBFD0000000000000                                             \
	}
#define WANT_U2                                                                                    \
	{                                                                                          \
		0x0102, 0xFFFE                                                                     \
	}
#define WANT_U4                                                                                    \
	{                                                                                          \
		0x01020304, 0xFFFFFFFE                                                             \
	}
#define WANT_U8                                                                                    \
	{                                                                                          \
		0x0102030405060708, 0xFFFFFFFFFFFFFFFE                                             \
	}
#define WANT_F4_2x3                                                                                \
	{                                                                                          \
		0x3F800000, 0x40000000, 0x40400000, 0x40800000, 0x40A00000, 0x40C00000             \
	}

/* A 1x2 image of dtype d from file bytes b, read as sample s. */
#define TYPE(d, b, s, sw, ...)                                                                     \
	{                                                                                          \
		.name = "dtype " d, .major = 1, .dict = DICT(d, "(1, 2)"), DATA(b), .w = 2,        \
		.h = 1, .count = 1, .offset = 128, .sample = s, .swap = sw, .want = __VA_ARGS__    \
	}

/* A header that fails with message m (code c). */
#define BAD(n, c, d, m)                                                                            \
	{                                                                                          \
		.name = n, .major = 1, .dict = d, .code = c, .msg = m                              \
	}

static const struct npy_case cases[] = {
    /* Every dtype, both byte orders. */
    TYPE("<f2", F2_LE, ADT_SAMPLE_F16, 0, WANT_F2),
    TYPE(">f2", F2_BE, ADT_SAMPLE_F16, 1, WANT_F2),
    TYPE("<f4", F4_LE, ADT_SAMPLE_F32, 0, WANT_F4),
    TYPE(">f4", F4_BE, ADT_SAMPLE_F32, 1, WANT_F4),
    TYPE("<f8", F8_LE, ADT_SAMPLE_F64, 0, WANT_F8),
    TYPE(">f8", F8_BE, ADT_SAMPLE_F64, 1, WANT_F8),
    TYPE("|b1", "\x01\x00", ADT_SAMPLE_BOOL, 0, {1, 0}),
    TYPE("|u1", "\x00\xff", ADT_SAMPLE_U8, 0, {0, 0xFF}),
    TYPE("<u2", U2_LE, ADT_SAMPLE_U16, 0, WANT_U2),
    TYPE(">u2", U2_BE, ADT_SAMPLE_U16, 1, WANT_U2),
    TYPE("<u4", U4_LE, ADT_SAMPLE_U32, 0, WANT_U4),
    TYPE(">u4", U4_BE, ADT_SAMPLE_U32, 1, WANT_U4),
    TYPE("<u8", U8_LE, ADT_SAMPLE_U64, 0, WANT_U8),
    TYPE(">u8", U8_BE, ADT_SAMPLE_U64, 1, WANT_U8),
    TYPE("|i1", "\xff\x7f", ADT_SAMPLE_I8, 0, {0xFF, 0x7F}),
    TYPE("<i2", U2_LE, ADT_SAMPLE_I16, 0, WANT_U2),
    TYPE(">i2", U2_BE, ADT_SAMPLE_I16, 1, WANT_U2),
    TYPE("<i4", U4_LE, ADT_SAMPLE_I32, 0, WANT_U4),
    TYPE(">i4", U4_BE, ADT_SAMPLE_I32, 1, WANT_U4),
    TYPE("<i8", U8_LE, ADT_SAMPLE_I64, 0, WANT_U8),
    TYPE(">i8", U8_BE, ADT_SAMPLE_I64, 1, WANT_U8),
    /* '=' is native order; '|' on a wider type is native too (numpy). */
    TYPE("=f4", F4_LE, ADT_SAMPLE_F32, 0, WANT_F4),
    TYPE("|f4", F4_LE, ADT_SAMPLE_F32, 0, WANT_F4),
    /* Byte order does not matter for one-byte types. */
    TYPE("<u1", "\x00\xff", ADT_SAMPLE_U8, 0, {0, 0xFF}),

    /* Versions, as numpy writes them. */
    {.name = "v1 (H, W) f4",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3),
     .w = 3,
     .h = 2,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4_2x3},
    {.name = "v2 (H, W) f4",
     .major = 2,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3),
     .w = 3,
     .h = 2,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4_2x3},
    {.name = "v3 (H, W) f8",
     .major = 3,
     .dict = DICT("<f8", "(1, 2)"),
     DATA(F8_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F64,
     .want = WANT_F8},
    {.name = "v3 big-endian u2",
     .major = 3,
     .dict = DICT(">u2", "(2, 1)"),
     DATA(U2_BE),
     .w = 1,
     .h = 2,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_U16,
     .swap = 1,
     .want = WANT_U2},

    /* Shapes and stacks. */
    {.name = "(N, H, W) first",
     .major = 1,
     .dict = DICT("<f4", "(2, 1, 3)"),
     DATA(F4_2x3),
     .w = 3,
     .h = 1,
     .count = 2,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = {0x3F800000, 0x40000000, 0x40400000}},
    {.name = "(N, H, W) last",
     .major = 1,
     .dict = DICT("<f4", "(2, 1, 3)"),
     DATA(F4_2x3),
     .index = 1,
     .w = 3,
     .h = 1,
     .count = 2,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = {0x40800000, 0x40A00000, 0x40C00000}},
    {.name = "(N, H, W) big-endian middle",
     .major = 1,
     .dict = DICT(">u2", "(3, 1, 1)"),
     DATA("\x00\x01\x01\x02\xff\xfe"),
     .index = 1,
     .w = 1,
     .h = 1,
     .count = 3,
     .offset = 128,
     .sample = ADT_SAMPLE_U16,
     .swap = 1,
     .want = {0x0102}},
    {.name = "(N, 1, H, W) last",
     .major = 1,
     .dict = DICT("<f4", "(3, 1, 1, 2)"),
     DATA(F4_2x3),
     .index = 2,
     .w = 2,
     .h = 1,
     .count = 3,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = {0x40A00000, 0x40C00000}},
    {.name = "(1, H, W)",
     .major = 1,
     .dict = DICT("<f4", "(1, 2, 3)"),
     DATA(F4_2x3),
     .w = 3,
     .h = 2,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4_2x3},
    {.name = "(N, 1, H, W) of bool",
     .major = 1,
     .dict = DICT("|b1", "(2, 1, 2, 3)"),
     DATA("\x00\x01\x01\x00\x00\x01"
	  "\x01\x01\x00\x00\x01\x00"),
     .index = 1,
     .w = 3,
     .h = 2,
     .count = 2,
     .offset = 128,
     .sample = ADT_SAMPLE_BOOL,
     .want = {1, 1, 0, 0, 1, 0}},

    /* Header quirks of other writers. */
    {.name = "double quotes, no trailing comma",
     .major = 1,
     .dict = "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}",
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "keys in another order",
     .major = 1,
     .dict = "{'shape': (1, 2), 'fortran_order': False, 'descr': '>f4'}",
     DATA(F4_BE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .swap = 1,
     .want = WANT_F4},
    {.name = "whitespace between every token",
     .major = 1,
     .dict = "  {\t'descr' :'<f4' ,\n 'fortran_order'  :  False ,'shape':( 1 ,2 , ) ,  }",
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "no whitespace at all",
     .major = 1,
     .dict = "{'descr':'<f4','fortran_order':False,'shape':(1,2)}",
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 64,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "Python 2 long suffix",
     .major = 1,
     .dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }",
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "header not aligned to 64",
     .major = 1,
     .dict = DICT("<f4", "(1, 2)") "\n",
     .exact = 1,
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 10 + 60,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "v3 UTF-8 header padding",
     .major = 3,
     .dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }  \n",
     .exact = 1,
     DATA(F4_LE),
     .w = 2,
     .h = 1,
     .count = 1,
     .offset = 12 + 62,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4},
    {.name = "max_pixels at the limit",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3),
     .max_pixels = 6,
     .w = 3,
     .h = 2,
     .count = 1,
     .offset = 128,
     .sample = ADT_SAMPLE_F32,
     .want = WANT_F4_2x3},

    /* Not NPY, or not a version we read. */
    {.name = "empty file", RAW(""), .code = ADT_EFORMAT, .msg = "not an NPY file (it is empty)"},
    {.name = "bad magic",
     RAW("\x93NUMPZ\x01\x00\x76\x00{}"),
     .code = ADT_EFORMAT,
     .msg = "not an NPY file"},
    {.name = "PNG signature",
     RAW("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
     .code = ADT_EFORMAT,
     .msg = "not an NPY file"},
    {.name = "short magic",
     RAW("\x93NUM"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY header: expected at least 10 bytes, found 4"},
    {.name = "version 4",
     RAW("\x93NUMPY\x04\x00\x76\x00{}"),
     .code = ADT_EFORMAT,
     .msg = "unsupported NPY format version 4.0"},
    {.name = "version 1.1",
     RAW("\x93NUMPY\x01\x01\x76\x00{}"),
     .code = ADT_EFORMAT,
     .msg = "unsupported NPY format version 1.1"},
    {.name = "version 0",
     RAW("\x93NUMPY\x00\x00\x76\x00{}"),
     .code = ADT_EFORMAT,
     .msg = "unsupported NPY format version 0.0"},

    /* Header length and termination. */
    {.name = "truncated v1 length",
     RAW("\x93NUMPY\x01\x00\x76"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY header: expected at least 10 bytes, found 9"},
    {.name = "truncated v2 length",
     RAW("\x93NUMPY\x02\x00\x74\x00"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY header: expected at least 12 bytes, found 10"},
    {.name = "truncated header",
     RAW("\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fo"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY header: expected 128 bytes, found 30"},
    {.name = "truncated v2 header",
     RAW("\x93NUMPY\x02\x00\x00\x00\x01\x00{'descr': '<f4', 'fo"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY header: expected 65548 bytes, found 32"},
    {.name = "header without newline",
     .major = 1,
     .dict = DICT("<f4", "(1, 2)") "   ",
     .exact = 1,
     DATA(F4_LE),
     .code = ADT_EFORMAT,
     .msg = "invalid NPY header: it does not end with a newline"},
    {.name = "newline only inside the header",
     .major = 1,
     .dict = DICT("<f4", "(1, 2)") "\n ",
     .exact = 1,
     DATA(F4_LE),
     .code = ADT_EFORMAT,
     .msg = "invalid NPY header: it does not end with a newline"},
    {.name = "empty header",
     RAW("\x93NUMPY\x01\x00\x00\x00"),
     .code = ADT_EFORMAT,
     .msg = "invalid NPY header: it does not end with a newline"},

    /* The dict. */
    BAD("missing key", ADT_EFORMAT, "{'descr': '<f4', 'shape': (1, 2), }",
	"invalid NPY header: missing key 'fortran_order'"),
    BAD("empty dict", ADT_EFORMAT, "{}", "invalid NPY header: missing key 'descr'"),
    BAD("duplicate key", ADT_EFORMAT,
	"{'descr': '<f4', 'fortran_order': False, 'descr': '<f4', 'shape': (1, 2), }",
	"invalid NPY header: duplicate key 'descr'"),
    BAD("unknown key", ADT_EFORMAT,
	"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), 'extra': 1, }",
	"invalid NPY header: unknown key 'extra'"),
    BAD("key case matters", ADT_EFORMAT, "{'Descr': '<f4', 'fortran_order': False}",
	"invalid NPY header: unknown key 'Descr'"),
    BAD("not a dict", ADT_EFORMAT, "['descr', '<f4']",
	"invalid NPY header: expected '{' at byte 10"),
    BAD("unquoted key", ADT_EFORMAT, "{descr: '<f4'}",
	"invalid NPY header: expected a quoted string at byte 11"),
    BAD("missing colon", ADT_EFORMAT, "{'descr' '<f4'}",
	"invalid NPY header: expected ':' at byte 19"),
    BAD("missing comma", ADT_EFORMAT, "{'descr': '<f4' 'shape': (1, 2)}",
	"invalid NPY header: expected ',' or '}' at byte 26"),
    BAD("double comma", ADT_EFORMAT, "{'descr': '<f4',, 'shape': (1, 2)}",
	"invalid NPY header: expected a quoted string at byte 26"),
    BAD("mismatched quotes", ADT_EFORMAT, "{'descr\": '<f4'}",
	"invalid NPY header: unknown key 'descr\": '"),
    BAD("unterminated string", ADT_EFORMAT, "{'descr': '<f4}",
	"invalid NPY header: expected the end of the string at byte 63"),
    BAD("escape in string", ADT_EFORMAT, "{'descr': '<f\\x34'}",
	"invalid NPY header: expected the end of the string at byte 23"),
    BAD("unclosed dict", ADT_EFORMAT, "{'descr': '<f4', ",
	"invalid NPY header: expected a quoted string at byte 64"),
    BAD("text after the dict", ADT_EFORMAT, DICT("<f4", "(1, 2)") " x",
	"invalid NPY header: expected only spaces after the header dict at byte 70"),
    BAD("descr not a string", ADT_EFORMAT, "{'descr': 4}",
	"invalid NPY header: expected a dtype string for 'descr' at byte 20"),
    BAD("fortran_order lower case", ADT_EFORMAT,
	"{'descr': '<f4', 'fortran_order': false, 'shape': (1, 2), }",
	"invalid NPY header: expected True or False for 'fortran_order' at byte 44"),
    BAD("fortran_order 0", ADT_EFORMAT, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1, 2), }",
	"invalid NPY header: expected True or False for 'fortran_order' at byte 44"),
    BAD("fortran_order Trueish", ADT_EFORMAT,
	"{'descr': '<f4', 'fortran_order': Truely, 'shape': (1, 2), }",
	"invalid NPY header: expected True or False for 'fortran_order' at byte 44"),
    BAD("shape as a list", ADT_EFORMAT, DICT("<f4", "[1, 2]"),
	"invalid NPY header: expected a tuple for 'shape' at byte 60"),
    BAD("shape (5) is not a tuple", ADT_EFORMAT, DICT("<f4", "(5)"),
	"invalid NPY header: expected ',' after the only dimension of 'shape' at byte 62"),
    BAD("negative dimension", ADT_EFORMAT, DICT("<f4", "(-1, 2)"),
	"invalid NPY header: expected a non-negative integer in 'shape' at byte 61"),
    BAD("float dimension", ADT_EFORMAT, DICT("<f4", "(1.0, 2)"),
	"invalid NPY header: expected ',' or ')' in 'shape' at byte 62"),
    BAD("double comma in shape", ADT_EFORMAT, DICT("<f4", "(1,, 2)"),
	"invalid NPY header: expected a non-negative integer in 'shape' at byte 63"),
    BAD("dimension over 64 bits", ADT_EFORMAT, DICT("<f4", "(18446744073709551616, 2)"),
	"invalid NPY header: shape dimension 18446744073709551616 is too large"),
    BAD("non-ASCII in v1", ADT_EFORMAT, "{'descr': '<f4', 'fortran_order': False, 'sh\xc3\xa9'}",
	"invalid NPY header: non-ASCII byte at byte 54 (allowed from format version 3.0)"),

    /* Well-formed, but not something we read. */
    BAD("fortran_order True", ADT_EDATA,
	"{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
	"Fortran-order NPY arrays are not supported (save with C order)"),
    BAD("structured dtype", ADT_EDATA,
	"{'descr': [('a', '<f4'), ('b', '<i2')], 'fortran_order': False, 'shape': (2, 3), }",
	"unsupported NPY dtype [('a', '<f4'), ('b', '<i2')]" DTYPE_HINT),
    {.name = "v3 structured dtype with a UTF-8 name",
     .major = 3,
     .dict = "{'descr': [('\xc3\xa9', '<f4')], 'fortran_order': False, 'shape': (2, 3), }",
     .code = ADT_EDATA,
     .msg = "unsupported NPY dtype [('\xc3\xa9', '<f4')]" DTYPE_HINT},
    BAD("unclosed structured dtype", ADT_EFORMAT, "{'descr': [('a', '<f4'), ",
	"invalid NPY header: expected a closing bracket at byte 64"),
    BAD("complex dtype", ADT_EDATA, DICT("<c8", "(2, 3)"),
	"unsupported NPY dtype '<c8'" DTYPE_HINT),
    BAD("unicode dtype", ADT_EDATA, DICT("<U10", "(2, 3)"),
	"unsupported NPY dtype '<U10'" DTYPE_HINT),
    BAD("object dtype", ADT_EDATA, DICT("|O", "(2, 3)"), "unsupported NPY dtype '|O'" DTYPE_HINT),
    BAD("float128 dtype", ADT_EDATA, DICT("<f16", "(2, 3)"),
	"unsupported NPY dtype '<f16'" DTYPE_HINT),
    BAD("datetime dtype", ADT_EDATA, DICT("<M8[s]", "(2, 3)"),
	"unsupported NPY dtype '<M8[s]'" DTYPE_HINT),
    BAD("dtype without byte order", ADT_EDATA, DICT("f4", "(2, 3)"),
	"unsupported NPY dtype 'f4'" DTYPE_HINT),
    BAD("dtype name", ADT_EDATA, DICT("float32", "(2, 3)"),
	"unsupported NPY dtype 'float32'" DTYPE_HINT),
    BAD("long dtype cut", ADT_EDATA,
	DICT("0123456789012345678901234567890123456789012345678901234567890123456789", "(2, 3)"),
	"unsupported NPY dtype "
	"'012345678901234567890123456789012345678901234567890123456789...'" DTYPE_HINT),
    BAD("0-d shape", ADT_EDATA, DICT("<f4", "()"), "unsupported NPY shape ()" SHAPE_HINT),
    BAD("1-d shape", ADT_EDATA, DICT("<f4", "(5,)"), "unsupported NPY shape (5,)" SHAPE_HINT),
    BAD("4-d with 3 channels", ADT_EDATA, DICT("<f4", "(3, 2, 8, 8)"),
	"unsupported NPY shape (3, 2, 8, 8)" SHAPE_HINT),
    BAD("5-d shape", ADT_EDATA, DICT("<f4", "(1, 1, 1, 2, 3)"),
	"unsupported NPY shape (1, 1, 1, 2, 3)" SHAPE_HINT),
    BAD("zero images", ADT_EDATA, DICT("<f4", "(0, 4, 4)"), "empty NPY array of shape (0, 4, 4)"),
    BAD("zero width", ADT_EDATA, DICT("<f4", "(2, 0)"), "empty NPY array of shape (2, 0)"),
    BAD("shape overflowing 64 bits", ADT_EFORMAT, DICT("<f4", "(4294967296, 4294967296, 2)"),
	"NPY array of shape (4294967296, 4294967296, 2) is too large"),
    BAD("bytes overflowing 64 bits", ADT_EFORMAT, DICT("<f4", "(2147483648, 4294967296)"),
	"NPY array of shape (2147483648, 4294967296) is too large"),

    /* Data size. */
    {.name = "truncated data",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY data: expected 24 bytes of array data, found 20"},
    {.name = "no data",
     .major = 2,
     .dict = DICT("<f8", "(10, 64, 64)"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY data: expected 327680 bytes of array data, found 0"},
    {.name = "trailing bytes",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3 "\0\0\0\0"),
     .code = ADT_EFORMAT,
     .msg = "NPY file has 4 bytes after the array data"},
    {.name = "huge shape, small file",
     .major = 1,
     .dict = DICT("|u1", "(100000, 100000)"),
     DATA("\0"),
     .code = ADT_EFORMAT,
     .msg = "truncated NPY data: expected 10000000000 bytes of array data, found 1"},

    /* What is read. */
    {.name = "index out of range",
     .major = 1,
     .dict = DICT("<f4", "(2, 1, 3)"),
     DATA(F4_2x3),
     .index = 2,
     .code = ADT_EDATA,
     .msg = "image index 2 is out of range: the NPY file holds 2 images"},
    {.name = "index 1 of one image",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3),
     .index = 1,
     .code = ADT_EDATA,
     .msg = "image index 1 is out of range: the NPY file holds 1 image"},
    {.name = "over max_pixels",
     .major = 1,
     .dict = DICT("<f4", "(2, 3)"),
     DATA(F4_2x3),
     .max_pixels = 5,
     .code = ADT_EDATA,
     .msg = "image of 3x2 pixels is over the limit of 5 pixels (--max-pixels)"},
    {.name = "invalid bool byte",
     .major = 1,
     .dict = DICT("|b1", "(2, 3)"),
     DATA("\x00\x01\x01\x00\x02\x01"),
     .code = ADT_EFORMAT,
     .msg = "invalid bool value 2 in NPY data at pixel (1, 1)"},
    {.name = "invalid bool byte in a stack",
     .major = 1,
     .dict = DICT("|b1", "(2, 2, 2)"),
     DATA("\x00\x01\x01\x00"
	  "\x01\x01\x00\xff"),
     .index = 1,
     .code = ADT_EFORMAT,
     .msg = "invalid bool value 255 in NPY data at pixel (1, 1)"},
    {.name = "invalid bool byte in another image",
     .major = 1,
     .dict = DICT("|b1", "(2, 2, 2)"),
     DATA("\x00\x01\x01\x00"
	  "\x01\x01\x00\xff"),
     .w = 2,
     .h = 2,
     .count = 2,
     .offset = 128,
     .sample = ADT_SAMPLE_BOOL,
     .want = {0, 1, 1, 0}},
};

/* The file of case c, in a new buffer. */
static unsigned char *build(const struct npy_case *c, size_t *len)
{
	size_t prefix = c->major == 1 ? 10 : 12, dict, hlen, pad = 0, n;
	unsigned char *b;

	if (c->raw) {
		b = malloc(c->raw_len + 1);
		assert_non_null(b);
		memcpy(b, c->raw, c->raw_len);
		*len = c->raw_len;
		return b;
	}
	dict = strlen(c->dict);
	if (!c->exact)
		pad = (64 - (prefix + dict + 1) % 64) % 64;
	hlen = dict + pad + !c->exact;
	n = prefix + hlen + c->data_len;
	b = malloc(n);
	assert_non_null(b);
	memcpy(b, "\x93NUMPY", 6);
	b[6] = (unsigned char)c->major;
	b[7] = 0;
	b[8] = (unsigned char)hlen;
	b[9] = (unsigned char)(hlen >> 8);
	if (prefix == 12) {
		b[10] = (unsigned char)(hlen >> 16);
		b[11] = (unsigned char)(hlen >> 24);
	}
	memcpy(b + prefix, c->dict, dict);
	memset(b + prefix + dict, ' ', pad);
	if (!c->exact)
		b[prefix + hlen - 1] = '\n';
	if (c->data_len)
		memcpy(b + prefix + hlen, c->data, c->data_len);
	*len = n;
	return b;
}

/* Sample i of r, zero-extended to 64 bits. */
static uint64_t bits_at(const struct adt_raster *r, size_t i)
{
	const unsigned char *p = (const unsigned char *)r->data + i * adt_sample_size(r->sample);
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (adt_sample_size(r->sample)) {
	case 1:
		return *p;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static void check_result(const struct npy_case *c, int rc, const struct adt_error *err,
			 const struct adt_raster *r, const char *how)
{
	size_t i;

	if (c->code != ADT_EOK) {
		if (rc != -1)
			fail_msg("%s: expected an error, got success", how);
		assert_int_equal(err->code, c->code);
		assert_string_equal(err->msg, c->msg);
		assert_string_equal(err->file, "t.npy");
		return;
	}
	if (rc != 0)
		fail_msg("%s: unexpected error: %s", how, err->msg);
	assert_int_equal(r->width, c->w);
	assert_int_equal(r->height, c->h);
	assert_int_equal(r->sample, c->sample);
	for (i = 0; i < c->w * c->h; i++)
		if (bits_at(r, i) != c->want[i])
			fail_msg("%s: sample %zu is %#llx, expected %#llx", how, i,
				 (unsigned long long)bits_at(r, i), (unsigned long long)c->want[i]);
}

/* A temporary file holding len bytes of b; returns its descriptor. */
static int temp_file(const void *b, size_t len)
{
	char path[] = "/tmp/test_read_npy.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	return fd;
}

static void test_case(void **state)
{
	const struct npy_case *c = *state;
	struct adt_decode_opts o = {ADT_AS_MAP, c->max_pixels};
	struct adt_npy_header h;
	struct adt_raster r;
	struct adt_error err;
	size_t len;
	unsigned char *b = build(c, &len);
	int rc, fd;

	/* From memory. */
	adt_raster_init(&r);
	adt_error_init(&err);
	rc = adt_npy_read_mem(b, len, "t.npy", c->index, &o, &r, &err);
	check_result(c, rc, &err, &r, "read_mem");
	adt_raster_release(&r);

	/* The header alone. */
	adt_error_init(&err);
	memset(&h, 0xAB, sizeof(h));
	rc = adt_npy_parse_header(b, len, len, "t.npy", &h, &err);
	if (rc == 0) {
		if (c->code == ADT_EOK) {
			assert_int_equal(h.info.width, c->w);
			assert_int_equal(h.info.height, c->h);
			assert_int_equal(h.info.count, c->count);
			assert_int_equal(h.info.sample, c->sample);
			assert_int_equal(h.swap, c->swap);
			assert_int_equal(h.data_offset, c->offset);
		}
		/* From a file, through the descriptor. */
		fd = temp_file(b, len);
		adt_raster_init(&r);
		adt_error_init(&err);
		rc = adt_npy_read_fd(fd, &h, "t.npy", c->index, &o, &r, &err);
		check_result(c, rc, &err, &r, "read_fd");
		adt_raster_release(&r);
		close(fd);
	} else {
		check_result(c, rc, &err, NULL, "parse_header");
	}
	free(b);
}

/* A file that shrinks after its header was read: read_fd sees EOF. */
static void test_fd_shrunk(void **state)
{
	static const struct npy_case c = {
	    .major = 1, .dict = DICT("<f4", "(2, 1, 3)"), DATA(F4_2x3)};
	struct adt_npy_header h;
	struct adt_raster r;
	struct adt_error err;
	size_t len;
	unsigned char *b = build(&c, &len);
	int fd;

	(void)state;
	adt_error_init(&err);
	assert_int_equal(adt_npy_parse_header(b, len, len, "t.npy", &h, &err), 0);
	fd = temp_file(b, len - 6);
	adt_raster_init(&r);
	assert_int_equal(adt_npy_read_fd(fd, &h, "t.npy", 0, NULL, &r, &err), 0);
	assert_int_equal(bits_at(&r, 2), 0x40400000);
	assert_int_equal(adt_npy_read_fd(fd, &h, "t.npy", 1, NULL, &r, &err), -1);
	assert_int_equal(err.code, ADT_EFORMAT);
	assert_string_equal(err.msg,
			    "truncated NPY data: expected 24 bytes of array data, found 18");
	adt_raster_release(&r);
	close(fd);

	/* A descriptor that cannot be read. */
	adt_raster_init(&r);
	assert_int_equal(adt_npy_read_fd(-1, &h, "t.npy", 0, NULL, &r, &err), -1);
	assert_int_equal(err.code, ADT_EIO);
	assert_string_equal(err.msg, "cannot read NPY data: Bad file descriptor");
	adt_raster_release(&r);
	free(b);
}

/* The caller reads only the start of a file: enough for the header is
 * enough; less is a truncated header. */
static void test_header_prefix(void **state)
{
	static const struct npy_case c = {
	    .major = 2, .dict = DICT(">f8", "(7, 1, 3, 5)"), DATA("")};
	uint64_t file_size = 128 + 7 * 3 * 5 * 8;
	struct adt_npy_header h;
	struct adt_error err;
	size_t len;
	unsigned char *b = build(&c, &len);

	(void)state;
	adt_error_init(&err);
	assert_int_equal(len, 128);
	assert_int_equal(adt_npy_parse_header(b, len, file_size, "t.npy", &h, &err), 0);
	assert_int_equal(h.info.width, 5);
	assert_int_equal(h.info.height, 3);
	assert_int_equal(h.info.count, 7);
	assert_int_equal(h.info.sample, ADT_SAMPLE_F64);
	assert_int_equal(h.swap, 1);
	assert_int_equal(h.data_offset, 128);
	assert_int_equal(adt_npy_parse_header(b, 100, file_size, "t.npy", &h, &err), -1);
	assert_int_equal(err.code, ADT_EFORMAT);
	assert_string_equal(err.msg, "truncated NPY header: expected 128 bytes, found 100");
	/* The file is what counts when it is shorter than the buffer. */
	assert_int_equal(adt_npy_parse_header(b, len, 64, "t.npy", &h, &err), -1);
	assert_string_equal(err.msg, "truncated NPY header: expected 128 bytes, found 64");
	/* err, name and options may be NULL. */
	assert_int_equal(adt_npy_parse_header(b, len, 0, NULL, &h, NULL), -1);
	free(b);
}

/* A stack of 1024x1024 big-endian float64 images: the second one, read
 * from memory and from a file into a reused raster, swapped exactly. */
static void test_large(void **state)
{
	static const struct npy_case c = {
	    .major = 1, .dict = DICT(">f8", "(2, 1024, 1024)"), DATA("")};
	const size_t npix = 1024 * 1024, img = npix * 8;
	struct adt_npy_header h;
	struct adt_raster r, rf;
	struct adt_error err;
	size_t hlen, len, i, k;
	unsigned char *head = build(&c, &hlen), *b;
	uint64_t v;
	double d;
	int fd;

	(void)state;
	len = hlen + 2 * img;
	b = malloc(len);
	assert_non_null(b);
	memcpy(b, head, hlen);
	for (i = 0; i < 2 * npix; i++) {
		d = (double)i * 0.5 - 3.0;
		memcpy(&v, &d, 8);
		for (k = 0; k < 8; k++)
			b[hlen + i * 8 + k] = (unsigned char)(v >> (56 - 8 * k));
	}
	adt_error_init(&err);
	adt_raster_init(&r);
	adt_raster_init(&rf);
	assert_int_equal(adt_npy_read_mem(b, len, "t.npy", 1, NULL, &r, &err), 0);
	assert_int_equal(adt_npy_parse_header(b, hlen, len, "t.npy", &h, &err), 0);
	fd = temp_file(b, len);
	assert_int_equal(adt_npy_read_fd(fd, &h, "t.npy", 1, NULL, &rf, &err), 0);
	close(fd);
	assert_int_equal(r.width, 1024);
	assert_int_equal(rf.height, 1024);
	assert_int_equal(r.sample, ADT_SAMPLE_F64);
	for (i = 0; i < npix; i++) {
		memcpy(&d, (const unsigned char *)r.data + i * 8, 8);
		if (d != (double)(npix + i) * 0.5 - 3.0)
			fail_msg("sample %zu is %.17g", i, d);
	}
	assert_memory_equal(r.data, rf.data, img);
	adt_raster_release(&r);
	adt_raster_release(&rf);
	free(head);
	free(b);
}

/* One raster reused across files of different sizes and types. */
static void test_reuse(void **state)
{
	static const struct npy_case big = {
	    .major = 1, .dict = DICT("<f4", "(2, 3)"), DATA(F4_2x3)};
	static const struct npy_case small = {
	    .major = 1, .dict = DICT("|u1", "(1, 2)"), DATA("\x07\x09")};
	struct adt_raster r;
	struct adt_error err;
	size_t l1, l2;
	unsigned char *b1 = build(&big, &l1), *b2 = build(&small, &l2);
	void *data;

	(void)state;
	adt_error_init(&err);
	adt_raster_init(&r);
	assert_int_equal(adt_npy_read_mem(b1, l1, "a.npy", 0, NULL, &r, &err), 0);
	data = r.data;
	assert_int_equal(adt_npy_read_mem(b2, l2, "b.npy", 0, NULL, &r, NULL), 0);
	assert_ptr_equal(r.data, data);
	assert_int_equal(r.width, 2);
	assert_int_equal(r.sample, ADT_SAMPLE_U8);
	assert_int_equal(bits_at(&r, 1), 9);
	assert_int_equal(adt_npy_read_mem(NULL, 0, "c.npy", 0, NULL, &r, &err), -1);
	assert_string_equal(err.msg, "not an NPY file (it is empty)");
	adt_raster_release(&r);
	free(b1);
	free(b2);
}

int main(void)
{
	struct test_list l = {0};

	TEST_LIST_TABLE(&l, cases, test_case);
	test_list_add(&l, "read_fd on a shrunk file", test_fd_shrunk);
	test_list_add(&l, "header from a prefix of the file", test_header_prefix);
	test_list_add(&l, "large big-endian stack", test_large);
	test_list_add(&l, "raster reuse", test_reuse);
	return test_list_run(&l, "read_npy");
}

"""Writes the seed inputs of the fuzz corpora (tests/fuzz/corpus/<target>/seed-*).

Run from the top of the tree with Debian's /usr/bin/python3 (numpy, Pillow,
tifffile), after `make`: the counts seeds are written by build/adthresh.  Seeds are small valid and invalid examples of each format: files
from tests/cli/inputs/ and data/, generated images, hand-written edge cases.
Targets whose first byte picks options (see each fuzz_<name>.c) get that byte
in front.  The fuzzers add what they find; `-merge=1` keeps the corpora small.
"""
import glob
import io
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import tifffile
from PIL import Image

sys.path.insert(0, "tests/cli/inputs/counts")
import adtc  # noqa: E402

ROOT = "tests/fuzz/corpus"


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def base(p):
    return p.replace("/", "_").replace("tests_cli_inputs_", "").replace("data_", "")


# Score files: CSV and TSV.
CSV_FILES = sorted(glob.glob("tests/cli/inputs/*.csv") + glob.glob("tests/cli/inputs/*.tsv")
                   + ["tests/cli/inputs/noext", "data/scores.csv", "data/bottle/scores.csv"])
CSV_EDGE = {
    "quoted-nl": 'image_path,score,label\n"a\nb.png",0.5,1\n"c,d.png",0.25,0\n',
    "quotes": 'path,score,label\n"x""y",1e-3,good\n"z",  2 ,defect\n',
    "bom-crlf": "\ufeffscore,label\r\n0.1,0\r\n0.9,1\r\n",
    "header-only": "score,label\n",
    "empty": "",
    "nan": "score,label\nnan,1\n0.5,0\n",
    "inf": "score,label\ninf,1\n-inf,0\n",
    "comma-decimal": "score;label\n0,5;1\n0,25;0\n",
    "unknown-labels": "score,label\n0.1,maybe\n0.2,perhaps\n0.3,x\n",
    "ragged": "score,label,id\n0.1,1\n0.2,0,a,b\n",
    "dup-id": "id,score,label\na,0.1,1\na,0.2,0\n",
    "dup-col": "score,score,label\n1,2,1\n",
    "no-label": "image_path,score\ntest/good/000.png,0.1\ntest/crack/000.png,0.9\n",
    "unterminated": 'score,label\n"0.1,1\n',
    "blank-lines": "\n\nscore,label\n\n0.1,1\n\n0.2,0\n",
    "long-field": "score,label\n" + "1" * 300 + ",1\n",
    "tab": "score\tlabel\tpath\n0.1\t0\ta\n0.2\t1\tb\n",
    "words": "anomaly_score,gt_label\n0.1,normal\n0.2,anomalous\n0.3,ok\n0.4,ng\n0.5,TRUE\n",
    "hex": "score,label\n0x1p3,1\n0.5,0\n",
    "numbers": "score,label\n-0,0\n1e308,1\n1e-320,0\n+5.,1\n.5,0\n",
}


def seeds_csv():
    for p in CSV_FILES:
        data = read(p)
        flag = 2 if p.endswith(".tsv") or "tab" in p else (1 if "semicolon" in p else 0)
        put("csv", base(p), bytes([flag]) + data)
        put("scores", base(p), b"\0" + data)
    for k, v in CSV_EDGE.items():
        put("csv", k, b"\0" + v.encode())
        put("scores", k, b"\0" + v.encode())
    put("csv", "positive-defect", b"\x04score,label\n0.1,defect\n0.2,fine\n")
    put("csv", "named-cols", b"\x10path,label,x\na,1,0.5\nb,0,0.25\n")
    put("csv", "verbose-tsv", b"\x68score\tlabel\n0.5\t1\n0.1\t0\n")


JSON_FILES = sorted(glob.glob("tests/cli/inputs/*.json") + ["tests/cli/inputs/array.txt",
                                                             "data/scores.json"])
JSON_EDGE = {
    "array": '[{"score": 0.1, "label": 0, "image_path": "a"}, {"score": 0.9, "label": 1, "image_path": "b"}]',
    "parallel": '{"pred_scores": [0.1, 0.9], "gt_labels": [false, true], "image_paths": ["a", "b"]}',
    "nested": '{"results": [{"score": 1, "label": "good"}]}',
    "empty-array": "[]",
    "empty-object": "{}",
    "nan": '[{"score": NaN, "label": 1}]',
    "big-number": '[{"score": 1e400, "label": 1}]',
    "string-score": '[{"score": "0.5", "label": 1}]',
    "null": '[{"score": null, "label": null}]',
    "escapes": '[{"score": 0.5, "label": 1, "path": "a\\u00e9\\ud83d\\ude00\\n\\"b"}]',
    "bad-escape": '[{"score": 0.5, "label": 1, "path": "\\ud800"}]',
    "deep": "[" * 200 + "]" * 200,
    "trailing": '[{"score": 0.5, "label": 1}] x',
    "dup-key": '[{"score": 0.5, "score": 0.6, "label": 1}]',
    "unterminated": '[{"score": 0.5, "label": 1',
    "ragged-parallel": '{"score": [0.1, 0.2, 0.3], "label": [0, 1]}',
    "bom": '\ufeff[{"score": 0.5, "label": 1}]',
    "labels-text": '[{"score": 0.5, "label": "defect"}, {"score": 0.2, "label": "normal"}]',
}
JSONL_EDGE = {
    "lines": '{"score": 0.1, "label": 0}\n{"score": 0.9, "label": 1}\n',
    "crlf-blank": '{"score": 0.1, "label": 0}\r\n\r\n{"score": 0.9, "label": 1}\r\n',
    "bad-line": '{"score": 0.1, "label": 0}\n{"score": \n',
    "array-line": '[1,2]\n{"score": 0.9, "label": 1}\n',
    "one": '{"score": 0.9, "label": 1, "image_path": "test/crack/000.png"}',
    "no-label": '{"score": 0.9, "image_path": "test/crack/000.png"}\n{"score": 0.1, "image_path": "test/good/000.png"}\n',
    "parallel-line": '{"score": [0.1, 0.2], "label": [0, 1]}\n',
}


def seeds_json():
    for p in JSON_FILES:
        data = read(p)
        put("json", base(p), b"\0" + data)
        put("scores", base(p), b"\0" + data)
    for p in sorted(glob.glob("tests/cli/inputs/*.jsonl")) + ["tests/cli/inputs/lines.json"]:
        put("jsonl", base(p), b"\0" + read(p))
    for k, v in JSON_EDGE.items():
        put("json", k, b"\0" + v.encode())
        put("scores", "json-" + k, b"\0" + v.encode())
    for k, v in JSONL_EDGE.items():
        put("jsonl", k, b"\0" + v.encode())
        put("scores", "jsonl-" + k, b"\0" + v.encode())
    put("json", "named-keys", b'\x02[{"anomaly": 0.5, "gt": 1, "file": "a"}]')
    put("jsonl", "named-keys", b'\x03{"anomaly": 0.5, "gt": "defect", "file": "a"}\n')


def npy_bytes(a, version=None, fortran=False):
    f = io.BytesIO()
    if fortran:
        a = np.asfortranarray(a)
    if version is None:
        np.save(f, a)
    else:
        np.lib.format.write_array(f, a, version=version)
    return f.getvalue()


def seeds_npy():
    for p in sorted(glob.glob("tests/cli/inputs/px/**/*.npy", recursive=True)):
        put("npy", base(p), read(p))
    rng = np.random.default_rng(1)
    m = rng.random((4, 5))
    put("npy", "f4", npy_bytes(m.astype("<f4")))
    put("npy", "f8", npy_bytes(m.astype("<f8")))
    put("npy", "f2", npy_bytes(m.astype("<f2")))
    put("npy", "f4-be", npy_bytes(m.astype(">f4")))
    put("npy", "f8-be", npy_bytes(m.astype(">f8")))
    put("npy", "stack3", npy_bytes(rng.random((3, 2, 3)).astype("<f4")))
    put("npy", "stack4", npy_bytes(rng.random((2, 1, 3, 2)).astype("<f4")))
    put("npy", "bool", npy_bytes(m > 0.5))
    for dt in ["u1", "<u2", "<u4", "<u8", "i1", "<i2", ">i4", "<i8"]:
        put("npy", "int-" + dt.replace("<", "le").replace(">", "be"),
            npy_bytes((m * 100).astype(dt)))
    put("npy", "v2", npy_bytes(m.astype("<f4"), version=(2, 0)))
    put("npy", "v3", npy_bytes(m.astype("<f4"), version=(3, 0)))
    put("npy", "fortran", npy_bytes(m.astype("<f4"), fortran=True))
    put("npy", "1d", npy_bytes(np.arange(5, dtype="<f4")))
    put("npy", "empty", npy_bytes(np.zeros((0, 3), dtype="<f4")))
    put("npy", "truncated", npy_bytes(m.astype("<f4"))[:-3])
    put("npy", "complex", npy_bytes(m.astype("<c8")))
    put("npy", "struct", npy_bytes(np.zeros((2, 2), dtype=[("a", "<f4"), ("b", "<i2")])))
    hdr = b"{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"
    hdr += b" " * (118 - len(hdr)) + b"\n"
    put("npy", "huge-shape", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr + b"\0" * 16)
    put("npy", "bad-magic", b"\x93NUMPX\x01\x00\x10\x00{}" + b" " * 14)
    put("npy", "bool-bad", npy_bytes(np.full((2, 2), 1, dtype="u1"))
        .replace(b"'|u1'", b"'|b1'")[:-1] + b"\x07")


def png_bytes(img, **kw):
    f = io.BytesIO()
    img.save(f, format="PNG", **kw)
    return f.getvalue()


def seeds_png():
    for p in sorted(glob.glob("tests/cli/inputs/px/**/*.png", recursive=True))[:12]:
        put("png", base(p), read(p))
    put("png", "data-mask", read("data/bottle/ground_truth/contamination/000_mask.png"))
    a = (np.arange(35).reshape(5, 7) * 7).astype(np.uint8)
    put("png", "gray8", png_bytes(Image.fromarray(a)))
    put("png", "gray16", png_bytes(Image.fromarray((a.astype(np.uint16) * 257).astype(np.uint16))))
    put("png", "gray8-wide", png_bytes(Image.fromarray(np.tile(a, (2, 3)))))
    put("png", "bilevel", png_bytes(Image.fromarray(a > 100)))
    put("png", "palette", png_bytes(Image.fromarray(a).convert("P")))
    pal = Image.fromarray(a % 4).convert("P")
    pal.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    put("png", "palette-2bit", png_bytes(pal, bits=2))
    rgb = np.stack([a, a // 2, np.zeros_like(a)], axis=-1)
    put("png", "rgb", png_bytes(Image.fromarray(rgb)))
    put("png", "rgba", png_bytes(Image.fromarray(np.dstack([rgb, np.full_like(a, 255)]))))
    put("png", "gray-alpha", png_bytes(Image.fromarray(np.dstack([a, a])).convert("LA")))
    good = png_bytes(Image.fromarray(a))
    put("png", "truncated", good[: len(good) - 20])
    put("png", "signature-only", good[:8])
    bad = bytearray(good)
    bad[40] ^= 0xFF
    put("png", "bad-crc", bytes(bad))
    # Adam7: Pillow cannot write it; a hand-made IHDR with interlace 1.
    put("png", "adam7", adam7_png(a))


def png_chunk(kind, data):
    import zlib
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def adam7_png(a):
    import zlib
    h, w = a.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
              (0, 1, 1, 2)]
    raw = b""
    for x0, y0, dx, dy in passes:
        sub = a[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        for row in sub:
            raw += b"\0" + row.tobytes()
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 1)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


def tiff_bytes(a, **kw):
    f = io.BytesIO()
    tifffile.imwrite(f, a, metadata=None, software=False, **kw)
    return f.getvalue()


def seeds_tiff():
    for p in sorted(glob.glob("tests/cli/inputs/px/**/*.tiff", recursive=True))[:12]:
        put("tiff", base(p), read(p))
    rng = np.random.default_rng(2)
    m = rng.random((6, 5))
    put("tiff", "f32", tiff_bytes(m.astype(np.float32)))
    put("tiff", "f16", tiff_bytes(m.astype(np.float16)))
    put("tiff", "f64", tiff_bytes(m.astype(np.float64)))
    put("tiff", "u8", tiff_bytes((m * 255).astype(np.uint8)))
    put("tiff", "u16", tiff_bytes((m * 65535).astype(np.uint16)))
    put("tiff", "u32", tiff_bytes((m * 1e6).astype(np.uint32)))
    put("tiff", "i16", tiff_bytes((m * 100).astype(np.int16)))
    put("tiff", "f32-be", tiff_bytes(m.astype(">f4"), byteorder=">"))
    put("tiff", "f32-tiled", tiff_bytes(rng.random((20, 18)).astype(np.float32), tile=(16, 16)))
    put("tiff", "f32-strips", tiff_bytes(rng.random((9, 4)).astype(np.float32), rowsperstrip=2))
    put("tiff", "f32-zlib", tiff_bytes(m.astype(np.float32), compression="zlib"))
    put("tiff", "rgb", tiff_bytes((rng.random((4, 4, 3)) * 255).astype(np.uint8),
                                  photometric="rgb"))
    put("tiff", "two-pages", tiff_bytes(rng.random((2, 3, 3)).astype(np.float32)))
    put("tiff", "bigtiff", tiff_bytes(m.astype(np.float32), bigtiff=True))
    good = tiff_bytes(m.astype(np.float32))
    put("tiff", "truncated", good[: len(good) // 2])
    put("tiff", "header-only", good[:8])
    # Stacks, pages that are no stack, and strip tables that place strips
    # in the header: the files of the golden cases px-*tiff*.
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "tests/cli/inputs/px/stack/tiffs.py", d], check=True)
        for name in ("maps-f8", "masks-b1", "pages-size", "pages-type", "page2-zero",
                     "strips-count", "strips-zero"):
            put("tiff", name, read(os.path.join(d, name + ".tiff")))


MATRIX_CSV = {
    "comma": "0.1,0.2,0.3\n0.4,0.5,0.6\n",
    "semicolon": "0.1;0.2\n0.3;0.4\n",
    "tab": "0.1\t0.2\n0.3\t0.4\n",
    "spaces": "  0.1  0.2 \n 0.3   0.4\n",
    "crlf-bom": "\ufeff1,0\r\n0,1\r\n",
    "ragged": "1,2,3\n4,5\n",
    "nan": "1,nan\n2,3\n",
    "empty": "",
    "blank-lines": "\n1,2\n\n3,4\n\n",
    "empty-field": "1,,2\n3,4,5\n",
    "big": "\n".join(",".join(str((i * j) % 7) for j in range(20)) for i in range(20)) + "\n",
    "mixed": "1,2;3\n4,5;6\n",
    "one": "5",
    "comma-decimal": "0,5;1,5\n",
}
MATRIX_JSON = {
    "simple": "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]",
    "bools": "[[true, false], [false, true]]",
    "ragged": "[[1, 2], [3]]",
    "empty": "[]",
    "empty-rows": "[[], []]",
    "flat": "[1, 2, 3]",
    "3d": "[[[1]]]",
    "nan": "[[NaN, 1]]",
    "strings": '[["1", "2"]]',
    "trailing": "[[1]] [[2]]",
    "overflow": "[[1e999]]",
    "nested-deep": "[" * 100 + "]" * 100,
    "bom": "\ufeff [[1,2],[3,4]] \n",
}
DOC_EDGE = {
    "one": '[{"image_path": "a", "anomaly_map": [[0.1, 0.9]], "gt_mask": [[0, 1]], "pred_score": 0.9, "gt_label": 1}]',
    "lines": '{"anomaly_map": [[0.1]], "gt_mask": null}\n{"anomaly_map": [[0.2]], "gt_mask": [[1]]}\n',
    "no-map": '[{"image_path": "a"}]',
    "ambiguous": '[{"anomaly_map": [[1]], "map": [[2]]}]',
    "dup-key": '[{"anomaly_map": [[1]], "anomaly_map": [[2]]}]',
    "bad-label": '[{"anomaly_map": [[1]], "gt_label": "maybe"}]',
    "bad-score": '[{"anomaly_map": [[1]], "pred_score": "x"}]',
    "mask-values": '[{"anomaly_map": [[1, 2]], "gt_mask": [[0.5, 2]]}]',
    "mask-bools": '[{"anomaly_map": [[1, 2]], "gt_mask": [[true, false]]}]',
    "size-mismatch": '[{"anomaly_map": [[1, 2]], "gt_mask": [[1]]}]',
    "empty": "[]",
    "not-objects": "[1, 2]",
    "big": '[{"anomaly_map": [' + ",".join(["[" + ",".join(["0.5"] * 8) + "]"] * 8) + "]}]",
}


def seeds_text_matrices():
    for p in sorted(glob.glob("tests/cli/inputs/px/maps-csv/**/*", recursive=True)):
        if os.path.isfile(p):
            put("matrix_csv", base(p), b"\0" + read(p))
    for k, v in MATRIX_CSV.items():
        put("matrix_csv", k, b"\0" + v.encode())
    put("matrix_csv", "mask-small-limit", b"\x03" + b"1,0,1,0,1\n0,1,0,1,0\n1,1,1,1,1\n0,0,0,0,0\n")
    for k, v in MATRIX_JSON.items():
        put("matrix_json", k, b"\0" + v.encode())
    put("matrix_json", "mask-small-limit", b"\x03[[1,0,1,0,1],[0,1,0,1,0],[1,1,1,1,1],[0,0,0,0,0]]")
    put("doc", "cli-results", b"\0" + read("tests/cli/inputs/px/doc/results.json"))
    for k, v in DOC_EDGE.items():
        put("doc", k, b"\0" + v.encode())
    put("doc", "small-limit", b"\x01" + DOC_EDGE["big"].encode())


VALUES = {
    "numbers": ["0.5", "-1e-3", " 2 ", "nan", "inf", "-inf", "1e999", "0,5", "0x10", "1,000",
                "", "abc", "+.5", "5.", "1e", "-0", "9223372036854775807",
                "-9223372036854775808", "9223372036854775808", "007", "1e-400"],
    "labels": ["0", "1", "0.0", "1.0", "true", "FALSE", " normal ", "Good", "ok", "anomalous",
               "abnormal", "anomaly", "defect", "defective", "bad", "NG", "maybe", "2", ""],
    "number-labels": ["1.", ".0", "1e0", "10e-1", "0.1e1", "+1", "-0", "00", "0e999",
                      "0.99999999999999999999", "1.0000000000000001", "1e-400", "-1", "11e-1",
                      "1e99999999999999999999", "0.000e-5"],
    "roles": ["score", "pred_score", "anomaly_score", "label", "gt_label", "target",
              "image_path", "path", "filename", "scores", "gt_labels", "image_paths", "SCORE",
              "Label", "s", ""],
    "paths": ["test/good/000.png", "test/crack/000.png", "000.png", "/good/x", "a/OK/b",
              "normal/x", "good/", "/", "a\\good\\b.png", "x/y/Normal/z.tiff"],
}


def seeds_values():
    for k, v in VALUES.items():
        put("values", k, b"\0" + "\0".join(v).encode())
    put("values", "positive", b"\x01defect\0defect\0DEFECT\0fine\0\0")
    put("values", "many-unknown", b"\0" + b"\0".join(b"u%d" % i for i in range(20)))


# Thresholds files, as --save-thresholds writes them, and one of each error.
THRESHOLDS = {
    "single": '{"adthresh": "0.1.0", "rule": ">=",\n "image": {"threshold": 0.71999999999999997}}\n',
    "single-pixel": '{"adthresh": "0.1.0", "rule": ">",\n "image": {"threshold": 0.7},\n'
                    ' "pixel": {"threshold": 0.5}}\n',
    "batch": '{"adthresh": "0.1.0", "rule": ">=",\n "categories": {\n'
             '  "bottle": {\n   "image": {"threshold": 0.69999999999999996},\n'
             '   "pixel": {"threshold": 0.5}},\n'
             '  "carpet": {\n   "image": {"threshold": 0.625},\n   "pixel": {"threshold": 0.625}}}}\n',
    "batch-names": '{"rule": "gt", "categories": {"caf\u00e9": {"image": {"threshold": 1e-300}},'
                   ' "d\ufffdfaut": {"pixel": {"threshold": -0.0}}, "a\\u0009b": {"image": '
                   '{"threshold": 1}, "pixel": {"threshold": 2, "x": [1, {"y": null}]}}}}',
    "bom-ge": '\ufeff{"rule": "ge", "image": {"threshold": -5, "extra": true}, "other": {}}',
    "no-rule": '{"image": {"threshold": 3}}',
    "empty": "",
    "blank": " \n\t\r\n",
    "syntax": '{"rule": ">=", "image": {"threshold": 0.5,}}',
    "unterminated": '{"image": {"threshold": 0.5}',
    "trailing": '{"image": {"threshold": 0.5}}\n{"image": {"threshold": 0.6}}',
    "not-object": '[{"image": {"threshold": 0.5}}]',
    "categories-array": '{"categories": [{"image": {"threshold": 0.5}}]}',
    "duplicate-category": '{"categories": {"a": {"image": {"threshold": 1}}, "a": {}}}',
    "duplicate-key": '{"image": {"threshold": 1}, "image": {"threshold": 2}}',
    "duplicate-key-category": '{"categories": {"a": {"pixel": {"threshold": 1},'
                              ' "pixel": {"threshold": 2}}}}',
    "bad-rule": '{"rule": ">>", "image": {"threshold": 1}}',
    "rule-number": '{"rule": 1, "image": {"threshold": 1}}',
    "category-not-object": '{"categories": {"a": 0.5}}',
    "threshold-string": '{"image": {"threshold": "0.5"}}',
    "threshold-missing": '{"categories": {"a": {"image": {}}}}',
    "threshold-infinite": '{"pixel": {"threshold": 1e999}}',
    "level-not-object": '{"image": 0.5}',
    "no-threshold": '{"rule": ">=", "categories": {}}',
    "nothing": "{}",
    "nul-escape": '{"categories": {"a\\u0000": {"image": {"threshold": 1}}}}',
    "lone-surrogate": '{"categories": {"\\ud800": {"image": {"threshold": 1}}}}',
    "deep": '{"x": ' + "[" * 200 + "]" * 200 + ', "image": {"threshold": 1}}',
    "numbers": '{"image": {"threshold": -0.0e-0}, "pixel": {"threshold": 1.7976931348623157e308}}',
    "bad-number": '{"image": {"threshold": 01}}',
}


def seeds_thresholds():
    for k, v in THRESHOLDS.items():
        put("thresholds", k, v)


# Counts files as --save-counts writes them, from small inputs: each
# (name, input arguments, options).  The bottle sample is too large a seed.
STACK = ["--maps", "tests/cli/inputs/px/stack/maps.npy", "--masks",
         "tests/cli/inputs/px/stack/masks.npy"]
COUNTS_RUNS = [
    ("image", ["data/scores.csv"], []),
    ("image-json", ["data/scores.json"], []),
    ("image-shard1", ["data/scores.csv"], ["--shard", "1/3"]),
    ("image-shard3", ["data/scores.csv"], ["--shard", "3/3"]),
    ("pixel-f32", STACK, []),
    ("pixel-f32-aupro", STACK, ["--aupro"]),
    ("pixel-f32-shard", STACK, ["--aupro=0.1", "--shard", "2/2"]),
    ("pixel-f32-scores", STACK + ["SCORES"], []),
    ("pixel-f64", ["--maps", "M64", "--masks", "K64"], ["--rule", "gt"]),
    ("pixel-f64-aupro", ["--maps", "M64", "--masks", "K64"], ["--aupro", "--policy", "fpr:0.1"]),
    ("pixel-f64-shard", ["--maps", "M64", "--masks", "K64"], ["--aupro", "--shard", "1/2"]),
]


def seeds_counts():
    if not os.access("build/adthresh", os.X_OK):
        sys.exit("seeds.py: the counts seeds need build/adthresh (make)")
    with tempfile.TemporaryDirectory() as d:
        rng = np.random.default_rng(3)
        m64, k64 = os.path.join(d, "m64.npy"), os.path.join(d, "k64.npy")
        np.save(m64, rng.random((3, 5, 6)).astype(np.float64))
        k = np.zeros((3, 5, 6), dtype=np.uint8)
        k[1, 1:3, 1:4] = 1
        k[2, 0, 0] = k[2, 4, 5] = 1
        np.save(k64, k)
        scores = os.path.join(d, "scores.csv")
        labels = np.load(STACK[3]).any(axis=(1, 2)).astype(int)
        with open(scores, "w") as f:
            f.write("image_path,score,label\n" + "".join(
                "%d,%g,%d\n" % (i, 0.125 * (i + 1), v) for i, v in enumerate(labels)))
        files = {"M64": m64, "K64": k64, "SCORES": scores}
        for name, inputs, opts in COUNTS_RUNS:
            out = os.path.join(d, name + ".adtc")
            subprocess.run(["build/adthresh"] + [files.get(a, a) for a in inputs] + opts
                           + ["--save-counts", out], check=True)
            put("counts", name, read(out))
        c = adtc.load(os.path.join(d, "pixel-f32-aupro.adtc"))
    # Hand-made: a pixel level alone (no run saves one), and broken files.
    px = adtc.Counts()
    px.flags, px.words, px.P, px.N, px.S = adtc.PIXEL, [b"--rule=gt"], 2, 3, 3
    px.steps = [(adtc.key32(2.0), 1, 0, []), (adtc.key32(1.0), 1, 1, []),
                (adtc.key32(0.0), 0, 2, [])]
    put("counts", "pixel-only", adtc.build(px))
    # Defect folders (--per-defect) after the pixel level.
    px.flags |= adtc.DEFECTS
    px.words = [b"--per-defect"]
    px.groups = [(b"crack", 1, 1, 2, [(adtc.key32(2.0), 1, 0, []), (adtc.key32(1.0), 0, 1, [])]),
                 (b"good", 1, 2, 2, [(adtc.key32(1.0), 1, 0, []), (adtc.key32(0.0), 0, 2, [])])]
    put("counts", "pixel-defects", adtc.build(px))
    good = adtc.build(c)
    put("counts", "empty", b"")
    put("counts", "magic-only", adtc.MAGIC)
    put("counts", "truncated", good[:-7])
    put("counts", "bad-checksum", adtc.build(c, crc=0))
    put("counts", "trailing", good + b"\0")
    put("counts", "long-varint", adtc.build(c, raw={"words": b"\x81\x80\x00"}))
    # A head claiming 2^62 anomalous pixels, a step claiming them all: the
    # region sizes must not be allocated before they arrive.
    c.P += 1 << 62
    c.steps[0] = (c.steps[0][0], 1 << 62, 0, [1])
    put("counts", "huge-regions", adtc.build(c))


def main():
    if not os.path.isdir("tests/fuzz"):
        sys.exit("seeds.py: run from the top of the source tree")
    seeds_csv()
    seeds_json()
    seeds_npy()
    seeds_png()
    seeds_tiff()
    seeds_text_matrices()
    seeds_values()
    seeds_thresholds()
    seeds_counts()


if __name__ == "__main__":
    main()

"""adthresh from Python: the exact thresholds and metrics of the adthresh
program on arrays in memory (or on the files the program reads).

    import adthresh
    report = adthresh.evaluate(maps=maps, masks=masks, aupro=0.3)
    report["pixel"]["threshold"], report["image"]["f1"]

evaluate() runs libadthresh (loaded with ctypes; nothing is compiled at
import) and returns the dict that json.loads makes of the output of
`adthresh --format json` on the same data.  The library is found through
the environment variable ADTHRESH_LIBRARY (a path), else in the build tree
this package lies in (build/libadthresh.so.1), else beside the installed
package (PREFIX/lib/libadthresh.so.1 for PREFIX/lib/python3/dist-packages),
else by ctypes.util.find_library("adthresh").
"""

import ctypes
import ctypes.util
import json
import os
import sys
import warnings

import numpy as np

__all__ = ["evaluate", "Error", "GateError", "AdthreshWarning"]


class Error(Exception):
    """What the adthresh program reports as an error (exit status 2).

    str(error) is the program's message without its leading "adthresh: "
    (and without "Try 'adthresh --help' ..."): "FILE:LINE: message" or
    "message", several lines when a batch has several failures.  Arrays
    are named as files would be: "scores", "maps" (image i of the maps is
    "image i").  status is the program's exit status; result the report
    when the program would still print one (a batch with --keep-going),
    else None."""

    def __init__(self, message, status=2, result=None):
        super().__init__(message)
        self.status = status
        self.result = result


class GateError(Error):
    """A --fail-under or --gate gate was not met (exit status 1): str() has
    the unmet gates, one "gate not met: ..." line each, and result the
    report, as the program prints both."""


class AdthreshWarning(UserWarning):
    """A warning of the adthresh program (quiet=True silences them)."""


def _library_path():
    here = os.path.dirname(os.path.abspath(__file__))
    tried = []
    given = os.environ.get("ADTHRESH_LIBRARY")
    if given:
        return given, [given]
    for path in (
        os.path.join(here, "..", "..", "..", "build", "libadthresh.so.1"),
        os.path.join(here, "..", "..", "..", "libadthresh.so.1"),
    ):
        path = os.path.normpath(path)
        tried.append(path)
        if os.path.exists(path):
            return path, tried
    found = ctypes.util.find_library("adthresh")
    tried.append('ctypes.util.find_library("adthresh")')
    return found, tried


def _load():
    path, tried = _library_path()
    if path:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            raise ImportError(f"adthresh: cannot load {path}: {e}") from None
    raise ImportError(
        "adthresh: libadthresh.so.1 not found (looked at $ADTHRESH_LIBRARY, "
        + ", ".join(tried) + "); run make, or set ADTHRESH_LIBRARY"
    )


class _Inputs(ctypes.Structure):
    _fields_ = [
        ("scores", ctypes.c_void_p),
        ("labels", ctypes.c_void_p),
        ("nscores", ctypes.c_size_t),
        ("maps", ctypes.c_void_p),
        ("map_dtype", ctypes.c_char_p),
        ("masks", ctypes.c_void_p),
        ("mask_dtype", ctypes.c_char_p),
        ("count", ctypes.c_uint64),
        ("height", ctypes.c_uint64),
        ("width", ctypes.c_uint64),
    ]


class _Result(ctypes.Structure):
    _fields_ = [
        ("status", ctypes.c_int),
        ("report", ctypes.c_void_p),
        ("error", ctypes.c_void_p),
        ("messages", ctypes.c_void_p),
    ]


_lib = _load()
_lib.adt_api_evaluate.argtypes = [
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_char_p),
    ctypes.POINTER(_Inputs),
    ctypes.POINTER(_Result),
]
_lib.adt_api_evaluate.restype = ctypes.c_int
_lib.adt_api_result_release.argtypes = [ctypes.POINTER(_Result)]
_lib.adt_api_result_release.restype = None


def _copy(a, dtype=None):
    """The one copy of an array that cannot be read in place: C order,
    native byte order."""
    return np.ascontiguousarray(a, dtype=dtype)


def _in_place(a):
    """a itself when the library can read it as it is (C-contiguous, native
    byte order, aligned), else one copy."""
    if a.flags.c_contiguous and a.flags.aligned and a.dtype.isnative:
        return a
    return _copy(a, a.dtype.newbyteorder("="))


def _stack(name, a):
    """An [N,H,W] view of an [N,H,W] or [N,1,H,W] array."""
    a = np.asarray(a)
    if a.ndim == 4 and a.shape[1] == 1:
        # A view, also of a strided array: only _in_place copies.
        a = a[:, 0]
    if a.ndim != 3:
        raise Error(f"{name} must be [N,H,W] or [N,1,H,W], not of shape {tuple(a.shape)}")
    return a


def _scores(scores, labels):
    s = np.asarray(scores)
    if s.ndim != 1:
        raise Error(f"scores must be 1-d, not of shape {tuple(s.shape)}")
    if s.dtype.kind not in "fiub":
        raise Error(f"scores must be numbers, not of dtype {s.dtype}")
    s = np.ascontiguousarray(s, dtype=np.float64)
    if labels is None:
        return s, None
    y = np.asarray(labels)
    if y.shape != s.shape:
        raise Error(
            f"labels must match scores: {y.shape[0] if y.ndim == 1 else tuple(y.shape)} "
            f"labels for {s.shape[0]} scores"
        )
    if y.dtype.kind not in "fiub":
        raise Error(f"labels must be 0 or 1, not of dtype {y.dtype}")
    bad = np.flatnonzero((y != 0) & (y != 1))
    if bad.size:
        raise Error(f"labels: element {bad[0]}: label {y[bad[0]]!r} is not 0 or 1")
    return s, np.ascontiguousarray(y, dtype=np.uint8)


def _text(v):
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def _words(options):
    """The program's options: name=value as --name=value (a list or tuple:
    the option repeated), True as --name, False and None left out."""
    words = []
    for key, value in options.items():
        name = "--" + key.replace("_", "-")
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v is True:
                words.append(name)
            elif v is not False and v is not None:
                words.append(f"{name}={_text(v)}")
    return words


def _is_path(x):
    return isinstance(x, (str, bytes, os.PathLike))


def evaluate(scores=None, labels=None, maps=None, masks=None, **options):
    """Evaluate as `adthresh --format json` does and return its report as
    the dict json.loads makes of it.

    scores, labels: 1-d sequences or arrays of image scores and labels
        (0 normal, 1 anomalous; bool is fine), paired with the maps by
        order.  Without scores the image level comes from the map maxima
        and the masks, as the program's does for maps without a scores
        file.
    maps: the anomaly maps, [N,H,W] or [N,1,H,W], float32, float64 (or
        float16): thresholds are found in the array's own precision.
    masks: the ground truth of the same shape, bool or uint8 (any integer
        dtype), nonzero = anomalous.
    A C-contiguous array in native byte order is read in place, without a
    copy (a read-only np.load(..., mmap_mode="r") array too); any other
    array (strided, Fortran order, swapped bytes) is copied once.  Scores
    are converted to float64 (a copy, small).

    scores, maps and masks may instead be file names (str or os.PathLike),
    read as the program reads SCORES, --maps and --masks; files and arrays
    cannot be mixed in one call.

    options: the program's long options, '-' written '_': rule="gt",
    policy="pixel=fpr:0.01" (a list for a repeated option:
    policy=["image=f1", "pixel=youden"]), aupro=0.3 or aupro=True,
    max_fpr=0.1, per_defect=True, allow_one_class=True, fail_under=...,
    thresholds="t.json", image_threshold=0.5, quiet=True.  True gives the
    flag, False or None leaves the option out.  The report is always
    JSON and always returned (output= is refused); save_thresholds, curves,
    plot and per_image write their files as the program does, all or
    nothing.

    Warnings of the program are issued as AdthreshWarning (quiet=True
    silences them); notes (verbose=True) go to standard error.  Errors
    raise Error with the program's message (see Error); unmet gates raise
    GateError, which holds the report as .result.
    """
    words = _words(options)
    arrays = {}
    inputs = _Inputs()
    given = [x for x in (scores, maps, masks) if x is not None]
    if any(map(_is_path, given)) and not all(map(_is_path, given)):
        raise Error("inputs given as arrays cannot be combined with --maps, --masks or a "
                    "scores file")
    if scores is not None and _is_path(scores):
        if labels is not None:
            raise Error("labels go with scores given as an array; a scores file has its own")
        tail = ["--", os.fsdecode(scores)]
    else:
        tail = []
        if scores is not None:
            arrays["scores"], arrays["labels"] = _scores(scores, labels)
        elif labels is not None:
            raise Error("labels need scores")
    for name, value in (("maps", maps), ("masks", masks)):
        if value is not None and _is_path(value):
            words.append(f"--{name}={os.fsdecode(value)}")
        elif value is not None:
            arrays[name] = _in_place(_stack(name, value))
    if "scores" in arrays:
        s, y = arrays["scores"], arrays["labels"]
        inputs.scores = s.ctypes.data
        inputs.labels = y.ctypes.data if y is not None else None
        inputs.nscores = s.shape[0]
    if "maps" in arrays:
        m = arrays["maps"]
        inputs.maps = m.ctypes.data
        inputs.map_dtype = m.dtype.name.encode()
        inputs.count, inputs.height, inputs.width = m.shape
        k = arrays.get("masks")
        if k is not None:
            if k.shape != m.shape:
                raise Error(
                    f"masks must have the shape of maps: {tuple(k.shape)} and {tuple(m.shape)}"
                )
            inputs.masks = k.ctypes.data
            inputs.mask_dtype = k.dtype.name.encode()
    elif "masks" in arrays:
        raise Error("masks need maps")
    argv = [w.encode() for w in words + tail]
    c_argv = (ctypes.c_char_p * max(len(argv), 1))(*argv)
    result = _Result()
    try:
        _lib.adt_api_evaluate(len(argv), c_argv, ctypes.byref(inputs), ctypes.byref(result))
        status = result.status
        report = ctypes.string_at(result.report).decode() if result.report else None
        error = ctypes.string_at(result.error).decode() if result.error else ""
        messages = ctypes.string_at(result.messages).decode() if result.messages else ""
    finally:
        _lib.adt_api_result_release(ctypes.byref(result))
    # The arrays stay referenced until here: the library read them in place.
    del arrays
    for line in messages.splitlines():
        if line.startswith("warning: "):
            warnings.warn(line[len("warning: "):], AdthreshWarning, stacklevel=2)
        else:
            print(f"adthresh: {line}", file=sys.stderr)
    parsed = json.loads(report) if report is not None else None
    if status == 1:
        raise GateError(error.rstrip("\n"), status, parsed)
    if status != 0:
        raise Error(error.rstrip("\n"), status, parsed)
    return parsed

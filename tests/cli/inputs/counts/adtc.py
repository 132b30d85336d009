"""Reads and writes adthresh counts files (the format at the top of
include/adthresh/counts.h), for the golden cases of the reader's errors
(tests/cli/cases/counts-err-*.sh) and the fuzz seeds (tests/fuzz/seeds.py).

A file is parsed into a Counts whose fields a caller changes before
writing it back; build() recomputes the checksum unless told otherwise, so
that the check a case aims at fires, not the checksum.  raw replaces the
encoding of one part ("words", "source", "images", "pixel", "steps",
"groups"), for
encodings no field can express (a varint not in its shortest form).
"""
import struct
import zlib

IMAGE, PIXEL, REGIONS, WIDE, SINGLE, IDS, IMPLIED, DEFECTS = 1, 2, 4, 8, 16, 32, 64, 128
MAGIC = b"ADTCOUNT"


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if not v:
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def text(s):
    b = s.encode() if isinstance(s, str) else s
    return varint(len(b)) + b


def key32(x):
    """The order-preserving key of a float32 score (sort.h; -0 is 0)."""
    u = struct.unpack("<I", struct.pack("<f", x + 0.0))[0]
    return (~u & 0xFFFFFFFF) if u >> 31 else u | 1 << 31


def key64(x):
    u = struct.unpack("<Q", struct.pack("<d", x + 0.0))[0]
    return (~u & 0xFFFFFFFFFFFFFFFF) if u >> 63 else u | 1 << 63


class Counts:
    """version, flags, shard_k, shard_n, items, cut, words (bytes), source
    (bytes), images [(score, label, id or None)], P, N, S, R, steps
    [(key, pos, neg, [region sizes])] and groups [(name, P, N, S, steps)]
    (the defect folders), each as the file holds it."""

    def __init__(self):
        self.version, self.flags = 1, 0
        self.shard_k = self.shard_n = self.items = self.cut = 0
        self.words, self.source, self.images = [], b"", []
        self.P = self.N = self.S = self.R = 0
        self.steps = []
        self.groups = []


def _steps(r, n, regions):
    out, key = [], 0
    for i in range(n):
        d = r.varint()
        key = d if i == 0 else key - d
        pos, neg = r.varint(), r.varint()
        sizes = [r.varint() for _ in range(pos)] if regions else []
        out.append((key, pos, neg, sizes))
    return out


def _steps_bytes(steps):
    b, prev = b"", None
    for key, pos, neg, sizes in steps:
        b += varint(key if prev is None else prev - key) + varint(pos) + varint(neg)
        b += b"".join(varint(s) for s in sizes)
        prev = key
    return b


class _Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        b = self.data[self.at:self.at + n]
        if len(b) != n:
            raise ValueError("ends early")
        self.at += n
        return b

    def u(self, fmt):
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]

    def varint(self):
        v, shift = 0, 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return v

    def text(self):
        return self.take(self.varint())


def parse(data):
    r, c = _Reader(data), Counts()
    if r.take(8) != MAGIC:
        raise ValueError("not a counts file")
    c.version, c.flags, c.shard_k, c.shard_n, c.items, c.cut = (
        r.u("I"), r.u("I"), r.u("I"), r.u("I"), r.u("Q"), r.u("Q"))
    c.words = [r.text() for _ in range(r.varint())]
    c.source = r.text()
    if c.flags & IMAGE:
        for _ in range(r.varint()):
            score, label = r.u("d"), r.u("B")
            c.images.append((score, label, r.text() if c.flags & IDS else None))
    if c.flags & PIXEL:
        c.P, c.N, c.S, c.R = (r.varint() for _ in range(4))
        c.steps = _steps(r, c.S, c.flags & REGIONS)
    if c.flags & DEFECTS:
        for _ in range(r.varint()):
            name = r.text()
            P, N, S = r.varint(), r.varint(), r.varint()
            c.groups.append((name, P, N, S, _steps(r, S, False)))
    r.take(4)
    return c


def parts(c, raw=None):
    """The file's bytes before the checksum, as (part name, bytes) in
    order; raw[name] replaces a part."""
    out = [("magic", MAGIC), ("version", struct.pack("<I", c.version)),
           ("flags", struct.pack("<I", c.flags)),
           ("shard", struct.pack("<IIQQ", c.shard_k, c.shard_n, c.items, c.cut)),
           ("words", varint(len(c.words)) + b"".join(text(w) for w in c.words)),
           ("source", text(c.source))]
    if c.flags & IMAGE or c.images:
        b = varint(len(c.images))
        for score, label, ident in c.images:
            b += struct.pack("<dB", score, label) + (text(ident) if ident is not None else b"")
        out.append(("images", b))
    if c.flags & PIXEL or c.steps:
        out.append(("pixel", b"".join(varint(v) for v in (c.P, c.N, c.S, c.R))))
        out.append(("steps", _steps_bytes(c.steps)))
    if c.flags & DEFECTS or c.groups:
        b = varint(len(c.groups))
        for name, P, N, S, steps in c.groups:
            b += text(name) + varint(P) + varint(N) + varint(S) + _steps_bytes(steps)
        out.append(("groups", b))
    raw = raw or {}
    return [(name, raw.get(name, b)) for name, b in out]


def offset(c, name, raw=None):
    """Where part name starts in the file."""
    at = 0
    for n, b in parts(c, raw):
        if n == name:
            return at
        at += len(b)
    raise KeyError(name)


def build(c, raw=None, crc=None):
    """The file: its parts and the checksum (crc32 of them, or crc)."""
    body = b"".join(b for _, b in parts(c, raw))
    return body + struct.pack("<I", zlib.crc32(body) if crc is None else crc)


def load(path):
    with open(path, "rb") as f:
        return parse(f.read())


def save(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else build(data))

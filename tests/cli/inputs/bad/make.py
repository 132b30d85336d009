#!/usr/bin/python3
"""Writes the crafted inputs of the bad-input and resource-limit golden cases
(tests/cli/cases/bad-*, lim-*).

Run with Debian's /usr/bin/python3 (numpy, Pillow) from anywhere:
    /usr/bin/python3 tests/cli/inputs/bad/make.py
It rewrites every file it owns in this folder, byte for byte the same on
every run.  The maps they pair with are ../px/bad/map.tiff (4x4 float32,
0.125 everywhere, 0.75 on the 2x2 block x,y in {1,2}).

    huge.png            IHDR of a 100000x100000 8-bit grayscale PNG, 60-odd
                        bytes in all: no pixel data to speak of
    huge.tiff           IFD of a 100000x100000 float32 TIFF, no pixel data
    huge.npy            header of a <f4 array of shape (100000, 100000), no data
    mask-nonbinary.png  8-bit 4x4 mask: the block is 128, 255, 7 and 1, and
                        pixel (0, 0) is 3: five nonzero pixels
    mask16.png          16-bit 4x4 mask: the block is 256, 512, 65535 and 1
                        (256 and 512 have a zero low byte): four nonzero pixels
    truncated.npy       the <f4 4x4 map cut after 40 of its 64 data bytes
    complex.npy         a <c8 (complex64) 4x4 map
"""

import os
import struct
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SIDE = 100000


def path(name):
    return os.path.join(HERE, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png():
    ihdr = struct.pack(">IIBBBBB", SIDE, SIDE, 8, 0, 0, 0, 0)
    write("huge.png", b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
          + png_chunk(b"IDAT", zlib.compress(b"\0" * 16, 9)) + png_chunk(b"IEND", b""))


def huge_tiff():
    # Little-endian classic TIFF: header, then one IFD; the only strip
    # claims to start right after the header and holds nothing.
    entries = [
        (256, 4, 1, SIDE),  # ImageWidth
        (257, 4, 1, SIDE),  # ImageLength
        (258, 3, 1, 32),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: min-is-black
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, SIDE),  # RowsPerStrip
        (279, 4, 1, 0xFFFFFFFF),  # StripByteCounts
        (339, 3, 1, 3),  # SampleFormat: IEEE float
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    write("huge.tiff", b"II*\x00" + struct.pack("<I", 8) + ifd)


def npy_bytes(a):
    """np.save's bytes, without depending on np.save's choice of version."""
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (
        a.dtype.str, a.shape)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + a.tobytes()


def huge_npy():
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (SIDE, SIDE)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    write("huge.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())


def the_map():
    m = np.full((4, 4), 0.125, np.float32)
    m[1:3, 1:3] = 0.75
    return m


def masks():
    k = np.zeros((4, 4), np.uint8)
    k[1:3, 1:3] = [[128, 255], [7, 1]]
    k[0, 0] = 3
    Image.fromarray(k, mode="L").save(path("mask-nonbinary.png"))
    k16 = np.zeros((4, 4), np.uint16)
    k16[1:3, 1:3] = [[256, 512], [65535, 1]]
    Image.fromarray(k16, mode="I;16").save(path("mask16.png"))


def broken_npy():
    data = npy_bytes(the_map())
    write("truncated.npy", data[: len(data) - 24])
    write("complex.npy", npy_bytes(the_map().astype(np.complex64)))


def main():
    huge_png()
    huge_tiff()
    huge_npy()
    masks()
    broken_npy()


if __name__ == "__main__":
    main()

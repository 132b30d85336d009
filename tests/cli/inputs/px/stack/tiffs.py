#!/usr/bin/python3
"""Writes the stacked and corrupt TIFF inputs of the golden cases px-*tiff*
into the folder given as the only argument (the cases call it on $TMPDIR).

Run with Debian's /usr/bin/python3 (numpy, tifffile, Pillow).  The same
bytes on every run:

  maps-f4.tiff  maps-f4.npy    four 8x8 float32 maps, one TIFF page each
  maps-f8.tiff  maps-f8.npy    four 8x8 float64 maps
  masks-u1.tiff masks-u1.npy   their masks as uint8 (0/255 in the TIFF,
                               0/1 in the NPY); image 1 is normal
  masks-b1.tiff masks-b1.npy   the same masks as bool (a 1-bit TIFF)
  masks3.tiff                  the first three masks only
  pages-size.tiff              float32 pages of 8x8, 8x8 and 8x9 pixels
  pages-type.tiff              a float32 page, then a float64 one
  page2-zero.tiff              three float32 pages in strips of 2 rows; the
                               second page's second strip starts at byte 0
  strips-count.tiff            a 5x6 float32 map in 3 strips of 2 rows whose
                               StripOffsets tag lists 2 offsets
  strips-zero.tiff             the same map with its second offset 0
  mask-5x6.npy                 a bool mask for those two
  folder/test/crack/000.tiff   a map of three pages in a result folder,
  folder/ground_truth/crack/000_mask.png  with a plain mask
  folder-npy/test/crack/000.npy  the same as a stacked NPY in a folder
"""
import os
import struct
import sys

import numpy as np
import tifffile
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(12)


def tiff(name, a, **kw):
    tifffile.imwrite(os.path.join(out, name), a, photometric="minisblack", metadata=None,
                     software=False, **kw)


def npy(name, a):
    np.save(os.path.join(out, name), a)


# Maps of levels in 64ths (exact in float32 and float64), the anomalous
# pixels a little higher on average, so that the levels tie across classes.
masks = rng.random((4, 8, 8)) < 0.25
masks[0, 0, 0] = True
masks[1] = False
levels = rng.integers(0, 48, size=(4, 8, 8)) + 16 * masks
maps4 = (levels / 64).astype(np.float32)
maps8 = levels / 64 + rng.integers(0, 2, size=(4, 8, 8)) * 2.0 ** -40
tiff("maps-f4.tiff", maps4)
npy("maps-f4.npy", maps4)
tiff("maps-f8.tiff", maps8)
npy("maps-f8.npy", maps8)
tiff("masks-u1.tiff", masks.astype(np.uint8) * 255)
npy("masks-u1.npy", masks.astype(np.uint8))
tiff("masks-b1.tiff", masks)
npy("masks-b1.npy", masks)
tiff("masks3.tiff", masks[:3])

with tifffile.TiffWriter(os.path.join(out, "pages-size.tiff")) as w:
    for a in (maps4[0], maps4[1], np.zeros((9, 8), np.float32)):
        w.write(a, photometric="minisblack", metadata=None, software=False)
with tifffile.TiffWriter(os.path.join(out, "pages-type.tiff")) as w:
    for a in (maps4[0], maps8[1]):
        w.write(a, photometric="minisblack", metadata=None, software=False)


def ifds(b):
    """The entries of every directory of a classic little-endian TIFF:
    {tag: (entry offset, type, count, value)} per page."""
    pages, off = [], struct.unpack_from("<I", b, 4)[0]
    while off:
        n = struct.unpack_from("<H", b, off)[0]
        e = {}
        for i in range(n):
            at = off + 2 + 12 * i
            tag, typ, count, value = struct.unpack_from("<HHII", b, at)
            e[tag] = (at, typ, count, value)
        pages.append(e)
        off = struct.unpack_from("<I", b, off + 2 + 12 * n)[0]
    return pages


STRIP_OFFSETS = 273


def patch(src, dst, fix):
    with open(os.path.join(out, src), "rb") as f:
        b = bytearray(f.read())
    fix(b, ifds(b))
    with open(os.path.join(out, dst), "wb") as f:
        f.write(b)


def zero_second_offset(b, page):
    at, typ, count, value = page[STRIP_OFFSETS]
    assert typ == 4 and count > 2  # an array of LONGs outside the entry
    struct.pack_into("<I", b, value + 4, 0)


tiff("strips.tiff", ((np.arange(30) + 1) / 32).astype(np.float32).reshape(6, 5), rowsperstrip=2)
mask = np.zeros((6, 5), bool)
mask[2:4, 1:3] = True
npy("mask-5x6.npy", mask)
patch("strips.tiff", "strips-count.tiff",
      lambda b, p: struct.pack_into("<I", b, p[0][STRIP_OFFSETS][0] + 4, 2))
patch("strips.tiff", "strips-zero.tiff", lambda b, p: zero_second_offset(b, p[0]))
os.remove(os.path.join(out, "strips.tiff"))

# Pages of 8 rows in strips of 2: written page by page.
with tifffile.TiffWriter(os.path.join(out, "page2.tiff")) as w:
    for a in maps4[:3]:
        w.write(a, photometric="minisblack", metadata=None, software=False, rowsperstrip=2)
patch("page2.tiff", "page2-zero.tiff", lambda b, p: zero_second_offset(b, p[1]))
os.remove(os.path.join(out, "page2.tiff"))

for sub in ("folder/test/crack", "folder/ground_truth/crack", "folder-npy/test/crack",
            "folder-npy/ground_truth/crack"):
    os.makedirs(os.path.join(out, sub), exist_ok=True)
tiff("folder/test/crack/000.tiff", maps4[:3])
npy("folder-npy/test/crack/000.npy", maps4[:3])
for sub in ("folder", "folder-npy"):
    Image.fromarray(masks[0].astype(np.uint8) * 255).save(
        os.path.join(out, sub, "ground_truth/crack/000_mask.png"))

#!/usr/bin/env python3
"""Large PNG fixtures for the row-wise PNG decoder (issue #17, item 7): four flat quadrants compress to a
few hundred KB however many pixels the header claims. Run from this folder: python3 make_large_png.py"""
import struct
import zlib

# Quadrant colours as RGBA: top-left red, top-right green, bottom-left blue, bottom-right half-transparent
# black (composited onto white it is mid grey) or opaque white when the image has no alpha.
QUADS = [(255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255), (0, 0, 0, 128)]


def pixel(x, y, w, h):
    return QUADS[(2 if y >= h // 2 else 0) + (1 if x >= w // 2 else 0)]


def row_bytes(y, xs, w, h, channels):
    # Runs of one colour, so building a 14100-pixel row stays cheap.
    out = bytearray()
    for x in xs:
        p = pixel(x, y, w, h)
        if channels == 3:
            p = p[:3] if p[3] == 255 else (255, 255, 255)
        out += bytes(p[:channels])
    return bytes(out)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path, w, h, channels, interlaced):
    color_type = 2 if channels == 3 else 6
    comp = zlib.compressobj(9)
    idat = bytearray()
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    if not interlaced:
        passes = [(0, 0, 1, 1)]
    cache = {}
    for (x0, y0, dx, dy) in passes:
        xs = range(x0, w, dx)
        if not xs:
            continue
        for y in range(y0, h, dy):
            key = (x0, dx, y >= h // 2)
            if key not in cache:
                cache[key] = b"\x00" + row_bytes(y, xs, w, h, channels)
            idat += comp.compress(cache[key])
    idat += comp.flush()
    ihdr = struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 1 if interlaced else 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b""))


write_png("near_cap.png", 14100, 14100, 3, False)
write_png("large_interlaced.png", 6000, 4000, 3, True)
write_png("large_rgba.png", 5000, 3000, 4, False)

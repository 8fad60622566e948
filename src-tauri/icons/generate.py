#!/usr/bin/env python3
"""Draws Plumb's icon set: a brass plumb bob on its line over a dark rounded square.

Standard library only (no PIL): shapes are signed distance functions in unit coordinates,
anti-aliased by coverage over one pixel, written as 8-bit RGBA PNGs (Tauri rejects non-RGBA
icons). Run from anywhere: `python3 src-tauri/icons/generate.py`.
"""
import math
import struct
import zlib
from pathlib import Path

OUTPUTS = {"32x32.png": 32, "64x64.png": 64, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}

BACKGROUND_TOP = (0x26, 0x2D, 0x3B)
BACKGROUND_BOTTOM = (0x14, 0x18, 0x20)
LINE = (0xE9, 0xE4, 0xD6)
BRASS_LIGHT = (0xF6, 0xCB, 0x72)
BRASS_DARK = (0xC4, 0x82, 0x22)


def rounded_box(x, y, cx, cy, half, radius):
    qx = abs(x - cx) - half + radius
    qy = abs(y - cy) - half + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def segment(x, y, ax, ay, bx, by, radius):
    px, py, dx, dy = x - ax, y - ay, bx - ax, by - ay
    t = max(0.0, min(1.0, (px * dx + py * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - dx * t, py - dy * t) - radius


def teardrop(x, y, tip_y, tip_radius, top_radius, height):
    """Inigo Quilez's uneven capsule: a small circle at the tip, a large one `height` above."""
    px, py = abs(x - 0.5), tip_y - y
    b = (tip_radius - top_radius) / height
    a = math.sqrt(1.0 - b * b)
    k = -b * px + a * py
    if k < 0.0:
        return math.hypot(px, py) - tip_radius
    if k > a * height:
        return math.hypot(px, py - height) - top_radius
    return a * px + b * py - tip_radius


def coverage(distance, pixel):
    return max(0.0, min(1.0, 0.5 - distance / pixel))


def mix(a, b, t):
    return tuple(a[i] + (b[i] - a[i]) * t for i in range(3))


def over(dst, color, alpha):
    """Composites `color` at `alpha` over the premultiplied-free RGBA `dst`."""
    r, g, b, a = dst
    out_a = alpha + a * (1.0 - alpha)
    if out_a == 0.0:
        return (0.0, 0.0, 0.0, 0.0)
    blend = lambda c, d: (c * alpha + d * a * (1.0 - alpha)) / out_a
    return (blend(color[0], r), blend(color[1], g), blend(color[2], b), out_a)


def pixel_color(x, y, pixel):
    rgba = (0.0, 0.0, 0.0, 0.0)
    rgba = over(rgba, mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y), coverage(rounded_box(x, y, 0.5, 0.5, 0.45, 0.11), pixel))
    line_width = max(0.016, 0.7 * pixel)
    rgba = over(rgba, LINE, coverage(segment(x, y, 0.5, 0.15, 0.5, 0.40, line_width), pixel))
    rgba = over(rgba, LINE, coverage(math.hypot(x - 0.5, y - 0.15) - 0.035, pixel))
    rgba = over(rgba, BRASS_DARK, coverage(rounded_box(x, y, 0.5, 0.385, 0.045, 0.015), pixel))
    shade = max(0.0, min(1.0, (x - 0.36) / 0.30))
    rgba = over(rgba, mix(BRASS_LIGHT, BRASS_DARK, shade), coverage(teardrop(x, y, 0.86, 0.012, 0.165, 0.29), pixel))
    return rgba


def render(size):
    pixel = 1.0 / size
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter type: none
        for i in range(size):
            r, g, b, a = pixel_color((i + 0.5) * pixel, (j + 0.5) * pixel, pixel)
            row += bytes((round(r), round(g), round(b), round(a * 255)))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name, size in OUTPUTS.items():
        (here / name).write_bytes(png(size, render(size)))
        print(f"wrote {name} ({size}x{size})")

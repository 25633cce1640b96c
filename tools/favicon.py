"""Writes src/policygraph/web/static/ld/favicon.ico: the drawing of favicon.svg at 32×32 (a PNG
in an ICO), for the clients that ask /favicon.ico and read no SVG. Run it after changing the SVG:
``python tools/favicon.py``. Only the standard library: the service never needs it."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/policygraph/web/static/ld/favicon.ico"
SIZE, SAMPLES = 32, 4
BLUE, WHITE, GREEN = (11, 92, 173), (255, 255, 255), (47, 143, 91)
NODES = ((16, 9), (9, 22), (23, 22))


def _segment_distance(p: tuple[float, float], a: tuple[int, int], b: tuple[int, int]) -> float:
    ax, ay, bx, by, px, py = *a, *b, *p
    t = max(
        0.0,
        min(
            1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
        ),
    )
    return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))


def _colour(x: float, y: float) -> tuple[int, int, int, int]:
    # The rounded square (corner radius 6), then the edges, the nodes, the green node's fill.
    cx, cy = min(max(x, 6), 26), min(max(y, 6), 26)
    if math.hypot(x - cx, y - cy) > 6:
        return (0, 0, 0, 0)
    colour = BLUE
    edges = ((NODES[0], NODES[1]), (NODES[1], NODES[2]), (NODES[2], NODES[0]))
    if any(_segment_distance((x, y), a, b) <= 1.1 for a, b in edges):
        colour = WHITE
    for i, (nx, ny) in enumerate(NODES):
        d = math.hypot(x - nx, y - ny)
        if d <= 3.6 + (0.8 if i == 2 else 0):
            colour = GREEN if i == 2 and d <= 2.8 else WHITE
    return (*colour, 255)


def _pixels() -> bytes:
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # PNG filter: none
        for px in range(SIZE):
            samples = [
                _colour(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
                for sx in range(SAMPLES)
                for sy in range(SAMPLES)
            ]
            alpha = sum(s[3] for s in samples)
            rgb = [sum(s[c] * s[3] for s in samples) // alpha if alpha else 0 for c in range(3)]
            row += bytes([*rgb, alpha // len(samples)])
        rows.append(bytes(row))
    return b"".join(rows)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(_pixels(), 9))
        + _chunk(b"IEND", b"")
    )


def ico(image: bytes) -> bytes:
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


if __name__ == "__main__":
    OUT.write_bytes(ico(png()))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")

"""Writes the app icon: assets/icon.svg and a 256 px assets/icon.png.

A leaf on the brand green disc. The PNG is drawn pixel by pixel with the
standard library (zlib + struct), so no imaging package is needed to build.

    python build/make_icon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
SIZE = 256
GREEN = (42, 81, 74)
GOLD = (248, 194, 55)
WHITE = (255, 255, 255)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256">
  <circle cx="128" cy="128" r="124" fill="#2A514A"/>
  <path d="M72 184 C72 104 128 64 192 64 C192 144 152 184 72 184 Z" fill="#F8C237"/>
  <path d="M72 184 L168 88" stroke="#2A514A" stroke-width="10" stroke-linecap="round"/>
</svg>
"""


def inside_leaf(x: float, y: float) -> bool:
    """The leaf: the lens between two circles through (72,184) and (192,64)."""
    return all(math.hypot(x - cx, y - cy) <= 120 for cx, cy in ((192.0, 184.0), (72.0, 64.0)))


def on_vein(x: float, y: float) -> bool:
    # distance from the line through (72,184) and (168,88), within the segment
    t = ((x - 72) * 96 + (y - 184) * -96) / (96 * 96 * 2)
    if not 0 <= t <= 1:
        return False
    px, py = 72 + 96 * t, 184 - 96 * t
    return math.hypot(x - px, y - py) <= 5


def pixel(x: int, y: int) -> tuple[int, int, int, int]:
    cx = cy = SIZE / 2
    if math.hypot(x + 0.5 - cx, y + 0.5 - cy) > 124:
        return (0, 0, 0, 0)
    if inside_leaf(x + 0.5, y + 0.5):
        return (*GREEN, 255) if on_vein(x + 0.5, y + 0.5) else (*GOLD, 255)
    return (*GREEN, 255)


def png_bytes() -> bytes:
    raw = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    (ASSETS / "icon.svg").write_text(SVG, encoding="utf-8")
    (ASSETS / "icon.png").write_bytes(png_bytes())
    print(f"Wrote {ASSETS / 'icon.svg'} and {ASSETS / 'icon.png'}")


if __name__ == "__main__":
    main()

"""Why the circle eye's ring is cut flat: codes zbar and zxing-cpp leave unread, per ring radius.

The ring is a circle of radius r modules cut by its 7x7 square (layout.EYE_SHAPES); r = 3.5 is a true circle,
what the circle style drew before issue 29. For each radius: ten links of 21 to 440 characters, every box
from 5 to 40, PNG, read by both decoders. The radius the style uses is marked. About a minute on two cores.
"""

import io
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zxingcpp
from PIL import Image
from pyzbar import pyzbar

import contract  # noqa: F401  (puts lambda/ on the import path)
from qr_service import layout, png
from qr_service.render import render
from qr_service.request import QrRequest

RADII = (3.5, 3.55, 3.6, 3.7, 3.75)
LINKS = tuple(
    "https://example.com/" + "".join(chr(97 + i * 7 % 26) for i in range(n))
    for n in (1, 15, 40, 70, 100, 140, 200, 260, 330, 420)
)
BOXES = range(5, 41)


def unread(radius: float) -> tuple[float, int, int]:
    """(radius, codes zbar misses, codes zxing-cpp misses) with the ring at `radius`."""
    (inset, side, _), *inner = layout.EYE_SHAPES["circle"]
    layout.EYE_SHAPES["circle"] = ((inset, side, radius), *inner)
    png._eye_tile.cache_clear()
    zbar = zxing = 0
    for url in LINKS:
        for box in BOXES:
            image = Image.open(io.BytesIO(render(QrRequest(url, box_size=box, eye_style="circle")))).convert("L")
            zbar += [s.data.decode() for s in pyzbar.decode(image)] != [url]
            zxing += [r.text for r in zxingcpp.read_barcodes(image)] != [url]
    return radius, zbar, zxing


def main() -> None:
    used = layout.EYE_SHAPES["circle"][0][2]
    total = len(LINKS) * len(BOXES)
    with ProcessPoolExecutor() as pool:
        rows = list(pool.map(unread, RADII))
    print(f"circle eyes, codes unread of {total} (10 links x boxes 5-40, PNG), by the ring's radius in modules:")
    for radius, zbar, zxing in rows:
        shape = "a true circle" if radius == 3.5 else f"cut flat for {2 * (radius**2 - 3.5**2) ** 0.5:.1f} of 7"
        mark = "  <- the style's" if radius == used else ""
        print(f"  r {radius:<5} ({shape}): zbar {zbar:3}, zxing-cpp {zxing:3}{mark}")


if __name__ == "__main__":
    main()

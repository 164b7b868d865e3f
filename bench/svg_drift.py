"""How far cairosvg strays from an all-absolute path when it draws our square-module SVG at fractional scales.

cairo keeps the current point in 24.8 fixed point, so a path of relative moves adds up rounding along the way.
Our path starts each row with an absolute move and goes on relatively within it (svg._stroke_runs); this
draws the same code at 25 widths from 300 to 1188 pixels three ways (ours, every move relative as before
issue 29, every move absolute) and counts the pixels where each differs from the absolute one.
"""

import io
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cairosvg
from PIL import Image, ImageChops

import contract  # noqa: F401  (puts lambda/ on the import path)
from qr_service.render import render
from qr_service.request import QrRequest

URL = "https://example.com/" + "".join(chr(97 + i * 7 % 26) for i in range(100))
RUN = re.compile(r"([Mm])(-?\d+) (-?[\d.]+)h(\d+)")


def _rewritten(svg: bytes, relative: bool) -> bytes:
    """The same strokes with every move relative (before issue 29) or every move absolute."""
    path = re.search(rb'<path stroke="#000" d="([^"]+)"', svg)
    assert path is not None
    x = y = 0.0
    out = []
    for command, dx, dy, length in RUN.findall(path.group(1).decode()):
        start_x, start_y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        if relative and out:
            out.append(f"m{start_x - x:g} {start_y - y:g}h{length}")
        else:
            out.append(f"M{start_x:g} {start_y:g}h{length}")
        x, y = start_x + float(length), start_y
    return svg.replace(path.group(1), "".join(out).encode())


def _pixels(svg: bytes, width: int) -> Image.Image:
    png = cairosvg.svg2png(bytestring=svg, output_width=width, output_height=width)
    return Image.open(io.BytesIO(png)).convert("L")


def _differing(a: Image.Image, b: Image.Image) -> int:
    return sum(ImageChops.difference(a, b).histogram()[1:])


def main() -> None:
    ours = render(QrRequest(URL, format="svg"))
    relative, absolute = _rewritten(ours, relative=True), _rewritten(ours, relative=False)
    widths = range(300, 1200, 37)
    rows = []
    for width in widths:
        exact = _pixels(absolute, width)
        rows.append((_differing(_pixels(ours, width), exact), _differing(_pixels(relative, width), exact)))
    exact_ours = sum(1 for o, _ in rows if o == 0)
    exact_relative = sum(1 for _, r in rows if r == 0)
    print(f"cairosvg, pixels differing from the all-absolute path at {len(rows)} widths from 300 to 1188:")
    print(f"  rows start absolute (ours): max {max(o for o, _ in rows)}, exact at {exact_ours} widths")
    print(f"  all relative (before):      max {max(r for _, r in rows)}, exact at {exact_relative} widths")
    print(f"bytes: ours {len(ours)}, all relative {len(relative)}, all absolute {len(absolute)}")


if __name__ == "__main__":
    main()

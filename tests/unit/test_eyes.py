"""Every eye style scans at every box from its minimum to the largest, in both decoders.

The minimum sweep (test_styles.py) looks at the first four boxes only; circle eyes once read there and
failed zbar at boxes 20-29 of large codes, where its fitted finder edges put the grid off by a module
(layout.EYE_SHAPES says why). So this walks every box, for a short link, the 56-character one and the
318-character one that showed it, as PNGs; and as SVGs rasterised by cairo at their own size, for the
two links that showed it (an SVG at its own size is the PNG's drawing, so one link less keeps it to a minute).
"""

import io

import cairosvg
import pytest
import zxingcpp
from PIL import Image
from pyzbar import pyzbar

from qr_service.fields import BOX_SIZE, MIN_EYE_BOX_SIZE
from qr_service.layout import EYE_SHAPES
from qr_service.render import render
from qr_service.request import QrRequest

LINKS = (
    "https://example.com/a",
    "https://example.com/" + "m" * 36,
    "https://example.com/" + "".join(chr(97 + i % 26) for i in range(298)),
)


def readings(image: bytes, fmt: str) -> tuple[list[str], list[str]]:
    """What zxing-cpp and zbar read off the image (an SVG rasterised by cairo at its own size)."""
    pixels = cairosvg.svg2png(bytestring=image) if fmt == "svg" else image
    shown = Image.open(io.BytesIO(pixels)).convert("L")
    zxing = [result.text for result in zxingcpp.read_barcodes(shown)]
    zbar = [symbol.data.decode("utf-8", "replace") for symbol in pyzbar.decode(shown)]
    return zxing, zbar


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("eye_style", list(MIN_EYE_BOX_SIZE))
def test_every_box_from_the_minimum_to_the_largest_reads_in_both_decoders(eye_style, fmt):
    unread = []
    for box in range(MIN_EYE_BOX_SIZE[eye_style], BOX_SIZE.maximum + 1):
        for url in LINKS if fmt == "png" else LINKS[1:]:
            zxing, zbar = readings(render(QrRequest(url, box_size=box, eye_style=eye_style, format=fmt)), fmt)
            if zxing != [url] or zbar != [url]:
                unread.append(f"box {box}, {len(url)} characters: zxing-cpp read {len(zxing)}, zbar {len(zbar)}")
    assert unread == []


def test_the_circle_eyes_ring_is_a_circle_cut_flat_by_its_square():
    """The ring's radius is past half its side (a cut circle), its hole and centre are true circles."""
    (ring_inset, ring_side, ring_radius), *inner = EYE_SHAPES["circle"]
    assert (ring_inset, ring_side) == (0, 7)
    assert ring_side / 2 < ring_radius < ring_side / 2 * 2**0.5  # flat sides, and still round corners
    assert all(radius * 2 == side for _, side, radius in inner)

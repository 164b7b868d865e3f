"""A logo: its pixels read safely, and the quiet square it sits on in the middle of the code."""

import io
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image

from qr_service import fields as F

if TYPE_CHECKING:
    from qr_service.matrix import Matrix  # not at run time: the validator loads this module without qrcode

LOGO_SHARE = 0.25  # of the symbol's side, cleared for the logo


def load_logo(data: bytes) -> Image.Image:
    """The logo's pixels, read only after its header says it is a small PNG or JPEG; a 400 otherwise.

    The validator reads them, and a miss draws them: decoded once, each caller gets its own copy to change.
    """
    return _decoded(data).copy()


@lru_cache(maxsize=4)
def _decoded(data: bytes) -> Image.Image:
    limit = F.MAX_LOGO_SIDE
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limit * limit  # a decompression bomb stops at the header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
            width, height = image.size
            if width > limit or height > limit:
                raise F.LOGO.rule("logo.dimensions").error("logo", width=width, height=height, limit=limit)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise F.LOGO.rule("logo.pixels").error("logo", limit=limit) from None
    except (OSError, SyntaxError, ValueError):
        raise F.LOGO.rule("logo.unreadable").error("logo") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    return image.convert("RGBA")


def logo_pad(side: int, border: int) -> tuple[int, int]:
    """(first module, modules wide) of the quiet square a logo sits on: a quarter of the symbol's side.

    zxing-cpp decoded every trial at H with a pad up to 0.40 of the side; 0.25 leaves a wide margin.
    The symbol's side is odd, so an odd pad centres exactly.
    """
    symbol = side - 2 * border
    width = max(3, round(symbol * LOGO_SHARE) | 1)
    return border + (symbol - width) // 2, width


def without_pad(matrix: "Matrix", border: int) -> "Matrix":
    """The matrix with the logo's pad cleared."""
    start, width = logo_pad(len(matrix), border)
    rows = [list(row) for row in matrix]
    for y in range(start, start + width):
        rows[y][start : start + width] = [False] * width
    return rows


def logo_box(side: int, border: int) -> tuple[float, float, float]:
    """(x, y, width) in modules of the logo inside its pad, a tenth of the pad kept clear around it."""
    start, width = logo_pad(side, border)
    margin = width * 0.1
    return start + margin, start + margin, width - 2 * margin


def logo_placement(logo_size: tuple[int, int], side: int, border: int, box: int) -> tuple[int, int, int, int]:
    """(left, top, width, height) in pixels from the code's corner of the logo as both writers draw it: fitted
    into `logo_box`, centred, and never enlarged past its own pixels. An SVG draws it the same size as the PNG,
    so the raster the service reads back (verify.py) is what it serves."""
    x, y, size = (value * box for value in logo_box(side, border))
    natural_width, natural_height = logo_size
    scale = min(1.0, size / natural_width, size / natural_height)
    width, height = max(1, round(natural_width * scale)), max(1, round(natural_height * scale))
    return round(x + (size - width) / 2), round(y + (size - height) / 2), width, height

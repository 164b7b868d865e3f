"""Where everything sits in an image, for both writers: pixels per module, the width with `size`'s
leftover centred in the quiet zone, the caption's band below, the shapes of the finder patterns' ring
and centre (matrix.finders places them), and the box an SVG's read-back raster is drawn at.

png.py and svg.py draw from this and nothing else, so a PNG and an SVG of one request agree.
"""

from dataclasses import dataclass
from functools import lru_cache

from qr_service import fields as F
from qr_service.caption_font import font
from qr_service.request import QrRequest

# (inset, size, corner radius) in modules of a finder pattern's ring, its hole and its centre, per eye
# style; a radius of half the size is a circle, and a larger one a wider circle cut by the square's sides.
# The circle style's ring is such a cut circle, flat for 2.4 of its 7 modules on each side: zbar fits
# straight lines through the middle of the ring where its scan lines cross it, and takes the module pitch
# from them. On a true circle those crossings curve inward, the pitch comes out short, and zbar's grid
# misses modules on large codes (80 of 360 codes at boxes 5-40 unread; 0 with this ring, tests/unit/test_eyes.py).
EYE_SHAPES: dict[str, tuple[tuple[float, float, float], ...]] = {
    "square": ((0, 7, 0), (1, 5, 0), (2, 3, 0)),
    "rounded": ((0, 7, 2), (1, 5, 1.2), (2, 3, 0.9)),
    "circle": ((0, 7, 3.7), (1, 5, 2.5), (2, 3, 1.5)),
}
CAPTION_BAND = 1.8  # the caption band's height, in font sizes
CAPTION_ROOM = 0.9  # of the width, the most a caption may take


@lru_cache(maxsize=256)
def _caption_font_px(caption: str, width: int) -> int:
    """A twelfth of the width, smaller if the text would not fit in nine tenths of it."""
    font_px = max(10, min(96, width // 12))
    room = width * CAPTION_ROOM
    length = font(font_px).getlength(caption)
    return max(8, int(font_px * room / length)) if length > room else font_px


@dataclass(frozen=True)
class Layout:
    side: int  # modules across, the quiet zone included
    box: int  # pixels per module
    width: int  # pixels across (and down) the code's square: `size`, or side * box
    offset: int  # pixels before the first module: `size`'s leftover, halved
    font_px: int  # the caption's font size (0 without a caption)
    band: int  # the caption band's height in pixels below the square (0 without a caption)

    @property
    def height(self) -> int:
        return self.width + self.band

    @property
    def framed(self) -> bool:
        """Whether anything surrounds the modules' own square: leftover pixels or a caption band."""
        return self.width != self.side * self.box or bool(self.band)


def layout(req: QrRequest, side: int) -> Layout:
    """The image of `req` for a matrix `side` modules across. request.py has checked that `size` gives at
    least the styles' minimum box and that a PNG at `box_size` stays within MAX_PNG_SIDE."""
    box = req.box_size if req.size is None else req.size // side
    width = req.size or side * box
    font_px = _caption_font_px(req.caption, width) if req.caption else 0
    return Layout(side, box, width, (width - side * box) // 2, font_px, round(font_px * CAPTION_BAND))


def caption_baseline(place: Layout) -> float:
    """The caption's baseline, in pixels from the top, for both writers: the midpoint of the font's ascender and
    descender at the band's middle. An SVG gives it as `y`, which every renderer honours (librsvg ignores
    `dominant-baseline`), so the text sits where the PNG's does in any of the caption's fonts."""
    ascent, descent = font(place.font_px).getmetrics()
    return place.width + place.band / 2 + (ascent - descent) / 2


def read_back_box(req: QrRequest, side: int) -> int | None:
    """The box an SVG's read-back raster is drawn at when its own is wider than a PNG may be (an SVG has no
    pixel limit); None when the SVG's own layout serves."""
    if req.size is not None or side * req.box_size <= F.MAX_PNG_SIDE:
        return None
    return F.MAX_PNG_SIDE // side

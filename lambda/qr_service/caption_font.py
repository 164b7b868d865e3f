"""The caption's font, DejaVu Sans (bundled: fonts/, with its licence): the PNG draws in it and the SVG names
it first. Pillow's own Aileron has only ASCII glyphs, so "Café" came out as "Caf" and an empty box; DejaVu Sans
draws Latin, Greek and Cyrillic text and common symbols. A caption with a character it has no glyph for is
refused (`caption.glyphs`), so no image shows an empty box where a letter should be.

Pillow loads only when a request has a caption: the validator imports this module lazily.
"""

from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_FILE = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
# The SVG's fonts: the PNG's own first, then its parent design (the same widths) and the Helvetica-like families
# most systems have, narrower for caption text (tests/unit/test_svg_renderers.py measures Liberation Sans, Arial's
# metrics), so a caption fitted in DejaVu Sans stays inside the image in any of them.
SVG_FAMILIES = "'DejaVu Sans', 'Bitstream Vera Sans', Arial, Helvetica, sans-serif"
_PROBE_PX = 24
_NO_SUCH_CHARACTER = "\U0010fffd"  # private use: never in the font, so it draws the missing-glyph box


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `size` pixels, loaded once per size."""
    return ImageFont.truetype(FONT_FILE, size)


@cache
def _missing_box() -> bytes:
    return bytes(font(_PROBE_PX).getmask(_NO_SUCH_CHARACTER))


def missing_glyphs(text: str) -> str:
    """The characters of `text` the font has no glyph for (FreeType draws its missing-glyph box for each), once each."""
    probe, box = font(_PROBE_PX), _missing_box()
    return "".join(dict.fromkeys(c for c in text if bytes(probe.getmask(c)) == box))

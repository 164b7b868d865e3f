"""PNG writer.

A plain square code: Pillow draws one pixel per module and scales it up with nearest-neighbour, a
two-colour palette (the bytes codes have always had). Anything styled (rounded modules, dots, eye
styles or colours, a caption) is stamped from prepared tiles: each module shape, and each finder
pattern, is drawn once at 8x and reduced to a few edge levels, so corners are round at any box size,
and the image is assembled row by row in one pass. The palette then holds the background, three
levels of the fill and three of the eye colour.
"""

import io
from functools import cache

from PIL import Image, ImageChops, ImageDraw

from qr_service.caption_font import font
from qr_service.layout import EYE_SHAPES, Layout, caption_baseline, layout
from qr_service.logo import load_logo, logo_placement
from qr_service.matrix import DOT_INSET, FINDER_MODULES, Matrix, finder_test, finders, row_corners
from qr_service.request import QrRequest

SUPERSAMPLE = 8
LEVELS = 3  # ink levels of an edge pixel: 1/3, 2/3, full (0 is the background)
FILL, EYE = 1, 1 + LEVELS  # first palette index of each ink
Rgb = tuple[int, int, int]


def _rgb(color: str) -> Rgb:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _mix(back: Rgb, ink: Rgb, t: float) -> Rgb:
    r, g, b = (round(bk + (ik - bk) * t) for bk, ik in zip(back, ink, strict=True))
    return r, g, b


def _plain(req: QrRequest) -> bool:
    """Plain shapes and no caption (its antialiased text needs more colours): the two-colour fast path."""
    return req.plain_shapes and not req.caption


def _palette(req: QrRequest) -> tuple[list[int], bytes | None]:
    """RGB entries and, with a transparent background, each entry's alpha.

    Index 0 is the background (white under a transparent one); then the fill's levels, then the eye's.
    """
    back = (255, 255, 255) if req.transparent else _rgb(req.back_color)
    if _plain(req):
        return [*back, *_rgb(req.fill_color)], b"\x00\xff" if req.transparent else None
    entries, alphas = [back], [0]
    for ink in (_rgb(req.fill_color), _rgb(req.eye)):
        for level in range(1, LEVELS + 1):
            t = level / LEVELS
            entries.append(ink if req.transparent else _mix(back, ink, t))
            alphas.append(round(255 * t))
    return [c for rgb in entries for c in rgb], bytes(alphas) if req.transparent else None


def _levels(mask: Image.Image, first: int) -> list[bytes]:
    """An L coverage mask as rows of palette indices: 0 where empty, first..first+2 by coverage."""
    lut = [0 if v < 255 / (2 * LEVELS) else first + min(LEVELS, round(v * LEVELS / 255)) - 1 for v in range(256)]
    indices = mask.point(lut)
    width = mask.width
    data = indices.tobytes()
    return [data[y * width : (y + 1) * width] for y in range(mask.height)]


def _reduced(big: Image.Image, width: int, height: int) -> Image.Image:
    return big.resize((width, height), Image.Resampling.BOX)


@cache
def _module_tiles(style: str, box: int) -> dict[object, list[bytes]]:
    """Rows of palette indices for each module shape at `box` pixels: full, dot, or rounded by its corners."""
    size = box * SUPERSAMPLE
    tiles: dict[object, list[bytes]] = {"empty": [bytes(box)] * box}
    if style == "dots":
        mask = Image.new("L", (size, size), 0)
        inset = DOT_INSET * size
        ImageDraw.Draw(mask).ellipse((inset, inset, size - inset, size - inset), fill=255)
        tiles["dark"] = _levels(_reduced(mask, box, box), FILL)
        return tiles
    if style == "square":
        tiles["dark"] = [bytes([FILL + LEVELS - 1]) * box] * box
        return tiles
    half = size // 2
    for key in range(16):
        corners = tuple(bool(key >> bit & 1) for bit in range(4))  # top-left, top-right, bottom-right, bottom-left
        mask = Image.new("L", (size, size), 0)
        draw = ImageDraw.Draw(mask)
        quadrants = ((0, 0), (half, 0), (half, half), (0, half))
        for rounded, (left, top) in zip(corners, quadrants, strict=True):
            if not rounded:
                draw.rectangle((left, top, left + half - 1, top + half - 1), fill=255)
        draw.ellipse((0, 0, size - 1, size - 1), fill=255)  # the rounded corners are this circle's quarters
        tiles[corners] = _levels(_reduced(mask, box, box), FILL)
    return tiles


@cache
def _eye_tile(style: str, box: int) -> list[bytes]:
    """A finder pattern (ring, hole, centre: layout.EYE_SHAPES) in the eye colour's indices."""
    unit = box * SUPERSAMPLE
    size = FINDER_MODULES * unit
    mask = Image.new("L", (size, size), 0)
    for ink, (inset, extent, radius) in zip((255, 0, 255), EYE_SHAPES[style], strict=True):
        first, last = inset * unit, (inset + extent) * unit - 1
        shape = Image.new("L", (size, size), 0)
        draw = ImageDraw.Draw(shape)
        if radius * 2 >= extent:  # a circle, or a wider one cut by the square's sides
            middle, r = (first + last) / 2, radius * unit - 0.5
            draw.ellipse((middle - r, middle - r, middle + r, middle + r), fill=255)
            shape = ImageChops.multiply(shape, _square(size, first, last))
        elif radius:
            draw.rounded_rectangle((first, first, last, last), radius=round(radius * unit), fill=255)
        else:
            draw.rectangle((first, first, last, last), fill=255)
        mask.paste(ink, mask=shape)
    return _levels(_reduced(mask, FINDER_MODULES * box, FINDER_MODULES * box), EYE)


def _square(size: int, first: float, last: float) -> Image.Image:
    square = Image.new("L", (size, size), 0)
    ImageDraw.Draw(square).rectangle((first, first, last, last), fill=255)
    return square


def _stamped(req: QrRequest, matrix: Matrix, box: int) -> Image.Image:
    """Modules from their tiles, one image row at a time; then the three finder patterns."""
    side = len(matrix)
    tiles = _module_tiles(req.module_style, box)
    finder = finder_test(side, req.border)
    rows: list[bytes] = []
    empty = tiles["empty"]
    for y, row in enumerate(matrix):
        if req.module_style == "rounded":
            shapes = [
                tiles[corners] if dark and not finder(x, y) else empty
                for x, (dark, corners) in enumerate(zip(row, row_corners(matrix, y), strict=True))
            ]
        else:
            dark_tile = tiles["dark"]
            shapes = [dark_tile if dark and not finder(x, y) else empty for x, dark in enumerate(row)]
        rows.extend(b"".join(shape[r] for shape in shapes) for r in range(box))
    image = Image.frombytes("P", (side * box, side * box), b"".join(rows))
    eye = _eye_tile(req.eye_style, box)
    eye_image = Image.frombytes("P", (FINDER_MODULES * box, FINDER_MODULES * box), b"".join(eye))
    for left, top in finders(side, req.border):
        image.paste(eye_image, (left * box, top * box))
    return image


def _caption_band(req: QrRequest, place: Layout) -> Image.Image:
    """The caption, centred in the fill colour on a band of background as wide as the image, on the baseline
    an SVG's caption uses too."""
    assert req.caption
    mask = Image.new("L", (place.width, place.band), 0)
    baseline = caption_baseline(place) - place.width
    ImageDraw.Draw(mask).text((place.width / 2, baseline), req.caption, font=font(place.font_px), fill=255, anchor="ms")
    return Image.frombytes("P", (place.width, place.band), b"".join(_levels(mask, FILL)))


def png(req: QrRequest, matrix: Matrix) -> bytes:
    return encode(draw(req, matrix))


def encode(image: Image.Image) -> bytes:
    """A two-colour palette is squeezed hard (it is cheap: 1 bit a pixel, the bytes codes always had);
    anything richer at zlib level 7, within 6 % of the smallest at a seventh of the time."""
    out = io.BytesIO()
    colours = len(image.getpalette() or []) // 3 if image.mode == "P" else 0
    if image.mode == "P" and colours <= 2:
        image.save(out, format="PNG", optimize=True, bits=1)
    elif image.mode == "P":
        image.save(out, format="PNG", compress_level=7, bits=2 if colours <= 4 else 4 if colours <= 16 else 8)
    else:
        image.save(out, format="PNG", compress_level=7)
    return out.getvalue()


def draw(req: QrRequest, matrix: Matrix) -> Image.Image:
    """The image a PNG of this request holds (also the raster an SVG's drawing is read back from)."""
    place = layout(req, len(matrix))
    side, box = place.side, place.box
    logo = load_logo(req.logo) if req.logo is not None else None
    palette, alphas = _palette(req)
    if _plain(req):
        code = Image.frombytes("P", (side, side), b"".join(bytes(row) for row in matrix))
        code = code.resize((side * box, side * box), Image.Resampling.NEAREST)
    else:
        code = _stamped(req, matrix, box)
    if place.framed:
        image = Image.new("P", (place.width, place.height), 0)
        image.paste(code, (place.offset, place.offset))
        if place.band:
            image.paste(_caption_band(req, place), (0, place.width))
    else:
        image = code
    image.putpalette(palette)
    if alphas is not None:
        image.info["transparency"] = alphas if len(alphas) > 2 else 0
    if logo is not None:
        image = image.convert("RGBA" if req.transparent else "RGB")
        left, top, width, height = logo_placement(logo.size, side, req.border, box)
        if (width, height) != logo.size:
            logo = logo.resize((width, height), Image.Resampling.LANCZOS)
        image.paste(logo, (place.offset + left, place.offset + top), logo)
    return image

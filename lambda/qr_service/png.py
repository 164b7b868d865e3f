"""PNG writer. Square modules: Pillow draws one pixel per module and scales it up with
nearest-neighbour, which keeps edges sharp and the palette at two colours. Rounded modules and
dots are drawn at full size; the finder patterns stay square in every style."""

import io

from PIL import Image, ImageDraw

from qr_service import fields as F
from qr_service.logo import load_logo, logo_box
from qr_service.matrix import DOT_INSET, Matrix, finder_test, rounded_corners
from qr_service.request import QrRequest


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _palette(req: QrRequest) -> list[int]:
    """Index 0 the background (white under a transparent one, which the PNG marks transparent), 1 the fill."""
    return [*((255, 255, 255) if req.transparent else _rgb(req.back_color)), *_rgb(req.fill_color)]


def png(req: QrRequest, matrix: Matrix) -> bytes:
    return encode(draw(req, matrix))


def encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, **({"bits": 1} if image.mode == "P" else {}))
    return out.getvalue()


def draw(req: QrRequest, matrix: Matrix) -> Image.Image:
    """The image a PNG of this request holds (also the raster an SVG's drawing is read back from)."""
    side = len(matrix)
    if side * req.box_size > F.MAX_PNG_SIDE:
        rule = F.BOX_SIZE.rule("box_size.image_size")
        raise rule.error("box_size", pixels=side * req.box_size, limit=F.MAX_PNG_SIDE)
    logo = load_logo(req.logo) if req.logo is not None else None
    if req.module_style == "square":
        image = Image.frombytes("P", (side, side), b"".join(bytes(row) for row in matrix))
        image.putpalette(_palette(req))
        image = image.resize((side * req.box_size, side * req.box_size), Image.Resampling.NEAREST)
    else:
        image = _styled(req, matrix)
    if req.transparent:
        image.info["transparency"] = 0
    if logo is not None:
        image = image.convert("RGBA" if req.transparent else "RGB")
        x, y, width = (value * req.box_size for value in logo_box(side, req.border))
        logo.thumbnail((round(width), round(width)), Image.Resampling.LANCZOS)
        offset = (round(x + (width - logo.width) / 2), round(y + (width - logo.height) / 2))
        image.paste(logo, offset, logo)
    return image


def _styled(req: QrRequest, matrix: Matrix) -> Image.Image:
    """Each module drawn at full size: finder patterns square, the rest rounded or as dots."""
    box, side = req.box_size, len(matrix)
    image = Image.new("P", (side * box, side * box), 0)
    image.putpalette(_palette(req))
    draw = ImageDraw.Draw(image)
    finder = finder_test(side, req.border)
    inset = box * DOT_INSET
    for y, row in enumerate(matrix):
        for x in (i for i, dark in enumerate(row) if dark):
            left, top = x * box, y * box
            if finder(x, y):
                draw.rectangle((left, top, left + box - 1, top + box - 1), fill=1)
            elif req.module_style == "dots":
                near, far = inset, max(inset, box - 1 - inset)
                draw.ellipse((left + near, top + near, left + far, top + far), fill=1)
            else:
                _rounded_module(draw, left, top, box, rounded_corners(matrix, x, y))
    return image


def _rounded_module(
    draw: ImageDraw.ImageDraw, left: int, top: int, box: int, corners: tuple[bool, bool, bool, bool]
) -> None:
    """A module as four quadrants: a quarter disc (radius half a module) where the corner rounds, else square."""
    last = box - 1
    if not any(corners):
        draw.rectangle((left, top, left + last, top + last), fill=1)
        return
    half = (box + 1) // 2  # quadrants overlap on the middle row and column of an odd box
    quadrants = (
        ((left, top, left + half - 1, top + half - 1), 180, 270),
        ((left + box - half, top, left + last, top + half - 1), 270, 360),
        ((left + box - half, top + box - half, left + last, top + last), 0, 90),
        ((left, top + box - half, left + half - 1, top + last), 90, 180),
    )
    for rounded, (square, start, end) in zip(corners, quadrants, strict=True):
        if rounded:
            draw.pieslice((left, top, left + last, top + last), start, end, fill=1)
        else:
            draw.rectangle(square, fill=1)

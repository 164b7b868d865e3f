"""Render a `QrRequest` to PNG or SVG bytes. Only the cache-miss path imports this module.

qrcode computes the module matrix (one byte-mode segment, so the capacity is exactly the
table in `request.CAPACITY_BYTES`). Square modules: Pillow draws one pixel per module and scales
it up with nearest-neighbour, which keeps edges sharp and the palette at two colours. Rounded
modules and dots are drawn at full size; the finder patterns stay square in every style.
"""

import base64
import io
import re
import warnings

import qrcode
import qrcode.exceptions
import qrcode.util
from PIL import Image, ImageDraw

from qr_service.request import LOGO_TYPES, QrRequest, RequestError

MAX_PNG_SIDE = 4000
MAX_LOGO_SIDE = 1024
LOGO_SHARE = 0.25  # of the symbol's side, cleared for the logo
DOT_INSET = 0.1  # of a module, on each side of a dot
_DARK_RUN = re.compile(rb"\x01+")

_ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def version_for(data: bytes, level: int) -> int:
    """The smallest version that holds `data` as one byte-mode segment.

    What QRCode.best_fit finds, computed from the same tables without writing the data out an
    extra time (about a tenth of the encoder's work).
    """
    for version in range(1, 41):
        count_bits = qrcode.util.mode_sizes_for_version(version)[qrcode.util.MODE_8BIT_BYTE]
        if 4 + count_bits + 8 * len(data) <= qrcode.util.BIT_LIMIT_TABLE[level][version]:
            return version
    raise qrcode.exceptions.DataOverflowError(f"{len(data)} bytes do not fit in a QR code at this level")


def module_matrix(req: QrRequest) -> list[list[bool]]:
    """The QR modules including the quiet zone (`border` modules wide).

    The same matrix as QRCode.make() (tests/test_render.py compares them), with two shortcuts:
    the version comes from `version_for`, and the winning mask's trial matrix is kept and given
    its format bits, instead of placing the data a ninth time.
    """
    level = _ERROR_CORRECTION[req.error_correction]
    data = req.url.encode("utf-8")
    qr = qrcode.QRCode(version=version_for(data, level), error_correction=level, border=req.border)
    qr.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_8BIT_BYTE))
    best, best_penalty, best_modules = 0, None, None
    for pattern in range(8):
        qr.makeImpl(True, pattern)  # each trial builds a fresh module list
        penalty = qrcode.util.lost_point(qr.modules)
        if best_penalty is None or penalty < best_penalty:
            best, best_penalty, best_modules = pattern, penalty, qr.modules
    qr.modules = best_modules
    qr.setup_type_info(False, best)
    if qr.version >= 7:
        qr.setup_type_number(False)
    return qr.get_matrix()


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _palette(req: QrRequest) -> list[int]:
    """Index 0 the background (white under a transparent one, which the PNG marks transparent), 1 the fill."""
    return [*((255, 255, 255) if req.transparent else _rgb(req.back_color)), *_rgb(req.fill_color)]


def _finder(side: int, border: int):
    """Whether module (x, y) belongs to one of the three finder patterns, which always stay square."""
    far = side - border - 7

    def inside(x: int, y: int) -> bool:
        near_x, far_x = border <= x < border + 7, far <= x < far + 7
        near_y, far_y = border <= y < border + 7, far <= y < far + 7
        return (near_x or far_x) and (near_y or far_y) and not (far_x and far_y)

    return inside


def logo_pad(side: int, border: int) -> tuple[int, int]:
    """(first module, modules wide) of the quiet square a logo sits on: a quarter of the symbol's side.

    zxing-cpp decoded every trial at H with a pad up to 0.40 of the side; 0.25 leaves a wide margin.
    The symbol's side is odd, so an odd pad centres exactly.
    """
    symbol = side - 2 * border
    width = max(3, round(symbol * LOGO_SHARE) | 1)
    return border + (symbol - width) // 2, width


def _without_pad(matrix: list[list[bool]], start: int, width: int) -> list[list[bool]]:
    rows = [list(row) for row in matrix]
    for y in range(start, start + width):
        rows[y][start : start + width] = [False] * width
    return rows


def load_logo(data: bytes) -> Image.Image:
    """The logo's pixels, read only after its header says it is a small PNG or JPEG; a 400 otherwise."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_LOGO_SIDE * MAX_LOGO_SIDE  # a decompression bomb stops at the header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])
            width, height = image.size
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                limit = f"{MAX_LOGO_SIDE}x{MAX_LOGO_SIDE}"
                raise RequestError(
                    f"'logo' is {width}x{height} pixels; the limit is {limit}. Use a smaller image.", field="logo"
                )
            image.load()
    except RequestError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = f"{MAX_LOGO_SIDE}x{MAX_LOGO_SIDE}"
        raise RequestError(
            f"'logo' declares more pixels than {limit}, the limit. Use a smaller image.", field="logo"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise RequestError("'logo' is not a readable PNG or JPEG image.", field="logo") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    return image.convert("RGBA")


def _logo_box(req: QrRequest, side: int) -> tuple[float, float, float]:
    """(x, y, width) in modules of the logo inside its pad, a tenth of the pad kept clear around it."""
    start, width = logo_pad(side, req.border)
    margin = width * 0.1
    return start + margin, start + margin, width - 2 * margin


def _png(req: QrRequest, matrix: list[list[bool]]) -> bytes:
    side = len(matrix)
    if side * req.box_size > MAX_PNG_SIDE:
        raise RequestError(
            f"The image would be {side * req.box_size} pixels wide; the limit is {MAX_PNG_SIDE}. "
            "Use a smaller box_size or border.",
            field="box_size",
        )
    logo = load_logo(req.logo) if req.logo is not None else None
    if req.module_style == "square":
        # One pixel per module, scaled up with nearest-neighbour: sharp edges, a two-colour palette.
        image = Image.frombytes("P", (side, side), b"".join(bytes(row) for row in matrix))
        image.putpalette(_palette(req))
        image = image.resize((side * req.box_size, side * req.box_size), Image.Resampling.NEAREST)
    else:
        image = _styled_png(req, matrix)
    if req.transparent:
        image.info["transparency"] = 0
    if logo is not None:
        image = image.convert("RGBA" if req.transparent else "RGB")
        x, y, width = (value * req.box_size for value in _logo_box(req, side))
        logo.thumbnail((round(width), round(width)), Image.Resampling.LANCZOS)
        offset = (round(x + (width - logo.width) / 2), round(y + (width - logo.height) / 2))
        image.paste(logo, offset, logo)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, **({"bits": 1} if image.mode == "P" else {}))
    return out.getvalue()


def _rounded_corners(matrix: list[list[bool]], x: int, y: int) -> tuple[bool, bool, bool, bool]:
    """Which corners (top-left, top-right, bottom-right, bottom-left) have light on both sides: those round."""
    side = len(matrix)

    def light(cx: int, cy: int) -> bool:
        return not (0 <= cx < side and 0 <= cy < side and matrix[cy][cx])

    up, down, left, right = light(x, y - 1), light(x, y + 1), light(x - 1, y), light(x + 1, y)
    return up and left, up and right, down and right, down and left


def _styled_png(req: QrRequest, matrix: list[list[bool]]) -> Image.Image:
    """Each module drawn at full size: finder patterns square, the rest rounded or as dots."""
    box, side = req.box_size, len(matrix)
    image = Image.new("P", (side * box, side * box), 0)
    image.putpalette(_palette(req))
    draw = ImageDraw.Draw(image)
    finder = _finder(side, req.border)
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
                _rounded_module(draw, left, top, box, _rounded_corners(matrix, x, y))
    return image


def _rounded_module(draw: ImageDraw.ImageDraw, left: int, top: int, box: int, corners) -> None:
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


def _short_color(color: str) -> str:
    """#rrggbb as #rgb when that says the same (#000000 -> #000)."""
    if color[1] == color[2] and color[3] == color[4] and color[5] == color[6]:
        return f"#{color[1]}{color[3]}{color[5]}"
    return color


def _runs(matrix: list[list[bool]], finder, in_finder: bool):
    """(y, start, end) of each horizontal run of dark modules, inside the finder patterns or outside them.

    A finder pattern is ringed by light separator modules, so a run lies wholly inside one or wholly
    outside; its first module says which. With `finder` None, every run.
    """
    for y, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(bytes(row)):  # bools as bytes: the scan runs in C
            start, end = run.span()
            if finder is None or finder(start, y) == in_finder:
                yield y, start, end


def _stroke_runs(matrix: list[list[bool]], finder=None) -> str:
    """Runs of dark modules (with a `finder`, only the finder patterns') as strokes one module thick,
    each written relative to where the last ended."""
    commands = []
    pen_x, pen_y = 0, None
    for y, start, end in _runs(matrix, finder, in_finder=True):
        if pen_y is None:
            commands.append(f"M{start} {y}.5h{end - start}")
        else:
            commands.append(f"m{start - pen_x} {y - pen_y}h{end - start}")
        pen_x, pen_y = end, y
    return "".join(commands)


def _rounded_runs(matrix: list[list[bool]], finder) -> str:
    """Each horizontal run outside the finder patterns as one shape; only its two ends can round.

    A corner rounds (radius half a module) when the modules on both its sides are light.
    """
    parts = []
    for y, start, end in _runs(matrix, finder, in_finder=False):
        first, last = start, end - 1
        top_left, _, _, bottom_left = _rounded_corners(matrix, first, y)
        _, top_right, bottom_right, _ = _rounded_corners(matrix, last, y)
        inner = last - first
        parts.append(
            f"M{first} {y}.5"
            + ("a.5 .5 0 0 1 .5-.5" if top_left else "v-.5h.5")
            + (f"h{inner}" if inner else "")
            + ("a.5 .5 0 0 1 .5 .5" if top_right else "h.5v.5")
            + ("a.5 .5 0 0 1-.5 .5" if bottom_right else "v.5h-.5")
            + (f"h-{inner}" if inner else "")
            + ("a.5 .5 0 0 1-.5-.5" if bottom_left else "h-.5v-.5")
            + "z"
        )
    return "".join(parts)


def _dots(matrix: list[list[bool]], finder) -> str:
    radius = 0.5 - DOT_INSET
    r = f"{radius:g}".lstrip("0")
    diameter = f"{2 * radius:g}".lstrip("0")
    return "".join(
        f"M{x + DOT_INSET:g} {y}.5a{r} {r} 0 1 0 {diameter} 0a{r} {r} 0 1 0-{diameter} 0"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark and not finder(x, y)
    )


def _svg(req: QrRequest, matrix: list[list[bool]]) -> bytes:
    """Square modules as strokes of relative runs; rounded runs and dots as one filled path; the logo embedded.

    The viewBox counts modules and the size is in pixels; the background is one rect (none when transparent).
    """
    side = len(matrix)
    fill = _short_color(req.fill_color)
    px = side * req.box_size
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {side} {side}"'
        + (' shape-rendering="crispEdges">' if req.module_style == "square" else ">")
    ]
    if not req.transparent:
        parts.append(f'<rect width="{side}" height="{side}" fill="{_short_color(req.back_color)}"/>')
    if req.module_style == "square":
        parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix)}"/>')
    else:
        finder = _finder(side, req.border)
        shapes = _dots(matrix, finder) if req.module_style == "dots" else _rounded_runs(matrix, finder)
        parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix, finder)}"/>')
        parts.append(f'<path fill="{fill}" d="{shapes}"/>')
    if req.logo is not None:
        load_logo(req.logo)  # the same checks as for a PNG, before anything is written
        x, y, width = _logo_box(req, side)
        kind = next(kind for magic, kind in LOGO_TYPES.items() if req.logo.startswith(magic))
        data = base64.b64encode(req.logo).decode("ascii")
        parts.append(
            f'<image x="{x:g}" y="{y:g}" width="{width:g}" height="{width:g}" '
            f'preserveAspectRatio="xMidYMid meet" href="data:{kind};base64,{data}"/>'
        )
    parts.append("</svg>\n")
    return "".join(parts).encode()


def render(req: QrRequest) -> bytes:
    matrix = module_matrix(req)
    if req.logo is not None:
        matrix = _without_pad(matrix, *logo_pad(len(matrix), req.border))
    return _png(req, matrix) if req.format == "png" else _svg(req, matrix)

"""Render a `QrRequest` to PNG or SVG bytes. Only the cache-miss path imports this module.

qrcode computes the module matrix (one byte-mode segment, so the capacity is exactly the
table in `request.CAPACITY_BYTES`); Pillow draws it one pixel per module and scales it up
with nearest-neighbour, which keeps edges sharp and the palette at two colours.
"""

import io
import re

import qrcode
import qrcode.exceptions
import qrcode.util
from PIL import Image

from qr_service.request import QrRequest, RequestError

MAX_PNG_SIDE = 4000
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


def _png(req: QrRequest, matrix: list[list[bool]]) -> bytes:
    side = len(matrix)
    if side * req.box_size > MAX_PNG_SIDE:
        raise RequestError(
            f"The image would be {side * req.box_size} pixels wide; the limit is {MAX_PNG_SIDE}. "
            "Use a smaller box_size or border."
        )
    image = Image.frombytes("P", (side, side), b"".join(bytes(row) for row in matrix))
    image.putpalette([*_rgb(req.back_color), *_rgb(req.fill_color)])
    image = image.resize((side * req.box_size, side * req.box_size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, bits=1)
    return out.getvalue()


def _short_color(color: str) -> str:
    """#rrggbb as #rgb when that says the same (#000000 -> #000)."""
    if color[1] == color[2] and color[3] == color[4] and color[5] == color[6]:
        return f"#{color[1]}{color[3]}{color[5]}"
    return color


def _svg(req: QrRequest, matrix: list[list[bool]]) -> bytes:
    """Each run of dark modules is one stroke, one module thick, written relative to where the last ended.

    The viewBox counts modules and the size is in pixels; the background is one rect.
    """
    side = len(matrix)
    commands = []
    pen_x, pen_y = 0, None
    for y, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(bytes(row)):  # bools as bytes: the scan runs in C
            start, end = run.span()
            if pen_y is None:
                commands.append(f"M{start} {y}.5h{end - start}")
            else:
                commands.append(f"m{start - pen_x} {y - pen_y}h{end - start}")
            pen_x, pen_y = end, y
    px = side * req.box_size
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {side} {side}" '
        'shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="{_short_color(req.back_color)}"/>'
        f'<path stroke="{_short_color(req.fill_color)}" d="{"".join(commands)}"/></svg>\n'
    ).encode()


def render(req: QrRequest) -> bytes:
    matrix = module_matrix(req)
    return _png(req, matrix) if req.format == "png" else _svg(req, matrix)

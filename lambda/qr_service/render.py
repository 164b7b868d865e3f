"""Render a `QrRequest` to PNG or SVG bytes. Only the cache-miss path imports this module.

qrcode computes the module matrix (one byte-mode segment, so the capacity is exactly the
table in `request.CAPACITY_BYTES`); Pillow draws it one pixel per module and scales it up
with nearest-neighbour, which keeps edges sharp and the palette at two colours.
"""

import io

import qrcode
import qrcode.util
from PIL import Image

from qr_service.request import QrRequest, RequestError

MAX_PNG_SIDE = 4000

_ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def module_matrix(req: QrRequest) -> list[list[bool]]:
    """The QR modules including the quiet zone (`border` modules wide)."""
    qr = qrcode.QRCode(error_correction=_ERROR_CORRECTION[req.error_correction], border=req.border)
    qr.add_data(qrcode.util.QRData(req.url.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    qr.make(fit=True)
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
    image = Image.new("P", (side, side), 0)
    image.putpalette([*_rgb(req.back_color), *_rgb(req.fill_color)])
    image.putdata([1 if dark else 0 for row in matrix for dark in row])
    image = image.resize((side * req.box_size, side * req.box_size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, bits=1)
    return out.getvalue()


def _svg(req: QrRequest, matrix: list[list[bool]]) -> bytes:
    """One path of unit squares on a background rect; the viewBox counts modules, the size is in px."""
    side = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < side:
            if row[x]:
                start = x
                while x < side and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    px = side * req.box_size
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="{req.back_color}"/>'
        f'<path fill="{req.fill_color}" d="{"".join(runs)}"/></svg>\n'
    ).encode()


def render(req: QrRequest) -> bytes:
    matrix = module_matrix(req)
    return _png(req, matrix) if req.format == "png" else _svg(req, matrix)

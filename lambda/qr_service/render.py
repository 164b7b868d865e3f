"""Render a `QrRequest` to PNG or SVG bytes: the matrix, the logo's pad, then the format's writer.

Only the cache-miss path imports this module (and through it qrcode and Pillow).
"""

from qr_service.logo import without_pad
from qr_service.matrix import module_matrix
from qr_service.png import png
from qr_service.request import QrRequest
from qr_service.svg import svg


def render(req: QrRequest) -> bytes:
    matrix = module_matrix(req)
    if req.logo is not None:
        matrix = without_pad(matrix, req.border)
    return png(req, matrix) if req.format == "png" else svg(req, matrix)

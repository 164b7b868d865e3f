"""Render a `QrRequest` to PNG or SVG bytes: the matrix, the logo's pad, then the format's writer.

Only the cache-miss path imports this module (and through it qrcode, Pillow and zxing-cpp).
`render_verified` is what the service stores and serves: the image, read back first (verify.py).
"""

from dataclasses import replace

from qr_service import png
from qr_service.layout import read_back_box
from qr_service.logo import without_pad
from qr_service.matrix import Matrix, module_matrix
from qr_service.request import QrRequest
from qr_service.svg import svg
from qr_service.verify import read_back


def _matrix(req: QrRequest) -> Matrix:
    matrix = module_matrix(req)
    return without_pad(matrix, req.border) if req.logo is not None else matrix


def render(req: QrRequest) -> bytes:
    """The image, not read back (for benchmarks and tests of the drawing itself)."""
    matrix = _matrix(req)
    return png.png(req, matrix) if req.format == "png" else svg(req, matrix)


def render_verified(req: QrRequest) -> bytes:
    """The image, once a decoder has read exactly the url back from it; UnreadableRender (a 422) otherwise.

    An SVG has no pixel limit; its raster is drawn at the largest box a PNG may have, when its own is larger.
    """
    matrix = _matrix(req)
    if req.format == "png":
        raster = png.draw(req, matrix)
        read_back(req, raster)
        return png.encode(raster)
    box = read_back_box(req, len(matrix))
    read_back(req, png.draw(req if box is None else replace(req, box_size=box), matrix))
    return svg(req, matrix)

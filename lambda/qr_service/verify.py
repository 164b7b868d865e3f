"""Read-back: every new image is decoded by a real decoder (zxing-cpp) before it is stored or served.

Only the miss path imports this module. A PNG is read back from the very image it encodes; an SVG
from a raster of the same drawing (the same matrix, module shapes, colours and logo, drawn as the
PNG of the same request would be), since the SVG's own renderer is the viewer's.
"""

import zxingcpp
from PIL import Image

from qr_service.errors import RENDER_UNREADABLE, RequestError
from qr_service.request import QrRequest

QR_CODES = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class UnreadableRender(RequestError):
    """The drawing did not decode to exactly the url's bytes; nothing was stored."""


def _on_white(image: Image.Image) -> Image.Image:
    """Grey levels as the code is seen on a white page (a transparent background is the page)."""
    if image.mode == "RGBA" or "transparency" in image.info:
        page = Image.new("RGBA", image.size, (255, 255, 255, 255))
        page.alpha_composite(image.convert("RGBA"))
        return page.convert("L")
    return image.convert("L")


def read_back(req: QrRequest, raster: Image.Image) -> None:
    """Raise UnreadableRender unless a QR code in `raster` holds exactly the url's UTF-8 bytes."""
    wanted = req.url.encode("utf-8")
    found = zxingcpp.read_barcodes(_on_white(raster), formats=QR_CODES)
    if not any(result.bytes == wanted for result in found):
        raise UnreadableRender(RENDER_UNREADABLE)

"""Asking a running service and reading its answer, for `make smoke`, the tests and the benchmarks: one
HTTP client that never follows a redirect (a redirect is an answer to check, not to take), and one way
to read a QR code off a PNG (zxing-cpp, the decoder the service reads back with)."""

import io
import urllib.error
import urllib.request
from email.message import Message


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http(
    method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, Message, bytes]:
    """(status, headers, body) of one request, any status; headers are read in any letter case.

    A connection that fails raises urllib.error.URLError or OSError.
    """
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def decode(png: bytes) -> list[str]:
    """The text of every QR code zxing-cpp finds in a PNG."""
    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]

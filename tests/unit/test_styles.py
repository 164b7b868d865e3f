"""Styled codes: transparent backgrounds, rounded modules and dots, and a logo, each proven to scan.

Every combination of style x format x error-correction level (a logo only at H) is rendered for a
short, a long and a non-ASCII URL and decoded with two independent decoders, zxing-cpp and zbar,
which must agree: SVGs are rasterized by cairo at their own pixel size, transparent images are
composited on white and on a mid-grey page.
"""

import base64
import hashlib
import io
import re
import zlib

import pytest
import zxingcpp
from PIL import Image
from support.helpers import bucket_keys, call, get_object, queued, table_items

import create_qr
from qr_service.errors import RequestError
from qr_service.fields import CAPACITY_BYTES, MIN_BOX_SIZE, MIN_EYE_BOX_SIZE
from qr_service.render import render
from qr_service.request import QrRequest, build_request

URLS = {
    "short": "a.b",
    "long": "https://example.com/" + "".join(chr(ord("a") + i % 26) for i in range(480)),
    "non-ascii": "https://例え.jp/パス?q=ü&😀",
    # zbar guesses Shift_JIS for Latin UTF-8 without an ECI designator (ü as ﾃｼ): the ECI case.
    "latin": "https://münchen.example/straße",
}
STYLES = list(MIN_BOX_SIZE)
PAGES = {"white": (255, 255, 255), "mid-grey": (128, 128, 128)}
BOX = 5  # every style scans from here (MIN_BOX_SIZE)


def png_bytes(size=(64, 64), color=(200, 30, 30, 255), kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if kind == "PNG" else "RGB", size, color[: 4 if kind == "PNG" else 3]).save(out, kind)
    return out.getvalue()


LOGO = png_bytes()


def raster(image: bytes, fmt: str, box: int) -> Image.Image:
    if fmt == "svg":
        import cairosvg

        image = cairosvg.svg2png(bytestring=image)  # at the SVG's own width and height
    return Image.open(io.BytesIO(image)).convert("RGBA")


def decoded(image: bytes, fmt: str, box: int, page=(255, 255, 255)) -> list[str]:
    """What both scanners read off the image shown on a page of colour `page`: the texts they agree on."""
    from pyzbar import pyzbar

    pixels = raster(image, fmt, box)
    shown = Image.alpha_composite(Image.new("RGBA", pixels.size, (*page, 255)), pixels).convert("L")
    zxing = [result.bytes.decode("utf-8", "replace") for result in zxingcpp.read_barcodes(shown)]
    zbar = [symbol.data.decode("utf-8", "replace") for symbol in pyzbar.decode(shown)]
    return zxing if zxing == zbar else [f"zxing-cpp read {zxing}, zbar read {zbar}"]


MATRIX = [
    (style, fmt, level, logo, name)
    for style in STYLES
    for fmt in ("png", "svg")
    for level, logo in (("L", False), ("M", False), ("Q", False), ("H", False), ("H", True))
    for name in URLS
]


@pytest.mark.slow
@pytest.mark.parametrize(("style", "fmt", "level", "logo", "name"), MATRIX)
def test_every_style_format_and_level_scans_back_exactly(style, fmt, level, logo, name):
    url = URLS[name]
    req = QrRequest(
        url, format=fmt, module_style=style, box_size=BOX, error_correction=level, logo=LOGO if logo else None
    )
    assert decoded(render(req), fmt, BOX) == [url]


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(
    ("style", "fmt", "logo"), [(s, f, lg) for s in STYLES for f in ("png", "svg") for lg in (0, 1)]
)
def test_transparent_codes_scan_on_a_white_and_on_a_mid_grey_page(style, fmt, logo, page):
    for url in URLS.values():
        req = QrRequest(
            url, format=fmt, module_style=style, box_size=BOX, back_color="transparent",
            error_correction="H" if logo else "M", logo=LOGO if logo else None,
        )  # fmt: skip
        assert decoded(render(req), fmt, BOX, PAGES[page]) == [url], url


SHAPES = [("module_style", style, MIN_BOX_SIZE[style]) for style in MIN_BOX_SIZE] + [
    ("eye_style", style, MIN_EYE_BOX_SIZE[style]) for style in MIN_EYE_BOX_SIZE
]


@pytest.mark.slow
@pytest.mark.parametrize(("option", "style", "minimum"), SHAPES, ids=[f"{o}={s}" for o, s, _ in SHAPES])
def test_the_smallest_box_size_is_where_every_code_starts_to_scan(option, style, minimum):
    """From the minimum up every code scans with both decoders; one pixel less, some do not: so it is refused."""

    def failures(box: int) -> int:
        return sum(
            decoded(render(QrRequest(url, format=fmt, box_size=box, error_correction=lvl, **{option: style})), fmt, box)
            != [url]
            for url in URLS.values()
            for fmt in ("png", "svg")
            for lvl in ("M", "H")
        )

    assert [failures(box) for box in range(minimum, minimum + 4)] == [0, 0, 0, 0]
    assert failures(minimum - 1) > 0
    with pytest.raises(RequestError, match=f"at least {minimum} pixels"):
        build_request({"url": "a.b", option: style, "box_size": minimum - 1})


def test_an_ascii_links_image_is_byte_for_byte_what_it_was():
    """Digests of an ASCII link's output: the PNG's from before the ECI designator and the layout module (commit
    77bf35a); the SVG's since each row of its path starts with an absolute move (issue 29; test_svg_renderers.py
    proves the path draws exactly the matrix's dark runs)."""
    png = QrRequest("https://example.com/abc?q=1")
    svg = QrRequest("https://example.com/abc?q=1", format="svg", box_size=3, fill_color="#112233", back_color="#eeeeee")
    assert hashlib.sha256(render(png)).hexdigest() == "adfe58a73e734de5750f9b898e7cc683141caf94bd8fb8c5a9aa2e3ba11ebcc9"
    assert hashlib.sha256(render(svg)).hexdigest() == "7bc74fd2d675498145ae6e042176d0a012b453786a11e10ad93f202f7aad4218"


def test_a_transparent_png_has_real_transparency_and_a_transparent_svg_no_background():
    png = Image.open(io.BytesIO(render(QrRequest("a.b", back_color="transparent"))))
    assert png.mode == "P" and png.info["transparency"] == 0
    assert png.convert("RGBA").getpixel((0, 0))[3] == 0
    svg = render(QrRequest("a.b", format="svg", back_color="transparent")).decode()
    assert "<rect" not in svg
    with_logo = Image.open(
        io.BytesIO(render(QrRequest("a.b", back_color="transparent", logo=LOGO, error_correction="H")))
    )
    assert with_logo.mode == "RGBA" and with_logo.getpixel((0, 0))[3] == 0


def test_finder_patterns_stay_square_in_every_style():
    """The 7x7 corner of a dots code is drawn exactly as in a square code."""
    box = 8
    square = raster(render(QrRequest("a.b", box_size=box)), "png", box)
    for style in ("rounded", "dots"):
        styled = raster(render(QrRequest("a.b", box_size=box, module_style=style)), "png", box)
        corner = (4 * box, 4 * box, 11 * box, 11 * box)  # border 4, then the finder pattern
        assert styled.crop(corner).tobytes() == square.crop(corner).tobytes(), style


def test_the_svg_embeds_the_logo_as_a_data_uri():
    svg = render(QrRequest("a.b", format="svg", logo=LOGO, error_correction="H")).decode()
    [uri] = re.findall(r'<image [^>]*href="data:image/png;base64,([^"]+)"', svg)
    assert base64.b64decode(uri) == LOGO
    jpeg = png_bytes(kind="JPEG")
    assert "data:image/jpeg;base64," in render(QrRequest("a.b", format="svg", logo=jpeg, error_correction="H")).decode()


def test_the_logo_is_part_of_the_cache_key():
    plain = build_request({"url": "a.b"})
    one = build_request({"url": "a.b", "logo": base64.b64encode(LOGO).decode()})
    same = build_request({"url": "a.b", "logo": base64.b64encode(LOGO).decode(), "error_correction": "h"})
    other = build_request({"url": "a.b", "logo": base64.b64encode(png_bytes(color=(0, 0, 200, 255))).decode()})
    assert one.error_correction == "H"
    assert len({plain.cache_key, one.cache_key, other.cache_key}) == 3
    assert one.cache_key == same.cache_key


def test_styles_and_transparency_work_in_get_too(aws, lambda_context):
    status, _, body = call(
        create_qr, lambda_context, method="GET", query="url=a.b&module_style=Dots&back_color=TRANSPARENT&box_size=6"
    )
    assert status == 200, body
    assert decoded(body, "png", 6, PAGES["mid-grey"]) == ["a.b"]


def test_a_logo_through_the_api_scans(aws, lambda_context):
    status, _, body = call(
        create_qr,
        lambda_context,
        body={"url": "https://logo.example/über", "logo": base64.b64encode(LOGO).decode()},
    )
    assert status == 200, body
    assert decoded(get_object(aws, body["qr_code_url"])["Body"].read(), "png", 10) == ["https://logo.example/über"]


def _huge_png(width: int, height: int) -> bytes:
    """A valid PNG header claiming width x height, with almost no data: only the header is sound."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )


LONG_URL_AT_H = "https://e.x/" + "a" * (CAPACITY_BYTES["H"] - 11)
BAD_STYLED = [
    (
        "light fill on transparent",
        {"back_color": "transparent", "fill_color": "#cccccc"},
        "too light for a transparent",
    ),
    ("unknown style", {"module_style": "hearts"}, "'module_style' must be one of square, rounded, dots"),
    ("dots too small", {"module_style": "dots", "box_size": 1}, "at least 2 pixels per module"),
    ("circle eyes too small", {"eye_style": "circle", "box_size": 2}, "at least 3 pixels per module"),
    ("logo not base64", {"logo": "not base64!"}, "not valid base64"),
    ("logo not a string", {"logo": 42}, "must be a string"),
    ("logo too big", {"logo": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 9000).decode()}, "the limit is 8192"),
    ("logo a GIF", {"logo": base64.b64encode(b"GIF89a" + b"\0" * 30).decode()}, "must be a PNG or JPEG"),
    ("logo corrupt", {"logo": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20).decode()}, "not a readable"),
    ("logo over 1024 px", {"logo": base64.b64encode(_huge_png(1025, 10)).decode()}, "1025x10 pixels"),
    ("logo a bomb header", {"logo": base64.b64encode(_huge_png(60000, 60000)).decode()}, "more pixels than 1024x1024"),
    ("logo at a lower level", {"logo": base64.b64encode(LOGO).decode(), "error_correction": "Q"}, "must be H"),
    (
        "logo with a url too long for H",
        {"logo": base64.b64encode(LOGO).decode(), "url": LONG_URL_AT_H},
        "holds at most 1273",
    ),
]


@pytest.mark.parametrize(("fields", "message"), [c[1:] for c in BAD_STYLED], ids=[c[0] for c in BAD_STYLED])
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_bad_styled_requests_get_a_400_and_nothing_is_written(aws, lambda_context, fields, message, fmt):
    status, _, payload = call(create_qr, lambda_context, body={"url": "https://e.x", "format": fmt, **fields})
    assert status == 400, payload
    assert message in payload["message"]
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


def test_a_logo_in_a_query_string_is_refused(aws, lambda_context):
    status, _, payload = call(create_qr, lambda_context, method="GET", query="url=a.b&logo=iVBORw0KGgo")
    assert status == 400 and "only be sent in a POST body" in payload["message"]

"""SVGs open the same in the renderers people use: cairo (cairosvg, as in the other scan tests) and librsvg
(`rsvg-convert`: GNOME, ImageMagick, many converters), each read back by zxing-cpp and zbar, for every
module and eye style with a logo and a caption; the logo by SVG 1.1's xlink:href (Inkscape ignores a bare
href); the caption on the PNG's baseline, inside the image even in the widest fallback font.
"""

import io
import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import cairosvg
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageFont
from pyzbar import pyzbar

from qr_service.fields import EYE_STYLES, MIN_BOX_SIZE
from qr_service.layout import CAPTION_ROOM, WIDEST_FALLBACK, caption_baseline, font, layout
from qr_service.matrix import finder_test, module_matrix
from qr_service.render import render
from qr_service.request import QrRequest

SVG, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}"
URL = "https://example.com/menu?table=12"
LONG_URL = "https://example.com/" + "".join(chr(97 + i * 7 % 26) for i in range(130))
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core, Chromium's dependency


def logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 30, 30, 255)).save(out, "PNG")
    return out.getvalue()


def cairo(svg: bytes, scale: float = 1) -> Image.Image:
    width, height = (float(v) for v in re.search(rb'width="(\d+)" height="(\d+)"', svg).groups())
    png = cairosvg.svg2png(bytestring=svg, output_width=round(width * scale), output_height=round(height * scale))
    return Image.open(io.BytesIO(png)).convert("RGB")


def librsvg(svg: bytes, scale: float = 1) -> Image.Image:
    assert shutil.which("rsvg-convert"), "rsvg-convert is missing: apt-get install librsvg2-bin (.ci/run does)"
    png = subprocess.run(["rsvg-convert", "--zoom", str(scale)], input=svg, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


RENDERERS = {"cairo": cairo, "librsvg": librsvg}


def read(image: Image.Image) -> tuple[list[str], list[str]]:
    image = image.convert("L")
    zxing = [result.text for result in zxingcpp.read_barcodes(image)]
    zbar = [symbol.data.decode("utf-8", "replace") for symbol in pyzbar.decode(image)]
    return zxing, zbar


STYLES = [(module, eye) for module in MIN_BOX_SIZE for eye in EYE_STYLES]


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize(("module_style", "eye_style"), STYLES)
def test_every_style_with_a_logo_and_a_caption_reads_in_both_renderers_and_both_decoders(module_style, eye_style):
    """At the SVG's own size and at 1.37 times it (pixel edges off the module grid), plain and dressed."""
    unread = []
    for url, dressed in itertools.product((URL, LONG_URL), (False, True)):
        extras = {"logo": logo(), "caption": "Scan for the menu", "error_correction": "H"} if dressed else {}
        svg = render(QrRequest(url, format="svg", module_style=module_style, eye_style=eye_style, **extras))
        for name, renderer in RENDERERS.items():
            for scale in (1, 1.37):
                zxing, zbar = read(renderer(svg, scale))
                if zxing != [url] or zbar != [url]:
                    unread.append(f"{len(url)} characters, {name} x{scale}, dressed={dressed}: {zxing}, {zbar}")
    assert unread == []


@pytest.mark.subprocess
@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_the_svg_draws_the_logo_where_and_as_large_as_the_png_does(renderer):
    """A 64-pixel logo in a 136-pixel box: the PNG never enlarges it, so neither does the SVG (the service reads
    back the PNG's raster for both). Stretched, it once hid enough modules that zbar read nothing."""
    req = QrRequest(LONG_URL, logo=logo(), error_correction="H")
    png = Image.open(io.BytesIO(render(req))).convert("RGB")
    svg = RENDERERS[renderer](render(QrRequest(LONG_URL, format="svg", logo=logo(), error_correction="H")))
    assert _red(svg) == _red(png) and _red(png)[2] - _red(png)[0] == 64


def _red(image: Image.Image) -> tuple[int, int, int, int]:
    red, green, _ = image.split()
    return ImageChops.subtract(red, green).point(lambda v: 255 if v > 100 else 0).getbbox()


def test_the_logo_is_linked_with_xlink_href_and_the_namespace_is_declared():
    svg = render(QrRequest(URL, format="svg", logo=logo(), error_correction="H"))
    image = ET.fromstring(svg).find(f"{SVG}image")
    assert image is not None
    assert image.get(f"{XLINK}href", "").startswith("data:image/png;base64,")
    assert "href" not in image.attrib  # no bare SVG 2 href beside it
    assert b"xmlns:xlink" not in render(QrRequest(URL, format="svg"))  # declared only where it is used


@pytest.mark.subprocess
def test_the_logo_shows_in_librsvg():
    """The logo's red reaches librsvg's raster (it draws xlink:href; this fails if the link is not read)."""
    raster = librsvg(render(QrRequest(URL, format="svg", logo=logo(), error_correction="H")))
    width = raster.width
    assert raster.getpixel((width // 2, width // 2)) == (200, 30, 30)


def test_the_caption_is_placed_by_its_baseline_the_pngs_own():
    req = QrRequest(URL, format="svg", caption="Scan me", size=400)
    text = ET.fromstring(render(req)).find(f"{SVG}text")
    assert text is not None and "dominant-baseline" not in text.attrib
    assert text.get("font-family", "").startswith("Aileron,")  # the PNG's font first
    place = layout(req, len(module_matrix(req)))
    assert float(text.get("y", "nan")) == pytest.approx(caption_baseline(place) / place.box - place.offset / place.box)


def _ink_rows_and_columns(image: Image.Image, top: int) -> tuple[int, int, int, int]:
    band = image.convert("L").crop((0, top, image.width, image.height)).point(lambda v: 255 if v < 128 else 0)
    left, upper, right, lower = band.getbbox()
    return left, upper + top, right, lower + top


@pytest.mark.subprocess
@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_the_caption_sits_on_the_pngs_baseline_in_each_renderer(renderer):
    """ "Scan me" has no descender, so its ink ends on the baseline: within a pixel of the PNG's."""
    req = QrRequest(URL, caption="Scan me", size=400)
    png = Image.open(io.BytesIO(render(req))).convert("L")
    svg = RENDERERS[renderer](render(QrRequest(URL, format="svg", caption="Scan me", size=400)))
    assert svg.size == png.size
    assert abs(_ink_rows_and_columns(svg, 400)[3] - _ink_rows_and_columns(png, 400)[3]) <= 1


# ASCII: Aileron, the PNG's font, draws nothing else (docs/api.md says so).
CAPTIONS = ["Scan me", "WWW.EXAMPLE.COM/MENU", "Menu, prices and opening hours, today", "m" * 40, "0123456789" * 4]


@pytest.mark.subprocess
@pytest.mark.parametrize("renderer", list(RENDERERS))
@pytest.mark.parametrize("caption", CAPTIONS)
def test_a_caption_stays_inside_the_image_in_the_widest_fallback_font(renderer, caption):
    """The SVG's fonts swapped for DejaVu Sans, the widest a renderer falls back to: the text keeps a margin.
    (At 500 pixels: below about 400, 40 wide letters reach the caption's 8-pixel floor and fit only in Aileron.)"""
    svg = render(QrRequest(URL, format="svg", caption=caption, size=500))
    widest = re.sub(rb'font-family="[^"]*"', b'font-family="DejaVu Sans"', svg)
    left, _, right, _ = _ink_rows_and_columns(RENDERERS[renderer](widest), 500)
    assert left >= 5 and right <= 500 - 5, (left, right)


def test_latin_text_in_dejavu_sans_is_at_most_the_widest_fallback_times_its_aileron_width():
    """The measurement behind layout.WIDEST_FALLBACK, over words and letter runs a caption may hold."""
    dejavu = ImageFont.truetype(DEJAVU, 100)
    aileron = font(100)
    texts = [*CAPTIONS, "Scan me!", "iiiiilllll", "Tisch 12, Speisekarte", "Wi-Fi: Guest / 5 GHz", "info@example.com"]
    ratios = {text: dejavu.getlength(text) / aileron.getlength(text) for text in texts}
    assert max(ratios.values()) <= WIDEST_FALLBACK, ratios
    assert CAPTION_ROOM < 1


def test_the_square_path_draws_exactly_the_dark_modules():
    """Rows start with absolute moves, runs go on relatively: parsed back, they cover exactly the dark modules."""
    for req, styled in (
        (QrRequest(URL, format="svg"), False),
        (QrRequest(URL, format="svg", eye_style="circle"), True),
    ):
        matrix = module_matrix(req)
        strokes = re.search(r'<path stroke="[^"]+" d="([^"]+)"', render(req).decode()).group(1)
        drawn, x, y = set(), 0, 0
        for command, dx, dy, length in re.findall(r"([Mm])(\d+) (\d+)(?:\.5)?h(\d+)", strokes):
            x, y = (int(dx), int(dy)) if command == "M" else (x + int(dx), y)
            drawn |= {(x + i, y) for i in range(int(length))}
            x += int(length)
        finder = finder_test(len(matrix), req.border)
        dark = {(x, y) for y, row in enumerate(matrix) for x, on in enumerate(row) if on}
        assert drawn == ({m for m in dark if not finder(*m)} if styled else dark)

"""SVGs open the same in the renderers people use: cairo (cairosvg, as in the other scan tests) and librsvg
(`rsvg-convert`: GNOME, ImageMagick, many converters), each read back by zxing-cpp and zbar, for every
module and eye style with a logo and a caption; the logo by SVG 1.1's xlink:href (Inkscape ignores a bare
href), as large as the PNG's; the caption in the PNG's font and on its baseline, inside the image in the
narrower fallbacks too, with every letter drawn.
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

from qr_service.caption_font import FONT_FILE, font, missing_glyphs
from qr_service.errors import RequestError
from qr_service.fields import EYE_STYLES, MIN_BOX_SIZE
from qr_service.layout import caption_baseline, layout
from qr_service.matrix import finder_test, module_matrix
from qr_service.render import render
from qr_service.request import QrRequest, build_request

SVG, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}"
URL = "https://example.com/menu?table=12"
LONG_URL = "https://example.com/" + "".join(chr(97 + i * 7 % 26) for i in range(130))
# Arial's metrics (Debian's fonts-liberation, which .ci/run installs): the fallback a renderer without DejaVu Sans
# most likely takes.
LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


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
    assert text.get("font-family", "").startswith("'DejaVu Sans',")  # the PNG's font first
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


CAPTIONS = [
    "Scan me",
    "WWW.EXAMPLE.COM/MENU",
    "Menu, prices and opening hours, today",
    "m" * 40,
    "0123456789" * 4,
    "Café München, Straße 5 \N{EN DASH} €12",
]


@pytest.mark.subprocess
@pytest.mark.parametrize("renderer", list(RENDERERS))
@pytest.mark.parametrize("family", ["DejaVu Sans", "Liberation Sans"])
@pytest.mark.parametrize("caption", CAPTIONS)
def test_a_caption_stays_inside_the_image_in_its_font_and_a_fallback(renderer, family, caption):
    """The SVG's fonts narrowed to DejaVu Sans (the PNG's) or to Liberation Sans (Arial's metrics): a margin
    either way. (At 500 pixels: below about 400, 40 wide letters reach the caption's 8-pixel floor.)"""
    svg = render(QrRequest(URL, format="svg", caption=caption, size=500))
    one = re.sub(rb'font-family="[^"]*"', f'font-family="{family}"'.encode(), svg)
    left, _, right, _ = _ink_rows_and_columns(RENDERERS[renderer](one), 500)
    assert left >= 5 and right <= 500 - 5, (left, right)


def test_the_fallbacks_are_narrower_than_the_captions_own_font():
    """Why a caption fitted in DejaVu Sans fits in the fallbacks: Arial's metrics are narrower for caption text."""
    dejavu, arial = font(100), ImageFont.truetype(LIBERATION, 100)
    texts = [*CAPTIONS, "Scan me!", "iiiiilllll", "Tisch 12, Speisekarte", "Wi-Fi: Guest / 5 GHz", "info@example.com"]
    ratios = {text: arial.getlength(text) / dejavu.getlength(text) for text in texts}
    assert max(ratios.values()) < 1, ratios


def test_a_png_caption_draws_every_letter_and_one_it_cannot_is_refused():
    """Café, Ωμέγα and Жизнь have glyphs (Pillow's Aileron drew é as an empty box); 菜单 does not: a 400."""
    assert (
        missing_glyphs(
            "Café Ωμέγα Жизнь €5 \N{EN DASH} \N{LEFT DOUBLE QUOTATION MARK}ok\N{RIGHT DOUBLE QUOTATION MARK}"
        )
        == ""
    )
    assert missing_glyphs("菜单 ok 菜") == "菜单"
    assert FONT_FILE.with_name("LICENSE").is_file()  # the font's licence ships beside it
    with pytest.raises(RequestError) as refused:
        build_request({"url": "e.x", "caption": "Menu 菜单"})
    assert (refused.value.rule.code, refused.value.field, refused.value.params) == (
        "caption.glyphs",
        "caption",
        {"characters": "菜单"},
    )


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

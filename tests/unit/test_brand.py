"""Brand- and print-grade codes: exact pixel size, finder (eye) colour and shape, a caption, and styled
modules that two decoders read at every allowed size."""

import io
import re

import pytest
from PIL import Image
from support.helpers import bucket_keys, call, queued, table_items
from test_styles import LOGO, decoded

import create_qr
from qr_service import fields as F
from qr_service.errors import RequestError
from qr_service.render import render
from qr_service.request import QrRequest, build_request

URL = "https://brand.example/launch?utm=poster"
# Latin text with no ECI designator is what zbar misreads (ü as ﾃｼ), so the matrix reads this one too.
URLS = {"ascii": URL, "latin": "https://brand.example/münchen/straße?für=poster"}


def png_image(req: QrRequest) -> Image.Image:
    return Image.open(io.BytesIO(render(req))).convert("RGBA")


def side_of(url: str) -> int:
    """Modules across the code of `url` at the defaults, quiet zone included."""
    from qr_service.matrix import module_matrix

    return len(module_matrix(QrRequest(url)))


# Two decoders, each style and eye style, at its minimum box and at the default, in both formats; then
# a logo, a caption and an exact size on top of each module style.
MATRIX = [
    (style, eye, box, fmt, extra, name)
    for style in F.MIN_BOX_SIZE
    for eye in F.EYE_STYLES
    for box in sorted({F.min_box(style, eye)[0], 10})
    for fmt in ("png", "svg")
    for extra in ("plain", "logo", "caption", "size")
    for name in URLS
]


@pytest.mark.slow
@pytest.mark.parametrize(("style", "eye", "box", "fmt", "extra", "name"), MATRIX)
def test_every_style_eye_style_logo_caption_and_size_scans_with_both_decoders(style, eye, box, fmt, extra, name):
    url = URLS[name]
    options = {"module_style": style, "eye_style": eye, "format": fmt, "eye_color": "#1a3d8f"}
    if extra == "logo":
        options |= {"logo": LOGO, "error_correction": "H"}
    if extra == "caption":
        options |= {"caption": "Scan me <now> & win"}
    if extra == "size":
        options |= {"size": side_of(url) * box + 7}  # the 7 leftover pixels widen the quiet zone
    else:
        options |= {"box_size": box}
    req = QrRequest(url, **options)
    assert decoded(render(req), fmt, req.box_size) == [url]


@pytest.mark.parametrize("size", [58, 300, 301, 1000, 4000])
def test_a_png_is_exactly_size_by_size_with_whole_pixel_modules(size):
    req = QrRequest("a.b", size=size)
    assert png_image(req).size == (size, size)
    with_caption = png_image(QrRequest("a.b", size=size, caption="Scan me")) if size >= 100 else None
    if with_caption is not None:
        width, height = with_caption.size
        assert width == size and height > size  # the code keeps size x size; the caption's band is added below


def test_an_svg_says_its_size():
    svg = render(QrRequest("a.b", size=301, format="svg")).decode()
    assert 'width="301" height="301"' in svg


@pytest.mark.parametrize("leftover", [1, 2, 7])
def test_an_svgs_modules_are_whole_pixels_whatever_the_leftover(leftover):
    """The viewBox spans the image's pixels at one box a module, so `size`'s leftover (even a single pixel, which
    no offset shifts) widens the quiet zone instead of stretching every module."""
    side = side_of("a.b")
    size = side * 10 + leftover
    svg = render(QrRequest("a.b", size=size, format="svg")).decode()
    view = [float(n) for n in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    assert f'width="{size}" height="{size}"' in svg
    assert view[2] * 10 == pytest.approx(size) and view[3] * 10 == pytest.approx(size)  # 10 px per module


def test_leftover_pixels_widen_the_quiet_zone_centred():
    image = png_image(QrRequest("a.b", size=300, border=4))  # 29 modules: 10 px each, 10 px left over
    dark = [x for x in range(300) if image.getpixel((x, 50))[0] < 128]  # the top finder patterns' first row
    assert min(dark) == 5 + 4 * 10 and 299 - max(dark) == 5 + 4 * 10  # 5 px each side, then the border


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"size": 300, "box_size": 5}, "size.with_box_size"),
        ({"size": 0}, "size.range"),
        ({"size": 4001}, "size.range"),
        ({"eye_color": "#eeeeee"}, "colors.eye_contrast"),
        ({"eye_color": "#eeeeee", "back_color": "transparent"}, "colors.eye_transparent_contrast"),
        ({"eye_color": "#ffffff", "back_color": "#000000", "fill_color": "#000000"}, "colors.contrast"),
        ({"eye_color": "red"}, "eye_color.format"),
        ({"eye_style": "star"}, "eye_style.choice"),
        ({"caption": "x" * 41}, "caption.length"),
        ({"caption": "line\nbreak"}, "caption.printable"),
        ({"caption": "tab\there"}, "caption.printable"),
        ({"caption": 5}, "caption.type"),
    ],
)
def test_bad_brand_options_are_400s_at_their_field(fields, code):
    with pytest.raises(RequestError) as refused:
        build_request({"url": "a.b", **fields})
    assert refused.value.code == code and refused.value.status == 400
    expected_field = "fill_color" if code.startswith("colors.") and "eye" not in code else code.split(".")[0]
    if code.startswith("colors.eye"):
        expected_field = "eye_color"
    assert refused.value.field == expected_field


def test_a_size_too_small_for_the_style_is_a_400_at_size_and_writes_nothing(aws, lambda_context):
    status, _, body = call(create_qr, lambda_context, body={"url": URL, "size": 40, "module_style": "dots"})
    assert status == 400 and body["code"] == "size.too_small" and body["field"] == "size"
    assert body["params"]["minimum"] == side_of(URL) * F.MIN_BOX_SIZE["dots"]
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


def test_eye_colour_is_at_the_finder_patterns_and_the_fill_elsewhere():
    req = QrRequest("a.b", box_size=10, border=4, eye_color="#cc2200", fill_color="#102030")
    image = png_image(req)
    centre_of_eye = (4 * 10 + 35, 4 * 10 + 35)  # the top-left finder's centre
    assert image.getpixel(centre_of_eye)[:3] == (0xCC, 0x22, 0x00)
    far = (29 - 4 - 7) * 10 + 35
    assert image.getpixel((far, 4 * 10 + 35))[:3] == image.getpixel((4 * 10 + 35, far))[:3] == (0xCC, 0x22, 0x00)
    fills = {image.getpixel((x, y))[:3] for x in range(120, 220, 10) for y in range(120, 220, 10)} - {(255, 255, 255)}
    assert fills == {(0x10, 0x20, 0x30)}
    svg = render(QrRequest("a.b", format="svg", eye_color="#cc2200")).decode()
    assert 'fill="#c20"' in svg


@pytest.mark.parametrize("eye", ["rounded", "circle"])
def test_eye_styles_differ_from_square_and_scan(eye):
    square = png_image(QrRequest(URL, box_size=10))
    styled = png_image(QrRequest(URL, box_size=10, eye_style=eye))
    corner = (40, 40, 45, 45)  # the outer corner of the top-left eye: dark when square, not when rounded
    assert square.crop(corner).getextrema()[0][1] == 0
    assert styled.crop(corner).getextrema()[0][1] > 0
    assert decoded(render(QrRequest(URL, box_size=10, eye_style=eye)), "png", 10) == [URL]


def test_the_caption_is_drawn_in_the_fill_colour_and_escaped_in_svg():
    req = QrRequest("a.b", box_size=10, caption="Scan <me> & go", fill_color="#203040")
    image = png_image(req)
    band = image.crop((0, 290, image.width, image.height))
    assert (0x20, 0x30, 0x40, 255) in {p for _, p in band.getcolors(4096)}
    assert image.crop((0, 290, 40, image.height)).getextrema()[0] == (255, 255)  # a clear margin
    svg = render(QrRequest("a.b", format="svg", caption="Scan <me> & go")).decode()
    [text] = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert text == "Scan &lt;me&gt; &amp; go"


def test_the_caption_is_part_of_the_cache_key():
    keys = {QrRequest("a.b", caption=c).cache_key for c in (None, "Scan me", "Scan you")}
    assert len(keys) == 3
    assert QrRequest("a.b").cache_key == QrRequest("a.b", eye_style="square", caption=None).cache_key


def test_rounded_is_really_round_at_its_smallest_box():
    box = F.MIN_BOX_SIZE["rounded"]
    square = png_image(QrRequest(URL, box_size=box)).convert("L")
    rounded = png_image(QrRequest(URL, box_size=box, module_style="rounded")).convert("L")
    assert square.tobytes() != rounded.tobytes()
    greys = {v for v in rounded.tobytes()} - {0, 255}
    assert greys, "round corners are partly covered pixels, not full squares"
    assert decoded(render(QrRequest(URL, box_size=box, module_style="rounded")), "png", box) == [URL]

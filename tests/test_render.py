"""Rendering: the encoder's shortcuts give qrcode's own matrix, and every image scans back exactly."""

import random
import re

import pytest
import qrcode
import qrcode.util
from conftest import decode_png
from helpers import svg_to_png

from qr_service.fields import CAPACITY_BYTES
from qr_service.matrix import _ERROR_CORRECTION, module_matrix, version_for
from qr_service.render import render
from qr_service.request import QrRequest

URLS = ["a.b", "https://example.com/" + "x" * 80, "https://例え.jp/パス?q=ü&😀", "https://e.x/" + "é" * 600]


def qrcode_make(data: bytes, level: str, border: int = 4) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=_ERROR_CORRECTION[level], border=border)
    code.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return code.get_matrix()


@pytest.mark.slow
@pytest.mark.parametrize("level", list(CAPACITY_BYTES))
def test_the_version_is_the_one_qrcode_would_pick(level):
    for size in [*range(1, 200), *range(200, CAPACITY_BYTES[level] + 1, 37), CAPACITY_BYTES[level]]:
        code = qrcode.QRCode(error_correction=_ERROR_CORRECTION[level])
        code.add_data(qrcode.util.QRData(b"a" * size, mode=qrcode.util.MODE_8BIT_BYTE))
        assert version_for(b"a" * size, _ERROR_CORRECTION[level]) == code.best_fit(), size


@pytest.mark.slow
def test_the_matrix_is_qrcodes_own():
    rng = random.Random(7)
    for _ in range(60):
        text = "".join(rng.choice("ab/:?=é😀") for _ in range(rng.randint(1, 700)))
        level = rng.choice("LMQH")
        if len(text.encode()) <= CAPACITY_BYTES[level]:
            border = rng.randint(0, 5)
            assert module_matrix(QrRequest(text, error_correction=level, border=border)) == qrcode_make(
                text.encode(), level, border
            )


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("level", list(CAPACITY_BYTES))
@pytest.mark.parametrize("url", URLS, ids=["short", "100", "non-ascii", "long"])
def test_every_image_decodes_to_exactly_the_url(fmt, level, url):
    if len(url.encode()) > CAPACITY_BYTES[level]:
        pytest.skip("longer than this level holds")
    image = render(QrRequest(url, format=fmt, error_correction=level, box_size=3))
    assert decode_png(svg_to_png(image) if fmt == "svg" else image) == [url]


def test_svg_is_one_background_and_one_stroked_path_in_the_requested_colours():
    svg = render(QrRequest("https://e.x", format="svg", fill_color="#112233", back_color="#ffffff")).decode()
    assert svg.count("<rect") == 1 and svg.count("<path") == 1
    assert 'fill="#fff"' in svg and 'stroke="#123"' in svg
    svg = render(QrRequest("https://e.x", format="svg", fill_color="#102030", back_color="#fefefe")).decode()
    assert 'fill="#fefefe"' in svg and 'stroke="#102030"' in svg
    path = re.search(r' d="([^"]+)"', svg).group(1)
    assert path.startswith("M") and re.fullmatch(r"M\d+ \d+\.5h\d+(m-?\d+ \d+h\d+)*", path)

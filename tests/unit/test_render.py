"""Rendering: the encoder's shortcuts give qrcode's own matrix, and every image scans back exactly."""

import random
import re

import pytest
import qrcode
import qrcode.util
from support.helpers import svg_to_png

from qr_service.fields import CAPACITY_BYTES
from qr_service.matrix import _ERROR_CORRECTION, module_matrix, version_for
from qr_service.render import render
from qr_service.request import QrRequest
from qr_service.symbol import DATA_CODEWORDS, capacity_bytes
from tools.probe import decode

URLS = ["a.b", "https://example.com/" + "x" * 80, "https://例え.jp/パス?q=ü&😀", "https://e.x/" + "é" * 600]


def test_the_data_codewords_table_is_qrcodes():
    for level, codewords in DATA_CODEWORDS.items():
        bits = qrcode.util.BIT_LIMIT_TABLE[_ERROR_CORRECTION[level]]
        assert [8 * n for n in codewords] == [bits[version] for version in range(1, 41)]


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
        assert version_for(b"a" * size, level) == code.best_fit(), size


@pytest.mark.slow
def test_an_ascii_matrix_is_qrcodes_own():
    """ASCII links keep python-qrcode's exact bits (no ECI segment), so their images and cache keys stay."""
    rng = random.Random(7)
    for _ in range(60):
        text = "".join(rng.choice("ab/:?=%~") for _ in range(rng.randint(1, 1200)))
        level = rng.choice("LMQH")
        if len(text.encode()) <= CAPACITY_BYTES[level]:
            border = rng.randint(0, 5)
            assert module_matrix(QrRequest(text, error_correction=level, border=border)) == qrcode_make(
                text.encode(), level, border
            )


def segno_matrices(text: str, level: str, version: int) -> list[list[list[bool]]]:
    """segno's code for `text` as UTF-8 bytes behind an ECI (UTF-8) designator, under each of the eight masks."""
    import segno

    return [
        [[bool(m) for m in row] for row in segno.make(
            text, error=level, version=version, mask=mask, mode="byte", eci=True, encoding="utf-8", boost_error=False
        ).matrix]
        for mask in range(8)
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["ünï", "https://münchen.example/straße", "https://例え.jp/パス?q=ü&😀", "é" * 400])
@pytest.mark.parametrize("level", ["L", "H"])
def test_a_non_ascii_matrix_declares_utf8_like_segnos(text, level):
    """An independent encoder, told to write an ECI designator for UTF-8, draws the same code."""
    matrix = module_matrix(QrRequest(text, error_correction=level, border=0))
    version = (len(matrix) - 17) // 4
    assert matrix in segno_matrices(text, level, version)
    assert matrix != qrcode_make(text.encode(), level, border=0)  # python-qrcode alone writes no designator


@pytest.mark.parametrize("level", list(CAPACITY_BYTES))
def test_the_version_of_a_non_ascii_link_counts_its_eci_segment(level):
    import segno

    for size in (1, 14, 15, 16, 100, 600, capacity_bytes(level, ascii_only=False) // 2):
        text = "é" * size
        version = version_for(text.encode(), level)
        expected = segno.make(
            text, error=level, mode="byte", eci=True, encoding="utf-8", boost_error=False, micro=False
        ).version
        assert version == expected, size


def test_zbar_reads_latin_text_exactly_because_the_code_declares_utf8():
    """Without the designator zbar guesses Shift_JIS and reads ü as ﾃｼ; zxing-cpp guesses UTF-8 either way."""
    import io

    from PIL import Image
    from pyzbar import pyzbar

    for url in ("ünï", "https://münchen.example/straße"):
        image = Image.open(io.BytesIO(render(QrRequest(url, box_size=4)))).convert("L")
        assert [symbol.data.decode("utf-8") for symbol in pyzbar.decode(image)] == [url]


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("level", list(CAPACITY_BYTES))
@pytest.mark.parametrize("url", URLS, ids=["short", "100", "non-ascii", "long"])
def test_every_image_decodes_to_exactly_the_url(fmt, level, url):
    if len(url.encode()) > CAPACITY_BYTES[level]:
        pytest.skip("longer than this level holds")
    image = render(QrRequest(url, format=fmt, error_correction=level, box_size=3))
    assert decode(svg_to_png(image) if fmt == "svg" else image) == [url]


def test_svg_is_one_background_and_one_stroked_path_in_the_requested_colours():
    svg = render(QrRequest("https://e.x", format="svg", fill_color="#112233", back_color="#ffffff")).decode()
    assert svg.count("<rect") == 1 and svg.count("<path") == 1
    assert 'fill="#fff"' in svg and 'stroke="#123"' in svg
    svg = render(QrRequest("https://e.x", format="svg", fill_color="#102030", back_color="#fefefe")).decode()
    assert 'fill="#fefefe"' in svg and 'stroke="#102030"' in svg
    path = re.search(r' d="([^"]+)"', svg).group(1)
    # each row starts with an absolute move; runs within it move right, relative to the last run's end
    assert re.fullmatch(r"(M\d+ \d+\.5h\d+(m\d+ 0h\d+)*)+", path)

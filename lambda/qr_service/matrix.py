"""The QR module matrix of a request, and where its finder patterns and dark runs are.

The data is one byte-mode segment of the link's UTF-8 bytes; a link with a non-ASCII character is
preceded by an ECI segment that declares UTF-8 (python-qrcode writes none, and readers then guess the
charset: zbar reads ü as 羹). An ASCII link's bits, and so its image, are exactly python-qrcode's own.
The capacity is `symbol.capacity_bytes`.
"""

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Literal, cast

import qrcode
import qrcode.base
import qrcode.constants
import qrcode.exceptions
import qrcode.util

from qr_service import symbol
from qr_service.request import QrRequest

if TYPE_CHECKING:
    from qrcode._types import ErrorCorrect

Matrix = list[list[bool]]
FinderTest = Callable[[int, int], bool]
DOT_INSET = 0.1  # of a module, on each side of a dot, in both writers
FINDER_MODULES = 7  # a finder pattern's side
_DARK_RUN = re.compile(rb"\x01+")
# qrcode's byte mode; its type stubs call the constant a plain int, its tables take only the literal.
_BYTE_MODE = cast("Literal[4]", qrcode.util.MODE_8BIT_BYTE)
_ECI_MODE = 0b0111

_ERROR_CORRECTION: "dict[str, ErrorCorrect]" = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def version_for(data: bytes, level: str) -> int:
    """The smallest version that holds `data` (with its ECI segment, if any) at `level` (L, M, Q, H):
    symbol.py's, which the validator used, so a link it let through always fits."""
    found = symbol.version(len(data), level, data.isascii())
    if found is None:
        raise qrcode.exceptions.DataOverflowError(f"{len(data)} bytes do not fit in a QR code at this level")
    return found


def codewords(data: bytes, version: int, level: "ErrorCorrect") -> list[int]:
    """The data and error-correction codewords: qrcode's `create_data` for one byte-mode segment, with an
    ECI (UTF-8) segment in front when `data` is not ASCII. The terminator and padding follow the standard."""
    buffer = qrcode.util.BitBuffer()
    if not data.isascii():
        buffer.put(_ECI_MODE, symbol.MODE_BITS)
        buffer.put(symbol.ECI_UTF8, symbol.ECI_HEADER_BITS - symbol.MODE_BITS)  # designators below 128: one byte
    buffer.put(_BYTE_MODE, symbol.MODE_BITS)
    buffer.put(len(data), symbol.count_bits(version))
    qrcode.util.QRData(data, mode=_BYTE_MODE).write(buffer)
    blocks = qrcode.base.rs_blocks(version, level)
    limit = sum(block.data_count * 8 for block in blocks)
    for _ in range(min(limit - len(buffer), 4)):
        buffer.put_bit(False)
    while len(buffer) % 8:
        buffer.put_bit(False)
    for i in range((limit - len(buffer)) // 8):
        buffer.put(qrcode.util.PAD1 if i % 2 else qrcode.util.PAD0, 8)
    return qrcode.util.create_bytes(buffer, blocks)


def module_matrix(req: QrRequest) -> Matrix:
    """The QR modules including the quiet zone (`border` modules wide): for an ASCII link, the same matrix
    as QRCode.make().

    With `version_for` and `codewords`, the one place that drives qrcode below its documented API, for
    speed and for the ECI segment (tests/unit/test_render.py holds ASCII codes equal to qrcode's own, and
    non-ASCII ones to segno's): the winning mask's trial matrix is kept and given its format bits,
    instead of placing the data a ninth time.
    """
    level = _ERROR_CORRECTION[req.error_correction]
    data = req.url.encode("utf-8")
    version = version_for(data, req.error_correction)
    qr = qrcode.QRCode(version=version, error_correction=level, border=req.border)
    qr.data_cache = codewords(data, version, level)
    best, best_penalty, best_modules = 0, None, qr.modules
    for pattern in range(8):
        qr.makeImpl(True, pattern)  # each trial builds a fresh module list
        penalty = qrcode.util.lost_point(qr.modules)
        if best_penalty is None or penalty < best_penalty:
            best, best_penalty, best_modules = pattern, penalty, qr.modules
    qr.modules = best_modules
    qr.setup_type_info(False, best)
    if qr.version >= 7:
        qr.setup_type_number(False)
    matrix: Matrix = qr.get_matrix()
    return matrix


def finders(side: int, border: int) -> tuple[tuple[int, int], ...]:
    """(left, top) in modules of the three finder patterns: top left, top right, bottom left."""
    far = side - border - FINDER_MODULES
    return (border, border), (far, border), (border, far)


def finder_test(side: int, border: int) -> FinderTest:
    """Whether module (x, y) belongs to one of the three finder patterns (`finders`), drawn as eyes instead."""
    (near, _), (far, _), _ = finders(side, border)
    span = FINDER_MODULES

    def inside(x: int, y: int) -> bool:
        near_x, far_x = near <= x < near + span, far <= x < far + span
        near_y, far_y = near <= y < near + span, far <= y < far + span
        return (near_x or far_x) and (near_y or far_y) and not (far_x and far_y)

    return inside


def runs(matrix: Matrix, finder: FinderTest | None, in_finder: bool) -> Iterator[tuple[int, int, int]]:
    """(y, start, end) of each horizontal run of dark modules, inside the finder patterns or outside them.

    A finder pattern is ringed by light separator modules, so a run lies wholly inside one or wholly
    outside; its first module says which. With `finder` None, every run.
    """
    for y, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(bytes(row)):  # bools as bytes: the scan runs in C
            start, end = run.span()
            if finder is None or finder(start, y) == in_finder:
                yield y, start, end


Corners = tuple[bool, bool, bool, bool]  # top-left, top-right, bottom-right, bottom-left


def row_corners(matrix: Matrix, y: int) -> list[Corners]:
    """For each module of row `y`, which corners have light on both sides: those round (rounded modules).

    A row at a time, in one pass over its neighbours: the PNG writer stamps every module from it, the
    SVG writer rounds the two ends of each run.
    """
    row = matrix[y]
    light = [False] * len(row)
    up = matrix[y - 1] if y else light
    down = matrix[y + 1] if y + 1 < len(matrix) else light
    on_left = [False, *row[:-1]]
    on_right = [*row[1:], False]
    return [
        (not u and not lt, not u and not rt, not d and not rt, not d and not lt)
        for u, d, lt, rt in zip(up, down, on_left, on_right, strict=True)
    ]

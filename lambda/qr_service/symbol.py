"""How big a QR symbol a link needs, without the encoder: the data codewords of each version at each
error-correction level (ISO/IEC 18004, table 7; tests/unit/test_render.py holds it to python-qrcode's), the
version a link takes and the modules across it.

The validator decides every size rule with it before any AWS call or imaging import, and
matrix.py draws at the version it gives.
"""

DATA_CODEWORDS = {
    "L": (19, 34, 55, 80, 108, 136, 156, 194, 232, 274, 324, 370, 428, 461, 523, 589, 647, 721, 795, 861,
          932, 1006, 1094, 1174, 1276, 1370, 1468, 1531, 1631, 1735, 1843, 1955, 2071, 2191, 2306, 2434, 2566,
          2702, 2812, 2956),
    "M": (16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
          714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992,
          2102, 2216, 2334),
    "Q": (13, 22, 34, 48, 62, 76, 88, 110, 132, 154, 180, 206, 244, 261, 295, 325, 367, 397, 445, 485,
          512, 568, 614, 664, 718, 754, 808, 871, 911, 985, 1033, 1115, 1171, 1231, 1286, 1354, 1426, 1502,
          1582, 1666),
    "H": (9, 16, 26, 36, 46, 60, 66, 86, 100, 122, 140, 158, 180, 197, 223, 253, 283, 313, 341, 385,
          406, 442, 464, 514, 538, 596, 628, 661, 701, 745, 793, 845, 901, 961, 986, 1054, 1096, 1142,
          1222, 1276),
}  # fmt: skip
MAX_VERSION = 40
MODE_BITS = 4
# A link with a non-ASCII character is preceded by an ECI segment (mode, then designator 26: UTF-8), so
# that readers do not guess its charset.
ECI_UTF8 = 26
ECI_HEADER_BITS = MODE_BITS + 8


def count_bits(version: int) -> int:
    """The width of a byte-mode segment's length field."""
    return 8 if version < 10 else 16


def data_bits(length: int, version: int, ascii_only: bool) -> int:
    """The bits `length` bytes take as one byte-mode segment, behind the ECI segment when not ASCII."""
    return (0 if ascii_only else ECI_HEADER_BITS) + MODE_BITS + count_bits(version) + 8 * length


def version(length: int, level: str, ascii_only: bool) -> int | None:
    """The smallest version that holds `length` bytes at `level`, or None when none does."""
    for candidate, codewords in enumerate(DATA_CODEWORDS[level], start=1):
        if data_bits(length, candidate, ascii_only) <= 8 * codewords:
            return candidate
    return None


def capacity_bytes(level: str, ascii_only: bool = True) -> int:
    """The most bytes a code at `level` holds: one less when the text needs the ECI designator."""
    return (8 * DATA_CODEWORDS[level][-1] - data_bits(0, MAX_VERSION, ascii_only)) // 8


def modules(version: int, border: int) -> int:
    """Modules across a symbol of `version`, its quiet zone of `border` modules included."""
    return 17 + 4 * version + 2 * border

"""Which readers read which style: the compatibility table in docs/api.md, measured (`make compat`).

For each module style x eye style, five readers: zxing-cpp (the C++ ZXing, whose Java original many
Android apps embed), zbar, WeChat's detector (opencv-contrib's wechat_qrcode, without its CNN models),
and OpenCV's QRCodeDetector and QRCodeDetectorAruco.

- "read": of 24 images at the default box (10), how many each reader returns exactly the link from: four
  links (21, 56, 150 and 318 characters) x PNG plain, PNG with a logo (level H), PNG with a caption, SVG
  plain (cairo), SVG with a logo and a caption (cairo), SVG with a logo and a caption (librsvg).
- "from": the smallest box from which every box up to 12 reads, plain PNG, all four links; "-" when some
  box up to 12 fails. The service refuses boxes below its own minimum (MIN_BOX_SIZE, MIN_EYE_BOX_SIZE).

Prints a Markdown table; docs/api.md carries the one from the last run. About two minutes on two cores.
"""

import io
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cairosvg
import cv2
import numpy as np
import zxingcpp
from PIL import Image
from pyzbar import pyzbar

import contract  # noqa: F401  (puts lambda/ on the import path)
from qr_service.fields import EYE_STYLES, MIN_BOX_SIZE, MIN_EYE_BOX_SIZE
from qr_service.render import render
from qr_service.request import QrRequest

LINKS = tuple("https://example.com/" + "".join(chr(97 + i * 7 % 26) for i in range(n)) for n in (1, 36, 130, 298))
DEFAULT_BOX = 10
LAST_BOX = 12
READERS = ("zxing-cpp", "zbar", "WeChat", "OpenCV", "OpenCV Aruco")


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 30, 30, 255)).save(out, "PNG")
    return out.getvalue()


LOGO = _logo()
DRESSED = {"logo": LOGO, "caption": "Scan for the menu", "error_correction": "H"}
VARIANTS = (
    ("png", {}, None),
    ("png", {"logo": LOGO, "error_correction": "H"}, None),
    ("png", {"caption": "Scan for the menu"}, None),
    ("svg", {}, "cairo"),
    ("svg", DRESSED, "cairo"),
    ("svg", DRESSED, "librsvg"),
)


ZBAR = "from the system (libzbar0)"
RSVG = subprocess.run(["rsvg-convert", "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]


def raster(image: bytes, renderer: str | None) -> np.ndarray:
    if renderer == "cairo":
        image = cairosvg.svg2png(bytestring=image)
    elif renderer == "librsvg":
        image = subprocess.run(["rsvg-convert"], input=image, capture_output=True, check=True).stdout
    return np.array(Image.open(io.BytesIO(image)).convert("L"))


def readings(gray: np.ndarray) -> dict[str, list[str]]:
    """What each reader returns from one greyscale image."""
    wechat, _ = cv2.wechat_qrcode_WeChatQRCode().detectAndDecode(gray)
    opencv = cv2.QRCodeDetector().detectAndDecode(gray)[0]
    aruco = cv2.QRCodeDetectorAruco().detectAndDecode(gray)[0]
    return {
        "zxing-cpp": [r.text for r in zxingcpp.read_barcodes(gray)],
        "zbar": [s.data.decode("utf-8", "replace") for s in pyzbar.decode(Image.fromarray(gray))],
        "WeChat": list(wechat),
        "OpenCV": [opencv] if opencv else [],
        "OpenCV Aruco": [aruco] if aruco else [],
    }


def measure(style: tuple[str, str]) -> tuple[tuple[str, str], dict[str, int], dict[str, int | None]]:
    """One row: images read at the default box per reader, and each reader's smallest box."""
    module_style, eye_style = style
    read = dict.fromkeys(READERS, 0)
    for url in LINKS:
        for fmt, extras, renderer in VARIANTS:
            req = QrRequest(url, format=fmt, module_style=module_style, eye_style=eye_style, **extras)
            for reader, texts in readings(raster(render(req), renderer)).items():
                read[reader] += texts == [url]
    failing = {reader: 0 for reader in READERS}  # the largest box at which some link fails
    for box in range(1, LAST_BOX + 1):
        for url in LINKS:
            req = QrRequest(url, box_size=box, module_style=module_style, eye_style=eye_style)
            for reader, texts in readings(raster(render(req), None)).items():
                if texts != [url]:
                    failing[reader] = box
    smallest = {reader: None if box == LAST_BOX else box + 1 for reader, box in failing.items()}
    return style, read, smallest


def main() -> None:
    styles = [(module, eye) for module in MIN_BOX_SIZE for eye in EYE_STYLES]
    with ProcessPoolExecutor() as pool:
        rows = list(pool.map(measure, styles))
    total = len(LINKS) * len(VARIANTS)
    print(f"| modules | eyes | service's minimum box | {' | '.join(READERS)} |")
    print("|---|---|---|" + "---|" * len(READERS))
    for (module, eye), read, smallest in rows:
        minimum = max(MIN_BOX_SIZE[module], MIN_EYE_BOX_SIZE[eye])
        cells = [f"{read[reader]}/{total}, from {smallest[reader] if smallest[reader] else '-'}" for reader in READERS]
        print(f"| {module} | {eye} | {minimum} | {' | '.join(cells)} |")
    print(
        f"\nread: of {total} images at box {DEFAULT_BOX} (4 links x 6 forms), those read exactly; "
        f"from: the smallest box from which every box to {LAST_BOX} reads (plain PNG, 4 links).\n"
    )
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("zxing-cpp", "pyzbar", "opencv-contrib-python-headless")
    )
    print(f"{versions}; zbar {ZBAR}; librsvg {RSVG}; WeChat without its CNN models.")


if __name__ == "__main__":
    main()

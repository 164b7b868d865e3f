"""What content costs, and what a batch would: drawn and read back (a miss's work), median of interleaved runs.

1. Each content type against a link of the same length in bytes (the same code size): the ratio is the cost of
   writing the type's text, which should be nothing (goal <= 1.1x).
2. POST /qr/batch's bound: one item of the heaviest style (dots, circle eyes, a logo, a caption) at the largest
   size a batch takes (batch.MAX_SIDE) and at the largest /qr takes (4000 px), against the default link, and 100 of
   each: what a full batch takes on this machine's CPU (Lambda at 512 MB has about a third of a vCPU).
"""

import base64
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

import contract  # noqa: F401  (puts lambda/ on the import path)
from qr_service import batch
from qr_service.render import render_verified
from qr_service.request import build_request

RUNS = 15
CONTENT = {
    "wifi": {"type": "wifi", "ssid": "Cafe Guest", "password": "espresso42"},
    "vcard": {
        "type": "vcard",
        "name": "Jane Doe",
        "organization": "Example, Inc.",
        "phone": "+1 555 010 9999",
        "email": "jane@example.com",
        "url": "https://example.com/jane",
        "address": "1 Main St, Springfield",
    },
    "event": {"type": "event", "title": "Launch", "start": "2026-12-24T18:00+01:00", "end": "2026-12-24T20:00+01:00"},
    "text": {"type": "text", "text": "Table 12, by the window: ask for the menu of the day."},
}


def median_ms(fields: dict[str, object], runs: int = RUNS) -> float:
    req = build_request(fields)
    render_verified(req)  # warm: fonts, decoder
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_verified(req)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _logo() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def main() -> None:
    print(f"content: drawn and read back, median of {RUNS} runs; goal <= 1.1x a link of the same length")
    for name, content in CONTENT.items():
        text = build_request({"content": content}).url
        link = "https://example.com/" + "a" * max(0, len(text.encode()) - len("https://example.com/"))
        ours, baseline = median_ms({"content": content}), median_ms({"url": link})
        size = len(text.encode())
        print(f"  {name:6} {size:4} bytes: {ours:6.1f} ms, a link {baseline:6.1f} ms, x{ours / baseline:.2f}")
    base = median_ms({"url": "https://example.com/menu/item-1"})
    heavy = {"url": "https://example.com/menu/item-1", "module_style": "dots", "eye_style": "circle", "logo": _logo()}
    print(f"batch: one item against the default link ({base:.1f} ms), and {batch.MAX_ITEMS} of them")
    for size in (batch.MAX_SIDE, 4000):
        item = median_ms({**heavy, "caption": "Scan me", "size": size}, runs=5)
        ratio, whole = item / base, item * batch.MAX_ITEMS / 1000
        print(f"  {size} px, dots, circle eyes, logo, caption: {item:6.1f} ms (x{ratio:.0f}); all: {whole:.1f} s")


if __name__ == "__main__":
    main()

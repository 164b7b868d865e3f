"""Render time and image size against segno, the fastest pure-Python QR encoder, for the same code.

For a 100- and a 500-character URL, PNG and SVG, at our defaults (error correction M, 10 px per
module, a 4-module border, black on white): median time of each encoder, measured interleaved in
one run, and bytes. Ratios are ours / segno's; the goals are SVG <= 1.1x, PNG <= 1.25x bytes and
time <= 1.1x. Every image of ours is decoded with zxing-cpp (SVG rasterized by cairo) first.
"""

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cairosvg
import segno
from PIL import Image

import contract  # noqa: F401  (puts lambda/ on the import path)
from qr_service.render import render, render_verified
from qr_service.request import QrRequest
from tools.probe import decode

RUNS = 40


def ours(url: str, kind: str) -> bytes:
    return render(QrRequest(url=url, format=kind))


def theirs(url: str, kind: str) -> bytes:
    code = segno.make(url, error="m", boost_error=False, micro=False)
    out = io.BytesIO()
    code.save(out, kind=kind, scale=10, border=4, dark="#000", light="#fff")
    return out.getvalue()


def decodes_to(image: bytes, kind: str, url: str) -> bool:
    png = cairosvg.svg2png(bytestring=image) if kind == "svg" else image
    return decode(png) == [url]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (26, 86, 219)).save(out, "PNG")
    return out.getvalue()


def styles() -> None:
    """What each style costs against the square PNG of the same request: the goal is at most 1.5x."""
    logo = _logo()
    print(f"styles: median of {RUNS} interleaved runs, 10 px per module, ratio to square; goal PNG <= 1.5x")
    for length in (100, 2000):
        url = "https://example.com/" + "".join(chr(ord("a") + i % 26) for i in range(length - 20))
        for kind in ("png", "svg"):
            cases = {
                "square": QrRequest(url, format=kind),
                "rounded": QrRequest(url, format=kind, module_style="rounded"),
                "dots": QrRequest(url, format=kind, module_style="dots"),
                "eyes": QrRequest(url, format=kind, eye_style="circle", eye_color="#1a56db"),
                "caption": QrRequest(url, format=kind, caption="Scan me"),
                "all": QrRequest(
                    url,
                    format=kind,
                    module_style="rounded",
                    eye_style="rounded",
                    eye_color="#1a56db",
                    caption="Scan me",
                ),
            }
            if length <= 1200:  # a logo forces H, which holds at most 1273 bytes
                cases["square at H"] = QrRequest(url, format=kind, error_correction="H")
                cases["logo (H)"] = QrRequest(url, format=kind, error_correction="H", logo=logo)
            times: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(RUNS if length < 1000 else RUNS // 4):
                for name, req in cases.items():
                    times[name].append(timed(render, req))
            median = {name: statistics.median(values) * 1000 for name, values in times.items()}
            base = {name: "square" for name in ("rounded", "dots", "eyes", "caption", "all")}
            if "logo (H)" in cases:
                base["logo (H)"] = "square at H"
            cells = [f"{name} {median[name] / median[base[name]]:.2f}x" for name in base]
            print(f"  {length:4d} chars {kind}: square {median['square']:.2f} ms; " + "; ".join(cells))


def main() -> None:
    print(f"ours / segno {segno.__version__}: median of {RUNS} interleaved runs, same code (M, 10 px, border 4)")
    for length in (100, 500):
        url = "https://example.com/" + "".join(chr(ord("a") + i % 26) for i in range(length - 20))
        for kind in ("png", "svg"):
            mine, other = ours(url, kind), theirs(url, kind)
            if not decodes_to(mine, kind, url):
                sys.exit(f"our {kind} for a {length}-character URL does not decode to it")
            our_times, their_times = [], []
            for _ in range(RUNS):
                our_times.append(timed(ours, url, kind))
                their_times.append(timed(theirs, url, kind))
            ours_ms, theirs_ms = statistics.median(our_times) * 1000, statistics.median(their_times) * 1000
            size_ratio, time_ratio = len(mine) / len(other), ours_ms / theirs_ms
            print(
                f"  {length:3d} chars {kind}: bytes {len(mine):6d} vs {len(other):6d} = {size_ratio:.2f}x   "
                f"time {ours_ms:6.2f} vs {theirs_ms:6.2f} ms = {time_ratio:.2f}x   decodes: yes"
            )


def read_back() -> None:
    """What reading every new image back costs: render_verified against render, at the default options."""
    url = "https://example.com/" + "".join(chr(ord("a") + i % 26) for i in range(80))
    print(f"read-back: median of {RUNS} interleaved runs, a 100-character URL, defaults; goal <= 1.25x")
    for kind in ("png", "svg"):
        req = QrRequest(url, format=kind)
        plain, checked = [], []
        for _ in range(RUNS):
            plain.append(timed(render, req))
            checked.append(timed(render_verified, req))
        plain_ms, checked_ms = statistics.median(plain) * 1000, statistics.median(checked) * 1000
        print(f"  {kind}: render {plain_ms:.2f} ms, with read-back {checked_ms:.2f} ms = {checked_ms / plain_ms:.2f}x")


if __name__ == "__main__":
    main()
    styles()
    read_back()

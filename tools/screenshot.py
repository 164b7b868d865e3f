"""Refresh the README's screenshots: the page in headless Chromium against `make run`, on loopback.

docs/screenshot.png is a plain code; docs/screenshot-logo.png a dotted code with a logo;
docs/screenshot-brand.png a rounded code with round, coloured eyes and a caption.
Run: .venv/bin/python -m tools.screenshot
"""

import io
import time
from collections.abc import Callable

from PIL import Image, ImageDraw
from playwright.sync_api import FilePayload, Page, sync_playwright

from tools.browser import ARGS, HOW_TO_GET_ONE, chromium
from tools.local_process import ROOT, local_server


def sample_logo() -> bytes:
    """A small round badge, as a user's logo might be."""
    image = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 92, 92), fill=(26, 86, 219, 255))
    draw.rectangle((30, 30, 66, 66), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def shoot(
    page: Page, base: str, url: str, target: str, choose: Callable[[Page], None] | None = None, whole_page: bool = True
) -> None:
    """Generate a code for `url` on a fresh page (`choose` sets the options), then save the page, or only
    the code, to docs/<target>."""
    page.goto(base + "/")
    page.get_by_label("Link to encode").fill(url)
    if choose:
        page.locator("summary").click()
        choose(page)
    page.get_by_role("button", name="Generate").click()
    image = page.locator("#qr-image")
    image.wait_for(state="visible")
    time.sleep(0.5)
    path = str(ROOT / "docs" / target)
    if whole_page:
        page.screenshot(path=path, full_page=True)
    else:
        image.screenshot(path=path)


def dotted_with_logo(page: Page) -> None:
    page.get_by_label("Module style").select_option("dots")
    logo: FilePayload = {"name": "logo.png", "mimeType": "image/png", "buffer": sample_logo()}
    page.set_input_files("#logo", files=[logo])


def branded(page: Page) -> None:
    page.get_by_label("Module style").select_option("rounded")
    page.get_by_label("Eye style").select_option("circle")
    page.get_by_label("Eyes in their own colour").check()
    page.locator("#eye_color").evaluate("(e) => { e.value = '#1a56db'; e.dispatchEvent(new Event('change')); }")
    page.get_by_label("Caption (optional)").fill("Scan me")


def main() -> None:
    with local_server() as base, sync_playwright() as playwright:
        executable = chromium()
        if executable is None:
            raise SystemExit(HOW_TO_GET_ONE)
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        page = browser.new_page(viewport={"width": 420, "height": 900})
        shoot(page, base, "https://example.com/hello", "screenshot.png")
        shoot(page, base, "https://example.com/hello", "screenshot-logo.png", dotted_with_logo)
        shoot(page, base, "https://example.com/launch", "screenshot-brand.png", branded, whole_page=False)
        browser.close()
    print("wrote docs/screenshot.png, docs/screenshot-logo.png and docs/screenshot-brand.png")


if __name__ == "__main__":
    main()

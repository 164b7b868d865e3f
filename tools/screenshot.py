"""Refresh the README's screenshots: the page in headless Chromium against `make run`, on loopback.

docs/screenshot.png is a plain code; docs/screenshot-logo.png a dotted code with a logo;
docs/screenshot-brand.png a rounded code with round, coloured eyes and a caption.
Run: .venv/bin/python -m tools.screenshot
"""

import io
import time

from PIL import Image, ImageDraw
from playwright.sync_api import FilePayload, sync_playwright

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


def main() -> None:
    with local_server() as base, sync_playwright() as playwright:
        executable = chromium()
        if executable is None:
            raise SystemExit(HOW_TO_GET_ONE)
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        page = browser.new_page(viewport={"width": 420, "height": 900})
        page.goto(base + "/")
        page.get_by_label("Link to encode").fill("https://example.com/hello")
        page.get_by_role("button", name="Generate").click()
        page.locator("#qr-image").wait_for(state="visible")
        time.sleep(0.5)
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"), full_page=True)
        page.goto(base + "/")
        page.get_by_label("Link to encode").fill("https://example.com/hello")
        page.locator("summary").click()
        page.get_by_label("Module style").select_option("dots")
        logo: FilePayload = {"name": "logo.png", "mimeType": "image/png", "buffer": sample_logo()}
        page.set_input_files("#logo", files=[logo])
        page.get_by_role("button", name="Generate").click()
        page.locator("#qr-image").wait_for(state="visible")
        time.sleep(0.5)
        page.screenshot(path=str(ROOT / "docs" / "screenshot-logo.png"), full_page=True)
        page.goto(base + "/")
        page.get_by_label("Link to encode").fill("https://example.com/launch")
        page.locator("summary").click()
        page.get_by_label("Module style").select_option("rounded")
        page.get_by_label("Eye style").select_option("circle")
        page.get_by_label("Eyes in their own colour").check()
        page.locator("#eye_color").evaluate("(e) => { e.value = '#1a56db'; e.dispatchEvent(new Event('change')); }")
        page.get_by_label("Caption (optional)").fill("Scan me")
        page.get_by_role("button", name="Generate").click()
        page.locator("#qr-image").wait_for(state="visible")
        time.sleep(0.5)
        page.locator("#qr-image").screenshot(path=str(ROOT / "docs" / "screenshot-brand.png"))
        browser.close()
    print("wrote docs/screenshot.png, docs/screenshot-logo.png and docs/screenshot-brand.png")


if __name__ == "__main__":
    main()

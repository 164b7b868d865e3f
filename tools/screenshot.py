"""Refresh the docs' screenshots: the page in headless Chromium against `make run`, on loopback.

docs/screenshot.png (the README's) is the studio on a 1440x900 desktop, docs/screenshot-phone.png the same on a
390x844 phone; docs/screenshot-codes.png and docs/screenshot-codes-phone.png are My codes, after the studio's
code was made editable and the codes were scanned (over HTTP, as phones would: today's counts are real);
docs/screenshot-logo.png and docs/screenshot-brand.png are two codes alone.
Run: .venv/bin/python -m tools.screenshot
"""

import io
import json
import secrets
import time

from PIL import Image, ImageDraw
from playwright.sync_api import FilePayload, Page, ViewportSize, sync_playwright

from tools import probe
from tools.browser import ARGS, HOW_TO_GET_ONE, chromium
from tools.local_process import ROOT, local_server

DESKTOP: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PHONE_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"


def sample_logo() -> bytes:
    """A small round badge, as a user's logo might be."""
    image = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 92, 92), fill=(26, 86, 219, 255))
    draw.rectangle((30, 30, 66, 66), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def code_shown(page: Page) -> None:
    """Wait for a fresh preview (polled from here: the page's CSP refuses in-page polling)."""
    page.locator("#qr-image").wait_for(state="visible")
    while page.evaluate("() => document.getElementById('download-png').disabled"):
        time.sleep(0.05)
    time.sleep(0.3)


def studio(page: Page, base: str, target: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Link to encode").fill("https://example.com/launch")
    page.get_by_role("button", name="Midnight").click()
    page.get_by_label("Caption (optional)").fill("Scan me")
    code_shown(page)
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    time.sleep(0.2)
    page.screenshot(path=str(ROOT / "docs" / target))


def code_alone(page: Page, base: str, target: str, url: str, choose: list[tuple[str, str]], logo: bool) -> None:
    page.goto(base + "/")
    page.get_by_label("Link to encode").fill(url)
    for label, value in choose:
        page.get_by_label(label).select_option(value)
    if logo:
        payload: FilePayload = {"name": "logo.png", "mimeType": "image/png", "buffer": sample_logo()}
        page.set_input_files("#logo", files=[payload])
    code_shown(page)
    page.locator("#qr-image").screenshot(path=str(ROOT / "docs" / target))


def my_codes(page: Page, base: str, admin_key: str) -> None:
    """The studio's code made editable, a second code made over the API, both scanned; then the list."""
    page.goto(base + "/")
    page.get_by_label("Link to encode").fill("https://example.com/menu")
    page.get_by_role("button", name="Rounded").click()
    code_shown(page)
    page.get_by_role("button", name="Make it editable").click()
    page.get_by_label("API key").fill(admin_key)
    page.get_by_label("API key").press("Enter")
    page.get_by_role("button", name="Make it editable").click()
    page.locator(".code-card").first.wait_for()
    body = json.dumps({"target": "https://example.com/opening-hours", "module_style": "dots", "eye_style": "circle"})
    headers = {"X-API-Key": admin_key, "Content-Type": "application/json"}
    status, _, raw = probe.http("POST", base + "/codes", body.encode(), headers)
    assert status == 201, raw
    second = json.loads(raw)["short_url"]
    first = page.locator(".code-card h3 a").first.get_attribute("href") or ""
    for link, people, bots in ((first, 12, 2), (second, 5, 1)):
        for _ in range(people):
            probe.http("GET", link, headers={"User-Agent": PHONE_AGENT})
        for _ in range(bots):
            probe.http("GET", link, headers={"User-Agent": "Slackbot-LinkExpanding 1.0"})
    page.get_by_role("button", name="Show my codes").click()
    page.get_by_text("2 codes, newest first.").wait_for()
    page.evaluate("() => window.scrollTo(0, 0)")
    time.sleep(0.3)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-codes.png"))
    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")
    time.sleep(0.3)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-codes-phone.png"))


def main() -> None:
    admin_key = secrets.token_hex(24)
    with local_server(admin_key=admin_key) as base, sync_playwright() as playwright:
        executable = chromium()
        if executable is None:
            raise SystemExit(HOW_TO_GET_ONE)
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        desktop = browser.new_page(viewport=DESKTOP)
        studio(desktop, base, "screenshot.png")
        phone = browser.new_page(viewport=PHONE)
        studio(phone, base, "screenshot-phone.png")
        code_alone(desktop, base, "screenshot-logo.png", "https://example.com/hello", [("Module style", "dots")], True)
        brand = [("Module style", "rounded"), ("Eye style", "circle")]
        code_alone(desktop, base, "screenshot-brand.png", "https://example.com/launch", brand, False)
        my_codes(browser.new_page(viewport=DESKTOP), base, admin_key)
        browser.close()
    print("wrote docs/screenshot.png, screenshot-phone.png, screenshot-codes.png, screenshot-codes-phone.png,")
    print("screenshot-logo.png and screenshot-brand.png")


if __name__ == "__main__":
    main()

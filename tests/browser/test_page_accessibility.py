"""axe-core (the npm package, pinned in package.json) finds no violation on the page: phone and desktop,
light and dark, empty, with a preview, while it updates, with an error, with a Wi-Fi code's own fields, with a batch's
results and in My codes (a code, its chart and table), 28 combinations, each under the page's own CSP."""

import json
import time

import pytest
from support import ROOT
from test_batch_page import CSV, upload
from test_my_codes import make_code, open_codes, scan
from test_page_in_browser import image_loaded

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
SCHEMES = ["light", "dark"]
STATES = ["empty", "preview", "updating", "error", "wifi", "batch", "my-codes"]

pytestmark = pytest.mark.browser


def reach(page, server, state: str) -> None:
    if state in ("preview", "updating"):
        page.get_by_label("Link to encode").fill("https://axe.example/result")
        page.get_by_text("Embed it in a web page").click()
        image_loaded(page)
    if state == "updating":  # a change whose preview is still being drawn: the old code dimmed, actions off
        page.route("**/qr", lambda route: None)  # held, never answered
        page.get_by_label("Module style").select_option("dots")
        page.locator("#canvas.stale").wait_for()
    elif state == "error":
        page.get_by_label("Link to encode").fill("ftp://axe.example")
        page.get_by_role("alert").wait_for(state="visible")
    elif state == "wifi":  # a content type's own fields, its code and the text it holds
        page.get_by_label("What the code holds").select_option("wifi")
        page.get_by_label("Network name").fill("Cafe Guest")
        page.get_by_label("Password", exact=True).fill("espresso42")
        image_loaded(page)
        page.get_by_text("Exactly what the code holds").click()
    elif state == "batch":  # a CSV's results, a row refused among them, and the ZIP's link
        upload(page, CSV)
        page.get_by_text("3 of 4 made.").wait_for()
    elif state == "my-codes":
        code = make_code(server, "https://axe.example/menu", module_style="rounded")
        scan(server, code["short_url"])
        open_codes(page, server)
        page.locator(f"#code-{code['id']}").get_by_text("Scans per day as a table").click()
    time.sleep(0.3)  # let transitions settle


def violations(page) -> list[dict]:
    """axe-core's own run, evaluated over the DevTools protocol (the page's CSP forbids injected scripts)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_accessibility_violation(browser, server, viewport, scheme, state):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.goto(server.base + "/")
    reach(page, server, state)
    found = violations(page)
    context.close()
    assert found == [], json.dumps(found, indent=1)


def test_axe_finds_a_violation_when_there_is_one(browser, server):
    """The check can fail: an image without alternative text is reported."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.base + "/")
    page.evaluate("() => document.querySelector('main').append(Object.assign(new Image(), {src: 'favicon.svg'}))")
    ids = {v["id"] for v in violations(page)}
    context.close()
    assert "image-alt" in ids

"""axe-core (the npm package, pinned in package.json) finds no violation on the page: phone and desktop,
light and dark, empty, with a result and with an error, 12 combinations, each under the page's own CSP."""

import json
import time

import pytest
from support import ROOT
from test_page_in_browser import image_loaded

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = ["light", "dark"]
STATES = ["empty", "result", "error"]

pytestmark = pytest.mark.browser


def reach(page, state: str) -> None:
    if state == "result":
        page.get_by_label("Link to encode").fill("https://axe.example/result")
        page.get_by_role("button", name="Generate").click()
        image_loaded(page)
    elif state == "error":
        page.get_by_label("Link to encode").fill("ftp://axe.example")
        page.get_by_role("button", name="Generate").click()
        page.get_by_role("alert").wait_for(state="visible")
    time.sleep(0.7)  # let the smooth scroll and transitions settle


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
    reach(page, state)
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

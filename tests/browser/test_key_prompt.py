"""The page with qr.access "key" (Chromium): it asks for a key, says whether it was missing or invalid, sends it in
X-API-Key (never the URL), keeps it for the tab in sessionStorage, and stays axe clean; a public page never asks."""

import json

import pytest
from support import ROOT
from support.local_server import RunningServer
from test_page_accessibility import violations
from test_page_in_browser import image_loaded

from local.emulation import ADMIN_KEY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    cdk_json = json.loads((ROOT / "cdk.json").read_text())
    cdk_json["context"]["qr"]["access"] = "key"
    path = tmp_path_factory.mktemp("settings") / "cdk.json"
    path.write_text(json.dumps(cdk_json))
    running = RunningServer("--cdk-json", str(path))
    yield running
    running.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_asks_for_a_key_says_which_problem_and_keeps_it_for_the_tab(browser, keyed, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.headers.get("x-api-key"))))
    page.goto(keyed.base + "/")
    key_field = page.get_by_label("API key")
    key_field.wait_for(state="visible")  # config.json says access is "key"
    assert key_field.get_attribute("type") == "password"
    page.get_by_label("Link to encode").fill("https://keyed.example/")  # the preview asks, and is refused
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "needs an API key" in alert.inner_text()
    assert key_field.get_attribute("aria-invalid") == "true"
    assert page.locator("#qr-image").is_hidden()
    assert violations(page) == []
    key_field.fill("qrk_0123456789ab_" + "x" * 43)
    key_field.press("Enter")
    page.get_by_text("This API key is not valid").wait_for(state="visible")
    key_field.fill(ADMIN_KEY)
    key_field.press("Enter")
    image_loaded(page)
    assert page.locator("#embed-box").is_hidden()  # an <img> cannot send the key a GET would need here
    assert violations(page) == []
    assert page.evaluate("sessionStorage.getItem('qr.apiKey')") == ADMIN_KEY
    assert all(ADMIN_KEY not in url for url, _ in sent) and ADMIN_KEY not in page.url
    assert [key for url, key in sent if url.endswith("/qr")][-1] == ADMIN_KEY
    page.reload()
    assert page.get_by_label("API key").input_value() == ADMIN_KEY  # the same tab keeps it
    context.close()


def test_a_public_page_never_asks_for_a_key(browser, server):
    page = browser.new_page()
    page.goto(server.base + "/")
    page.get_by_label("Link to encode").fill("https://public.example/")
    image_loaded(page)
    assert page.locator("#key-box").is_hidden()
    page.close()

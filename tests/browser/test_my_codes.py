"""The owner's view in Chromium: with a key, make a dynamic code from the studio's style, see it listed with a
chart of its scans (and the numbers as text), change its target (the short link then sends people there),
switch it off and on, download its images, delete it after a confirmation."""

import json

import pytest
from test_page_in_browser import DESKTOP, PHONE, open_page, preview_of

from local.emulation import ADMIN_KEY
from tools.probe import decode

pytestmark = pytest.mark.browser

SCANNER = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"}


def enter_key(page, key=ADMIN_KEY) -> None:
    page.get_by_label("API key").fill(key)
    page.get_by_label("API key").press("Enter")


def scan(server, short_url: str, headers=SCANNER):
    return server.request("GET", short_url.removeprefix(server.base), headers=headers)


def make_code(server, target: str, **style) -> dict:
    status, _, raw = server.request(
        "POST", "/codes", {"target": target, **style}, {"X-API-Key": ADMIN_KEY, "Content-Type": "application/json"}
    )
    assert status == 201, raw
    return json.loads(raw)


def open_codes(page, server) -> None:
    """My codes with the admin key: every code the server holds, newest first."""
    page.get_by_role("link", name="My codes").click()
    enter_key(page)
    page.locator(".code-card").first.wait_for()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_make_it_editable_then_change_where_it_sends_people(browser, server, viewport):
    context, page, console = open_page(browser, server, viewport)
    page.get_by_label("Link to encode").fill("https://menu.example/today")
    page.get_by_role("button", name="Midnight").click()
    page.get_by_role("button", name="Make it editable").wait_for()
    preview_of(page, "https://menu.example/today")

    page.get_by_role("button", name="Make it editable").click()  # no key yet: asked for, nothing made
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "API key" in alert.inner_text() and page.get_by_label("API key").get_attribute("aria-invalid") == "true"
    enter_key(page)
    page.get_by_role("button", name="Make it editable").click()

    status = page.get_by_role("status").filter(has_text="Made ")
    status.wait_for()
    assert page.url.endswith("#codes") and page.locator("#studio").is_hidden()
    short = page.locator(".code-card:focus").get_by_role("heading").inner_text()  # the new code, focused
    short_url = "http://" + short
    code_id = short.rsplit("/", 1)[1]
    card = page.locator(f"#code-{code_id}")
    assert card.locator(".target").inner_text() == "Opens https://menu.example/today"
    assert card.get_by_text("Active").is_visible()

    # Its image is the short link in the studio's style, and it downloads.
    with page.expect_download() as png:
        card.get_by_role("link", name="Download PNG").click()
    assert png.value.suggested_filename == f"qr-{code_id}.png"
    assert decode(open(png.value.path(), "rb").read()) == [short_url]  # noqa: SIM115

    # Scanned: the short link sends people to the target.
    status_code, headers, _ = scan(server, short_url)
    assert (status_code, headers["Location"]) == (302, "https://menu.example/today")

    target = card.get_by_label("Where it sends people")
    target.fill("https://menu.example/tomorrow")
    card.get_by_role("button", name="Save").click()
    page.get_by_text("now sends people to https://menu.example/tomorrow").wait_for()
    assert scan(server, short_url)[1]["Location"] == "https://menu.example/tomorrow"

    card.get_by_role("button", name="Switch off").click()
    card.get_by_role("button", name="Switch on").wait_for()
    assert scan(server, short_url)[0] == 410
    card.get_by_role("button", name="Switch on").click()
    card.get_by_role("button", name="Switch off").wait_for()
    assert scan(server, short_url)[0] == 302

    page.once("dialog", lambda dialog: dialog.dismiss())  # asked, and said no: nothing happens
    card.get_by_role("button", name="Delete").click()
    assert card.is_visible() and scan(server, short_url)[0] == 302
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Delete").click()
    page.get_by_text(f"Deleted {short_url}").wait_for()
    assert page.locator(f"#code-{code_id}").count() == 0 and scan(server, short_url)[0] == 410
    assert not [text for text in console if text.startswith("page error")]
    context.close()


def test_each_code_charts_its_last_30_days_of_scans_with_the_numbers_as_text(browser, server):
    code = make_code(server, "https://chart.example/")
    for _ in range(3):
        scan(server, code["short_url"])
    scan(server, code["short_url"], {"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    context, page, _ = open_page(browser, server)
    open_codes(page, server)
    card = page.locator(f"#code-{code['id']}")
    assert "3 scans by people, 1 by bots in the last 30 days" in card.locator(".state").inner_text()
    chart = card.get_by_role("img", name="Scans per day over the last 30 days: 3 by people, 1 by bots", exact=False)
    assert chart.count() == 1
    assert card.locator("svg rect.people").count() == 1 and card.locator("svg rect.bots").count() == 1
    people, bots = (card.locator(f"svg rect.{kind}").bounding_box() for kind in ("people", "bots"))
    assert people["height"] == pytest.approx(3 * bots["height"], rel=0.05)  # bars to scale, bots stacked above
    assert bots["y"] < people["y"]
    card.get_by_text("Scans per day as a table").click()
    rows = card.locator("table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_inner_texts() == ["3", "1"]
    assert card.locator("table caption").inner_text().startswith("Scans per day, last 30 days")
    context.close()


def test_without_a_key_my_codes_asks_for_one_and_a_wrong_key_is_named(browser, server):
    context, page, _ = open_page(browser, server, PHONE)
    page.goto(server.base + "/#codes")
    key = page.get_by_label("API key")
    key.wait_for()
    assert "Enter your API key" in page.locator("#codes-status").inner_text()
    enter_key(page, "qrk_0123456789ab_" + "x" * 43)
    page.get_by_text("This API key is not valid").wait_for()
    assert key.get_attribute("aria-invalid") == "true" and page.locator(".code-card").count() == 0
    context.close()

"""Many codes from a CSV file in Chromium: each row's result in the page's words, and the ZIP, which holds the
codes made in the studio's style and a manifest."""

import io
import zipfile

import pytest
from test_page_in_browser import DESKTOP, PHONE, open_page

from tools.probe import decode

pytestmark = pytest.mark.browser

CSV = (
    "name,url,type,ssid,password\r\n"
    "Menu,https://example.com/menu,,,\r\n"
    "Old,ftp://example.com/,,,\r\n"
    ",www.example.com/hours,,,\r\n"
    '"Guest, Wi-Fi",,wifi,Cafe Guest,"espresso, 42"\r\n'
)


def upload(page, text: str, name: str = "codes.csv") -> None:
    page.goto(page.url.split("#")[0] + "#batch")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )
    page.get_by_role("button", name="Make the codes").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_csv_makes_each_rows_code_says_which_failed_and_offers_the_zip(browser, server, viewport):
    context, page, console = open_page(browser, server, viewport)
    page.get_by_role("button", name="Rounded").click()  # the studio's style is the batch's
    upload(page, CSV)
    page.get_by_text("3 of 4 made.").wait_for()
    rows = page.locator("#batch-results tbody tr")
    assert rows.count() == 4
    assert rows.nth(0).locator("td").nth(1).inner_text() == "Made: the image"
    assert rows.nth(1).locator("td").nth(1).inner_text() == "Only http and https links can be encoded, not ftp: links."
    assert rows.nth(3).locator("td").first.inner_text() == "Guest, Wi-Fi"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert archive.namelist() == ["Menu.png", "www.example.com-hours.png", "Guest-Wi-Fi.png", "manifest.csv"]
    assert decode(archive.read("Menu.png")) == ["https://example.com/menu"]
    assert decode(archive.read("Guest-Wi-Fi.png")) == ["WIFI:T:WPA;S:Cafe Guest;P:espresso\\, 42;;"]
    assert "espresso" not in archive.read("manifest.csv").decode()
    assert not [text for text in console if text.startswith("page error")]
    context.close()


def test_a_file_without_a_url_or_type_column_is_refused_before_anything_is_sent(browser, server):
    context, page, _ = open_page(browser, server)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    upload(page, "name,link\r\nMenu,https://example.com/\r\n")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "url column" in alert.inner_text()
    assert page.locator('[id="batch-file"]').get_attribute("aria-invalid") == "true"
    assert not [url for url in sent if url.endswith("/qr/batch")]
    context.close()

"""The page in a real browser: Debian's Chromium, driven by Playwright, against the local server."""

import json

import pytest

from qr_service import fields as F
from tools.probe import decode

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, server):
    """The page as a visitor opens it; afterwards, the browser must have refused nothing under the CSP."""
    context = browser.new_context(viewport={"width": 420, "height": 900})
    page = context.new_page()
    console, methods = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: methods.append(request.method))
    response = page.goto(server.base + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    yield page
    context.close()
    refused = [text for text in console if "Content Security Policy" in text]
    assert not refused, refused
    assert "OPTIONS" not in methods, "the page calls the API on its own origin: no CORS preflight"


def image_loaded(page, seconds: float = 15.0) -> None:
    """Wait for the QR image to load. Polled from here: in-page polling would eval, which the CSP refuses."""
    import time

    page.locator("#qr-image").wait_for(state="visible", timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    while not page.evaluate("() => document.getElementById('qr-image').naturalWidth > 0"):
        assert time.monotonic() < deadline, "the QR image did not load"
        time.sleep(0.05)


def test_typing_a_url_and_clicking_generate_shows_a_qr_code_that_scans(page, tmp_path):
    url = "https://browser.example/path?q=1"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_role("button", name="Generate").click()
    image = page.locator("#qr-image")
    image.wait_for(state="visible", timeout=15000)
    image_loaded(page)
    assert "a new code was made" in page.locator("#qr-status").inner_text()
    assert page.locator("#qr-link").inner_text().endswith(".png")
    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert url in decode(shot.read_bytes())


def test_the_second_time_it_says_it_came_from_the_cache(page, server):
    url = "https://browser-cache.example"
    server.wait_for_hit({"url": url})
    page.get_by_label("Link to encode").fill(url)
    page.get_by_role("button", name="Generate").click()
    page.locator("#qr-image").wait_for(state="visible", timeout=15000)
    assert "made earlier and is reused" in page.locator("#qr-status").inner_text()


def test_an_api_error_is_shown_at_its_field_in_the_pages_words(page):
    page.get_by_label("Link to encode").fill("javascript:alert(1)")
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == "Only http and https links can be encoded, not javascript: links."
    assert page.locator("#result").is_hidden()
    assert_marked_invalid(page, "url", alert)


def assert_marked_invalid(page, field_id, alert):
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    error_id = alert.get_attribute("id")
    assert error_id == f"{field_id}-error" and error_id in field.get_attribute("aria-describedby").split()


def test_an_option_the_api_refuses_is_marked_at_its_field(page):
    page.get_by_label("Link to encode").fill("https://field.example")
    page.locator("summary").click()
    low, high = F.BOX_SIZE.minimum, F.BOX_SIZE.maximum
    page.get_by_label("Pixels per module").fill(str(high + 1))
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == f"Pixels per module must be from {low} to {high}, got {high + 1}."
    assert_marked_invalid(page, "box_size", alert)


def test_the_forms_bounds_and_defaults_are_the_definitions(page):
    import time

    page.locator("summary").click()
    deadline = time.monotonic() + 10
    while page.locator("#border").get_attribute("max") is None:  # config.json is read after the page loads
        assert time.monotonic() < deadline, "the page never applied config.json's limits"
        time.sleep(0.05)
    for name in ("box_size", "border"):
        spec = F.FIELDS[name]
        control = page.locator(f"#{name}")
        assert (control.get_attribute("min"), control.get_attribute("max"), control.input_value()) == (
            str(spec.minimum),
            str(spec.maximum),
            str(spec.default),
        )
    assert page.locator("#logo-limit").inner_text() == str(F.MAX_LOGO_BYTES // 1024)
    for name in ("format", "error_correction", "module_style", "eye_style"):
        offered = page.locator(f"#{name} option").evaluate_all("(options) => options.map((o) => o.value)")
        assert offered == list(F.FIELDS[name].choices), name
        assert page.locator(f"#{name}").input_value() == F.FIELDS[name].default, name


def test_a_code_the_page_does_not_know_shows_the_services_message(page):
    answer = {"message": "A rule from a newer service.", "code": "future.rule", "field": "border"}
    page.route(
        "**/qr",
        lambda route: route.fulfill(status=400, content_type="application/json", body=json.dumps(answer)),
    )
    page.get_by_label("Link to encode").fill("https://future.example")
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == "A rule from a newer service."
    assert_marked_invalid(page, "border", alert)


def generate_once(page, url="https://stale.example"):
    page.get_by_label("Link to encode").fill(url)
    page.get_by_role("button", name="Generate").click()
    image_loaded(page)


def test_a_failed_submit_never_leaves_the_previous_result_on_screen(page):
    generate_once(page)
    page.get_by_label("Link to encode").fill("")
    page.get_by_role("button", name="Generate").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert "Enter a link" in alert.inner_text()
    assert page.locator("#result").is_hidden()
    assert_marked_invalid(page, "url", alert)

    generate_once(page, "https://stale-again.example")
    page.route("**/qr", lambda route: route.abort())  # the service cannot be reached
    page.get_by_label("Link to encode").fill("https://unreachable.example")
    page.get_by_role("button", name="Generate").click()
    page.locator("#error").wait_for(state="visible")
    assert "Could not reach the service" in page.locator("#error").inner_text()
    assert page.locator("#result").is_hidden()


def test_inverted_colours_are_stopped_before_anything_is_sent(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_label("Link to encode").fill("https://inverted.example")
    page.locator("summary").click()
    page.locator("#fill_color").evaluate("(e, v) => { e.value = v; e.dispatchEvent(new Event('change')); }", "#ffffff")
    page.locator("#back_color").evaluate("(e, v) => { e.value = v; e.dispatchEvent(new Event('change')); }", "#000000")
    alert = page.get_by_role("alert")
    assert "darker than the background" in alert.inner_text()
    assert_marked_invalid(page, "fill_color", alert)
    page.get_by_role("button", name="Generate").click()
    assert not [r for r in requests if r.endswith("/qr")]
    assert page.locator("#result").is_hidden()


def test_the_result_is_announced_scrolled_into_view_and_downloads_under_a_readable_name(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.base + "/")
    generate_once(page, "https://www.example.com/path?x=1")
    assert "QR code ready" in page.locator("#announce").inner_text()
    page.wait_for_timeout(600)  # the smooth scroll
    box = page.locator("#qr-image").bounding_box()
    assert 0 <= box["y"] < 844, box
    assert page.locator("#download").get_attribute("download") == "qr-www.example.com.png"
    context.close()


def test_options_are_labelled_and_sent(page, tmp_path):
    page.get_by_label("Link to encode").fill("https://options.example")
    page.locator("summary").click()
    page.get_by_label("Format").select_option("svg")
    page.get_by_label("Error correction").select_option("H")
    page.get_by_role("button", name="Generate").click()
    page.locator("#qr-image").wait_for(state="visible", timeout=15000)
    assert page.locator("#qr-link").inner_text().endswith(".svg")


def _png(size, color, noise=False) -> bytes:
    import io
    import os

    from PIL import Image

    image = Image.new("RGB", size, color)
    if noise:  # incompressible pixels, so the file is large
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_code_with_a_logo_dots_and_a_transparent_background_scans(page, tmp_path):
    url = "https://browser.example/logo?ü=1"
    page.get_by_label("Link to encode").fill(url)
    page.locator("summary").click()
    page.get_by_label("Module style").select_option("dots")
    page.get_by_label("Transparent background").check()
    logo = {"name": "logo.png", "mimeType": "image/png", "buffer": _png((64, 64), (220, 40, 40))}
    page.set_input_files("#logo", files=[logo])
    page.locator("#logo-preview").wait_for(state="visible")
    assert page.locator("#error_correction").input_value() == "H"
    page.get_by_role("button", name="Generate").click()
    image_loaded(page)
    shot = tmp_path / "page.png"
    page.locator("#qr-image").screenshot(path=str(shot))
    assert decode(shot.read_bytes()) == [url]
    assert page.locator("#embed-box").is_hidden()  # a query string cannot carry a logo: no embed offered


def _red_pixels(png: bytes) -> int:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 90 and b < 90)


def test_a_styled_svg_with_a_logo_shows_in_img_and_on_its_own_under_the_images_csp(page, server, tmp_path):
    """The image's CSP (default-src 'none', img-src data:, sandbox) still lets the SVG show its embedded logo."""
    import base64

    url = "https://browser.example/svg-logo"
    logo = base64.b64encode(_png((64, 64), (220, 40, 40))).decode()
    status, _, made = server.post_qr({"url": url, "format": "svg", "module_style": "rounded", "logo": logo})
    assert status == 200
    page.get_by_label("Link to encode").fill(url)
    page.locator("summary").click()
    page.get_by_label("Format").select_option("svg")
    page.get_by_label("Module style").select_option("rounded")
    page.set_input_files(
        "#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png((64, 64), (220, 40, 40))}]
    )
    page.locator("#logo-preview").wait_for(state="visible")
    page.get_by_role("button", name="Generate").click()
    image_loaded(page)
    assert page.locator("#qr-image").get_attribute("src") == made["qr_code_url"]
    in_page = page.locator("#qr-image").screenshot()
    assert decode(in_page) == [url] and _red_pixels(in_page) > 100
    response = page.goto(made["qr_code_url"])
    assert "default-src 'none'" in response.headers["content-security-policy"]
    alone = page.screenshot()
    assert decode(alone) == [url] and _red_pixels(alone) > 100


def test_a_get_url_in_an_img_on_another_page_shows_a_code_that_scans(browser, server):
    """An embed as other sites write it: <img src=".../qr?url=..."> answered by the image itself."""
    import time
    from urllib.parse import quote

    url = "https://embed.example/page?x=ü"
    context = browser.new_context(viewport={"width": 400, "height": 400})
    page = context.new_page()
    page.set_content(f'<img id="code" alt="QR" src="{server.base}/qr?url={quote(url)}&box_size=6">')
    image = page.locator("#code")
    image.wait_for(state="visible")
    deadline = time.monotonic() + 10
    while not page.evaluate("() => document.getElementById('code').naturalWidth > 0"):
        assert time.monotonic() < deadline, "the embedded image did not load"
        time.sleep(0.05)
    assert decode(image.screenshot()) == [url]
    context.close()


def test_size_eyes_and_caption_are_sent_and_the_code_scans(page, tmp_path):
    url = "https://brand.example/page"
    page.get_by_label("Link to encode").fill(url)
    page.locator("summary").click()
    page.get_by_label("Size in pixels (optional)").fill("320")
    page.get_by_label("Eye style").select_option("circle")
    page.get_by_label("Eyes in their own colour").check()
    page.locator("#eye_color").evaluate("(e) => { e.value = '#1a56db'; e.dispatchEvent(new Event('change')); }")
    page.get_by_label("Caption (optional)").fill("Scan me")
    assert page.locator("#caption").get_attribute("maxlength") == str(F.MAX_CAPTION_CHARS)
    requests = []
    page.on("request", lambda request: requests.append(request.post_data_json) if request.method == "POST" else None)
    page.get_by_role("button", name="Generate").click()
    image_loaded(page)
    [sent] = requests
    assert sent["size"] == 320 and "box_size" not in sent
    assert (sent["eye_style"], sent["eye_color"], sent["caption"]) == ("circle", "#1a56db", "Scan me")
    width, height = page.evaluate(
        "() => [document.getElementById('qr-image').naturalWidth, document.getElementById('qr-image').naturalHeight]"
    )
    assert width == 320 and height > 320
    shot = page.locator("#qr-image").screenshot()
    assert decode(shot) == [url]


def test_a_light_eye_colour_is_stopped_at_its_field(page):
    page.get_by_label("Link to encode").fill("https://eyes.example")
    page.locator("summary").click()
    page.get_by_label("Eyes in their own colour").check()
    page.locator("#eye_color").evaluate("(e) => { e.value = '#f0f0f0'; e.dispatchEvent(new Event('change')); }")
    alert = page.get_by_role("alert")
    assert "too alike" in alert.inner_text()
    assert_marked_invalid(page, "eye_color", alert)


def test_a_logo_over_8_kb_is_refused_before_anything_is_sent(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator("summary").click()
    page.set_input_files(
        "#logo", files=[{"name": "big.png", "mimeType": "image/png", "buffer": _png((80, 80), (0, 0, 0), noise=True)}]
    )
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert "limit is 8 KB" in alert.inner_text()
    assert page.locator("#logo-chosen").is_hidden()
    assert not [r for r in requests if r.endswith("/qr")]


def test_the_eye_colour_swatch_shows_the_colour_the_eyes_will_have(page):
    """Without their own colour, the eyes are drawn in the fill: the (disabled) swatch says so."""
    page.locator("summary").click()
    eye, fill = page.locator("#eye_color"), page.locator("#fill_color")
    assert eye.is_disabled() and eye.input_value() == fill.input_value() == "#000000"
    fill.evaluate("(e) => { e.value = '#123456'; e.dispatchEvent(new Event('change')); }")
    assert eye.input_value() == "#123456"
    page.get_by_label("Eyes in their own colour").check()
    eye.evaluate("(e) => { e.value = '#1a56db'; e.dispatchEvent(new Event('change')); }")
    fill.evaluate("(e) => { e.value = '#202020'; e.dispatchEvent(new Event('change')); }")
    assert eye.input_value() == "#1a56db"  # their own colour now
    page.get_by_label("Eyes in their own colour").uncheck()
    assert eye.input_value() == "#202020"


def test_the_embed_snippet_asks_for_the_same_image_with_the_same_options(page, server):
    """The stable embed (GET /qr with the shown code's options) answers the very image on screen."""
    import html
    import re

    from tools import probe

    url = "https://embed.example/menu?a=1&b=2"
    page.get_by_label("Link to encode").fill(url)
    page.locator("summary").click()
    page.get_by_label("Module style").select_option("rounded")
    page.get_by_role("button", name="Generate").click()
    image_loaded(page)
    snippet = page.get_by_label("Embed it in a web page").input_value()
    src = html.unescape(re.fullmatch(r'<img src="([^"]+)" alt="QR code for [^"]+">', snippet).group(1))
    assert src.startswith(server.base + "/qr?url=") and "module_style=rounded" in src
    assert "box_size" not in src and "fill_color" not in src  # defaults are left out: a short, stable address
    status, headers, embedded = probe.http("GET", src)
    assert status == 200 and headers["Content-Type"] == "image/png" and decode(embedded) == [url]
    shown = page.locator("#qr-image").get_attribute("src")
    assert probe.http("GET", shown)[2] == embedded  # the same bytes as the code on screen

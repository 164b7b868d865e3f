"""The studio in a real browser (Debian's Chromium, driven by Playwright) against the local server: the code is
drawn as you type by the API's preview, never stale, both formats download, the embed answers the same image."""

import base64
import html
import io
import json
import re
import time

import pytest

from qr_service import fields as F
from tools import probe
from tools.probe import decode

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def open_page(browser, server, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    response = page.goto(server.base + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    return context, page, console


@pytest.fixture
def page(browser, server):
    """The page as a visitor opens it; afterwards, the browser must have refused nothing under the CSP, no
    script may have failed, and every POST /qr the page made must have been a preview."""
    context, page, console = open_page(browser, server)
    methods, posted = [], []
    page.on("request", lambda request: methods.append(request.method))
    page.on(
        "request", lambda r: posted.append(r.post_data_json) if r.method == "POST" and r.url.endswith("/qr") else None
    )
    yield page
    context.close()
    refused = [text for text in console if "Content Security Policy" in text or text.startswith("page error")]
    assert not refused, refused
    assert "OPTIONS" not in methods, "the page calls the API on its own origin: no CORS preflight"
    assert all(body.get("preview") is True for body in posted), "the studio stores nothing: previews only"


def svg_to_png(svg: bytes) -> bytes:
    """A downloaded SVG (any viewBox) rasterised by cairo, large enough for the decoder."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg, output_width=1200)


def wait_until(page, script: str, seconds: float = 15.0, what: str = "the page") -> None:
    """Poll a script from here: in-page polling would eval, which the CSP refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"{what} never happened: {script}"
        time.sleep(0.05)


def image_loaded(page, seconds: float = 15.0) -> None:
    """Wait for a code on screen that matches the options (not marked stale)."""
    page.locator("#qr-image").wait_for(state="visible", timeout=seconds * 1000)
    wait_until(
        page,
        "() => { const i = document.getElementById('qr-image'); return !i.hidden && i.naturalWidth > 0"
        " && !document.getElementById('canvas').classList.contains('stale')"
        " && !document.getElementById('download-png').disabled; }",
        seconds,
        "a fresh code",
    )


def preview_of(page, url: str) -> bytes:
    """Wait for the code of `url` and answer a screenshot of it."""
    wait_until(page, f"() => document.getElementById('qr-image').alt === {json.dumps('QR code for ' + url)}")
    image_loaded(page)
    return page.locator("#qr-image").screenshot()


def set_colour(page, field: str, value: str) -> None:
    page.locator(f"#{field}").evaluate(
        "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true}));"
        " e.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def assert_marked_invalid(page, field_id, alert):
    field = page.locator(f'[id="{field_id}"]')  # a content part's id has a dot: content.password
    assert field.get_attribute("aria-invalid") == "true"
    error_id = alert.get_attribute("id")
    assert error_id == f"{field_id}-error" and error_id in field.get_attribute("aria-describedby").split()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_typing_a_url_shows_a_code_without_a_click_that_scans_in_the_first_viewport(browser, server, viewport):
    context, page, _ = open_page(browser, server, viewport)
    url = "https://browser.example/path?q=1"
    page.get_by_label("Link to encode").fill(url)  # no button pressed
    assert decode(preview_of(page, url)) == [url]
    assert page.locator("#qr-image").get_attribute("src").startswith("data:image/png;base64,")
    assert "scans to " + url in page.locator("#qr-status").inner_text()
    for control in ("#qr-image", "#download-png", "#download-svg", "#copy-image"):
        box = page.locator(control).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (control, box)
    if viewport is DESKTOP:  # side by side: the code right of the options
        assert page.locator("#qr-image").bounding_box()["x"] > page.locator("#url").bounding_box()["x"] + 400
    context.close()


def test_a_half_typed_link_waits_and_an_empty_one_shows_no_code(page):
    page.get_by_label("Link to encode").fill("https://exa")
    time.sleep(0.8)
    assert page.locator("#qr-image").is_hidden() and "Keep typing" in page.locator("#placeholder").inner_text()
    page.get_by_label("Link to encode").fill("https://example.com")
    preview_of(page, "https://example.com")
    page.get_by_label("Link to encode").fill("")
    wait_until(page, "() => document.getElementById('qr-image').hidden", what="the code going away")
    assert page.locator("#download-png").is_disabled()


def test_enter_asks_for_a_link_that_typing_would_wait_for(page):
    page.get_by_label("Link to encode").fill("http://intranet:8080/menu")  # no dot: typing alone waits
    time.sleep(0.8)
    assert page.locator("#qr-image").is_hidden()
    page.get_by_label("Link to encode").press("Enter")
    assert decode(preview_of(page, "http://intranet:8080/menu")) == ["http://intranet:8080/menu"]


def test_a_style_change_changes_the_code_and_it_still_scans(page):
    url = "https://style.example/a"
    page.get_by_label("Link to encode").fill(url)
    preview_of(page, url)
    before = page.locator("#qr-image").get_attribute("src")
    page.get_by_label("Module style").select_option("dots")
    wait_until(page, f"() => document.getElementById('qr-image').src !== {json.dumps(before)}", what="a new code")
    image_loaded(page)
    assert decode(page.locator("#qr-image").screenshot()) == [url]


def test_no_result_is_ever_stale_and_the_last_change_wins_with_one_request_in_flight(page):
    """Previews held at the network until the test lets them go: while one is drawn, changes send nothing more;
    its answer, for options that have moved on, is never shown; the newest options are asked for next."""
    held = []
    page.route("**/qr", lambda route: held.append(route))

    def wait_for_held(count):
        deadline = time.monotonic() + 10
        while len(held) < count:
            assert time.monotonic() < deadline, f"{count} previews never asked for"
            page.wait_for_timeout(20)

    page.get_by_label("Link to encode").fill("https://first.example/")
    wait_for_held(1)
    held[0].continue_()
    preview_of(page, "https://first.example/")

    page.get_by_label("Link to encode").fill("https://second.example/")
    # At once, before any answer: the code on screen is not this link's, and the page says so.
    assert "stale" in page.locator("#canvas").get_attribute("class")
    assert page.locator("#download-png").is_disabled() and page.locator("#copy-image").is_disabled()
    assert "Updating" in page.locator("#qr-status").inner_text()
    wait_for_held(2)  # second's preview is in flight, held
    page.get_by_label("Link to encode").fill("https://third.example/")
    page.wait_for_timeout(600)
    last = "https://last.example/done"
    page.get_by_label("Link to encode").fill(last)
    page.wait_for_timeout(600)
    assert len(held) == 2, "a second preview was sent while one was in flight"
    held[1].continue_()  # second's answer: its options have moved on
    wait_for_held(3)
    assert held[2].request.post_data_json["url"] == last, "the newest options are asked for, not the ones between"
    assert page.locator("#qr-image").get_attribute("alt") == "QR code for https://first.example/"
    assert "stale" in page.locator("#canvas").get_attribute("class"), "an answer for old options was shown"
    held[2].continue_()
    assert decode(preview_of(page, last)) == [last]
    page.wait_for_timeout(300)
    assert len(held) == 3


def test_png_and_svg_download_side_by_side_named_from_the_link_and_both_scan(page, tmp_path):
    url = "https://www.downloads.example/menu?x=1"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_role("button", name="Rounded").click()
    shown = preview_of(page, url)
    png_box, svg_box = (page.locator(f"#download-{k}").bounding_box() for k in ("png", "svg"))
    assert abs(png_box["y"] - svg_box["y"]) < 2, "side by side"
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Download PNG").click()
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Download SVG").click()
    png, svg = png_download.value, svg_download.value
    assert (png.suggested_filename, svg.suggested_filename) == (
        "qr-www.downloads.example.png",
        "qr-www.downloads.example.svg",
    )
    png_bytes, svg_bytes = (open(d.path(), "rb").read() for d in (png, svg))  # noqa: SIM115
    src = page.locator("#qr-image").get_attribute("src")
    assert png_bytes == base64.b64decode(src.split(",", 1)[1]), "the PNG is the code on screen"
    assert decode(png_bytes) == [url] and decode(shown) == [url]
    assert b"<svg" in svg_bytes and decode(svg_to_png(svg_bytes)) == [url]


def test_copy_image_puts_the_png_on_the_clipboard(browser, server):
    context, page, _ = open_page(browser, server, permissions=["clipboard-read", "clipboard-write"])
    url = "https://copy.example/"
    page.get_by_label("Link to encode").fill(url)
    preview_of(page, url)
    page.get_by_role("button", name="Copy image").click()
    page.get_by_text("The image is on the clipboard.").wait_for()
    copied = page.evaluate(
        """async () => {
            const [item] = await navigator.clipboard.read();
            const bytes = new Uint8Array(await (await item.getType('image/png')).arrayBuffer());
            return Array.from(bytes);
        }"""
    )
    assert decode(bytes(copied)) == [url]
    context.close()


def test_presets_set_the_style_in_one_click_and_show_which_is_on(page):
    url = "https://presets.example/"
    page.get_by_label("Link to encode").fill(url)
    preview_of(page, url)
    assert page.get_by_role("button", name="Classic").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Dots").click()
    assert (page.locator("#module_style").input_value(), page.locator("#eye_style").input_value()) == ("dots", "circle")
    assert page.get_by_label("Eyes in their own colour").is_checked()
    assert page.get_by_role("button", name="Dots").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Classic").get_attribute("aria-pressed") == "false"
    wait_until(page, "() => document.getElementById('canvas').classList.contains('stale') === false")
    image_loaded(page)
    assert decode(page.locator("#qr-image").screenshot()) == [url]
    page.get_by_label("Module style").select_option("square")  # now no preset matches
    assert page.locator("#presets [aria-pressed=true]").count() == 0


def test_one_size_control_slider_and_number_sets_the_width_it_shows(page):
    url = "https://size.example/"
    page.get_by_label("Link to encode").fill(url)
    preview_of(page, url)
    page.get_by_label("Size in pixels").fill("520")
    assert page.get_by_label("Size (slider)").input_value() == "520"
    wait_until(page, "() => document.getElementById('qr-image').naturalWidth === 520", what="a 520-pixel code")
    assert page.locator("#resolution").inner_text() == "520 \N{MULTIPLICATION SIGN} 520 pixels."
    page.get_by_label("Size (slider)").fill("304")
    assert page.get_by_label("Size in pixels").input_value() == "304"
    wait_until(page, "() => document.getElementById('qr-image').naturalWidth === 304", what="a 304-pixel code")
    assert page.locator("#box_size").count() == 0  # the API keeps box_size; the page's controls do not


def test_an_api_error_is_shown_at_its_field_in_the_pages_words_and_no_code_stays(page):
    page.get_by_label("Link to encode").fill("https://fine.example/")
    preview_of(page, "https://fine.example/")
    page.get_by_label("Link to encode").fill("javascript:alert(1)")
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == "Only http and https links can be encoded, not javascript: links."
    assert page.locator("#qr-image").is_hidden() and page.locator("#download-png").is_disabled()
    assert_marked_invalid(page, "url", alert)


def test_a_size_the_api_refuses_is_marked_at_its_field(page):
    page.get_by_label("Link to encode").fill("https://field.example")
    page.get_by_label("Size in pixels").fill(str(F.SIZE.maximum + 1))
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert (
        alert.inner_text()
        == f"Size in pixels must be from {F.SIZE.minimum} to {F.SIZE.maximum}, got {F.SIZE.maximum + 1}."
    )
    assert_marked_invalid(page, "size", alert)
    assert page.locator("#url").evaluate("(e) => e === document.activeElement") is False  # typing is not interrupted


def test_the_forms_bounds_and_defaults_are_the_definitions(page):
    wait_until(page, "() => document.getElementById('border').max !== ''", what="config.json's limits")
    control = page.locator("#border")
    spec = F.BORDER
    assert (control.get_attribute("min"), control.get_attribute("max"), control.input_value()) == (
        str(spec.minimum),
        str(spec.maximum),
        str(spec.default),
    )
    assert (page.locator("#size").get_attribute("min"), page.locator("#size").get_attribute("max")) == (
        str(F.SIZE.minimum),
        str(F.SIZE.maximum),
    )
    assert page.locator("#logo-limit").inner_text() == str(F.MAX_LOGO_BYTES // 1024)
    for name in ("error_correction", "module_style", "eye_style"):
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
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == "A rule from a newer service."
    assert_marked_invalid(page, "border", alert)


def test_an_unreachable_service_leaves_no_code_on_screen(page):
    page.get_by_label("Link to encode").fill("https://reachable.example/")
    preview_of(page, "https://reachable.example/")
    page.route("**/qr", lambda route: route.abort())
    page.get_by_label("Link to encode").fill("https://unreachable.example")
    page.locator("#error").wait_for(state="visible")
    assert "Could not reach the service" in page.locator("#error").inner_text()
    assert page.locator("#qr-image").is_hidden() and page.locator("#download-png").is_disabled()


def test_inverted_colours_are_stopped_before_anything_is_sent(page):
    page.get_by_label("Link to encode").fill("https://inverted.example")
    preview_of(page, "https://inverted.example")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    set_colour(page, "fill_color", "#ffffff")
    set_colour(page, "back_color", "#000000")
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert "darker than the background" in alert.inner_text()
    assert_marked_invalid(page, "fill_color", alert)
    time.sleep(0.5)
    assert not [r for r in requests if r.endswith("/qr")]
    assert page.locator("#qr-image").is_hidden()


def _png(size, color, noise=False) -> bytes:
    import os

    from PIL import Image

    image = Image.new("RGB", size, color)
    if noise:  # incompressible pixels, so the file is large
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _red_pixels(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 90 and b < 90)


def test_a_code_with_a_logo_dots_and_a_transparent_background_scans(page):
    url = "https://browser.example/logo?ü=1"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_label("Module style").select_option("dots")
    page.get_by_label("Transparent background").check()
    logo = {"name": "logo.png", "mimeType": "image/png", "buffer": _png((64, 64), (220, 40, 40))}
    page.set_input_files("#logo", files=[logo])
    page.locator("#logo-preview").wait_for(state="visible")
    assert page.locator("#error_correction").input_value() == "H"
    wait_until(page, "() => document.getElementById('embed-box').hidden", what="the embed hidden for a logo")
    shot = preview_of(page, url)
    assert _red_pixels(shot) > 100
    assert decode(shot) == [url]
    assert page.locator("#embed-box").is_hidden()  # a query string cannot carry a logo: no embed offered


def test_a_styled_svg_with_a_logo_downloads_and_shows_its_logo_under_the_images_csp(page, server, tmp_path):
    """The image's CSP (default-src 'none', img-src data:, sandbox) still lets the SVG show its embedded logo."""
    url = "https://browser.example/svg-logo"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_label("Module style").select_option("rounded")
    page.set_input_files(
        "#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png((64, 64), (220, 40, 40))}]
    )
    page.locator("#logo-preview").wait_for(state="visible")
    wait_until(page, "() => document.getElementById('embed-box').hidden", what="the embed hidden for a logo")
    preview_of(page, url)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download SVG").click()
    svg = open(download.value.path(), "rb").read()  # noqa: SIM115
    rendered = svg_to_png(svg)
    assert decode(rendered) == [url] and _red_pixels(rendered) > 100
    logo = base64.b64encode(_png((64, 64), (220, 40, 40))).decode()
    status, _, made = server.post_qr({"url": url, "format": "svg", "module_style": "rounded", "logo": logo})
    assert status == 200
    response = page.goto(made["qr_code_url"])
    assert "default-src 'none'" in response.headers["content-security-policy"]
    alone = page.screenshot()
    assert decode(alone) == [url] and _red_pixels(alone) > 100


def test_a_get_url_in_an_img_on_another_page_shows_a_code_that_scans(browser, server):
    """An embed as other sites write it: <img src=".../qr?url=..."> answered by the image itself."""
    from urllib.parse import quote

    url = "https://embed.example/page?x=ü"
    context = browser.new_context(viewport={"width": 400, "height": 400})
    page = context.new_page()
    page.set_content(f'<img id="code" alt="QR" src="{server.base}/qr?url={quote(url)}&box_size=6">')
    image = page.locator("#code")
    image.wait_for(state="visible")
    wait_until(page, "() => document.getElementById('code').naturalWidth > 0", what="the embedded image")
    assert decode(image.screenshot()) == [url]
    context.close()


def test_size_eyes_and_caption_are_sent_and_the_code_scans(page):
    url = "https://brand.example/page"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_label("Size in pixels").fill("320")
    page.get_by_label("Eye style").select_option("circle")
    page.get_by_label("Eyes in their own colour").check()
    set_colour(page, "eye_color", "#1a56db")
    page.get_by_label("Caption (optional)").fill("Scan me")
    assert page.locator("#caption").get_attribute("maxlength") == str(F.MAX_CAPTION_CHARS)
    requests = []
    page.on("request", lambda request: requests.append(request.post_data_json) if request.method == "POST" else None)
    shot = preview_of(page, url)
    wait_until(page, "() => document.getElementById('qr-image').naturalHeight > 320", what="the caption's band")
    sent = requests[-1] if requests else None
    if sent:  # the preview may have been asked for before the listener: then the options are on screen anyway
        assert sent["size"] == 320 and "box_size" not in sent
        assert (sent["eye_style"], sent["eye_color"], sent["caption"]) == ("circle", "#1a56db", "Scan me")
    width, height = page.evaluate(
        "() => [document.getElementById('qr-image').naturalWidth, document.getElementById('qr-image').naturalHeight]"
    )
    assert width == 320 and height > 320
    assert (
        page.locator("#resolution").inner_text()
        == f"320 \N{MULTIPLICATION SIGN} {height} pixels, the caption included."
    )
    assert decode(page.locator("#qr-image").screenshot()) == [url] and shot


def test_a_caption_the_font_cannot_draw_is_marked_at_its_field_and_one_it_can_scans(page):
    url = "https://caption.example/"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_label("Caption (optional)").fill("Menu 菜单")
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=15000)
    assert alert.inner_text() == "The caption's font cannot draw 菜单. Latin, Greek and Cyrillic letters work."
    assert_marked_invalid(page, "caption", alert)
    page.get_by_label("Caption (optional)").fill("Café München")
    alert.wait_for(state="hidden", timeout=15000)
    wait_until(
        page,
        "() => { const i = document.getElementById('qr-image');"
        " return !i.hidden && i.naturalHeight > i.naturalWidth; }",
        what="the captioned code",
    )
    assert page.locator("#caption").get_attribute("aria-invalid") != "true"
    assert decode(preview_of(page, url)) == [url]


def test_a_light_eye_colour_is_stopped_at_its_field(page):
    page.get_by_label("Link to encode").fill("https://eyes.example")
    page.get_by_label("Eyes in their own colour").check()
    set_colour(page, "eye_color", "#f0f0f0")
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert "too alike" in alert.inner_text()
    assert_marked_invalid(page, "eye_color", alert)


def test_a_logo_over_8_kb_is_refused_before_anything_is_sent(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
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
    eye, fill = page.locator("#eye_color"), page.locator("#fill_color")
    assert eye.is_disabled() and eye.input_value() == fill.input_value() == "#000000"
    set_colour(page, "fill_color", "#123456")
    assert eye.input_value() == "#123456"
    page.get_by_label("Eyes in their own colour").check()
    set_colour(page, "eye_color", "#1a56db")
    set_colour(page, "fill_color", "#202020")
    assert eye.input_value() == "#1a56db"  # their own colour now
    page.get_by_label("Eyes in their own colour").uncheck()
    assert eye.input_value() == "#202020"


def test_the_embed_snippet_asks_for_the_same_image_with_the_same_options(page, server):
    """The stable embed (GET /qr with the shown code's options) answers the very image on screen."""
    url = "https://embed.example/menu?a=1&b=2"
    page.get_by_label("Link to encode").fill(url)
    page.get_by_label("Module style").select_option("rounded")
    preview_of(page, url)
    page.get_by_text("Embed it in a web page").click()
    snippet = page.get_by_label("Embed code").input_value()
    src = html.unescape(re.fullmatch(r'<img src="([^"]+)" alt="QR code for [^"]+">', snippet).group(1))
    assert src.startswith(server.base + "/qr?url=") and "module_style=rounded" in src
    assert "box_size" not in src and "fill_color" not in src  # defaults are left out: a short, stable address
    status, headers, embedded = probe.http("GET", src)
    assert status == 200 and headers["Content-Type"] == "image/png" and decode(embedded) == [url]
    shown = page.locator("#qr-image").get_attribute("src")
    assert embedded == base64.b64decode(shown.split(",", 1)[1])  # the same bytes as on screen


def test_a_wifi_code_from_its_own_fields_scans_to_the_exact_text(page):
    """The type selector puts the type's fields in place of the link's; the preview holds exactly the text the
    service built, which the page shows; a part the service refuses is marked at its own field."""
    page.get_by_label("What the code holds").select_option("wifi")
    assert page.locator("#url").is_hidden() and page.get_by_role("button", name="Make it editable").is_hidden()
    page.get_by_label("Network name").fill('Cafe; "Guest"')
    time.sleep(0.6)
    assert page.locator("#qr-image").is_hidden() and "Fill in Password" in page.locator("#placeholder").inner_text()
    page.get_by_label("Password", exact=True).fill("espresso:42")
    text = 'WIFI:T:WPA;S:Cafe\\; \\"Guest\\";P:espresso\\:42;;'
    shot = preview_of(page, 'Wi-Fi: Cafe; "Guest"')
    assert decode(shot) == [text]
    page.get_by_text("Exactly what the code holds").click()
    assert page.locator("#encoded").inner_text() == text
    assert page.locator("#embed-box").is_hidden()  # a query string cannot carry content
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PNG").click()
    assert download.value.suggested_filename == "qr-wifi-Cafe-Guest.png"
    page.get_by_label("Security").select_option("nopass")  # an open network with a password: refused at it
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "An open network has no password: leave Password empty, or choose WPA or WEP."
    assert_marked_invalid(page, "content.password", alert)
    assert page.locator("#qr-image").is_hidden()


def test_every_content_type_draws_a_code_that_reads_back(page):
    """Each type in the selector, filled with its required parts, gives a code whose text decodes exactly."""
    filled = {
        "vcard": {"Name": "Zoë Müller"},
        "email": {"To": "hello@example.com"},
        "sms": {"Phone number": "+44 7700 900123"},
        "tel": {"Phone number": "+1 555 010 9999"},
        "geo": {"Latitude": "48.8584", "Longitude": "2.2945"},
        "event": {"Title": "Launch", "Starts": "2026-12-24T18:00", "Ends": "2026-12-24T20:00"},
        "text": {"Text": "Table 12, by the window"},
    }
    for kind, parts in filled.items():
        page.get_by_label("What the code holds").select_option(kind)
        for label, value in parts.items():
            page.get_by_label(label, exact=True).fill(value)
        first = next(iter(parts.values()))
        title = page.locator("#content_type option:checked").inner_text()
        shot = preview_of(page, f"{title}: {first}")
        page.get_by_text("Exactly what the code holds").click()
        assert decode(shot) == [page.locator("#encoded").text_content()], kind

"""make run with qr.allowed_hosts from a cdk.json of its own: the API refuses a link to another host with
the handler's own answer, config.json tells the page, and the page stops the link at its field before it
asks (Chromium)."""

import json

import pytest
from support import ROOT
from support.local_server import RunningServer

pytestmark = pytest.mark.subprocess


@pytest.fixture(scope="module")
def restricted(tmp_path_factory):
    cdk_json = json.loads((ROOT / "cdk.json").read_text())
    cdk_json["context"]["qr"]["allowed_hosts"] = ["example.com", "*.münchen.example"]
    path = tmp_path_factory.mktemp("settings") / "cdk.json"
    path.write_text(json.dumps(cdk_json))
    running = RunningServer("--cdk-json", str(path))
    yield running
    running.stop()


def test_config_json_names_the_hosts_in_their_ascii_form(restricted):
    _, _, raw = restricted.request("GET", "/config.json")
    assert json.loads(raw)["allowedHosts"] == ["example.com", "*.xn--mnchen-3ya.example"]


def test_a_link_to_another_host_is_the_handlers_400_and_an_allowed_one_is_made(restricted):
    status, _, body = restricted.post_qr({"url": "https://other.example/"})
    assert status == 400 and body == {
        "message": "'url' links to other.example; this service encodes links to example.com, "
        "*.xn--mnchen-3ya.example only.",
        "code": "url.host_not_allowed",
        "field": "url",
        "params": {"host": "other.example", "allowed": "example.com, *.xn--mnchen-3ya.example"},
    }
    status, _, _ = restricted.request("GET", "/qr?url=https://other.example/")
    assert status == 400
    status, _, body = restricted.post_qr({"url": "https://rathaus.münchen.example/"})
    assert status == 200 and body["verified"] is True


@pytest.mark.browser
def test_the_page_stops_a_link_to_another_host_at_its_field_before_it_asks(browser, restricted):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 420, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(restricted.base + "/")
    # config.json is read after the page loads: wait for the hint rather than race it (a busy machine lost it).
    expect(page.locator("#url-help")).to_contain_text("links to example.com, *.xn--mnchen-3ya.example only")
    page.get_by_label("Link to encode").fill("https://bücher.example/")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "links to example.com, *.xn--mnchen-3ya.example only, not to xn--bcher-kva.example" in alert.inner_text()
    assert page.locator("#url").get_attribute("aria-invalid") == "true"
    assert not [r for r in requests if r.endswith("/qr")]
    page.get_by_label("Link to encode").fill("https://www.münchen.example./")  # a trailing dot is the same host
    page.locator("#qr-image").wait_for(state="visible", timeout=15000)
    context.close()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "No such file"),
        ("{not json", "Expecting property name"),
        ('{"context": {"qr": {"allowed_hosts": ["exa mple.com"]}}}', "is not a host name"),
    ],
    ids=["missing", "not JSON", "bad setting"],
)
def test_make_run_refuses_settings_it_cannot_use_in_one_line(tmp_path, content, says):
    import subprocess
    import sys

    path = tmp_path / "cdk.json"
    if content is not None:
        path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "local.server", "--port", "0", "--cdk-json", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Cannot run with the qr settings of {path}: ") and says in line

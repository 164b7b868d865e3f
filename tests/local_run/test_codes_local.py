"""Dynamic codes through make run, as a user meets them: make one with a key, scan its short link (a 302 the
server does not follow), change the target, read the counts, delete it; the answers are the deployed ones."""

import json

import pytest

from local.emulation import ADMIN_KEY
from tools.probe import decode

pytestmark = pytest.mark.subprocess
ADMIN = {"X-API-Key": ADMIN_KEY, "Content-Type": "application/json"}
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"}


def test_a_code_is_made_scanned_edited_counted_and_deleted(server):
    status, _, raw = server.request("POST", "/codes", {"target": "https://example.com/before"}, ADMIN)
    code = json.loads(raw)
    assert status == 201 and code["short_url"] == f"{server.base}/c/{code['id']}"
    link = code["short_url"].removeprefix(server.base)
    status, headers, png = server.request("GET", code["png_url"].removeprefix(server.base))
    assert status == 200 and headers["Content-Type"] == "image/png" and decode(png) == [code["short_url"]]
    # The stage's own path for it answers too, as deployed: the site bucket has no such file and falls back.
    assert server.request("GET", f"/img/c/{code['id']}.png")[2] == png
    status, headers, _ = server.request("GET", link, None, PHONE)
    assert (status, headers["Location"], headers["Cache-Control"]) == (302, "https://example.com/before", "no-store")
    status, _, _ = server.request("PATCH", f"/codes/{code['id']}", {"target": "https://example.com/after"}, ADMIN)
    assert status == 200
    assert server.request("GET", link, None, PHONE)[1]["Location"] == "https://example.com/after"
    assert server.request("HEAD", link, None, PHONE)[0] == 302
    server.request("GET", link, None, {"User-Agent": "TelegramBot (like TwitterBot)"})
    status, _, raw = server.request("GET", f"/codes/{code['id']}", None, ADMIN)
    scans = json.loads(raw)["scans"]
    assert (scans["total"], scans["bots"], scans["countries"]) == (2, 1, {"unknown": 3})  # no country locally
    assert server.request("DELETE", f"/codes/{code['id']}", None, ADMIN)[0] == 204
    status, headers, raw = server.request("GET", link, None, {"Accept": "text/html"})
    assert status == 410 and headers["Content-Type"].startswith("text/html") and b"switched off" in raw
    status, _, raw = server.request("GET", "/c/AAAAAAAA")
    assert (status, json.loads(raw)["code"]) == (404, "link.not_found")


def test_the_gateway_answers_for_codes_are_the_deployed_ones(server):
    status, headers, raw = server.request("PUT", "/c/AAAAAAAA", None, ADMIN)
    assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(raw)["message"] == "PUT is not allowed on /c/{id}: use GET to follow the code's link."
    status, _, raw = server.request("POST", "/codes", {"target": "https://x.example"})
    assert (status, json.loads(raw)["code"]) == (401, "auth.missing")

"""make run with qr.access "key" (a cdk.json of its own): /qr needs a key, /keys is the admin's, and the answers
are the handlers' and the gateway's as deployed; without QR_ADMIN_KEY a key is made and printed once."""

import json
import subprocess
import sys

import pytest
from support import ROOT
from support.local_server import RunningServer

from contract import gateway
from local.emulation import ADMIN_KEY
from qr_service import errors
from tools.probe import decode

pytestmark = pytest.mark.subprocess
ADMIN = {"X-API-Key": ADMIN_KEY}
JSON = {"Content-Type": "application/json"}


def settings_file(tmp_path_factory, **qr) -> str:
    cdk_json = json.loads((ROOT / "cdk.json").read_text())
    cdk_json["context"]["qr"].update(qr)
    path = tmp_path_factory.mktemp("settings") / "cdk.json"
    path.write_text(json.dumps(cdk_json))
    return str(path)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    running = RunningServer("--cdk-json", settings_file(tmp_path_factory, access="key"))
    yield running
    running.stop()


def answer(server, method, path, body=None, headers=None):
    status, answer_headers, raw = server.request(method, path, body, {**JSON, **(headers or {})})
    return status, answer_headers, json.loads(raw) if raw else None


def test_it_says_its_access_and_keeps_a_chosen_admin_key_to_itself(keyed):
    assert any(line.startswith("Access: key") for line in keyed.lines)
    assert ADMIN_KEY not in "".join(keyed.lines)


def test_qr_needs_a_key_and_keys_work_end_to_end(keyed):
    assert answer(keyed, "POST", "/qr", {"url": "https://k.example"})[2]["code"] == "auth.missing"
    status, _, body = answer(keyed, "POST", "/qr", {"url": "https://k.example"}, {"X-API-Key": "nope"})
    assert (status, body["code"]) == (401, "auth.invalid")
    assert answer(keyed, "POST", "/qr", {"url": "https://k.example"}, ADMIN)[0] == 200
    status, _, created = answer(keyed, "POST", "/keys", {"name": "laptop"}, ADMIN)
    assert status == 201 and created["name"] == "laptop"
    mine = {"X-API-Key": created["key"]}
    status, headers, image = keyed.request("GET", "/qr?url=https://k.example", None, mine)
    assert status == 200 and headers["Cache-Control"].startswith("private, max-age=")
    assert decode(image) == ["https://k.example"]
    assert answer(keyed, "GET", "/keys", None, mine)[:3:2] == (403, errors.AUTH_FORBIDDEN.body())
    [listed] = answer(keyed, "GET", "/keys", None, ADMIN)[2]["keys"]
    assert listed["id"] == created["id"] and listed["last_used"] is not None
    assert answer(keyed, "DELETE", f"/keys/{created['id']}", None, ADMIN)[0] == 204
    status, _, body = answer(keyed, "POST", "/qr", {"url": "https://k.example"}, mine)
    assert (status, body["code"]) == (401, "auth.invalid")


def test_the_gateway_answers_for_keys_are_the_deployed_ones(keyed):
    status, headers, body = answer(keyed, "PUT", "/keys", {"name": "x"}, ADMIN)
    assert status == 405 and headers["Allow"] == "GET, POST, OPTIONS"
    [keys] = [route for route in gateway.ROUTES if route.path == "/keys"]
    assert body == json.loads(keys.not_allowed("PUT"))
    status, headers, body = answer(keyed, "GET", "/keys/0123456789ab", None, ADMIN)
    assert status == 405 and headers["Allow"] == "DELETE, OPTIONS"
    # A path the stage has no resource for: API Gateway's own 404.
    status, _, body = answer(keyed, "DELETE", "/keys/a/b", None, ADMIN)
    assert (status, body) == (404, errors.NO_SUCH_FILE.body())
    status, _, body = answer(keyed, "DELETE", "/keys/0123456789ab", None, ADMIN)
    assert (status, body["code"]) == (404, "key.not_found")  # the function's, not replaced on the way


def test_without_qr_admin_key_one_is_made_and_printed_once(tmp_path_factory):
    running = RunningServer(admin_key=None)
    try:
        [line] = [line for line in running.lines if line.startswith("Admin key for this run")]
        made = line.rsplit(" ", 1)[1].strip()
        assert len(made) == 48 and made.isalnum()
        status, _, body = answer(running, "GET", "/keys", None, {"X-API-Key": made})
        assert (status, body) == (200, {"keys": []})
    finally:
        running.stop()
    assert sum(made in line for line in running.lines) == 1


@pytest.mark.parametrize("bad", ["short", "has spaces in it and is long enough to pass", "qrk_" + "a" * 40])
def test_a_qr_admin_key_that_is_not_a_key_is_refused_in_one_line(bad):
    result = subprocess.run(
        [sys.executable, "-m", "local.server", "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "QR_ADMIN_KEY": bad},
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    assert (
        result.stderr.strip()
        == "QR_ADMIN_KEY must be 32 to 128 letters and digits (a deployed admin key is 48 of them)"
    )

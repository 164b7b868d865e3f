"""End to end over HTTP: `python -m local.server` on a free loopback port, as `make run` starts it."""

import json
import signal
import subprocess
import sys
import time

import pytest
from support.local_server import RunningServer

from contract import gateway
from qr_service import errors, names
from tools.probe import decode

pytestmark = pytest.mark.subprocess


def test_the_page_and_its_config_are_served(server):
    status, headers, body = server.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Link to encode" in body
    status, _, config = server.request("GET", "/config.json")
    assert json.loads(config) == gateway.page_config(server.base)  # cdk.json: any host
    for asset, kind in (("/app.js", "javascript"), ("/style.css", "text/css")):
        status, headers, _ = server.request("GET", asset)
        assert status == 200 and kind in headers["Content-Type"]


def test_post_makes_an_image_that_scans_and_the_next_request_is_a_hit(server):
    url = "https://e2e.example/ünï?x=1"
    started = time.monotonic()
    status, _, first = server.post_qr({"url": url})
    assert status == 200 and first["cached"] is False
    assert first["qr_code_url"].startswith(f"{server.base}/qr/")
    image_status, image_headers, png = server.request("GET", first["qr_code_url"].removeprefix(server.base))
    assert image_status == 200 and image_headers["Content-Type"] == "image/png"
    assert decode(png) == [url]

    status, _, again = server.wait_for_hit({"url": url})
    assert again["cached"] is True, "the event did not flow to store_url"
    assert time.monotonic() - started < 5
    assert again["qr_code_url"] == first["qr_code_url"]


def test_a_stored_image_comes_with_its_own_cache_control_and_the_edges_headers(server):
    """As S3 behind CloudFront: the object's Cache-Control (its lifetime), plus the distribution's image headers."""
    from contract.headers import image_headers

    _, _, posted = server.post_qr({"url": "https://headers.example"})
    status, headers, _ = server.request("GET", posted["qr_code_url"].removeprefix(server.base))
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=86400, immutable"
    assert {name: headers[name] for name in image_headers()} == image_headers()


def test_a_get_svg_carries_the_images_csp_as_a_stored_one_does(server):
    from qr_service.names import IMAGE_CONTENT_SECURITY_POLICY

    status, headers, _ = server.request("GET", "/qr?url=csp.example&format=svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    assert headers["Content-Security-Policy"] == IMAGE_CONTENT_SECURITY_POLICY


def test_get_answers_the_same_image_bytes_through_the_gateway_stand_in(server):
    _, _, posted = server.post_qr({"url": "www.embed.example", "box_size": 4})
    _, _, stored = server.request("GET", posted["qr_code_url"].removeprefix(server.base))
    status, headers, image = server.request("GET", "/qr?url=www.embed.example&box_size=4")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert image == stored and decode(image) == ["www.embed.example"]
    assert headers["Cache-Control"].startswith("public, max-age=") and headers["ETag"]
    status, head_headers, empty = server.request("HEAD", "/qr?url=www.embed.example&box_size=4")
    assert status == 200 and empty == b"" and head_headers["ETag"] == headers["ETag"]


def test_the_gateway_stand_in_hands_bodies_over_as_the_stage_does():
    """The stage's binary media type is */*: a JSON body arrives base64-encoded, and an image answer is decoded."""
    import base64
    import types

    from local import gateway as stand_in_gateway

    seen = {}

    def invoke_api(function, event):
        seen.update(event, function=function)
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "image/png"},
            "body": "iVBORw==",
            "isBase64Encoded": True,
        }, "-"

    stand_in = types.SimpleNamespace(invoke_api=invoke_api)
    answer, _ = stand_in_gateway.invoke(
        stand_in, "/qr", "POST", "", b'{"url": "x"}', {"Content-Type": "application/json"}
    )
    assert seen["function"] == "create_qr"
    assert seen["isBase64Encoded"] is True and base64.b64decode(seen["body"]) == b'{"url": "x"}'
    assert answer.body == base64.b64decode("iVBORw==")
    assert gateway.is_binary("application/json") and gateway.BINARY_MEDIA_TYPES == ("*/*",)


def test_bad_input_is_a_400_with_a_message_and_cors(server):
    status, headers, payload = server.post_qr({"url": "javascript:alert(1)"})
    assert status == 400
    assert "not allowed" in payload["message"]
    assert headers["Access-Control-Allow-Origin"] == server.base


def test_preflight_answers_with_cors_headers(server):
    status, headers, _ = server.request(
        "OPTIONS",
        "/qr",
        headers={
            "Origin": server.base,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == server.base
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_a_body_over_the_gateways_payload_limit_gets_the_gateways_413(server):
    too_big = b"x" * (gateway.MAX_PAYLOAD_BYTES + 1)
    status, _, body = server.request("POST", "/qr", too_big, {"Content-Type": "application/json"})
    assert status == 413
    assert body.decode() == gateway.error_body(errors.PAYLOAD_TOO_LARGE, limit=gateway.MAX_PAYLOAD_BYTES)


def test_a_body_under_the_gateways_limit_reaches_the_handlers_own_413(server):
    status, _, body = server.request("POST", "/qr", b"x" * (gateway.MAX_PAYLOAD_BYTES // 2))
    assert status == 413 and json.loads(body)["code"] == "body.too_large"


def test_unknown_paths_and_missing_images_are_404(server):
    assert server.request("GET", "/nope")[0] == 404
    assert server.request("GET", "/qr/" + "0" * 64 + ".png")[0] == 404
    assert server.request("GET", "/../cdk.json")[0] == 404


def test_a_missing_file_or_api_path_is_the_stages_own_404(server):
    """Deployed, a bucket without the object falls back to the stage, which has no resource for the path and
    answers its JSON 404 (tests/template/test_stack.py); a path under /keys/ with no resource gets the same from
    the stage directly. make run answers the same body."""
    for path in ("/nope", "/not-found.json", "/qr/" + "0" * 64 + ".png", "/keys/a/b"):
        status, headers, body = server.request("GET", path)
        assert (status, body.decode()) == (404, gateway.error_body(errors.NO_SUCH_FILE)), path
        assert headers["Cache-Control"] == "no-store"
    assert json.loads(gateway.error_body(errors.NO_SUCH_FILE))["code"] == "route.no_such_file"


def test_each_request_is_one_readable_line(server):
    server.post_qr({"url": "https://log-line.example"})
    time.sleep(0.2)
    lines = [line for line in server.lines if line.startswith("POST") and "/qr" in line]
    assert any(" 200 " in line and ("miss" in line or "hit" in line) and line.rstrip().endswith("ms") for line in lines)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_the_server_stops_cleanly(signum):
    running = RunningServer()
    assert running.request("GET", "/config.json")[0] == 200
    assert running.stop(signum) == 0
    assert "Stopping." in "".join(running.lines)
    assert "Traceback" not in "".join(running.lines)


def test_a_busy_port_is_a_clear_error(server):
    from support import ROOT

    port = server.base.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "local.server", "--port", port], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr and "PORT=" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "BREW"])
def test_an_undeclared_method_on_the_api_is_a_json_405_with_cors_and_allow(server, method):
    status, headers, body = server.request(method, "/qr", b'{"url": "https://put.example"}')
    assert status == 405
    assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert headers["Access-Control-Allow-Origin"] == server.base
    assert body.decode() == gateway.ROUTES[0].not_allowed(method)
    assert json.loads(body)["message"] == f"{method} is not allowed on /qr: use POST, or GET with ?url=."


def test_files_answer_head_and_refuse_other_methods_with_a_json_405(server):
    _, _, posted = server.post_qr({"url": "https://head.example"})
    image_path = posted["qr_code_url"].removeprefix(server.base)
    for path in ("/", "/app.js", "/config.json", image_path):
        status, headers, body = server.request("HEAD", path)
        assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0, path
    status, headers, body = server.request("POST", "/index.html", b"x")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert "GET" in json.loads(body)["message"]


def test_unknown_paths_are_a_json_404_with_cors(server):
    for method in ("GET", "DELETE"):
        status, headers, body = server.request(method, "/nope")
        assert status == 404 and headers["Content-Type"] == "application/json"
        assert headers["Access-Control-Allow-Origin"] == server.base
        assert "/qr" in json.loads(body)["message"]


def test_the_listen_backlog_holds_a_burst_of_clients(server):
    """The kernel's view of the listening socket: a backlog of 128, not http.server's default of 5."""
    import shutil

    if not shutil.which("ss"):
        pytest.skip("ss (iproute2) is not installed")
    port = server.base.rsplit(":", 1)[1]
    listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    [line] = listing.splitlines()
    assert line.split()[2] == "128", line  # Send-Q of a listening socket is its backlog


def test_under_concurrent_identical_requests_only_the_first_renders(server):
    """The event of a miss is delivered before any request queued behind it, so the rest are hits."""
    import threading

    body = {"url": "https://stampede.example/ü"}
    barrier = threading.Barrier(16)
    cached = []

    def post():
        barrier.wait()
        cached.append(server.post_qr(body)[2]["cached"])

    threads = [threading.Thread(target=post) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(cached) == [False] + [True] * 15


def test_the_openapi_document_is_served_naming_this_server(server):
    status, headers, body = server.request("GET", "/openapi.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    contract = json.loads(body)
    assert contract["servers"] == [{"url": server.base, "description": "make run"}]
    assert "createQrCode" in json.dumps(contract["paths"])


def test_the_favicon_is_served(server):
    status, headers, body = server.request("GET", "/favicon.svg")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert body.startswith(b"<svg")
    status, _, page = server.request("GET", "/")
    assert b'rel="icon" href="favicon.svg"' in page


@pytest.mark.parametrize(
    "length", [b"lots", b"\xb2", b"-1", b"1e3"], ids=["word", "superscript two", "negative", "exp"]
)
def test_a_content_length_that_is_not_a_number_is_a_json_400(server, length):
    """b"\xb2" is ² in Latin-1, the header's charset: str.isdigit() says yes, int() says no."""
    import socket

    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /qr HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n{}")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split()[1] == b"400"
    assert "whole number" in json.loads(body)["message"] and json.loads(body)["code"] == "gateway.refused"
    assert not any("Traceback" in line for line in server.lines)


def test_a_client_that_hangs_up_early_is_one_line_not_a_traceback(server):
    import socket
    import struct

    host, port = server.base.removeprefix("http://").split(":")
    before = len(server.lines)
    for n in range(3):
        connection = socket.create_connection((host, int(port)), timeout=10)
        connection.sendall(f"GET /qr?url=https://hangup.example/{n}&size=3000 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        connection.close()
    deadline = time.monotonic() + 20
    while sum("hangup.example" in line for line in server.lines[before:]) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    printed = server.lines[before:]
    assert sum("hangup.example" in line and "hung up" in line for line in printed) == 3, printed
    assert not any("Traceback" in line or "Error" in line for line in printed), printed


@pytest.mark.parametrize(("path", "api"), [("//qr", True), ("/./qr", False), ("/%71r", False)])
def test_other_spellings_of_the_api_path_locally(server, path, api):
    """make run's stand-in routes by the path http.server hands it, which collapses leading slashes (//qr is /qr);
    dot segments and escapes are files, and none exists. Deployed, the edge's limits count every spelling as /qr
    (tests/template/test_abuse.py), whichever behaviour CloudFront then picks."""
    status, headers, body = server.request("GET", path + "?url=spelling.example")
    if api:
        assert status == 200 and headers["Content-Type"] == "image/png"
    else:
        assert status == 404 and json.loads(body)["code"] == "route.no_such_file"


def test_an_image_request_reads_the_bucket_alone_not_the_sites_files(monkeypatch):
    """make run's CloudFront stand-in assembles the site's files (reading website/) only for a path that may be one."""
    import types

    from local import edge

    def no_site(*_):
        raise AssertionError("an image request assembled the site's files")

    monkeypatch.setattr(edge, "site_files", no_site)
    stored = {"Content-Type": "image/png", "Cache-Control": "public, max-age=60"}
    service = types.SimpleNamespace(origin="http://127.0.0.1:1", image=lambda key: (b"png", stored), settings=None)
    answer = edge.answer(service, "GET", "/qr/abc.png")
    assert answer.status == 200 and answer.body == b"png" and answer.headers["Content-Type"] == "image/png"


def test_every_resource_answers_a_preflight_as_api_gateway_does(server):
    """Deployed, API Gateway answers OPTIONS on every resource (tests/template/test_gateway_parity.py); here each
    resource's function does, with the same methods and headers."""
    for route in gateway.ROUTES:
        path = route.path.replace("{id}", "AAAAAAAA").replace("{file}", "AAAAAAAA.png")
        status, headers, _ = server.request("OPTIONS", path, None, {"Origin": server.base})
        assert status == 204, path
        assert headers["Access-Control-Allow-Methods"] == ",".join(names.API_METHODS), path
        assert headers["Access-Control-Allow-Headers"] == ",".join(names.CORS_ALLOW_HEADERS), path

"""`make smoke` against `make run`: the same check a user runs against a deployment passes locally."""

import socket
import subprocess
import sys

import pytest
from support import ROOT

pytestmark = pytest.mark.subprocess

STEPS = [
    "page",
    "access",
    "create",
    "scan",
    "cache",
    "embed",
    "content",
    "batch",
    "bad request",
    "method",
    "expired",
    "dynamic code",
]


def smoke(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools.smoke", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_smoke_passes_against_the_local_run_with_one_line_per_step(server):
    result = smoke(server.base + "/")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line[5:17].strip() for line in lines[:-1]] == STEPS
    assert all(line.startswith("ok   ") for line in lines[:-1])
    assert lines[-1] == "smoke test passed"
    assert "decodes to https://smoke.example/grüße/" in result.stdout


def test_smoke_stops_at_the_first_failure_with_a_non_zero_exit():
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = smoke(f"http://127.0.0.1:{port}/")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [result.stdout.splitlines()[0]]
    assert result.stdout.startswith("FAIL page ") and "Connection refused" in result.stdout


def test_smoke_needs_a_site_or_a_stack():
    result = smoke()
    assert result.returncode == 2 and "site" in result.stderr


def test_smoke_against_a_key_mode_run_needs_qr_api_key_and_passes_with_it(tmp_path):
    import json
    import os

    from support.local_server import RunningServer

    from local.emulation import ADMIN_KEY

    cdk_json = json.loads((ROOT / "cdk.json").read_text())
    cdk_json["context"]["qr"]["access"] = "key"
    path = tmp_path / "cdk.json"
    path.write_text(json.dumps(cdk_json))
    keyed = RunningServer("--cdk-json", str(path))
    try:
        without = smoke(keyed.base + "/")
        assert without.returncode == 1
        assert "FAIL access       this deployment needs an API key: QR_API_KEY=<key> make smoke" in without.stdout
        with_key = subprocess.run(
            [sys.executable, "-m", "tools.smoke", keyed.base + "/"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "QR_API_KEY": ADMIN_KEY},
        )  # fmt: skip
        assert with_key.returncode == 0, with_key.stdout + with_key.stderr
        assert "ok   access       a key is needed (401 auth.missing without one)" in with_key.stdout
        assert "private, max-age=" in with_key.stdout
        assert "2 scans counted, deleted (410)" in with_key.stdout
    finally:
        keyed.stop()

"""`make run` needs only local/requirements.txt: the server runs, isolated, on exactly those packages.

They are installed into a folder of their own, and an interpreter that sees only the standard
library, the project and that folder serves the page and makes a code. No CDK, Playwright, pytest
or ruff is among them.
"""

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from support import ROOT
from support.aws import needs_package_index

from tools import lambda_bundle

pytestmark = pytest.mark.subprocess

FORBIDDEN = ("aws_cdk", "playwright", "_pytest", "pytest", "ruff", "cdk_nag", "jsii")
START = "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; from local.server import main; main(['--port', '0'])"


@pytest.fixture(scope="module")
def run_packages(tmp_path_factory):
    needs_package_index()
    return lambda_bundle.install(ROOT / "local" / "requirements.txt", tmp_path_factory.mktemp("run") / "packages")


def test_the_run_requirements_hold_no_build_or_test_tools(run_packages):
    installed = {entry.name for entry in run_packages.iterdir()}
    assert {"moto", "boto3", "qrcode", "PIL", "aws_lambda_powertools"} <= installed
    assert not installed & set(FORBIDDEN), installed & set(FORBIDDEN)


def test_the_local_server_runs_on_the_run_requirements_alone(run_packages, tmp_path):
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", START, str(ROOT), str(run_packages)], cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        base = None
        deadline = time.monotonic() + 60
        while base is None and time.monotonic() < deadline and server.poll() is None:
            found = re.search(r"http://127\.0\.0\.1:\d+", (tmp_path / "server.log").read_text())
            base = found.group(0) if found else time.sleep(0.1)
        assert base, (tmp_path / "server.log").read_text()[-3000:]
        with urllib.request.urlopen(base + "/", timeout=30) as page:
            assert b"Link to encode" in page.read()
        request = urllib.request.Request(
            base + "/qr", data=json.dumps({"url": "https://run-only.example"}).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.loads(answer.read())["qr_code_url"].startswith(base + "/qr/")
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()

"""The function asset works: `lambda/` plus its requirements, imported as Lambda imports it.

The bundle is built as PythonFunction builds it (copy, then `pip install -r requirements.txt -t`),
for this machine's Python. An isolated interpreter then sees only the bundle and what the Lambda
runtime provides (boto3 and its dependencies): nothing from this virtualenv can hide a missing
dependency or a wrong handler string.
"""

import base64
import json
import os
import subprocess

import pytest
from support.aws import needs_package_index

from tools import lambda_bundle
from tools.probe import decode

pytestmark = [pytest.mark.subprocess, pytest.mark.synth]  # the bundle, and the template naming its handlers

# Runs inside the isolated interpreter; prints one JSON line for the test to check.
PROBE = r"""
import base64, importlib, json, sys
bundle, runtime, handlers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path[:0] = [bundle, runtime]
try:
    import moto  # noqa: F401 - must not be importable: the test's own environment would leak in
    leaked = True
except ImportError:
    leaked = False


class Context:
    function_name = "probe"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:probe"
    aws_request_id = "probe"


loaded = {}
for handler in handlers:
    module_name, attribute = handler.rsplit(".", 1)
    loaded[handler] = callable(getattr(importlib.import_module(module_name), attribute))

import create_qr, store_url
from qr_service.render import render
from qr_service.request import QrRequest

bad = {"httpMethod": "POST", "path": "/qr", "resource": "/qr", "headers": {}, "body": "{\"url\": \"ftp://x\"}",
       "isBase64Encoded": False, "requestContext": {"requestId": "probe", "path": "/prod/qr"}}
answer = create_qr.handler(bad, Context())
dropped = store_url.handler({"id": "probe", "detail": {}}, Context())
origins = {name: sys.modules[name].__file__ for name in ("qrcode", "PIL", "aws_lambda_powertools", "boto3")}
png = render(QrRequest(url=sys.argv[4]))
print(json.dumps({"leaked": leaked, "loaded": loaded, "status": answer["statusCode"], "dropped": dropped,
                  "origins": origins, "png": base64.b64encode(png).decode()}))
"""

URL = "https://bundle.example/päth?q=1"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    needs_package_index()
    root = tmp_path_factory.mktemp("asset")
    folder = lambda_bundle.build(root / "asset")
    return folder, lambda_bundle.runtime_path(root / "runtime")


def handler_strings(template: dict) -> list[str]:
    """The handler of each function in the synthesized template, as Lambda resolves it."""
    from support.templates import resources_of

    functions = resources_of(template, "AWS::Lambda::Function").values()
    return sorted(f["Properties"]["Handler"] for f in functions if f["Properties"]["Runtime"].startswith("python3.14"))


@pytest.fixture(scope="module")
def probe(bundle, template):
    folder, runtime = bundle
    handlers = handler_strings(template)
    assert handlers == [
        "create_qr.handler",
        "manage_codes.handler",
        "manage_keys.handler",
        "redirect.handler",
        "store_url.handler",
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [*lambda_bundle.isolated_python(), "-c", PROBE, str(folder), str(runtime), json.dumps(handlers), URL],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=folder.parent,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return folder, runtime, json.loads(result.stdout.strip().splitlines()[-1])


def test_the_isolated_interpreter_sees_nothing_of_the_test_environment(probe):
    _, _, seen = probe
    assert seen["leaked"] is False


def test_every_handler_string_resolves_to_a_callable_in_the_bundle(probe):
    _, _, seen = probe
    assert seen["loaded"] == dict.fromkeys(
        ("create_qr.handler", "manage_codes.handler", "manage_keys.handler", "redirect.handler", "store_url.handler"),
        True,
    )
    assert seen["status"] == 400  # create_qr answered a bad request through Powertools, with no AWS call
    assert seen["dropped"]["stored"] is False  # store_url dropped a malformed event


def test_dependencies_come_from_the_bundle_and_boto3_from_the_runtime(probe):
    folder, runtime, seen = probe
    for name in ("qrcode", "PIL", "aws_lambda_powertools"):
        assert seen["origins"][name].startswith(str(folder)), (name, seen["origins"][name])
    assert seen["origins"]["boto3"].startswith(str(runtime))
    assert not (folder / "boto3").exists(), "boto3 comes with the Lambda runtime; the bundle need not carry it"


def test_the_bundle_renders_a_code_that_scans(probe):
    _, _, seen = probe
    assert decode(base64.b64decode(seen["png"])) == [URL]

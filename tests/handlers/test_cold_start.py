"""The cache-hit path must not load the QR or imaging libraries, nor the batch's ZIP writing: checked in a fresh
interpreter."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    sys.path[:0] = ["lambda", "."]
    sys.path.insert(0, "tests")
    import conftest  # sets the handler environment
    from moto import mock_aws
    os.environ["ACCESS"] = sys.argv[1]
    with mock_aws():
        from local import apigw, emulation
        resources = emulation.create()
        headers = {}
        if sys.argv[1] == "key":
            from qr_service import keys
            headers = {"X-API-Key": keys.create(resources.keys_table, "cold")[1]}
        import create_qr
        from qr_service.request import QrRequest
        import boto3
        req = QrRequest("https://hit.example")
        boto3.client("dynamodb").put_item(TableName=resources.table, Item={
            "PK": {"S": req.cache_key}, "url_user": {"S": req.url},
            "qr_code_url": {"S": "https://cdn.example/" + req.object_key},
            "ttl": {"N": str(int(time.time()) + 600)}})
        event = apigw.proxy_event("POST", body=json.dumps({"url": req.url}).encode(), headers=headers)
        response = create_qr.handler(event, conftest.LambdaContext())
    heavy = {"qrcode", "PIL", "zxingcpp"}
    ours = {"qr_service.render", "qr_service.verify", "qr_service.png", "qr_service.svg", "qr_service.matrix",
            "qr_service.batch", "qr_service.caption_font"}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in ours)
    print(json.dumps({"status": response["statusCode"], "body": json.loads(response["body"]), "loaded": loaded}))
    """
)


@pytest.mark.parametrize("access", ["public", "key"])
def test_a_cache_hit_loads_no_qr_or_imaging_library(access):
    """With qr.access "key" too: the key check loads nothing heavy either."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, access], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    import json

    result = json.loads(out.strip().splitlines()[-1])
    assert result["status"] == 200
    assert result["body"]["cached"] is True
    assert result["loaded"] == []


REDIRECT = textwrap.dedent(
    """
    import json, sys
    sys.path[:0] = ["lambda", ".", "tests"]
    import conftest
    from moto import mock_aws
    with mock_aws():
        from local import apigw, emulation
        emulation.create()
        from qr_service import codes
        code = codes.create("qr-codes", "admin", "https://example.com", {})
        import redirect
        event = apigw.proxy_event("GET", f"/c/{code.id}", resource="/c/{id}", path_parameters={"id": code.id})
        response = redirect.handler(event, conftest.LambdaContext())
    heavy = {"qrcode", "PIL", "zxingcpp"}
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith("qr_service.render"))
    print(json.dumps({"status": response["statusCode"], "loaded": loaded}))
    """
)


def test_a_scan_loads_no_qr_or_imaging_library():
    out = subprocess.run(
        [sys.executable, "-c", REDIRECT], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    import json

    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"status": 302, "loaded": []}

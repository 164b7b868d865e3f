"""GET answers the image itself (one request per embed), every new image is read back by a decoder
before it is stored, and POST can carry the image inline."""

import base64
import hashlib
import time
from datetime import datetime

import boto3
import pytest
from support.aws import deliver_events
from support.helpers import bucket_keys, call, get_object, queued, svg_to_png, table_items
from support.templates import resources_of

import create_qr
from qr_service.names import IMAGE_CONTENT_SECURITY_POLICY
from tools.probe import decode

URL = "https://embed.example/ünï?x=1"


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def test_get_answers_the_image_that_decodes_with_the_same_bytes_on_a_miss_and_a_hit(aws, lambda_context):
    from urllib.parse import quote

    query = f"url={quote(URL)}&box_size=6"
    status, headers, miss = call(create_qr, lambda_context, method="GET", query=query)
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert decode(miss) == [URL]
    assert headers["ETag"] == f'"{hashlib.sha256(miss).hexdigest()}"'
    assert deliver_events(aws, lambda_context) == [{"stored": True}]
    status, again_headers, hit = call(create_qr, lambda_context, method="GET", query=query)
    assert status == 200 and hit == miss and again_headers["ETag"] == headers["ETag"]
    [key] = bucket_keys(aws)
    assert get_object(aws, f"https://x/{key}")["Body"].read() == miss  # what is stored is what was served
    assert queued(aws) == 0, "a hit announces nothing"


def test_get_of_an_svg_is_the_svg(aws, lambda_context):
    status, headers, body = call(create_qr, lambda_context, method="GET", query="url=svg.example&format=svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    # The same policy as a stored /qr/<key>.svg: opened on its own, it runs nothing.
    assert headers["Content-Security-Policy"] == IMAGE_CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"<?xml") and decode(svg_to_png(body)) == ["svg.example"]


def test_the_image_may_be_kept_exactly_until_its_mapping_expires(aws, lambda_context):
    before = int(time.time())
    status, headers, _ = call(create_qr, lambda_context, method="GET", query="url=edge.example")
    after = int(time.time())
    assert status == 200
    prefix, max_age = headers["Cache-Control"].split("=")
    assert prefix == "public, max-age"
    assert 86400 - (after - before) - 1 <= int(max_age) <= 86400
    deliver_events(aws, lambda_context)
    [item] = table_items(aws)
    boto3.client("dynamodb").update_item(
        TableName=aws.table,
        Key={"PK": item["PK"]},
        UpdateExpression="SET #t = :t",
        ExpressionAttributeNames={"#t": "ttl"},
        ExpressionAttributeValues={":t": {"N": str(int(time.time()) + 100)}},
    )
    status, headers, _ = call(create_qr, lambda_context, method="GET", query="url=edge.example")
    assert status == 200
    assert 95 <= int(headers["Cache-Control"].removeprefix("public, max-age=")) <= 100


def test_head_answers_the_headers_of_get(aws, lambda_context):
    _, get_headers, _ = call(create_qr, lambda_context, method="GET", query="url=head.example")
    status, headers, _ = call(create_qr, lambda_context, method="HEAD", query="url=head.example")
    assert status == 200
    assert (headers["Content-Type"], headers["ETag"]) == (get_headers["Content-Type"], get_headers["ETag"])


def test_get_errors_stay_json_and_no_store(aws, lambda_context):
    status, headers, body = call(create_qr, lambda_context, method="GET", query="url=ftp://x")
    assert status == 400 and body["code"] == "url.scheme"
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-store"
    assert bucket_keys(aws) == []


def test_a_stored_image_that_cannot_be_read_is_made_again(aws, lambda_context):
    call(create_qr, lambda_context, method="GET", query="url=gone.example")
    deliver_events(aws, lambda_context)
    [key] = bucket_keys(aws)
    boto3.client("s3").delete_object(Bucket=aws.bucket, Key=key)
    status, _, body = call(create_qr, lambda_context, method="GET", query="url=gone.example")
    assert status == 200 and decode(body) == ["gone.example"]
    assert bucket_keys(aws) == [key]


def test_answers_are_verified_on_a_miss_and_on_a_hit(aws, lambda_context):
    for expected_cached in (False, True):
        status, _, body = call(create_qr, lambda_context, body={"url": "https://verified.example"})
        assert status == 200 and body["verified"] is True and body["cached"] is expected_cached
        deliver_events(aws, lambda_context)


def test_an_unreadable_render_is_a_422_and_writes_nothing(aws, lambda_context, monkeypatch, log_lines):
    """Force the drawing to be wrong (every module light): the decoder finds nothing, so nothing is kept."""
    from qr_service import render

    real = render.png.draw

    def blank(req, matrix):
        return real(req, [[False] * len(row) for row in matrix])

    monkeypatch.setattr(render.png, "draw", blank)
    status, headers, body = call(create_qr, lambda_context, body={"url": "https://unreadable.example"})
    assert status == 422 and body["code"] == "render.unreadable" and "box_size" in body["message"]
    assert headers["Cache-Control"] == "no-store"
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0
    assert any(line["message"].startswith("Render did not read back") for line in log_lines())


def test_the_read_back_compares_bytes_not_just_finding_a_code(aws, lambda_context, monkeypatch):
    """A readable code of another url is refused too."""
    from qr_service import render
    from qr_service.request import QrRequest

    real = render.png.draw

    def other(req, matrix):
        from qr_service.matrix import module_matrix

        return real(req, module_matrix(QrRequest("https://someone-else.example")))

    monkeypatch.setattr(render.png, "draw", other)
    status, _, body = call(create_qr, lambda_context, body={"url": "https://mine.example"})
    assert status == 422 and body["code"] == "render.unreadable" and bucket_keys(aws) == []


def test_data_uri_only_when_asked_for(aws, lambda_context):
    status, _, plain = call(create_qr, lambda_context, body={"url": "https://inline.example"})
    assert status == 200 and "data_uri" not in plain
    deliver_events(aws, lambda_context)
    status, _, inline = call(create_qr, lambda_context, body={"url": "https://inline.example", "inline": True})
    assert status == 200 and inline["cached"] is True  # inline is not part of the cache key
    prefix, data = inline["data_uri"].split(",", 1)
    assert prefix == "data:image/png;base64"
    assert decode(base64.b64decode(data)) == ["https://inline.example"]
    status, _, svg = call(
        create_qr, lambda_context, body={"url": "https://inline.example", "format": "svg", "inline": True}
    )
    assert svg["data_uri"].startswith("data:image/svg+xml;base64,")
    status, _, bad = call(create_qr, lambda_context, body={"url": "https://inline.example", "inline": "yes"})
    assert status == 400 and bad["code"] == "inline.type" and bad["field"] == "inline"
    status, _, query = call(create_qr, lambda_context, method="GET", query="url=inline.example&inline=true")
    assert status == 400 and query["code"] == "request.unknown_field"


@pytest.mark.synth
def test_api_gateway_passes_binary_bodies_and_has_a_head_method(template):
    [api] = [r["Properties"] for r in resources_of(template, "AWS::ApiGateway::RestApi").values()]
    assert api["BinaryMediaTypes"] == ["*/*"]
    methods = [m["Properties"] for m in resources_of(template, "AWS::ApiGateway::Method").values()]
    assert {"GET", "HEAD", "POST"} <= {m["HttpMethod"] for m in methods}
    # With */* binary, a mock (the CORS preflight, the 405) answers a 500 unless it converts to text.
    mocks = [m["Integration"] for m in methods if m["Integration"]["Type"] == "MOCK"]
    assert len(mocks) >= 3  # OPTIONS on / and /qr, ANY on /qr
    for mock in mocks:
        assert mock["ContentHandling"] == "CONVERT_TO_TEXT"
        assert all(r["ContentHandling"] == "CONVERT_TO_TEXT" for r in mock["IntegrationResponses"])


def test_an_svg_wider_than_a_png_may_be_is_still_made_and_read_back(aws, lambda_context):
    """SVGs have no pixel limit; the read-back raster is drawn at the largest PNG box instead."""
    url = "https://e.x/" + "a" * 2000
    status, _, body = call(
        create_qr, lambda_context, body={"url": url, "format": "svg", "box_size": 40, "error_correction": "L"}
    )
    assert status == 200 and body["verified"] is True
    status, _, refused = call(create_qr, lambda_context, body={"url": url, "box_size": 40, "error_correction": "L"})
    assert status == 400 and refused["code"] == "box_size.image_size"


def test_every_header_of_an_image_answer_is_in_the_document(aws, lambda_context):
    """The OpenAPI document follows what create_qr sends with a GET image, value by value where it fixes one."""
    from contract import openapi

    documented = openapi.document()["paths"]["/qr"]["get"]["responses"]["200"]["headers"]
    status, headers, _ = call(create_qr, lambda_context, method="GET", query="url=documented.example&format=svg")
    assert status == 200
    sent = {name for name in headers if name not in ("Content-Type", "Content-Length")}
    assert sent <= set(documented), sent - set(documented)
    for name in sent:
        allowed = documented[name].get("schema", {}).get("enum")
        assert allowed is None or headers[name] in allowed, name

"""create_qr against moto: cache miss then hit, options, Unicode, expiry, bad input and failing dependencies."""

import base64
import json
import re
import time
from datetime import datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from support.aws import deliver_events
from support.helpers import bucket_keys, call, get_object, object_key, queued, svg_to_png, table_items
from support.violations import LOGO, VIOLATIONS, configured, send

import create_qr
from qr_service import fields as F
from qr_service.aws import client
from qr_service.errors import RequestError
from qr_service.fields import CAPACITY_BYTES
from qr_service.symbol import capacity_bytes
from tools.probe import decode

BASE = "https://d111111abcdef8.cloudfront.net"


def test_miss_stores_a_scannable_image_and_announces_it_then_the_next_request_is_a_hit(aws, lambda_context):
    before = int(time.time())
    status, headers, body = call(create_qr, lambda_context, body={"url": "https://example.com/a?b=c"})
    assert status == 200, body
    assert body["cached"] is False
    assert body["qr_code_url"].startswith(f"{BASE}/qr/") and body["qr_code_url"].endswith(".png")
    assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert headers["Content-Type"] == "application/json"

    stored = get_object(aws, body["qr_code_url"])
    assert stored["ContentType"] == "image/png"
    assert stored["CacheControl"] == "public, max-age=86400, immutable"
    assert decode(stored["Body"].read()) == ["https://example.com/a?b=c"]

    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00")).timestamp()
    assert before + 86400 <= expires <= time.time() + 86400

    assert table_items(aws) == [], "create_qr must not write the cache itself"
    assert deliver_events(aws, lambda_context) == [{"stored": True}]
    [item] = table_items(aws)
    assert item["qr_code_url"]["S"] == body["qr_code_url"]
    assert item["url_user"]["S"] == "https://example.com/a?b=c"
    assert int(item["ttl"]["N"]) == int(expires), "the mapping's ttl is the one create_qr computed"

    modified = stored["LastModified"]
    status, _, again = call(create_qr, lambda_context, body={"url": "https://example.com/a?b=c"})
    assert status == 200
    assert again["cached"] is True
    assert again["qr_code_url"] == body["qr_code_url"]
    assert again["expires_at"] == body["expires_at"]
    assert queued(aws) == 0, "a hit emits no event"
    assert get_object(aws, body["qr_code_url"])["LastModified"] == modified
    assert bucket_keys(aws) == [object_key(body["qr_code_url"])]


def test_posts_and_errors_are_never_stored(aws, lambda_context):
    for _ in range(2):  # a miss, then (once the event flowed) a hit
        status, headers, _ = call(create_qr, lambda_context, body={"url": "https://no-store.example"})
        assert status == 200 and headers["Cache-Control"] == "no-store"
        deliver_events(aws, lambda_context)
    for method, query, body in (("GET", "url=ftp://x", None), ("POST", "", b"{"), ("GET", "", None)):
        status, headers, _ = call(create_qr, lambda_context, method=method, query=query, body=body)
        assert status == 400 and headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    [
        "https://例え.jp/パス?q=ü",
        "https://ru.wikipedia.org/wiki/Москва",
        "https://example.com/😀/مرحبا",
        "www.google.com",
        "localhost:8000/path",
        "HTTPS://EXAMPLE.COM/UPPER",
    ],
)
def test_urls_scan_back_exactly(aws, lambda_context, url):
    status, _, body = call(create_qr, lambda_context, body={"url": url})
    assert status == 200, body
    assert decode(get_object(aws, body["qr_code_url"])["Body"].read()) == [url]


def test_each_option_set_is_its_own_entry_and_every_image_scans(aws, lambda_context):
    url = "https://example.com/options"
    variants = [
        {},
        {"format": "svg"},
        {"box_size": 3},
        {"border": 0},
        {"error_correction": "H"},
        {"fill_color": "#1A237E", "back_color": "#FFF8E1"},
    ]
    urls = set()
    for options in variants:
        status, _, body = call(create_qr, lambda_context, body={"url": url, **options})
        assert status == 200, (options, body)
        stored = get_object(aws, body["qr_code_url"])
        data = stored["Body"].read()
        if options.get("format") == "svg":
            assert stored["ContentType"] == "image/svg+xml"
            assert body["qr_code_url"].endswith(".svg")
            data = svg_to_png(data)
        assert decode(data) == [url], options
        urls.add(body["qr_code_url"])
    assert len(urls) == len(variants)
    assert len(bucket_keys(aws)) == len(variants)
    assert len(deliver_events(aws, lambda_context)) == len(variants)
    assert len(table_items(aws)) == len(variants)


def test_option_spelling_that_means_the_same_thing_shares_one_entry(aws, lambda_context):
    _, _, first = call(create_qr, lambda_context, body={"url": "https://a.example", "fill_color": "#1A2B3C"})
    _, _, second = call(
        create_qr,
        lambda_context,
        body={"url": "https://a.example", "fill_color": "#1a2b3c", "format": "PNG", "error_correction": "m"},
    )
    assert first["qr_code_url"] == second["qr_code_url"]


def test_png_options_change_the_image(aws, lambda_context):
    import io

    from PIL import Image

    _, _, body = call(
        create_qr, lambda_context, body={"url": "https://a.ex", "box_size": 2, "border": 1, "fill_color": "#123456"}
    )
    image = Image.open(io.BytesIO(get_object(aws, body["qr_code_url"])["Body"].read())).convert("RGB")
    assert image.size == ((21 + 2) * 2, (21 + 2) * 2), "12 bytes fit version 1 (21 modules) at level M"
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((2, 2)) == (0x12, 0x34, 0x56), "the finder pattern starts after one border module"


def test_an_expired_item_is_a_miss(aws, lambda_context):
    call(create_qr, lambda_context, body={"url": "https://expired.example"})
    deliver_events(aws, lambda_context)
    [item] = table_items(aws)
    item["ttl"] = {"N": str(int(time.time()) - 1)}
    boto3.client("dynamodb").put_item(TableName=aws.table, Item=item)

    status, _, body = call(create_qr, lambda_context, body={"url": "https://expired.example"})
    assert status == 200
    assert body["cached"] is False
    assert queued(aws) == 1, "a fresh image is announced again"


def test_url_at_the_qr_capacity_fits_and_one_byte_more_is_rejected(aws, lambda_context):
    base = "https://e.x/"
    fits = base + "a" * (CAPACITY_BYTES["L"] - len(base))
    status, _, body = call(create_qr, lambda_context, body={"url": fits, "error_correction": "L", "box_size": 2})
    assert status == 200, body
    assert decode(get_object(aws, body["qr_code_url"])["Body"].read()) == [fits]
    status, _, body = call(create_qr, lambda_context, body={"url": fits + "a", "error_correction": "L", "box_size": 2})
    assert status == 400
    assert "2954 bytes" in body["message"] and "2953" in body["message"]


def test_capacity_table_matches_the_renderer():
    """The limit is checked before rendering, so it must agree with what qrcode can encode."""
    from qrcode.exceptions import DataOverflowError

    from qr_service.matrix import module_matrix
    from qr_service.request import QrRequest

    for level, capacity in CAPACITY_BYTES.items():
        assert len(module_matrix(QrRequest("a" * capacity, error_correction=level, border=0))) == 177
        with pytest.raises(DataOverflowError):
            module_matrix(QrRequest("a" * (capacity + 1), error_correction=level))
        # A non-ASCII link carries a 12-bit ECI segment as well: one byte less.
        eci_capacity = capacity_bytes(level, ascii_only=False)
        assert eci_capacity == capacity - 1
        assert len(module_matrix(QrRequest("é" + "a" * (eci_capacity - 2), error_correction=level, border=0))) == 177
        with pytest.raises(DataOverflowError):
            module_matrix(QrRequest("é" + "a" * (eci_capacity - 1), error_correction=level))


def test_a_non_ascii_url_one_byte_over_its_capacity_is_refused_before_rendering():
    from qr_service.request import build_request

    fits = "https://e.x/é" + "a" * (capacity_bytes("H", ascii_only=False) - 14)
    assert len(fits.encode()) == capacity_bytes("H", ascii_only=False)
    build_request({"url": fits, "error_correction": "H"})
    with pytest.raises(RequestError) as refused:
        build_request({"url": fits + "a", "error_correction": "H"})
    assert refused.value.code == "url.capacity" and refused.value.params["capacity"] == CAPACITY_BYTES["H"] - 1


BAD_REQUESTS = [
    ("no body", None, 400, "body is empty", "body.empty"),
    ("not JSON", b"url=https://example.com", 400, "not valid JSON", "body.json"),
    ("JSON array", b'["https://example.com"]', 400, "JSON object", "body.not_object"),
    ("JSON string", b'"https://example.com"', 400, "JSON object", "body.not_object"),
    ("missing url", b"{}", 400, "'url' is required", "url.required"),
    ("null url", b'{"url": null}', 400, "'url' is required", "url.required"),
    ("empty url", b'{"url": ""}', 400, "must not be empty", "url.empty"),
    ("blank url", b'{"url": "   "}', 400, "must not be empty", "url.empty"),
    ("url not a string", b'{"url": 42}', 400, "must be a string", "url.type"),
    ("javascript scheme", b'{"url": "javascript:alert(1)"}', 400, "'javascript:' is not allowed", "url.scheme"),
    ("data scheme", b'{"url": "data:text/html,<b>x</b>"}', 400, "'data:' is not allowed", "url.scheme"),
    ("file scheme", b'{"url": "file:///etc/passwd"}', 400, "'file:' is not allowed", "url.scheme"),
    ("mixed-case scheme", b'{"url": "JaVaScRiPt:alert(1)"}', 400, "is not allowed", "url.scheme"),
    ("no host", b'{"url": "https://"}', 400, "must name a host", "url.host"),
    ("http without slashes", b'{"url": "http:example.com"}', 400, "https://host/path", "url.form"),
    ("bad port", b'{"url": "https://example.com:99999/"}', 400, "not a valid URL", "url.invalid"),
    ("control character", b'{"url": "https://example.com/\\u0000"}', 400, "control characters", "url.control"),
    ("newline", b'{"url": "https://example.com/\\nx"}', 400, "control characters", "url.control"),
    ("space", b'{"url": "https://example.com/a b"}', 400, "%20", "url.space"),
    (
        "too long",
        json.dumps({"url": "https://e.x/" + "a" * 2400}).encode(),
        400,
        "holds at most 2331",
        "url.capacity",
    ),
    (
        "unknown field",
        b'{"url": "https://e.x", "colour": 3}',
        400,
        "Unknown field(s): colour",
        "request.unknown_field",
    ),
    (
        "format",
        b'{"url": "https://e.x", "format": "gif"}',
        400,
        "'format' must be one of png, svg",
        "format.choice",
    ),
    ("box_size string", b'{"url": "https://e.x", "box_size": "10"}', 400, "whole number", "box_size.type"),
    ("box_size float", b'{"url": "https://e.x", "box_size": 2.5}', 400, "whole number", "box_size.type"),
    ("box_size bool", b'{"url": "https://e.x", "box_size": true}', 400, "whole number", "box_size.type"),
    ("box_size 0", b'{"url": "https://e.x", "box_size": 0}', 400, "from 1 to 40", "box_size.range"),
    ("box_size 41", b'{"url": "https://e.x", "box_size": 41}', 400, "from 1 to 40", "box_size.range"),
    ("border -1", b'{"url": "https://e.x", "border": -1}', 400, "from 0 to 20", "border.range"),
    ("border 21", b'{"url": "https://e.x", "border": 21}', 400, "from 0 to 20", "border.range"),
    (
        "error correction",
        b'{"url": "https://e.x", "error_correction": "X"}',
        400,
        "L, M, Q, H",
        "error_correction.choice",
    ),
    ("colour name", b'{"url": "https://e.x", "fill_color": "red"}', 400, "#rrggbb", "fill_color.format"),
    ("short colour", b'{"url": "https://e.x", "back_color": "#fff"}', 400, "#rrggbb", "back_color.format"),
    (
        "no contrast",
        b'{"url": "https://e.x", "fill_color": "#777777", "back_color": "#777777"}',
        400,
        "alike",
        "colors.contrast",
    ),
    (
        "low contrast",
        b'{"url": "https://e.x", "fill_color": "#777777", "back_color": "#999999"}',
        400,
        "alike",
        "colors.contrast",
    ),
    (
        "oversized body",
        b'{"url": "https://e.x", "pad": "' + b"a" * 20000 + b'"}',
        413,
        "larger than",
        "body.too_large",
    ),
    (
        "image too large",
        b'{"url": "https://e.x/' + b"a" * 1000 + b'", "box_size": 40}',
        400,
        "pixels wide",
        "box_size.image_size",
    ),
    (
        "deeply nested url",
        b'{"url": ' + b"[" * 8000 + b"]" * 8000 + b"}",
        400,
        "nests JSON more than 20",
        "body.depth",
    ),
    (
        "deeply nested unknown field",
        b'{"url": "https://e.x", "x": ' + b'[{"a":' * 1500 + b"1" + b"}]" * 1500 + b"}",
        400,
        "nests JSON",
        "body.depth",
    ),
    ("lone surrogate escape", b'{"url": "x.com/\\ud800"}', 400, "unpaired surrogate", "body.surrogate"),
    (
        "lone surrogate in a field name",
        b'{"url": "x.com", "\\udfff": 1}',
        400,
        "unpaired surrogate",
        "body.surrogate",
    ),
    ("invalid UTF-8 byte", b'{"url": "x.com/\xff"}', 400, "U+FFFD", "url.encoding"),
    (
        "number too long to convert",
        b'{"url": "https://e.x", "box_size": ' + b"1" * 5000 + b"}",
        400,
        "not valid JSON",
        "body.json",
    ),
    ("user info", b'{"url": "https://user:pw@e.x/"}', 400, "no user@ part", "url.form"),
    ("IPv6 literal", b'{"url": "http://[::1]/"}', 400, "[IPv6]", "url.form"),
]


@pytest.mark.parametrize(
    ("body", "status", "message", "code"),
    [c[1:] for c in BAD_REQUESTS],
    ids=[c[0] for c in BAD_REQUESTS],
)
def test_bad_post_bodies_get_a_clear_error_and_change_nothing(aws, lambda_context, body, status, message, code):
    got_status, headers, payload = call(create_qr, lambda_context, body=body)
    assert got_status == status, payload
    assert set(payload) <= {"message", "code", "field", "params"}
    assert message in payload["message"]
    assert payload["code"] == code
    assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


FIELDS_AT_FAULT = [
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "a.b", "format": "gif"}, "format"),
    ({"url": "a.b", "box_size": 0}, "box_size"),
    ({"url": "https://e.x/" + "a" * 1000, "box_size": 40}, "box_size"),  # the image would be too wide
    ({"url": "a.b", "border": 21}, "border"),
    ({"url": "a.b", "error_correction": "X"}, "error_correction"),
    ({"url": "a.b", "fill_color": "red"}, "fill_color"),
    ({"url": "a.b", "back_color": "#fff"}, "back_color"),
    ({"url": "a.b", "fill_color": "#777777", "back_color": "#999999"}, "fill_color"),
    ({"url": "a.b", "fill_color": "#ffffff", "back_color": "#000000"}, "fill_color"),
    ({"url": "a.b", "module_style": "hearts"}, "module_style"),
    ({"url": "a.b", "logo": "!"}, "logo"),
    # A pattern matches the whole value: Python's $ also matches before a final line break.
    ({"url": "a.b", "fill_color": "#123456\n"}, "fill_color"),
    ({"url": "a.b", "back_color": "#ffffff\n"}, "back_color"),
    ({"url": "a.b", "eye_color": "#123456\n"}, "eye_color"),
]


@pytest.mark.parametrize(("body", "field"), FIELDS_AT_FAULT, ids=[f for _, f in FIELDS_AT_FAULT])
def test_an_error_about_one_field_names_it(aws, lambda_context, body, field):
    status, _, payload = call(create_qr, lambda_context, body=body)
    assert status == 400 and payload["field"] == field, payload


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "body.empty"),
        (b"{", "body.json"),
        (b"[]", "body.not_object"),
        (b'{"url": "a.b", "colour": 1}', "request.unknown_field"),
    ],
)
def test_an_error_about_the_whole_body_names_no_field(aws, lambda_context, body, code):
    status, _, payload = call(create_qr, lambda_context, body=body or None)
    assert status == 400 and "field" not in payload and payload["code"] == code, payload


def test_an_inverted_pair_is_refused_because_many_scanners_cannot_read_it(aws, lambda_context):
    inverted = {"url": "a.b", "fill_color": "#ffffff", "back_color": "#000000"}
    status, _, payload = call(create_qr, lambda_context, body=inverted)
    assert status == 400
    assert "must be darker than back_color" in payload["message"] and "light code on a dark" in payload["message"]
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0
    status, _, _ = call(create_qr, lambda_context, body={**inverted, "fill_color": "#000000", "back_color": "#ffffff"})
    assert status == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "'url' is required"),
        ("url=javascript:alert(1)", "is not allowed"),
        ("url=https://e.x&url=https://f.x", "repeated: url"),
        ("url=https://e.x&box_size=ten", "whole number"),
        ("url=https://e.x&box_size=-1", "whole number"),
        ("url=https://e.x&box_size=99", "from 1 to 40"),
        ("url=https://e.x&box_size=10%0A", "whole number"),
        ("url=https://e.x&fill_color=%23123456%0A", "written as #rrggbb"),
        ("url=https://e.x&colour=red", "Unknown field(s): colour"),
        ("url=x.com/%FF", "U+FFFD"),
        ("url=x.com/%ED%A0%80", "U+FFFD"),
    ],
)
def test_bad_get_queries_get_a_clear_error_and_change_nothing(aws, lambda_context, query, message):
    status, headers, payload = call(create_qr, lambda_context, method="GET", query=query)
    assert status == 400
    assert message in payload["message"]
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-store"
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


def test_brackets_inside_strings_are_not_nesting(aws, lambda_context):
    url = "https://e.x/" + "[" * 30 + "{" * 30
    status, _, body = call(create_qr, lambda_context, body={"url": url, "format": "svg"})
    assert status == 200, body
    assert decode(svg_to_png(get_object(aws, body["qr_code_url"])["Body"].read())) == [url]


def test_a_base64_encoded_body_is_decoded(aws, lambda_context):
    status, _, body = call(create_qr, lambda_context, body={"url": "https://b64.example"}, base64_body=True)
    assert status == 200, body
    assert decode(get_object(aws, body["qr_code_url"])["Body"].read()) == ["https://b64.example"]


def test_cors_echoes_a_listed_origin_and_falls_back_to_the_first(aws, lambda_context, monkeypatch):
    monkeypatch.setattr(create_qr.answers, "allowed_origins", ("https://a.example", "http://127.0.0.1:8000"))
    _, headers, _ = call(
        create_qr, lambda_context, body={"url": "x.example"}, headers={"Origin": "https://evil.example"}
    )
    assert headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert headers["Vary"] == "Origin"
    _, headers, _ = call(create_qr, lambda_context, body={"url": "x"}, headers={"Origin": "http://127.0.0.1:8000"})
    assert headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
    assert headers["Vary"] == "Origin"


def test_preflight_allows_post_from_a_listed_origin(aws, lambda_context):
    status, headers, body = call(
        create_qr, lambda_context, method="OPTIONS", headers={"Origin": "https://qr.example.com"}
    )
    assert status == 204 and body is None
    assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "Content-Type,X-API-Key"


def test_an_unknown_route_is_a_json_404_with_cors(aws, lambda_context):
    from local import apigw

    response = create_qr.handler(apigw.proxy_event("POST", "/nope", body=b"{}"), lambda_context)
    assert response["statusCode"] == 404
    assert "/qr" in json.loads(response["body"])["message"]
    assert apigw.response_headers(response)["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert bucket_keys(aws) == []


def test_a_failing_upload_is_a_503_with_no_event_and_nothing_cached(aws, lambda_context):
    boto3.client("s3").delete_bucket(Bucket=aws.bucket)
    status, headers, body = call(create_qr, lambda_context, body={"url": "https://s3-down.example"})
    assert status == 503
    assert body == {"message": "The QR image could not be stored. Please try again shortly.", "code": "service.storage"}
    assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert queued(aws) == 0 and table_items(aws) == []


def test_a_failing_cache_read_is_a_miss_not_an_error(aws, lambda_context, capsys, log_lines):
    boto3.client("dynamodb").delete_table(TableName=aws.table)
    status, _, body = call(create_qr, lambda_context, body={"url": "https://ddb-down.example"})
    assert status == 200
    assert body["cached"] is False
    assert decode(get_object(aws, body["qr_code_url"])["Body"].read()) == ["https://ddb-down.example"]
    assert [line["level"] for line in log_lines() if line["message"].startswith("Cache read failed")] == ["ERROR"]
    assert '"CacheReadFailures"' in capsys.readouterr().out


def _fail_put_events(**_):
    raise ClientError({"Error": {"Code": "InternalException", "Message": "injected"}}, "PutEvents")


def _partially_fail_put_events(http_response, parsed, **_):
    parsed["FailedEntryCount"] = 1
    parsed["Entries"] = [{"ErrorCode": "InternalFailure", "ErrorMessage": "injected"}]


@pytest.mark.parametrize(
    ("hook", "handler"),
    [("before-call.events.PutEvents", _fail_put_events), ("after-call.events.PutEvents", _partially_fail_put_events)],
    ids=["exception", "failed-entry"],
)
def test_a_failing_event_publish_still_returns_the_image_and_is_logged_and_counted(
    aws, lambda_context, capsys, log_lines, hook, handler
):
    events = client("events").meta.events
    events.register(hook, handler)
    try:
        status, _, body = call(create_qr, lambda_context, body={"url": "https://eb-down.example"})
    finally:
        events.unregister(hook, handler)
    assert status == 200
    assert body["cached"] is False
    assert decode(get_object(aws, body["qr_code_url"])["Body"].read()) == ["https://eb-down.example"]
    [failure] = [line for line in log_lines() if line["message"].startswith("Event publish failed")]
    assert failure["level"] == "ERROR" and "injected" in failure["exception"]
    assert '"EventPublishFailures"' in capsys.readouterr().out
    assert "Traceback" not in json.dumps(body)


def test_an_unexpected_error_is_a_500_without_internals(aws, lambda_context, monkeypatch):
    def explode(*_):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(create_qr, "get_or_create", explode)
    status, headers, body = call(create_qr, lambda_context, body={"url": "https://e.x"})
    assert status == 500
    assert "secret" not in body["message"] and "Traceback" not in body["message"]
    assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"


def test_hits_misses_and_images_are_metrics(aws, lambda_context, capsys):
    call(create_qr, lambda_context, body={"url": "https://m.example"})
    deliver_events(aws, lambda_context)
    capsys.readouterr()
    call(create_qr, lambda_context, body={"url": "https://m.example"})
    call(create_qr, lambda_context, body={"url": "https://n.example"})
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    totals = {}
    for blob in blobs:
        for metric in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            totals[metric["Name"]] = totals.get(metric["Name"], 0) + sum(
                blob[metric["Name"]] if isinstance(blob[metric["Name"]], list) else [blob[metric["Name"]]]
            )
    assert totals == {"CacheHits": 1, "CacheMisses": 1, "ImagesGenerated": 1}


def test_logs_are_json_with_request_id_and_cache_outcome(aws, lambda_context, log_lines):
    call(create_qr, lambda_context, body={"url": "https://log.example"})
    [miss] = [line for line in log_lines() if line.get("message") == "Cache miss"]
    assert miss["cache"] == "miss"
    assert len(miss["cache_key"]) == 64
    assert miss["function_request_id"] == lambda_context.aws_request_id
    assert miss["correlation_id"]


@pytest.mark.parametrize("body", ["%%%not base64%%%", '{"url": "https://e.x"}', base64.b64encode(b"\xff\xfe").decode()])
def test_a_body_flagged_base64_that_is_not_base64_utf8_is_rejected(aws, lambda_context, body):
    from local import apigw

    event = apigw.proxy_event("POST")
    event.update(body=body, isBase64Encoded=True)
    response = create_qr.handler(event, lambda_context)
    assert response["statusCode"] == 400
    assert "base64" in json.loads(response["body"])["message"]
    assert bucket_keys(aws) == []


VALID_FOR_PATTERN = {"url": "https://e.x", "fill_color": "#123456", "back_color": "#ffffff", "eye_color": "#123456"}


@pytest.mark.parametrize("name", [name for name, spec in F.FIELDS.items() if spec.pattern])
def test_every_declared_pattern_matches_the_whole_value(name):
    """A value that matches with a line break after it is refused, for every field the definition gives a pattern."""
    from qr_service.request import build_request

    valid = VALID_FOR_PATTERN.get(name, LOGO)
    assert re.fullmatch(F.FIELDS[name].pattern, valid)
    build_request({"url": "a.b", name: valid})
    with pytest.raises(RequestError) as refused:
        build_request({"url": "a.b", name: valid + "\n"})
    assert refused.value.field == name


@pytest.mark.parametrize("code", sorted(VIOLATIONS))
def test_every_refusal_is_decided_before_any_aws_call(aws_calls, lambda_context, monkeypatch, code):
    configured(monkeypatch, code)
    method, query, body = send(VIOLATIONS[code])
    status, _, answer = call(create_qr, lambda_context, method=method, body=body, query=query or "")
    assert 400 <= status < 500 and answer["code"] == code, answer
    assert aws_calls == []


def test_the_call_counter_sees_the_cache_read_of_a_valid_request(aws_calls, lambda_context):
    call(create_qr, lambda_context, body={"url": "https://counted.example"})
    assert aws_calls[0] == "dynamodb.GetItem" and "s3.PutObject" in aws_calls


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_link_to_a_host_the_deployment_does_not_encode_is_refused_and_changes_nothing(
    aws, lambda_context, monkeypatch, method
):
    configured(monkeypatch, "url.host_not_allowed")  # qr.allowed_hosts: ["example.com"]
    other = {"url": "https://other.example/"}
    status, _, body = call(create_qr, lambda_context, method=method, body=other if method == "POST" else None,
                           query="url=https://other.example/" if method == "GET" else "")  # fmt: skip
    assert status == 400 and body["code"] == "url.host_not_allowed" and body["field"] == "url"
    assert body["params"] == {"host": "other.example", "allowed": "example.com"}
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0
    status, _, _ = call(create_qr, lambda_context, body={"url": "https://example.com/poster"})
    assert status == 200


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_preview_is_drawn_and_read_back_and_touches_no_aws_at_all(aws, lambda_context, aws_calls, fmt):
    """For the page's live preview: the image as a data: URI, and nothing stored, cached, announced or even read."""
    body = {"url": "https://preview.example/ü", "preview": True, "format": fmt, "module_style": "rounded"}
    status, _, answer = call(create_qr, lambda_context, body=body)
    assert status == 200, answer
    assert set(answer) == {"message", "preview", "text", "verified", "data_uri"} and answer["preview"] is True
    assert answer["text"] == body["url"]
    prefix = f"data:{F.FORMATS[fmt]};base64,"
    assert answer["data_uri"].startswith(prefix)
    image = base64.b64decode(answer["data_uri"].removeprefix(prefix))
    assert decode(image if fmt == "png" else svg_to_png(image)) == [body["url"]]
    assert aws_calls == []
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


def test_a_preview_is_only_for_post_and_says_a_bad_value(aws, lambda_context):
    status, _, answer = call(create_qr, lambda_context, body={"url": "https://p.example", "preview": "yes"})
    assert (status, answer["code"], answer["field"]) == (400, "preview.type", "preview")
    status, _, answer = call(create_qr, lambda_context, method="GET", query="url=https://p.example&preview=true")
    assert (status, answer["code"]) == (400, "request.unknown_field")

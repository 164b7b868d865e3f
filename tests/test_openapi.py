"""website/openapi.json is the one contract: API Gateway's model is made from it, and the handler agrees with it."""

import json
import re

import pytest
from conftest import ROOT, resources_of, synth_template
from hypothesis import given, settings
from hypothesis import strategies as st

from qr_service import request
from stacks import openapi

DOC = json.loads((ROOT / "website" / "openapi.json").read_text())
SCHEMAS = DOC["components"]["schemas"]


@pytest.fixture(scope="module")
def template():
    return synth_template()


def test_the_document_is_openapi_3_with_the_three_operations():
    assert DOC["openapi"].startswith("3.0.")
    operations = DOC["paths"]["/qr"]
    assert {name: op["operationId"] for name, op in operations.items()} == {
        "post": "createQrCode",
        "get": "redirectToQrCode",
        "options": "preflight",
    }
    assert set(operations["post"]["responses"]) == {"200", "400", "413", "429", "500", "503"}
    assert "Location" in operations["get"]["responses"]["302"]["headers"]


def test_every_response_documents_the_cors_header():
    for operation in DOC["paths"]["/qr"].values():
        for status, response in operation["responses"].items():
            resolved = openapi.resolve(DOC, response)
            assert "Access-Control-Allow-Origin" in resolved["headers"], status


def test_api_gateways_model_is_made_from_the_document(template):
    [model] = [m["Properties"] for m in resources_of(template, "AWS::ApiGateway::Model").values()]
    schema = model["Schema"]
    expected = openapi.request_body_schema(DOC)
    assert schema["required"] == expected["required"] and schema["additionalProperties"] is False
    for name, prop in expected["properties"].items():
        for keyword in ("type", "minLength", "maxLength", "minimum", "maximum", "pattern"):
            assert schema["properties"][name].get(keyword) == prop.get(keyword), (name, keyword)
    [get] = [
        m["Properties"]
        for m in resources_of(template, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "GET"
    ]
    assert get["RequestParameters"] == {"method.request.querystring.url": True}


def test_a_keyword_the_model_cannot_take_is_refused():
    with pytest.raises(ValueError, match="oneOf"):
        openapi.to_apigw({"type": "string", "oneOf": []})


def test_the_handler_checks_what_the_document_says():
    body = openapi.request_body_schema(DOC)
    assert set(body["properties"]) == {"url", *request.OPTION_NAMES, *request.POST_ONLY}
    query = {p["name"] for p in DOC["paths"]["/qr"]["get"]["parameters"]}
    assert query == {"url", *request.OPTION_NAMES}
    style = re.compile(SCHEMAS["ModuleStyle"]["pattern"])
    assert {s for s in ("square", "Rounded", "DOTS", "hearts") if style.match(s)} == {"square", "Rounded", "DOTS"}
    assert set(request.MIN_BOX_SIZE) == {"square", "rounded", "dots"}
    back = re.compile(SCHEMAS["BackColor"]["pattern"])
    assert {b for b in ("#ffffff", "Transparent", "none", "#fff") if back.match(b)} == {"#ffffff", "Transparent"}
    assert SCHEMAS["Error"]["properties"]["field"]["enum"] == ["url", *request.OPTION_NAMES, *request.POST_ONLY]
    assert SCHEMAS["Logo"]["maxLength"] == 4 * -(-request.MAX_LOGO_BYTES // 3)  # base64 of the byte limit
    assert SCHEMAS["Url"]["pattern"] == request.URL_PATTERN
    assert SCHEMAS["Url"]["maxLength"] == max(request.CAPACITY_BYTES.values())
    assert (SCHEMAS["BoxSize"]["minimum"], SCHEMAS["BoxSize"]["maximum"]) == (1, 40)
    assert (SCHEMAS["Border"]["minimum"], SCHEMAS["Border"]["maximum"]) == (0, 20)
    defaults = request.QrRequest(url="")
    assert (SCHEMAS["BoxSize"]["default"], SCHEMAS["Border"]["default"]) == (defaults.box_size, defaults.border)
    fmt = re.compile(SCHEMAS["Format"]["pattern"])
    assert {f for f in ("png", "svg", "PNG", "Svg", "gif", "png ") if fmt.match(f)} == {"png", "svg", "PNG", "Svg"}
    assert set(request.FORMATS) == {"png", "svg"}
    level = re.compile(SCHEMAS["ErrorCorrection"]["pattern"])
    assert {c for c in "LMQHlmqhXx" if level.match(c)} == set("LMQHlmqh")
    assert set(request.CAPACITY_BYTES) == set("LMQH")
    assert SCHEMAS["Color"]["pattern"] == request._COLOR.pattern


@settings(max_examples=300, deadline=None)
@given(url=st.from_regex(request.URL_PATTERN, fullmatch=True))
def test_every_url_the_document_allows_is_accepted(url):
    """The document is never stricter than the handler, nor looser, for a url's shape (its size is a README rule)."""
    if len(url.encode("utf-8")) <= request.CAPACITY_BYTES["M"]:
        assert request.validate_url(url, "M") == url


def test_the_hosts_pythons_url_parser_refuses_are_outside_the_pattern():
    """Characters whose NFKC form holds / ? # @ or : make urlsplit fail; the pattern leaves them out of hosts."""
    import unicodedata

    refused = [
        chr(code)
        for code in range(0x80, 0x110000)
        if not 0xD800 <= code <= 0xDFFF and any(c in unicodedata.normalize("NFKC", chr(code)) for c in "/?#@:")
    ]
    assert refused
    pattern = re.compile(request.URL_PATTERN)
    for ch in refused:
        assert not pattern.match(f"https://a{ch}b.example/"), hex(ord(ch))
        with pytest.raises(request.RequestError):
            request.validate_url(f"https://a{ch}b.example/", "M")

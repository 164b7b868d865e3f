"""website/openapi.json is written from the request's definition (qr_service.fields): it is never
stale, it lists every error code, it lints clean, and one bound changed in the definition moves the
validator, the document and the page's limits together."""

import dataclasses
import json
import os
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ROOT

from contract import gateway, openapi
from qr_service import content, request, symbol
from qr_service import fields as F
from qr_service.errors import RequestError

pytestmark = pytest.mark.subprocess

DOC = json.loads(openapi.DOCUMENT.read_text(encoding="utf-8"))
SCHEMAS = DOC["components"]["schemas"]


def test_the_checked_in_document_is_what_make_contract_writes():
    assert openapi.DOCUMENT.read_text(encoding="utf-8") == openapi.render(), "run `make contract` and commit it"


def test_make_contract_check_fails_on_a_stale_document(tmp_path, monkeypatch):
    from tools import contract as make_contract

    stale = tmp_path / "openapi.json"
    stale.write_text(openapi.render().replace('"maximum": 40', '"maximum": 41'), encoding="utf-8")
    monkeypatch.setattr(openapi, "DOCUMENT", stale)
    assert make_contract.main(["--check"]) == 1
    assert make_contract.main([]) == 0 and stale.read_text(encoding="utf-8") == openapi.render()


def test_the_document_is_openapi_3_with_the_four_operations():
    assert DOC["openapi"].startswith("3.0.")
    operations = DOC["paths"]["/qr"]
    assert {name: op["operationId"] for name, op in operations.items()} == {
        "post": "createQrCode",
        "get": "getQrImage",
        "head": "headQrImage",
        "options": "preflight",
    }
    assert set(operations["post"]["responses"]) == {"200", "400", "403", "413", "422", "429", "500", "503"}
    image = operations["get"]["responses"]["200"]
    assert set(image["content"]) == {"image/png", "image/svg+xml"} and {"ETag", "Cache-Control"} <= set(
        image["headers"]
    )
    assert "302" not in operations["get"]["responses"]


def _resolve(node: dict) -> dict:
    if "$ref" in node:
        target = DOC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return target
    return node


def test_every_response_documents_the_cors_header():
    for operation in DOC["paths"]["/qr"].values():
        for status, response in operation["responses"].items():
            assert "Access-Control-Allow-Origin" in _resolve(response)["headers"], status


def test_the_document_lists_every_code_the_service_can_answer():
    codes = SCHEMAS["Error"]["properties"]["code"]["enum"]
    assert codes == [rule.code for rule in F.all_rules()]
    assert len(set(codes)) == len(codes), "distinct rules must have distinct codes"
    assert all(re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", code) for code in codes), codes
    # name: POST /keys; target, active: /codes; next: a page token
    assert SCHEMAS["Error"]["properties"]["field"]["enum"] == [
        *F.FIELDS,
        *content.PART_PATHS,
        "name",
        "items",
        "target",
        "active",
        "next",
    ]


def test_each_field_is_documented_as_the_definition_says():
    body = SCHEMAS["QrRequest"]
    assert "required" not in body and body["additionalProperties"] is False  # url or content: the description says so
    assert list(body["properties"]) == list(F.BODY_FIELDS)
    assert [p["name"] for p in DOC["paths"]["/qr"]["get"]["parameters"]] == list(F.QUERY_FIELDS)
    for name, spec in F.FIELDS.items():
        schema = _resolve(body["properties"][name])
        assert (schema.get("minimum"), schema.get("maximum"), schema.get("default")) == (
            spec.minimum,
            spec.maximum,
            spec.default,
        ), name
        # Choices are enums of the canonical values (generated clients type them); the service takes any case.
        assert schema.get("enum") == (list(spec.choices) or None), name
        for choice in spec.choices:
            assert request.build_request({"url": "e.x", name: choice.swapcase()}), (name, choice)
        for choice in spec.extra_choices:
            assert re.fullmatch(schema["pattern"], choice), (name, choice)
    assert SCHEMAS["Url"]["pattern"] == F.URL_PATTERN
    assert SCHEMAS["Url"]["maxLength"] == max(F.CAPACITY_BYTES.values())
    assert SCHEMAS["Logo"]["maxLength"] == 4 * -(-F.MAX_LOGO_BYTES // 3)  # base64 of the byte limit


def test_each_content_type_is_documented_from_its_declaration():
    """`content` is a oneOf by `type`; each type's parts carry the declared bounds, choices and patterns."""
    from qr_service import content

    mapping = SCHEMAS["Content"]["discriminator"]["mapping"]
    assert list(mapping) == list(content.KINDS)
    for kind in content.KINDS.values():
        schema = _resolve({"$ref": mapping[kind.name]})
        assert schema["properties"]["type"]["enum"] == [kind.name]
        assert schema["required"] == ["type", *(p.name for p in kind.parts if p.required)]
        for part in kind.parts:
            documented = schema["properties"][part.name]
            assert documented["type"] == part.type, (kind.name, part.name)
            assert (documented.get("maxLength"), documented.get("minimum"), documented.get("maximum")) == (
                part.max_length,
                part.minimum,
                part.maximum,
            ), (kind.name, part.name)
            assert documented.get("enum") == (list(part.choices) or None)
            if part.pattern:
                assert part.pattern in documented["pattern"]


def test_one_bound_changed_in_the_definition_moves_validator_document_and_page(monkeypatch):
    narrower = dataclasses.replace(F.BOX_SIZE, maximum=30)
    monkeypatch.setattr(F, "BOX_SIZE", narrower)
    monkeypatch.setitem(F.FIELDS, "box_size", narrower)
    with pytest.raises(RequestError) as refused:
        request.build_request({"url": "e.x", "box_size": 31})
    assert refused.value.code == "box_size.range" and refused.value.params["maximum"] == 30
    assert request.build_request({"url": "e.x", "box_size": 30}).box_size == 30
    assert openapi.build()["components"]["schemas"]["BoxSize"]["maximum"] == 30
    assert gateway.page_limits()["fields"]["box_size"]["maximum"] == 30


@settings(max_examples=300, deadline=None)
@given(url=st.from_regex(F.URL_PATTERN, fullmatch=True))
def test_every_url_the_document_allows_is_accepted(url):
    """The document is never stricter than the handler, nor looser, for a url's shape (its size is a rule)."""
    if len(url.encode("utf-8")) <= symbol.capacity_bytes("L", url.isascii()):
        assert request.build_request({"url": url, "error_correction": "L", "format": "svg"}).url == url


def test_the_hosts_pythons_url_parser_refuses_are_outside_the_pattern():
    """Characters whose NFKC form holds / ? # @ or : make urlsplit fail; the pattern leaves them out of hosts."""
    import unicodedata

    refused = [
        chr(code)
        for code in range(0x80, 0x110000)
        if not 0xD800 <= code <= 0xDFFF and any(c in unicodedata.normalize("NFKC", chr(code)) for c in "/?#@:")
    ]
    assert refused
    pattern = re.compile(F.URL_PATTERN)
    for ch in refused:
        assert not pattern.match(f"https://a{ch}b.example/"), hex(ord(ch))
        with pytest.raises(RequestError):
            request.parse_field("url", {"url": f"https://a{ch}b.example/"})


REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"


def _redocly(document) -> subprocess.CompletedProcess:
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
    return subprocess.run(
        [str(REDOCLY), "lint", str(document), "--extends=recommended", "--format=json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


# The one known exception: a printed code's link succeeds with a 302, never a 2xx (it is a redirect).
REDIRECT = "#/paths/~1c~1{id}/"


def _problems(result: subprocess.CompletedProcess) -> list[dict]:
    """Errors and warnings alike: a warning is a generated client's or a reader's problem too."""
    report = json.loads(result.stdout[result.stdout.index("{") :])
    return [
        p
        for p in report["problems"]
        if not (
            p["ruleId"] == "operation-2xx-response"
            and all(loc["pointer"].startswith(REDIRECT) for loc in p["location"])
        )
    ]


def test_redocly_recommended_rules_report_no_problems():
    result = _redocly(openapi.DOCUMENT)
    assert _problems(result) == [], result.stdout[-3000:]


def test_redocly_finds_an_error_when_there_is_one(tmp_path):
    broken = openapi.build()
    del broken["security"]
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(broken))
    assert _problems(_redocly(path)), "the lint must be able to fail"


SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"


def _spectral(document) -> list[dict]:
    """Every result of Spectral's spectral:oas rules (.spectral.yaml), warnings and hints included."""
    result = subprocess.run(
        [str(SPECTRAL), "lint", str(document), "--ruleset", str(ROOT / ".spectral.yaml"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    return json.loads(result.stdout[result.stdout.index("[") : result.stdout.rindex("]") + 1])


def test_spectral_oas_rules_report_nothing():
    assert _spectral(openapi.DOCUMENT) == []


def test_spectral_finds_a_warning_when_there_is_one(tmp_path):
    broken = openapi.build()
    del broken["info"]["contact"]
    del broken["paths"]["/qr"]["get"]["description"]
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(broken))
    assert {r["code"] for r in _spectral(path)} == {"info-contact", "operation-description"}


def test_the_api_pages_field_table_states_the_definitions_bounds_and_defaults():
    readme = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name, spec in F.FIELDS.items():
        [row] = [line for line in readme.splitlines() if line.startswith("| `") and f"`{name}`" in line.split("|")[1]]
        if spec.default is not None:
            default = json.dumps(spec.default) if isinstance(spec.default, bool) else spec.default
            assert f"`{default}`" in row, (name, row)
        if spec.minimum is not None:
            assert f"{spec.minimum}\N{EN DASH}{spec.maximum}" in row, (name, row)
        for choice in spec.choices:
            assert f"`{choice}`" in row, (name, choice)

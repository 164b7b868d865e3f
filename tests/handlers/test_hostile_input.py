"""Property-based: whatever bytes, JSON or query arrive, the handlers answer (never a 5xx, never a traceback).

moto runs once for the module, because Hypothesis calls each test many times: 150 examples each, or 20
under `make test-fast` (the profiles are in tests/conftest.py).
"""

import base64
import json
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.aws import moto
from support.helpers import call

import create_qr
import store_url
from local import emulation
from local.runtime import LambdaContext
from qr_service.fields import BODY_FIELDS, all_rules

# Any code point, with the troublesome ones drawn often: lone surrogates (json.dumps writes them as
# \\udXXX escapes), U+FFFD, NUL, brackets and URL punctuation.
TROUBLE = st.sampled_from(["\ud800", "\udfff", "\ufffd", "\x00", "[", "{", " ", "@", ":", "/", "%", "é"])
# (joined from a list: text() would drop the surrogates)
ANY_TEXT = st.lists(st.characters(exclude_categories=()) | TROUBLE, max_size=40).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(BODY_FIELDS) | ANY_TEXT
REQUEST_OBJECTS = st.fixed_dictionaries(
    {"url": ANY_TEXT | JSON_VALUES}, optional={name: JSON_VALUES for name in BODY_FIELDS if name != "url"}
) | st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=5)


@pytest.fixture(scope="module")
def context():
    return LambdaContext()


CODES = {rule.code for rule in all_rules()}


@pytest.fixture(scope="module")
def aws():
    with moto():
        yield emulation.create()


def assert_answered(status: int, headers: dict, payload) -> None:
    assert status < 500, payload
    assert headers["Access-Control-Allow-Origin"]
    if status >= 400:
        assert set(payload) <= {"message", "code", "field", "params"} and payload["message"]
        assert payload["code"] in CODES, payload
        assert "Traceback" not in payload["message"] and 'File "' not in payload["message"]


@given(body=st.binary(max_size=600), as_base64=st.booleans())
def test_any_bytes_as_a_post_body(aws, context, body, as_base64):
    assert_answered(*call(create_qr, context, body=body, base64_body=as_base64))


@given(value=JSON_VALUES | REQUEST_OBJECTS)
def test_any_json_as_a_post_body(aws, context, value):
    raw = json.dumps(value).encode("ascii")  # ensure_ascii: lone surrogates travel as escapes
    assert_answered(*call(create_qr, context, body=raw))


@given(params=st.dictionaries(FIELD_NAMES, st.lists(ANY_TEXT, min_size=1, max_size=2), max_size=4))
def test_any_query_string(aws, context, params):
    query = urlencode(params, doseq=True, encoding="utf-8", errors="surrogatepass")
    assert_answered(*call(create_qr, context, method="GET", query=query))


DETAIL_KEYS = st.sampled_from(["url_user", "qr_code_url", "cache_key", "ttl"]) | ANY_TEXT


@given(
    event=JSON_VALUES
    | st.fixed_dictionaries({"id": ANY_TEXT, "detail": JSON_VALUES | st.dictionaries(DETAIL_KEYS, JSON_VALUES)})
)
def test_any_event_reaches_store_url_without_an_exception(aws, context, event):
    """A malformed event is dropped with a reason; it never raises (which would mean retries, then the queue)."""
    result = store_url.handler(event, context)
    assert set(result) <= {"stored", "reason"}
    if result["stored"] is False and "reason" in result:
        assert result["reason"]


def test_the_property_tests_reach_past_validation(aws, context):
    """The strategies are not all rejected up front: a plain request through the same helper is created."""
    status, _, payload = call(create_qr, context, body=b'{"url": "a.b"}', base64_body=True)
    assert status == 200, payload


@given(
    magic=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]),
    tail=st.binary(max_size=400),
    fmt=st.sampled_from(["png", "svg"]),
)
def test_any_bytes_behind_an_image_signature_as_a_logo(aws, context, magic, tail, fmt):
    """The image decoder meets arbitrary bytes only after the header checks, and still answers a 400, not a 5xx."""
    body = json.dumps({"url": "https://logo.example", "format": fmt, "logo": base64.b64encode(magic + tail).decode()})
    assert_answered(*call(create_qr, context, body=body.encode()))

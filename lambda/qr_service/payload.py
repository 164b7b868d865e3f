"""An HTTP payload to a dict of fields: the body's size, encoding, nesting and JSON (400 or 413), or the
query string's repeated parameters. What the fields say is `request.py`'s business."""

import base64
import binascii
import json

from qr_service.fields import (
    BODY_BASE64,
    BODY_DEPTH,
    BODY_EMPTY,
    BODY_JSON,
    BODY_NOT_OBJECT,
    BODY_SURROGATE,
    BODY_TOO_LARGE,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    REPEATED_PARAMETERS,
)


def _nested_deeper_than(text: str, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` deep, counting only brackets outside strings."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def body_fields(body: str | None, is_base64: bool, limit: int = MAX_BODY_BYTES) -> dict[str, object]:
    """A POST body's JSON object, possibly base64-encoded by API Gateway, of at most `limit` bytes."""
    if not body:
        raise BODY_EMPTY.error()
    if len(body) > limit * (2 if is_base64 else 1):
        raise BODY_TOO_LARGE.error(limit=limit)
    raw = body
    if is_base64:
        try:
            raw = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise BODY_BASE64.error() from None
    if len(raw.encode("utf-8", errors="surrogatepass")) > limit:
        raise BODY_TOO_LARGE.error(limit=limit)
    if _nested_deeper_than(raw, MAX_JSON_DEPTH):
        raise BODY_DEPTH.error(limit=MAX_JSON_DEPTH)
    try:
        fields = json.loads(raw)
    except ValueError:  # JSONDecodeError, and numbers too long to convert
        raise BODY_JSON.error() from None
    try:
        json.dumps(fields, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BODY_SURROGATE.error() from None
    if not isinstance(fields, dict):
        raise BODY_NOT_OBJECT.error()
    return fields


def query_fields(multi_params: dict[str, list[str]] | None) -> dict[str, object]:
    """GET query parameters, each given once."""
    params = multi_params or {}
    repeated = sorted(name for name, values in params.items() if len(values) > 1)
    if repeated:
        raise REPEATED_PARAMETERS.error(names=", ".join(repeated))
    return {name: values[0] for name, values in params.items()}

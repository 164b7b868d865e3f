"""What API Gateway decides before `create_qr` runs, and what the page is told: limits, methods and
texts, with no CDK import, so that the stack (stacks/api.py, stacks/site.py) and its local
stand-in (local/gateway.py, local/edge.py) take them from one place.

API Gateway checks no field of the request: every field rule is the handler's (qr_service.fields),
so a deployed API answers exactly like `make run`. What stays at the gateway is what it cannot
hand on: its payload limit, its methods and paths, and throttling.
"""

import json

from qr_service import errors
from qr_service import fields as F

STAGE = "prod"
API_PATH = "/qr"
# Every body is binary to API Gateway, so the images create_qr answers pass through intact whatever
# the caller's Accept header says; request bodies then arrive base64-encoded, which payload.py decodes.
BINARY_MEDIA_TYPES = ("*/*",)
# API Gateway REST APIs refuse a larger payload themselves (a quota that cannot be raised).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
# Written into the site bucket; the distribution answers it, as a 404, for any path with no object behind
# it (S3 says 403 to the distribution then, since it may not list the bucket), and so does `make run`.
NOT_FOUND_PAGE = "/not-found.json"
# The distribution's API origin sends this header with the deploy-time secret; the stage's web ACL
# refuses any request without it.
ORIGIN_VERIFY_HEADER = "x-origin-verify"


def is_binary(content_type: str | None) -> bool:
    """Whether API Gateway treats a body of this type as binary (base64 in the proxy event)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    for pattern in BINARY_MEDIA_TYPES:
        major, _, minor = pattern.partition("/")
        got_major, _, got_minor = kind.partition("/")
        if major in ("*", got_major) and minor in ("*", got_minor):
            return True
    return False


def error_body(rule: errors.Rule, **params: errors.Param) -> str:
    """An error's JSON text exactly as the gateway (a response template) and its stand-in send it."""
    return json.dumps(rule.body(**params), ensure_ascii=False)


def gateway_error_template(rule: errors.Rule) -> str:
    """API Gateway's own words for any other refusal; `messageString` is already a quoted JSON string."""
    return '{"message": $context.error.messageString, "code": ' + json.dumps(rule.code) + "}"


def error_headers(origin: str) -> dict[str, str]:
    """The headers of every error the gateway answers itself: JSON, not cached, readable cross-origin."""
    return {"Content-Type": "application/json", "Cache-Control": "no-store", "Access-Control-Allow-Origin": origin}


def page_limits() -> dict[str, object]:
    """The request's limits as the page applies them before it asks (config.json's `limits`)."""
    return {
        "fields": {
            name: {
                key: value
                for key, value in (
                    ("default", spec.default),
                    ("minimum", spec.minimum),
                    ("maximum", spec.maximum),
                    ("choices", list(spec.choices) or None),
                    ("max_length", spec.max_length),
                )
                if value is not None
            }
            for name, spec in F.FIELDS.items()
        },
        "max_logo_bytes": F.MAX_LOGO_BYTES,
        "logo_types": sorted(set(F.LOGO_TYPES.values())),
        "logo_level": F.LOGO_LEVEL,
        "min_contrast": F.MIN_CONTRAST,
        "linear_threshold": F.LINEAR_THRESHOLD,
        "contrast_reference": F.CONTRAST_REFERENCE,
    }


def page_config(api_url: str, allowed_hosts: tuple[str, ...] = ()) -> dict[str, object]:
    """config.json: where the API is, the request's limits, and the hosts links may point to (none: any)."""
    return {"apiUrl": api_url, "limits": page_limits(), "allowedHosts": list(allowed_hosts)}

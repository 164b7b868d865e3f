"""What API Gateway decides before `create_qr` runs, and what the page is told: limits, methods and
texts, with no CDK import, so that the stack (stacks/api.py, stacks/site.py) and its local
stand-in (local/gateway.py, local/edge.py) take them from one place.

API Gateway checks no field of the request: every field rule is the handler's (qr_service.fields),
so a deployed API answers exactly like `make run`. What stays at the gateway is what it cannot
hand on: its payload limit, its methods and paths, and throttling.
"""

import json
import re
from dataclasses import dataclass

from qr_service import batch, content, errors, names
from qr_service import fields as F

STAGE = "prod"
API_PATH = names.API_PATH
KEYS_PATH = names.KEYS_PATH


@dataclass(frozen=True)
class Route:
    """One resource of the API: its path (`{name}` is a path parameter), the methods its function answers
    (API Gateway answers OPTIONS, and a JSON 405 for any other), the function, and the 405's advice."""

    path: str
    methods: tuple[str, ...]
    function: str
    use: str

    @property
    def allow(self) -> tuple[str, ...]:
        return (*self.methods, "OPTIONS")

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when `path` is this resource's, else None."""
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        found = re.fullmatch(pattern, path)
        return found.groupdict() if found else None

    def not_allowed(self, method: str) -> str:
        return error_body(errors.METHOD_NOT_ALLOWED, method=method, path=self.path, use=self.use)


# Every resource the stage has, in the order the stack builds them; make run's stand-in routes by the same list.
ROUTES = (
    Route(API_PATH, ("GET", "HEAD", "POST"), "create_qr", "POST, or GET with ?url="),
    Route(names.BATCH_PATH, ("POST",), "create_qr", 'POST with {"items": [...]}'),
    Route(KEYS_PATH, ("GET", "POST"), "manage_keys", "GET to list the keys or POST to create one"),
    Route(f"{KEYS_PATH}/{{{names.KEY_ID}}}", ("DELETE",), "manage_keys", "DELETE to revoke the key"),
    Route(names.CODES_PATH, ("GET", "POST"), "manage_codes", "GET to list your codes or POST to make one"),
    Route(
        f"{names.CODES_PATH}/{{{names.KEY_ID}}}",
        ("GET", "PATCH", "DELETE"),
        "manage_codes",
        "GET to read the code and its scans, PATCH to change it or DELETE to delete it",
    ),
    Route(f"{names.LINK_PATH}/{{{names.KEY_ID}}}", ("GET", "HEAD"), "redirect", "GET to follow the code's link"),
    Route(
        f"{names.CODE_IMAGES_PREFIX}{names.LINK_PATH}/{{{names.CODE_IMAGE_FILE}}}",
        ("GET", "HEAD"),
        "create_qr",
        "GET for the code's image",
    ),
)


# The distribution's behaviours that reach the stage (CloudFront path patterns: `*` matches any characters, `/`
# too); every other path is the site's or an image's. make run's stand-in routes by the same patterns.
EDGE_API_PATTERNS = (
    names.BATCH_PATH,  # before the images' qr/*, which would otherwise take it (CloudFront: first match wins)
    API_PATH,
    KEYS_PATH,
    f"{KEYS_PATH}/*",
    names.CODES_PATH,
    f"{names.CODES_PATH}/*",
    f"{names.LINK_PATH}/*",
)
LINK_PATTERN = f"{names.LINK_PATH}/*"  # printed links: redirected to HTTPS, counted, never cached
# A code's images: the distribution sends them to the stage under CODE_IMAGES_PREFIX (its origin path), and they
# may be kept at the edge like any /qr image. Matched before LINK_PATTERN.
CODE_IMAGE_PATTERNS = tuple(f"{names.LINK_PATH}/*.{kind}" for kind in F.FORMATS)


def _matches(pattern: str, path: str) -> bool:
    """CloudFront's path patterns: `*` matches any characters, `/` too."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), path) is not None


def stage_path(path: str) -> str:
    """The path the stage sees for a request the distribution sends it (a code's image gets the prefix)."""
    if any(_matches(p, path) for p in CODE_IMAGE_PATTERNS):
        return names.CODE_IMAGES_PREFIX + path
    return path


def reaches_api(path: str) -> bool:
    """Whether the distribution sends a request for `path` to the API (else to a bucket)."""
    return any(_matches(p, path) for p in (*CODE_IMAGE_PATTERNS, *EDGE_API_PATTERNS))


def route(path: str) -> tuple[Route, dict[str, str]] | None:
    """The resource a request path is for, with its path parameters, or None (API Gateway's 404)."""
    for candidate in ROUTES:
        params = candidate.match(path)
        if params is not None:
            return candidate, params
    return None


# Every body is binary to API Gateway, so the images create_qr answers pass through intact whatever
# the caller's Accept header says; request bodies then arrive base64-encoded, which payload.py decodes.
BINARY_MEDIA_TYPES = ("*/*",)
# API Gateway REST APIs refuse a larger payload themselves (a quota that cannot be raised).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
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
        "batch": {"max_items": batch.MAX_ITEMS, "max_side": batch.MAX_SIDE},
        "content_types": [
            {
                "name": kind.name,
                "title": kind.title,
                "parts": [
                    {
                        key: value
                        for key, value in (
                            ("name", part.name),
                            ("type", part.type),
                            ("label", part.label),
                            ("required", part.required),
                            ("max_length", part.max_length),
                            ("choices", list(part.choices) or None),
                            ("minimum", part.minimum),
                            ("maximum", part.maximum),
                            ("default", part.default),
                            ("multiline", part.multiline),
                            ("required_unless", list(part.required_unless) if part.required_unless else None),
                            ("help", part.description),
                        )
                        if value is not None
                    }
                    for part in kind.parts
                ],
            }
            for kind in content.KINDS.values()
        ],
    }


def page_config(api_url: str, allowed_hosts: tuple[str, ...] = (), access: str = "public") -> dict[str, object]:
    """config.json: where the API is, the request's limits, the hosts links may point to (none: any), and
    whether /qr needs a key (qr.access), so the page can ask for one before the first refusal."""
    return {"apiUrl": api_url, "limits": page_limits(), "allowedHosts": list(allowed_hosts), "access": access}

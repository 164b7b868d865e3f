"""What an error answer is made of: a stable code, a message written from it, the field at fault.

Every refusal the service (or API Gateway in front of it) can give is a `Rule` declared once, in
`fields.py` for the request's rules and here for the rest; the OpenAPI document lists them all.
"""

from dataclasses import dataclass

Param = str | int | float


@dataclass(frozen=True)
class Rule:
    """One reason to refuse a request. `code` is stable, lower-case and dotted (`box_size.range`);
    `message` is a `str.format` template over the error's params, naming the API's own fields."""

    code: str
    message: str
    status: int = 400
    params: tuple[str, ...] = ()

    def error(self, field: str | None = None, /, **params: Param) -> "RequestError":
        if set(params) != set(self.params):
            raise TypeError(f"{self.code} takes params {sorted(self.params)}, got {sorted(params)}")
        return RequestError(self, field, params)

    def body(self, field: str | None = None, /, **params: Param) -> dict[str, object]:
        """The JSON answer for this rule: message, code, and field and params when there are any."""
        return self.error(field, **params).payload()


class RequestError(Exception):
    """Bad input, answered with `rule.status` and `payload()`; nothing was written."""

    def __init__(self, rule: Rule, field: str | None = None, params: dict[str, Param] | None = None) -> None:
        self.rule = rule
        self.field = field
        self.params = params or {}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.rule.message.format(**self.params)

    @property
    def status(self) -> int:
        return self.rule.status

    @property
    def code(self) -> str:
        return self.rule.code

    def payload(self) -> dict[str, object]:
        out: dict[str, object] = {"message": self.message, "code": self.code}
        if self.field:
            out["field"] = self.field
        if self.params:
            out["params"] = dict(self.params)
        return out


# Answers that are not about the request's content: routing, throttling and failures.
METHOD_NOT_ALLOWED = Rule(
    "route.method", "{method} is not allowed on {path}: use {use}.", status=405, params=("method", "path", "use")
)
PAYLOAD_TOO_LARGE = Rule(
    "request.too_large", "Request body too large: the limit is {limit} bytes.", status=413, params=("limit",)
)
THROTTLED = Rule("request.throttled", "Too many requests: slow down and try again shortly.", status=429)
# Deployed only, from the web ACLs: one client over its share at the edge, everyone together over the global
# ceiling, and a call that skipped the edge.
RATE_LIMITED = Rule(
    "request.rate_limited",
    "Too many requests from your address: wait a few minutes and try again.",
    status=429,
)
KEY_RATE_LIMITED = Rule(
    "request.key_rate_limited",
    "Too many requests with this API key: wait a few minutes and try again.",
    status=429,
)
GLOBAL_LIMIT = Rule(
    "request.global_limit",
    "This service is answering as many requests as its owner allows for everyone together: try again in a few minutes.",
    status=429,
)
DIRECT_CALL = Rule(
    "route.direct",
    "Call the API through the site's own /qr: requests that do not come through its CloudFront distribution "
    "are refused.",
    status=403,
)
# A path nothing serves: a page that does not exist, an image that has expired (the bucket deletes images
# after the cache lifetime; the same request makes the image again), or a path the API has no resource for.
# Deployed, the stage answers it (the buckets fall back to it, stacks/delivery.py); locally, its stand-in.
NO_SUCH_FILE = Rule(
    "route.no_such_file",
    "Not found: no such page, image or API path (the page is at /, the API at /qr and /keys). QR images "
    "expire: request the code again to make it anew.",
    status=404,
)
# Any other refusal API Gateway makes itself (an unsigned or malformed call), in its own words.
GATEWAY_REFUSED = Rule("gateway.refused", "{detail}", status=400, params=("detail",))
GATEWAY_FAILED = Rule("gateway.failed", "{detail}", status=502, params=("detail",))
STORAGE_UNAVAILABLE = Rule("service.storage", "The QR image could not be stored. Please try again shortly.", status=503)
RENDER_UNREADABLE = Rule(
    "render.unreadable",
    "The image did not scan back to the url when read with a decoder, so it was not stored. Try a larger "
    "box_size, square modules, darker colours or no logo.",
    status=422,
)
# Who may call: a key where qr.access is "key" (every /qr request) and the admin key on /keys (always).
AUTH_MISSING = Rule(
    "auth.missing",
    "This service needs an API key: send it in the X-API-Key header (its owner gives keys out).",
    status=401,
)
AUTH_INVALID = Rule(
    "auth.invalid",
    "The API key in X-API-Key is not valid: it is unknown or has been revoked. Ask the service's owner for one.",
    status=401,
)
AUTH_FORBIDDEN = Rule(
    "auth.forbidden", "Only the admin key may manage keys: this key may make QR codes, not keys.", status=403
)
KEYS_UNAVAILABLE = Rule("service.keys", "The API key could not be checked. Please try again shortly.", status=503)
# /keys: the one field a new key takes, and a key that is not there.
KEY_NAME = Rule(
    "name.invalid",
    "'name' must be text of 1 to {max_length} printable characters on one line, such as \"ci\".",
    params=("max_length",),
)
KEY_NOT_FOUND = Rule(
    "key.not_found", "No key has the id {id}: it may have been revoked already.", status=404, params=("id",)
)
# Dynamic codes (/codes, /c/{id}).
CODE_NOT_FOUND = Rule("code.not_found", "No code of yours has the id {id}.", status=404, params=("id",))
CODE_ACTIVE = Rule("active.type", "'active' must be true or false.")
CODE_PAGE = Rule("next.invalid", "'next' is not a page token this service gave: start again without it.")
CODES_UNAVAILABLE = Rule(
    "service.codes", "The codes could not be read or written. Please try again shortly.", status=503
)
LINK_NOT_FOUND = Rule(
    "link.not_found", "This QR code's link does not exist: check the code, or ask who printed it.", status=404
)
LINK_GONE = Rule(
    "link.gone",
    "This QR code has been switched off by its owner: the link it holds goes nowhere now.",
    status=410,
)
INTERNAL = Rule("service.internal", "Internal error. Please try again; if it persists, report it.", status=500)

# POST /qr/batch: the batch as a whole, and an item on its own.
BATCH_ITEMS = Rule(
    "batch.items",
    "'items' must be a list of 1 to {maximum} request objects, each a /qr body ('url' or 'content', and style).",
    params=("maximum",),
)
BATCH_ITEM = Rule(
    "batch.item", 'Item {index} must be an object such as {{"url": "https://example.com"}}.', params=("index",)
)
BATCH_NAME = Rule("batch.name", "'name' must be text of at most 100 characters.")
BATCH_IMAGE_SIZE = Rule(
    "batch.image_size",
    "In a batch an image is at most {limit} pixels wide; this one would be {pixels}: set 'size' or a smaller "
    "'box_size' (or make it on its own with POST /qr).",
    params=("pixels", "limit"),
)

SERVICE_RULES = (
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    THROTTLED,
    RATE_LIMITED,
    KEY_RATE_LIMITED,
    GLOBAL_LIMIT,
    DIRECT_CALL,
    NO_SUCH_FILE,
    GATEWAY_REFUSED,
    GATEWAY_FAILED,
    RENDER_UNREADABLE,
    STORAGE_UNAVAILABLE,
    AUTH_MISSING,
    AUTH_INVALID,
    AUTH_FORBIDDEN,
    KEYS_UNAVAILABLE,
    KEY_NAME,
    KEY_NOT_FOUND,
    CODE_NOT_FOUND,
    CODE_ACTIVE,
    CODE_PAGE,
    CODES_UNAVAILABLE,
    LINK_NOT_FOUND,
    LINK_GONE,
    BATCH_ITEMS,
    BATCH_ITEM,
    BATCH_NAME,
    BATCH_IMAGE_SIZE,
    INTERNAL,
)

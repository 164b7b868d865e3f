"""Turn an API request into a validated, canonical `QrRequest`, or a `RequestError` that says what to fix.

Everything here runs before any AWS call or rendering, and imports nothing heavy: the
cache-hit path goes through it.
"""

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

MAX_BODY_BYTES = 16 * 1024
# A request is one flat object; deeper nesting is an attack on the parser, not a QR code.
MAX_JSON_DEPTH = 20

# Bytes that fit in the largest QR code (version 40) in byte mode, per error-correction level.
CAPACITY_BYTES = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
TRANSPARENT = "transparent"
# Module shapes, and the fewest pixels per module at which each still scans (tests/test_styles.py
# finds where decoding starts to fail; bench/render.py measures their cost).
MIN_BOX_SIZE = {"square": 1, "rounded": 2, "dots": 5}
MAX_LOGO_BYTES = 8 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
ALLOWED_SCHEMES = {"http", "https"}
MIN_CONTRAST = 3.0

# What a link looks like: an optional http(s) scheme, a host without user info, an optional port
# (0-65535) and anything after it but spaces, control characters and U+FFFD. The host also excludes
# the few characters whose NFKC form contains / ? # @ or :, which Python's URL parser refuses. The
# OpenAPI document (website/openapi.json) carries the same pattern; tests/test_openapi.py holds them together.
URL_PATTERN = (
    r"^(?:[Hh][Tt][Tt][Pp][Ss]?://)?"
    r"[^\s/?#:@\[\]\\\u0000-\u001f\u007f-\u009f\u2047-\u2049\u2100\u2101\u2105\u2106\u2a74"
    r"\ufe13\ufe16\ufe55\ufe56\ufe5f\ufe6b\uff03\uff0f\uff1a\uff1f\uff20\ufffd]+"
    r"(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:[/?#][^\s\u0000-\u001f\u007f-\u009f\ufffd]*)?$"
)
_URL = re.compile(URL_PATTERN)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)
_PORT_AFTER_HOST = re.compile(r"^\d+(?:[/?#]|$)")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_INTEGER = re.compile(r"^[0-9]{1,6}$")


class RequestError(Exception):
    """Bad input: `status` is the HTTP status, the message tells the caller how to fix it.

    `field` names the request field at fault, when there is one, so a form can show the error there.
    """

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@contextmanager
def _field(name: str):
    """Errors raised inside are about the field `name`."""
    try:
        yield
    except RequestError as error:
        error.field = error.field or name
        raise


@dataclass(frozen=True)
class QrRequest:
    url: str
    format: str = "png"
    box_size: int = 10
    border: int = 4
    error_correction: str = "M"
    fill_color: str = "#000000"
    back_color: str = "#ffffff"  # or "transparent"
    module_style: str = "square"
    logo: bytes | None = field(default=None, repr=False)

    @property
    def cache_key(self) -> str:
        """sha256 of the canonical JSON of the url and every option, defaults filled in.

        The logo counts by its sha256. A square code without a logo keeps the key it had before
        styles existed, so those cache entries stay valid.
        """
        options = asdict(self)
        logo = options.pop("logo")
        if logo is not None:
            options["logo_sha256"] = hashlib.sha256(logo).hexdigest()
        if options["module_style"] == "square":
            del options["module_style"]
        canonical = json.dumps(options, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def transparent(self) -> bool:
        return self.back_color == TRANSPARENT

    @property
    def object_key(self) -> str:
        return f"qr/{self.cache_key}.{self.format}"

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]


def _int_option(name: str, value, low: int, high: int, from_query: bool) -> int:
    if from_query and isinstance(value, str) and _INTEGER.match(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"'{name}' must be a whole number from {low} to {high}.")
    if not low <= value <= high:
        raise RequestError(f"'{name}' must be from {low} to {high}, got {value}.")
    return value


def _choice_option(name: str, value, choices: list[str], normalize) -> str:
    if not isinstance(value, str) or normalize(value) not in choices:
        raise RequestError(f"'{name}' must be one of {', '.join(choices)}.")
    return normalize(value)


def _color_option(name: str, value) -> str:
    if not isinstance(value, str) or not _COLOR.match(value):
        raise RequestError(f"'{name}' must be a colour written as #rrggbb, for example #000000.")
    return value.lower()


def _luminance(color: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_url(url, error_correction: str) -> str:
    """Accept http(s) URLs and scheme-less addresses such as www.example.com; nothing else."""
    if url is None:
        raise RequestError("'url' is required: send the link to encode, for example {\"url\": \"https://example.com\"}.")
    if not isinstance(url, str):
        raise RequestError("'url' must be a string.")
    if not url.strip():
        raise RequestError("'url' must not be empty.")
    if "\ufffd" in url:
        raise RequestError(
            "'url' contains U+FFFD, the mark of bytes that were not valid UTF-8: "
            "send the link as UTF-8, percent-encoding anything else (%FF)."
        )
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in url):
        raise RequestError("'url' must not contain control characters or line breaks.")
    if any(ch.isspace() for ch in url):
        raise RequestError("'url' must not contain spaces: encode them as %20.")
    size = len(url.encode("utf-8"))
    capacity = CAPACITY_BYTES[error_correction]
    if size > capacity:
        raise RequestError(
            f"'url' is {size} bytes in UTF-8; a QR code with error correction "
            f"{error_correction} holds at most {capacity}. Shorten it or use a lower level."
        )
    match = _SCHEME.match(url)
    if match and not _PORT_AFTER_HOST.match(match.group(2)):
        scheme = match.group(1).lower()
        if scheme not in ALLOWED_SCHEMES:
            raise RequestError(f"'url' must be an http or https link; the scheme '{scheme}:' is not allowed.")
        if not match.group(2).startswith("//"):
            raise RequestError("'url' must look like https://host/path.")
        candidate = url
    else:
        if url.startswith("/"):
            raise RequestError("'url' must start with a host name, such as www.example.com.")
        candidate = "http://" + url
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise RequestError("'url' is not a valid URL: check the host name and port.") from None
    if not host:
        raise RequestError("'url' must name a host, such as www.example.com.")
    if not _URL.match(url):
        raise RequestError(
            "'url' must look like https://host/path or www.example.com/path, with a host name "
            "(no user@ part, no [IPv6] literal) and a port from 0 to 65535."
        )
    return url


OPTION_NAMES = ("format", "box_size", "border", "error_correction", "fill_color", "back_color", "module_style")
POST_ONLY = ("logo",)


def _logo_option(value) -> bytes:
    """Base64 of a small PNG or JPEG. Its pixels are checked when the code is drawn (a cache miss)."""
    if not isinstance(value, str):
        raise RequestError("'logo' must be a string: the base64 of a PNG or JPEG image.")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise RequestError("'logo' is not valid base64: send the image file's bytes base64-encoded.") from None
    if len(data) > MAX_LOGO_BYTES:
        raise RequestError(f"'logo' is {len(data)} bytes; the limit is {MAX_LOGO_BYTES} (8 KiB). Use a smaller image.")
    if not any(data.startswith(magic) for magic in LOGO_TYPES):
        raise RequestError("'logo' must be a PNG or JPEG image.")
    return data


def _colors(fields: dict, defaults: QrRequest) -> tuple[str, str]:
    """fill_color and back_color, and whether the pair scans: a fill darker than the background, by 3:1.

    Many phone scanners cannot read a light code on a dark ground, so an inverted pair is refused
    too. A transparent background is judged as the white page it most often sits on.
    """
    with _field("fill_color"):
        fill_color = _color_option("fill_color", fields.get("fill_color", defaults.fill_color))
    back_value = fields.get("back_color", defaults.back_color)
    if isinstance(back_value, str) and back_value.lower() == TRANSPARENT:
        if contrast_ratio(fill_color, "#ffffff") < MIN_CONTRAST:
            raise RequestError(
                f"fill_color {fill_color} is too light for a transparent background: on a white page its contrast "
                f"is below {MIN_CONTRAST}:1 and the code would not scan; pick a darker fill.",
                field="fill_color",
            )
        return fill_color, TRANSPARENT
    with _field("back_color"):
        back_color = _color_option("back_color", back_value)
    if contrast_ratio(fill_color, back_color) < MIN_CONTRAST:
        raise RequestError(
            f"fill_color {fill_color} and back_color {back_color} are too alike to scan "
            f"(contrast below {MIN_CONTRAST}:1); pick a darker fill or a lighter background.",
            field="fill_color",
        )
    if _luminance(fill_color) > _luminance(back_color):
        raise RequestError(
            f"fill_color {fill_color} must be darker than back_color {back_color}: many phone scanners cannot "
            "read a light code on a dark background. Swap the two colours.",
            field="fill_color",
        )
    return fill_color, back_color


def build_request(fields: dict, from_query: bool = False) -> QrRequest:
    """Validate the fields of a JSON body or query string; unknown fields are an error, not ignored."""
    allowed = ("url", *OPTION_NAMES) if from_query else ("url", *OPTION_NAMES, *POST_ONLY)
    if from_query and "logo" in fields:
        raise RequestError("'logo' can only be sent in a POST body: a query string cannot carry an image.")
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise RequestError(f"Unknown field(s): {', '.join(unknown)}. Allowed: {', '.join(allowed)}.")
    defaults = QrRequest(url="")
    with _field("logo"):
        logo = _logo_option(fields["logo"]) if fields.get("logo") is not None else None
    with _field("error_correction"):
        requested = fields.get("error_correction", defaults.error_correction)
        level = _choice_option("error_correction", requested, list(CAPACITY_BYTES), str.upper)
        if logo is not None:
            if "error_correction" in fields and level != "H":
                raise RequestError(
                    f"A logo covers part of the code, so error correction must be H (30 % may be lost); {level} "
                    "would not scan. Leave error_correction out or set it to H."
                )
            level = "H"
    with _field("url"):
        url = validate_url(fields.get("url"), level)
    fill_color, back_color = _colors(fields, defaults)
    with _field("module_style"):
        style = _choice_option(
            "module_style", fields.get("module_style", defaults.module_style), list(MIN_BOX_SIZE), str.lower
        )
    with _field("box_size"):
        box_size = _int_option("box_size", fields.get("box_size", defaults.box_size), 1, 40, from_query)
        if box_size < MIN_BOX_SIZE[style]:
            raise RequestError(
                f"module_style {style} needs a box_size of at least {MIN_BOX_SIZE[style]} pixels per module to "
                f"scan; got {box_size}."
            )
    with _field("format"):
        fmt = _choice_option("format", fields.get("format", defaults.format), list(FORMATS), str.lower)
    with _field("border"):
        border = _int_option("border", fields.get("border", defaults.border), 0, 20, from_query)
    return QrRequest(
        url=url,
        format=fmt,
        box_size=box_size,
        border=border,
        error_correction=level,
        fill_color=fill_color,
        back_color=back_color,
        module_style=style,
        logo=logo,
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


def from_body(body: str | None, is_base64: bool) -> QrRequest:
    """Parse a POST body: a JSON object, possibly base64-encoded by API Gateway."""
    if not body:
        raise RequestError("The request body is empty: send a JSON object such as {\"url\": \"https://example.com\"}.")
    if len(body) > MAX_BODY_BYTES * (2 if is_base64 else 1):
        raise RequestError(f"The request body is larger than {MAX_BODY_BYTES} bytes.", status=413)
    raw = body
    if is_base64:
        try:
            raw = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise RequestError("The request body is not valid base64-encoded UTF-8.") from None
    if len(raw.encode("utf-8", errors="surrogatepass")) > MAX_BODY_BYTES:
        raise RequestError(f"The request body is larger than {MAX_BODY_BYTES} bytes.", status=413)
    if _nested_deeper_than(raw, MAX_JSON_DEPTH):
        raise RequestError(f"The request body nests JSON more than {MAX_JSON_DEPTH} levels deep; send one flat object.")
    try:
        fields = json.loads(raw)
    except ValueError:  # JSONDecodeError, and numbers too long to convert
        raise RequestError("The request body is not valid JSON.") from None
    try:
        json.dumps(fields, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(
            "The request body contains an unpaired surrogate escape (such as \\ud800), which is not text: "
            "send characters outside the Basic Multilingual Plane as a surrogate pair or as UTF-8."
        ) from None
    if not isinstance(fields, dict):
        raise RequestError("The request body must be a JSON object such as {\"url\": \"https://example.com\"}.")
    return build_request(fields)


def from_query(multi_params: dict | None) -> QrRequest:
    """Parse GET query parameters; each may appear once."""
    params = multi_params or {}
    repeated = sorted(name for name, values in params.items() if len(values) > 1)
    if repeated:
        raise RequestError(f"Give each query parameter once; repeated: {', '.join(repeated)}.")
    return build_request({name: values[0] for name, values in params.items()}, from_query=True)

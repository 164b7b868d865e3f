"""The request's rules, written once: every field with its type, default, bounds, choices and the
error code each rule raises.

`request.py` validates from it, `payload.py` takes its body rules, `make contract` writes
website/openapi.json from it, the page's limits (config.json) come from it, and the tests compare
against it. Nothing here imports more than the standard library: the cache-hit path reads it.
"""

from dataclasses import dataclass

from qr_service import content
from qr_service.errors import SERVICE_RULES, Rule
from qr_service.symbol import DATA_CODEWORDS, capacity_bytes

# Bytes that fit in the largest QR code (version 40) per error-correction level, for an ASCII link.
CAPACITY_BYTES = {level: capacity_bytes(level) for level in DATA_CODEWORDS}
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
TRANSPARENT = "transparent"
# Module shapes and finder-pattern (eye) shapes, and the fewest pixels per module at which every code
# still scans with both zxing-cpp and zbar (tests/unit/test_styles.py finds where decoding starts to fail;
# bench/render.py measures their cost). A code needs the larger of its two.
MIN_BOX_SIZE = {"square": 2, "rounded": 2, "dots": 2}
MIN_EYE_BOX_SIZE = {"square": 2, "rounded": 2, "circle": 3}
EYE_STYLES = tuple(MIN_EYE_BOX_SIZE)
MAX_CAPTION_CHARS = 40
MAX_PNG_SIDE = 4000
MAX_LOGO_BYTES = 8 * 1024
MAX_LOGO_SIDE = 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_LEVEL = "H"
ALLOWED_SCHEMES = ("http", "https")
# WCAG 2 contrast: a ratio of relative luminances, each channel linear below this threshold.
MIN_CONTRAST = 3.0
LINEAR_THRESHOLD = 0.03928
CONTRAST_REFERENCE = "#ffffff"  # what a transparent background is judged as: the white page it most often sits on
MAX_BODY_BYTES = 16 * 1024
# A request is one flat object; deeper nesting is an attack on the parser, not a QR code.
MAX_JSON_DEPTH = 20
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"

# What a link looks like: an optional http(s) scheme, a host without user info, an optional port
# (0-65535) and anything after it but spaces, control characters and U+FFFD. The host also excludes
# the few characters whose NFKC form contains / ? # @ or :, which Python's URL parser refuses.
URL_PATTERN = (
    r"^(?:[Hh][Tt][Tt][Pp][Ss]?://)?"
    r"[^\s/?#:@\[\]\\\u0000-\u001f\u007f-\u009f\u2047-\u2049\u2100\u2101\u2105\u2106\u2a74"
    r"\ufe13\ufe16\ufe55\ufe56\ufe5f\ufe6b\uff03\uff0f\uff1a\uff1f\uff20\ufffd]+"
    r"(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:[/?#][^\s\u0000-\u001f\u007f-\u009f\ufffd]*)?$"
)


@dataclass(frozen=True)
class Field:
    """One request field as the API documents and checks it. `choices` match in any letter case."""

    name: str
    type: str  # "string", "integer", "boolean" or "object" (content)
    description: str
    rules: tuple[Rule, ...]
    default: str | int | bool | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    required: bool = False
    post_only: bool = False
    example: str | None = None
    extra_choices: tuple[str, ...] = ()  # allowed besides `pattern`, such as "transparent"
    in_image: bool = True  # False: how to answer, not what to draw (outside the cache key)

    def rule(self, code: str) -> Rule:
        """The declared rule `code`; asking for an undeclared one is a bug, caught by every test that reaches it."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(f"{self.name} declares no rule {code}")


def _range_rules(name: str) -> tuple[Rule, ...]:
    return (
        Rule(
            f"{name}.type",
            f"'{name}' must be a whole number from {{minimum}} to {{maximum}}.",
            params=("minimum", "maximum"),
        ),
        Rule(
            f"{name}.range",
            f"'{name}' must be from {{minimum}} to {{maximum}}, got {{value}}.",
            params=("minimum", "maximum", "value"),
        ),
    )


def _choice_rule(name: str) -> Rule:
    return Rule(f"{name}.choice", f"'{name}' must be one of {{choices}}.", params=("choices",))


def _color_rule(name: str) -> Rule:
    return Rule(f"{name}.format", f"'{name}' must be a colour written as #rrggbb, for example #000000.")


URL = Field(
    "url",
    "string",
    "An http or https link, or an address without a scheme (www.example.com): a host name (no user@ part, "
    "no [IPv6] literal), an optional port from 0 to 65535, then anything but spaces and control characters. "
    "Any Unicode scans back exactly. At most "
    + " / ".join(str(n) for n in CAPACITY_BYTES.values())
    + " UTF-8 bytes at error correction "
    + " / ".join(CAPACITY_BYTES)
    + ", one less when the link has a non-ASCII character (the code then declares UTF-8 with an ECI designator).",
    required=True,
    pattern=URL_PATTERN,
    min_length=1,
    max_length=max(CAPACITY_BYTES.values()),
    example="https://example.com/hello",
    rules=(
        Rule(
            "url.required",
            '\'url\' is required: send the link to encode, for example {{"url": "https://example.com"}} (or, '
            "in a POST body, 'content').",
        ),
        Rule("url.type", "'url' must be a string."),
        Rule("url.empty", "'url' must not be empty."),
        Rule(
            "url.encoding",
            "'url' contains U+FFFD, the mark of bytes that were not valid UTF-8: "
            "send the link as UTF-8, percent-encoding anything else (%FF).",
        ),
        Rule("url.control", "'url' must not contain control characters or line breaks."),
        Rule("url.space", "'url' must not contain spaces: encode them as %20."),
        Rule(
            "url.capacity",
            "'url' is {bytes} bytes in UTF-8; a QR code with error correction {error_correction} holds at most "
            "{capacity}. Shorten it or use a lower level.",
            params=("bytes", "error_correction", "capacity"),
        ),
        Rule(
            "url.scheme",
            "'url' must be an http or https link; the scheme '{scheme}:' is not allowed.",
            params=("scheme",),
        ),
        Rule("url.host", "'url' must name a host, such as www.example.com."),
        Rule("url.invalid", "'url' is not a valid URL: check the host name and port."),
        Rule(
            "url.host_not_allowed",
            "'url' links to {host}; this service encodes links to {allowed} only.",
            params=("host", "allowed"),
        ),
        Rule(
            "url.form",
            "'url' must look like https://host/path or www.example.com/path, with a host name "
            "(no user@ part, no [IPv6] literal) and a port from 0 to 65535.",
        ),
    ),
)
CONTENT = Field(
    "content",
    "object",
    "POST only, instead of `url`: what else a code can hold, an object with a `type` (wifi, vcard, email, sms, tel, "
    "geo, event, text) and that type's fields. The service writes the type's standard text, encodes it and reads "
    "it back; the answer's `text` is exactly what was encoded. Never kept in the cache table, the event or a log.",
    post_only=True,
    rules=content.RULES,
)
FORMAT = Field(
    "format",
    "string",
    "The image format, in any letter case.",
    default="png",
    choices=tuple(FORMATS),
    rules=(_choice_rule("format"),),
)
BOX_SIZE = Field(
    "box_size",
    "integer",
    f"Pixels per module. A PNG may be at most {MAX_PNG_SIDE} pixels wide, and a module style needs a "
    "box of at least "
    + ", ".join(f"{size} ({style})" for style, size in MIN_BOX_SIZE.items())
    + ", an eye style "
    + ", ".join(f"{size} ({style})" for style, size in MIN_EYE_BOX_SIZE.items())
    + " to scan.",
    default=10,
    minimum=1,
    maximum=40,
    rules=(
        *_range_rules("box_size"),
        Rule(
            "box_size.style_minimum",
            "{option} {style} needs a box_size of at least {minimum} pixels per module to scan; got {value}.",
            params=("option", "style", "minimum", "value"),
        ),
        Rule(
            "box_size.image_size",
            "The image would be {pixels} pixels wide; the limit is {limit}. Use a smaller box_size or border.",
            params=("pixels", "limit"),
        ),
    ),
)
BORDER = Field(
    "border",
    "integer",
    "Modules of quiet zone around the code.",
    default=4,
    minimum=0,
    maximum=20,
    rules=_range_rules("border"),
)
ERROR_CORRECTION = Field(
    "error_correction",
    "string",
    "How much of the code may be damaged and still scan: L 7 %, M 15 %, Q 25 %, H 30 %; in any letter case.",
    default="M",
    choices=tuple(CAPACITY_BYTES),
    rules=(
        _choice_rule("error_correction"),
        Rule(
            "error_correction.logo",
            f"A logo covers part of the code, so error correction must be {LOGO_LEVEL} (30 % may be lost); "
            f"{{level}} would not scan. Leave error_correction out or set it to {LOGO_LEVEL}.",
            params=("level",),
        ),
    ),
)
FILL_COLOR = Field(
    "fill_color",
    "string",
    f"The modules' colour, #rrggbb. It must be darker than back_color by a contrast ratio of at least "
    f"{MIN_CONTRAST:g}:1 (against white when back_color is transparent): many scanners cannot read "
    "light-on-dark codes.",
    default="#000000",
    pattern=COLOR_PATTERN,
    rules=(
        _color_rule("fill_color"),
        Rule(
            "colors.contrast",
            "fill_color {fill_color} and back_color {back_color} are too alike to scan "
            "(contrast below {minimum:g}:1); pick a darker fill or a lighter background.",
            params=("fill_color", "back_color", "minimum"),
        ),
        Rule(
            "colors.transparent_contrast",
            "fill_color {fill_color} is too light for a transparent background: on a white page its contrast "
            "is below {minimum:g}:1 and the code would not scan; pick a darker fill.",
            params=("fill_color", "minimum"),
        ),
        Rule(
            "colors.inverted",
            "fill_color {fill_color} must be darker than back_color {back_color}: many phone scanners cannot "
            "read a light code on a dark background. Swap the two colours.",
            params=("fill_color", "back_color"),
        ),
    ),
)
BACK_COLOR = Field(
    "back_color",
    "string",
    f"The background, #rrggbb, or {TRANSPARENT} (any letter case).",
    default="#ffffff",
    pattern=COLOR_PATTERN,
    extra_choices=(TRANSPARENT,),
    rules=(_color_rule("back_color"),),
)
MODULE_STYLE = Field(
    "module_style",
    "string",
    "The modules' shape, in any letter case. The finder patterns stay square.",
    default="square",
    choices=tuple(MIN_BOX_SIZE),
    rules=(_choice_rule("module_style"),),
)
LOGO = Field(
    "logo",
    "string",
    f"POST only: base64 of a PNG or JPEG, at most {MAX_LOGO_BYTES} bytes and {MAX_LOGO_SIDE}x{MAX_LOGO_SIDE} "
    f"pixels, drawn on a quiet square in the centre. Error correction is then {LOGO_LEVEL} (asking for another "
    f"level is a 400), so the url holds at most {CAPACITY_BYTES[LOGO_LEVEL]} bytes.",
    post_only=True,
    pattern=r"^[A-Za-z0-9+/]*={0,2}$",
    max_length=4 * -(-MAX_LOGO_BYTES // 3),  # base64 of the byte limit
    rules=(
        Rule("logo.type", "'logo' must be a string: the base64 of a PNG or JPEG image."),
        Rule("logo.base64", "'logo' is not valid base64: send the image file's bytes base64-encoded."),
        Rule(
            "logo.bytes",
            "'logo' is {bytes} bytes; the limit is {limit} (8 KiB). Use a smaller image.",
            params=("bytes", "limit"),
        ),
        Rule("logo.image_type", "'logo' must be a PNG or JPEG image."),
        Rule(
            "logo.dimensions",
            "'logo' is {width}x{height} pixels; the limit is {limit}x{limit}. Use a smaller image.",
            params=("width", "height", "limit"),
        ),
        Rule(
            "logo.pixels",
            "'logo' declares more pixels than {limit}x{limit}, the limit. Use a smaller image.",
            params=("limit",),
        ),
        Rule("logo.unreadable", "'logo' is not a readable PNG or JPEG image."),
        Rule("logo.in_query", "'logo' can only be sent in a POST body: a query string cannot carry an image."),
    ),
)

SIZE = Field(
    "size",
    "integer",
    f"The image's width and height in pixels, instead of box_size: modules stay whole pixels, the largest box "
    f"that fits with at least `border` modules of quiet zone; the pixels left over widen the quiet zone, centred. "
    f"A caption's band is added below. At most {MAX_PNG_SIDE}.",
    minimum=1,
    maximum=MAX_PNG_SIDE,
    rules=(
        *_range_rules("size"),
        Rule("size.with_box_size", "Give either 'size' or 'box_size', not both."),
        Rule(
            "size.too_small",
            "'size' {size} is too small for this code: {option} {style} needs at least {minimum} pixels.",
            params=("size", "option", "style", "minimum"),
        ),
    ),
)
EYE_COLOR = Field(
    "eye_color",
    "string",
    "The three finder patterns' colour, #rrggbb; fill_color when left out. The same rules as fill_color: darker "
    f"than the background by {MIN_CONTRAST:g}:1 (against white when transparent).",
    pattern=COLOR_PATTERN,
    rules=(
        _color_rule("eye_color"),
        Rule(
            "colors.eye_contrast",
            "eye_color {eye_color} and back_color {back_color} are too alike to scan (contrast below {minimum:g}:1).",
            params=("eye_color", "back_color", "minimum"),
        ),
        Rule(
            "colors.eye_transparent_contrast",
            "eye_color {eye_color} is too light for a transparent background: on a white page its contrast is "
            "below {minimum:g}:1.",
            params=("eye_color", "minimum"),
        ),
        Rule(
            "colors.eye_inverted",
            "eye_color {eye_color} must be darker than back_color {back_color}: many phone scanners cannot read a "
            "light code on a dark background.",
            params=("eye_color", "back_color"),
        ),
    ),
)
EYE_STYLE = Field(
    "eye_style",
    "string",
    "The finder patterns' ring and centre, in any letter case.",
    default="square",
    choices=EYE_STYLES,
    rules=(_choice_rule("eye_style"),),
)
CAPTION = Field(
    "caption",
    "string",
    f"Text under the code, such as Scan me: at most {MAX_CAPTION_CHARS} printable characters, in the fill "
    "colour, in DejaVu Sans (Latin, Greek and Cyrillic letters and common symbols; not Chinese, Japanese or "
    "Korean). The image grows by the caption's band; the quiet zone stays clear.",
    max_length=MAX_CAPTION_CHARS,
    rules=(
        Rule("caption.type", "'caption' must be a string."),
        Rule(
            "caption.length",
            "'caption' is {length} characters; the limit is {limit}.",
            params=("length", "limit"),
        ),
        Rule("caption.printable", "'caption' must be printable text on one line: no control characters."),
        Rule(
            "caption.glyphs",
            "'caption' has characters its font (DejaVu Sans) cannot draw: {characters}.",
            params=("characters",),
        ),
    ),
)
INLINE = Field(
    "inline",
    "boolean",
    "POST only: true adds `data_uri`, the image itself as a data: URI, beside `qr_code_url`. Not part of the "
    "image or its cache key.",
    default=False,
    post_only=True,
    in_image=False,
    rules=(Rule("inline.type", "'inline' must be true or false."),),
)

PREVIEW = Field(
    "preview",
    "boolean",
    "POST only: true draws the image and answers it as `data_uri` (read back like every image) without storing, "
    "caching or announcing it: for a live preview while options change. Counted by the same edge limits.",
    default=False,
    post_only=True,
    in_image=False,
    rules=(Rule("preview.type", "'preview' must be true or false."),),
)

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        URL,
        CONTENT,
        FORMAT,
        BOX_SIZE,
        SIZE,
        BORDER,
        ERROR_CORRECTION,
        FILL_COLOR,
        BACK_COLOR,
        EYE_COLOR,
        MODULE_STYLE,
        EYE_STYLE,
        CAPTION,
        LOGO,
        INLINE,
        PREVIEW,
    )
}
QUERY_FIELDS = tuple(name for name, f in FIELDS.items() if not f.post_only)
BODY_FIELDS = tuple(FIELDS)

# Rules about the request as a whole: its body, its query string, its set of fields.
UNKNOWN_FIELDS = Rule(
    "request.unknown_field", "Unknown field(s): {fields}. Allowed: {allowed}.", params=("fields", "allowed")
)
REPEATED_PARAMETERS = Rule("query.repeated", "Give each query parameter once; repeated: {names}.", params=("names",))
BODY_EMPTY = Rule(
    "body.empty", 'The request body is empty: send a JSON object such as {{"url": "https://example.com"}}.'
)
BODY_TOO_LARGE = Rule("body.too_large", "The request body is larger than {limit} bytes.", status=413, params=("limit",))
BODY_BASE64 = Rule("body.base64", "The request body is not valid base64-encoded UTF-8.")
BODY_DEPTH = Rule(
    "body.depth",
    "The request body nests JSON more than {limit} levels deep; send one flat object.",
    params=("limit",),
)
BODY_JSON = Rule("body.json", "The request body is not valid JSON.")
BODY_SURROGATE = Rule(
    "body.surrogate",
    "The request body contains an unpaired surrogate escape (such as \\ud800), which is not text: "
    "send characters outside the Basic Multilingual Plane as a surrogate pair or as UTF-8.",
)
BODY_NOT_OBJECT = Rule(
    "body.not_object", 'The request body must be a JSON object such as {{"url": "https://example.com"}}.'
)
REQUEST_RULES = (
    UNKNOWN_FIELDS,
    REPEATED_PARAMETERS,
    BODY_EMPTY,
    BODY_TOO_LARGE,
    BODY_BASE64,
    BODY_DEPTH,
    BODY_JSON,
    BODY_SURROGATE,
    BODY_NOT_OBJECT,
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule an answer can carry the code of: the fields', the request's and the service's."""
    return (*(rule for f in FIELDS.values() for rule in f.rules), *REQUEST_RULES, *SERVICE_RULES)


def min_box(module_style: str, eye_style: str) -> tuple[int, str, str]:
    """The fewest pixels per module a code of these styles scans at: (minimum, option, style) of the stricter."""
    return max(
        (MIN_BOX_SIZE[module_style], "module_style", module_style),
        (MIN_EYE_BOX_SIZE[eye_style], "eye_style", eye_style),
    )

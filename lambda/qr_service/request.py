"""A dict of fields (a JSON body or a query string) to a validated, canonical `QrRequest`, driven by
the rules in `fields.py`; a `RequestError` with the rule's code otherwise.

Everything here runs before any AWS call or rendering, so every 400 is decided before the cache is
asked; it imports nothing heavy (Pillow only for a request with a logo): the cache-hit path goes through it.
"""

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from qr_service import fields as F
from qr_service import symbol
from qr_service.errors import RequestError

_URL = re.compile(F.URL_PATTERN)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)
_PORT_AFTER_HOST = re.compile(r"^\d+(?:[/?#]|$)")
_COLOR = re.compile(F.COLOR_PATTERN)
_INTEGER = re.compile(r"^[0-9]{1,6}$")


def _default_str(spec: F.Field) -> str:
    assert isinstance(spec.default, str)
    return spec.default


def _default_int(spec: F.Field) -> int:
    assert isinstance(spec.default, int)
    return spec.default


@dataclass(frozen=True)
class QrRequest:
    url: str
    format: str = _default_str(F.FORMAT)
    box_size: int = _default_int(F.BOX_SIZE)
    border: int = _default_int(F.BORDER)
    error_correction: str = _default_str(F.ERROR_CORRECTION)
    fill_color: str = _default_str(F.FILL_COLOR)
    back_color: str = _default_str(F.BACK_COLOR)  # or "transparent"
    module_style: str = _default_str(F.MODULE_STYLE)
    logo: bytes | None = field(default=None, repr=False)
    size: int | None = None  # pixels; then box_size is worked out when drawing
    eye_color: str | None = None  # None: the fill colour
    eye_style: str = _default_str(F.EYE_STYLE)
    caption: str | None = None
    inline: bool = False  # how to answer, not what to draw: outside the cache key

    @property
    def cache_key(self) -> str:
        """sha256 of the canonical JSON of the url and every option, defaults filled in.

        The logo counts by its sha256. A square code without a logo keeps the key it had before
        styles existed, so those cache entries stay valid. A non-ASCII link's code gained an ECI
        designator, so its key names it: an image made without one is never served again.
        """
        options = asdict(self)
        del options["inline"]
        if not self.url.isascii():
            options["eci"] = symbol.ECI_UTF8
        logo = options.pop("logo")
        if logo is not None:
            options["logo_sha256"] = hashlib.sha256(logo).hexdigest()
        # Options at their defaults stay out, so codes made before the option existed keep their keys.
        for name, default in (("module_style", "square"), ("eye_style", "square"), ("eye_color", None)):
            if options[name] == default:
                del options[name]
        for name in ("size", "caption"):
            if options[name] is None:
                del options[name]
        if self.size is not None:
            del options["box_size"]  # worked out from size
        canonical = json.dumps(options, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def eye(self) -> str:
        return self.eye_color or self.fill_color

    @property
    def plain_shapes(self) -> bool:
        """Square modules and square eyes in the fill colour: what both writers draw the simplest way."""
        return self.module_style == "square" and self.eye_style == "square" and self.eye == self.fill_color

    @property
    def transparent(self) -> bool:
        return self.back_color == F.TRANSPARENT

    @property
    def object_key(self) -> str:
        return f"qr/{self.cache_key}.{self.format}"

    @property
    def content_type(self) -> str:
        return F.FORMATS[self.format]


def _integer(spec: F.Field, value: object, from_query: bool) -> int:
    assert spec.minimum is not None and spec.maximum is not None
    bounds = {"minimum": spec.minimum, "maximum": spec.maximum}
    if from_query and isinstance(value, str) and _INTEGER.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise spec.rule(f"{spec.name}.type").error(spec.name, **bounds)
    if not spec.minimum <= value <= spec.maximum:
        raise spec.rule(f"{spec.name}.range").error(spec.name, **bounds, value=value)
    return value


def _choice(spec: F.Field, value: object) -> str:
    """One of the field's choices, in any letter case; returned as declared."""
    if isinstance(value, str):
        for choice in spec.choices:
            if value.lower() == choice.lower():
                return choice
    raise spec.rule(f"{spec.name}.choice").error(spec.name, choices=", ".join(spec.choices))


def _boolean(spec: F.Field, value: object) -> bool:
    if not isinstance(value, bool):
        raise spec.rule(f"{spec.name}.type").error(spec.name)
    return value


def _color(spec: F.Field, value: object) -> str:
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        raise spec.rule(f"{spec.name}.format").error(spec.name)
    return value.lower()


def luminance(color: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= F.LINEAR_THRESHOLD else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate_url(url: object, error_correction: str) -> str:
    """Accept http(s) URLs and scheme-less addresses such as www.example.com; nothing else."""

    def fail(code: str, **params: str | int) -> RequestError:
        return F.URL.rule(code).error("url", **params)

    if url is None:
        raise fail("url.required")
    if not isinstance(url, str):
        raise fail("url.type")
    if not url.strip():
        raise fail("url.empty")
    if "\ufffd" in url:
        raise fail("url.encoding")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in url):
        raise fail("url.control")
    if any(ch.isspace() for ch in url):
        raise fail("url.space")
    size = len(url.encode("utf-8"))
    capacity = symbol.capacity_bytes(error_correction, url.isascii())
    if size > capacity:
        raise fail("url.capacity", bytes=size, error_correction=error_correction, capacity=capacity)
    match = _SCHEME.match(url)
    if match and not _PORT_AFTER_HOST.match(match.group(2)):
        scheme = match.group(1).lower()
        if scheme not in F.ALLOWED_SCHEMES:
            raise fail("url.scheme", scheme=scheme)
        if not match.group(2).startswith("//"):
            raise fail("url.form")
        candidate = url
    else:
        if url.startswith("/"):
            raise fail("url.host")
        candidate = "http://" + url
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise fail("url.invalid") from None
    if not host:
        raise fail("url.host")
    if not _URL.fullmatch(url):
        raise fail("url.form")
    return url


def _logo(value: object) -> bytes:
    """Base64 of a small PNG or JPEG whose pixels Pillow reads: the only rule that loads an imaging library,
    and only for a request that sends a logo, so every 400 is decided before the cache is asked."""
    if not isinstance(value, str):
        raise F.LOGO.rule("logo.type").error("logo")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise F.LOGO.rule("logo.base64").error("logo") from None
    if len(data) > F.MAX_LOGO_BYTES:
        raise F.LOGO.rule("logo.bytes").error("logo", bytes=len(data), limit=F.MAX_LOGO_BYTES)
    if not any(data.startswith(magic) for magic in F.LOGO_TYPES):
        raise F.LOGO.rule("logo.image_type").error("logo")
    from qr_service.logo import load_logo

    load_logo(data)
    return data


def _check_ink(field: F.Field, ink: str, back_color: str, codes: str) -> None:
    """An ink (the fill, or the eyes) must be darker than the background by MIN_CONTRAST.

    Many phone scanners cannot read a light code on a dark ground, so an inverted pair is refused
    too. A transparent background is judged as the white page it most often sits on. `codes` is the
    prefix of the field's three rules: colors.contrast, colors.transparent_contrast, colors.inverted
    for the fill; colors.eye_... for the eyes.
    """
    minimum = F.MIN_CONTRAST
    if back_color == F.TRANSPARENT:
        if contrast_ratio(ink, F.CONTRAST_REFERENCE) < minimum:
            raise field.rule(f"{codes}transparent_contrast").error(field.name, **{field.name: ink}, minimum=minimum)
        return
    pair = {field.name: ink, "back_color": back_color}
    if contrast_ratio(ink, back_color) < minimum:
        raise field.rule(f"{codes}contrast").error(field.name, **pair, minimum=minimum)
    if luminance(ink) > luminance(back_color):
        raise field.rule(f"{codes}inverted").error(field.name, **pair)


def _colors(fields: dict[str, object]) -> tuple[str, str]:
    """fill_color and back_color (or transparent), a pair that scans."""
    fill_color = _color(F.FILL_COLOR, fields.get("fill_color", F.FILL_COLOR.default))
    back_value = fields.get("back_color", F.BACK_COLOR.default)
    if isinstance(back_value, str) and back_value.lower() == F.TRANSPARENT:
        back_color = F.TRANSPARENT
    else:
        back_color = _color(F.BACK_COLOR, back_value)
    _check_ink(F.FILL_COLOR, fill_color, back_color, "colors.")
    return fill_color, back_color


def _eye_color(fields: dict[str, object], back_color: str) -> str | None:
    """eye_color, held to the fill's rules against the background; None when not given."""
    if fields.get("eye_color") is None:
        return None
    eye = _color(F.EYE_COLOR, fields["eye_color"])
    _check_ink(F.EYE_COLOR, eye, back_color, "colors.eye_")
    return eye


def _caption(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise F.CAPTION.rule("caption.type").error("caption")
    if len(value) > F.MAX_CAPTION_CHARS:
        raise F.CAPTION.rule("caption.length").error("caption", length=len(value), limit=F.MAX_CAPTION_CHARS)
    if not value.isprintable():
        raise F.CAPTION.rule("caption.printable").error("caption")
    return value or None


def _check_pixels(
    url: str, level: str, border: int, fmt: str, size: int | None, box_size: int, minimum: tuple[int, str, str]
) -> None:
    """The image's pixels, from the symbol's side alone: `size` must fit the style's smallest box, and a PNG
    drawn at `box_size` must stay within MAX_PNG_SIDE (an SVG has no pixel limit)."""
    version = symbol.version(len(url.encode("utf-8")), level, url.isascii())
    assert version is not None  # validate_url checked the capacity
    side = symbol.modules(version, border)
    least, option, style = minimum
    if size is not None:
        if size // side < least:
            rule = F.SIZE.rule("size.too_small")
            raise rule.error("size", size=size, option=option, style=style, minimum=side * least)
    elif fmt == "png" and side * box_size > F.MAX_PNG_SIDE:
        rule = F.BOX_SIZE.rule("box_size.image_size")
        raise rule.error("box_size", pixels=side * box_size, limit=F.MAX_PNG_SIDE)


def build_request(fields: dict[str, object], from_query: bool = False) -> QrRequest:
    """Validate the fields of a JSON body or query string; unknown fields are an error, not ignored."""
    allowed = F.QUERY_FIELDS if from_query else F.BODY_FIELDS
    if from_query and "logo" in fields:
        raise F.LOGO.rule("logo.in_query").error("logo")
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise F.UNKNOWN_FIELDS.error(fields=", ".join(unknown), allowed=", ".join(allowed))
    logo = _logo(fields["logo"]) if fields.get("logo") is not None else None
    level = _choice(F.ERROR_CORRECTION, fields.get("error_correction", F.ERROR_CORRECTION.default))
    if logo is not None:
        if "error_correction" in fields and level != F.LOGO_LEVEL:
            raise F.ERROR_CORRECTION.rule("error_correction.logo").error("error_correction", level=level)
        level = F.LOGO_LEVEL
    url = validate_url(fields.get("url"), level)
    fill_color, back_color = _colors(fields)
    eye_color = _eye_color(fields, back_color)
    style = _choice(F.MODULE_STYLE, fields.get("module_style", F.MODULE_STYLE.default))
    eye_style = _choice(F.EYE_STYLE, fields.get("eye_style", F.EYE_STYLE.default))
    size = None
    if fields.get("size") is not None:
        if fields.get("box_size") is not None:
            raise F.SIZE.rule("size.with_box_size").error("size")
        size = _integer(F.SIZE, fields["size"], from_query)
    box_size = _integer(F.BOX_SIZE, fields.get("box_size", F.BOX_SIZE.default), from_query)
    minimum, option, limiting = F.min_box(style, eye_style)
    if size is None and box_size < minimum:
        rule = F.BOX_SIZE.rule("box_size.style_minimum")
        raise rule.error("box_size", option=option, style=limiting, minimum=minimum, value=box_size)
    fmt = _choice(F.FORMAT, fields.get("format", F.FORMAT.default))
    border = _integer(F.BORDER, fields.get("border", F.BORDER.default), from_query)
    _check_pixels(url, level, border, fmt, size, box_size, (minimum, option, limiting))
    inline = _boolean(F.INLINE, fields.get("inline", F.INLINE.default))
    caption = _caption(fields.get("caption"))
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
        size=size,
        eye_color=eye_color,
        eye_style=eye_style,
        caption=caption,
        inline=inline,
    )

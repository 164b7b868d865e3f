"""A dict of fields (a JSON body or a query string) to a validated, canonical `QrRequest`, driven by
the definition in `fields.py`; a `RequestError` with the rule's code otherwise.

Each field is parsed on its own by what the definition says of it (type, choices, pattern, bounds,
default); `build_request` then applies the few rules that relate fields to each other, in a stated
order. Everything here runs before any AWS call or rendering, so every 400 is decided before the
cache is asked; it imports nothing heavy (Pillow only for a request with a logo): the cache-hit path
goes through it.
"""

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, cast
from urllib.parse import quote, urlsplit

from qr_service import content, hosts, symbol
from qr_service import fields as F
from qr_service.errors import RequestError

_URL = re.compile(F.URL_PATTERN)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)
_PORT_AFTER_HOST = re.compile(r"^\d+(?:[/?#]|$)")
_INTEGER = re.compile(r"^[0-9]{1,6}$")
# Bump when the same options draw other bytes (as the UTF-8 designator did for non-ASCII links): every
# cached image is then made anew once, instead of an old drawing being served for a day.
CACHE_KEY_VERSION = 2


def _default(name: str) -> Any:
    return F.FIELDS[name].default


@dataclass(frozen=True)
class QrRequest:
    """A valid request: one attribute per field of the definition, in its order, with its default
    (tests/unit/test_request.py holds the two equal)."""

    url: str  # what is encoded: the link, or the text built from `content`
    content: str | None = _default("content")  # the content's type (wifi, vcard, ...), None for a link
    format: str = _default("format")
    box_size: int = _default("box_size")
    size: int | None = _default("size")  # pixels; then box_size is worked out when drawing
    border: int = _default("border")
    error_correction: str = _default("error_correction")
    fill_color: str = _default("fill_color")
    back_color: str = _default("back_color")  # or "transparent"
    eye_color: str | None = _default("eye_color")  # None: the fill colour
    module_style: str = _default("module_style")
    eye_style: str = _default("eye_style")
    caption: str | None = _default("caption")
    logo: bytes | None = field(default=_default("logo"), repr=False)
    inline: bool = _default("inline")  # how to answer, not what to draw
    preview: bool = _default("preview")  # draw only: nothing stored, cached or announced

    @cached_property
    def cache_key(self) -> str:
        """sha256 of the canonical JSON of what the image is drawn from: every field the definition says is
        part of the image, the logo by its sha256, box_size left out when `size` decides it. Worked out
        once per request: the lookup, the object key, the event and every log line use it."""
        options: dict[str, object] = {
            name: value for name, value in asdict(self).items() if F.FIELDS[name].in_image and name != "logo"
        }
        options["logo"] = hashlib.sha256(self.logo).hexdigest() if self.logo is not None else None
        if self.size is not None:
            options["box_size"] = None
        options["version"] = CACHE_KEY_VERSION
        canonical = json.dumps(options, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def link(self) -> str | None:
        """The link encoded; None for content, whose text (a Wi-Fi password...) is never stored, sent or listed."""
        return self.url if self.content is None else None

    @property
    def kind(self) -> str:
        """ "link", or the content's type."""
        return self.content or "link"

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


# Each field on its own: a parser per kind of field, chosen from what the definition declares.


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


def _choice(spec: F.Field, value: object, _: bool) -> str:
    """One of the field's choices, in any letter case; returned as declared."""
    if isinstance(value, str):
        for choice in spec.choices:
            if value.lower() == choice.lower():
                return choice
    raise spec.rule(f"{spec.name}.choice").error(spec.name, choices=", ".join(spec.choices))


def _boolean(spec: F.Field, value: object, _: bool) -> bool:
    if not isinstance(value, bool):
        raise spec.rule(f"{spec.name}.type").error(spec.name)
    return value


def _patterned(spec: F.Field, value: object, _: bool) -> str:
    """A value matching the whole pattern (lower-cased, as colours are), or one of the extra choices in any case."""
    assert spec.pattern is not None
    if isinstance(value, str):
        for choice in spec.extra_choices:
            if value.lower() == choice.lower():
                return choice
        if re.fullmatch(spec.pattern, value):
            return value.lower()
    raise spec.rule(f"{spec.name}.format").error(spec.name)


def _url(spec: F.Field, url: object, _: bool) -> str:
    """An http(s) URL or a scheme-less address such as www.example.com; nothing else. Its size against the
    level's capacity is a rule between fields (build_request)."""

    def fail(code: str, **params: str | int) -> RequestError:
        return spec.rule(code).error(spec.name, **params)

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
    match = _SCHEME.match(url)
    if match and not _PORT_AFTER_HOST.match(match.group(2)):
        scheme = match.group(1).lower()
        if scheme not in F.ALLOWED_SCHEMES:
            raise fail("url.scheme", scheme=scheme)
        if not match.group(2).startswith("//"):
            raise fail("url.form")
    elif url.startswith("/"):
        raise fail("url.host")
    try:
        host = url_host(url)
    except ValueError:
        raise fail("url.invalid") from None
    if not host:
        raise fail("url.host")
    if not _URL.fullmatch(url):
        raise fail("url.form")
    return url


def absolute(url: str) -> str:
    """A link as the rules read it: a scheme-less address (www.example.com) is http://<address>."""
    match = _SCHEME.match(url)
    return url if match and not _PORT_AFTER_HOST.match(match.group(2)) else "http://" + url


# What stays as it is in a URI; anything else (spaces never pass the rules; non-ASCII letters) is %-encoded.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def as_uri(url: str) -> str:
    """A valid link as an HTTP header may carry it (a redirect's Location): absolute, the host in its ASCII
    (punycode) form, every other non-ASCII character %-encoded as UTF-8."""
    parts = urlsplit(absolute(url))
    host = parts.hostname or ""
    netloc = parts.netloc
    if not host.isascii():
        ascii_name = hosts.ascii_host(host) or host
        netloc = netloc.replace(host, ascii_name) if host in netloc else netloc.lower().replace(host, ascii_name)
    rebuilt = parts._replace(netloc=netloc).geturl()
    return quote(rebuilt, safe=_URI_SAFE)


def url_host(url: str) -> str | None:
    """The host of a link as the rules read it (`absolute`). Raises ValueError for a port that is not a number
    in range."""
    parts = urlsplit(absolute(url))
    parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    return parts.hostname


def _logo(spec: F.Field, value: object, _: bool) -> bytes:
    """Base64 of a small PNG or JPEG whose pixels Pillow reads: the only rule that loads an imaging library,
    and only for a request that sends a logo, so every 400 is decided before the cache is asked."""
    if not isinstance(value, str):
        raise spec.rule("logo.type").error(spec.name)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise spec.rule("logo.base64").error(spec.name) from None
    if len(data) > F.MAX_LOGO_BYTES:
        raise spec.rule("logo.bytes").error(spec.name, bytes=len(data), limit=F.MAX_LOGO_BYTES)
    if not any(data.startswith(magic) for magic in F.LOGO_TYPES):
        raise spec.rule("logo.image_type").error(spec.name)
    from qr_service.logo import load_logo

    load_logo(data)
    return data


def _caption(spec: F.Field, value: object, _: bool) -> str | None:
    if not isinstance(value, str):
        raise spec.rule("caption.type").error(spec.name)
    if len(value) > F.MAX_CAPTION_CHARS:
        raise spec.rule("caption.length").error(spec.name, length=len(value), limit=F.MAX_CAPTION_CHARS)
    if not value.isprintable():
        raise spec.rule("caption.printable").error(spec.name)
    if value:
        from qr_service.caption_font import missing_glyphs  # Pillow, only for a request with a caption

        if missing := missing_glyphs(value):
            raise spec.rule("caption.glyphs").error(spec.name, characters=missing)
    return value or None


Parser = Callable[[F.Field, object, bool], object]
# The fields whose rules are their own; every other field is parsed by its declared type.
_OWN_PARSERS: dict[str, Parser] = {"url": _url, "logo": _logo, "caption": _caption}


def _parser(spec: F.Field) -> Parser:
    if spec.name in _OWN_PARSERS:
        return _OWN_PARSERS[spec.name]
    if spec.choices:
        return _choice
    if spec.type == "integer":
        return _integer
    if spec.type == "boolean":
        return _boolean
    return _patterned


def parse_field(name: str, fields: dict[str, object], from_query: bool = False) -> object:
    """One field's value from its definition: its default when left out (or null, where the default is
    null), else the value parsed; a required field is parsed either way, and says it is required."""
    spec = F.FIELDS[name]
    value = fields.get(name)
    if not spec.required and (name not in fields or (value is None and spec.default is None)):
        return spec.default
    return _parser(spec)(spec, value, from_query)


# Rules between fields.


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


def _capacity(req: "QrRequest") -> None:
    text, level = req.url, req.error_correction
    size, capacity = len(text.encode("utf-8")), symbol.capacity_bytes(level, text.isascii())
    if size <= capacity:
        return
    if req.content is not None:
        rule = content.RULE["content.capacity"]
        raise rule.error("content", type=req.content, bytes=size, error_correction=level, capacity=capacity)
    raise F.URL.rule("url.capacity").error("url", bytes=size, error_correction=level, capacity=capacity)


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


def _check_pixels(req: QrRequest) -> None:
    """The image's pixels, from the symbol's side alone: `size` must fit the styles' smallest box, and a PNG
    drawn at `box_size` must stay within MAX_PNG_SIDE (an SVG has no pixel limit)."""
    version = symbol.version(len(req.url.encode("utf-8")), req.error_correction, req.url.isascii())
    assert version is not None  # the capacity rule came first
    side = symbol.modules(version, req.border)
    least, option, style = F.min_box(req.module_style, req.eye_style)
    if req.size is not None:
        if req.size // side < least:
            rule = F.SIZE.rule("size.too_small")
            raise rule.error("size", size=req.size, option=option, style=style, minimum=side * least)
    elif req.format == "png" and side * req.box_size > F.MAX_PNG_SIDE:
        rule = F.BOX_SIZE.rule("box_size.image_size")
        raise rule.error("box_size", pixels=side * req.box_size, limit=F.MAX_PNG_SIDE)


def build_request(
    fields: dict[str, object], from_query: bool = False, allowed_hosts: tuple[str, ...] = ()
) -> QrRequest:
    """Validate the fields of a JSON body or query string; unknown fields are an error, not ignored.

    First the request's shape, then each field on its own (in the definition's order), then the rules
    between fields and the deployment's, in this order:
    0. `url` or `content`, not both; the url's host is one the deployment encodes (`allowed_hosts`, ASCII
       patterns; none: any host), and with allowed hosts there is no `content`;
    1. a logo sets the error-correction level (naming another level is an error);
    2. the url (or the content's text) fits the level's capacity;
    3. `size` or `box_size`, not both;
    4. the fill, then the eyes, darker than the background;
    5. `box_size` at least the module and eye styles' minimum;
    6. the image's pixels: `size` fits that minimum box, a PNG at `box_size` at most MAX_PNG_SIDE wide.
    """
    allowed = F.QUERY_FIELDS if from_query else F.BODY_FIELDS
    if from_query and "logo" in fields:
        raise F.LOGO.rule("logo.in_query").error("logo")
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise F.UNKNOWN_FIELDS.error(fields=", ".join(unknown), allowed=", ".join(allowed))
    if "content" in fields and "url" in fields:
        raise content.RULE["content.with_url"].error("content")
    values = {name: parse_field(name, fields, from_query) for name in F.FIELDS if name not in ("url", "content")}
    if "content" in fields:
        if allowed_hosts:  # any text could carry a link to another host
            raise content.RULE["content.not_allowed"].error("content", allowed=", ".join(allowed_hosts))
        values["content"], values["url"] = content.parse(fields["content"])
    else:
        values["content"], values["url"] = None, parse_field("url", fields, from_query)
        host = url_host(cast(str, values["url"])) or ""
        if not hosts.allowed(host, allowed_hosts):
            rule = F.URL.rule("url.host_not_allowed")
            raise rule.error("url", host=hosts.ascii_host(host) or host, allowed=", ".join(allowed_hosts))
    if values["logo"] is not None:
        if "error_correction" in fields and values["error_correction"] != F.LOGO_LEVEL:
            rule = F.ERROR_CORRECTION.rule("error_correction.logo")
            raise rule.error("error_correction", level=cast(str, values["error_correction"]))
        values["error_correction"] = F.LOGO_LEVEL
    req = QrRequest(**cast(dict[str, Any], values))
    _capacity(req)
    if fields.get("size") is not None and fields.get("box_size") is not None:
        raise F.SIZE.rule("size.with_box_size").error("size")
    _check_ink(F.FILL_COLOR, req.fill_color, req.back_color, "colors.")
    if req.eye_color is not None:
        _check_ink(F.EYE_COLOR, req.eye_color, req.back_color, "colors.eye_")
    minimum, option, style = F.min_box(req.module_style, req.eye_style)
    if req.size is None and req.box_size < minimum:
        rule = F.BOX_SIZE.rule("box_size.style_minimum")
        raise rule.error("box_size", option=option, style=style, minimum=minimum, value=req.box_size)
    _check_pixels(req)
    return req

"""What a code can hold besides a link: Wi-Fi, a contact, an email, an SMS, a phone number, a place, an event or
plain text. Each type's parts are declared once (type, bounds, pattern, required), request.py checks them from
here, OpenAPI and the page follow; each type's text is written by a small pure function, to the format's own rules.

Standard library only: the cache-hit path reads it.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from qr_service.errors import RequestError, Rule

TYPE_FIELD = "type"
PHONE_PATTERN = r"^\+?[0-9][0-9 ().\-/]{0,30}$"
EMAIL_PATTERN = r"^[^@\s\x00-\x1f]{1,64}@[^@\s\x00-\x1f/?#]{1,255}$"
LINK_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f]+$"
TEXT_LIMIT = 2953  # the largest code's capacity in bytes (version 40, level L); the level's own is checked after


@dataclass(frozen=True)
class Part:
    """One field of a content type, as the API documents and checks it, and as the page labels it."""

    name: str
    type: str  # "string", "number" or "boolean"
    label: str
    description: str
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    form: str = ""  # what the pattern asks for, in words, for its error
    minimum: float | None = None
    maximum: float | None = None
    default: str | bool | None = None
    multiline: bool = False  # the page offers a text area
    required_unless: tuple[str, str] | None = None  # (part, value): required unless that part has that value


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    parts: tuple[Part, ...]
    build: Callable[[dict[str, Any]], str]
    standard: str  # the format the text follows, for the documentation


# Rules, each said of the part it concerns (`field` is its path, such as content.ssid).
RULES = (
    Rule("content.type", "'content' must be an object whose 'type' is one of {choices}.", params=("choices",)),
    Rule("content.with_url", "Give either 'url' or 'content', not both."),
    Rule(
        "content.not_allowed",
        "This service encodes links to {allowed} only: 'content' is not taken here, send 'url'.",
        params=("allowed",),
    ),
    Rule(
        "content.unknown_field",
        "'{type}' content takes {allowed}; unknown: {fields}.",
        params=("type", "allowed", "fields"),
    ),
    Rule("content.required", "'{field}' is required for {type} content.", params=("field", "type")),
    Rule("content.field_type", "'{field}' must be {expected}.", params=("field", "expected")),
    Rule(
        "content.length", "'{field}' is {length} characters; the limit is {limit}.", params=("field", "length", "limit")
    ),
    Rule("content.choice", "'{field}' must be one of {choices}.", params=("field", "choices")),
    Rule("content.format", "'{field}' must be {form}.", params=("field", "form")),
    Rule(
        "content.range",
        "'{field}' must be from {minimum} to {maximum}, got {value}.",
        params=("field", "minimum", "maximum", "value"),
    ),
    Rule("content.printable", "'{field}' must be text without control characters.", params=("field",)),
    Rule("content.nopass_password", "'content.password' must be empty when security is nopass."),
    Rule("content.event_order", "'content.end' must be after 'content.start'."),
    Rule(
        "content.capacity",
        "The {type} text is {bytes} bytes in UTF-8; a QR code with error correction {error_correction} holds at "
        "most {capacity}. Shorten it or use a lower level.",
        params=("type", "bytes", "error_correction", "capacity"),
    ),
)
RULE = {rule.code: rule for rule in RULES}


# ---- Escaping and writing -------------------------------------------------------------------------------


def wifi_escape(value: str) -> str:
    """The Wi-Fi format (ZXing's, which every phone reads) escapes \\ ; , : and " with a backslash."""
    return re.sub(r'([\\;,:"])', r"\\\1", value)


def text_escape(value: str) -> str:
    """vCard 3.0 and iCalendar TEXT: backslash, semicolon and comma escaped, line breaks as \\n."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """A content line longer than 75 octets folded (CRLF and a space), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # the continuation's leading space counts
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _lines(*lines: str) -> str:
    return "".join(fold(line) + "\r\n" for line in lines)


def phone_number(value: str) -> str:
    """Digits and a leading +: the separators people write (spaces, dots, dashes, brackets, slashes) dropped."""
    return re.sub(r"[ ().\-/]", "", value)


def _number(value: float) -> str:
    written = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if written in ("-0", "") else written


def moment(value: str) -> date | datetime:
    """An ISO 8601 date, or a date and time with or without a zone; ValueError otherwise."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?", value):
        raise ValueError(value)
    return datetime.fromisoformat(value)


def _ical(value: date | datetime, name: str) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    if value.tzinfo is None:
        return f"{name}:{value:%Y%m%dT%H%M%S}"  # floating: the reader's own time
    return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


# ---- Builders: each type's fields (checked) to its text -------------------------------------------------


def build_wifi(v: dict[str, Any]) -> str:
    security = v.get("security", "WPA")
    parts = [f"T:{security}", f"S:{wifi_escape(v['ssid'])}"]
    if security != "nopass":
        parts.append(f"P:{wifi_escape(v['password'])}")
    if v.get("hidden"):
        parts.append("H:true")
    return "WIFI:" + ";".join(parts) + ";;"


_VCARD_PROPERTIES = (
    ("organization", "ORG"),
    ("title", "TITLE"),
    ("phone", "TEL"),
    ("email", "EMAIL"),
    ("url", "URL"),
    ("address", "ADR"),
    ("note", "NOTE"),
)


def build_vcard(v: dict[str, Any]) -> str:
    name = text_escape(v["name"])
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}"]
    for part, prop in _VCARD_PROPERTIES:
        value = v.get(part)
        if not value:
            continue
        if part == "address":
            lines.append(f"ADR:;;{text_escape(value)};;;;")  # the whole address as the street part
        elif part == "phone":
            lines.append(f"TEL:{phone_number(value)}")
        elif part in ("email", "url"):
            lines.append(f"{prop}:{value}")  # not TEXT values: no escaping (their patterns allow no line break)
        else:
            lines.append(f"{prop}:{text_escape(value)}")
    lines.append("END:VCARD")
    return _lines(*lines)


def build_email(v: dict[str, Any]) -> str:
    query = [
        f"{name}={quote(v[name].replace(chr(13) + chr(10), chr(10)).replace(chr(10), chr(13) + chr(10)), safe='')}"
        for name in ("subject", "body")
        if v.get(name)
    ]
    return f"mailto:{quote(v['to'], safe='@')}" + ("?" + "&".join(query) if query else "")


def build_sms(v: dict[str, Any]) -> str:
    return f"SMSTO:{phone_number(v['number'])}:{v.get('message', '')}"


def build_tel(v: dict[str, Any]) -> str:
    return f"tel:{phone_number(v['number'])}"


def build_geo(v: dict[str, Any]) -> str:
    return f"geo:{_number(v['latitude'])},{_number(v['longitude'])}"


def build_event(v: dict[str, Any]) -> str:
    start, end = moment(v["start"]), moment(v["end"])
    if not isinstance(end, datetime):
        end = end + timedelta(days=1)  # an all-day event's DTEND is the day after its last
    lines = ["BEGIN:VEVENT", f"SUMMARY:{text_escape(v['title'])}", _ical(start, "DTSTART"), _ical(end, "DTEND")]
    if v.get("location"):
        lines.append(f"LOCATION:{text_escape(v['location'])}")
    lines.append("END:VEVENT")
    return _lines(*lines)


def build_text(v: dict[str, Any]) -> str:
    return str(v["text"])


def _text(name: str, label: str, description: str, limit: int, **more: Any) -> Part:
    return Part(name, "string", label, description, max_length=limit, **more)


_PHONE = {"pattern": PHONE_PATTERN, "form": "a phone number: digits, an optional leading +, spaces, dots or dashes"}
_EMAIL = {"pattern": EMAIL_PATTERN, "form": "an email address such as name@example.com"}
_LINK = {"pattern": LINK_PATTERN, "form": "an http or https link"}
_MOMENT = "ISO 8601: a date (2026-12-24), or a date and time (2026-12-24T18:00, with Z or +01:00 for a zone)."

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "wifi",
            "Wi-Fi",
            (
                _text("ssid", "Network name", "The network's name (SSID).", 32, required=True),
                Part(
                    "security",
                    "string",
                    "Security",
                    "WPA (also WPA2/WPA3), WEP, or nopass for an open network.",
                    choices=("WPA", "WEP", "nopass"),
                    default="WPA",
                ),
                _text(
                    "password",
                    "Password",
                    "Required unless security is nopass, and empty then.",
                    63,
                    required_unless=("security", "nopass"),
                ),
                Part(
                    "hidden",
                    "boolean",
                    "Hidden network",
                    "true when the network does not broadcast its name.",
                    default=False,
                ),
            ),
            build_wifi,
            "WIFI:T:<security>;S:<ssid>;P:<password>;H:true;; with \\ ; , : \" escaped by a backslash (ZXing's)",
        ),
        Kind(
            "vcard",
            "Contact",
            (
                _text("name", "Name", "The person's full name.", 100, required=True),
                _text("organization", "Organisation", "Company or organisation.", 100),
                _text("title", "Job title", "Job title.", 100),
                _text("phone", "Phone", "A phone number.", 32, **_PHONE),
                _text("email", "Email", "An email address.", 254, **_EMAIL),
                _text("url", "Website", "An http or https link.", 500, **_LINK),
                _text("address", "Address", "The postal address, as one text (commas allowed).", 200, multiline=True),
                _text("note", "Note", "Anything else.", 300, multiline=True),
            ),
            build_vcard,
            "vCard 3.0 (RFC 2426): CRLF line ends, TEXT values escaped, lines folded at 75 octets",
        ),
        Kind(
            "email",
            "Email",
            (
                _text("to", "To", "The address the email goes to.", 254, required=True, **_EMAIL),
                _text("subject", "Subject", "The subject.", 200),
                _text("body", "Message", "The message.", 1000, multiline=True),
            ),
            build_email,
            "mailto: (RFC 6068), subject and body percent-encoded, line breaks as %0D%0A",
        ),
        Kind(
            "sms",
            "SMS",
            (
                _text("number", "Phone number", "The number the message goes to.", 32, required=True, **_PHONE),
                _text("message", "Message", "The message.", 500, multiline=True),
            ),
            build_sms,
            "SMSTO:<number>:<message>, which ZXing-based readers and iOS fill in with the message (sms: URIs "
            "with ?body= are read inconsistently)",
        ),
        Kind(
            "tel",
            "Phone",
            (_text("number", "Phone number", "The number to call.", 32, required=True, **_PHONE),),
            build_tel,
            "tel: (RFC 3966), separators dropped",
        ),
        Kind(
            "geo",
            "Place",
            (
                Part(
                    "latitude",
                    "number",
                    "Latitude",
                    "Degrees north, -90 to 90.",
                    required=True,
                    minimum=-90,
                    maximum=90,
                ),
                Part(
                    "longitude",
                    "number",
                    "Longitude",
                    "Degrees east, -180 to 180.",
                    required=True,
                    minimum=-180,
                    maximum=180,
                ),
            ),
            build_geo,
            "geo:<latitude>,<longitude> (RFC 5870), up to 7 decimals",
        ),
        Kind(
            "event",
            "Event",
            (
                _text("title", "Title", "What the event is called.", 200, required=True),
                _text("start", "Starts", _MOMENT, 25, required=True),
                _text(
                    "end",
                    "Ends",
                    _MOMENT + " After the start (on or after it for dates); the same form.",
                    25,
                    required=True,
                ),
                _text("location", "Location", "Where it is.", 200),
            ),
            build_event,
            "an iCalendar VEVENT (RFC 5545): a date is an all-day event, a zone is written in UTC, none is local time",
        ),
        Kind(
            "text",
            "Text",
            (_text("text", "Text", "Any text; line breaks allowed.", TEXT_LIMIT, required=True, multiline=True),),
            build_text,
            "the text itself, as UTF-8",
        ),
    )
}

# Every part's path, as an error's `field` names it.
PART_PATHS = tuple(sorted({f"content.{part.name}" for kind in KINDS.values() for part in kind.parts}))


# ---- Checking -------------------------------------------------------------------------------------------


def _fail(code: str, at: str = "content", /, **params: str | int | float) -> RequestError:
    return RULE[code].error(at, **params)


def _control(value: str, multiline: bool) -> bool:
    allowed = "\n\r\t" if multiline else ""
    return any((ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and ch not in allowed for ch in value)


def _part(part: Part, value: object) -> object:
    path = f"content.{part.name}"
    if part.type == "boolean":
        if not isinstance(value, bool):
            raise _fail("content.field_type", path, field=path, expected="true or false")
        return value
    if part.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _fail("content.field_type", path, field=path, expected="a number")
        assert part.minimum is not None and part.maximum is not None
        if not part.minimum <= value <= part.maximum:
            raise _fail("content.range", path, field=path, minimum=part.minimum, maximum=part.maximum, value=value)
        return float(value)
    if not isinstance(value, str):
        raise _fail("content.field_type", path, field=path, expected="a string")
    if part.choices:
        chosen = next((c for c in part.choices if c.lower() == value.lower()), None)
        if chosen is None:
            raise _fail("content.choice", path, field=path, choices=", ".join(part.choices))
        return chosen
    if part.max_length is not None and len(value) > part.max_length:
        raise _fail("content.length", path, field=path, length=len(value), limit=part.max_length)
    if "\ufffd" in value or _control(value, part.multiline):
        raise _fail("content.printable", path, field=path)
    if part.pattern and not re.fullmatch(part.pattern, value):
        raise _fail("content.format", path, field=path, form=part.form)
    return value


def parse(content: object) -> tuple[str, str]:
    """(type, text) of a content object; a RequestError at the offending part otherwise."""
    if (
        not isinstance(content, dict)
        or not isinstance(content.get(TYPE_FIELD), str)
        or content[TYPE_FIELD] not in KINDS
    ):
        raise _fail("content.type", choices=", ".join(KINDS))
    kind = KINDS[content[TYPE_FIELD]]
    allowed = [part.name for part in kind.parts]
    unknown = sorted(set(content) - {TYPE_FIELD, *allowed})
    if unknown:
        raise _fail("content.unknown_field", type=kind.name, allowed=", ".join(allowed), fields=", ".join(unknown))
    values: dict[str, Any] = {}
    for part in kind.parts:
        value = content.get(part.name)
        if value is None or value == "":
            if part.required:
                raise _fail("content.required", f"content.{part.name}", field=f"content.{part.name}", type=kind.name)
            if part.default is not None:
                values[part.name] = part.default
            continue
        values[part.name] = _part(part, value)
    _between(kind, values)
    return kind.name, kind.build(values)


def _between(kind: Kind, values: dict[str, Any]) -> None:
    """The rules between a type's parts."""
    for part in kind.parts:
        unless = part.required_unless
        if unless and values.get(unless[0]) != unless[1] and not values.get(part.name):
            raise _fail("content.required", f"content.{part.name}", field=f"content.{part.name}", type=kind.name)
    if kind.name == "wifi" and values.get("security") == "nopass" and values.get("password"):
        raise _fail("content.nopass_password", "content.password")
    if kind.name == "event":
        moments = {}
        for name in ("start", "end"):
            try:
                moments[name] = moment(values[name])
            except ValueError:
                raise _fail("content.format", f"content.{name}", field=f"content.{name}", form=_MOMENT) from None
        start, end = moments["start"], moments["end"]
        if isinstance(start, datetime) and isinstance(end, datetime):
            if (start.tzinfo is None) != (end.tzinfo is None):
                raise _fail("content.format", "content.end", field="content.end", form="in the same form as the start")
            if end <= start:
                raise _fail("content.event_order", "content.end")
        elif isinstance(start, datetime) or isinstance(end, datetime):
            raise _fail("content.format", "content.end", field="content.end", form="in the same form as the start")
        elif end < start:
            raise _fail("content.event_order", "content.end")

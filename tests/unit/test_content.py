"""Content other than a link: each type's text against its format's own rules and corner cases, every text read
back exactly by zxing-cpp and zbar from PNG and SVG, and each bad part refused at its path."""

import io

import pytest
from support.helpers import svg_to_png

from qr_service import content
from qr_service.errors import RequestError
from qr_service.render import render
from qr_service.request import build_request
from tools.probe import decode

CASES = {
    "wifi": ({"type": "wifi", "ssid": "Home", "password": "secret123"}, "WIFI:T:WPA;S:Home;P:secret123;;"),
    "wifi escaped": (
        {"type": "wifi", "ssid": 'Café;"Guest",1:2\\', "password": "p;a:s,s", "security": "wep", "hidden": True},
        'WIFI:T:WEP;S:Café\\;\\"Guest\\"\\,1\\:2\\\\;P:p\\;a\\:s\\,s;H:true;;',
    ),
    "wifi open": ({"type": "wifi", "ssid": "Open", "security": "nopass", "password": ""}, "WIFI:T:nopass;S:Open;;"),
    "vcard": (
        {
            "type": "vcard",
            "name": "Jane Doe",
            "organization": "Example, Inc.",
            "phone": "+1 (555) 010-9999",
            "email": "jane@example.com",
            "url": "https://example.com/jane",
            "address": "1 Main St, Springfield",
        },
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Jane Doe;;;;\r\nFN:Jane Doe\r\nORG:Example\\, Inc.\r\nTEL:+15550109999\r\n"
        "EMAIL:jane@example.com\r\nURL:https://example.com/jane\r\nADR:;;1 Main St\\, Springfield;;;;\r\nEND:VCARD\r\n",
    ),
    "vcard non-ascii": (
        {"type": "vcard", "name": "Zoë Müller; Dr.", "note": "Line one\nline two"},
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Zoë Müller\\; Dr.;;;;\r\nFN:Zoë Müller\\; Dr.\r\nNOTE:Line one\\nline two\r\n"
        "END:VCARD\r\n",
    ),
    "email": (
        {"type": "email", "to": "info@example.com", "subject": "Hello & welcome", "body": "Line 1\nLine 2"},
        "mailto:info@example.com?subject=Hello%20%26%20welcome&body=Line%201%0D%0ALine%202",
    ),
    "email to only": ({"type": "email", "to": "a@b.example"}, "mailto:a@b.example"),
    "sms": (
        {"type": "sms", "number": "+44 7700 900123", "message": "See you at 8: bring snacks"},
        "SMSTO:+447700900123:See you at 8: bring snacks",
    ),
    "tel": ({"type": "tel", "number": "+1 (555) 010-9999"}, "tel:+15550109999"),
    "geo": ({"type": "geo", "latitude": 48.8584, "longitude": 2.2945}, "geo:48.8584,2.2945"),
    "geo south west": ({"type": "geo", "latitude": -33.85678, "longitude": -151}, "geo:-33.85678,-151"),
    "event with a zone": (
        {
            "type": "event",
            "title": "Launch, party",
            "start": "2026-12-24T18:00+01:00",
            "end": "2026-12-24T20:30:00Z",
            "location": "Hall 2; Berlin",
        },
        "BEGIN:VEVENT\r\nSUMMARY:Launch\\, party\r\nDTSTART:20261224T170000Z\r\nDTEND:20261224T203000Z\r\n"
        "LOCATION:Hall 2\\; Berlin\r\nEND:VEVENT\r\n",
    ),
    "event all day": (
        {"type": "event", "title": "Fair", "start": "2026-12-24", "end": "2026-12-26"},
        "BEGIN:VEVENT\r\nSUMMARY:Fair\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\nEND:VEVENT\r\n",
    ),
    "event local time": (
        {"type": "event", "title": "Talk", "start": "2026-12-24T18:00", "end": "2026-12-24T19:00"},
        "BEGIN:VEVENT\r\nSUMMARY:Talk\r\nDTSTART:20261224T180000\r\nDTEND:20261224T190000\r\nEND:VEVENT\r\n",
    ),
    "text": ({"type": "text", "text": "Hello, world!\nSecond line: ü"}, "Hello, world!\nSecond line: ü"),
}


@pytest.mark.parametrize(("body", "text"), CASES.values(), ids=CASES.keys())
def test_each_type_writes_its_standard_text(body, text):
    req = build_request({"content": body})
    assert (req.content, req.url) == (body["type"], text)


def _zbar(png: bytes) -> list[str]:
    from PIL import Image
    from pyzbar import pyzbar

    return [symbol.data.decode("utf-8") for symbol in pyzbar.decode(Image.open(io.BytesIO(png)).convert("L"))]


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize(("body", "text"), CASES.values(), ids=CASES.keys())
def test_every_text_reads_back_exactly_with_zxing_and_zbar(body, text, fmt):
    image = render(build_request({"content": body, "format": fmt, "box_size": 4}))
    png = svg_to_png(image, scale=4) if fmt == "svg" else image
    assert decode(png) == [text]
    assert _zbar(png) == [text]


def test_a_long_vcard_line_is_folded_at_75_octets_never_inside_a_character():
    note = "Grüße aus München, " * 12
    text = build_request({"content": {"type": "vcard", "name": "Ana", "note": note}}).url
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "NOTE:" + note.replace(",", "\\,") in unfolded


BAD = {
    "no type": ({"ssid": "x"}, "content", "content.type"),
    "unknown type": ({"type": "fax"}, "content", "content.type"),
    "not an object": ("WIFI:S:x;;", "content", "content.type"),
    "unknown part": ({"type": "tel", "number": "123", "extension": "4"}, "content", "content.unknown_field"),
    "missing ssid": ({"type": "wifi", "password": "x"}, "content.ssid", "content.required"),
    "missing password": ({"type": "wifi", "ssid": "Home"}, "content.password", "content.required"),
    "password with nopass": (
        {"type": "wifi", "ssid": "Open", "security": "nopass", "password": "x"},
        "content.password",
        "content.nopass_password",
    ),
    "bad security": (
        {"type": "wifi", "ssid": "H", "password": "p", "security": "WPA9"},
        "content.security",
        "content.choice",
    ),
    "hidden as text": (
        {"type": "wifi", "ssid": "H", "password": "p", "hidden": "yes"},
        "content.hidden",
        "content.field_type",
    ),
    "long ssid": ({"type": "wifi", "ssid": "x" * 33, "password": "p"}, "content.ssid", "content.length"),
    "ssid with a line break": ({"type": "wifi", "ssid": "a\nb", "password": "p"}, "content.ssid", "content.printable"),
    "bad email": ({"type": "email", "to": "not an address"}, "content.to", "content.format"),
    "bad phone": ({"type": "tel", "number": "call me"}, "content.number", "content.format"),
    "vcard link not http": ({"type": "vcard", "name": "A", "url": "javascript:x"}, "content.url", "content.format"),
    "latitude out of bounds": ({"type": "geo", "latitude": 91, "longitude": 0}, "content.latitude", "content.range"),
    "longitude as text": ({"type": "geo", "latitude": 1, "longitude": "2"}, "content.longitude", "content.field_type"),
    "end before start": (
        {"type": "event", "title": "T", "start": "2026-12-24T18:00Z", "end": "2026-12-24T17:00Z"},
        "content.end",
        "content.event_order",
    ),
    "date and time mixed": (
        {"type": "event", "title": "T", "start": "2026-12-24", "end": "2026-12-24T17:00"},
        "content.end",
        "content.format",
    ),
    "not a date": (
        {"type": "event", "title": "T", "start": "tomorrow", "end": "2026-12-24"},
        "content.start",
        "content.format",
    ),
    "empty text": ({"type": "text", "text": ""}, "content.text", "content.required"),
}


@pytest.mark.parametrize(("body", "field", "code"), BAD.values(), ids=BAD.keys())
def test_a_bad_part_is_refused_at_its_path(body, field, code):
    with pytest.raises(RequestError) as raised:
        build_request({"content": body})
    assert (raised.value.field, raised.value.code, raised.value.status) == (field, code, 400)


def test_url_and_content_together_are_refused_and_neither_asks_for_url():
    with pytest.raises(RequestError) as both:
        build_request({"url": "https://example.com", "content": {"type": "tel", "number": "123"}})
    assert (both.value.field, both.value.code) == ("content", "content.with_url")
    with pytest.raises(RequestError) as neither:
        build_request({})
    assert (neither.value.field, neither.value.code) == ("url", "url.required")


def test_content_is_post_only_and_refused_where_hosts_are_limited():
    with pytest.raises(RequestError) as query:
        build_request({"content": "x"}, from_query=True)
    assert query.value.code == "request.unknown_field"
    with pytest.raises(RequestError) as limited:
        build_request(
            {"content": {"type": "text", "text": "https://elsewhere.example"}}, allowed_hosts=("example.com",)
        )
    assert (limited.value.field, limited.value.code) == ("content", "content.not_allowed")


def test_text_over_the_levels_capacity_is_refused_with_its_numbers():
    with pytest.raises(RequestError) as raised:
        build_request({"content": {"type": "text", "text": "x" * 1300}, "error_correction": "H"})
    error = raised.value
    assert (error.field, error.code) == ("content", "content.capacity")
    assert error.params == {"type": "text", "bytes": 1300, "error_correction": "H", "capacity": 1273}


def test_every_part_is_declared_with_a_label_and_a_known_type():
    for kind in content.KINDS.values():
        assert kind.parts and kind.title and kind.standard
        for part in kind.parts:
            assert part.type in ("string", "number", "boolean") and part.label, (kind.name, part.name)
            assert part.type != "string" or part.choices or part.max_length, (kind.name, part.name)

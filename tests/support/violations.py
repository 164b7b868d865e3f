"""One request that breaks each rule of the definition, for the tests that every refusal is the same
deployed and local (test_gateway_parity.py) and decided before any AWS call (test_create_qr.py)."""

import base64
import io
import json


def _png(width: int, height: int) -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


LOGO = _png(8, 8)
LONG = "https://e.x/" + "a" * 1000
# One request that breaks each rule of the definition: a POST body, or ("GET", query).
VIOLATIONS: dict[str, object] = {
    "url.required": {},
    "url.type": {"url": 42},
    "url.empty": {"url": " "},
    "url.encoding": {"url": "x.com/\ufffd"},
    "url.control": {"url": "https://e.x/\u0000"},
    "url.space": {"url": "https://e.x/a b"},
    "url.capacity": {"url": "https://e.x/" + "a" * 2400},
    "url.scheme": {"url": "ftp://e.x/"},
    "url.host": {"url": "https://"},
    "url.invalid": {"url": "https://e.x:99999/"},
    "url.form": {"url": "https://user@e.x/"},
    "format.choice": {"url": "e.x", "format": "gif"},
    "box_size.type": {"url": "e.x", "box_size": "10"},
    "box_size.range": {"url": "e.x", "box_size": 41},
    "box_size.style_minimum": {"url": "e.x", "module_style": "dots", "box_size": 1},
    "box_size.image_size": {"url": LONG, "box_size": 40},
    "size.type": {"url": "e.x", "size": "300"},
    "size.range": {"url": "e.x", "size": 4001},
    "size.with_box_size": {"url": "e.x", "size": 300, "box_size": 5},
    "size.too_small": {"url": "e.x", "size": 40, "eye_style": "circle"},
    "eye_color.format": {"url": "e.x", "eye_color": "blue"},
    "colors.eye_contrast": {"url": "e.x", "eye_color": "#eeeeee"},
    "colors.eye_transparent_contrast": {"url": "e.x", "eye_color": "#eeeeee", "back_color": "transparent"},
    "colors.eye_inverted": {"url": "e.x", "eye_color": "#ffffff", "back_color": "#666666", "fill_color": "#000000"},
    "eye_style.choice": {"url": "e.x", "eye_style": "star"},
    "caption.type": {"url": "e.x", "caption": 7},
    "caption.length": {"url": "e.x", "caption": "x" * 41},
    "caption.printable": {"url": "e.x", "caption": "two\nlines"},
    "caption.glyphs": {"url": "e.x", "caption": "Menu 菜单"},
    "border.type": {"url": "e.x", "border": 1.5},
    "border.range": {"url": "e.x", "border": 21},
    "error_correction.choice": {"url": "e.x", "error_correction": "X"},
    "error_correction.logo": {"url": "e.x", "logo": LOGO, "error_correction": "L"},
    "fill_color.format": {"url": "e.x", "fill_color": "red"},
    "colors.contrast": {"url": "e.x", "fill_color": "#777777", "back_color": "#999999"},
    "colors.transparent_contrast": {"url": "e.x", "fill_color": "#eeeeee", "back_color": "transparent"},
    "colors.inverted": {"url": "e.x", "fill_color": "#ffffff", "back_color": "#000000"},
    "back_color.format": {"url": "e.x", "back_color": "#fff"},
    "module_style.choice": {"url": "e.x", "module_style": "hearts"},
    "logo.type": {"url": "e.x", "logo": 5},
    "logo.base64": {"url": "e.x", "logo": "!!!!"},
    "logo.bytes": {"url": "e.x", "logo": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 9000).decode()},
    "logo.image_type": {"url": "e.x", "logo": base64.b64encode(b"GIF89a....").decode()},
    "logo.dimensions": {"url": "e.x", "logo": _png(1025, 1)},
    "logo.pixels": {"url": "e.x", "logo": _png(1024, 1025)},
    "logo.unreadable": {"url": "e.x", "logo": base64.b64encode(b"\x89PNG\r\n\x1a\nbroken").decode()},
    "logo.in_query": ("GET", "url=e.x&logo=AAAA"),
    "inline.type": {"url": "e.x", "inline": "yes"},
    "preview.type": {"url": "e.x", "preview": "yes"},
    "request.unknown_field": {"url": "e.x", "colour": 3},
    "query.repeated": ("GET", "url=e.x&url=f.x"),
    "body.empty": b"",
    "body.too_large": {"url": "e.x", "pad": "a" * 20000},
    "body.depth": {"url": [[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]},
    "body.json": b"{",
    "body.surrogate": b'{"url": "x.com/\\ud800"}',
    "body.not_object": ["e.x"],
    "url.host_not_allowed": {"url": "https://other.example/"},
    "content.type": {"content": {"type": "fax"}},
    "content.with_url": {"url": "e.x", "content": {"type": "text", "text": "x"}},
    "content.not_allowed": {"content": {"type": "text", "text": "https://other.example/"}},
    "content.unknown_field": {"content": {"type": "tel", "number": "123", "extension": "4"}},
    "content.required": {"content": {"type": "tel"}},
    "content.field_type": {"content": {"type": "geo", "latitude": "1", "longitude": 2}},
    "content.length": {"content": {"type": "wifi", "ssid": "x" * 33, "password": "p"}},
    "content.choice": {"content": {"type": "wifi", "ssid": "x", "password": "p", "security": "WPA9"}},
    "content.format": {"content": {"type": "email", "to": "nobody"}},
    "content.range": {"content": {"type": "geo", "latitude": 91, "longitude": 0}},
    "content.printable": {"content": {"type": "wifi", "ssid": "a\nb", "password": "p"}},
    "content.nopass_password": {"content": {"type": "wifi", "ssid": "x", "security": "nopass", "password": "p"}},
    "content.event_order": {"content": {"type": "event", "title": "t", "start": "2026-12-24", "end": "2026-12-23"}},
    "content.capacity": {"content": {"type": "text", "text": "x" * 1300}, "error_correction": "H"},
}
# What create_qr's settings must say for a violation to be one (a deployment's qr.allowed_hosts).
SETTINGS_FOR: dict[str, dict[str, object]] = {
    "url.host_not_allowed": {"allowed_hosts": ("example.com",)},
    "content.not_allowed": {"allowed_hosts": ("example.com",)},
}


def configured(monkeypatch, code: str) -> None:
    """Give create_qr the settings the violation of `code` needs."""
    import dataclasses

    import create_qr

    monkeypatch.setattr(create_qr, "settings", dataclasses.replace(create_qr.settings, **SETTINGS_FOR.get(code, {})))


# Only API Gateway itself makes this one: a binary media type's body that is not base64 never arrives.
NOT_FROM_A_CLIENT = {"body.base64"}


def send(violation: object) -> tuple[str, str | None, bytes | None]:
    """(method, query, body bytes) of a violation."""
    if isinstance(violation, tuple):
        method, query = violation
        return method, query, None
    if isinstance(violation, bytes):
        return "POST", None, violation or None
    return "POST", None, json.dumps(violation).encode()

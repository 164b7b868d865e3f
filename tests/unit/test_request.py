"""The request declared once: QrRequest's fields, defaults and parsing come from the definition
(qr_service.fields), and its cache key from what the definition says is part of the image."""

import base64
import dataclasses
import io

import pytest
from PIL import Image

from qr_service import fields as F
from qr_service import request
from qr_service.errors import RequestError
from qr_service.request import QrRequest, build_request


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 20, 20)).save(out, "PNG")
    return out.getvalue()


# A valid value other than the default for each field, as a client sends it.
OTHER = {
    "url": "https://other.example/",
    "content": {"type": "text", "text": "a.b"},  # instead of the url: the same text, as text content
    "format": "svg",
    "box_size": 7,
    "size": 300,
    "border": 2,
    "error_correction": "Q",
    "fill_color": "#102030",
    "back_color": "transparent",
    "eye_color": "#203040",
    "module_style": "dots",
    "eye_style": "rounded",
    "caption": "Scan me",
    "logo": base64.b64encode(_png()).decode(),
    "inline": True,
    "preview": True,
}


def test_qr_request_has_one_attribute_per_field_in_order_with_its_default():
    attributes = dataclasses.fields(QrRequest)
    assert [a.name for a in attributes] == list(F.FIELDS)
    for attribute in attributes[1:]:
        assert attribute.default == F.FIELDS[attribute.name].default, attribute.name
    assert set(OTHER) == set(F.FIELDS)


def test_a_request_of_defaults_is_the_dataclass_of_defaults():
    assert build_request({"url": "a.b"}) == QrRequest("a.b")


@pytest.mark.parametrize("name", [n for n in F.FIELDS if n != "url"])
def test_every_field_that_draws_the_image_changes_the_key_and_only_those(name):
    base = {"url": "a.b", "error_correction": "H"} if name == "logo" else {"url": "a.b"}
    changed = build_request({**base, name: OTHER[name]} if name != "content" else {name: OTHER[name]})
    assert (changed.cache_key != build_request(base).cache_key) == F.FIELDS[name].in_image, name


def test_box_size_is_not_part_of_the_key_when_size_decides_it():
    assert build_request({"url": "a.b", "size": 300}).cache_key == QrRequest("a.b", size=300, box_size=3).cache_key


def test_a_new_drawing_version_changes_every_key(monkeypatch):
    before = QrRequest("a.b").cache_key
    monkeypatch.setattr(request, "CACHE_KEY_VERSION", request.CACHE_KEY_VERSION + 1)
    assert QrRequest("a.b").cache_key != before


@pytest.mark.parametrize("name", [n for n, f in F.FIELDS.items() if f.choices])
def test_a_choice_is_taken_in_any_case_and_kept_as_declared(name):
    for choice in F.FIELDS[name].choices:
        assert getattr(build_request({"url": "a.b", name: choice.swapcase()}), name) == choice
    with pytest.raises(RequestError) as refused:
        build_request({"url": "a.b", name: "nonesuch"})
    assert refused.value.code == f"{name}.choice" and refused.value.field == name


@pytest.mark.parametrize("name", [n for n, f in F.FIELDS.items() if f.type == "integer"])
def test_an_integer_is_held_to_its_declared_bounds(name):
    spec = F.FIELDS[name]
    for value, code in ((spec.minimum - 1, "range"), (spec.maximum + 1, "range"), ("7", "type"), (True, "type")):
        with pytest.raises(RequestError) as refused:
            request.parse_field(name, {name: value})
        assert refused.value.code == f"{name}.{code}", value
    assert request.parse_field(name, {name: spec.maximum}) == spec.maximum
    assert request.parse_field(name, {name: str(spec.minimum)}, from_query=True) == spec.minimum


@pytest.mark.parametrize("name", [n for n in F.FIELDS if n != "url"])
def test_null_is_left_out_where_the_default_is_null_and_refused_where_it_is_not(name):
    if F.FIELDS[name].default is None:
        assert request.parse_field(name, {name: None}) is None
    else:
        with pytest.raises(RequestError) as refused:
            request.parse_field(name, {name: None})
        assert refused.value.field == name


def test_the_rules_between_fields_come_in_their_stated_order():
    """A request that breaks several: the first of build_request's list is the one answered."""
    cases = [
        ({"logo": OTHER["logo"], "error_correction": "L", "url": "https://e.x/" + "a" * 3000}, "error_correction.logo"),
        ({"url": "https://e.x/" + "a" * 3000, "size": 300, "box_size": 5}, "url.capacity"),
        ({"size": 300, "box_size": 5, "fill_color": "#eeeeee"}, "size.with_box_size"),
        ({"fill_color": "#eeeeee", "module_style": "dots", "box_size": 1}, "colors.contrast"),
        ({"module_style": "dots", "box_size": 1}, "box_size.style_minimum"),
        ({"size": 40, "eye_style": "circle"}, "size.too_small"),
    ]
    for fields, code in cases:
        with pytest.raises(RequestError) as refused:
            build_request({"url": "e.x", **fields})
        assert refused.value.code == code, fields


def test_the_cache_key_is_worked_out_once_per_request():
    """The lookup, the object key, the event and each log line ask for it; a property would hash the logo each time."""
    req = build_request({"url": "a.b", "logo": OTHER["logo"]})
    assert req.cache_key is req.cache_key
    assert req.object_key == f"qr/{req.cache_key}.png"


def test_a_logo_is_decoded_once_for_the_validator_and_the_drawing(monkeypatch):
    from PIL import Image

    from qr_service import logo
    from qr_service.render import render

    opened = []
    real_open = Image.open
    monkeypatch.setattr(logo.Image, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, "PNG")  # a logo no other test sends: not yet decoded
    req = build_request({"url": "a.b", "logo": base64.b64encode(out.getvalue()).decode()})
    render(req)
    render(dataclasses.replace(req, format="svg"))
    assert len(opened) == 1

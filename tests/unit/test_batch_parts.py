"""A batch's parts that need no AWS: its shape, each item's fields, the ZIP's file names, its manifest (never a
content item's text) and the ZIP itself (the same images, the same bytes)."""

import csv
import io
import zipfile

import pytest

from qr_service import batch
from qr_service.errors import RequestError
from qr_service.request import build_request


@pytest.mark.parametrize("items", [None, [], "x", [{}] * (batch.MAX_ITEMS + 1)], ids=["none", "empty", "text", "101"])
def test_a_batch_holds_1_to_100_items(items):
    with pytest.raises(RequestError) as raised:
        batch.parse({"items": items} if items is not None else {})
    assert (raised.value.code, raised.value.field, raised.value.params) == ("batch.items", "items", {"maximum": 100})


def test_100_items_and_a_shared_style_are_taken_and_what_to_encode_is_not_shared():
    shared, items = batch.parse({"items": [{"url": "e.x"}] * 100, "module_style": "dots"})
    assert shared == {"module_style": "dots"} and len(items) == 100
    for field in ("url", "content", "inline", "preview", "colour"):
        with pytest.raises(RequestError) as raised:
            batch.parse({"items": [{"url": "e.x"}], field: "x"})
        assert raised.value.code == "request.unknown_field", field


def test_an_item_is_the_shared_style_then_its_own_and_a_bad_item_fails_alone():
    shared = {"module_style": "dots", "fill_color": "#112233"}
    name, fields = batch.item_fields(shared, 0, {"url": "e.x/menu", "name": "Menu", "fill_color": "#000000"})
    assert name == "Menu" and fields == {"module_style": "dots", "fill_color": "#000000", "url": "e.x/menu"}
    assert build_request(fields).module_style == "dots"
    for index, item, code, field in (
        (3, "e.x", "batch.item", "items"),
        (4, {"name": 5}, "batch.name", "name"),
    ):
        with pytest.raises(RequestError) as raised:
            batch.item_fields(shared, index, item)
        assert (raised.value.code, raised.value.field) == (code, field)


def test_files_are_named_from_the_name_the_link_or_the_type_and_never_twice():
    bases = [
        batch.base_name("Menu: lunch/dinner", "https://e.x/a", "link"),
        batch.base_name(None, "https://www.example.com/menu?x=1", "link"),
        batch.base_name(None, "www.example.com/menu", "link"),
        batch.base_name(None, None, "wifi"),
        batch.base_name("", None, "wifi"),
        batch.base_name("manifest", None, "text"),
    ]
    assert bases == ["Menu-lunch-dinner", "www.example.com-menu", "www.example.com-menu", "wifi", "wifi", "manifest"]
    assert batch.unique_names([(base, "png") for base in bases]) == [
        "Menu-lunch-dinner.png",
        "www.example.com-menu.png",
        "www.example.com-menu-2.png",
        "wifi.png",
        "wifi-2.png",
        "manifest.png",
    ]
    assert batch.unique_names([("manifest", "csv")]) == ["manifest-2.csv"]  # the manifest's own name is taken
    assert batch.unique_names([("menu", "png"), ("menu", "svg")]) == ["menu.png", "menu.svg"]


def test_an_item_is_at_most_max_side_pixels_wide():
    batch.check_side(build_request({"url": "e.x", "size": batch.MAX_SIDE}))
    with pytest.raises(RequestError) as raised:
        batch.check_side(build_request({"url": "e.x", "size": batch.MAX_SIDE + 1}))
    assert (raised.value.code, raised.value.field) == ("batch.image_size", "size")
    with pytest.raises(RequestError) as raised:
        batch.check_side(build_request({"url": "e.x", "box_size": 40}))  # 29 modules x 40
    assert raised.value.params == {"pixels": 29 * 40, "limit": batch.MAX_SIDE}


def test_the_zip_holds_the_images_and_a_manifest_without_any_contents_text_and_is_the_same_each_time():
    rows = [
        batch.Row(0, "Menu", "Menu.png", "link", "https://e.x/menu", "https://d.example/qr/a.png", ""),
        batch.Row(1, "", "wifi.png", "wifi", "", "https://d.example/qr/b.png", ""),
        batch.Row(2, "", "", "link", "ftp://e.x", "", "url.scheme"),
    ]
    files = [("Menu.png", b"\x89PNG menu"), ("wifi.png", b"\x89PNG wifi")]
    made = batch.zip_of(files, rows)
    assert batch.zip_of(files, rows) == made
    archive = zipfile.ZipFile(io.BytesIO(made))
    assert archive.namelist() == ["Menu.png", "wifi.png", "manifest.csv"]
    assert archive.read("wifi.png") == b"\x89PNG wifi"
    lines = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode())))
    assert lines == [
        ["index", "name", "file", "type", "url", "qr_code_url", "error"],
        ["0", "Menu", "Menu.png", "link", "https://e.x/menu", "https://d.example/qr/a.png", ""],
        ["1", "", "wifi.png", "wifi", "", "https://d.example/qr/b.png", ""],
        ["2", "", "", "link", "ftp://e.x", "", "url.scheme"],
    ]

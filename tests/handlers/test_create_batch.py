"""POST /qr/batch against moto: each item made (or found) as POST /qr would, a bad one failing alone, and one ZIP
of the images made, with a manifest, stored beside them; 100 items taken, 101 refused, content kept out of it."""

import csv
import io
import zipfile

import boto3
import pytest
from support.helpers import bucket_keys, call

import create_qr
from qr_service import batch
from tools.probe import decode


def post_batch(context, body):
    return call(create_qr, context, body=body, path="/qr/batch")


def stored_zip(aws, zip_url: str) -> zipfile.ZipFile:
    key = zip_url.split("/", 3)[3]
    data = boto3.client("s3").get_object(Bucket=aws.bucket, Key=key)
    assert data["ContentType"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(data["Body"].read()))


def test_good_and_bad_items_each_get_their_answer_and_the_zip_holds_the_made_ones(aws, lambda_context):
    body = {
        "module_style": "rounded",
        "items": [
            {"url": "https://example.com/menu", "name": "Menu"},
            {"url": "ftp://example.com/"},
            {"url": "https://example.com/menu", "format": "svg", "name": "Menu"},
            {"content": {"type": "wifi", "ssid": "Cafe", "password": "s3cret-pass"}},
            "not an object",
            {"url": "www.example.com/menu", "size": batch.MAX_SIDE + 1},
        ],
    }
    status, _, answer = post_batch(lambda_context, body)
    assert status == 200, answer
    results = answer["results"]
    assert [r["index"] for r in results] == list(range(6))
    assert [r.get("error", {}).get("code") for r in results] == [
        None,
        "url.scheme",
        None,
        None,
        "batch.item",
        "batch.image_size",
    ]
    assert results[1]["error"]["field"] == "url" and results[4]["error"]["field"] == "items"
    assert results[3]["text"] == "WIFI:T:WPA;S:Cafe;P:s3cret-pass;;"
    assert answer["message"] == "3 of 6 made."

    archive = stored_zip(aws, answer["zip_url"])
    assert archive.namelist() == ["Menu.png", "Menu.svg", "wifi.png", "manifest.csv"]
    assert decode(archive.read("Menu.png")) == ["https://example.com/menu"]
    assert decode(archive.read("wifi.png")) == ["WIFI:T:WPA;S:Cafe;P:s3cret-pass;;"]
    manifest = archive.read("manifest.csv").decode()
    assert "s3cret-pass" not in manifest and "Cafe" not in manifest  # content's text never in the bucket's files
    rows = list(csv.DictReader(io.StringIO(manifest)))
    assert [(r["index"], r["file"], r["type"], r["url"], r["error"]) for r in rows] == [
        ("0", "Menu.png", "link", "https://example.com/menu", ""),
        ("1", "", "", "", "url.scheme"),
        ("2", "Menu.svg", "link", "https://example.com/menu", ""),
        ("3", "wifi.png", "wifi", "", ""),
        ("4", "", "", "", "batch.item"),
        ("5", "", "", "", "batch.image_size"),
    ]
    assert rows[0]["qr_code_url"] == results[0]["qr_code_url"]


def test_a_batch_item_is_found_in_the_cache_like_a_single_request(aws, lambda_context):
    status, _, single = call(create_qr, lambda_context, body={"url": "https://example.com/once", "size": 300})
    assert status == 200
    status, _, answer = post_batch(lambda_context, {"size": 300, "items": [{"url": "https://example.com/once"}]})
    assert answer["results"][0]["qr_code_url"] == single["qr_code_url"]
    assert [k for k in bucket_keys(aws) if k.endswith(".png")] == [single["qr_code_url"].split("/", 3)[3]]


def test_100_items_are_taken_and_101_are_a_400_that_makes_nothing(aws, lambda_context):
    items = [{"url": f"https://example.com/{i}", "size": 120} for i in range(batch.MAX_ITEMS)]
    status, _, answer = post_batch(lambda_context, {"items": items})
    assert status == 200 and answer["message"] == "100 of 100 made."
    assert len(stored_zip(aws, answer["zip_url"]).namelist()) == 101
    before = sorted(bucket_keys(aws))
    status, _, refused = post_batch(lambda_context, {"items": [*items, {"url": "https://example.com/more"}]})
    assert (status, refused["code"], refused["field"]) == (400, "batch.items", "items")
    assert sorted(bucket_keys(aws)) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "batch.items"),
        ({"items": []}, "batch.items"),
        ({"items": [{"url": "e.x"}], "url": "e.x"}, "request.unknown_field"),
    ],
    ids=["no items", "empty", "a url beside the items"],
)
def test_a_bad_batch_is_a_400(aws, lambda_context, body, code):
    status, _, answer = post_batch(lambda_context, body)
    assert (status, answer["code"]) == (400, code)
    assert bucket_keys(aws) == []


def test_nothing_made_means_no_zip(aws, lambda_context):
    status, _, answer = post_batch(lambda_context, {"items": [{"url": "ftp://x"}]})
    assert status == 200 and answer["zip_url"] is None and answer["message"] == "0 of 1 made."
    assert bucket_keys(aws) == []


def test_a_failing_bucket_fails_each_item_with_the_storage_error_and_makes_no_zip(aws, lambda_context):
    boto3.client("s3").delete_bucket(Bucket=aws.bucket)
    status, _, answer = post_batch(lambda_context, {"items": [{"url": "https://a.example"}, {"url": "ftp://b"}]})
    assert status == 200 and answer["zip_url"] is None and answer["message"] == "0 of 2 made."
    assert [r["error"]["code"] for r in answer["results"]] == ["service.storage", "url.scheme"]


def test_a_zip_that_cannot_be_stored_leaves_the_made_images_and_says_so(aws, lambda_context, monkeypatch):
    from qr_service import storage

    put = storage.put_image

    def images_only(bucket, key, body, content_type, max_age):
        if key.endswith(".zip"):
            raise RuntimeError("injected")
        put(bucket, key, body, content_type, max_age)

    monkeypatch.setattr(storage, "put_image", images_only)
    status, _, answer = post_batch(lambda_context, {"items": [{"url": "https://zip-down.example"}]})
    assert status == 200 and answer["message"] == "1 of 1 made." and answer["zip_url"] is None
    assert answer["zip_error"]["code"] == "service.storage"
    assert "qr_code_url" in answer["results"][0] and not [k for k in bucket_keys(aws) if k.endswith(".zip")]


def test_an_item_that_does_not_read_back_fails_alone_with_the_render_error(aws, lambda_context, monkeypatch):
    """One item's drawing forced wrong (every module light): it gets render.unreadable, the other is made."""
    from qr_service import render

    real = render.png.draw

    def blank_for_one(req, matrix):
        if req.url == "https://unreadable.example":
            matrix = [[False] * len(row) for row in matrix]
        return real(req, matrix)

    monkeypatch.setattr(render.png, "draw", blank_for_one)
    items = [{"url": "https://unreadable.example"}, {"url": "https://fine.example"}]
    status, _, answer = post_batch(lambda_context, {"items": items})
    assert status == 200 and answer["message"] == "1 of 2 made."
    assert answer["results"][0]["error"]["code"] == "render.unreadable"
    assert "qr_code_url" in answer["results"][1] and answer["zip_url"]
    assert len([k for k in bucket_keys(aws) if not k.endswith(".zip")]) == 1  # the unreadable one was not stored

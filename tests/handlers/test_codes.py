"""Dynamic codes against moto: /codes for any valid key (each key its own codes, the admin all), /c/{id} for
anyone: a 302 to the current target, counted per day as a person or a bot and per country, and nothing else
about the viewer kept."""

import json
import re
from datetime import UTC, datetime

import boto3
import manage_codes
import manage_keys
import pytest
import redirect
from support.helpers import call

from local import emulation
from qr_service import codes
from qr_service.aws import client

ADMIN = {"X-API-Key": emulation.ADMIN_KEY}
BASE = "https://d111111abcdef8.cloudfront.net"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"


def codes_call(context, method, path="/codes", key=ADMIN, body=None, query=""):
    return call(manage_codes, context, method=method, path=path, body=body, headers=key, query=query)


def make(context, key=ADMIN, **body):
    status, _, code = codes_call(context, "POST", key=key, body={"target": "https://example.com/menu", **body})
    assert status == 201, code
    return code


def scan(context, code_id, method="GET", **headers):
    return call(redirect, context, method=method, path=f"/c/{code_id}", headers=headers)


def a_key(context, name="team") -> dict:
    status, _, created = call(manage_keys, context, method="POST", path="/keys", body={"name": name}, headers=ADMIN)
    assert status == 201
    return {"X-API-Key": created["key"]}


def test_a_new_code_has_a_random_short_link_its_images_and_its_style(aws, lambda_context):
    code = make(lambda_context, fill_color="#112233", module_style="rounded")
    assert re.fullmatch(r"[A-Za-z0-9_-]{8}", code["id"])
    assert code["short_url"] == f"{BASE}/c/{code['id']}"
    assert (code["png_url"], code["svg_url"]) == (code["short_url"] + ".png", code["short_url"] + ".svg")
    assert code["target"] == "https://example.com/menu" and code["active"] is True
    assert code["style"] == {"fill_color": "#112233", "module_style": "rounded"}
    assert make(lambda_context)["id"] != code["id"]


def test_a_scan_is_sent_to_the_target_and_never_cached(aws, lambda_context):
    code = make(lambda_context)
    status, headers, body = scan(lambda_context, code["id"], **{"User-Agent": PHONE})
    assert (status, headers["Location"], headers["Cache-Control"]) == (302, "https://example.com/menu", "no-store")
    assert not body


def test_an_edited_target_is_followed_at_the_next_scan(aws, lambda_context):
    code = make(lambda_context)
    status, _, changed = codes_call(
        lambda_context, "PATCH", f"/codes/{code['id']}", body={"target": "www.example.org/ü"}
    )
    assert status == 200 and changed["target"] == "www.example.org/ü" and changed["short_url"] == code["short_url"]
    assert scan(lambda_context, code["id"])[1]["Location"] == "http://www.example.org/%C3%BC"


def test_switched_off_or_deleted_is_410_and_unknown_is_404_in_plain_words_for_people(aws, lambda_context):
    code = make(lambda_context)
    assert codes_call(lambda_context, "PATCH", f"/codes/{code['id']}", body={"active": False})[2]["active"] is False
    status, headers, page = scan(lambda_context, code["id"], Accept="text/html,application/xhtml+xml")
    assert status == 410 and headers["Content-Type"].startswith("text/html") and "switched off" in page
    assert headers["Cache-Control"] == "no-store" and "default-src 'none'" in headers["Content-Security-Policy"]
    assert scan(lambda_context, code["id"])[2]["code"] == "link.gone"
    codes_call(lambda_context, "PATCH", f"/codes/{code['id']}", body={"active": True})
    assert scan(lambda_context, code["id"])[0] == 302
    assert codes_call(lambda_context, "DELETE", f"/codes/{code['id']}")[0] == 204
    assert scan(lambda_context, code["id"])[:3:2] == (
        410,
        {"message": scan(lambda_context, code["id"])[2]["message"], "code": "link.gone"},
    )
    assert codes_call(lambda_context, "GET", f"/codes/{code['id']}")[0] == 404
    assert codes_call(lambda_context, "GET")[2]["codes"] == []
    status, _, page = scan(lambda_context, "AAAAAAAA", Accept="text/html")
    assert status == 404 and "No such QR code" in page
    assert scan(lambda_context, "AAAAAAAA")[2]["code"] == "link.not_found"
    assert scan(lambda_context, "not-an-id-at-all")[2]["code"] == "link.not_found"


def test_people_bots_and_countries_are_counted_exactly_and_head_is_not(aws, lambda_context):
    code = make(lambda_context)
    for _ in range(3):
        scan(lambda_context, code["id"], **{"User-Agent": PHONE, "CloudFront-Viewer-Country": "DE"})
    scan(lambda_context, code["id"], **{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"})
    scan(lambda_context, code["id"], **{"User-Agent": "facebookexternalhit/1.1", "CloudFront-Viewer-Country": "us"})
    scan(lambda_context, code["id"])  # no user agent: a program
    for _ in range(2):
        assert scan(lambda_context, code["id"], "HEAD", **{"User-Agent": PHONE})[0] == 302
    status, _, read = codes_call(lambda_context, "GET", f"/codes/{code['id']}")
    today = datetime.now(UTC).date().isoformat()
    assert status == 200 and read["scans"] == {
        "total": 3,
        "bots": 3,
        "days": [{"date": today, "scans": 3, "bots": 3}],
        "countries": {"DE": 3, "US": 1, "unknown": 2},
    }


def test_no_address_user_agent_or_referrer_is_ever_stored(aws, lambda_context):
    code = make(lambda_context)
    marks = {"User-Agent": "DistinctiveAgent/9.9 probe-4242", "Referer": "https://referrer-4242.example/"}
    scan(lambda_context, code["id"], **marks, **{"X-Forwarded-For": "203.0.113.77", "CloudFront-Viewer-Country": "NL"})
    items = boto3.client("dynamodb").scan(TableName=aws.codes_table)["Items"]
    assert len(items) == 2  # the code and today's counters: no row per scan
    text = json.dumps(items)
    for mark in ("DistinctiveAgent", "probe-4242", "referrer-4242", "203.0.113.77", "127.0.0.1"):
        assert mark not in text, mark


def test_a_counter_that_fails_never_fails_the_scan(aws, lambda_context, monkeypatch):
    code = make(lambda_context)
    lost = []
    monkeypatch.setattr(redirect, "count", lambda metric: lost.append(metric))

    def broken(**_):
        raise client("dynamodb").exceptions.ProvisionedThroughputExceededException(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "UpdateItem"
        )

    monkeypatch.setattr(client("dynamodb"), "update_item", broken)
    status, headers, _ = scan(lambda_context, code["id"], **{"User-Agent": PHONE})
    assert (status, headers["Location"]) == (302, "https://example.com/menu")
    assert "ScansLost" in lost


def test_each_key_sees_only_its_own_codes_and_the_admin_sees_all(aws, lambda_context):
    mine, theirs = a_key(lambda_context, "mine"), a_key(lambda_context, "theirs")
    my_code, their_code = make(lambda_context, key=mine), make(lambda_context, key=theirs)
    assert [c["id"] for c in codes_call(lambda_context, "GET", key=mine)[2]["codes"]] == [my_code["id"]]
    for method, body in (("GET", None), ("PATCH", {"active": False}), ("DELETE", None)):
        status, _, answer = codes_call(lambda_context, method, f"/codes/{their_code['id']}", key=mine, body=body)
        assert (status, answer["code"]) == (404, "code.not_found"), method  # not told apart from no code at all
    assert scan(lambda_context, their_code["id"])[0] == 302  # untouched
    assert {c["id"] for c in codes_call(lambda_context, "GET")[2]["codes"]} == {my_code["id"], their_code["id"]}


def test_no_key_or_a_bad_one_is_401_and_makes_nothing(aws, lambda_context):
    for key, code in (({}, "auth.missing"), ({"X-API-Key": "nope"}, "auth.invalid")):
        status, _, answer = codes_call(lambda_context, "POST", key=key, body={"target": "https://x.example"})
        assert (status, answer["code"]) == (401, code)
        assert codes_call(lambda_context, "GET", key=key)[0] == 401
    assert boto3.client("dynamodb").scan(TableName=aws.codes_table)["Items"] == []


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"target": "ftp://example.com"}, "target", "url.scheme"),
        ({}, "target", "url.required"),
        ({"target": ""}, "target", "url.empty"),
        ({"target": "https://example.com", "box_size": 41}, "box_size", "box_size.range"),
        ({"target": "https://example.com", "fill_color": "#ffffff"}, "fill_color", "colors.contrast"),
        ({"target": "https://example.com", "url": "https://other.example"}, None, "request.unknown_field"),
    ],
)
def test_a_bad_new_code_is_a_400_at_its_field_and_makes_nothing(aws, lambda_context, body, field, code):
    status, _, answer = codes_call(lambda_context, "POST", body=body)
    assert (status, answer["code"], answer.get("field")) == (400, code, field), answer
    if field == "target":
        assert "'target'" in answer["message"] and "'url'" not in answer["message"]
    assert codes_call(lambda_context, "GET")[2]["codes"] == []


def test_targets_follow_allowed_hosts(aws, lambda_context, monkeypatch):
    from qr_service import config

    monkeypatch.setattr(manage_codes, "allowed_hosts", lambda: ("example.com",))
    status, _, answer = codes_call(lambda_context, "POST", body={"target": "https://phish.example/"})
    assert (status, answer["code"], answer["field"]) == (400, "url.host_not_allowed", "target")
    assert make(lambda_context)["target"] == "https://example.com/menu"
    status, _, answer = codes_call(
        lambda_context, "PATCH", f"/codes/{make(lambda_context)['id']}", body={"target": "https://phish.example/"}
    )
    assert (status, answer["field"]) == (400, "target")
    assert config.allowed_hosts() == ()  # the environment's own setting was not touched


@pytest.mark.parametrize(
    ("body", "code"),
    [({}, "request.unknown_field"), ({"owner": "me"}, "request.unknown_field"), ({"active": "no"}, "active.type")],
)
def test_a_bad_change_is_a_400_and_changes_nothing(aws, lambda_context, body, code):
    made = make(lambda_context)
    status, _, answer = codes_call(lambda_context, "PATCH", f"/codes/{made['id']}", body=body)
    assert (status, answer["code"]) == (400, code)
    assert scan(lambda_context, made["id"])[1]["Location"] == "https://example.com/menu"


def test_the_list_comes_a_page_at_a_time_with_a_next_token(aws, lambda_context, monkeypatch):
    monkeypatch.setattr(codes, "PAGE_LIMIT", 2)
    made = {make(lambda_context)["id"] for _ in range(5)}
    seen, token, pages = set(), None, 0
    while True:
        status, _, page = codes_call(lambda_context, "GET", query=f"next={token}" if token else "")
        assert status == 200 and len(page["codes"]) <= 2
        seen |= {c["id"] for c in page["codes"]}
        pages += 1
        token = page["next"]
        if not token:
            break
    assert seen == made and pages >= 3
    status, _, answer = codes_call(lambda_context, "GET", query="next=not-a-token")
    assert (status, answer["code"], answer["field"]) == (400, "next.invalid", "next")


def test_a_codes_image_holds_its_short_link_in_its_style_and_stays_when_the_target_changes(aws, lambda_context):
    import create_qr
    from tools.probe import decode

    code = make(lambda_context, fill_color="#1a3d7c", module_style="rounded")

    def image(kind):
        path = f"/img/c/{code['id']}.{kind}"
        return call(create_qr, lambda_context, method="GET", path=path)

    status, headers, png = image("png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"].startswith("public, max-age=")
    assert decode(png) == [code["short_url"]]
    assert image("svg")[1]["Content-Type"] == "image/svg+xml"
    codes_call(lambda_context, "PATCH", f"/codes/{code['id']}", body={"target": "https://example.com/other"})
    assert image("png")[2] == png
    assert call(create_qr, lambda_context, method="GET", path="/img/c/AAAAAAAA.png")[2]["code"] == "link.not_found"
    assert call(create_qr, lambda_context, method="GET", path=f"/img/c/{code['id']}.gif")[0] == 404
    codes_call(lambda_context, "DELETE", f"/codes/{code['id']}")
    assert image("png")[:3:2] == (410, {"message": image("png")[2]["message"], "code": "link.gone"})


def test_a_codes_image_is_public_even_where_qr_needs_a_key(aws, lambda_context, monkeypatch):
    import create_qr

    code = make(lambda_context)
    monkeypatch.setattr(
        create_qr, "settings", create_qr.settings.__class__(**{**create_qr.settings.__dict__, "key_required": True})
    )
    status, headers, _ = call(create_qr, lambda_context, method="GET", path=f"/img/c/{code['id']}.png")
    assert status == 200 and headers["Cache-Control"].startswith("public, max-age=")


def _failing(operation):
    def fail(**_):
        raise client("dynamodb").exceptions.ClientError(
            {"Error": {"Code": "InternalServerError", "Message": "down"}}, operation
        )

    return fail


@pytest.mark.parametrize(
    ("operation", "method", "path", "body"),
    [
        ("put_item", "POST", "/codes", {"target": "https://example.com/x"}),
        ("query", "GET", "/codes/{id}", None),  # the scans
        ("scan", "GET", "/codes", None),  # the admin's list
        ("update_item", "PATCH", "/codes/{id}", {"active": False}),
    ],
)
def test_a_codes_table_that_fails_is_a_503_and_counted(aws, lambda_context, monkeypatch, operation, method, path, body):
    made = make(lambda_context)
    counted = []
    monkeypatch.setattr(codes, "count", lambda metric: counted.append(metric))
    monkeypatch.setattr(client("dynamodb"), operation, _failing(operation))
    status, _, answer = codes_call(lambda_context, method, path.format(id=made["id"]), body=body)
    assert (status, answer["code"]) == (503, "service.codes")
    assert counted == ["CodeStoreFailures"]
    monkeypatch.undo()
    assert scan(lambda_context, made["id"])[1]["Location"] == "https://example.com/menu"  # nothing changed


def test_a_link_whose_code_cannot_be_read_is_a_503_not_a_404(aws, lambda_context, monkeypatch):
    made = make(lambda_context)
    monkeypatch.setattr(client("dynamodb"), "get_item", _failing("GetItem"))
    status, _, answer = scan(lambda_context, made["id"])
    assert (status, answer["code"]) == (503, "service.codes")


def test_the_list_gives_each_codes_last_30_days_and_no_older_day(aws, lambda_context):
    """The owner's view draws its chart from the list: one query per code, from 29 days ago to today."""
    from datetime import timedelta

    code = make(lambda_context)
    for _ in range(2):
        scan(lambda_context, code["id"], **{"User-Agent": PHONE})
    scan(lambda_context, code["id"], **{"User-Agent": "Googlebot/2.1"})
    today = datetime.now(UTC).date()
    for age, people in ((codes.RECENT_DAYS - 1, 4), (codes.RECENT_DAYS, 100)):  # the first day shown, the day before
        boto3.client("dynamodb").put_item(
            TableName=aws.codes_table,
            Item={"id": {"S": code["id"]}, "sk": {"S": f"day#{today - timedelta(age)}"}, "scans": {"N": str(people)}},
        )
    status, _, page = codes_call(lambda_context, "GET")
    [listed] = [c for c in page["codes"] if c["id"] == code["id"]]
    assert status == 200 and listed["recent_scans"] == {
        "days": 30,
        "scans": 6,
        "bots": 1,
        "per_day": [
            {"date": (today - timedelta(29)).isoformat(), "scans": 4, "bots": 0},
            {"date": today.isoformat(), "scans": 2, "bots": 1},
        ],
    }

"""API keys against moto: /keys for the admin only, and /qr with qr.access "key": refused without a key, with
a wrong or revoked one, accepted with the admin's or a created one; a key is stored only as its hash."""

import hashlib
import json

import boto3
import manage_keys
import pytest
from support.aws import deliver_events
from support.helpers import bucket_keys, call, queued, table_items

import create_qr
from local import emulation
from qr_service import auth
from qr_service.aws import client

ADMIN = {"X-API-Key": emulation.ADMIN_KEY}


def keys_call(context, method, path="/keys", key=emulation.ADMIN_KEY, body=None):
    headers = {"X-API-Key": key} if key is not None else {}
    return call(manage_keys, context, method=method, path=path, body=body, headers=headers)


def new_key(context, name="ci") -> dict:
    status, _, created = keys_call(context, "POST", body={"name": name})
    assert status == 201, created
    return created


@pytest.fixture
def key_mode(monkeypatch):
    """create_qr as deployed with qr.access "key"."""
    monkeypatch.setattr(
        create_qr, "settings", create_qr.settings.__class__(**{**create_qr.settings.__dict__, "key_required": True})
    )


def test_the_admin_creates_lists_and_revokes_a_key(aws, lambda_context):
    created = new_key(lambda_context, "ci")
    assert set(created) == {"id", "name", "key", "created_at"} and created["name"] == "ci"
    assert created["key"].startswith(f"qrk_{created['id']}_") and len(created["key"]) == 4 + 12 + 1 + 43
    status, headers, listed = keys_call(lambda_context, "GET")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert listed == {
        "keys": [{"id": created["id"], "name": "ci", "created_at": created["created_at"], "last_used": None}]
    }
    status, headers, body = keys_call(lambda_context, "DELETE", f"/keys/{created['id']}")
    assert (status, body) == (204, None)
    assert keys_call(lambda_context, "GET")[2] == {"keys": []}
    status, _, again = keys_call(lambda_context, "DELETE", f"/keys/{created['id']}")
    assert status == 404 and again["code"] == "key.not_found" and again["params"] == {"id": created["id"]}


def test_a_key_is_stored_only_as_its_hash(aws, lambda_context):
    created = new_key(lambda_context)
    [item] = boto3.client("dynamodb").scan(TableName=aws.keys_table)["Items"]
    assert item["key_hash"]["S"] == hashlib.sha256(created["key"].encode()).hexdigest()
    secret = created["key"].rsplit("_", 1)[1]
    assert secret not in json.dumps(item)
    assert secret not in json.dumps(keys_call(lambda_context, "GET")[2])


def test_the_key_never_reaches_the_logs(aws, lambda_context, log_lines, key_mode):
    created = new_key(lambda_context)
    call(create_qr, lambda_context, body={"url": "https://logged.example"}, headers={"X-API-Key": created["key"]})
    text = json.dumps(log_lines())
    assert created["id"] in text  # which key did what is logged...
    assert created["key"] not in text and emulation.ADMIN_KEY not in text  # ...never a key itself


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [(None, 401, "auth.missing"), ("", 401, "auth.missing"), ("not-a-key", 401, "auth.invalid")],
)
def test_keys_refuses_a_missing_or_unknown_key(aws, lambda_context, key, status, code):
    for method, path in (("GET", "/keys"), ("POST", "/keys"), ("DELETE", "/keys/0123456789ab")):
        got, headers, body = keys_call(lambda_context, method, path, key=key, body={"name": "x"})
        assert (got, body["code"]) == (status, code), (method, path)
        assert headers["Access-Control-Allow-Origin"] == "https://qr.example.com"
    assert boto3.client("dynamodb").scan(TableName=aws.keys_table)["Items"] == []


def test_keys_refuses_a_valid_key_that_is_not_the_admins(aws, lambda_context):
    created = new_key(lambda_context)
    status, _, body = keys_call(lambda_context, "POST", key=created["key"], body={"name": "mine"})
    assert status == 403 and body["code"] == "auth.forbidden"
    assert keys_call(lambda_context, "GET", key=created["key"])[0] == 403
    assert len(keys_call(lambda_context, "GET")[2]["keys"]) == 1  # nothing was made


def test_a_key_of_the_right_form_but_another_secret_is_invalid(aws, lambda_context, key_mode):
    created = new_key(lambda_context)
    forged = created["key"][:-1] + ("A" if created["key"][-1] != "A" else "B")
    status, _, body = call(create_qr, lambda_context, body={"url": "https://x.example"}, headers={"X-API-Key": forged})
    assert (status, body["code"]) == (401, "auth.invalid")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": ""}, "name", "name.invalid"),
        ({"name": "   "}, "name", "name.invalid"),
        ({"name": "x" * 65}, "name", "name.invalid"),
        ({"name": "a\nb"}, "name", "name.invalid"),
        ({"name": 7}, "name", "name.invalid"),
        ({}, "name", "name.invalid"),
        ({"name": "ci", "admin": True}, None, "request.unknown_field"),
    ],
)
def test_a_bad_key_request_is_a_400_and_makes_nothing(aws, lambda_context, body, field, code):
    status, _, answer = keys_call(lambda_context, "POST", body=body)
    assert status == 400 and answer["code"] == code and answer.get("field") == field
    assert keys_call(lambda_context, "GET")[2] == {"keys": []}


def test_public_qr_needs_no_key_and_ignores_one(aws, lambda_context):
    for headers in ({}, {"X-API-Key": "anything"}):
        status, _, body = call(create_qr, lambda_context, body={"url": "https://public.example"}, headers=headers)
        assert status == 200, body


@pytest.mark.parametrize(("key", "code"), [(None, "auth.missing"), ("qrk_0123456789ab_" + "x" * 43, "auth.invalid")])
def test_key_mode_refuses_qr_without_a_valid_key_and_changes_nothing(aws, lambda_context, key_mode, key, code):
    headers = {"X-API-Key": key} if key else {}
    for method, query, body in (("POST", "", {"url": "https://k.example"}), ("GET", "url=https://k.example", None)):
        status, answer_headers, answer = call(
            create_qr, lambda_context, method=method, query=query, body=body, headers=headers
        )
        assert (status, answer["code"]) == (401, code)
        assert answer_headers["Cache-Control"] == "no-store"
    # A key is checked before the request: a bad request without a key is a 401 too.
    assert call(create_qr, lambda_context, body={"url": "ftp://x"}, headers=headers)[0] == 401
    assert bucket_keys(aws) == [] and table_items(aws) == [] and queued(aws) == 0


def test_key_mode_takes_the_admin_key_and_a_created_key_and_refuses_it_once_revoked(aws, lambda_context, key_mode):
    created = new_key(lambda_context)
    for key in (emulation.ADMIN_KEY, created["key"]):
        status, _, body = call(create_qr, lambda_context, body={"url": "https://k.example"}, headers={"x-api-key": key})
        assert status == 200, body
    assert keys_call(lambda_context, "DELETE", f"/keys/{created['id']}")[0] == 204
    status, _, body = call(
        create_qr, lambda_context, body={"url": "https://k.example"}, headers={"X-API-Key": created["key"]}
    )
    assert (status, body["code"]) == (401, "auth.invalid")


def test_key_mode_images_are_private_so_the_edge_keeps_none(aws, lambda_context, key_mode):
    status, headers, _ = call(create_qr, lambda_context, method="GET", query="url=https://img.example", headers=ADMIN)
    assert status == 200 and headers["Cache-Control"].startswith("private, max-age=")


def test_public_images_stay_public(aws, lambda_context):
    status, headers, _ = call(create_qr, lambda_context, method="GET", query="url=https://img.example")
    assert status == 200 and headers["Cache-Control"].startswith("public, max-age=")


def test_a_key_check_is_one_read_and_the_day_of_use_is_written_once(aws, lambda_context, key_mode, aws_calls):
    created = new_key(lambda_context)
    headers = {"X-API-Key": created["key"]}
    call(create_qr, lambda_context, body={"url": "https://counted.example"}, headers=headers)  # the miss
    deliver_events(aws, lambda_context)  # store_url caches it
    aws_calls.clear()
    call(create_qr, lambda_context, body={"url": "https://counted.example"}, headers=headers)  # a hit
    assert aws_calls == ["dynamodb.GetItem", "dynamodb.GetItem"]  # the key, then the cache: no write today
    [listed] = keys_call(lambda_context, "GET")[2]["keys"]
    assert listed["last_used"] is not None and len(listed["last_used"]) == 10


def test_the_first_use_of_a_day_records_it(aws, lambda_context, key_mode, aws_calls):
    created = new_key(lambda_context)
    aws_calls.clear()
    call(create_qr, lambda_context, body={"url": "https://first.example"}, headers={"X-API-Key": created["key"]})
    assert aws_calls[:2] == ["dynamodb.GetItem", "dynamodb.UpdateItem"]


def test_a_keys_table_that_fails_is_a_503_not_a_401(aws, lambda_context, key_mode, monkeypatch):
    created = new_key(lambda_context)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    from botocore.exceptions import ClientError

    def fail(**_):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}, "GetItem")

    monkeypatch.setattr(client("dynamodb"), "get_item", fail)
    status, _, body = call(
        create_qr, lambda_context, body={"url": "https://x.example"}, headers={"X-API-Key": created["key"]}
    )
    assert (status, body["code"]) == (503, "service.keys")


def test_an_admin_secret_that_cannot_be_read_is_a_503(aws, lambda_context, monkeypatch):
    monkeypatch.setattr(auth, "_admin", None)
    boto3.client("secretsmanager").delete_secret(SecretId=aws.admin_secret, ForceDeleteWithoutRecovery=True)
    status, _, body = keys_call(lambda_context, "GET")
    assert (status, body["code"]) == (503, "service.keys")


def test_preflight_on_every_keys_resource(aws, lambda_context):
    for path in ("/keys", "/keys/0123456789ab"):
        status, headers, _ = call(
            manage_keys, lambda_context, method="OPTIONS", path=path, headers={"Origin": "https://qr.example.com"}
        )
        assert status == 204 and "X-API-Key" in headers["Access-Control-Allow-Headers"]
        assert "DELETE" in headers["Access-Control-Allow-Methods"]


def test_key_mode_still_refuses_a_link_to_a_host_outside_allowed_hosts(aws, lambda_context, monkeypatch):
    settings = {**create_qr.settings.__dict__, "key_required": True, "allowed_hosts": ("example.com",)}
    monkeypatch.setattr(create_qr, "settings", create_qr.settings.__class__(**settings))
    status, _, body = call(create_qr, lambda_context, body={"url": "https://other.example"}, headers=ADMIN)
    assert (status, body["code"], body["field"]) == (400, "url.host_not_allowed", "url")
    assert call(create_qr, lambda_context, body={"url": "https://example.com/x"}, headers=ADMIN)[0] == 200


def test_a_keys_table_that_fails_to_write_is_a_503_and_makes_nothing(aws, lambda_context, monkeypatch):
    from botocore.exceptions import ClientError

    def fail(**_):
        raise ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "PutItem")

    monkeypatch.setattr(client("dynamodb"), "put_item", fail)
    status, _, body = keys_call(lambda_context, "POST", body={"name": "ci"})
    assert (status, body["code"]) == (503, "service.keys") and "key" not in body
    monkeypatch.undo()
    assert keys_call(lambda_context, "GET")[2] == {"keys": []}

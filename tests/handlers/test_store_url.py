"""store_url against moto, fed the real EventBridge envelope that the rule delivered."""

import copy

import boto3
import pytest
from support.aws import deliver_events
from support.helpers import call, table_items

import create_qr
import store_url
from local import emulation


def _delivered_envelope(aws, lambda_context, url="https://event.example"):
    call(create_qr, lambda_context, body={"url": url})
    [(envelope, _)] = emulation.receive_envelopes(aws.queue_url)
    return envelope


def test_the_envelope_is_the_eventbridge_shape_with_our_detail(aws, lambda_context):
    envelope = _delivered_envelope(aws, lambda_context)
    assert envelope["source"] == "qr_code" and envelope["detail-type"] == "qr_code"
    assert set(envelope["detail"]) == {"url_user", "qr_code_url", "cache_key", "ttl"}
    assert isinstance(envelope["detail"]["ttl"], int)


def test_a_repeated_event_leaves_one_identical_item(aws, lambda_context):
    envelope = _delivered_envelope(aws, lambda_context)
    assert store_url.handler(envelope, lambda_context) == {"stored": True}
    first = table_items(aws)
    # Same ttl: the condition allows the write, which rewrites the identical item.
    assert store_url.handler(copy.deepcopy(envelope), lambda_context) == {"stored": True}
    assert table_items(aws) == first
    [item] = first
    detail = envelope["detail"]
    assert item == {
        "PK": {"S": detail["cache_key"]},
        "url_user": {"S": detail["url_user"]},
        "qr_code_url": {"S": detail["qr_code_url"]},
        "ttl": {"N": str(detail["ttl"])},
    }


def test_a_late_older_event_does_not_replace_a_newer_mapping(aws, lambda_context, capsys):
    envelope = _delivered_envelope(aws, lambda_context)
    newer = copy.deepcopy(envelope)
    newer["detail"]["ttl"] += 3600
    store_url.handler(newer, lambda_context)
    assert store_url.handler(envelope, lambda_context) == {"stored": False}
    [item] = table_items(aws)
    assert item["ttl"]["N"] == str(newer["detail"]["ttl"])
    assert '"OlderMappingsSkipped"' in capsys.readouterr().out


def _without(name):
    def change(detail):
        del detail[name]

    return change


def _set(name, value):
    def change(detail):
        detail[name] = value

    return change


MALFORMED = {
    "no qr_code_url": _without("qr_code_url"),
    "no cache_key": _without("cache_key"),
    "no ttl": _without("ttl"),
    "ttl as text": _set("ttl", "1795756421"),
    "ttl as float": _set("ttl", 1795756421.5),
    "ttl as bool": _set("ttl", True),
    "ttl negative": _set("ttl", -5),
    "url_user as number": _set("url_user", 42),
    "empty qr_code_url": _set("qr_code_url", ""),
    "cache_key not a digest": _set("cache_key", "www.google.com"),
    "cache_key with a line break": _set("cache_key", "a" * 64 + "\n"),
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_event_is_logged_and_dropped_without_writing(aws, lambda_context, log_lines, change):
    envelope = _delivered_envelope(aws, lambda_context)
    change(envelope["detail"])
    result = store_url.handler(envelope, lambda_context)
    assert result["stored"] is False
    assert table_items(aws) == []
    [error] = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["message"] == "Dropped malformed event"
    assert error["event_id"] == envelope["id"]


@pytest.mark.parametrize("event", [{}, {"detail": "not an object"}, [], None], ids=["empty", "string", "list", "none"])
def test_an_event_without_a_detail_object_is_dropped(aws, lambda_context, event):
    assert store_url.handler(event, lambda_context)["stored"] is False
    assert table_items(aws) == []


def test_a_dynamodb_error_raises_so_lambda_retries_and_the_dlq_keeps_the_event(aws, lambda_context):
    envelope = _delivered_envelope(aws, lambda_context)
    boto3.client("dynamodb").delete_table(TableName=aws.table)
    with pytest.raises(boto3.client("dynamodb").exceptions.ResourceNotFoundException):
        store_url.handler(envelope, lambda_context)


def test_deliver_events_drains_the_queue(aws, lambda_context):
    call(create_qr, lambda_context, body={"url": "https://one.example"})
    call(create_qr, lambda_context, body={"url": "https://two.example"})
    assert deliver_events(aws, lambda_context) == [{"stored": True}, {"stored": True}]
    assert deliver_events(aws, lambda_context) == []
    assert len(table_items(aws)) == 2

"""Content other than a link through create_qr against moto: answered with its exact `text`, cached and found
again like a link, and its secrets (a Wi-Fi password, any content) never in the cache table, the event or a log."""

import base64
import json

from support.aws import deliver_events
from support.helpers import bucket_keys, call, table_items

import create_qr
import store_url
from local import emulation
from tools.probe import decode

SECRET = "Tr0ub4dor&3-horse-battery"
WIFI = {"type": "wifi", "ssid": "Cafe Guest", "password": SECRET}


def test_a_wifi_code_answers_its_text_scans_to_it_and_is_found_again(aws, lambda_context):
    status, _, made = call(create_qr, lambda_context, body={"content": WIFI, "inline": True})
    assert status == 200, made
    assert made["text"] == f"WIFI:T:WPA;S:Cafe Guest;P:{SECRET};;" and made["cached"] is False
    assert decode(base64.b64decode(made["data_uri"].split(",", 1)[1])) == [made["text"]]
    assert deliver_events(aws, lambda_context) == [{"stored": True}]
    status, _, again = call(create_qr, lambda_context, body={"content": WIFI})
    assert (status, again["cached"], again["qr_code_url"], again["text"]) == (
        200,
        True,
        made["qr_code_url"],
        made["text"],
    )


def test_no_password_or_content_in_the_table_the_event_or_the_logs(aws, lambda_context, log_lines):
    bodies = [
        {"content": WIFI},
        {"content": {"type": "vcard", "name": "Secret Agent", "phone": "+1 555 010 9999", "note": SECRET}},
        {"content": {"type": "text", "text": SECRET}},
    ]
    for body in bodies:
        status, _, made = call(create_qr, lambda_context, body=body)
        assert status == 200, made
    envelopes = emulation.receive_envelopes(aws.queue_url)
    assert len(envelopes) == 3
    for envelope, _ in envelopes:
        assert set(envelope["detail"]) == {"qr_code_url", "cache_key", "ttl"}, envelope["detail"]
        assert SECRET not in json.dumps(envelope) and "Secret Agent" not in json.dumps(envelope)
        assert store_url.handler(envelope, lambda_context) == {"stored": True}
    items = table_items(aws)
    assert len(items) == 3 and all(set(item) == {"PK", "qr_code_url", "ttl"} for item in items), items
    logged = json.dumps(log_lines())
    assert SECRET not in logged and "Secret Agent" not in logged and "Cafe Guest" not in logged
    assert len(bucket_keys(aws)) == 3  # the images themselves, like every image, for a day


def test_a_link_still_keeps_its_url_in_the_table_for_people_reading_it(aws, lambda_context):
    call(create_qr, lambda_context, body={"url": "https://example.com/kept"})
    deliver_events(aws, lambda_context)
    [item] = table_items(aws)
    assert item["url_user"]["S"] == "https://example.com/kept"


def test_a_bad_part_is_a_400_at_its_path_and_makes_nothing(aws, lambda_context):
    status, _, answer = call(
        create_qr, lambda_context, body={"content": {"type": "wifi", "ssid": "x" * 33, "password": "p"}}
    )
    assert (status, answer["code"], answer["field"]) == (400, "content.length", "content.ssid")
    assert answer["params"] == {"field": "content.ssid", "length": 33, "limit": 32}
    status, _, answer = call(create_qr, lambda_context, body={"url": "https://a.example", "content": WIFI})
    assert (status, answer["code"], answer["field"]) == (400, "content.with_url", "content")
    assert bucket_keys(aws) == [] and table_items(aws) == [] and emulation.receive_envelopes(aws.queue_url) == []

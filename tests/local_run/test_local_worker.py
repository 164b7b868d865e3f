"""The local server's event worker retries a failing store_url and never drops an undelivered event."""

import os
import types

import pytest
from support.helpers import call, queued, table_items

from contract.settings import Settings
from local import emulation
from local.service import LocalService


@pytest.fixture
def service(monkeypatch):
    from qr_service.aws import client

    client.cache_clear()
    monkeypatch.setattr(os, "environ", os.environ.copy())  # LocalService sets the server's environment
    running = LocalService(port=0, settings=Settings(), admin_key=emulation.ADMIN_KEY)
    monkeypatch.setattr(running.delivery.stopping, "wait", lambda *_: None)  # no back-off sleeps in tests
    yield running
    running.moto.stop()
    running.mock.stop()
    client.cache_clear()


def failing_store_url(real, failures):
    calls = {"n": 0}

    def handler(event, context):
        calls["n"] += 1
        if calls["n"] <= failures:
            raise RuntimeError("injected store_url failure")
        return real.handler(event, context)

    return types.SimpleNamespace(handler=handler), calls


def deliver_with_failures(service, lambda_context, failures: int) -> int:
    """Make one event, deliver it through a store_url that fails `failures` times; returns the calls made."""
    call(service.functions["create_qr"], lambda_context, body={"url": f"https://fails-{failures}.example"})
    [(envelope, receipt)] = emulation.receive_envelopes(service.resources.queue_url)
    service.delivery.store_url, calls = failing_store_url(service.delivery.store_url, failures)
    service.delivery.deliver(envelope, receipt)
    return calls["n"]


def test_a_failing_store_url_is_retried_until_it_succeeds(service, lambda_context, capsys):
    assert deliver_with_failures(service, lambda_context, failures=2) == 3
    assert len(table_items(service.resources)) == 1
    assert "failed (RuntimeError)" in capsys.readouterr().out


def test_an_event_that_keeps_failing_stays_queued(service, lambda_context, capsys):
    assert deliver_with_failures(service, lambda_context, failures=99) == 3
    assert table_items(service.resources) == []
    assert queued(service.resources) + _in_flight(service) == 1, "the event must not be deleted"
    assert "stays queued" in capsys.readouterr().out


def _in_flight(service) -> int:
    import boto3

    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=service.resources.queue_url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_a_delivery_that_fails_right_after_the_miss_is_retried_by_the_worker(service, lambda_context):
    """The first delivery runs on the moto thread right after the miss; its failure goes to the worker's retries."""
    import time

    from local.apigw import proxy_event

    service.delivery.store_url, calls = failing_store_url(service.delivery.store_url, failures=2)
    service.start()
    try:
        event = proxy_event("POST", "/qr", body=b'{"url": "https://retried.example"}')
        response, outcome = service.invoke_api("create_qr", event)
        assert response["statusCode"] == 200 and outcome == "miss"
        deadline = time.monotonic() + 10
        while not table_items(service.resources) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(table_items(service.resources)) == 1
        assert calls["n"] == 3  # once on the moto thread, twice more from the worker
    finally:
        service.delivery.stop()

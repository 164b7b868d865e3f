"""The template and the handlers agree: the rule's pattern matches what create_qr emits, and each
function gets exactly the environment variables its handler reads."""

import json
import os

import pytest
from support.aws import deliver_events, moto
from support.helpers import call, table_items
from support.templates import handler_function, resources_of

from local import emulation

pytestmark = pytest.mark.synth


def handler_env(template, handler):
    return handler_function(template, handler)[1]["Environment"]["Variables"]


def test_the_synthesized_rule_pattern_routes_create_qr_events_to_store_url(template, lambda_context):
    import create_qr

    [rule] = resources_of(template, "AWS::Events::Rule").values()
    pattern = rule["Properties"]["EventPattern"]
    with moto():
        resources = emulation.create(event_pattern=pattern)
        status, _, body = call(create_qr, lambda_context, body={"url": "https://contract.example"})
        assert status == 200
        assert deliver_events(resources, lambda_context) == [{"stored": True}]
        [item] = table_items(resources)
        assert item["qr_code_url"]["S"] == body["qr_code_url"]


def test_a_pattern_that_does_not_match_delivers_nothing(template, lambda_context):
    """The contract test above can fail: with another source in the pattern, nothing arrives."""
    import create_qr

    with moto():
        resources = emulation.create(event_pattern={"source": ["not_qr_code"], "detail-type": ["qr_code"]})
        call(create_qr, lambda_context, body={"url": "https://contract.example"})
        assert deliver_events(resources, lambda_context) == []


class RecordingEnviron(dict):
    """os.environ stand-in that remembers which names were read."""

    def __init__(self, values):
        super().__init__(values)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


@pytest.mark.parametrize(
    ("handler", "readers"),
    [
        ("create_qr.handler", ("create_qr_settings", "key_settings", "codes_table", "base_url")),
        ("manage_keys.handler", ("allowed_origins", "key_settings")),
        ("store_url.handler", ("table_name",)),
    ],
)
def test_each_function_gets_exactly_the_variables_its_handler_reads(template, monkeypatch, handler, readers):
    from qr_service import config
    from qr_service.names import Env

    # The service name is read once, when qr_service.telemetry is imported (its own test below).
    names = set(handler_env(template, handler)) - {Env.SERVICE_NAME}
    values = {"QR_BASE_URL": "https://x.example", "ALLOWED_ORIGIN": "https://x.example", "ACCESS": "key"}
    recording = RecordingEnviron({name: values.get(name, "1") for name in names})
    monkeypatch.setattr(os, "environ", recording)
    config.read_again()
    try:
        for reader in readers:
            getattr(config, reader).__wrapped__()
    finally:
        config.read_again()
    assert recording.read == names


def test_alarms_watch_only_metrics_the_handlers_emit(template):
    """The stack and the handlers share one list of names (qr_service.names); the alarms use no other."""
    from qr_service.names import NAMESPACE, Env, Metric

    services = {handler_env(template, h)[Env.SERVICE_NAME] for h in ("create_qr.handler", "store_url.handler")}
    assert services == {"QrCodeGenerator"}  # qr.stack_name: two deployments in one region never share an alarm
    ours = [
        alarm["Properties"]
        for alarm in resources_of(template, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Namespace") == NAMESPACE
    ]
    assert ours, "the stack alarms on the handlers' own metrics"
    for alarm in ours:
        assert alarm["MetricName"] in set(Metric), alarm["MetricName"]
        assert alarm["Dimensions"] == [{"Name": "service", "Value": "QrCodeGenerator"}]


@pytest.mark.subprocess
@pytest.mark.parametrize(("value", "service"), [("Staging", "Staging"), (None, "qr-code-generator")])
def test_the_handlers_metrics_and_logs_carry_the_deployments_service_name(value, service):
    import subprocess
    import sys

    from support import ROOT

    env = {k: v for k, v in os.environ.items() if k != "POWERTOOLS_SERVICE_NAME"}
    if value is not None:
        env["POWERTOOLS_SERVICE_NAME"] = value
    code = "from qr_service.telemetry import logger, metrics; print(metrics.service, logger.service)"
    printed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "lambda", env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert printed == [service, service]


def test_a_miss_emits_metrics_by_the_shared_names(aws, lambda_context, capsys):
    import create_qr
    from qr_service.names import NAMESPACE, Metric

    call(create_qr, lambda_context, body={"url": "https://metric-names.example"})
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    [names] = [
        [m["Name"] for m in block["Metrics"]]
        for line in emitted
        for block in line["_aws"]["CloudWatchMetrics"]
        if block["Namespace"] == NAMESPACE
    ]
    assert {Metric.CACHE_MISSES, Metric.IMAGES_GENERATED} <= set(names) <= set(Metric)

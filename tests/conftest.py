"""Fixtures (moto in place of AWS, the handlers' environment, a server, a browser, the templates) and the
checks that keep the markers true; what tests share besides fixtures is in support/."""

import copy
import gc
import io
import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, settings
from support.aws import moto
from support.templates import synth_templates

from local import emulation
from local.runtime import LambdaContext

# jsii (under aws_cdk) prints a banner about Node 20 unless told not to.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# The tests synthesize offline (no Docker): the project's own opt-out of bundling (stacks/bundling.py).
os.environ["QR_SKIP_BUNDLING"] = "1"

# The handlers read their settings once, at import, as in a Lambda container.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": emulation.REGION,
        "AWS_REGION": emulation.REGION,
        "POWERTOOLS_METRICS_NAMESPACE": "QrCodeGenerator",
        **emulation.Resources().environment("https://d111111abcdef8.cloudfront.net", "https://qr.example.com"),
    }
)


# Property tests (tests/handlers/test_hostile_input.py): 150 examples each in the full suite; `make test-fast`
# passes `--hypothesis-profile=fast` for a quick pass over the same properties.
settings.register_profile("full", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fast", settings.get_profile("full"), max_examples=20)
settings.load_profile("full")


@pytest.fixture(scope="module")
def server():
    """`python -m local.server` on a free loopback port, as `make run` starts it, for one test module."""
    from support.local_server import RunningServer

    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    """Chromium (tools/browser.py). Without one: a failure under CI=true, otherwise a skip that says how to get one."""
    from playwright.sync_api import sync_playwright

    from tools import browser as found

    executable = found.chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser tests: {found.HOW_TO_GET_ONE}")
        pytest.skip(found.HOW_TO_GET_ONE)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=found.ARGS)
        yield launched
        launched.close()


@pytest.fixture
def lambda_context():
    return LambdaContext()


@pytest.fixture
def aws():
    """The stack's resources in moto, created afresh for each test."""
    with moto():
        yield emulation.create()


@pytest.fixture
def aws_calls(aws):
    """Every AWS operation the handlers' clients make during the test, as "service.Operation"."""
    from qr_service.aws import client

    made: list[str] = []

    def record(model, **_) -> None:
        made.append(f"{model.service_model.service_name}.{model.name}")

    clients = [client(service) for service in ("dynamodb", "s3", "events")]
    for each in clients:
        each.meta.events.register("before-call.*.*", record)
    try:
        yield made
    finally:
        for each in clients:
            each.meta.events.unregister("before-call.*.*", record)


@pytest.fixture(scope="session")
def default_stacks():
    """(main, edge) templates of the app as cdk.json configures it, synthesized once per session."""
    return synth_templates()


@pytest.fixture(scope="module")
def template(default_stacks):
    """The default main template; a copy, so that no module's changes reach another's."""
    return copy.deepcopy(default_stacks[0])


@pytest.fixture
def log_lines():
    """The JSON lines the Powertools logger writes, read back as dicts."""
    from qr_service.telemetry import logger

    handler = logger.registered_handler
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


# The markers decide what `make test-fast` leaves out, so they must be true: a test that takes one of
# these fixtures carries one of its markers, and a test with none of the three starts no process.
MARKERS_OF_FIXTURE = {
    "browser": ("browser",),
    "server": ("subprocess", "browser"),
    "default_stacks": ("synth",),
    "template": ("synth",),
}
PROCESS_MARKERS = ("browser", "synth", "subprocess")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, markers in MARKERS_OF_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()) and not any(map(item.get_closest_marker, markers)):
                raise pytest.UsageError(f"{item.nodeid} uses the {fixture} fixture, so it must be marked {markers[0]}")


@pytest.fixture(autouse=True)
def _no_process_unless_marked(request, monkeypatch):
    if any(request.node.get_closest_marker(marker) for marker in PROCESS_MARKERS):
        return

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a process: mark it subprocess (see pyproject.toml)")

    # subprocess.run (and so check_output): what the tests and tools call. Not Popen itself, which ctypes
    # uses to find a shared library when cairosvg or pyzbar is first imported.
    monkeypatch.setattr(subprocess, "run", refuse)


def pytest_collection_finish(session):
    """Freeze what collecting imported: full garbage collections then skip it (they took 5 s of the fast tier)."""
    gc.collect()
    gc.freeze()

"""AWS in moto as the handlers meet it, and the event delivery moto cannot do itself."""

import os

import pytest

from local import emulation


def moto():
    """moto with empty resources, keeping boto3's session and the handlers' clients, as a warm Lambda container would.

    moto would otherwise give each mock a new session, and so new clients, each parsing its service's
    JSON model again (0.1-0.5 s): that was most of a test's time.
    """
    from moto import mock_aws

    return mock_aws(config={"core": {"reset_boto3_session": False}})


def deliver_events(resources: emulation.Resources, context) -> list[dict]:
    """Hand every envelope the rule delivered to SQS to `store_url`, as the Lambda target would."""
    import store_url

    results = []
    for envelope, receipt in emulation.receive_envelopes(resources.queue_url):
        results.append(store_url.handler(envelope, context))
        emulation.delete_envelope(resources.queue_url, receipt)
    return results


def needs_package_index() -> None:
    """Skip, saying why, when pip cannot reach the package index; CI (CI=true) must reach it, so there it fails."""
    from tools.lambda_bundle import index_problem

    problem = index_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI cannot reach the package index: {problem}")
    pytest.skip(f"the package index cannot be reached: {problem}")

"""cdk-nag's AwsSolutions rules pass on QrCodeStack with every exception acknowledged in the stack code."""

import pytest
from support.templates import build_stack

pytestmark = pytest.mark.synth


def synth_with_nag(outdir, extra=None):
    """Synthesize the stack with AwsSolutionsChecks; `extra(stack)` may add resources first."""
    from aws_cdk import Validations
    from cdk_nag import AwsSolutionsChecks

    app, stack = build_stack(outdir=str(outdir))
    if extra:
        extra(stack)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()


def report(outdir) -> str:
    return (outdir / "validation-report.json").read_text()


def test_the_stack_has_no_unacknowledged_finding(tmp_path):
    synth_with_nag(tmp_path)
    assert (tmp_path / "QrCodeGenerator.template.json").exists()


def test_an_unacknowledged_finding_fails_synthesis(tmp_path):
    """The check can fail: a plain bucket (no access logs, no TLS policy) is reported and stops synth."""
    from aws_cdk import aws_s3 as s3

    with pytest.raises(Exception, match="ValidationFailed"):
        synth_with_nag(tmp_path, extra=lambda stack: s3.Bucket(stack, "CarelessBucket"))
    findings = report(tmp_path)
    assert "CarelessBucket" in findings
    assert "AwsSolutions-S1" in findings and "AwsSolutions-S10" in findings


def test_every_acknowledgement_gives_a_reason():
    """Acknowledgements live in construct metadata as {rule id: reason}."""
    _, stack = build_stack()
    acknowledged = {
        rule: reason
        for construct in stack.node.find_all()
        for entry in construct.node.metadata
        if entry.type == "aws:cdk:acknowledged-rules"
        for rule, reason in entry.data.items()
        if "AwsSolutions-" in rule
    }
    assert len(acknowledged) >= 8, acknowledged
    for rule, reason in acknowledged.items():
        assert len(reason) >= 40, f"{rule} needs a specific reason, got {reason!r}"

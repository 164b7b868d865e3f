"""Operations in the synthesized template: alarms on one topic, the dashboard, tracing, edge headers, the cap."""

import json

import pytest
from support.templates import handler_function, resources_of, synth_template

from contract.headers import content_security_policy
from contract.settings import Settings
from qr_service.names import FAILURE_METRICS, NAMESPACE, Metric

pytestmark = pytest.mark.synth

EMAIL = "ops@example.com"


@pytest.fixture(scope="module")
def alarm_rules():
    """stacks.monitoring's rules, imported here: at module level the CDK would load when `make test-fast` collects."""
    from stacks.monitoring import ALARM_RULES

    return ALARM_RULES


@pytest.fixture(scope="module")
def altered():
    """The other side of each switch: an alarm email, tracing off, a concurrency cap."""
    return synth_template(qr={"alarm_email": EMAIL, "tracing": False, "max_concurrency": 5})


def ref_name(value) -> str:
    """The logical id an alarm dimension points at (Ref or GetAtt), or the literal value."""
    if isinstance(value, dict):
        return value.get("Ref") or value["Fn::GetAtt"][0]
    return value


def alarms(template) -> dict[str, dict]:
    return {n: r["Properties"] for n, r in resources_of(template, "AWS::CloudWatch::Alarm").items()}


def watched(template) -> set[tuple]:
    """(namespace, metric, statistic, threshold, dimensions) of every alarm."""
    return {
        (
            a["Namespace"],
            a["MetricName"],
            a.get("Statistic") or a.get("ExtendedStatistic"),
            a["Threshold"],
            tuple(sorted((d["Name"], ref_name(d["Value"])) for d in a["Dimensions"])),
        )
        for a in alarms(template).values()
    }


def test_every_required_alarm_watches_the_right_metric_and_dimensions(template, alarm_rules):
    create_qr, _ = handler_function(template, "create_qr.handler")
    store_url, _ = handler_function(template, "store_url.handler")
    manage_keys, _ = handler_function(template, "manage_keys.handler")
    manage_codes, _ = handler_function(template, "manage_codes.handler")
    redirect, _ = handler_function(template, "redirect.handler")
    queues = sorted(resources_of(template, "AWS::SQS::Queue"))
    [stage] = resources_of(template, "AWS::ApiGateway::Stage")
    api = (("ApiName", "QrCodeGenerator-api"), ("Stage", stage))
    expected = {("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 1, (("QueueName", q),)) for q in queues}
    for fn in (create_qr, store_url, manage_keys, manage_codes, redirect):
        expected |= {
            ("AWS/Lambda", "Errors", "Sum", 1, (("FunctionName", fn),)),
            ("AWS/Lambda", "Throttles", "Sum", 1, (("FunctionName", fn),)),
        }
    expected |= {
        ("AWS/ApiGateway", "5XXError", "Sum", alarm_rules["api_5xx"].threshold, api),
        ("AWS/ApiGateway", "Latency", "p99", alarm_rules["api_p99_latency_ms"].threshold, api),
    }
    service = (("service", Settings().stack_name),)  # the deployment's (tests/template/test_contract.py)
    expected |= {(NAMESPACE, name, "Sum", 1, service) for name in FAILURE_METRICS}
    renders = Settings().alarm_renders_per_hour  # an hour's renders (tests/template/test_abuse.py)
    expected.add((NAMESPACE, Metric.IMAGES_GENERATED, "Sum", renders, service))
    assert {"UnexpectedErrors", "StorageFailures", "EventPublishFailures", "MappingStoreFailures"} <= set(
        FAILURE_METRICS
    )
    assert watched(template) == expected


def test_every_alarm_notifies_the_topic_when_it_fires_and_when_it_clears(template):
    [topic] = resources_of(template, "AWS::SNS::Topic")
    for name, alarm in alarms(template).items():
        assert alarm["AlarmActions"] == [{"Ref": topic}], name
        assert alarm["OKActions"] == [{"Ref": topic}], name
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["TreatMissingData"] == "notBreaching"
        assert "Operations" in alarm["AlarmDescription"]


def test_every_alarm_rule_gives_a_reason_and_latency_must_persist(template, alarm_rules):
    for name, rule in alarm_rules.items():
        assert len(rule.reason) >= 40, name
    [latency] = [a for a in alarms(template).values() if a["MetricName"] == "Latency"]
    assert latency["EvaluationPeriods"] == 3 and latency["DatapointsToAlarm"] == 3


def test_the_topic_takes_only_tls_and_lets_cloudwatch_alarms_of_this_account_publish(template):
    [policy] = resources_of(template, "AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    [deny] = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    [allow] = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and allow["Action"] == "sns:Publish"
    assert ":alarm:*" in json.dumps(allow["Condition"]["ArnLike"])


def test_an_email_subscription_only_when_configured(template, altered):
    assert resources_of(template, "AWS::SNS::Subscription") == {}
    [subscription] = resources_of(altered, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["Endpoint"] == EMAIL


def test_the_dashboard_shows_the_service_and_its_url_is_an_output(template):
    [(name, dashboard)] = resources_of(template, "AWS::CloudWatch::Dashboard").items()
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for title in (
        "Requests",
        "Cache hit ratio",
        "API latency",
        "Errors by kind",
        "Failed events waiting",
        "Throttles",
        "Dynamic codes: scans followed, and counts lost",
        "Redirect duration (ms)",
    ):
        assert title in body
    assert "Redirects" in body and "ScansLost" in body
    assert "100 * hits / (hits + misses)" in body
    assert "CacheHits" in body and "CacheMisses" in body
    assert '\\"p50\\"' in body and '\\"p99\\"' in body
    url = template["Outputs"]["DashboardUrl"]["Value"]["Fn::Join"][1]
    assert {"Ref": name} in url and "#dashboards:name=" in "".join(p for p in url if isinstance(p, str))


def test_tracing_is_active_by_default_and_can_be_switched_off(template, altered):
    for handler in ("create_qr.handler", "store_url.handler"):
        assert handler_function(template, handler)[1]["TracingConfig"] == {"Mode": "Active"}
        assert handler_function(altered, handler)[1].get("TracingConfig", {"Mode": "PassThrough"}) == {
            "Mode": "PassThrough"
        }
    [stage] = resources_of(template, "AWS::ApiGateway::Stage").values()
    assert stage["Properties"]["TracingEnabled"] is True
    [stage] = resources_of(altered, "AWS::ApiGateway::Stage").values()
    assert not stage["Properties"].get("TracingEnabled")
    assert "xray:" not in json.dumps(resources_of(altered, "AWS::IAM::Policy"))


def test_the_handlers_load_no_tracing_sdk():
    """Active tracing needs none: importing both handlers loads no X-Ray SDK, and the bundle installs none."""
    import sys

    from support import ROOT

    import create_qr  # noqa: F401
    import store_url  # noqa: F401

    assert not [name for name in sys.modules if name.startswith("aws_xray_sdk")]
    assert "aws-xray-sdk" not in (ROOT / "lambda" / "requirements.txt").read_text()


def _behaviour_policy(template, behaviour) -> dict:
    policy = behaviour["ResponseHeadersPolicyId"]["Ref"]
    return template["Resources"][policy]["Properties"]["ResponseHeadersPolicyConfig"]


def _distribution(template) -> dict:
    [distribution] = resources_of(template, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def test_images_carry_cors_hsts_and_nosniff(template):
    [images] = [b for b in _distribution(template)["CacheBehaviors"] if b["PathPattern"] == "qr/*"]
    config = _behaviour_policy(template, images)
    assert config["CorsConfig"]["AccessControlAllowOrigins"] == {"Items": ["*"]}
    security = config["SecurityHeadersConfig"]
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert security["ContentTypeOptions"] == {"Override": True}


def test_the_page_has_a_strict_csp_from_the_one_definition(template):
    config = _behaviour_policy(template, _distribution(template)["DefaultCacheBehavior"])
    security = config["SecurityHeadersConfig"]
    text = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert text == content_security_policy()
    directives = dict(d.strip().split(" ", 1) for d in text.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"  # the page calls the API on its own origin
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in text
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ContentTypeOptions"] == {"Override": True}


def test_create_qr_concurrency_is_uncapped_unless_configured(template, altered):
    assert "ReservedConcurrentExecutions" not in handler_function(template, "create_qr.handler")[1]
    assert handler_function(altered, "create_qr.handler")[1]["ReservedConcurrentExecutions"] == 5
    assert "ReservedConcurrentExecutions" not in handler_function(altered, "store_url.handler")[1]

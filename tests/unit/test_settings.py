"""The cdk.json `qr` context: defaults, the committed values, and clear errors for bad ones."""

import json

import pytest
from support import ROOT

from contract.settings import ARCHITECTURES, RETENTION_DAYS, Settings, parse


def test_committed_cdk_json_settings_are_valid():
    settings = parse(json.loads((ROOT / "cdk.json").read_text())["context"]["qr"])
    assert settings.cache_days == 1
    assert settings.cache_ttl_seconds == 86400


def test_missing_context_gives_the_defaults():
    assert parse(None) == Settings()
    assert Settings().access == "public"  # the seed's "POST a URL" needs no key


def test_access_key_is_kept():
    assert parse({"access": "key"}).access == "key"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"cache_days": 0}, "cache_days must be a whole number from 1 to 365"),
        ({"cache_days": "1"}, "cache_days must be a whole number"),
        ({"throttle_rate": -1}, "throttle_rate"),
        ({"throttle_burst": 1.5}, "throttle_burst"),
        ({"log_retention_days": 31}, "log_retention_days must be one of"),
        ({"extra_allowed_origins": "http://x"}, "extra_allowed_origins"),
        ({"extra_allowed_origins": ["example.com"]}, "extra_allowed_origins"),
        ({"extra_allowed_origins": ["https://example.com/"]}, "extra_allowed_origins"),
        ({"lambda_architecture": "mips"}, "lambda_architecture"),
        ({"cache_dayz": 2}, "Unknown cdk.json context qr key(s): cache_dayz"),
        ({"alarm_email": "ops"}, "alarm_email must be an email address or null"),
        ({"alarm_email": ["ops@example.com"]}, "alarm_email must be an email address"),
        ({"alarm_email": "ops@example.com\n"}, "alarm_email must be an email address"),
        ({"tracing": "yes"}, "tracing must be true or false"),
        ({"max_concurrency": 0}, "max_concurrency must be a whole number from 1 to 1000"),
        ({"max_concurrency": True}, "max_concurrency must be a whole number"),
        ({"waf": "on"}, "waf must be true or false"),
        ({"rate_limit": 9}, "rate_limit must be a whole number from 10 to 2000000000"),
        ({"global_rate_limit": 9}, "global_rate_limit must be a whole number from 10 to 2000000000"),
        ({"rate_limit": 500, "global_rate_limit": 400}, "global_rate_limit (400) must be at least qr.rate_limit (500)"),
        ({"origin_secret_generation": 0}, "origin_secret_generation must be a whole number from 1 to 1000"),
        ({"origin_secret_accept_previous": 1}, "origin_secret_accept_previous must be true or false"),
        ({"stack_name": ""}, "stack_name must start with a letter"),
        ({"stack_name": "qr_prod"}, "stack_name must start with a letter"),
        ({"stack_name": "1st"}, "stack_name must start with a letter"),
        ({"stack_name": "A" * 41}, "stack_name must start with a letter"),
        ({"stack_name": "Staging\n"}, "stack_name must start with a letter"),
        ({"alarm_renders_per_hour": 0}, "alarm_renders_per_hour must be a whole number from 1"),
        ({"monthly_budget_usd": 0}, "monthly_budget_usd must be a whole number from 1"),
        ({"monthly_budget_usd": "20"}, "monthly_budget_usd must be a whole number"),
        ({"access": "private"}, "access must be one of public, key, got 'private'"),
        ({"access": True}, "access must be one of public, key"),
    ],
)
def test_bad_settings_are_refused_with_the_key_named(raw, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(raw)


@pytest.mark.synth
def test_cache_lifetime_flows_into_the_bucket_lifecycle_and_the_function():
    from support.templates import handler_function, resources_of, synth_template

    template = synth_template(qr={"cache_days": 3})
    rules = [
        rule
        for bucket in resources_of(template, "AWS::S3::Bucket").values()
        for rule in bucket["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
        if rule.get("Id") == "ExpireCachedImages"
    ]
    assert [r["ExpirationInDays"] for r in rules] == [3]
    env = handler_function(template, "create_qr.handler")[1]["Environment"]["Variables"]
    assert env["CACHE_TTL_SECONDS"] == str(3 * 86400)


@pytest.mark.synth
def test_context_given_on_the_command_line_as_json_text_is_parsed():
    from aws_cdk import App

    from contract.settings import from_context

    assert from_context(App(context={"qr": '{"cache_days": 2}'})).cache_days == 2
    with pytest.raises(ValueError, match="not a JSON object"):
        from_context(App(context={"qr": "cache_days=2"}))


@pytest.mark.synth
def test_every_allowed_retention_and_architecture_is_the_cdk_value_it_names():
    """The settings name CDK enum members without importing the CDK; each name must be a real one."""
    from aws_cdk import Stack
    from aws_cdk import aws_logs as logs
    from aws_cdk.assertions import Template

    from stacks.functions import architecture, log_retention

    stack = Stack()
    for days in RETENTION_DAYS:
        logs.LogGroup(stack, f"Keep{days}", retention=log_retention(Settings(log_retention_days=days)))
    kept = [
        group["Properties"]["RetentionInDays"] for group in Template.from_stack(stack).to_json()["Resources"].values()
    ]
    assert sorted(kept) == sorted(RETENTION_DAYS)
    assert [architecture(Settings(lambda_architecture=name)).name for name in ARCHITECTURES] == list(ARCHITECTURES)

"""The local emulation builds what the stack builds: a test fails if the two drift apart."""

import json

import boto3
import pytest
from support.templates import handler_function, resources_of

from local import emulation

pytestmark = pytest.mark.synth


def test_lifecycle_expiry_matches_the_stack(template, aws):
    stack_days = [
        rule["ExpirationInDays"]
        for bucket in resources_of(template, "AWS::S3::Bucket").values()
        for rule in bucket["Properties"].get("LifecycleConfiguration", {}).get("Rules", [])
        if rule.get("Id") == "ExpireCachedImages"
    ]
    rules = boto3.client("s3").get_bucket_lifecycle_configuration(Bucket=aws.bucket)["Rules"]
    assert [r["Expiration"]["Days"] for r in rules] == stack_days


def test_table_key_and_ttl_match_the_stack(template, aws):
    [table] = [t["Properties"] for k, t in resources_of(template, "AWS::DynamoDB::Table").items() if "Cache" in k]
    ddb = boto3.client("dynamodb")
    described = ddb.describe_table(TableName=aws.table)["Table"]
    assert described["KeySchema"] == table["KeySchema"]
    assert described["AttributeDefinitions"] == table["AttributeDefinitions"]
    ttl = ddb.describe_time_to_live(TableName=aws.table)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": table["TimeToLiveSpecification"]["AttributeName"]}


def test_keys_table_key_matches_the_stack(template, aws):
    [table] = [t["Properties"] for k, t in resources_of(template, "AWS::DynamoDB::Table").items() if "Keys" in k]
    described = boto3.client("dynamodb").describe_table(TableName=aws.keys_table)["Table"]
    assert described["KeySchema"] == table["KeySchema"]
    assert described["AttributeDefinitions"] == table["AttributeDefinitions"]


def test_event_pattern_matches_the_stack(template, aws):
    [rule] = [r["Properties"] for r in resources_of(template, "AWS::Events::Rule").values()]
    described = boto3.client("events").describe_rule(Name=aws.rule, EventBusName=aws.bus)
    assert json.loads(described["EventPattern"]) == rule["EventPattern"]


def test_handler_environment_matches_the_stack(template):
    """make run's one process holds what the stack gives its functions, together."""
    handlers = ("create_qr", "store_url", "manage_keys", "manage_codes", "redirect")
    envs = {h: handler_function(template, f"{h}.handler")[1]["Environment"]["Variables"] for h in handlers}
    local_env = emulation.Resources().environment("http://127.0.0.1:8000", "http://127.0.0.1:8000")
    assert set(local_env) == set().union(*envs.values())
    env = envs["create_qr"]
    assert local_env["CACHE_TTL_SECONDS"] == env["CACHE_TTL_SECONDS"]

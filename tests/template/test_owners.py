"""The owners' resources in the template: the keys table (hashes, kept), the admin key (generated, never
written down), manage_keys' grants, and create_qr's key check only where qr.access is "key"."""

import json

import pytest
from support.templates import handler_function, resources_of, site_objects, synth_template

from qr_service.names import Env

pytestmark = pytest.mark.synth


def _grants(template: dict, handler: str) -> set[tuple[str, str]]:
    """(action, the resource's logical id) for every Allow statement of the function's role."""
    _, props = handler_function(template, handler)
    role = props["Role"]["Fn::GetAtt"][0]
    found = set()
    for policy in resources_of(template, "AWS::IAM::Policy").values():
        if {"Ref": role} not in policy["Properties"]["Roles"]:
            continue
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for action in actions:
                for resource in resources:
                    text = json.dumps(resource)
                    target = next((k for k in template["Resources"] if f'"{k}"' in text), text)
                    found.add((action, target))
    return found


def _keys_table(template: dict) -> str:
    [name] = [n for n in resources_of(template, "AWS::DynamoDB::Table") if n.startswith("OwnersKeysTable")]
    return name


def _admin_secret(template: dict) -> tuple[str, dict]:
    [(name, secret)] = [
        (n, s)
        for n, s in resources_of(template, "AWS::SecretsManager::Secret").items()
        if n.startswith("OwnersAdminKey")
    ]
    return name, secret


def test_the_keys_table_keeps_hashes_by_id_with_point_in_time_recovery_and_outlives_the_stack(template):
    table = template["Resources"][_keys_table(template)]
    props = table["Properties"]
    assert props["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_the_admin_key_is_generated_at_deploy_time_and_only_its_arn_is_an_output(template):
    name, secret = _admin_secret(template)
    generate = secret["Properties"]["GenerateSecretString"]
    assert "SecretString" not in secret["Properties"]
    assert generate == {"ExcludePunctuation": True, "IncludeSpace": False, "PasswordLength": 48}
    assert template["Outputs"]["AdminKeySecretArn"]["Value"] == {"Ref": name}
    assert "resolve:secretsmanager" not in json.dumps(template["Outputs"])


def test_manage_keys_may_use_the_keys_table_and_read_the_admin_key_and_nothing_else(template):
    table, (secret, _) = _keys_table(template), _admin_secret(template)
    grants = {(action, target) for action, target in _grants(template, "manage_keys.handler") if "logs:" not in action}
    assert grants - {("xray:PutTraceSegments", '"*"'), ("xray:PutTelemetryRecords", '"*"')} == {
        ("dynamodb:PutItem", table),
        ("dynamodb:Scan", table),
        ("dynamodb:DeleteItem", table),
        ("dynamodb:GetItem", table),
        ("dynamodb:UpdateItem", table),
        ("secretsmanager:GetSecretValue", secret),
    }
    _, props = handler_function(template, "manage_keys.handler")
    env = props["Environment"]["Variables"]
    assert env[Env.KEYS_TABLE_NAME] == {"Ref": table} and env[Env.ADMIN_KEY_SECRET] == {"Ref": secret}


def test_a_public_create_qr_cannot_read_keys(template):
    assert not [g for g in _grants(template, "create_qr.handler") if g[0].startswith("secretsmanager:")]
    assert not [g for g in _grants(template, "create_qr.handler") if g[1] == _keys_table(template)]
    _, props = handler_function(template, "create_qr.handler")
    assert props["Environment"]["Variables"][Env.ACCESS] == "public"


def test_with_access_key_create_qr_checks_keys_and_the_site_says_so():
    template = synth_template(qr={"access": "key"})
    table, (secret, _) = _keys_table(template), _admin_secret(template)
    grants = _grants(template, "create_qr.handler")
    assert {
        ("dynamodb:GetItem", table),
        ("dynamodb:UpdateItem", table),
        ("secretsmanager:GetSecretValue", secret),
    } <= grants
    assert not {g for g in grants if g[1] == table} - {("dynamodb:GetItem", table), ("dynamodb:UpdateItem", table)}
    _, props = handler_function(template, "create_qr.handler")
    assert props["Environment"]["Variables"][Env.ACCESS] == "key"
    files = site_objects(template)
    assert json.loads(files["config.json"])["access"] == "key"  # config.json tells the page
    document = json.loads(files["openapi.json"])
    for method, operation in document["paths"]["/qr"].items():  # and the deployed OpenAPI document marks /qr
        assert operation.get("security") == ([{"ApiKey": []}] if method != "options" else None), method

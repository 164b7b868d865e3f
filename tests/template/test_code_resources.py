"""Dynamic codes in the template: the codes table (backed up, protected, kept), each function's grants, and
the distribution's /c/* behaviour (never cached, only the headers the redirect counts by)."""

import json

import pytest
from support.templates import handler_function, resources_of
from test_owners import _grants

from qr_service.codes import OWNER_INDEX
from qr_service.names import Env

pytestmark = pytest.mark.synth


def _codes_table(template: dict) -> tuple[str, dict]:
    [(name, table)] = [(n, t) for n, t in resources_of(template, "AWS::DynamoDB::Table").items() if "CodesTable" in n]
    return name, table


def test_the_codes_table_is_backed_up_protected_and_outlives_the_stack(template):
    _, table = _codes_table(template)
    props = table["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "id", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    [index] = props["GlobalSecondaryIndexes"]
    assert index["IndexName"] == OWNER_INDEX
    assert index["KeySchema"] == [
        {"AttributeName": "owner", "KeyType": "HASH"},
        {"AttributeName": "created_at", "KeyType": "RANGE"},
    ]


def test_the_redirect_may_only_read_codes_and_add_to_counters(template):
    table, _ = _codes_table(template)
    grants = {g for g in _grants(template, "redirect.handler") if not g[0].startswith(("logs:", "xray:"))}
    assert grants == {("dynamodb:GetItem", table), ("dynamodb:UpdateItem", table)}
    _, props = handler_function(template, "redirect.handler")
    assert props["MemorySize"] == 256
    assert set(props["Environment"]["Variables"]) == {Env.ALLOWED_ORIGIN, Env.CODES_TABLE_NAME, Env.SERVICE_NAME}


def test_manage_codes_may_use_the_codes_table_and_check_keys(template):
    table, _ = _codes_table(template)
    grants = {g for g in _grants(template, "manage_codes.handler") if not g[0].startswith(("logs:", "xray:"))}
    ours = {(a, t) for a, t in grants if t == table}
    assert ours == {
        (a, table)
        for a in ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:Scan")
    }
    _, props = handler_function(template, "manage_codes.handler")
    role = props["Role"]["Fn::GetAtt"][0]
    statements = [
        s
        for p in resources_of(template, "AWS::IAM::Policy").values()
        if {"Ref": role} in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    [index] = [s for s in statements if f"/index/{OWNER_INDEX}" in json.dumps(s["Resource"])]
    assert index["Action"] == "dynamodb:Query"  # the owner's codes, by the index
    assert any(a == "secretsmanager:GetSecretValue" for a, _ in grants)
    assert not any(a.startswith("s3:") or a == "dynamodb:DeleteItem" for a, _ in grants)


def test_a_codes_images_go_to_the_stage_under_their_prefix_and_may_be_kept(template):
    [distribution] = resources_of(template, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    patterns = [b["PathPattern"] for b in config["CacheBehaviors"]]
    assert patterns.index("c/*.png") < patterns.index("c/*") and patterns.index("c/*.svg") < patterns.index("c/*")
    origins = {o["Id"]: o for o in config["Origins"]}
    [qr] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "qr"]
    for pattern in ("c/*.png", "c/*.svg"):
        [behaviour] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == pattern]
        assert origins[behaviour["TargetOriginId"]]["OriginPath"] == "/prod/img"
        assert behaviour["CachePolicyId"] == qr["CachePolicyId"]  # kept as their Cache-Control says
        assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS"}
    table, _ = _codes_table(template)
    assert ("dynamodb:GetItem", table) in _grants(template, "create_qr.handler")  # it reads the code's style


def test_links_are_never_cached_and_reach_the_redirect_with_only_what_it_counts_by(template):
    [distribution] = resources_of(template, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    [link] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "c/*"]
    assert link["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled: every scan counts
    assert link["ViewerProtocolPolicy"] == "redirect-to-https"  # a phone that opens http:// still arrives
    policy = template["Resources"][link["OriginRequestPolicyId"]["Ref"]]["Properties"]["OriginRequestPolicyConfig"]
    assert policy["HeadersConfig"] == {
        "HeaderBehavior": "whitelist",
        "Headers": ["Accept", "User-Agent", "CloudFront-Viewer-Country"],
    }
    assert policy["QueryStringsConfig"] == {"QueryStringBehavior": "none"}
    assert policy["CookiesConfig"] == {"CookieBehavior": "none"}
    assert "Referer" not in json.dumps(policy)

"""A public endpoint that one client cannot take down or run up (template tests): a per-client limit at
the edge (us-east-1, for a stack in any region), no back door to the stage, volume and spend
watched, logs the stack owns, and images that run nothing."""

import copy
import json

import pytest
from support.templates import TEST_REGION, build_stacks, resources_of, synth_templates, the_resource

from contract import gateway
from contract.headers import image_headers
from qr_service import errors
from qr_service.names import IMAGE_CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def stacks(default_stacks):
    return copy.deepcopy(default_stacks)


@pytest.fixture(scope="module")
def main(stacks):
    return stacks[0]


@pytest.fixture(scope="module")
def edge(stacks):
    return stacks[1]


def web_acl(template: dict, scope: str) -> dict:
    return the_resource(template, "AWS::WAFv2::WebACL", Scope=scope)[1]


def test_the_edge_stack_is_in_us_east_1_and_the_service_anywhere():
    _, main_stack, edge_stack = build_stacks()
    assert (main_stack.region, edge_stack.region) == (TEST_REGION, "us-east-1")
    assert edge_stack in main_stack.dependencies  # deployed first


def _rule(acl: dict, name: str) -> dict:
    [rule] = [r for r in acl["Rules"] if r["Name"] == name]
    return rule


def _answers_429_with(acl: dict, rule: dict, answer: errors.Rule, code: str) -> None:
    """A blocked request gets 429 and the contract's JSON for `answer`, whose code is `code`."""
    response = rule["Action"]["Block"]["CustomResponse"]
    body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert response["ResponseCode"] == 429
    assert body == {"ContentType": "APPLICATION_JSON", "Content": gateway.error_body(answer)}
    assert json.loads(body["Content"])["code"] == code


def _counts_every_spelling_of_the_api_path(statement: dict) -> None:
    """CloudFront routes //qr, /./qr and /%71r like /qr: the match is on the decoded, normalised path; and every
    path the distribution sends to the API (/qr, /keys, /keys/...) is counted."""
    matches = [s["ByteMatchStatement"] for s in statement["OrStatement"]["Statements"]]
    assert [(m["FieldToMatch"], m["PositionalConstraint"], m["SearchString"]) for m in matches] == [
        ({"UriPath": {}}, "EXACTLY", "/qr/batch"),
        ({"UriPath": {}}, "EXACTLY", "/qr"),
        ({"UriPath": {}}, "EXACTLY", "/keys"),
        ({"UriPath": {}}, "STARTS_WITH", "/keys/"),
        ({"UriPath": {}}, "EXACTLY", "/codes"),
        ({"UriPath": {}}, "STARTS_WITH", "/codes/"),
        ({"UriPath": {}}, "STARTS_WITH", "/c/"),
    ]
    for match in matches:
        assert match["TextTransformations"] == [
            {"Priority": 0, "Type": "URL_DECODE"},
            {"Priority": 1, "Type": "NORMALIZE_PATH"},
        ]


def test_each_client_is_limited_on_the_api_path_only(edge):
    acl = web_acl(edge, "CLOUDFRONT")
    assert acl["DefaultAction"] == {"Allow": {}}
    assert [r["Name"] for r in sorted(acl["Rules"], key=lambda r: r["Priority"])] == [
        "RateLimitApi",
        "RateLimitKey",
        "GlobalCeiling",
        "RateLimitBatch",
    ]
    rule = _rule(acl, "RateLimitApi")
    rate = rule["Statement"]["RateBasedStatement"]
    assert (rate["Limit"], rate["AggregateKeyType"], rate["EvaluationWindowSec"]) == (300, "IP", 300)
    _counts_every_spelling_of_the_api_path(rate["ScopeDownStatement"])
    _answers_429_with(acl, rule, errors.RATE_LIMITED, "request.rate_limited")


def test_each_api_key_is_limited_like_an_address_wherever_it_is_used_from(edge):
    """A leaked key used from many addresses still gets one client's share (WAF custom keys on X-API-Key)."""
    acl = web_acl(edge, "CLOUDFRONT")
    rule = _rule(acl, "RateLimitKey")
    rate = rule["Statement"]["RateBasedStatement"]
    assert (rate["Limit"], rate["AggregateKeyType"], rate["EvaluationWindowSec"]) == (300, "CUSTOM_KEYS", 300)
    assert rate["CustomKeys"] == [
        {"Header": {"Name": "x-api-key", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}
    ]
    _counts_every_spelling_of_the_api_path(rate["ScopeDownStatement"])
    _answers_429_with(acl, rule, errors.KEY_RATE_LIMITED, "request.key_rate_limited")


def test_a_batch_counts_once_per_client_rule_and_in_its_own_rule_of_rate_limit_over_100(edge):
    """WAF cannot count a batch's items: a rule of its own holds an address to rate_limit / 100 batches (300 / 100
    is 3, under WAF's least limit, so 10: up to 1,000 codes in 5 minutes against 300 single ones)."""
    acl = web_acl(edge, "CLOUDFRONT")
    rule = _rule(acl, "RateLimitBatch")
    rate = rule["Statement"]["RateBasedStatement"]
    assert (rate["Limit"], rate["AggregateKeyType"], rate["EvaluationWindowSec"]) == (10, "IP", 300)
    match = rate["ScopeDownStatement"]["ByteMatchStatement"]
    assert (match["PositionalConstraint"], match["SearchString"]) == ("EXACTLY", "/qr/batch")
    _answers_429_with(acl, rule, errors.RATE_LIMITED, "request.rate_limited")


def test_all_clients_together_meet_a_global_ceiling_with_its_own_answer(edge):
    """An IPv6 /64 has more addresses than any per-address limit: the ceiling counts the API's calls together."""
    acl = web_acl(edge, "CLOUDFRONT")
    rule = _rule(acl, "GlobalCeiling")
    rate = rule["Statement"]["RateBasedStatement"]
    assert (rate["Limit"], rate["AggregateKeyType"], rate["EvaluationWindowSec"]) == (6000, "CONSTANT", 300)
    # CONSTANT needs a scope-down: the API path, however spelled, but not GET or HEAD, which WAF sees even when
    # the edge's cache answers them (a popular embed must not shut the API); the stage throttle bounds GET misses.
    path, not_embeds = rate["ScopeDownStatement"]["AndStatement"]["Statements"]
    _counts_every_spelling_of_the_api_path(path)
    embeds = not_embeds["NotStatement"]["Statement"]["OrStatement"]["Statements"]
    assert [(m["ByteMatchStatement"]["FieldToMatch"], m["ByteMatchStatement"]["SearchString"]) for m in embeds] == [
        ({"Method": {}}, "GET"),
        ({"Method": {}}, "HEAD"),
    ]
    _answers_429_with(acl, rule, errors.GLOBAL_LIMIT, "request.global_limit")
    assert rule["Priority"] > _rule(acl, "RateLimitApi")["Priority"]  # one client's blocked requests are not counted


def test_the_limits_are_the_settings():
    _, edge = synth_templates(qr={"rate_limit": 1000, "global_rate_limit": 50000})
    acl = web_acl(edge, "CLOUDFRONT")
    assert _rule(acl, "RateLimitApi")["Statement"]["RateBasedStatement"]["Limit"] == 1000
    assert _rule(acl, "GlobalCeiling")["Statement"]["RateBasedStatement"]["Limit"] == 50000


def test_the_distribution_uses_the_edge_web_acl_read_in_us_east_1(main, edge):
    [parameter] = [p["Properties"] for p in resources_of(edge, "AWS::SSM::Parameter").values()]
    [acl_name] = resources_of(edge, "AWS::WAFv2::WebACL")
    assert parameter["Value"] == {"Fn::GetAtt": [acl_name, "Arn"]}
    _, distribution = the_resource(main, "AWS::CloudFront::Distribution")
    web_acl_id = distribution["DistributionConfig"]["WebACLId"]
    reader_name = web_acl_id["Fn::GetAtt"][0]
    reader = main["Resources"][reader_name]
    assert reader["Type"] == "Custom::AWS"
    text = json.dumps(reader["Properties"]["Create"])
    assert "us-east-1" in text and parameter["Name"] in text and "getParameter" in text


def test_the_same_works_for_a_stack_in_us_east_1():
    main, edge = synth_templates(region="us-east-1")
    assert web_acl(edge, "CLOUDFRONT")
    _, distribution = the_resource(main, "AWS::CloudFront::Distribution")
    assert "WebACLId" in distribution["DistributionConfig"]


def test_the_stage_refuses_what_did_not_come_through_the_distribution(main):
    acl = web_acl(main, "REGIONAL")
    blocked = acl["DefaultAction"]["Block"]["CustomResponse"]
    assert blocked["ResponseCode"] == 403
    assert acl["CustomResponseBodies"][blocked["CustomResponseBodyKey"]]["Content"] == gateway.error_body(
        errors.DIRECT_CALL
    )
    [allow] = acl["Rules"]
    assert allow["Action"] == {"Allow": {}}
    match = allow["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": gateway.ORIGIN_VERIFY_HEADER}}
    assert match["PositionalConstraint"] == "EXACTLY"
    _, association = the_resource(main, "AWS::WAFv2::WebACLAssociation")
    assert "prod" in json.dumps(association["ResourceArn"]) and "restapis" in json.dumps(association["ResourceArn"])
    # The distribution's API origins (the stage, and the stage under a code's images' prefix) send exactly the
    # value the rule expects: the deploy-time secret.
    _, distribution = the_resource(main, "AWS::CloudFront::Distribution")
    api_origins = [o for o in distribution["DistributionConfig"]["Origins"] if "execute-api" in json.dumps(o)]
    assert len(api_origins) == 2
    for api_origin in api_origins:
        [header] = api_origin["OriginCustomHeaders"]
        assert header["HeaderName"] == gateway.ORIGIN_VERIFY_HEADER
        assert header["HeaderValue"] == match["SearchString"]
    assert "{{resolve:secretsmanager:" in json.dumps(header["HeaderValue"])


def _lock_secrets(template: dict) -> dict[str, dict]:
    """The origin lock's secrets (the admin key's is stacks/owners.py's: tests/template/test_owners.py)."""
    return {
        k: r for k, r in resources_of(template, "AWS::SecretsManager::Secret").items() if k.startswith("OriginLock")
    }


def test_the_secret_is_generated_at_deploy_time_and_never_written_down(main):
    [secret] = [r["Properties"] for r in _lock_secrets(main).values()]
    assert "GenerateSecretString" in secret and "SecretString" not in secret
    text = json.dumps(main)
    # The two API origins' header and the web ACL rule, nothing else.
    assert text.count("{{resolve:secretsmanager:") == 3


def _lock(main: dict) -> tuple[list[str], list[str], dict]:
    """(secrets' logical ids, the values the stage's ACL accepts as JSON, the distribution's resource)."""
    secrets = sorted(_lock_secrets(main))
    statement = web_acl(main, "REGIONAL")["Rules"][0]["Statement"]
    matches = statement["OrStatement"]["Statements"] if "OrStatement" in statement else [statement]
    accepted = [json.dumps(m["ByteMatchStatement"]["SearchString"]) for m in matches]
    [distribution] = [r for r in main["Resources"].values() if r["Type"] == "AWS::CloudFront::Distribution"]
    return secrets, accepted, distribution


def _sent(distribution: dict) -> str:
    """The value every API origin of the distribution sends (they send one)."""
    origins = [o for o in distribution["Properties"]["DistributionConfig"]["Origins"] if "execute-api" in json.dumps(o)]
    [sent] = {json.dumps(o["OriginCustomHeaders"][0]["HeaderValue"]) for o in origins}
    return sent


def test_a_rotation_accepts_the_previous_secret_for_one_deploy_and_then_drops_it(main):
    """Generation 2 with the previous accepted: two secrets, the ACL takes either, the distribution sends the new
    one and is updated after the ACL; then generation 2 alone: the first secret is gone."""
    secrets_1, accepted_1, distribution_1 = _lock(main)
    [first] = secrets_1
    assert accepted_1 == [_sent(distribution_1)] and first in accepted_1[0]
    both, _ = synth_templates(qr={"origin_secret_generation": 2, "origin_secret_accept_previous": True})
    secrets_2, accepted_2, distribution_2 = _lock(both)
    assert first in secrets_2 and len(secrets_2) == 2  # the first keeps its logical id: not replaced
    [second] = [s for s in secrets_2 if s != first]
    assert sorted(accepted_2) == sorted([accepted_1[0], accepted_2[0]]) and second in _sent(distribution_2)
    assert any(first in value for value in accepted_2) and any(second in value for value in accepted_2)
    [acl_id] = [k for k, r in both["Resources"].items() if r["Type"] == "AWS::WAFv2::WebACL"]
    assert acl_id in distribution_2["DependsOn"]
    after, _ = synth_templates(qr={"origin_secret_generation": 2})
    secrets_3, accepted_3, distribution_3 = _lock(after)
    assert secrets_3 == [second] and accepted_3 == [_sent(distribution_3)] and second in accepted_3[0]


def test_no_direct_url_or_localhost_origin_is_published(main):
    text = json.dumps(main)
    assert "ApiUrl" not in main["Outputs"]
    assert "localhost" not in text and "127.0.0.1" not in text


def test_with_waf_off_there_is_no_web_acl_and_no_secret():
    main, edge = synth_templates(qr={"waf": False})
    assert edge is None
    assert not resources_of(main, "AWS::WAFv2::WebACL") and not _lock_secrets(main)
    _, distribution = the_resource(main, "AWS::CloudFront::Distribution")
    assert "WebACLId" not in distribution["DistributionConfig"]


def _alarms(template: dict) -> dict[str, dict]:
    return {
        a["Properties"].get("MetricName"): a["Properties"]
        for a in resources_of(template, "AWS::CloudWatch::Alarm").values()
    }


def test_render_volume_and_blocked_clients_raise_alarms(main, edge):
    renders = _alarms(main)["ImagesGenerated"]
    assert (renders["Statistic"], renders["Period"], renders["Threshold"]) == ("Sum", 3600, 2000)
    assert renders["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and renders["AlarmActions"]
    acl = web_acl(edge, "CLOUDFRONT")
    [topic] = resources_of(edge, "AWS::SNS::Topic")
    blocked = [a["Properties"] for a in resources_of(edge, "AWS::CloudWatch::Alarm").values()]
    watched = set()
    for alarm in blocked:
        assert alarm["Namespace"] == "AWS/WAFV2" and alarm["MetricName"] == "BlockedRequests"
        assert alarm["Threshold"] == 1 and alarm["AlarmActions"] == [{"Ref": topic}]
        dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
        assert dimensions["WebACL"] == acl["VisibilityConfig"]["MetricName"]
        watched.add(dimensions["Rule"])
    assert watched == {"RateLimitApi", "GlobalCeiling"}  # a client held back, and everyone held back


def test_the_renders_threshold_is_the_setting_and_a_budget_is_made_when_set():
    main, _ = synth_templates(
        qr={"alarm_renders_per_hour": 50, "monthly_budget_usd": 25, "alarm_email": "ops@example.com"}
    )
    assert _alarms(main)["ImagesGenerated"]["Threshold"] == 50
    _, budget = the_resource(main, "AWS::Budgets::Budget")
    assert budget["Budget"]["BudgetLimit"] == {"Amount": 25, "Unit": "USD"}
    kinds = {n["Notification"]["NotificationType"] for n in budget["NotificationsWithSubscribers"]}
    assert kinds == {"ACTUAL", "FORECASTED"}
    subscribers = budget["NotificationsWithSubscribers"][0]["Subscribers"]
    assert {s["SubscriptionType"] for s in subscribers} == {"SNS", "EMAIL"}
    [policy] = [p["Properties"] for p in resources_of(main, "AWS::SNS::TopicPolicy").values()]
    assert "budgets.amazonaws.com" in json.dumps(policy)


def test_no_budget_unless_asked(main):
    assert not resources_of(main, "AWS::Budgets::Budget")


@pytest.mark.parametrize("which", ["main", "edge"])
def test_every_function_logs_to_an_owned_expiring_group(stacks, which):
    template = stacks[0] if which == "main" else stacks[1]
    functions = resources_of(template, "AWS::Lambda::Function")
    groups = resources_of(template, "AWS::Logs::LogGroup")
    for name, function in functions.items():
        # A Ref: the group is created before the function, so it exists before the function's first run.
        group = groups[function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]
        assert group["Properties"]["RetentionInDays"] == 30, name
        assert group["DeletionPolicy"] == "Delete" and group["UpdateReplacePolicy"] == "Delete", name
    if which == "main":
        # create_qr, store_url, manage_keys, manage_codes, redirect, the auto-delete and AwsCustomResource helpers
        assert len(functions) == 7
    else:
        assert not functions  # the edge stack makes no function, helper or otherwise


def test_cloudfront_logs_expire_with_the_other_logs(main):
    buckets = resources_of(main, "AWS::S3::Bucket")
    [logs] = [
        b["Properties"]
        for b in buckets.values()
        if any(r.get("Id") == "ExpireLogs" for r in b["Properties"].get("LifecycleConfiguration", {}).get("Rules", []))
    ]
    [rule] = logs["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 30


def test_images_carry_a_csp_that_runs_nothing(main):
    policies = [
        p["Properties"]["ResponseHeadersPolicyConfig"]
        for p in resources_of(main, "AWS::CloudFront::ResponseHeadersPolicy").values()
    ]
    [images] = [p for p in policies if "images" in p["Comment"]]
    csp = images["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert csp == {"ContentSecurityPolicy": IMAGE_CONTENT_SECURITY_POLICY, "Override": True}
    assert "default-src 'none'" in csp["ContentSecurityPolicy"] and "sandbox" in csp["ContentSecurityPolicy"]


def test_the_api_behaviour_leaves_the_csp_of_a_get_image_to_the_function(main):
    """create_qr sends the image CSP on GET /qr (tests/handlers/test_get_image.py); the API's policy must not
    replace it."""
    policies = [
        p["Properties"]["ResponseHeadersPolicyConfig"]
        for p in resources_of(main, "AWS::CloudFront::ResponseHeadersPolicy").values()
    ]
    [api] = [p for p in policies if "API" in p["Comment"]]
    assert "ContentSecurityPolicy" not in api["SecurityHeadersConfig"]


def test_the_images_headers_are_the_ones_make_run_sends(main):
    """stacks/page_policy.image_headers() is what local/edge.py adds; the distribution's policy says the same."""
    policies = [
        p["Properties"]["ResponseHeadersPolicyConfig"]
        for p in resources_of(main, "AWS::CloudFront::ResponseHeadersPolicy").values()
    ]
    [images] = [p for p in policies if "images" in p["Comment"]]
    local = image_headers()
    assert images["CorsConfig"]["AccessControlAllowOrigins"]["Items"] == [local["Access-Control-Allow-Origin"]]
    security = images["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == local["Content-Security-Policy"]
    hsts = security["StrictTransportSecurity"]
    assert f"max-age={hsts['AccessControlMaxAgeSec']}; includeSubDomains" == local["Strict-Transport-Security"]
    assert hsts["IncludeSubdomains"] is True and "ContentTypeOptions" in security
    assert local["X-Content-Type-Options"] == "nosniff"

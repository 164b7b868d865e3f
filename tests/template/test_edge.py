"""The edge in the synthesized template: /qr through the distribution to the API, cached only as told."""

import pytest
from support.templates import resources_of, synth_template

pytestmark = pytest.mark.synth

# CloudFront's managed origin request policies (documented ids).
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"


@pytest.fixture(scope="module")
def template():
    return synth_template(qr={"cache_days": 2})


def _config(template) -> dict:
    [distribution] = resources_of(template, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


@pytest.fixture(scope="module")
def api_behaviour(template) -> dict:
    [behaviour] = [b for b in _config(template)["CacheBehaviors"] if b["PathPattern"] == "qr"]
    return behaviour


CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS's managed CachingDisabled policy


def test_keys_reach_the_same_api_origin_and_nothing_of_theirs_is_ever_cached(template, api_behaviour):
    behaviours = {b["PathPattern"]: b for b in _config(template)["CacheBehaviors"]}
    for pattern in ("keys", "keys/*"):
        keys = behaviours[pattern]
        assert keys["TargetOriginId"] == api_behaviour["TargetOriginId"]
        assert keys["CachePolicyId"] == CACHING_DISABLED
        assert {"GET", "POST", "DELETE", "OPTIONS"} <= set(keys["AllowedMethods"])
        assert keys["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST  # X-API-Key reaches the API
        assert keys["ResponseHeadersPolicyId"] == api_behaviour["ResponseHeadersPolicyId"]
        assert keys["ViewerProtocolPolicy"] == "https-only"


def test_exactly_qr_goes_to_the_api_stage_and_qr_slash_stays_the_images(template, api_behaviour):
    """CloudFront takes the first pattern that matches: qr/batch (the API's, every method) comes before the images'
    qr/* (the bucket's, GET and HEAD), which would otherwise take a POST /qr/batch and refuse it."""
    config = _config(template)
    assert [b["PathPattern"] for b in config["CacheBehaviors"]] == [
        "c/*.png",
        "c/*.svg",
        "qr/batch",
        "qr",
        "keys",
        "keys/*",
        "codes",
        "codes/*",
        "c/*",
        "qr/*",
    ]
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    batch = behaviours["qr/batch"]
    assert batch["TargetOriginId"] == api_behaviour["TargetOriginId"] and "POST" in batch["AllowedMethods"]
    assert behaviours["qr/*"]["AllowedMethods"] == ["GET", "HEAD"]
    [origin] = [o for o in config["Origins"] if o["Id"] == api_behaviour["TargetOriginId"]]
    [rest_api] = resources_of(template, "AWS::ApiGateway::RestApi")
    host = origin["DomainName"]["Fn::Join"][1]
    assert host[0] == {"Ref": rest_api} and host[1] == ".execute-api."
    [stage] = resources_of(template, "AWS::ApiGateway::Stage").values()
    assert origin["OriginPath"] == "/" + stage["Properties"]["StageName"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_post_get_and_options_reach_the_api_and_only_get_head_are_cached(api_behaviour):
    assert {"GET", "HEAD", "OPTIONS", "POST"} <= set(api_behaviour["AllowedMethods"])
    assert api_behaviour["CachedMethods"] == ["GET", "HEAD"]
    assert api_behaviour["ViewerProtocolPolicy"] == "https-only"


def test_the_viewers_host_header_is_not_forwarded(api_behaviour):
    """API Gateway answers 403 to a Host that is not its own."""
    assert api_behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert api_behaviour["OriginRequestPolicyId"] != ALL_VIEWER


def test_the_cache_key_is_the_query_origin_and_key_and_only_cache_control_makes_anything_stay(template, api_behaviour):
    policy = template["Resources"][api_behaviour["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
    assert (policy["MinTTL"], policy["DefaultTTL"]) == (0, 0)
    assert policy["MaxTTL"] == 2 * 86400  # cache_days
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    # The key too: an answer one key paid for is never another caller's (key mode's are private anyway).
    assert key["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Origin", "X-API-Key"]}
    assert key["CookiesConfig"]["CookieBehavior"] == "none"


def test_api_answers_at_the_edge_carry_hsts_and_nosniff_but_cors_stays_the_functions(template, api_behaviour):
    config = template["Resources"][api_behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]
    config = config["ResponseHeadersPolicyConfig"]
    assert "CorsConfig" not in config
    assert config["SecurityHeadersConfig"]["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert config["SecurityHeadersConfig"]["ContentTypeOptions"] == {"Override": True}


def test_the_endpoint_output_is_on_the_distribution(template):
    endpoint = template["Outputs"]["QrEndpoint"]["Value"]["Fn::Join"][1]
    assert endpoint[0] == "https://" and "Distribution" in endpoint[1]["Fn::GetAtt"][0] and endpoint[2] == "/qr"
    assert "ApiUrl" not in template["Outputs"]  # the stage answers only the distribution (tests/template/test_abuse.py)

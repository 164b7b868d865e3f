"""Several deployments in one account (template tests): staging and production side by side, or one stack
name in two regions. Every name an account (CloudFront, us-east-1's edge) or a region holds once derives
from qr.stack_name and the region; and the main stack reads the edge ACL's ARN again whenever the ACL's
definition changes."""

import json

import pytest
from support.templates import build_stacks, resources_of, the_resource

pytestmark = pytest.mark.synth

# (stack name, region) of three deployments in one account.
DEPLOYMENTS = [("QrCodeGenerator", "eu-west-1"), ("QrCodeGenerator", "eu-central-1"), ("Staging", "eu-west-1")]
CLOUDFRONT_NAMES = {
    "AWS::CloudFront::ResponseHeadersPolicy": "ResponseHeadersPolicyConfig",
    "AWS::CloudFront::CachePolicy": "CachePolicyConfig",
    "AWS::CloudFront::OriginAccessControl": "OriginAccessControlConfig",
}


def _names(stack_name: str, region: str) -> tuple[set[str], set[str]]:
    """(names the whole account holds once, names a region holds once) of one deployment."""
    from aws_cdk.assertions import Template

    _, main_stack, edge_stack = build_stacks(region=region, qr={"stack_name": stack_name})
    main, edge = Template.from_stack(main_stack).to_json(), Template.from_stack(edge_stack).to_json()
    account = {f"stack:{edge_stack.stack_name}"}  # every edge stack lives in us-east-1
    for kind, config in CLOUDFRONT_NAMES.items():
        account |= {f"{kind}:{r['Properties'][config]['Name']}" for r in resources_of(main, kind).values()}
    account |= {f"ssm:{p['Properties']['Name']}" for p in resources_of(edge, "AWS::SSM::Parameter").values()}
    [acl] = [a["Properties"] for a in resources_of(edge, "AWS::WAFv2::WebACL").values()]
    account.add(f"waf-metric:{acl['VisibilityConfig']['MetricName']}")
    regional = {f"stack:{main_stack.stack_name}"}
    regional |= {f"api:{a['Properties']['Name']}" for a in resources_of(main, "AWS::ApiGateway::RestApi").values()}
    regional |= {f"bus:{b['Properties']['Name']}" for b in resources_of(main, "AWS::Events::EventBus").values()}
    [lock] = [a["Properties"] for a in resources_of(main, "AWS::WAFv2::WebACL").values()]
    regional.add(f"waf-metric:{lock['VisibilityConfig']['MetricName']}")
    for function in resources_of(main, "AWS::Lambda::Function").values():
        service = function["Properties"].get("Environment", {}).get("Variables", {}).get("POWERTOOLS_SERVICE_NAME")
        if service:
            regional.add(f"metrics-service:{service}")
    return account, regional


@pytest.fixture(scope="module")
def names():
    return {deployment: _names(*deployment) for deployment in DEPLOYMENTS}


def test_each_deployment_names_what_it_must(names):
    for account, regional in names.values():
        assert len([n for n in account if n.startswith("AWS::CloudFront")]) == 6  # 3 header policies, 1 cache, 2 OACs
        assert any(n.startswith("metrics-service:") for n in regional)


@pytest.mark.parametrize(("first", "second"), [(0, 1), (0, 2), (1, 2)], ids=["two regions", "two names", "both differ"])
def test_two_deployments_share_no_name_the_account_or_region_holds_once(names, first, second):
    (account_a, regional_a), (account_b, regional_b) = names[DEPLOYMENTS[first]], names[DEPLOYMENTS[second]]
    assert account_a.isdisjoint(account_b), account_a & account_b
    if DEPLOYMENTS[first][1] == DEPLOYMENTS[second][1]:
        assert regional_a.isdisjoint(regional_b), regional_a & regional_b


def _reader(**qr) -> dict:
    """The custom resource that reads the edge ACL's ARN at deploy time: its update call."""
    from aws_cdk.assertions import Template

    _, main_stack, _ = build_stacks(qr=qr)
    main = Template.from_stack(main_stack).to_json()
    _, distribution = the_resource(main, "AWS::CloudFront::Distribution")
    reader = main["Resources"][distribution["DistributionConfig"]["WebACLId"]["Fn::GetAtt"][0]]
    return json.loads(json.dumps(reader["Properties"]["Update"]))


def test_the_edge_acl_is_read_again_whenever_its_definition_changes():
    """CloudFormation calls the reader's update only when its properties change: the ACL's fingerprint is one."""
    same = _reader(), _reader()
    assert same[0] == same[1]  # no change, no read: a deploy that touches nothing stays a no-op
    for change in ({"rate_limit": 500}, {"global_rate_limit": 9000}):
        assert _reader(**change) != same[0], change

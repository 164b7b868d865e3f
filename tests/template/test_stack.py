"""Assertions on the synthesized CloudFormation template of QrCodeStack (one synth for the module)."""

import json

import pytest
from support.templates import handler_function, resources_of, site_calls, synth_template, the_resource

from contract import PYTHON_RUNTIME
from qr_service import errors

pytestmark = pytest.mark.synth

EXTRA_ORIGIN = "https://other.example"


@pytest.fixture(scope="module")
def template():
    return synth_template(qr={"extra_allowed_origins": [EXTRA_ORIGIN]})


def images_bucket(template):
    [(name, resource)] = [
        (n, r)
        for n, r in resources_of(template, "AWS::S3::Bucket").items()
        if "LifecycleConfiguration" in r["Properties"] and "LoggingConfiguration" in r["Properties"]
    ]
    return name, resource


def policy_statements_of_role(template, role_name):
    statements = []
    for policy in resources_of(template, "AWS::IAM::Policy").values():
        if {"Ref": role_name} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_images_bucket_is_private_encrypted_tls_only_logged_and_expires_after_a_day(template):
    name, bucket = images_bucket(template)
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    assert props["LoggingConfiguration"]["DestinationBucketName"]["Ref"] in resources_of(template, "AWS::S3::Bucket")
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 1 and rule["Status"] == "Enabled"
    assert bucket["DeletionPolicy"] == "Delete"
    assert (
        "OwnershipControls" not in props or props["OwnershipControls"]["Rules"][0]["ObjectOwnership"] != "ObjectWriter"
    )
    policies = [
        p
        for p in resources_of(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": name}
    ]
    [statements] = [p["Properties"]["PolicyDocument"]["Statement"] for p in policies]
    deny_plain_http = [s for s in statements if s["Effect"] == "Deny"]
    assert deny_plain_http and deny_plain_http[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert not [s for s in statements if s["Effect"] == "Allow" and s["Principal"] == "*"]
    auto_delete = resources_of(template, "Custom::S3AutoDeleteObjects")
    assert any(r["Properties"]["BucketName"] == {"Ref": name} for r in auto_delete.values())


def test_every_bucket_blocks_public_access_and_enforces_tls(template):
    buckets = resources_of(template, "AWS::S3::Bucket")
    assert len(buckets) == 3  # images, site and access logs
    for props in (b["Properties"] for b in buckets.values()):
        assert all(props["PublicAccessBlockConfiguration"].values())
        assert "BucketEncryption" in props
    tls_denied = {
        p["Properties"]["Bucket"]["Ref"]
        for p in resources_of(template, "AWS::S3::BucketPolicy").values()
        if any(
            s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            for s in p["Properties"]["PolicyDocument"]["Statement"]
        )
    }
    assert tls_denied == set(buckets)


def test_cache_table_has_pk_ttl_on_demand_and_is_destroyed_with_the_stack(template):
    [table] = [t for name, t in resources_of(template, "AWS::DynamoDB::Table").items() if "Cache" in name]
    props = table["Properties"]
    assert props["KeySchema"] == [{"AttributeName": "PK", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "PK", "AttributeType": "S"}]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionPolicy"] == "Delete"


def test_rule_on_the_custom_bus_sends_qr_code_events_to_store_url_with_retries_and_an_encrypted_dlq(template):
    bus_name, _ = the_resource(template, "AWS::Events::EventBus")
    _, rule = the_resource(template, "AWS::Events::Rule")
    assert rule["EventBusName"] == {"Ref": bus_name}
    assert rule["EventPattern"] == {"source": ["qr_code"], "detail-type": ["qr_code"]}
    [target] = rule["Targets"]
    store_url_name, _ = handler_function(template, "store_url.handler")
    assert target["Arn"] == {"Fn::GetAtt": [store_url_name, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    queue_name = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    queue = template["Resources"][queue_name]
    assert queue["Type"] == "AWS::SQS::Queue" and queue["Properties"]["SqsManagedSseEnabled"] is True


@pytest.mark.parametrize(
    ("handler", "memory", "timeout"), [("create_qr.handler", 512, 29), ("store_url.handler", 256, 10)]
)
def test_functions_run_on_the_newest_python_with_explicit_sizing_and_log_retention(template, handler, memory, timeout):
    """The sizes docs/configuration.md states and bench/cost.py prices; create_qr has API Gateway's 29 s, for a
    whole batch."""
    _, props = handler_function(template, handler)
    assert props["Runtime"] == PYTHON_RUNTIME == "python3.14"
    assert (props["MemorySize"], props["Timeout"]) == (memory, timeout)
    log_group = props["LoggingConfig"]["LogGroup"]["Ref"]
    assert template["Resources"][log_group]["Properties"]["RetentionInDays"] == 30


TRACING_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
POLICY_KINDS = (
    "AWS::IAM::Policy",
    "AWS::IAM::Role",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
)


def all_statements(template):
    for kind in POLICY_KINDS:
        for resource in resources_of(template, kind).values():
            props = resource["Properties"]
            documents = [props.get("PolicyDocument"), props.get("AssumeRolePolicyDocument")]
            documents += [p["PolicyDocument"] for p in props.get("Policies", [])]
            for document in filter(None, documents):
                yield from document["Statement"]


def test_no_allow_statement_anywhere_uses_a_wildcard_action(template):
    """IAM, bucket and queue policies alike; Deny statements (TLS-only) may deny everything."""
    statements = list(all_statements(template))
    assert len(statements) > 10
    for statement in statements:
        if statement["Effect"] == "Allow":
            for action in as_list(statement["Action"]):
                assert "*" not in action, statement


def test_the_auto_delete_grant_is_spelled_out(template):
    """CDK's auto-delete provider would get s3:List* and friends; the aspect narrows them."""
    grants = [
        sorted(as_list(s["Action"]))
        for s in all_statements(template)
        if s["Effect"] == "Allow" and "AutoDeleteObjects" in json.dumps(s.get("Principal"))
    ]
    assert grants and all("s3:ListBucketVersions" in g and "s3:DeleteObjectVersion" in g for g in grants)


def test_an_unknown_wildcard_in_an_allow_statement_fails_synthesis():
    from aws_cdk import App, Aspects, Stack
    from aws_cdk import aws_iam as iam

    from stacks.hardening import ExplicitActions

    app = App()
    stack = Stack(app, "Careless")
    role = iam.Role(stack, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["dynamodb:*"], resources=["*"]))
    Aspects.of(stack).add(ExplicitActions())
    with pytest.raises(Exception, match="wildcard action 'dynamodb:\\*'"):
        app.synth()


def _actions(template, handler):
    _, props = handler_function(template, handler)
    statements = policy_statements_of_role(template, props["Role"]["Fn::GetAtt"][0])
    return {action: statement["Resource"] for statement in statements for action in as_list(statement["Action"])}


def test_create_qr_may_read_the_tables_put_and_get_its_objects_and_put_events_and_nothing_else(template):
    actions = _actions(template, "create_qr.handler")
    assert set(actions) == {
        "dynamodb:GetItem",
        "s3:PutObject",
        "s3:GetObject",
        "events:PutEvents",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        *TRACING_ACTIONS,
    }
    [table] = [name for name in resources_of(template, "AWS::DynamoDB::Table") if "Cache" in name]
    [codes] = [name for name in resources_of(template, "AWS::DynamoDB::Table") if "Codes" in name]
    bus, _ = the_resource(template, "AWS::Events::EventBus")
    images, _ = images_bucket(template)
    # The cache, and a dynamic code's style (its image, tests/template/test_code_resources.py).
    read = sorted(json.dumps(r) for r in as_list(actions["dynamodb:GetItem"]))
    assert read == sorted(json.dumps({"Fn::GetAtt": [t, "Arn"]}) for t in (table, codes))
    assert actions["events:PutEvents"] == {"Fn::GetAtt": [bus, "Arn"]}
    under_qr = {"Fn::Join": ["", [{"Fn::GetAtt": [images, "Arn"]}, "/qr/*"]]}
    assert actions["s3:PutObject"] == actions["s3:GetObject"] == under_qr


def test_store_url_may_write_the_table_and_its_failure_queue_and_nothing_else(template):
    actions = _actions(template, "store_url.handler")
    assert set(actions) == {
        "dynamodb:PutItem",
        "sqs:SendMessage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        *TRACING_ACTIONS,
    }
    [table] = [name for name in resources_of(template, "AWS::DynamoDB::Table") if "Cache" in name]
    assert actions["dynamodb:PutItem"] == {"Fn::GetAtt": [table, "Arn"]}


def test_function_roles_use_no_managed_policies(template):
    for handler in ("create_qr.handler", "store_url.handler"):
        _, props = handler_function(template, handler)
        role = template["Resources"][props["Role"]["Fn::GetAtt"][0]]["Properties"]
        assert "ManagedPolicyArns" not in role


def test_api_proxies_each_resource_to_its_function(template):
    proxied: dict[str, set[str]] = {}
    for method in resources_of(template, "AWS::ApiGateway::Method").values():
        integration = method["Properties"]["Integration"]
        if integration["Type"] == "AWS_PROXY":
            function = integration["Uri"]["Fn::Join"][1][1]["Fn::GetAtt"][0]
            proxied.setdefault(function, set()).add(method["Properties"]["HttpMethod"])
    create_qr_name, _ = handler_function(template, "create_qr.handler")
    manage_keys_name, _ = handler_function(template, "manage_keys.handler")
    manage_codes_name, _ = handler_function(template, "manage_codes.handler")
    redirect_name, _ = handler_function(template, "redirect.handler")
    assert proxied == {
        create_qr_name: {"POST", "GET", "HEAD"},
        manage_keys_name: {"GET", "POST", "DELETE"},
        manage_codes_name: {"GET", "POST", "PATCH", "DELETE"},
        redirect_name: {"GET", "HEAD"},
    }


def test_stage_is_throttled_with_json_access_logs(template):
    _, stage = the_resource(template, "AWS::ApiGateway::Stage")
    [settings] = stage["MethodSettings"]
    assert settings["ThrottlingRateLimit"] == 20 and settings["ThrottlingBurstLimit"] == 40
    assert settings["LoggingLevel"] == "OFF"  # execution logs would live outside the stack; the access log stays
    access = stage["AccessLogSetting"]
    assert json.loads(access["Format"])["requestId"] == "$context.requestId"
    assert access["DestinationArn"]["Fn::GetAtt"][1] == "Arn"


def test_preflight_allows_the_distribution_and_the_extra_origins(template):
    options = [
        m
        for m in resources_of(template, "AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]
    text = json.dumps(options)
    assert EXTRA_ORIGIN in text and "DomainName" in text


def test_gateway_errors_carry_cors_and_json(template):
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in resources_of(template, "AWS::ApiGateway::GatewayResponse").values()
    }
    assert set(responses) == {
        "MISSING_AUTHENTICATION_TOKEN",
        "REQUEST_TOO_LARGE",
        "THROTTLED",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
    }, "no BAD_REQUEST_BODY or BAD_REQUEST_PARAMETERS: the gateway checks no field (test_gateway_parity.py)"
    for response in responses.values():
        assert "gatewayresponse.header.Access-Control-Allow-Origin" in response["ResponseParameters"]
        json.loads(response["ResponseTemplates"]["application/json"].replace("$context.error.messageString", '"x"'))


def test_distribution_serves_the_private_bucket_through_oac_over_https(template):
    _, distribution = the_resource(template, "AWS::CloudFront::Distribution")
    config = distribution["DistributionConfig"]
    controls = resources_of(template, "AWS::CloudFront::OriginAccessControl")
    assert all(c["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always" for c in controls.values())
    images, _ = images_bucket(template)
    [origin] = [o for o in config["Origins"] if o["DomainName"] == {"Fn::GetAtt": [images, "RegionalDomainName"]}]
    assert origin["OriginAccessControlId"]["Fn::GetAtt"][0] in controls
    [images_behavior] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "qr/*"]
    assert images_behavior["ViewerProtocolPolicy"] == "https-only"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")
    statements = [
        s
        for p in resources_of(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": images}
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    [read] = [s for s in statements if s["Principal"] == {"Service": "cloudfront.amazonaws.com"}]
    others = [s for s in statements if s is not read]
    assert all("AutoDeleteObjects" in json.dumps(s["Principal"]) for s in others), others
    assert read["Action"] == "s3:GetObject"
    assert "AWS:SourceArn" in json.dumps(read["Condition"])


def test_image_urls_and_cors_origin_come_from_the_distribution(template):
    _, props = handler_function(template, "create_qr.handler")
    env = props["Environment"]["Variables"]
    distribution, _ = the_resource(template, "AWS::CloudFront::Distribution")
    domain = {"Fn::GetAtt": [distribution, "DomainName"]}
    assert env["QR_BASE_URL"] == {"Fn::Join": ["", ["https://", domain]]}
    assert env["ALLOWED_ORIGIN"]["Fn::Join"][1][:2] == ["https://", domain]
    assert EXTRA_ORIGIN in env["ALLOWED_ORIGIN"]["Fn::Join"][1][2]
    assert env["CACHE_TTL_SECONDS"] == "86400"


def test_outputs_name_the_endpoint_and_the_distribution_not_the_stage(template):
    outputs = template["Outputs"]
    assert "QrEndpoint" in outputs and "ApiUrl" not in outputs  # the stage refuses direct calls
    assert "execute-api" not in json.dumps(outputs)
    assert any("DomainName" in name for name in outputs)
    assert "/qr" in json.dumps(outputs["QrEndpoint"]["Value"])


def test_the_page_is_the_default_behaviour_from_a_private_site_bucket(template):
    _, distribution = the_resource(template, "AWS::CloudFront::Distribution")
    config = distribution["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    [group] = [
        g for g in config["OriginGroups"]["Items"] if g["Id"] == config["DefaultCacheBehavior"]["TargetOriginId"]
    ]
    primary = group["Members"]["Items"][0]["OriginId"]  # the stage is the fallback (a missing page's JSON 404)
    [origin] = [o for o in config["Origins"] if o["Id"] == primary]
    site_bucket = origin["DomainName"]["Fn::GetAtt"][0]
    images, _ = images_bucket(template)
    assert site_bucket != images and "OriginAccessControlId" in origin
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    site = template["Resources"][site_bucket]["Properties"]
    assert all(site["PublicAccessBlockConfiguration"].values())


def test_the_page_its_config_and_the_api_contract_are_written_with_per_object_grants(template):
    from contract.site import PAGE_FILES

    generated = ("config.json", "openapi.json")
    puts = {}
    for resource in resources_of(template, "Custom::AWS").values():
        create = json.dumps(resource["Properties"]["Create"])
        if "putObject" not in create:
            continue  # the edge web ACL's ARN, read from us-east-1 (tests/template/test_abuse.py)
        key = next(name for name in (*PAGE_FILES, *generated) if f'Key\\":\\"{name}' in create)
        puts[key] = create
    assert set(puts) == {*PAGE_FILES, *generated}
    # The page and the contract name the API on the distribution's own domain (same origin, no preflight).
    assert "Distribution" in puts["config.json"] and "apiUrl" in puts["config.json"]
    assert "RestApi" not in puts["config.json"]
    assert "Link to encode" in puts["index.html"]
    assert "createQrCode" in puts["openapi.json"] and "Distribution" in puts["openapi.json"]

    grants = [
        s
        for s in all_statements(template)
        if s["Effect"] == "Allow" and as_list(s["Action"]) == ["s3:PutObject"] and "Site" in json.dumps(s["Resource"])
    ]
    assert len(grants) == len(puts)
    assert all("*" not in json.dumps(g["Resource"]) for g in grants)


def test_a_missing_page_or_expired_image_falls_back_to_the_stages_json_404_and_no_answer_is_replaced(template):
    """S3 answers the distribution 403 for a key it lacks; the buckets' origin groups then ask the stage, which has
    no such resource and answers the contract's 404, as make run does. No distribution-wide error page: every
    answer of the API (its 401, 403 and 404s) reaches viewers as the function gave it."""
    from contract import gateway

    _, distribution = the_resource(template, "AWS::CloudFront::Distribution")
    config = distribution["DistributionConfig"]
    # 404s are not kept at the edge, and no page replaces them.
    assert config["CustomErrorResponses"] == [{"ErrorCode": 404, "ErrorCachingMinTTL": 0}]
    groups = {g["Id"]: g for g in config["OriginGroups"]["Items"]}
    origins = {o["Id"]: o for o in config["Origins"]}
    behaviours = [config["DefaultCacheBehavior"], *(b for b in config["CacheBehaviors"] if b["PathPattern"] == "qr/*")]
    for behaviour in behaviours:
        group = groups[behaviour["TargetOriginId"]]
        assert group["FailoverCriteria"]["StatusCodes"] == {"Items": [403, 404], "Quantity": 2}
        primary, fallback = (origins[m["OriginId"]] for m in group["Members"]["Items"])
        assert "S3OriginConfig" in primary and "execute-api" in json.dumps(fallback["DomainName"])
        assert fallback["OriginPath"] == f"/{gateway.STAGE}"
        assert [h["HeaderName"] for h in fallback["OriginCustomHeaders"]] == [gateway.ORIGIN_VERIFY_HEADER]
    _, not_found = the_resource(
        template, "AWS::ApiGateway::GatewayResponse", ResponseType="MISSING_AUTHENTICATION_TOKEN"
    )
    assert not_found["ResponseTemplates"]["application/json"] == gateway.error_body(errors.NO_SUCH_FILE)
    assert not_found["ResponseParameters"]["gatewayresponse.header.Cache-Control"] == "'no-store'"  # never kept


def test_the_deployed_config_carries_the_definitions_limits(template):
    """The deployed page reads the same limits as `make run` serves: contract.gateway.page_config."""
    from contract import gateway
    from qr_service import fields as F

    calls = site_calls(template)
    [config] = [call for call in calls if call["parameters"].get("Key") == "config.json"]
    body = json.loads(config["parameters"]["Body"])
    assert body == gateway.page_config(body["apiUrl"])
    assert body["limits"]["fields"]["box_size"]["maximum"] == F.BOX_SIZE.maximum


def test_allowed_hosts_reach_the_function_and_the_page_in_their_ascii_form():
    from support.templates import synth_template

    from contract import gateway

    restricted = synth_template(qr={"allowed_hosts": ["example.com", "*.münchen.example"]})
    ascii_hosts = ("example.com", "*.xn--mnchen-3ya.example")
    assert handler_function(restricted, "create_qr.handler")[1]["Environment"]["Variables"][
        "ALLOWED_HOSTS"
    ] == ",".join(ascii_hosts)
    calls = site_calls(restricted)
    [config] = [call for call in calls if call["parameters"].get("Key") == "config.json"]
    body = json.loads(config["parameters"]["Body"])
    assert body == gateway.page_config(body["apiUrl"], ascii_hosts, "public")


def test_outputs_include_the_page_url(template):
    assert "SiteUrl" in template["Outputs"]


def test_store_url_failures_go_to_an_encrypted_queue_after_explicit_retries(template):
    """EventBridge invokes store_url asynchronously: a function error ends at its on-failure destination."""
    from stacks.events import STORE_URL_MAX_EVENT_AGE, STORE_URL_RETRIES

    store_url_name, store_url = handler_function(template, "store_url.handler")
    _, config = the_resource(template, "AWS::Lambda::EventInvokeConfig")
    assert config["FunctionName"] == {"Ref": store_url_name}
    assert config["MaximumRetryAttempts"] == STORE_URL_RETRIES == 2
    assert config["MaximumEventAgeInSeconds"] == STORE_URL_MAX_EVENT_AGE.to_seconds() == 3600
    destination = config["DestinationConfig"]["OnFailure"]["Destination"]
    queue_name = destination["Fn::GetAtt"][0]
    queue = template["Resources"][queue_name]
    assert queue["Type"] == "AWS::SQS::Queue" and queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 86400
    [rule] = resources_of(template, "AWS::Events::Rule").values()
    assert rule["Properties"]["Targets"][0]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0] != queue_name
    role = store_url["Role"]["Fn::GetAtt"][0]
    grants = [s for s in policy_statements_of_role(template, role) if s["Resource"] == destination]
    assert [as_list(s["Action"]) for s in grants] == [["sqs:SendMessage"]]


def test_every_queue_refuses_plain_http(template):
    queues = resources_of(template, "AWS::SQS::Queue")
    assert len(queues) == 2  # the rule's dead letters and store_url's failures
    denied = {
        ref["Ref"]
        for policy in resources_of(template, "AWS::SQS::QueuePolicy").values()
        if any(
            s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            for s in policy["Properties"]["PolicyDocument"]["Statement"]
        )
        for ref in policy["Properties"]["Queues"]
    }
    assert denied == set(queues)

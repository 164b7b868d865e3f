"""Deployed = local: API Gateway refuses nothing that create_qr would answer, and what it does answer
itself (405, 404, 413, 429) is the same JSON as the local stand-in's, from contract/gateway.py."""

import json

import jsonschema_rs
import pytest
from support.helpers import call
from support.templates import resources_of, the_resource
from support.violations import NOT_FROM_A_CLIENT, VIOLATIONS, configured, send

from contract import gateway
from qr_service import errors
from qr_service import fields as F

pytestmark = pytest.mark.synth


def test_every_rule_of_the_definition_has_a_violating_request():
    declared = {rule.code for f in F.FIELDS.values() for rule in f.rules} | {r.code for r in F.REQUEST_RULES}
    assert set(VIOLATIONS) == declared - NOT_FROM_A_CLIENT


def _resource_id(template: dict, path: str) -> str:
    """The logical id of the API resource at `path` (/qr, /keys/{id})."""
    parts = path.strip("/").split("/")
    found = None
    for part in parts:
        [found] = [
            rid
            for rid, r in resources_of(template, "AWS::ApiGateway::Resource").items()
            if r["Properties"]["PathPart"] == part
            and (found is None or r["Properties"]["ParentId"] == {"Ref": found})
            and (found is not None or "Fn::GetAtt" in r["Properties"]["ParentId"])
        ]
    assert found is not None
    return found


def _method(template: dict, verb: str, path: str = gateway.API_PATH) -> dict:
    return the_resource(
        template, "AWS::ApiGateway::Method", HttpMethod=verb, ResourceId={"Ref": _resource_id(template, path)}
    )[1]


def gateway_passes(template: dict, verb: str, query: str | None, body: bytes | None) -> bool:
    """Whether API Gateway, as the template configures it, hands this request to the integration."""
    method = _method(template, verb)
    if "RequestValidatorId" not in method:
        return True
    validator = template["Resources"][method["RequestValidatorId"]["Ref"]]["Properties"]
    if validator.get("ValidateRequestParameters"):
        given = {pair.split("=")[0] for pair in (query or "").split("&") if pair}
        for key, required in method.get("RequestParameters", {}).items():
            name = key.removeprefix("method.request.querystring.")
            if required and key != name and name not in given:
                return False
    if validator.get("ValidateRequestBody") and "RequestModels" in method:
        model = template["Resources"][method["RequestModels"]["application/json"]["Ref"]]["Properties"]
        try:
            parsed = json.loads(body or b"")
        except ValueError:
            return False
        return jsonschema_rs.Draft4Validator(model["Schema"]).is_valid(parsed)
    return True


@pytest.mark.parametrize("code", sorted(VIOLATIONS))
def test_each_broken_rule_passes_the_gateway_and_the_handler_answers_it(
    template, aws, lambda_context, monkeypatch, code
):
    import create_qr

    configured(monkeypatch, code)
    method, query, body = send(VIOLATIONS[code])
    assert gateway_passes(template, method, query, body), f"API Gateway would answer {code} itself"
    status, _, answer = call(create_qr, lambda_context, method=method, body=body, query=query or "")
    assert answer["code"] == code, answer
    rules = {rule.code: rule for rule in F.all_rules()}
    assert status == rules[code].status
    owners = {rule.code: spec.name for spec in F.FIELDS.values() for rule in spec.rules}
    # A content rule is said of the part it concerns (content.ssid), or of content as a whole.
    field = answer.get("field")
    assert field == owners.get(code) or (owners.get(code) == "content" and field.startswith("content.")), answer


def test_the_parity_check_can_fail_a_gateway_that_validates(template):
    """A model like the one API Gateway used to take from openapi.json refuses box_size 41 itself."""
    strict = json.loads(json.dumps(template))
    post = next(
        m for m in resources_of(strict, "AWS::ApiGateway::Method").values() if m["Properties"]["HttpMethod"] == "POST"
    )
    strict["Resources"]["V"] = {
        "Type": "AWS::ApiGateway::RequestValidator",
        "Properties": {"ValidateRequestBody": True},
    }
    schema = {"type": "object", "properties": {"box_size": {"type": "integer", "maximum": 40}}}
    strict["Resources"]["M"] = {"Type": "AWS::ApiGateway::Model", "Properties": {"Schema": schema}}
    post["Properties"].update(RequestValidatorId={"Ref": "V"}, RequestModels={"application/json": {"Ref": "M"}})
    assert not gateway_passes(strict, "POST", None, json.dumps(VIOLATIONS["box_size.range"]).encode())
    assert gateway_passes(strict, "POST", None, b'{"url": "e.x"}')


def test_get_without_url_reaches_the_handler(template):
    method = _method(template, "GET")
    assert not any(method.get("RequestParameters", {}).values())
    assert "RequestValidatorId" not in method and "RequestValidatorId" not in _method(template, "POST")


@pytest.mark.parametrize("route", gateway.ROUTES, ids=[r.path for r in gateway.ROUTES])
def test_each_resource_has_its_methods_and_a_405_that_is_the_local_servers_body(template, route):
    """The mock integration's template, with API Gateway's $context.httpMethod filled in, is the local body."""
    from local import gateway as stand_in

    for verb in route.methods:
        assert _method(template, verb, route.path)["Integration"]["Type"] == "AWS_PROXY"
    method = _method(template, "ANY", route.path)
    assert method["Integration"]["Type"] == "MOCK"
    [response] = method["Integration"]["IntegrationResponses"]
    assert response["StatusCode"] == "405" and "SelectionPattern" not in response
    headers = response["ResponseParameters"]
    assert headers["method.response.header.Allow"] == f"'{', '.join(route.allow)}'"
    assert "DomainName" in json.dumps(headers["method.response.header.Access-Control-Allow-Origin"])
    vtl = response["ResponseTemplates"]["application/json"]
    path = route.path.replace("{id}", "0123456789ab")
    for verb in (v for v in ("PUT", "PATCH", "BREW", "DELETE", "POST") if v not in route.methods):
        local = stand_in.refuses(path, verb, 0, "https://example.com")
        assert local is not None and local.status == 405
        assert vtl.replace("$context.httpMethod", verb).encode() == local.body
        assert local.headers["Allow"] == ", ".join(route.allow)
    assert json.loads(route.not_allowed("PUT"))["code"] == errors.METHOD_NOT_ALLOWED.code


@pytest.mark.parametrize(
    ("response_type", "status", "body"),
    [
        ("MISSING_AUTHENTICATION_TOKEN", "404", gateway.error_body(errors.NO_SUCH_FILE)),
        ("REQUEST_TOO_LARGE", "413", gateway.error_body(errors.PAYLOAD_TOO_LARGE, limit=gateway.MAX_PAYLOAD_BYTES)),
        ("THROTTLED", "429", gateway.error_body(errors.THROTTLED)),
    ],
)
def test_the_gateways_own_answers_are_the_contracts(template, response_type, status, body):
    _, response = the_resource(template, "AWS::ApiGateway::GatewayResponse", ResponseType=response_type)
    assert response["StatusCode"] == status
    assert response["ResponseTemplates"]["application/json"] == body
    assert json.loads(body)["code"]


def test_no_gateway_response_is_left_without_a_code(template):
    for response in resources_of(template, "AWS::ApiGateway::GatewayResponse").values():
        assert '"code": "' in response["Properties"]["ResponseTemplates"]["application/json"]


def test_the_preflight_says_what_create_qrs_own_says(template, aws, lambda_context):
    """Deployed, API Gateway answers OPTIONS; in `make run`, create_qr does. Both name the same methods and headers."""
    import create_qr

    _, headers, _ = call(create_qr, lambda_context, method="OPTIONS", headers={"Origin": "https://qr.example.com"})
    for route in gateway.ROUTES:
        [response] = _method(template, "OPTIONS", route.path)["Integration"]["IntegrationResponses"]
        deployed = response["ResponseParameters"]
        for name in ("Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"):
            assert deployed[f"method.response.header.{name}"] == f"'{headers[name]}'", name

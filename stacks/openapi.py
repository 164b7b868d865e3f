"""The API's contract, website/openapi.json, as the stack uses it: API Gateway's request checks come from it.

The document is the one source of truth for the request's shape; the handler's own checks are held
to it by tests/test_openapi.py.
"""

import json
from pathlib import Path

from aws_cdk import aws_apigateway as apigw

DOCUMENT = Path(__file__).resolve().parent.parent / "website" / "openapi.json"
# JSON Schema keywords and the JsonSchema property each maps to.
_KEYWORDS = {
    "type": "type",
    "title": "title",
    "description": "description",
    "required": "required",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
    "enum": "enum",
    "additionalProperties": "additional_properties",
}
# Documentation only: API Gateway's draft-4 models do not take them.
_IGNORED = {"default", "example", "format"}


def document() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def resolve(doc: dict, schema: dict) -> dict:
    """The schema with every local $ref replaced by what it points at."""
    if "$ref" in schema:
        node = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return resolve(doc, node)
    resolved = dict(schema)
    if "properties" in resolved:
        resolved["properties"] = {name: resolve(doc, prop) for name, prop in resolved["properties"].items()}
    return resolved


def request_body_schema(doc: dict | None = None) -> dict:
    doc = doc or document()
    body = doc["paths"]["/qr"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return resolve(doc, body)


def required_query_parameters(doc: dict | None = None) -> list[str]:
    doc = doc or document()
    return [p["name"] for p in doc["paths"]["/qr"]["get"]["parameters"] if p["in"] == "query" and p.get("required")]


def to_apigw(schema: dict, title: str | None = None) -> apigw.JsonSchema:
    """An API Gateway (JSON Schema draft 4) model schema from an OpenAPI 3.0 schema object."""
    unknown = set(schema) - set(_KEYWORDS) - _IGNORED - {"properties"}
    if unknown:
        raise ValueError(f"openapi.json uses schema keywords the API Gateway model cannot take: {sorted(unknown)}")
    props = {_KEYWORDS[key]: value for key, value in schema.items() if key in _KEYWORDS}
    if "type" in props:
        props["type"] = apigw.JsonSchemaType[props["type"].upper()]
    if "properties" in schema:
        props["properties"] = {name: to_apigw(prop) for name, prop in schema["properties"].items()}
    if title:
        props["title"] = title
        props["schema"] = apigw.JsonSchemaVersion.DRAFT4
    return apigw.JsonSchema(**props)

"""Small helpers shared by the handler tests."""

import base64
import json
import re

import boto3

from local import apigw, emulation


def call(
    handler_module, context, method="POST", body=None, query="", headers=None, base64_body=False, path="/qr"
) -> tuple:
    """Invoke a handler (create_qr, manage_keys) with a proxy event for `path`, routed as the stage routes it;
    returns (status, flat headers, body): parsed JSON, or the bytes of a binary (base64-encoded) answer."""
    from contract import gateway

    raw = body if body is None or isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    found = gateway.route(path)
    resource, params = found if found else (None, {})
    event = apigw.proxy_event(
        method,
        path,
        query=query,
        body=raw,
        headers=headers,
        base64_body=base64_body,
        resource=resource.path if resource else None,
        path_parameters=params,
    )
    response = handler_module.handler(event, context)
    body_out = None
    if response.get("isBase64Encoded"):
        body_out = base64.b64decode(response["body"])
    elif response.get("body"):
        kind = apigw.response_headers(response).get("Content-Type", "")
        body_out = json.loads(response["body"]) if kind.startswith("application/json") else response["body"]
    return response["statusCode"], apigw.response_headers(response), body_out


def object_key(qr_code_url: str) -> str:
    return re.sub(r"^https://[^/]+/", "", qr_code_url)


def get_object(resources: emulation.Resources, qr_code_url: str) -> dict:
    return boto3.client("s3").get_object(Bucket=resources.bucket, Key=object_key(qr_code_url))


def bucket_keys(resources: emulation.Resources) -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=resources.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def table_items(resources: emulation.Resources) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=resources.table)["Items"]


def queued(resources: emulation.Resources) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=resources.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def svg_to_png(svg: bytes, scale: int = 8) -> bytes:
    """Rasterize an SVG with a real renderer (cairo), `scale` pixels per module, for the decoder."""
    import cairosvg

    side = int(re.search(rb'viewBox="0 0 (\d+) \1"', svg).group(1))
    return cairosvg.svg2png(bytestring=svg, output_width=side * scale, output_height=side * scale)

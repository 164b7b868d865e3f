"""Build API Gateway REST proxy events (payload 1.0), as API Gateway hands them to `create_qr`."""

import base64
import time
import uuid
from typing import Any
from urllib.parse import parse_qs


def response_headers(response: dict[str, Any]) -> dict[str, str]:
    """A proxy response's headers as one flat dict (the last value of each multi-value header)."""
    headers = {name: values[-1] for name, values in (response.get("multiValueHeaders") or {}).items()}
    headers.update(response.get("headers") or {})
    return headers


def proxy_event(
    method: str,
    path: str = "/qr",
    query: str = "",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`query` is the raw query string; `base64_body` sends the body encoded, as for binary media types;
    `resource` is the API's resource path (`/keys/{id}`) when it is not `path` itself."""
    multi = parse_qs(query, keep_blank_values=True) if query else None
    headers = dict(headers or {})
    text = None
    if body is not None:
        text = base64.b64encode(body).decode("ascii") if base64_body else body.decode("utf-8", errors="replace")
    request_id = str(uuid.uuid4())
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} if multi else None,
        "multiValueQueryStringParameters": multi,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource or path,
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": text,
        "isBase64Encoded": base64_body,
    }

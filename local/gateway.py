"""API Gateway's stand-in: what the deployed stage decides before a function runs, from the same
module the stack builds it from (contract/gateway.py), with the same texts: the resources and their
methods, the payload limit, and the proxy event it hands the function."""

import base64
from dataclasses import dataclass

from contract import gateway
from local.apigw import proxy_event, response_headers
from local.service import LocalService
from qr_service import errors


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def error(status: int, body: str, origin: str, allow: tuple[str, ...] = ()) -> Answer:
    """An error the gateway answers itself: its JSON body, with CORS naming the first allowed origin."""
    headers = gateway.error_headers(origin)
    if allow:
        headers["Allow"] = ", ".join(allow)
    return Answer(status, headers, body.encode("utf-8"))


def refuses(path: str, method: str, content_length: int, origin: str) -> Answer | None:
    """The gateway's answer when it refuses the request before any function, else None."""
    found = gateway.route(path)
    if found is None:
        return error(404, gateway.error_body(errors.NO_SUCH_FILE), origin)
    resource = found[0]
    if method not in resource.allow:
        return error(405, resource.not_allowed(method), origin, resource.allow)
    if content_length > gateway.MAX_PAYLOAD_BYTES:
        return error(413, gateway.error_body(errors.PAYLOAD_TOO_LARGE, limit=gateway.MAX_PAYLOAD_BYTES), origin)
    return None


def invoke(
    service: LocalService, path: str, method: str, query: str, body: bytes | None, headers: dict[str, str]
) -> tuple[Answer, str]:
    """The resource's function behind the proxy integration (a path `refuses` let through); its answer and,
    for create_qr, whether it was a cache hit or miss."""
    found = gateway.route(path)
    assert found is not None
    resource, params = found
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    binary = body is not None and gateway.is_binary(content_type)
    event = proxy_event(
        method,
        path,
        query=query,
        body=body,
        headers=headers,
        base64_body=binary,
        resource=resource.path,
        path_parameters=params,
    )
    response, cache = service.invoke_api(resource.function, event)
    text = response.get("body") or ""
    assert isinstance(text, str)
    payload = base64.b64decode(text) if response.get("isBase64Encoded") else text.encode("utf-8")
    return Answer(int(str(response["statusCode"])), response_headers(response), payload), cache

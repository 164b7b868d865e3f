"""API Gateway (REST, proxy) handler: POST /qr answers JSON, GET (and HEAD) /qr answers the image itself."""

import base64
import hashlib
import json
import time
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import errors, payload
from qr_service.config import create_qr_settings
from qr_service.errors import RequestError
from qr_service.names import (
    API_METHODS,
    CORS_ALLOW_HEADERS,
    CORS_MAX_AGE_SECONDS,
    IMAGE_CONTENT_SECURITY_POLICY,
    Metric,
)
from qr_service.request import QrRequest, build_request
from qr_service.service import QrResult, StorageError, get_or_create, with_image
from qr_service.telemetry import count, logger, metrics

settings = create_qr_settings()
app = APIGatewayRestResolver()


def _cors() -> dict[str, str]:
    """Every response names an allowed origin: the caller's when it is listed, otherwise the first."""
    origin = app.current_event.headers.get("Origin")
    allowed = settings.allowed_origins
    return {"Access-Control-Allow-Origin": origin if origin in allowed else allowed[0], "Vary": "Origin"}


def _json(status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **_cors(), **(headers or {})},
    )


@app.route("/qr", method="OPTIONS")
def preflight() -> Response[str]:
    """The deployed API answers preflight in API Gateway; this serves the local run and direct invokes."""
    return Response(
        status_code=204,
        body="",
        headers={
            **_cors(),
            "Access-Control-Allow-Methods": ",".join(API_METHODS),
            "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
            "Access-Control-Max-Age": str(CORS_MAX_AGE_SECONDS),
        },
    )


def _answer(result: QrResult) -> dict[str, object]:
    expires = datetime.fromtimestamp(result.expires_at, tz=UTC)
    return {
        "message": "QR code found in the cache." if result.cached else "QR code created.",
        "qr_code_url": result.qr_code_url,
        "cached": result.cached,
        "expires_at": expires.isoformat().replace("+00:00", "Z"),
        # Only images a decoder has read back are stored, so every answer, a hit too, is verified.
        "verified": True,
    }


@app.post("/qr")
def create() -> Response[str]:
    event = app.current_event
    req = build_request(
        payload.body_fields(event.body, bool(event.is_base64_encoded)), allowed_hosts=settings.allowed_hosts
    )
    if not req.inline:
        return _json(200, _answer(get_or_create(settings, req)))
    result, image = with_image(settings, req)
    data_uri = f"data:{req.content_type};base64,{base64.b64encode(image).decode('ascii')}"
    return _json(200, {**_answer(result), "data_uri": data_uri})


@app.route("/qr", method=["GET", "HEAD"])
def image() -> Response[bytes]:
    """The image itself, for <img src>: the edge (and browsers) may keep it exactly as long as it lives."""
    req: QrRequest = build_request(
        payload.query_fields(app.current_event.multi_value_query_string_parameters),
        from_query=True,
        allowed_hosts=settings.allowed_hosts,
    )
    result, body = with_image(settings, req)
    max_age = max(0, result.expires_at - int(time.time()))
    return Response(
        status_code=200,
        content_type=req.content_type,
        body=body,  # bytes: Powertools base64-encodes them, API Gateway's binary media types restore them
        headers={
            "Cache-Control": f"public, max-age={max_age}",
            "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
            "Content-Security-Policy": IMAGE_CONTENT_SECURITY_POLICY,  # an SVG opened on its own runs nothing
            "X-Content-Type-Options": "nosniff",
            **_cors(),
        },
    )


@app.not_found
def not_found(_: Exception) -> Response[str]:
    count(Metric.REQUESTS_REJECTED)
    return _json(404, errors.NOT_FOUND.body())


@app.exception_handler(RequestError)
def bad_request(error: RequestError) -> Response[str]:
    logger.info("Rejected request", extra={"code": error.code, "reason": error.message, "status": error.status})
    count(Metric.REQUESTS_REJECTED)
    return _json(error.status, error.payload())


@app.exception_handler(StorageError)
def storage_failed(_: StorageError) -> Response[str]:
    return _json(503, errors.STORAGE_UNAVAILABLE.body())


@app.exception_handler(Exception)
def unexpected(_: Exception) -> Response[str]:
    logger.exception("Unexpected error")
    count(Metric.UNEXPECTED_ERRORS)
    return _json(500, errors.INTERNAL.body())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)

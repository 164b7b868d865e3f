"""API Gateway (REST, proxy) handler: POST /qr answers JSON, GET /qr redirects to the image."""

import json
import time
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import errors, payload
from qr_service.config import create_qr_settings
from qr_service.errors import RequestError
from qr_service.names import Metric
from qr_service.request import build_request
from qr_service.service import QrResult, StorageError, get_or_create
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
            "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        },
    )


def _answer(result: QrResult) -> dict[str, object]:
    expires = datetime.fromtimestamp(result.expires_at, tz=UTC)
    return {
        "message": "QR code found in the cache." if result.cached else "QR code created.",
        "qr_code_url": result.qr_code_url,
        "cached": result.cached,
        "expires_at": expires.isoformat().replace("+00:00", "Z"),
    }


@app.post("/qr")
def create() -> Response[str]:
    event = app.current_event
    fields = payload.body_fields(event.body, bool(event.is_base64_encoded))
    return _json(200, _answer(get_or_create(settings, build_request(fields))))


@app.get("/qr")
def redirect() -> Response[str]:
    """A redirect the edge (and browsers) may keep exactly as long as the mapping lives, never longer."""
    fields = payload.query_fields(app.current_event.multi_value_query_string_parameters)
    result = get_or_create(settings, build_request(fields, from_query=True))
    max_age = max(0, result.expires_at - int(time.time()))
    return _json(
        302,
        _answer(result),
        headers={"Location": result.qr_code_url, "Cache-Control": f"public, max-age={max_age}"},
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

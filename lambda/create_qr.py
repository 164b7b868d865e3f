"""API Gateway (REST, proxy) handler: POST /qr answers JSON, GET /qr redirects to the image."""

import json
import time
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from qr_service import request as qr_request
from qr_service.config import create_qr_settings
from qr_service.service import QrResult, StorageError, get_or_create
from qr_service.telemetry import logger, metrics

settings = create_qr_settings()
app = APIGatewayRestResolver()


def _cors() -> dict[str, str]:
    """Every response names an allowed origin: the caller's when it is listed, otherwise the first."""
    origin = app.current_event.headers.get("Origin")
    allowed = settings.allowed_origins
    return {"Access-Control-Allow-Origin": origin if origin in allowed else allowed[0], "Vary": "Origin"}


def _json(status: int, payload: dict, headers: dict | None = None) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(payload, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **_cors(), **(headers or {})},
    )


@app.route("/qr", method="OPTIONS")
def preflight() -> Response:
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


def _payload(result: QrResult) -> dict:
    expires = datetime.fromtimestamp(result.expires_at, tz=UTC)
    return {
        "message": "QR code found in the cache." if result.cached else "QR code created.",
        "qr_code_url": result.qr_code_url,
        "cached": result.cached,
        "expires_at": expires.isoformat().replace("+00:00", "Z"),
    }


@app.post("/qr")
def create() -> Response:
    event = app.current_event
    req = qr_request.from_body(event.body, bool(event.is_base64_encoded))
    return _json(200, _payload(get_or_create(settings, req)))


@app.get("/qr")
def redirect() -> Response:
    """A redirect the edge (and browsers) may keep exactly as long as the mapping lives, never longer."""
    req = qr_request.from_query(app.current_event.multi_value_query_string_parameters)
    result = get_or_create(settings, req)
    max_age = max(0, result.expires_at - int(time.time()))
    return _json(
        302,
        _payload(result),
        headers={"Location": result.qr_code_url, "Cache-Control": f"public, max-age={max_age}"},
    )


@app.not_found
def not_found(_: Exception) -> Response:
    metrics.add_metric(name="RequestsRejected", unit=MetricUnit.Count, value=1)
    return _json(404, {"message": "Not found: the API serves /qr (POST, or GET with ?url=)."})


@app.exception_handler(qr_request.RequestError)
def bad_request(error: qr_request.RequestError) -> Response:
    logger.info("Rejected request", extra={"reason": error.message, "status": error.status})
    metrics.add_metric(name="RequestsRejected", unit=MetricUnit.Count, value=1)
    payload = {"message": error.message, **({"field": error.field} if error.field else {})}
    return _json(error.status, payload)


@app.exception_handler(StorageError)
def storage_failed(_: StorageError) -> Response:
    return _json(503, {"message": "The QR image could not be stored. Please try again shortly."})


@app.exception_handler(Exception)
def unexpected(_: Exception) -> Response:
    logger.exception("Unexpected error")
    metrics.add_metric(name="UnexpectedErrors", unit=MetricUnit.Count, value=1)
    return _json(500, {"message": "Internal error. Please try again; if it persists, report it."})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event, context):
    return app.resolve(event, context)

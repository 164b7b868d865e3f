"""API Gateway (REST, proxy) handler: POST /qr answers JSON, GET /qr redirects to the image."""

import json
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from qr_service import request as qr_request
from qr_service.config import create_qr_settings
from qr_service.service import QrResult, StorageError, get_or_create
from qr_service.telemetry import logger, metrics

settings = create_qr_settings()
app = APIGatewayRestResolver(
    cors=CORSConfig(
        allow_origin=settings.allowed_origins[0],
        extra_origins=list(settings.allowed_origins[1:]),
        allow_headers=["Content-Type"],
        max_age=600,
    )
)


def _json(status: int, payload: dict, headers: dict | None = None) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(payload, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **(headers or {})},
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
    req = qr_request.from_query(app.current_event.multi_value_query_string_parameters)
    result = get_or_create(settings, req)
    return _json(302, _payload(result), headers={"Location": result.qr_code_url})


@app.exception_handler(qr_request.RequestError)
def bad_request(error: qr_request.RequestError) -> Response:
    logger.info("Rejected request", extra={"reason": error.message, "status": error.status})
    metrics.add_metric(name="RequestsRejected", unit=MetricUnit.Count, value=1)
    return _json(error.status, {"message": error.message})


@app.exception_handler(StorageError)
def storage_failed(_: StorageError) -> Response:
    return _json(503, {"message": "The QR image could not be stored. Please try again shortly."})


@app.exception_handler(Exception)
def unexpected(_: Exception) -> Response:
    logger.exception("Unexpected error")
    metrics.add_metric(name="UnexpectedErrors", unit=MetricUnit.Count, value=1)
    return _json(500, {"message": "Internal error. Please try again; if it persists, report it."})


def _with_origin(response: dict) -> dict:
    """Powertools adds CORS headers only for a matching Origin; the contract sends one always."""
    headers = response.setdefault("multiValueHeaders", {})
    if "Access-Control-Allow-Origin" not in {**headers, **response.get("headers", {})}:
        headers["Access-Control-Allow-Origin"] = [settings.allowed_origins[0]]
    headers["Vary"] = ["Origin"]
    return response


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event, context):
    return _with_origin(app.resolve(event, context))

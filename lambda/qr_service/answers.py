"""What every handler behind the API answers the same way: CORS, JSON, the preflight, and the contract's
errors (a refusal, a failed dependency, anything unexpected) with no stack trace."""

import json

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from qr_service import errors
from qr_service.errors import RequestError
from qr_service.names import API_KEY_HEADER, API_METHODS, CORS_ALLOW_HEADERS, CORS_MAX_AGE_SECONDS, Metric
from qr_service.telemetry import count, logger


class Answers:
    def __init__(self, app: APIGatewayRestResolver, allowed_origins: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_origins = allowed_origins
        app.not_found(self._not_found)
        app.exception_handler(RequestError)(self._refused)
        app.exception_handler(Exception)(self._unexpected)

    def cors(self) -> dict[str, str]:
        """Every response names an allowed origin: the caller's when it is listed, otherwise the first."""
        origin = self.app.current_event.headers.get("Origin")
        allowed = self.allowed_origins
        return {"Access-Control-Allow-Origin": origin if origin in allowed else allowed[0], "Vary": "Origin"}

    def json(self, status: int, body: dict[str, object], headers: dict[str, str] | None = None) -> Response[str]:
        return Response(
            status_code=status,
            content_type="application/json",
            body=json.dumps(body, ensure_ascii=False),
            headers={"Cache-Control": "no-store", **self.cors(), **(headers or {})},
        )

    def empty(self, status: int) -> Response[str]:
        return Response(status_code=status, body="", headers={"Cache-Control": "no-store", **self.cors()})

    def api_key(self) -> str | None:
        """The caller's key: the X-API-Key header, in any letter case."""
        return self.app.current_event.headers.get(API_KEY_HEADER)  # Powertools' headers ignore letter case

    def preflight(self, path: str) -> None:
        """The deployed API answers preflight in API Gateway; this serves the local run and direct invokes."""

        def answer(**_path_parameters: str) -> Response[str]:
            return Response(
                status_code=204,
                body="",
                headers={
                    **self.cors(),
                    "Access-Control-Allow-Methods": ",".join(API_METHODS),
                    "Access-Control-Allow-Headers": ",".join(CORS_ALLOW_HEADERS),
                    "Access-Control-Max-Age": str(CORS_MAX_AGE_SECONDS),
                },
            )

        self.app.route(path, method="OPTIONS")(answer)

    def _not_found(self, _: Exception) -> Response[str]:
        count(Metric.REQUESTS_REJECTED)
        return self.json(404, errors.NO_SUCH_FILE.body())

    def _refused(self, error: RequestError) -> Response[str]:
        logger.info("Rejected request", extra={"code": error.code, "reason": error.message, "status": error.status})
        count(Metric.REQUESTS_REJECTED)
        return self.json(error.status, error.payload())

    def _unexpected(self, _: Exception) -> Response[str]:
        logger.exception("Unexpected error")
        count(Metric.UNEXPECTED_ERRORS)
        return self.json(500, errors.INTERNAL.body())

"""API Gateway (REST, proxy) handler: POST /qr answers JSON (or, as a preview, only the drawn image), GET (and
HEAD) /qr answers the image itself, and /img/c/<id>.<format> a dynamic code's image."""

import base64
import hashlib
import time
from datetime import UTC, datetime

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import auth, codes, errors, payload
from qr_service.answers import Answers
from qr_service.config import base_url, codes_table, create_qr_settings
from qr_service.fields import FORMATS
from qr_service.names import (
    API_PATH,
    BATCH_PATH,
    CODE_IMAGE_FILE,
    CODE_IMAGES_PREFIX,
    IMAGE_CONTENT_SECURITY_POLICY,
    LINK_PATH,
)
from qr_service.request import QrRequest, build_request
from qr_service.service import QrResult, StorageError, get_or_create, make_batch, with_image
from qr_service.telemetry import logger, metrics

settings = create_qr_settings()
app = APIGatewayRestResolver()
answers = Answers(app, settings.allowed_origins)
answers.preflight(API_PATH)
answers.preflight(BATCH_PATH)
answers.preflight(f"{CODE_IMAGES_PREFIX}{LINK_PATH}/<{CODE_IMAGE_FILE}>")


def _authorize() -> None:
    """With qr.access "key", a request needs a valid key (checked before anything else); public, none."""
    if settings.key_required:
        caller = auth.caller(answers.api_key())
        logger.append_keys(key_id=caller.id)  # which key, never the key


def _answer(req: QrRequest, result: QrResult) -> dict[str, object]:
    expires = datetime.fromtimestamp(result.expires_at, tz=UTC)
    return {
        "text": req.url,
        "message": "QR code found in the cache." if result.cached else "QR code created.",
        "qr_code_url": result.qr_code_url,
        "cached": result.cached,
        "expires_at": expires.isoformat().replace("+00:00", "Z"),
        # Only images a decoder has read back are stored, so every answer, a hit too, is verified.
        "verified": True,
    }


def _data_uri(req: QrRequest, image: bytes) -> str:
    return f"data:{req.content_type};base64,{base64.b64encode(image).decode('ascii')}"


def _preview(req: QrRequest) -> dict[str, object]:
    """The image drawn and read back, and nothing else: no cache read, no object, no event."""
    from qr_service.render import render_verified  # as on a miss: a preview always draws

    image = render_verified(req)
    return {
        "message": "Preview: drawn and read back; nothing was stored.",
        "preview": True,
        "text": req.url,
        "verified": True,
        "data_uri": _data_uri(req, image),
    }


@app.post(API_PATH)
def create() -> Response[str]:
    _authorize()
    event = app.current_event
    req = build_request(
        payload.body_fields(event.body, bool(event.is_base64_encoded)), allowed_hosts=settings.allowed_hosts
    )
    if req.preview:
        return answers.json(200, _preview(req))
    if not req.inline:
        return answers.json(200, _answer(req, get_or_create(settings, req)))
    result, image = with_image(settings, req)
    return answers.json(200, {**_answer(req, result), "data_uri": _data_uri(req, image)})


@app.post(BATCH_PATH)
def create_batch() -> Response[str]:
    """1 to 100 codes in one request, each made (or found) as POST /qr would, a bad one failing alone, and a ZIP."""
    from qr_service import batch  # the ZIP and CSV writers load only for a batch

    _authorize()
    event = app.current_event
    fields = payload.body_fields(event.body, bool(event.is_base64_encoded), limit=batch.MAX_BODY_BYTES)
    return answers.json(200, make_batch(settings, fields))


@app.route(API_PATH, method=["GET", "HEAD"])
def image() -> Response[bytes]:
    """The image itself, for <img src>: the edge (and browsers) may keep it exactly as long as it lives.

    With a key required the answer is `private`: the edge keeps none, so a revoked key is refused at once and
    no keyless caller gets an image a key paid for."""
    _authorize()
    req: QrRequest = build_request(
        payload.query_fields(app.current_event.multi_value_query_string_parameters),
        from_query=True,
        allowed_hosts=settings.allowed_hosts,
    )
    return _image(req, private=settings.key_required)


@app.route(f"{CODE_IMAGES_PREFIX}{LINK_PATH}/<{CODE_IMAGE_FILE}>", method=["GET", "HEAD"])
def code_image(file: str) -> Response[bytes] | Response[str]:
    """A dynamic code's image (/c/<id>.png or .svg on the site): its short link in its stored style, made and
    kept like any other image. Public in every access mode: it is printed for anyone to scan; it stays the same
    when the target changes."""
    code_id, _, kind = file.rpartition(".")
    code = codes.get(codes_table(), code_id) if kind in FORMATS else None
    if code is None:
        return answers.json(404, errors.LINK_NOT_FOUND.body())
    if code.deleted:
        return answers.json(410, errors.LINK_GONE.body())
    fields = {**code.style, "url": codes.short_url(base_url(), code.id), "format": kind}
    return _image(build_request(fields), private=False)


def _image(req: QrRequest, private: bool) -> Response[bytes]:
    """An image answer: the edge (and browsers) may keep it as long as it lives, unless it is one key's."""
    result, body = with_image(settings, req)
    max_age = max(0, result.expires_at - int(time.time()))
    return Response(
        status_code=200,
        content_type=req.content_type,
        body=body,  # bytes: Powertools base64-encodes them, API Gateway's binary media types restore them
        headers={
            "Cache-Control": f"{'private' if private else 'public'}, max-age={max_age}",
            "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
            "Content-Security-Policy": IMAGE_CONTENT_SECURITY_POLICY,  # an SVG opened on its own runs nothing
            "X-Content-Type-Options": "nosniff",
            **answers.cors(),
        },
    )


@app.exception_handler(StorageError)
def storage_failed(_: StorageError) -> Response[str]:
    return answers.json(503, errors.STORAGE_UNAVAILABLE.body())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)

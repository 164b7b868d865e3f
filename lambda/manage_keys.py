"""API Gateway (REST, proxy) handler for /keys: the admin creates, lists and revokes API keys.

Every call needs the admin key (qr_service.auth), in either access mode. No imaging import: a key is
managed without loading qrcode or Pillow.
"""

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import auth, keys, payload
from qr_service.answers import Answers
from qr_service.config import allowed_origins, key_settings
from qr_service.names import KEY_ID, KEYS_PATH
from qr_service.telemetry import logger, metrics

KEY_PATH = f"{KEYS_PATH}/<{KEY_ID}>"
app = APIGatewayRestResolver()
answers = Answers(app, allowed_origins())
answers.preflight(KEYS_PATH)
answers.preflight(KEY_PATH)


def _admin() -> None:
    auth.admin(answers.api_key())


@app.post(KEYS_PATH)
def create() -> Response[str]:
    _admin()
    event = app.current_event
    name = keys.parse_name(payload.body_fields(event.body, bool(event.is_base64_encoded)))
    created, secret = keys.create(key_settings().table_name, name)
    logger.info("Key created", extra={"key_id": created.id})
    body: dict[str, object] = {"id": created.id, "name": created.name, "key": secret, "created_at": created.created_at}
    return answers.json(201, body)


@app.get(KEYS_PATH)
def listing() -> Response[str]:
    _admin()
    return answers.json(200, {"keys": [key.listing() for key in keys.all_keys(key_settings().table_name)]})


@app.delete(KEY_PATH)
def revoke(id: str) -> Response[str]:
    _admin()
    keys.revoke(key_settings().table_name, id)
    logger.info("Key revoked", extra={"key_id": id})
    return answers.empty(204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)

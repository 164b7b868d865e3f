"""API Gateway (REST, proxy) handler for /codes: a key's dynamic codes, made, read with their scan counts,
changed and deleted. Any valid key, in either access mode; a key sees its own codes, the admin sees all.
"""

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import auth, codes, payload
from qr_service.answers import Answers
from qr_service.config import allowed_hosts, allowed_origins, base_url, codes_table
from qr_service.names import CODES_PATH, KEY_ID
from qr_service.telemetry import logger, metrics

CODE_PATH = f"{CODES_PATH}/<{KEY_ID}>"
app = APIGatewayRestResolver()
answers = Answers(app, allowed_origins())
answers.preflight(CODES_PATH)
answers.preflight(CODE_PATH)


def _caller() -> auth.Caller:
    caller = auth.caller(answers.api_key())
    logger.append_keys(key_id=caller.id)
    return caller


def _body() -> dict[str, object]:
    event = app.current_event
    return payload.body_fields(event.body, bool(event.is_base64_encoded))


@app.post(CODES_PATH)
def create() -> Response[str]:
    caller = _caller()
    target, style = codes.parse_new(_body(), base_url(), allowed_hosts())
    code = codes.create(codes_table(), caller.id, target, style)
    logger.info("Code created", extra={"code_id": code.id})
    return answers.json(201, code.answer(base_url()))


@app.get(CODES_PATH)
def listing() -> Response[str]:
    caller = _caller()
    token = app.current_event.get_query_string_value("next")
    found, following = codes.page(codes_table(), caller.id, caller.admin, token)
    listed = [
        {**code.answer(base_url()), "recent_scans": codes.scans(codes_table(), code.id, recent=True).recent()}
        for code in found
    ]
    return answers.json(200, {"codes": listed, "next": following})


@app.get(CODE_PATH)
def read(id: str) -> Response[str]:
    caller = _caller()
    code = codes.owned(codes_table(), id, caller.id, caller.admin)
    return answers.json(200, {**code.answer(base_url()), "scans": codes.scans(codes_table(), code.id).answer()})


@app.patch(CODE_PATH)
def change(id: str) -> Response[str]:
    caller = _caller()
    code = codes.owned(codes_table(), id, caller.id, caller.admin)
    changed = codes.update(codes_table(), code, codes.parse_update(_body(), allowed_hosts()))
    logger.info("Code changed", extra={"code_id": code.id})
    return answers.json(200, changed.answer(base_url()))


@app.delete(CODE_PATH)
def remove(id: str) -> Response[str]:
    caller = _caller()
    codes.delete(codes_table(), codes.owned(codes_table(), id, caller.id, caller.admin))
    logger.info("Code deleted", extra={"code_id": id})
    return answers.empty(204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)

"""API Gateway (REST, proxy) handler for /c/{id}: a printed dynamic code's link. GET sends the viewer on
(302, never cached, so an edit is followed at the next scan and every scan is counted); HEAD answers the
same and is not counted. It reads one code and adds to its counters, nothing else: no imaging, no keys.
"""

import html

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import codes, errors, scans
from qr_service.answers import Answers
from qr_service.config import allowed_origins, codes_table
from qr_service.names import KEY_ID, LINK_PATH, Metric
from qr_service.request import as_uri
from qr_service.telemetry import count, logger, metrics

app = APIGatewayRestResolver()
answers = Answers(app, allowed_origins())
answers.preflight(f"{LINK_PATH}/<{KEY_ID}>")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
<h1>{title}</h1><p>{text}</p></body></html>
"""
# The small page a person's browser gets: no script, no style sheet, nothing loaded from anywhere.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _refusal(rule: errors.Rule, title: str) -> Response[str]:
    """A person (a browser asking for HTML) gets a page in plain words; a program, the contract's JSON."""
    accept = app.current_event.headers.get("Accept") or ""
    if "text/html" in accept:
        page = PAGE.format(title=html.escape(title), text=html.escape(rule.message))
        headers = {
            "Cache-Control": "no-store",
            "Content-Security-Policy": PAGE_POLICY,
            "X-Content-Type-Options": "nosniff",
        }
        return Response(status_code=rule.status, content_type="text/html; charset=utf-8", body=page, headers=headers)
    return answers.json(rule.status, rule.body())


@app.route(f"{LINK_PATH}/<{KEY_ID}>", method=["GET", "HEAD"])
def follow(id: str) -> Response[str]:
    code = codes.get(codes_table(), id)
    if code is None:
        return _refusal(errors.LINK_NOT_FOUND, "No such QR code")
    if code.deleted or not code.active:
        return _refusal(errors.LINK_GONE, "This QR code is switched off")
    if app.current_event.http_method == "GET":
        headers = app.current_event.headers
        try:
            codes.count_scan(
                codes_table(),
                code.id,
                bot=scans.is_bot(headers.get("User-Agent")),
                country=scans.country(headers.get(scans.COUNTRY_HEADER)),
            )
        except Exception as error:  # a count is never worth a failed scan: send the viewer on regardless
            count(Metric.SCANS_LOST)
            logger.warning("A scan could not be counted", extra={"code_id": code.id, "error": type(error).__name__})
        count(Metric.REDIRECTS)
    # As the rules read the target (www.example.com is http://www.example.com), in a header's ASCII.
    location = as_uri(code.target)
    return Response(status_code=302, body="", headers={"Location": location, "Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)

"""EventBridge handler: cache the mapping a `qr_code` event carries, with the ttl it carries."""

from aws_lambda_powertools.utilities.typing import LambdaContext

from qr_service import cache
from qr_service.config import table_name
from qr_service.events import MalformedEvent, entry_from_event
from qr_service.names import Metric
from qr_service.telemetry import count, logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: object, context: LambdaContext) -> dict[str, object]:
    try:
        entry = entry_from_event(event)
    except MalformedEvent as error:
        # No retry can fix a malformed event: drop it loudly instead of poisoning the DLQ.
        logger.error("Dropped malformed event", extra={"reason": str(error), "event_id": _event_id(event)})
        count(Metric.MALFORMED_EVENTS)
        return {"stored": False, "reason": str(error)}
    try:
        written = cache.store(table_name(), entry)
    except Exception:
        # Raise: EventBridge invoked us asynchronously, so Lambda retries the event and then sends it to
        # this function's on-failure queue. A lost mapping costs one extra render, but is never silent.
        logger.exception("Could not store mapping", extra={"cache_key": entry.cache_key})
        count(Metric.MAPPING_STORE_FAILURES)
        raise
    logger.info("Stored mapping" if written else "Kept newer mapping", extra={"cache_key": entry.cache_key})
    count(Metric.MAPPINGS_STORED if written else Metric.OLDER_MAPPINGS_SKIPPED)
    return {"stored": written}


def _event_id(event: object) -> object:
    return event.get("id") if isinstance(event, dict) else None

"""The create_qr use case: a live cache entry, or a new image stored and announced."""

import time
from dataclasses import dataclass

from aws_lambda_powertools.metrics import MetricUnit

from qr_service import cache, events, storage
from qr_service.config import Settings
from qr_service.request import QrRequest
from qr_service.telemetry import logger, metrics


class StorageError(Exception):
    """The image could not be stored; nothing was cached or announced."""


@dataclass(frozen=True)
class QrResult:
    qr_code_url: str
    cached: bool
    expires_at: int


def _cached(settings: Settings, req: QrRequest) -> cache.CacheEntry | None:
    try:
        return cache.lookup(settings.table_name, req.cache_key, time.time())
    except Exception:
        logger.exception("Cache read failed; treating it as a miss", extra={"cache_key": req.cache_key})
        metrics.add_metric(name="CacheReadFailures", unit=MetricUnit.Count, value=1)
        return None


def _create(settings: Settings, req: QrRequest) -> QrResult:
    from qr_service.render import render  # the QR and imaging libraries load only on a miss

    body = render(req)
    try:
        storage.put_image(settings.bucket_name, req.object_key, body, req.content_type, settings.cache_ttl_seconds)
    except Exception as error:
        logger.exception("Image upload failed", extra={"cache_key": req.cache_key})
        metrics.add_metric(name="StorageFailures", unit=MetricUnit.Count, value=1)
        raise StorageError from error
    metrics.add_metric(name="ImagesGenerated", unit=MetricUnit.Count, value=1)
    entry = cache.CacheEntry(
        cache_key=req.cache_key,
        url_user=req.url,
        qr_code_url=f"{settings.qr_base_url}/{req.object_key}",
        ttl=int(time.time()) + settings.cache_ttl_seconds,
    )
    try:
        events.publish(settings.event_bus_name, entry)
    except Exception:
        logger.exception("Event publish failed; the image is served but not cached", extra={"cache_key": req.cache_key})
        metrics.add_metric(name="EventPublishFailures", unit=MetricUnit.Count, value=1)
    return QrResult(entry.qr_code_url, cached=False, expires_at=entry.ttl)


def get_or_create(settings: Settings, req: QrRequest) -> QrResult:
    entry = _cached(settings, req)
    if entry:
        logger.info("Cache hit", extra={"cache_key": req.cache_key, "cache": "hit"})
        metrics.add_metric(name="CacheHits", unit=MetricUnit.Count, value=1)
        return QrResult(entry.qr_code_url, cached=True, expires_at=entry.ttl)
    logger.info("Cache miss", extra={"cache_key": req.cache_key, "cache": "miss"})
    metrics.add_metric(name="CacheMisses", unit=MetricUnit.Count, value=1)
    return _create(settings, req)

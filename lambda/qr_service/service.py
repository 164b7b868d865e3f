"""The create_qr use case: a live cache entry, or a new image read back, stored and announced."""

import hashlib
import time
from dataclasses import dataclass

from qr_service import cache, events, storage
from qr_service.config import Settings
from qr_service.errors import STORAGE_UNAVAILABLE, RequestError
from qr_service.names import Metric
from qr_service.request import QrRequest, build_request
from qr_service.telemetry import count, logger


class StorageError(Exception):
    """The image could not be stored; nothing was cached or announced."""


@dataclass(frozen=True)
class QrResult:
    qr_code_url: str
    cached: bool
    expires_at: int
    body: bytes | None = None  # the image, when this request made it


def _cached(settings: Settings, req: QrRequest) -> cache.CacheEntry | None:
    try:
        return cache.lookup(settings.table_name, req.cache_key, time.time())
    except Exception:
        logger.exception("Cache read failed; treating it as a miss", extra={"cache_key": req.cache_key})
        count(Metric.CACHE_READ_FAILURES)
        return None


def _create(settings: Settings, req: QrRequest) -> QrResult:
    from qr_service.render import render_verified  # imaging and decoding load only on a miss
    from qr_service.verify import UnreadableRender

    try:
        body = render_verified(req)
    except UnreadableRender:
        logger.warning("Render did not read back; nothing stored", extra={"cache_key": req.cache_key})
        count(Metric.UNREADABLE_RENDERS)
        raise
    try:
        storage.put_image(settings.bucket_name, req.object_key, body, req.content_type, settings.cache_ttl_seconds)
    except Exception as error:
        logger.exception("Image upload failed", extra={"cache_key": req.cache_key})
        count(Metric.STORAGE_FAILURES)
        raise StorageError from error
    count(Metric.IMAGES_GENERATED)
    entry = cache.CacheEntry(
        cache_key=req.cache_key,
        url_user=req.link or "",  # content (a Wi-Fi password...) is never kept
        qr_code_url=f"{settings.qr_base_url}/{req.object_key}",
        ttl=int(time.time()) + settings.cache_ttl_seconds,
    )
    try:
        events.publish(settings.event_bus_name, entry)
    except Exception:
        logger.exception("Event publish failed; the image is served but not cached", extra={"cache_key": req.cache_key})
        count(Metric.EVENT_PUBLISH_FAILURES)
    return QrResult(entry.qr_code_url, cached=False, expires_at=entry.ttl, body=body)


def get_or_create(settings: Settings, req: QrRequest) -> QrResult:
    entry = _cached(settings, req)
    if entry:
        logger.info("Cache hit", extra={"cache_key": req.cache_key, "cache": "hit"})
        count(Metric.CACHE_HITS)
        return QrResult(entry.qr_code_url, cached=True, expires_at=entry.ttl)
    logger.info("Cache miss", extra={"cache_key": req.cache_key, "cache": "miss"})
    count(Metric.CACHE_MISSES)
    return _create(settings, req)


def with_image(settings: Settings, req: QrRequest) -> tuple[QrResult, bytes]:
    """The result and the image's bytes: a hit reads the stored object; if it cannot, the image is made anew."""
    result = get_or_create(settings, req)
    if result.body is not None:
        return result, result.body
    try:
        return result, storage.get_image(settings.bucket_name, req.object_key)
    except Exception:
        logger.exception("Stored image could not be read; making it anew", extra={"cache_key": req.cache_key})
        count(Metric.IMAGE_READ_FAILURES)
        made = _create(settings, req)
        assert made.body is not None
        return made, made.body


def make_batch(settings: Settings, fields: dict[str, object]) -> dict[str, object]:
    """Each item made (or found) as a single request would be, a bad item failing alone; then one ZIP of the
    images made, with a manifest, stored beside them for as long. Raises RequestError for a bad batch as a whole."""
    from qr_service import batch  # the ZIP and CSV writers load only for a batch

    shared, items = batch.parse(fields)
    results: list[dict[str, object]] = []
    made: list[tuple[int, str, QrRequest, QrResult, bytes]] = []
    failed: dict[int, tuple[str, str]] = {}
    for index, item in enumerate(items):
        name = ""
        try:
            given, own = batch.item_fields(shared, index, item)
            name = given or ""
            req = build_request(own, allowed_hosts=settings.allowed_hosts)
            batch.check_side(req)
            result, image = with_image(settings, req)
        except RequestError as error:  # a drawing that does not read back too (verify.UnreadableRender)
            problem = error.payload()
        except StorageError:
            problem = STORAGE_UNAVAILABLE.body()
        else:
            results.append({"index": index, "qr_code_url": result.qr_code_url, "text": req.url})
            made.append((index, name, req, result, image))
            continue
        results.append({"index": index, "error": problem})
        failed[index] = (name, str(problem["code"]))
    files = batch.unique_names([(batch.base_name(name, req.link, req.kind), req.format) for _, name, req, _, _ in made])
    rows = sorted(
        [
            batch.Row(index, name, file, req.kind, req.link or "", result.qr_code_url, "")
            for (index, name, req, result, _), file in zip(made, files, strict=True)
        ]
        + [batch.Row(index, name, "", "", "", "", code) for index, (name, code) in failed.items()],
        key=lambda row: row.index,
    )
    answer: dict[str, object] = {
        "message": f"{len(made)} of {len(items)} made.",
        "results": results,
        "zip_url": None,
    }
    if made:
        archive = batch.zip_of([(file, image) for (_, _, _, _, image), file in zip(made, files, strict=True)], rows)
        key = f"qr/batch-{hashlib.sha256(archive).hexdigest()}.zip"
        try:
            storage.put_image(settings.bucket_name, key, archive, "application/zip", settings.cache_ttl_seconds)
            answer["zip_url"] = f"{settings.qr_base_url}/{key}"
        except Exception:
            logger.exception("Batch ZIP upload failed; the images are stored", extra={"items": len(items)})
            count(Metric.STORAGE_FAILURES)
            answer["zip_error"] = STORAGE_UNAVAILABLE.body()
    logger.info("Batch made", extra={"items": len(items), "made": len(made)})
    return answer

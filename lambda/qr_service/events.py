"""The `qr_code` event that tells `store_url` to cache a new image, and its validation on arrival."""

import json
import re

from qr_service import aws
from qr_service.cache import CacheEntry
from qr_service.names import EVENT_DETAIL_TYPE as DETAIL_TYPE
from qr_service.names import EVENT_SOURCE as SOURCE

_CACHE_KEY = re.compile(r"^[0-9a-f]{64}$")


def publish(bus: str, entry: CacheEntry) -> None:
    """Put the event on the bus; raise when EventBridge did not take it (a failed entry does not raise by itself)."""
    detail: dict[str, object] = {"qr_code_url": entry.qr_code_url, "cache_key": entry.cache_key, "ttl": entry.ttl}
    if entry.url_user:  # a link; content (a Wi-Fi password...) never travels
        detail["url_user"] = entry.url_user
    response = aws.events().put_events(
        Entries=[
            {
                "EventBusName": bus,
                "Source": SOURCE,
                "DetailType": DETAIL_TYPE,
                "Detail": json.dumps(detail, ensure_ascii=False),
            }
        ]
    )
    if response.get("FailedEntryCount", 0):
        failed = response["Entries"][0]
        raise RuntimeError(f"PutEvents refused the event: {failed.get('ErrorCode')}: {failed.get('ErrorMessage')}")


class MalformedEvent(ValueError):
    """An event no retry can fix."""


def entry_from_event(event: object) -> CacheEntry:
    """The cache entry an EventBridge envelope carries; MalformedEvent if any field is missing or wrong."""
    detail = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(detail, dict):
        raise MalformedEvent("the event has no 'detail' object")
    for name in ("qr_code_url", "cache_key"):
        if not isinstance(detail.get(name), str) or not detail[name]:
            raise MalformedEvent(f"detail.{name} must be a non-empty string")
    if not isinstance(detail.get("url_user", ""), str):
        raise MalformedEvent("detail.url_user, when there, must be a string")
    if not _CACHE_KEY.fullmatch(detail["cache_key"]):
        raise MalformedEvent("detail.cache_key must be 64 lowercase hex digits")
    ttl = detail.get("ttl")
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0:
        raise MalformedEvent("detail.ttl must be a positive whole number of epoch seconds")
    return CacheEntry(detail["cache_key"], detail.get("url_user", ""), detail["qr_code_url"], ttl)

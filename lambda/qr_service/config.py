"""Settings read once per container from the environment the stack (or the local server) sets."""

import os
from dataclasses import dataclass
from functools import cache

from qr_service.names import Env

DEFAULT_CACHE_TTL_SECONDS = 86400


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    event_bus_name: str
    qr_base_url: str
    allowed_origins: tuple[str, ...]
    cache_ttl_seconds: int
    allowed_hosts: tuple[str, ...] = ()  # the hosts links may point to (qr_service.hosts); empty: any


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {raw!r}")
    return int(raw)


@cache
def create_qr_settings() -> Settings:
    """Everything `create_qr` needs; a missing variable fails the cold start loudly."""
    origins = tuple(o.strip() for o in os.environ[Env.ALLOWED_ORIGIN].split(",") if o.strip())
    if not origins:
        raise ValueError("ALLOWED_ORIGIN must name at least one origin")
    return Settings(
        table_name=os.environ[Env.TABLE_NAME],
        bucket_name=os.environ[Env.BUCKET_NAME],
        event_bus_name=os.environ[Env.EVENT_BUS_NAME],
        qr_base_url=os.environ[Env.QR_BASE_URL].rstrip("/"),
        allowed_origins=origins,
        cache_ttl_seconds=_positive_int(Env.CACHE_TTL_SECONDS, DEFAULT_CACHE_TTL_SECONDS),
        allowed_hosts=tuple(h for h in os.environ.get(Env.ALLOWED_HOSTS, "").split(",") if h),
    )


@cache
def table_name() -> str:
    """The one setting `store_url` needs."""
    return os.environ[Env.TABLE_NAME]

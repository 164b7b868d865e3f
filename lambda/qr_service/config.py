"""Settings read once per container from the environment the stack (or the local server) sets."""

import os
from dataclasses import dataclass
from functools import cache

from qr_service.names import ACCESS_MODES, Env

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
    key_required: bool = False  # qr.access is "key": every /qr request needs a valid key (qr_service.auth)


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
    return Settings(
        table_name=os.environ[Env.TABLE_NAME],
        bucket_name=os.environ[Env.BUCKET_NAME],
        event_bus_name=os.environ[Env.EVENT_BUS_NAME],
        qr_base_url=base_url(),
        allowed_origins=allowed_origins(),
        cache_ttl_seconds=_positive_int(Env.CACHE_TTL_SECONDS, DEFAULT_CACHE_TTL_SECONDS),
        allowed_hosts=allowed_hosts(),
        key_required=_access() == "key",
    )


def _access() -> str:
    raw = os.environ.get(Env.ACCESS) or "public"
    if raw not in ACCESS_MODES:
        raise ValueError(f"ACCESS must be one of {', '.join(ACCESS_MODES)}, got {raw!r}")
    return raw


@dataclass(frozen=True)
class KeySettings:
    """Where the keys are: their table and the admin key's secret (read by qr_service.auth)."""

    table_name: str
    admin_secret: str


@cache
def key_settings() -> KeySettings:
    """Read on the first key check, so a public deployment's cache hit never needs them."""
    return KeySettings(table_name=os.environ[Env.KEYS_TABLE_NAME], admin_secret=os.environ[Env.ADMIN_KEY_SECRET])


@cache
def allowed_origins() -> tuple[str, ...]:
    """The origins CORS names (the first is the default); every handler behind the API answers with them."""
    origins = tuple(o.strip() for o in os.environ[Env.ALLOWED_ORIGIN].split(",") if o.strip())
    if not origins:
        raise ValueError("ALLOWED_ORIGIN must name at least one origin")
    return origins


def read_again() -> None:
    """Forget what was read, as a new container would (the settings come once per container otherwise)."""
    for read in (create_qr_settings, allowed_origins, base_url, allowed_hosts, codes_table, key_settings, table_name):
        read.cache_clear()


@cache
def codes_table() -> str:
    """Where the dynamic codes and their counters are (manage_codes, redirect)."""
    return os.environ[Env.CODES_TABLE_NAME]


@cache
def base_url() -> str:
    """The public origin short links start with (the distribution's; make run's own)."""
    return os.environ[Env.QR_BASE_URL].rstrip("/")


@cache
def allowed_hosts() -> tuple[str, ...]:
    """qr.allowed_hosts in their ASCII form (the stack writes them comma-separated); empty: any host."""
    return tuple(h for h in os.environ.get(Env.ALLOWED_HOSTS, "").split(",") if h)


@cache
def table_name() -> str:
    """The one setting `store_url` needs."""
    return os.environ[Env.TABLE_NAME]

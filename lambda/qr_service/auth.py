"""Who is calling: the admin, the holder of a key, or nobody, from the X-API-Key header.

A request costs at most one DynamoDB read (a key's item) or, once per container and then every few
minutes, a Secrets Manager read (the admin key). Refusals are the contract's `auth.*` answers.
"""

import hmac
import time
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from qr_service import aws, keys
from qr_service.config import key_settings
from qr_service.errors import AUTH_FORBIDDEN, AUTH_INVALID, AUTH_MISSING, KEYS_UNAVAILABLE
from qr_service.names import Metric
from qr_service.telemetry import count, logger

ADMIN_ID = "admin"
# A changed admin secret reaches every warm container within this time.
ADMIN_KEY_MAX_AGE_SECONDS = 300
_admin: tuple[float, str] | None = None


@dataclass(frozen=True)
class Caller:
    id: str  # the key's id, or "admin"

    @property
    def admin(self) -> bool:
        return self.id == ADMIN_ID


def _admin_key() -> str:
    global _admin
    now = time.monotonic()
    if _admin is None or now - _admin[0] > ADMIN_KEY_MAX_AGE_SECONDS:
        try:
            value = aws.secrets().get_secret_value(SecretId=key_settings().admin_secret)["SecretString"]
        except (BotoCoreError, ClientError) as error:
            count(Metric.KEY_CHECK_FAILURES)
            logger.warning("The admin key could not be read", extra={"error": type(error).__name__})
            raise KEYS_UNAVAILABLE.error() from None
        _admin = (now, value)
    return _admin[1]


def _same(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def caller(presented: str | None) -> Caller:
    """The caller a request's key names; 401 when there is none or it is not valid."""
    if not presented:
        raise AUTH_MISSING.error()
    if keys.key_id(presented) is not None:
        found = keys.lookup(key_settings().table_name, presented)
        if found is None:
            raise AUTH_INVALID.error()
        return Caller(found.id)
    if _same(presented, _admin_key()):
        return Caller(ADMIN_ID)
    raise AUTH_INVALID.error()


def admin(presented: str | None) -> Caller:
    """The admin, or 401 (no or an invalid key) or 403 (a valid key that is not the admin's)."""
    who = caller(presented)
    if not who.admin:
        raise AUTH_FORBIDDEN.error()
    return who

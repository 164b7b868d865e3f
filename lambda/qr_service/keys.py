"""The API keys: their form, and the table that holds each key's hash with its id, name, creation time
and last-used day. A key's secret is shown once, by `create`; nothing here logs or stores it.

A key is `qrk_<id>_<secret>`: the id finds the one item (a single read), the secret (256 random bits)
is compared by its SHA-256. A hash this fast is enough for a random secret: there is no password to guess.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from qr_service import aws
from qr_service.errors import KEY_NAME, KEY_NOT_FOUND, KEYS_UNAVAILABLE
from qr_service.fields import UNKNOWN_FIELDS
from qr_service.names import Metric
from qr_service.telemetry import count, logger

PREFIX = "qrk_"
_ID_BYTES = 6  # 12 hex digits: an id, not a secret
_SECRET_BYTES = 32
_KEY = re.compile(rf"{PREFIX}(?P<id>[0-9a-f]{{{_ID_BYTES * 2}}})_(?P<secret>[A-Za-z0-9_-]{{43}})")
ID_PATTERN = f"^[0-9a-f]{{{_ID_BYTES * 2}}}$"
NAME_MAX_LENGTH = 64
# The admin key: letters and digits only (Secrets Manager generates 48 of them at deploy time), so it can never
# be mistaken for a `qrk_` key; at least 32 of them (190 bits) when an owner chooses one for `make run`.
ADMIN_KEY_LENGTH = 48
ADMIN_KEY = re.compile(r"[A-Za-z0-9]{32,128}")
BODY_FIELDS = ("name",)


@dataclass(frozen=True)
class Key:
    id: str
    name: str
    created_at: str
    last_used: str | None  # the last day (UTC, YYYY-MM-DD) a request carried it; None if never

    def listing(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at, "last_used": self.last_used}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def key_id(key: str) -> str | None:
    """The id a presented key names, when it has a key's form at all."""
    found = _KEY.fullmatch(key)
    return found["id"] if found else None


def parse_name(fields: dict[str, object]) -> str:
    """The body of POST /keys: {"name": "..."}, a label for people (which CI job, which colleague)."""
    unknown = sorted(set(fields) - set(BODY_FIELDS))
    if unknown:
        raise UNKNOWN_FIELDS.error(None, fields=", ".join(unknown), allowed=", ".join(BODY_FIELDS))
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise KEY_NAME.error("name", max_length=NAME_MAX_LENGTH)
    return name.strip()


def _unavailable(action: str, error: Exception) -> Exception:
    count(Metric.KEY_CHECK_FAILURES)
    logger.warning("The keys table failed", extra={"action": action, "error": type(error).__name__})
    return KEYS_UNAVAILABLE.error()


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def create(table: str, name: str) -> tuple[Key, str]:
    """A new key and its secret form, which only this answer ever carries."""
    new_id = secrets.token_hex(_ID_BYTES)
    key = f"{PREFIX}{new_id}_{secrets.token_urlsafe(_SECRET_BYTES)}"
    created = Key(new_id, name, datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"), None)
    try:
        aws.dynamodb().put_item(
            TableName=table,
            Item={
                "id": {"S": created.id},
                "name": {"S": created.name},
                "key_hash": {"S": _hash(key)},
                "created_at": {"S": created.created_at},
            },
            ConditionExpression="attribute_not_exists(id)",  # 48 random bits: a clash is refused, not overwritten
        )
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("create", error) from None
    return created, key


def _from_item(item: Mapping[str, Any]) -> Key:
    last_used = item.get("last_used")
    return Key(item["id"]["S"], item["name"]["S"], item["created_at"]["S"], last_used["S"] if last_used else None)


def all_keys(table: str) -> list[Key]:
    """Every key, oldest first (a deployment has a handful: a scan is the simplest read)."""
    found: list[Key] = []
    client = aws.dynamodb()
    start: dict[str, Any] | None = None
    try:
        while True:
            query: dict[str, Any] = {
                "TableName": table,
                "ProjectionExpression": "id, #n, created_at, last_used",
                "ExpressionAttributeNames": {"#n": "name"},
                "ConsistentRead": True,
            }
            if start:
                query["ExclusiveStartKey"] = start
            page = client.scan(**query)
            found += [_from_item(item) for item in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("list", error) from None
    return sorted(found, key=lambda k: (k.created_at, k.id))


def revoke(table: str, revoked_id: str) -> None:
    """Delete a key: the next request that carries it is refused (reads are strongly consistent)."""
    if not re.fullmatch(ID_PATTERN, revoked_id):
        raise KEY_NOT_FOUND.error(None, id=revoked_id[:40])
    client = aws.dynamodb()
    try:
        client.delete_item(TableName=table, Key={"id": {"S": revoked_id}}, ConditionExpression="attribute_exists(id)")
    except client.exceptions.ConditionalCheckFailedException:
        raise KEY_NOT_FOUND.error(None, id=revoked_id) from None
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("revoke", error) from None


def lookup(table: str, presented: str) -> Key | None:
    """The key a request carries, when it exists and its secret matches: one strongly consistent read."""
    found_id = key_id(presented)
    if found_id is None:
        return None
    try:
        item = aws.dynamodb().get_item(TableName=table, Key={"id": {"S": found_id}}, ConsistentRead=True).get("Item")
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("lookup", error) from None
    if item is None or not hmac.compare_digest(item["key_hash"]["S"], _hash(presented)):
        return None
    key = _from_item(item)
    if key.last_used != _today():
        _mark_used(table, key.id)
    return key


def _mark_used(table: str, used_id: str) -> None:
    """Record the day, at most one write per key per day; a failure costs the record, not the request."""
    client = aws.dynamodb()
    try:
        client.update_item(
            TableName=table,
            Key={"id": {"S": used_id}},
            UpdateExpression="SET last_used = :day",
            ConditionExpression="attribute_exists(id)",  # a key revoked meanwhile is not brought back
            ExpressionAttributeValues={":day": {"S": _today()}},
        )
    except (BotoCoreError, ClientError) as error:
        logger.warning("Could not record a key's last use", extra={"key_id": used_id, "error": type(error).__name__})

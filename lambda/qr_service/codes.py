"""Dynamic codes: a short link whose target its owner may change, and its scan counters.

One table, two kinds of item under a code's id: the code itself (`sk` "code": owner, target, style,
active, times) and one counter item per UTC day (`sk` "day#YYYY-MM-DD": `scans` for people, `bots`, and
`c_<COUNTRY>` per country), added to atomically. No per-scan row, address, user agent or referrer is
ever written. A deleted code stays (its id is never reused and its link answers 410).
"""

import base64
import binascii
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from qr_service import aws
from qr_service import fields as F
from qr_service.errors import CODE_ACTIVE, CODE_NOT_FOUND, CODE_PAGE, CODES_UNAVAILABLE, RequestError, Rule
from qr_service.names import Metric
from qr_service.request import build_request
from qr_service.telemetry import count, logger

CODE_SK = "code"
DAY_PREFIX = "day#"
COUNTRY_PREFIX = "c_"
OWNER_INDEX = "by_owner"
_ID_BYTES = 6  # 48 random bits, 8 URL-safe characters: a short link, so a small code
ID_PATTERN = "^[A-Za-z0-9_-]{8}$"
# What a code is drawn with: /qr's fields but the link (the short link is encoded) and how to answer.
STYLE_FIELDS = tuple(name for name in F.FIELDS if name not in ("url", "content", "format", "inline", "preview"))
CREATE_FIELDS = ("target", *STYLE_FIELDS)
UPDATE_FIELDS = ("target", "active")
PAGE_LIMIT = 50
RECENT_DAYS = 30  # what a list shows of each code's counts: the last 30 UTC days, today included


@dataclass(frozen=True)
class Code:
    id: str
    owner: str
    target: str
    style: dict[str, Any]
    active: bool
    created_at: str
    updated_at: str
    deleted: bool = False

    def answer(self, base_url: str) -> dict[str, object]:
        link = short_url(base_url, self.id)
        return {
            "id": self.id,
            "short_url": link,
            "target": self.target,
            "png_url": f"{link}.png",
            "svg_url": f"{link}.svg",
            "active": self.active,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "style": self.style,
        }


@dataclass
class Scans:
    total: int = 0
    bots: int = 0
    days: list[dict[str, object]] = field(default_factory=list)
    countries: dict[str, int] = field(default_factory=dict)

    def answer(self) -> dict[str, object]:
        return {"total": self.total, "bots": self.bots, "days": self.days, "countries": self.countries}

    def recent(self) -> dict[str, object]:
        """A list's summary: people and bots and their days, no countries."""
        return {"days": RECENT_DAYS, "scans": self.total, "bots": self.bots, "per_day": self.days}


def short_url(base_url: str, code_id: str) -> str:
    return f"{base_url}/c/{code_id}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _as_target(error: RequestError) -> RequestError:
    """A url rule broken by `target`: the same code and params, said of the field `target`."""
    rule = error.rule
    renamed = Rule(rule.code, rule.message.replace("'url'", "'target'"), rule.status, rule.params)
    return RequestError(renamed, "target", error.params)


def _target(value: object, allowed_hosts: tuple[str, ...]) -> str:
    try:
        return build_request({"url": value}, allowed_hosts=allowed_hosts).url
    except RequestError as error:
        raise (_as_target(error) if error.field == "url" else error) from None


def parse_new(fields: dict[str, object], base_url: str, allowed_hosts: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """POST /codes: the target (the url rules, at field `target`) and the style, checked as /qr checks it
    against a short link as long as the real one."""
    unknown = sorted(set(fields) - set(CREATE_FIELDS))
    if unknown:
        raise F.UNKNOWN_FIELDS.error(fields=", ".join(unknown), allowed=", ".join(CREATE_FIELDS))
    if "target" not in fields:
        raise _as_target(F.URL.rule("url.required").error("url"))
    target = _target(fields["target"], allowed_hosts)
    style = {name: value for name, value in fields.items() if name != "target"}
    build_request({**style, "url": short_url(base_url, "x" * 8)})
    return target, style


def parse_update(fields: dict[str, object], allowed_hosts: tuple[str, ...]) -> dict[str, object]:
    """PATCH /codes/{id}: a new target, active true or false, or both."""
    unknown = sorted(set(fields) - set(UPDATE_FIELDS))
    if unknown or not fields:
        raise F.UNKNOWN_FIELDS.error(fields=", ".join(unknown) or "none", allowed=", ".join(UPDATE_FIELDS))
    changes: dict[str, object] = {}
    if "target" in fields:
        changes["target"] = _target(fields["target"], allowed_hosts)
    if "active" in fields:
        if not isinstance(fields["active"], bool):
            raise CODE_ACTIVE.error("active")
        changes["active"] = fields["active"]
    return changes


def _unavailable(action: str, error: Exception) -> RequestError:
    count(Metric.CODE_STORE_FAILURES)
    logger.warning("The codes table failed", extra={"action": action, "error": type(error).__name__})
    return CODES_UNAVAILABLE.error()


def _item(code: Code) -> dict[str, Any]:
    return {
        "id": {"S": code.id},
        "sk": {"S": CODE_SK},
        "owner": {"S": code.owner},
        "target": {"S": code.target},
        "style": {"S": json.dumps(code.style, sort_keys=True)},
        "active": {"BOOL": code.active},
        "deleted": {"BOOL": code.deleted},
        "created_at": {"S": code.created_at},
        "updated_at": {"S": code.updated_at},
    }


def _code(item: dict[str, Any]) -> Code:
    return Code(
        id=item["id"]["S"],
        owner=item["owner"]["S"],
        target=item["target"]["S"],
        style=json.loads(item["style"]["S"]),
        active=item["active"]["BOOL"],
        created_at=item["created_at"]["S"],
        updated_at=item["updated_at"]["S"],
        deleted=item["deleted"]["BOOL"],
    )


def create(table: str, owner: str, target: str, style: dict[str, Any]) -> Code:
    """A new code with a random id (drawn again in the unlikely case it is taken)."""
    client = aws.dynamodb()
    now = _now()
    for _ in range(5):
        code = Code(secrets.token_urlsafe(_ID_BYTES), owner, target, style, True, now, now)
        try:
            client.put_item(TableName=table, Item=_item(code), ConditionExpression="attribute_not_exists(id)")
            return code
        except client.exceptions.ConditionalCheckFailedException:
            continue
        except (BotoCoreError, ClientError) as error:
            raise _unavailable("create", error) from None
    raise _unavailable("create", RuntimeError("no free id"))


def get(table: str, code_id: str) -> Code | None:
    """The code with this id, deleted or not; None when there never was one."""
    if not re.fullmatch(ID_PATTERN, code_id):
        return None
    try:
        item = (
            aws.dynamodb()
            .get_item(TableName=table, Key={"id": {"S": code_id}, "sk": {"S": CODE_SK}}, ConsistentRead=True)
            .get("Item")
        )
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("get", error) from None
    return _code(item) if item else None


def owned(table: str, code_id: str, owner: str, admin: bool) -> Code:
    """The caller's code (the admin's: any), not deleted; another key's is a 404, so its existence is not told."""
    code = get(table, code_id)
    if code is None or code.deleted or not (admin or code.owner == owner):
        raise CODE_NOT_FOUND.error(None, id=code_id[:40])
    return code


def _token(key: dict[str, Any] | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def _start(token: str | None) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        start = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error):
        raise CODE_PAGE.error("next") from None
    if not isinstance(start, dict):
        raise CODE_PAGE.error("next")
    return start


def page(table: str, owner: str, admin: bool, token: str | None) -> tuple[list[Code], str | None]:
    """One page of the caller's codes, newest first (the admin's: everyone's), and the token of the next."""
    client = aws.dynamodb()
    start = _start(token)
    query: dict[str, Any] = {"TableName": table, "Limit": PAGE_LIMIT}
    if start:
        query["ExclusiveStartKey"] = start
    try:
        if admin:
            found = client.scan(
                **query,
                FilterExpression="sk = :code AND deleted = :no",
                ExpressionAttributeValues={":code": {"S": CODE_SK}, ":no": {"BOOL": False}},
            )
        else:
            found = client.query(
                **query,
                IndexName=OWNER_INDEX,
                KeyConditionExpression="#o = :owner",
                FilterExpression="deleted = :no",
                ExpressionAttributeNames={"#o": "owner"},
                ExpressionAttributeValues={":owner": {"S": owner}, ":no": {"BOOL": False}},
                ScanIndexForward=False,
            )
    except client.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "ValidationException":  # a token not made here
            raise CODE_PAGE.error("next") from None
        raise _unavailable("list", error) from None
    except BotoCoreError as error:
        raise _unavailable("list", error) from None
    return [_code(item) for item in found.get("Items", [])], _token(found.get("LastEvaluatedKey"))


def update(table: str, code: Code, changes: dict[str, object]) -> Code:
    names = {f"#{name}": name for name in changes}
    values: dict[str, Any] = {
        f":{name}": {"S": value} if isinstance(value, str) else {"BOOL": value} for name, value in changes.items()
    }
    now = _now()
    values[":now"] = {"S": now}
    values[":no"] = {"BOOL": False}
    sets = ", ".join(f"#{name} = :{name}" for name in changes)
    try:
        aws.dynamodb().update_item(
            TableName=table,
            Key={"id": {"S": code.id}, "sk": {"S": CODE_SK}},
            UpdateExpression=f"SET {sets}, updated_at = :now",
            ConditionExpression="deleted = :no",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("update", error) from None
    fields_now = {**code.__dict__, **changes, "updated_at": now}
    return Code(**fields_now)


def delete(table: str, code: Code) -> None:
    """Mark it deleted: its link answers 410 from now on, its counters stay, its id is never drawn again."""
    try:
        aws.dynamodb().update_item(
            TableName=table,
            Key={"id": {"S": code.id}, "sk": {"S": CODE_SK}},
            UpdateExpression="SET deleted = :yes, active = :no, updated_at = :now",
            ExpressionAttributeValues={":yes": {"BOOL": True}, ":no": {"BOOL": False}, ":now": {"S": _now()}},
        )
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("delete", error) from None


def count_scan(table: str, code_id: str, bot: bool, country: str) -> None:
    """Add one scan to today's counters (a person's or a bot's, and its country's). Raises on failure: the
    redirect decides what that costs (nothing for the viewer)."""
    day = datetime.now(UTC).date().isoformat()
    aws.dynamodb().update_item(
        TableName=table,
        Key={"id": {"S": code_id}, "sk": {"S": DAY_PREFIX + day}},
        UpdateExpression="ADD #kind :one, #country :one",
        ExpressionAttributeNames={"#kind": "bots" if bot else "scans", "#country": COUNTRY_PREFIX + country},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )


def scans(table: str, code_id: str, recent: bool = False) -> Scans:
    """Every day's counters of a code (or, `recent`, the last RECENT_DAYS days'): people (`scans`) and bots,
    and the countries of both."""
    client = aws.dynamodb()
    found = Scans()
    start: dict[str, Any] | None = None
    condition, day = "begins_with(sk, :day)", DAY_PREFIX
    if recent:  # "code" sorts before every "day#" key
        condition, day = "sk >= :day", DAY_PREFIX + (datetime.now(UTC).date() - timedelta(RECENT_DAYS - 1)).isoformat()
    try:
        while True:
            query: dict[str, Any] = {
                "TableName": table,
                "KeyConditionExpression": f"id = :id AND {condition}",
                "ExpressionAttributeValues": {":id": {"S": code_id}, ":day": {"S": day}},
                "ConsistentRead": True,
            }
            if start:
                query["ExclusiveStartKey"] = start
            result = client.query(**query)
            for item in result.get("Items", []):
                people, bots = int(item.get("scans", {"N": "0"})["N"]), int(item.get("bots", {"N": "0"})["N"])
                found.days.append({"date": item["sk"]["S"].removeprefix(DAY_PREFIX), "scans": people, "bots": bots})
                found.total += people
                found.bots += bots
                for name, value in item.items():
                    if name.startswith(COUNTRY_PREFIX):
                        where = name.removeprefix(COUNTRY_PREFIX)
                        found.countries[where] = found.countries.get(where, 0) + int(value["N"])
            start = result.get("LastEvaluatedKey")
            if not start:
                break
    except (BotoCoreError, ClientError) as error:
        raise _unavailable("scans", error) from None
    return found

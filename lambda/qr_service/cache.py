"""The DynamoDB cache table: one item per cache key, live only while its `ttl` is in the future.

DynamoDB deletes expired items up to days late, so every read checks `ttl` itself.
"""

from dataclasses import dataclass

from botocore.exceptions import ClientError

from qr_service import aws


@dataclass(frozen=True)
class CacheEntry:
    cache_key: str
    url_user: str  # the link, for people reading the table; "" for content, which is never kept
    qr_code_url: str
    ttl: int


def lookup(table: str, cache_key: str, now: float) -> CacheEntry | None:
    """The live entry for `cache_key`, or None. Errors propagate: the caller decides to degrade."""
    item = (
        aws.dynamodb()
        .get_item(
            TableName=table,
            Key={"PK": {"S": cache_key}},
            ProjectionExpression="PK, url_user, qr_code_url, #t",
            ExpressionAttributeNames={"#t": "ttl"},
        )
        .get("Item")
    )
    if not item or "ttl" not in item or "qr_code_url" not in item:
        return None
    ttl = int(item["ttl"]["N"])
    if ttl <= now:
        return None
    return CacheEntry(cache_key, item.get("url_user", {}).get("S", ""), item["qr_code_url"]["S"], ttl)


def store(table: str, entry: CacheEntry) -> bool:
    """Write the mapping unless a newer one (a later ttl) is already there.

    Returns False when the stored mapping was kept; a repeated event therefore changes nothing.
    """
    try:
        aws.dynamodb().put_item(
            TableName=table,
            Item={
                "PK": {"S": entry.cache_key},
                **({"url_user": {"S": entry.url_user}} if entry.url_user else {}),
                "qr_code_url": {"S": entry.qr_code_url},
                "ttl": {"N": str(entry.ttl)},
            },
            ConditionExpression="attribute_not_exists(PK) OR #t <= :ttl",
            ExpressionAttributeNames={"#t": "ttl"},
            ExpressionAttributeValues={":ttl": {"N": str(entry.ttl)}},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True

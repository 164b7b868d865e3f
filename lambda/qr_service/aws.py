"""boto3 clients, created on first use and then kept for the life of the container.

Lazy creation keeps clients that a cache hit never needs (S3, EventBridge) off the hot path. The
typed accessors name the client's type for mypy; the stubs are a development dependency only.
"""

from functools import cache
from typing import TYPE_CHECKING, Any, cast

import boto3

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sqs import SQSClient


@cache
def client(service: str) -> Any:
    return boto3.client(service)  # type: ignore[call-overload]


def s3() -> "S3Client":
    return cast("S3Client", client("s3"))


def dynamodb() -> "DynamoDBClient":
    return cast("DynamoDBClient", client("dynamodb"))


def events() -> "EventBridgeClient":
    return cast("EventBridgeClient", client("events"))


def sqs() -> "SQSClient":
    return cast("SQSClient", client("sqs"))


def secrets() -> "SecretsManagerClient":
    return cast("SecretsManagerClient", client("secretsmanager"))

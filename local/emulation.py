"""The service's AWS resources in moto: the TTL attribute, lifecycle and event pattern of the stack.

Used by the local server and by the tests, so both exercise what `cdk deploy` builds.
"""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qr_service import aws
from qr_service.codes import OWNER_INDEX
from qr_service.names import EVENT_DETAIL_TYPE, EVENT_SOURCE, SERVICE, Env

REGION = "us-east-1"  # the handlers' clients take it from AWS_DEFAULT_REGION
# The stack's setting, read from the same place (cdk.json) without importing the CDK.
CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"
CACHE_DAYS = json.loads(CDK_JSON.read_text())["context"]["qr"]["cache_days"]
EVENT_PATTERN = {"source": [EVENT_SOURCE], "detail-type": [EVENT_DETAIL_TYPE]}
# The admin key the tests' resources hold, new in each process (no key is written down); `make run` puts
# QR_ADMIN_KEY's or a fresh one there instead.
ADMIN_KEY = secrets.token_hex(24)


@dataclass(frozen=True)
class Resources:
    bucket: str = "qr-images"
    table: str = "qr-cache"
    bus: str = "qr-events"
    rule: str = "store-url"
    queue_url: str = ""
    keys_table: str = "qr-keys"
    admin_secret: str = "qr-admin-key"  # noqa: S105 - the secret's name in moto, not its value
    codes_table: str = "qr-codes"

    def environment(
        self, qr_base_url: str, allowed_origin: str, allowed_hosts: tuple[str, ...] = (), access: str = "public"
    ) -> dict[str, str]:
        """The environment the stack gives `create_qr` and `manage_keys` (and, in part, `store_url`)."""
        return {
            Env.ALLOWED_HOSTS: ",".join(allowed_hosts),
            Env.ACCESS: access,
            Env.KEYS_TABLE_NAME: self.keys_table,
            Env.ADMIN_KEY_SECRET: self.admin_secret,
            Env.CODES_TABLE_NAME: self.codes_table,
            Env.TABLE_NAME: self.table,
            Env.BUCKET_NAME: self.bucket,
            Env.EVENT_BUS_NAME: self.bus,
            Env.QR_BASE_URL: qr_base_url,
            Env.ALLOWED_ORIGIN: allowed_origin,
            Env.CACHE_TTL_SECONDS: str(CACHE_DAYS * 86400),
            Env.SERVICE_NAME: SERVICE,  # deployed, the stack's name
        }


def create(
    names: Resources = Resources(), event_pattern: dict[str, Any] = EVENT_PATTERN, admin_key: str = ADMIN_KEY
) -> Resources:
    """Create bucket, tables, admin secret, bus, and a rule that delivers matches to an SQS queue (moto cannot
    invoke Lambda)."""
    s3 = aws.s3()
    s3.create_bucket(Bucket=names.bucket)
    s3.put_bucket_lifecycle_configuration(
        Bucket=names.bucket,
        LifecycleConfiguration={
            "Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": CACHE_DAYS}}]
        },
    )
    ddb = aws.dynamodb()
    ddb.create_table(
        TableName=names.table,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.update_time_to_live(TableName=names.table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})
    ddb.create_table(
        TableName=names.keys_table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    aws.secrets().create_secret(Name=names.admin_secret, SecretString=admin_key)
    ddb.create_table(
        TableName=names.codes_table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "owner", "AttributeType": "S"},
            {"AttributeName": "created_at", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": OWNER_INDEX,
                "KeySchema": [
                    {"AttributeName": "owner", "KeyType": "HASH"},
                    {"AttributeName": "created_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    sqs = aws.sqs()
    queue_url = sqs.create_queue(QueueName=f"{names.rule}-target")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = aws.events()
    events.create_event_bus(Name=names.bus)
    events.put_rule(Name=names.rule, EventBusName=names.bus, EventPattern=json.dumps(event_pattern))
    events.put_targets(Rule=names.rule, EventBusName=names.bus, Targets=[{"Id": "store-url", "Arn": queue_arn}])
    return Resources(
        names.bucket,
        names.table,
        names.bus,
        names.rule,
        queue_url,
        names.keys_table,
        names.admin_secret,
        names.codes_table,
    )


def receive_envelopes(queue_url: str, wait_seconds: int = 0) -> list[tuple[dict[str, Any], str]]:
    """EventBridge envelopes the rule delivered, each with the receipt handle to delete it by."""
    sqs = aws.sqs()
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds).get(
        "Messages", []
    )
    return [(json.loads(m["Body"]), m["ReceiptHandle"]) for m in messages]


def delete_envelope(queue_url: str, receipt_handle: str) -> None:
    aws.sqs().delete_message(QueueUrl=queue_url, ReceiptHandle=receipt_handle)

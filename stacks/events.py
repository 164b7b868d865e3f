"""Events: the custom bus, and the rule that hands each `qr_code` event to `store_url` (with retries and a DLQ)."""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Duration, RemovalPolicy, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.functions import python_function
from stacks.settings import Settings

# What create_qr puts on the bus (lambda/qr_service/events.py); a contract test runs them against each other.
EVENT_SOURCE = "qr_code"
EVENT_DETAIL_TYPE = "qr_code"


class Events(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: Settings, table: dynamodb.ITable) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", description="qr_code events from create_qr")
        self.store_url = python_function(
            self,
            "StoreUrl",
            index="store_url.py",
            description="Caches the image URL of a qr_code event in DynamoDB",
            settings=settings,
            environment={"TABLE_NAME": table.table_name},
            memory_size=256,
            timeout=Duration.seconds(10),
        )
        self.store_url.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:PutItem"], resources=[table.table_arn])
        )
        self.dead_letters = sqs.Queue(
            self,
            "StoreUrlDeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(self.dead_letters).acknowledge(
            Ack(
                id="AwsSolutions-SQS3",
                reason="This queue is itself the dead-letter queue of the rule's target; events land here after "
                "EventBridge's retries and stay 14 days for inspection.",
            )
        )
        self.rule = events.Rule(
            self,
            "StoreUrlRule",
            event_bus=self.bus,
            description="Cache each newly generated QR code",
            event_pattern=events.EventPattern(source=[EVENT_SOURCE], detail_type=[EVENT_DETAIL_TYPE]),
            targets=[
                targets.LambdaFunction(
                    self.store_url,
                    retry_attempts=8,
                    max_event_age=Duration.hours(2),
                    dead_letter_queue=self.dead_letters,
                )
            ],
        )

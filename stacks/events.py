"""Events: the custom bus, and the rule that hands each `qr_code` event to `store_url`.

Two queues keep what fails, because EventBridge invokes the function asynchronously:
- the rule target's dead-letter queue gets events EventBridge could not hand to Lambda at all;
- `store_url`'s on-failure destination gets events the function itself failed on, after
  Lambda's own retries.
"""

import jsii
from aws_cdk import Acknowledgment as Ack
from aws_cdk import Duration, RemovalPolicy, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from contract.settings import Settings
from qr_service.names import EVENT_DETAIL_TYPE, EVENT_SOURCE, Env
from stacks.functions import python_function

# A failed store_url costs one extra render later (the next request misses and rewrites the same
# object), so a short, bounded retry is enough; what still fails is kept, never dropped.
STORE_URL_RETRIES = 2  # Lambda's asynchronous retries (its maximum), about 1 and 2 minutes apart
STORE_URL_MAX_EVENT_AGE = Duration.hours(1)
FAILED_EVENT_RETENTION = Duration.days(14)  # SQS's maximum: time to read and replay a failure


@jsii.implements(lambda_.IDestination)
class SendOnlyQueueDestination:
    """An SQS on-failure destination granted `sqs:SendMessage` alone.

    CDK's SqsDestination also grants GetQueueAttributes and GetQueueUrl, which Lambda never calls.
    """

    def __init__(self, queue: sqs.IQueue) -> None:
        self.queue = queue

    def bind(
        self, _scope: Construct, fn: lambda_.IFunction, *, type: lambda_.DestinationType | None = None
    ) -> lambda_.DestinationConfig:
        fn.add_to_role_policy(iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.queue.queue_arn]))
        return lambda_.DestinationConfig(destination=self.queue.queue_arn)


class Events(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: Settings, table: dynamodb.ITable) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", description="qr_code events from create_qr")
        self.failures = self._kept_queue(
            "StoreUrlFailures",
            "This queue is itself store_url's on-failure destination: invocation records of events the "
            "function failed on stay here 14 days for inspection.",
        )
        self.store_url = python_function(
            self,
            "StoreUrl",
            index="store_url.py",
            description="Caches the image URL of a qr_code event in DynamoDB",
            settings=settings,
            environment={Env.TABLE_NAME: table.table_name},
            memory_size=256,
            timeout=Duration.seconds(10),
            on_failure=SendOnlyQueueDestination(self.failures),
            retry_attempts=STORE_URL_RETRIES,
            max_event_age=STORE_URL_MAX_EVENT_AGE,
        )
        self.store_url.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:PutItem"], resources=[table.table_arn])
        )
        self.dead_letters = self._kept_queue(
            "StoreUrlDeadLetters",
            "This queue is itself the dead-letter queue of the rule's target; events EventBridge could not "
            "hand to store_url stay here 14 days for inspection.",
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

    def _kept_queue(self, construct_id: str, reason: str) -> sqs.Queue:
        """An encrypted, TLS-only queue that keeps failed events as long as SQS allows."""
        queue = sqs.Queue(
            self,
            construct_id,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=FAILED_EVENT_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(queue).acknowledge(Ack(id="AwsSolutions-SQS3", reason=reason))
        return queue

"""Storage: the private images bucket (a one-day cache), the site bucket, their access logs, and the cache table."""

from typing import Any

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Duration, RemovalPolicy, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from constructs import Construct

from contract.settings import Settings


def private_bucket(scope: Construct, construct_id: str, **kwargs: Any) -> s3.Bucket:
    """A bucket that is never public, refuses plain HTTP, is encrypted, and goes with the stack."""
    return s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        removal_policy=RemovalPolicy.DESTROY,
        auto_delete_objects=True,
        **kwargs,
    )


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str, settings: Settings) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = private_bucket(
            self,
            "AccessLogs",
            # CloudFront standard logging writes with ACLs; server access logs use the bucket policy.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            # The logs hold the links people submitted (query strings): keep them no longer than the other logs.
            lifecycle_rules=[s3.LifecycleRule(id="ExpireLogs", expiration=Duration.days(settings.log_retention_days))],
        )
        Validations.of(self.access_logs).acknowledge(
            Ack(id="AwsSolutions-S1", reason="This is the access-log bucket; logging it to itself would loop.")
        )
        self.images = private_bucket(
            self,
            "Images",
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="images/",
            lifecycle_rules=[s3.LifecycleRule(id="ExpireCachedImages", expiration=Duration.days(settings.cache_days))],
        )
        self.site = private_bucket(
            self, "Site", server_access_logs_bucket=self.access_logs, server_access_logs_prefix="site/"
        )
        self.table = dynamodb.Table(
            self,
            "CacheTable",
            partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
            time_to_live_attribute="ttl",
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            removal_policy=RemovalPolicy.DESTROY,
        )
        Validations.of(self.table).acknowledge(
            Ack(
                id="AwsSolutions-DDB3",
                reason="A one-day cache: every item can be rebuilt from the request, so backups buy nothing.",
            )
        )

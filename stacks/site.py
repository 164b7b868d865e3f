"""Site: the web page, its config.json and the API's openapi.json, written into
the private site bucket at deploy time.

Each file is one SDK PutObject call (AwsCustomResource) granted on that object's ARN alone,
instead of BucketDeployment, whose role needs wildcard S3 actions.
"""

import mimetypes

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from contract.settings import Settings
from contract.site import site_files


class Site(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, bucket: s3.IBucket, api_url: str, settings: Settings
    ) -> None:
        """`api_url` is where the page (config.json) and the OpenAPI document's server find the API."""
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        for name, body in site_files(api_url, "This stack's API", settings).items():
            self._put(bucket, name, body if isinstance(body, str) else stack.to_json_string(body))
        provider_id = "AWS" + cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", "")
        provider_role = Stack.of(self).node.find_child(provider_id).node.find_child("ServiceRole")
        Validations.of(provider_role).acknowledge(
            Ack(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                reason="CDK's AwsCustomResource provider logs with the AWS basic execution policy; it runs only "
                "at deploy time, to write the page files.",
            ),
        )

    def _put(self, bucket: s3.IBucket, name: str, body: str) -> None:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        call = cr.AwsSdkCall(
            service="S3",
            action="putObject",
            parameters={
                "Bucket": bucket.bucket_name,
                "Key": name,
                "Body": body,
                "ContentType": f"{content_type}; charset=utf-8",
                "CacheControl": "no-cache",
            },
            physical_resource_id=cr.PhysicalResourceId.of(name),
        )
        cr.AwsCustomResource(
            self,
            f"Put{name.replace('.', '')}",
            on_update=call,
            install_latest_aws_sdk=False,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["s3:PutObject"], resources=[bucket.arn_for_objects(name)])]
            ),
        )

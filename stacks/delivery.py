"""Delivery: a CloudFront distribution that serves the private images bucket over HTTPS only."""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Validations
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

IMAGES_PATH = "qr/*"


class Delivery(Construct):
    def __init__(self, scope: Construct, construct_id: str, images: s3.IBucket, logs: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        images_behavior = cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(
                images, origin_access_levels=[cloudfront.AccessLevel.READ]
            ),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="QR code images",
            default_behavior=images_behavior,
            additional_behaviors={IMAGES_PATH: images_behavior},
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=logs,
            log_file_prefix="cloudfront/",
        )
        Validations.of(self.distribution).acknowledge(
            Ack(
                id="AwsSolutions-CFR1",
                reason="QR images are public links by design; geographic restriction would break them for travellers.",
            ),
            Ack(
                id="AwsSolutions-CFR2",
                reason="Static, unguessable content-addressed images; WAF would cost more than the service. "
                "The API in front of generation is throttled.",
            ),
            Ack(
                id="AwsSolutions-CFR4",
                reason="The default *.cloudfront.net certificate cannot set a minimum TLS version; add a custom "
                "domain and certificate to enforce TLSv1.2_2021.",
            ),
        )

    @property
    def origin(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

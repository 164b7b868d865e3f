"""Delivery: one CloudFront distribution in front of the private buckets: the page by default, images under /qr/."""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Validations
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

IMAGES_PATH = "qr/*"


def _private_origin(bucket: s3.IBucket) -> cloudfront.IOrigin:
    """Read-only access through an origin access control; the bucket stays private."""
    return origins.S3BucketOrigin.with_origin_access_control(bucket, origin_access_levels=[cloudfront.AccessLevel.READ])


class Delivery(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, site: s3.IBucket, images: s3.IBucket, logs: s3.IBucket
    ) -> None:
        super().__init__(scope, construct_id)
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="QR code generator: page and images",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=_private_origin(site),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            ),
            additional_behaviors={
                IMAGES_PATH: cloudfront.BehaviorOptions(
                    origin=_private_origin(images),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                    cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                    response_headers_policy=cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
                )
            },
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
                reason="Serves a static page and content-addressed images, nothing to inject into; WAF would "
                "cost more than the service. Generation sits behind the throttled API.",
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

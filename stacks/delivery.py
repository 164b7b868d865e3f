"""Delivery: one CloudFront distribution: the page by default, the API at /qr and /keys, images under /qr/.

The page and the API share an origin, so the page's calls need no CORS preflight, and a GET
redirect (an <img> embed) is answered from the edge for as long as its Cache-Control allows.
"""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Aws, Duration, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from contract import gateway, naming
from contract.headers import HSTS_SECONDS, IMAGE_CORS_ORIGIN, content_security_policy
from qr_service.names import API_KEY_HEADER, IMAGE_CONTENT_SECURITY_POLICY

API_PATH = gateway.API_PATH.lstrip("/")  # exactly /qr: the API's one resource
IMAGES_PATH = f"{API_PATH}/*"
HSTS = cloudfront.ResponseHeadersStrictTransportSecurity(
    access_control_max_age=Duration.seconds(HSTS_SECONDS), include_subdomains=True, override=True
)
NOSNIFF = cloudfront.ResponseHeadersContentTypeOptions(override=True)
HTTPS_NOSNIFF = cloudfront.ResponseSecurityHeadersBehavior(strict_transport_security=HSTS, content_type_options=NOSNIFF)


def _private_origin(scope: Construct, bucket: s3.IBucket, name: str) -> cloudfront.IOrigin:
    """Read-only access through an origin access control (named `name`); the bucket stays private. Listing lets
    S3 say 404 for a missing object, not 403, so the API's own 403 (auth.forbidden) reaches viewers unchanged."""
    control = cloudfront.S3OriginAccessControl(scope, f"{bucket.node.id}Access", origin_access_control_name=name)
    return origins.S3BucketOrigin.with_origin_access_control(
        bucket,
        origin_access_control=control,
        origin_access_levels=[cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    )


def _page_headers(scope: Construct, name: str) -> cloudfront.ResponseHeadersPolicy:
    """The page: the strict CSP (contract/headers.py; the API is on the page's own origin) and the usual headers."""
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "PageHeaders",
        response_headers_policy_name=name,
        comment="QR page: CSP, HSTS, nosniff, no framing",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=content_security_policy(), override=True
            ),
            strict_transport_security=HSTS,
            content_type_options=NOSNIFF,
            frame_options=cloudfront.ResponseHeadersFrameOptions(
                frame_option=cloudfront.HeadersFrameOption.DENY, override=True
            ),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override=True
            ),
        ),
    )


def _image_headers(scope: Construct, name: str) -> cloudfront.ResponseHeadersPolicy:
    """Images: embeddable from any origin (CORS), HTTPS-only, never sniffed, and an SVG opened on its own runs
    nothing (contract/headers.py)."""
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "ImageHeaders",
        response_headers_policy_name=name,
        comment="QR images: CORS for any origin, CSP, HSTS, nosniff",
        cors_behavior=cloudfront.ResponseHeadersCorsBehavior(
            access_control_allow_credentials=False,
            access_control_allow_headers=["*"],
            access_control_allow_methods=["GET", "HEAD", "OPTIONS"],
            access_control_allow_origins=[IMAGE_CORS_ORIGIN],
            origin_override=True,
        ),
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=IMAGE_CONTENT_SECURITY_POLICY, override=True
            ),
            strict_transport_security=HSTS,
            content_type_options=NOSNIFF,
        ),
    )


def _api_headers(scope: Construct, name: str) -> cloudfront.ResponseHeadersPolicy:
    """The API through the edge: HSTS and nosniff; CORS stays the function's (it knows the allowed origins), and
    so does the Content-Security-Policy of a GET /qr image (the function sends it, so `make run` does too)."""
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "ApiHeaders",
        response_headers_policy_name=name,
        comment="QR API at the edge: HSTS, nosniff",
        security_headers_behavior=HTTPS_NOSNIFF,
    )


class Delivery(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        site: s3.IBucket,
        images: s3.IBucket,
        logs: s3.IBucket,
        web_acl_arn: str | None,
        stack_name: str,
    ) -> None:
        """`web_acl_arn`: the CloudFront web ACL (stacks/edge.py), or None when qr.waf is off; `stack_name`:
        qr.stack_name, part of every CloudFront name."""
        super().__init__(scope, construct_id)
        self._stack_name = stack_name
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="QR code generator: page and images",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=_private_origin(self, site, self._name("site")),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=_page_headers(self, self._name("page-headers")),
            ),
            additional_behaviors={
                IMAGES_PATH: cloudfront.BehaviorOptions(
                    origin=_private_origin(self, images, self._name("images")),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                    cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                    response_headers_policy=_image_headers(self, self._name("image-headers")),
                )
            },
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=logs,
            log_file_prefix="cloudfront/",
            web_acl_id=web_acl_arn,
            # A missing page or an expired image: S3 answers 404 (the distribution may list the buckets), which
            # viewers get as the contract's JSON 404, as from `make run`. Not cached: the same request made again
            # puts the image back at the same key at once. CloudFront applies this to every origin, so the API
            # answers no 404 of its own through here (contract.gateway.EDGE_REPLACED_STATUSES); its 401 and 403
            # pass unchanged.
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status,
                    response_http_status=404,
                    response_page_path=gateway.NOT_FOUND_PAGE,
                    ttl=Duration.seconds(0),
                )
                for status in gateway.EDGE_REPLACED_STATUSES
            ],
        )
        Validations.of(self.distribution).acknowledge(
            Ack(
                id="AwsSolutions-CFR1",
                reason="QR images are public links by design; geographic restriction would break them for travellers.",
            ),
            Ack(
                id="AwsSolutions-CFR2",
                reason="Only when qr.waf is off, by the owner's choice: then no per-client limit exists and the "
                "stage throttle alone bounds the API (README, Security and abuse).",
            ),
            Ack(
                id="AwsSolutions-CFR4",
                reason="The default *.cloudfront.net certificate cannot set a minimum TLS version; add a custom "
                "domain and certificate to enforce TLSv1.2_2021.",
            ),
        )

    def add_api(self, rest_api: apigw.IRestApi, stage: str, max_ttl: Duration, origin_headers: dict[str, str]) -> None:
        """/qr and /keys reach the API's stage. Only what a /qr answer says may be cached is, keyed on the query,
        Origin and the caller's key.

        `origin_headers` go to the API with every request: the origin lock's secret header (stacks/origin_lock.py).
        """
        cache_policy = cloudfront.CachePolicy(
            self,
            "ApiCache",
            cache_policy_name=self._name("api-cache"),
            comment="QR API: keep a response only as long as its Cache-Control says",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.seconds(0),  # no Cache-Control (POST answers, errors): never cached
            max_ttl=max_ttl,
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            # Answers vary on Origin (CORS); with a key required, an image is never one keyless caller's to reuse.
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Origin", API_KEY_HEADER),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        # The API's host and stage by name: referring to the stage resource would make a cycle
        # (the stage's gateway responses name this distribution as their CORS origin).
        api_origin = origins.HttpOrigin(
            f"{rest_api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}",
            origin_path=f"/{stage}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers=origin_headers,
        )
        headers = _api_headers(self, self._name("api-headers"))
        for pattern in gateway.EDGE_API_PATTERNS:
            self.distribution.add_behavior(
                pattern.lstrip("/"),
                api_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                # /qr's images may be kept; /keys answers never are.
                cache_policy=cache_policy if pattern == gateway.API_PATH else cloudfront.CachePolicy.CACHING_DISABLED,
                # API Gateway answers 403 to a Host header that is not its own.
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                response_headers_policy=headers,
            )

    def _name(self, what: str) -> str:
        """CloudFront's names are global to the account: the deployment's name and region are part of each."""
        return naming.cloudfront(self._stack_name, Stack.of(self).region, what)

    @property
    def origin(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

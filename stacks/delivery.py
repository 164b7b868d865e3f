"""Delivery: one CloudFront distribution: the page by default, the API at /qr and /keys, images under /qr/.

The page and the API share an origin, so the page's calls need no CORS preflight, and a GET
redirect (an <img> embed) is answered from the edge for as long as its Cache-Control allows.
"""

import jsii
from aws_cdk import Acknowledgment as Ack
from aws_cdk import Aws, Duration, IStableStringProducer, Lazy, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from contract import gateway, naming
from contract.headers import HSTS_SECONDS, IMAGE_CORS_ORIGIN, content_security_policy
from qr_service.names import API_KEY_HEADER, CODE_IMAGES_PREFIX, IMAGE_CONTENT_SECURITY_POLICY
from qr_service.scans import COUNTRY_HEADER

API_PATH = gateway.API_PATH.lstrip("/")  # exactly /qr
LINK_HEADERS = ("Accept", "User-Agent", COUNTRY_HEADER)
IMAGES_PATH = f"{API_PATH}/*"
HSTS = cloudfront.ResponseHeadersStrictTransportSecurity(
    access_control_max_age=Duration.seconds(HSTS_SECONDS), include_subdomains=True, override=True
)
NOSNIFF = cloudfront.ResponseHeadersContentTypeOptions(override=True)
HTTPS_NOSNIFF = cloudfront.ResponseSecurityHeadersBehavior(strict_transport_security=HSTS, content_type_options=NOSNIFF)


@jsii.implements(IStableStringProducer)
class _Later:
    """A value the template needs before the construct that has it exists (Lazy.string's producer)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.value: str | None = None

    def produce(self) -> str | None:
        if self.value is None:
            raise ValueError(f"{self.what} was never given to Delivery")
        return self.value


def _private_origin(scope: Construct, bucket: s3.IBucket, name: str) -> cloudfront.IOrigin:
    """Read-only access through an origin access control (named `name`); the bucket stays private."""
    control = cloudfront.S3OriginAccessControl(scope, f"{bucket.node.id}Access", origin_access_control_name=name)
    return origins.S3BucketOrigin.with_origin_access_control(
        bucket,
        origin_access_control=control,
        origin_access_levels=[cloudfront.AccessLevel.READ],
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
        locked: bool,
    ) -> None:
        """`web_acl_arn`: the CloudFront web ACL (stacks/edge.py), or None when qr.waf is off; `stack_name`:
        qr.stack_name, part of every CloudFront name; `locked`: whether the API origin sends the stage lock's
        header (qr.waf). The API itself is named later (`add_api`): its functions need this distribution's
        domain first."""
        super().__init__(scope, construct_id)
        self._stack_name = stack_name
        self._api_host = _Later("the API's host")
        self._lock_value = _Later("the stage lock's header value")
        # The API's stage, by host and name: referring to the stage resource would make a cycle (the stage's
        # gateway responses name this distribution as their CORS origin).
        self.api_origin = origins.HttpOrigin(
            Lazy.string(self._api_host),
            origin_path=f"/{gateway.STAGE}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers={gateway.ORIGIN_VERIFY_HEADER: Lazy.string(self._lock_value)} if locked else None,
        )
        self._locked = locked
        # The same stage, for a code's images: under the prefix create_qr serves them at.
        self.code_images_origin = origins.HttpOrigin(
            Lazy.string(self._api_host),
            origin_path=f"/{gateway.STAGE}{CODE_IMAGES_PREFIX}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers={gateway.ORIGIN_VERIFY_HEADER: Lazy.string(self._lock_value)} if locked else None,
        )
        # The images' behaviour (qr/*) is added after the API's (add_api): CloudFront takes the first pattern that
        # matches, and POST /qr/batch must reach the API, not the bucket.
        self._images_origin = self._or_the_api(_private_origin(self, images, self._name("images")))
        self._image_headers = _image_headers(self, self._name("image-headers"))
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="QR code generator: page and images",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=self._or_the_api(_private_origin(self, site, self._name("site"))),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=_page_headers(self, self._name("page-headers")),
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=logs,
            log_file_prefix="cloudfront/",
            web_acl_id=web_acl_arn,
            # A 404 is never kept at the edge (CloudFront would for 10 s): the same request made again puts an
            # expired image back at once. No page path: the answer itself, the stage's or a function's, passes.
            error_responses=[cloudfront.ErrorResponse(http_status=404, ttl=Duration.seconds(0))],
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

    def _or_the_api(self, bucket: cloudfront.IOrigin) -> cloudfront.IOrigin:
        """A bucket, and the API's stage when the bucket has no such object (S3 says 403: the distribution may not
        list it). The stage has no resource for such a path, so its own JSON 404 answers (route.no_such_file), as
        `make run` does. Unlike a distribution-wide error page, this leaves every answer of the API as it is."""
        return origins.OriginGroup(
            primary_origin=bucket, fallback_origin=self.api_origin, fallback_status_codes=[403, 404]
        )

    def add_api(self, rest_api: apigw.IRestApi, max_ttl: Duration, lock_value: str | None) -> None:
        """/qr and /keys reach the API's stage. Only what a /qr answer says may be cached is, keyed on the query,
        Origin and the caller's key.

        `lock_value` goes to the API with every request: the origin lock's secret header (stacks/origin_lock.py).
        """
        self._api_host.value = f"{rest_api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}"
        if self._locked:
            assert lock_value is not None
            self._lock_value.value = lock_value
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
        # A printed code's link: what the redirect counts by (a person or a bot, the country CloudFront sees) and
        # whether to answer a refusal as a page; nothing else of the viewer's reaches it.
        link_request = cloudfront.OriginRequestPolicy(
            self,
            "LinkRequest",
            origin_request_policy_name=self._name("link-request"),
            comment="Dynamic code links: the headers the redirect counts by, nothing else",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(*LINK_HEADERS),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.none(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        headers = _api_headers(self, self._name("api-headers"))
        for pattern in gateway.CODE_IMAGE_PATTERNS:  # before c/*, which they would otherwise match
            self.distribution.add_behavior(
                pattern.lstrip("/"),
                self.code_images_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                # OPTIONS too: the stage answers a preflight on every resource, and make run does.
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
                cache_policy=cache_policy,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                response_headers_policy=headers,
            )
        for pattern in gateway.EDGE_API_PATTERNS:
            link = pattern == gateway.LINK_PATTERN
            self.distribution.add_behavior(
                pattern.lstrip("/"),
                self.api_origin,
                # A phone that opens http:// is sent to https://; API clients must use HTTPS.
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS
                if link
                else cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                # /qr's images may be kept; nothing else is (every scan of a link reaches its counter).
                cache_policy=cache_policy if pattern == gateway.API_PATH else cloudfront.CachePolicy.CACHING_DISABLED,
                # API Gateway answers 403 to a Host header that is not its own.
                origin_request_policy=link_request
                if link
                else cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                response_headers_policy=headers,
            )
        self.distribution.add_behavior(  # last: qr/batch (an API pattern) is matched before it
            IMAGES_PATH,
            self._images_origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=self._image_headers,
        )

    def _name(self, what: str) -> str:
        """CloudFront's names are global to the account: the deployment's name and region are part of each."""
        return naming.cloudfront(self._stack_name, Stack.of(self).region, what)

    @property
    def origin(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

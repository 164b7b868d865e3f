"""API: the REST API that validates, throttles and logs requests before `create_qr` is paid for."""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import CfnElement, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from contract import gateway
from contract.settings import Settings
from qr_service import errors, names
from qr_service.names import Env
from stacks.codes import DynamicCodes
from stacks.functions import log_retention, python_function
from stacks.owners import Owners

STAGE = gateway.STAGE
PUSH_TO_LOGS_POLICY = "arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"

ACCESS_LOG_FIELDS = apigw.AccessLogFormat.json_with_standard_fields(
    caller=False,
    http_method=True,
    ip=True,
    protocol=True,
    request_time=True,
    resource_path=True,
    response_length=True,
    status=True,
    user=False,
)


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        table: dynamodb.ITable,
        bucket: s3.IBucket,
        bus: events.IEventBus,
        qr_base_url: str,
        allowed_origins: list[str],
        owners: Owners,
        codes: DynamicCodes,
    ) -> None:
        super().__init__(scope, construct_id)
        self.create_qr = python_function(
            self,
            "CreateQr",
            index="create_qr.py",
            description="Returns a cached QR image URL, or renders, stores and announces a new one",
            settings=settings,
            environment={
                Env.TABLE_NAME: table.table_name,
                Env.BUCKET_NAME: bucket.bucket_name,
                Env.EVENT_BUS_NAME: bus.event_bus_name,
                Env.QR_BASE_URL: qr_base_url,
                Env.ALLOWED_ORIGIN: ",".join(allowed_origins),
                Env.CACHE_TTL_SECONDS: str(settings.cache_ttl_seconds),
                Env.ALLOWED_HOSTS: ",".join(settings.allowed_hosts),
                Env.ACCESS: settings.access,
                **owners.environment(),
                Env.CODES_TABLE_NAME: codes.table.table_name,  # a code's image is drawn from its style
            },
            memory_size=512,
            # API Gateway's own limit for an answer: a full batch (100 items, POST /qr/batch) needs more than a
            # single code's 10 s at 512 MB (bench/content.py); a single code takes milliseconds either way.
            timeout=Duration.seconds(29),
            # Off by default: reserving takes concurrency away from the rest of the account.
            reserved_concurrent_executions=settings.max_concurrency,
        )
        self.create_qr.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:GetItem"], resources=[table.table_arn])
        )
        self.create_qr.add_to_role_policy(
            # Put a new image; read a stored one back for GET and inline answers on a hit.
            iam.PolicyStatement(actions=["s3:PutObject", "s3:GetObject"], resources=[bucket.arn_for_objects("qr/*")])
        )
        self.create_qr.add_to_role_policy(
            iam.PolicyStatement(actions=["events:PutEvents"], resources=[bus.event_bus_arn])
        )
        self.create_qr.add_to_role_policy(
            iam.PolicyStatement(actions=["dynamodb:GetItem"], resources=[codes.table.table_arn])
        )
        if settings.access == "key":  # a public deployment's create_qr never reads a key
            owners.grant_check(self.create_qr)
        bucket_resource = bucket.node.default_child
        assert isinstance(bucket_resource, CfnElement) and self.create_qr.role is not None
        bucket_id = Stack.of(self).get_logical_id(bucket_resource)
        Validations.of(self.create_qr.role).acknowledge(
            Ack(
                id=f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/qr/*]",
                reason="Object keys are content hashes known only at request time; the grant is PutObject "
                "under the qr/ prefix of the one images bucket.",
            )
        )

        access_logs = logs.LogGroup(
            self, "AccessLogs", retention=log_retention(settings), removal_policy=RemovalPolicy.DESTROY
        )
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=f"{Stack.of(self).stack_name}-api",  # the ApiName dimension of its metrics
            description="QR code generator",
            cloud_watch_role=True,
            # The role is account-wide and other APIs may log through it: keep it on destroy.
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE,
                throttling_rate_limit=settings.throttle_rate,
                throttling_burst_limit=settings.throttle_burst,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=ACCESS_LOG_FIELDS,
                # Execution logs would go to a group API Gateway makes itself, outside the stack, kept
                # forever; the access log (owned, with retention) records every request instead.
                logging_level=apigw.MethodLoggingLevel.OFF,
                metrics_enabled=True,
                tracing_enabled=settings.tracing,
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=allowed_origins,
                allow_methods=list(names.API_METHODS),
                allow_headers=list(names.CORS_ALLOW_HEADERS),
                max_age=Duration.seconds(names.CORS_MAX_AGE_SECONDS),
            ),
            endpoint_types=[apigw.EndpointType.REGIONAL],
            binary_media_types=list(gateway.BINARY_MEDIA_TYPES),
        )
        # The stage's own URL is not an output: with qr.waf it refuses every call that skips the distribution.
        self.rest_api.node.try_remove_child("Endpoint")
        self._cors_on_gateway_errors(allowed_origins[0])
        integrations = {
            "create_qr": apigw.LambdaIntegration(self.create_qr),
            "manage_keys": apigw.LambdaIntegration(owners.manage_keys),
            "manage_codes": apigw.LambdaIntegration(codes.manage_codes),
            "redirect": apigw.LambdaIntegration(codes.redirect),
        }
        # No request validator and no model: every field rule is the function's, so the deployed API
        # answers each broken rule with its code and field, exactly as `make run` does.
        for route in gateway.ROUTES:
            resource = self.rest_api.root.resource_for_path(route.path)
            for method in route.methods:
                resource.add_method(method, integrations[route.function])
            self._refuse_other_methods(resource, route, allowed_origins[0])
        self._preflight_as_text()
        self._acknowledge_open_api()

    def _refuse_other_methods(self, resource: apigw.Resource, route: gateway.Route, origin: str) -> None:
        """Any other method gets a JSON 405 with CORS and Allow from API Gateway itself, no Lambda."""
        headers = {
            name: f"'{value}'"
            for name, value in {**gateway.error_headers(origin), "Allow": ", ".join(route.allow)}.items()
            if name != "Content-Type"  # the template's content type sets it
        }
        message = route.not_allowed("$context.httpMethod")
        resource.add_method(
            "ANY",
            apigw.MockIntegration(
                # Every body is binary to this API (*/*): a mock must read and answer text.
                content_handling=apigw.ContentHandling.CONVERT_TO_TEXT,
                request_templates={"application/json": '{"statusCode": 405}'},
                # No selection pattern: whatever the mock returns, this response (a 405) is sent.
                integration_responses=[
                    apigw.IntegrationResponse(
                        status_code="405",
                        content_handling=apigw.ContentHandling.CONVERT_TO_TEXT,
                        response_parameters={f"method.response.header.{h}": v for h, v in headers.items()},
                        response_templates={"application/json": message},
                    )
                ],
            ),
            method_responses=[
                apigw.MethodResponse(
                    status_code="405",
                    response_parameters={f"method.response.header.{h}": True for h in headers},
                )
            ],
        )

    def _preflight_as_text(self) -> None:
        """CDK's CORS preflight methods are mocks too: with */* binary they fail with a 500 unless they
        convert to text (a known API Gateway behaviour)."""
        for node in self.rest_api.node.find_all():
            if isinstance(node, apigw.CfnMethod) and node.http_method == "OPTIONS":
                node.add_property_override("Integration.ContentHandling", "CONVERT_TO_TEXT")
                node.add_property_override("Integration.IntegrationResponses.0.ContentHandling", "CONVERT_TO_TEXT")

    def _cors_on_gateway_errors(self, origin: str) -> None:
        """Errors API Gateway answers itself carry CORS and the same JSON as their local stand-in."""
        headers = {
            name: f"'{value}'" for name, value in gateway.error_headers(origin).items() if name != "Content-Type"
        }
        answers = {
            # What API Gateway answers for a path it does not serve.
            # What API Gateway answers for a path it does not serve: also every missing page or image, which the
            # distribution asks the stage for when a bucket has no such object (stacks/delivery.py).
            "NotFound": (
                apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
                "404",
                gateway.error_body(errors.NO_SUCH_FILE),
            ),
            "TooLarge": (
                apigw.ResponseType.REQUEST_TOO_LARGE,
                "413",
                gateway.error_body(errors.PAYLOAD_TOO_LARGE, limit=gateway.MAX_PAYLOAD_BYTES),
            ),
            "Throttled": (apigw.ResponseType.THROTTLED, "429", gateway.error_body(errors.THROTTLED)),
            "Default4xx": (
                apigw.ResponseType.DEFAULT_4_XX,
                None,
                gateway.gateway_error_template(errors.GATEWAY_REFUSED),
            ),
            "Default5xx": (
                apigw.ResponseType.DEFAULT_5_XX,
                None,
                gateway.gateway_error_template(errors.GATEWAY_FAILED),
            ),
        }
        for name, (kind, status, body) in answers.items():
            self.rest_api.add_gateway_response(
                name, type=kind, status_code=status, response_headers=headers, templates={"application/json": body}
            )

    def _acknowledge_open_api(self) -> None:
        Validations.of(self.rest_api).acknowledge(
            Ack(
                id="AwsSolutions-APIG4",
                reason='Callers are decided by the functions, not by API Gateway: with qr.access "key" create_qr '
                "checks the X-API-Key header against the keys table, and /keys always needs the admin key "
                "(docs/security.md; API Gateway's own API keys are for usage plans, not authorization). A public "
                "deployment is public by design; the edge's per-client and per-key limits, the stage lock, the "
                "throttle, the validation and the one-day cache bound what anyone can spend.",
            ),
            Ack(
                id="AwsSolutions-APIG2",
                reason="On purpose: create_qr validates every request from qr_service/fields.py and answers each "
                "broken rule with its code and field, exactly as the local run does; a gateway model would answer "
                "first, in its own words (tests/template/test_gateway_parity.py).",
            ),
            Ack(
                id="AwsSolutions-COG4",
                reason="No Cognito user pool: callers are API keys the functions check (AwsSolutions-APIG4 says how).",
            ),
            Ack(
                id="AwsSolutions-APIG3",
                reason="Only when qr.waf is off, by the owner's choice: then the stage has no web ACL and answers "
                "direct calls, bounded by its throttle (README, Security and abuse).",
            ),
            Ack(
                id="AwsSolutions-APIG6",
                reason="Execution logging is off on purpose: API Gateway would write it to a log group outside the "
                "stack that never expires. The JSON access log, owned and expiring, records every request.",
            ),
        )
        Validations.of(self.rest_api.node.find_child("CloudWatchRole")).acknowledge(
            Ack(
                id=f"AwsSolutions-IAM4[Policy::{PUSH_TO_LOGS_POLICY}]",
                reason="API Gateway's account-wide logging role; this AWS managed policy is the documented grant.",
            )
        )

"""The one way this stack builds a Lambda function from lambda/: runtime, sizing, logs and role in one place."""

from typing import Any

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Duration, RemovalPolicy, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_lambda_python_alpha import BundlingOptions, PythonFunction
from constructs import Construct

from contract import LAMBDA_DIR
from contract.settings import ARCHITECTURES, RETENTION_DAYS, Settings
from qr_service.names import Env

RUNTIME = lambda_.Runtime.PYTHON_3_14  # the CDK's own, with what it knows of it; equal to PYTHON_RUNTIME (test_stack)


def log_retention(settings: Settings) -> logs.RetentionDays:
    """qr.log_retention_days as the CDK's enum."""
    return getattr(logs.RetentionDays, RETENTION_DAYS[settings.log_retention_days])  # type: ignore[no-any-return]


def architecture(settings: Settings) -> lambda_.Architecture:
    """qr.lambda_architecture as the CDK's enum."""
    return getattr(lambda_.Architecture, ARCHITECTURES[settings.lambda_architecture])  # type: ignore[no-any-return]


def python_function(
    scope: Construct,
    construct_id: str,
    *,
    index: str,
    description: str,
    settings: Settings,
    environment: dict[str, str],
    memory_size: int,
    timeout: Duration,
    **options: Any,
) -> PythonFunction:
    """A function whose role may only write its own log group; callers grant the rest explicitly.

    `options` are further PythonFunction properties, such as the asynchronous invocation's settings.
    """
    log_group = logs.LogGroup(
        scope, f"{construct_id}Logs", retention=log_retention(settings), removal_policy=RemovalPolicy.DESTROY
    )
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Runs {index}: its log group plus the grants the stack adds",
    )
    log_group.grant(role, "logs:CreateLogStream", "logs:PutLogEvents")
    function = PythonFunction(
        scope,
        construct_id,
        entry=str(LAMBDA_DIR),
        index=index,
        handler="handler",
        runtime=RUNTIME,
        architecture=architecture(settings),
        description=description,
        memory_size=memory_size,
        timeout=timeout,
        role=role,
        log_group=log_group,
        # Active tracing needs no SDK in the handler: Lambda records the invocation and its AWS calls' timing.
        tracing=lambda_.Tracing.ACTIVE if settings.tracing else lambda_.Tracing.DISABLED,
        # The service dimension of the handlers' metrics: the deployment's, as its alarms expect.
        environment={**environment, Env.SERVICE_NAME: settings.stack_name},
        # Bytecode compiled on the developer's machine has no place in the asset.
        bundling=BundlingOptions(asset_excludes=["__pycache__", "*.pyc"]),
        **options,
    )
    if settings.tracing:
        Validations.of(role).acknowledge(
            Ack(
                id="AwsSolutions-IAM5[Resource::*]",
                reason="X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; "
                "Lambda's active tracing needs exactly these two actions.",
            )
        )
    return function

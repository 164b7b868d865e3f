"""The QR code service: storage, delivery, events, API, site and monitoring, wired as in the README's diagram."""

from typing import Any

from aws_cdk import Aspects, Aws, CfnOutput, Duration, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import custom_resources as cr
from constructs import Construct

from contract import edge_rules, naming
from contract.settings import Settings, from_context
from stacks.api import Api
from stacks.codes import DynamicCodes
from stacks.delivery import Delivery
from stacks.events import Events
from stacks.hardening import ExplicitActions
from stacks.log_ownership import own_function_logs
from stacks.monitoring import Monitoring
from stacks.origin_lock import OriginLock
from stacks.owners import Owners
from stacks.site import Site
from stacks.storage import Storage


class QrCodeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        Aspects.of(self).add(ExplicitActions())
        settings = from_context(self)
        storage = Storage(self, "Storage", settings)
        delivery = Delivery(
            self,
            "Delivery",
            site=storage.site,
            images=storage.images,
            logs=storage.access_logs,
            web_acl_arn=self._edge_web_acl_arn(settings) if settings.waf else None,
            stack_name=settings.stack_name,
            locked=settings.waf,
        )
        events = Events(self, "Events", settings, table=storage.table)
        allowed_origins = [delivery.origin, *settings.extra_allowed_origins]
        owners = Owners(self, "Owners", settings=settings, allowed_origins=allowed_origins)
        codes = DynamicCodes(
            self,
            "Codes",
            settings=settings,
            owners=owners,
            base_url=delivery.origin,
            allowed_origins=allowed_origins,
        )
        api = Api(
            self,
            "Api",
            settings=settings,
            table=storage.table,
            bucket=storage.images,
            bus=events.bus,
            qr_base_url=delivery.origin,
            allowed_origins=allowed_origins,
            owners=owners,
            codes=codes,
        )
        lock_value = None
        if settings.waf:
            lock = OriginLock(
                self,
                "OriginLock",
                stage=api.rest_api.deployment_stage,
                metric=naming.stage_lock_metric(settings.stack_name),
                settings=settings,
            )
            lock_value = lock.header_value
            # The ACL takes a new secret before the distribution starts sending it (a rotation refuses nothing).
            delivery.distribution.node.add_dependency(lock.web_acl)
        delivery.add_api(api.rest_api, max_ttl=Duration.days(settings.cache_days), lock_value=lock_value)
        # The page and the OpenAPI document name the API on the distribution's own domain.
        Site(self, "Site", bucket=storage.site, api_url=delivery.origin, settings=settings)
        monitoring = Monitoring(
            self,
            "Monitoring",
            alarm_email=settings.alarm_email,
            service=settings.stack_name,
            renders_per_hour=settings.alarm_renders_per_hour,
            monthly_budget_usd=settings.monthly_budget_usd,
            functions={
                "CreateQr": api.create_qr,
                "StoreUrl": events.store_url,
                "ManageKeys": owners.manage_keys,
                "ManageCodes": codes.manage_codes,
                "Redirect": codes.redirect,
            },
            stage=api.rest_api.deployment_stage,
            failure_queues={"StoreUrlDeadLetters": events.dead_letters, "StoreUrlFailures": events.failures},
        )
        CfnOutput(self, "SiteUrl", value=f"{delivery.origin}/", description="The web page")
        CfnOutput(self, "QrEndpoint", value=f"{delivery.origin}/qr", description="POST or GET here to make a QR code")
        CfnOutput(
            self,
            "DistributionDomainName",
            value=delivery.distribution.distribution_domain_name,
            description="CloudFront domain that serves the images",
        )
        CfnOutput(
            self,
            "AdminKeySecretArn",
            value=owners.admin_key.secret_arn,
            description="The admin key's secret (its ARN, never its value): make admin-key STACK=<name> prints it",
        )
        CfnOutput(self, "DashboardUrl", value=monitoring.dashboard_url, description="The CloudWatch dashboard")
        CfnOutput(self, "AlarmTopicArn", value=monitoring.topic.topic_arn, description="SNS topic of every alarm")
        own_function_logs(self, settings)

    @property
    def main_region(self) -> str | None:
        """The region names derive from; None for an environment-agnostic synth."""
        return None if Token.is_unresolved(self.region) else self.region

    def _edge_web_acl_arn(self, settings: Settings) -> str:
        """The CloudFront web ACL's ARN, read at deploy time from the parameter the edge stack wrote in us-east-1.

        The read's physical id carries the fingerprint of the ACL's definition (contract/edge_rules.py), so it
        runs again in every deploy that may have changed or replaced the ACL, not only in the first.
        """
        name = naming.web_acl_arn_parameter(settings.stack_name, self.main_region)
        definition = edge_rules.fingerprint(edge_rules.web_acl(settings, self.main_region))
        read = cr.AwsSdkCall(
            service="SSM",
            action="getParameter",
            parameters={"Name": name},
            region=naming.EDGE_REGION,
            physical_resource_id=cr.PhysicalResourceId.of(f"{name}@{definition}"),
        )
        reader = cr.AwsCustomResource(
            self,
            "EdgeWebAclArn",
            on_create=read,
            on_update=read,
            install_latest_aws_sdk=False,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [
                    iam.PolicyStatement(
                        actions=["ssm:GetParameter"],
                        resources=[f"arn:{Aws.PARTITION}:ssm:{naming.EDGE_REGION}:{Aws.ACCOUNT_ID}:parameter{name}"],
                    )
                ]
            ),
        )
        return reader.get_response_field("Parameter.Value")

"""The QR code service: storage, delivery, events, API, site and monitoring, wired as in the README's diagram."""

import jsii
from aws_cdk import Aspects, CfnOutput, IStableStringProducer, Lazy, Stack
from constructs import Construct

from stacks.api import Api
from stacks.delivery import Delivery
from stacks.events import Events
from stacks.hardening import ExplicitActions
from stacks.monitoring import Monitoring
from stacks.page_policy import content_security_policy
from stacks.settings import from_context
from stacks.site import Site
from stacks.storage import Storage


@jsii.implements(IStableStringProducer)
class _Later:
    """A value the distribution needs before the construct that has it exists (the API's origin)."""

    value: str | None = None

    def produce(self) -> str | None:
        return self.value


class QrCodeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        Aspects.of(self).add(ExplicitActions())
        settings = from_context(self)
        storage = Storage(self, "Storage", settings)
        api_origin = _Later()
        delivery = Delivery(
            self,
            "Delivery",
            site=storage.site,
            images=storage.images,
            logs=storage.access_logs,
            page_csp=content_security_policy(api_origin=Lazy.string(api_origin)),
        )
        events = Events(self, "Events", settings, table=storage.table)
        api = Api(
            self,
            "Api",
            settings=settings,
            table=storage.table,
            bucket=storage.images,
            bus=events.bus,
            qr_base_url=delivery.origin,
            allowed_origins=[delivery.origin, *settings.extra_allowed_origins],
        )
        api_origin.value = api.origin
        Site(self, "Site", bucket=storage.site, api_url=api.rest_api.url, api_base=api.base_url)
        monitoring = Monitoring(
            self,
            "Monitoring",
            alarm_email=settings.alarm_email,
            functions={"CreateQr": api.create_qr, "StoreUrl": events.store_url},
            stage=api.rest_api.deployment_stage,
            failure_queues={"StoreUrlDeadLetters": events.dead_letters, "StoreUrlFailures": events.failures},
        )
        CfnOutput(self, "SiteUrl", value=f"{delivery.origin}/", description="The web page")
        CfnOutput(self, "ApiUrl", value=api.rest_api.url, description="Base URL of the REST API")
        CfnOutput(self, "QrEndpoint", value=api.qr_endpoint, description="POST or GET here to make a QR code")
        CfnOutput(
            self,
            "DistributionDomainName",
            value=delivery.distribution.distribution_domain_name,
            description="CloudFront domain that serves the images",
        )
        CfnOutput(self, "DashboardUrl", value=monitoring.dashboard_url, description="The CloudWatch dashboard")
        CfnOutput(self, "AlarmTopicArn", value=monitoring.topic.topic_arn, description="SNS topic of every alarm")

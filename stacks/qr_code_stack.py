"""The QR code service: storage, delivery, events, API, site and monitoring, wired as in the README's diagram."""

from typing import Any

from aws_cdk import Aspects, CfnOutput, Duration, Stack
from constructs import Construct

from stacks.api import STAGE, Api
from stacks.delivery import Delivery
from stacks.events import Events
from stacks.hardening import ExplicitActions
from stacks.monitoring import Monitoring
from stacks.settings import from_context
from stacks.site import Site
from stacks.storage import Storage


class QrCodeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        Aspects.of(self).add(ExplicitActions())
        settings = from_context(self)
        storage = Storage(self, "Storage", settings)
        delivery = Delivery(self, "Delivery", site=storage.site, images=storage.images, logs=storage.access_logs)
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
        delivery.add_api(api.rest_api, stage=STAGE, max_ttl=Duration.days(settings.cache_days))
        # The page and the OpenAPI document name the API on the distribution's own domain.
        Site(self, "Site", bucket=storage.site, api_url=delivery.origin)
        monitoring = Monitoring(
            self,
            "Monitoring",
            alarm_email=settings.alarm_email,
            functions={"CreateQr": api.create_qr, "StoreUrl": events.store_url},
            stage=api.rest_api.deployment_stage,
            failure_queues={"StoreUrlDeadLetters": events.dead_letters, "StoreUrlFailures": events.failures},
        )
        CfnOutput(self, "SiteUrl", value=f"{delivery.origin}/", description="The web page")
        CfnOutput(self, "QrEndpoint", value=f"{delivery.origin}/qr", description="POST or GET here to make a QR code")
        CfnOutput(
            self, "ApiUrl", value=api.rest_api.url, description="The REST API's own URL (direct calls, CORS origins)"
        )
        CfnOutput(
            self,
            "DistributionDomainName",
            value=delivery.distribution.distribution_domain_name,
            description="CloudFront domain that serves the images",
        )
        CfnOutput(self, "DashboardUrl", value=monitoring.dashboard_url, description="The CloudWatch dashboard")
        CfnOutput(self, "AlarmTopicArn", value=monitoring.topic.topic_arn, description="SNS topic of every alarm")

"""The QR code service: storage, delivery, events, API and site, wired as in the README's diagram."""

from aws_cdk import Aspects, CfnOutput, Stack
from constructs import Construct

from stacks.api import Api
from stacks.delivery import Delivery
from stacks.events import Events
from stacks.hardening import ExplicitActions
from stacks.settings import from_context
from stacks.site import Site
from stacks.storage import Storage


class QrCodeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
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
        Site(self, "Site", bucket=storage.site, api_url=api.rest_api.url)
        CfnOutput(self, "SiteUrl", value=f"{delivery.origin}/", description="The web page")
        CfnOutput(self, "ApiUrl", value=api.rest_api.url, description="Base URL of the REST API")
        CfnOutput(self, "QrEndpoint", value=api.qr_endpoint, description="POST or GET here to make a QR code")
        CfnOutput(
            self,
            "DistributionDomainName",
            value=delivery.distribution.distribution_domain_name,
            description="CloudFront domain that serves the images",
        )

"""The stacks `cdk deploy` makes: the service in any region, and with qr.waf its edge stack in us-east-1."""

from aws_cdk import App, Environment

from stacks.edge import REGION as EDGE_REGION
from stacks.edge import EdgeStack
from stacks.qr_code_stack import QrCodeStack
from stacks.settings import from_context

MAIN_STACK = "QrCodeGenerator"
EDGE_STACK = "QrCodeGeneratorEdge"


def add_stacks(app: App, account: str | None, region: str | None) -> tuple[QrCodeStack, EdgeStack | None]:
    """The main stack, and the edge stack it depends on when qr.waf is on (deployed first)."""
    settings = from_context(app)
    main = QrCodeStack(
        app,
        MAIN_STACK,
        description="Serverless QR code generator with a one-day cache",
        env=Environment(account=account, region=region),
    )
    if not settings.waf:
        return main, None
    edge = EdgeStack(
        app,
        EDGE_STACK,
        settings=settings,
        main_stack_name=MAIN_STACK,
        description="QR code generator: the CloudFront web ACL (per-client limit), which must live in us-east-1",
        env=Environment(account=account, region=EDGE_REGION),
    )
    main.add_stack_dependency(edge)
    return main, edge

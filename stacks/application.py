"""The stacks `cdk deploy` makes: the service in any region, and with qr.waf its edge stack in us-east-1.

Their names come from qr.stack_name and the service's region (contract/naming.py), so one account can
hold several deployments.
"""

from aws_cdk import App, Environment

from contract import naming
from contract.settings import from_context
from stacks.edge import EdgeStack
from stacks.qr_code_stack import QrCodeStack


def add_stacks(app: App, account: str | None, region: str | None) -> tuple[QrCodeStack, EdgeStack | None]:
    """The main stack, and the edge stack it depends on when qr.waf is on (deployed first)."""
    settings = from_context(app)
    main = QrCodeStack(
        app,
        settings.stack_name,
        description="Serverless QR code generator with a one-day cache",
        env=Environment(account=account, region=region),
    )
    if not settings.waf:
        return main, None
    edge = EdgeStack(
        app,
        naming.edge_stack_name(settings.stack_name, region),
        settings=settings,
        main_region=region,
        description="QR code generator: the CloudFront web ACL (per-client and global limits), which must live in "
        "us-east-1",
        env=Environment(account=account, region=naming.EDGE_REGION),
    )
    main.add_stack_dependency(edge)
    return main, edge

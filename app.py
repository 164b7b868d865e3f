#!/usr/bin/env python3
"""The CDK app: one QrCodeStack, checked by cdk-nag's AwsSolutions rules on every synth.

Every synth and deploy bundles the functions with their dependencies (Docker); without Docker it
stops and says so. `make synth`, the tests and CI opt out with QR_SKIP_BUNDLING=1 (stacks/bundling.py).
"""

import os

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from stacks import bundling
from stacks.qr_code_stack import QrCodeStack


def build_app() -> App:
    app = App(post_cli_context=bundling.post_cli_context())
    bundling.require_docker(app.node.try_get_context(bundling.BUNDLING_STACKS))
    QrCodeStack(
        app,
        "QrCodeGenerator",
        description="Serverless QR code generator with a one-day cache",
        env=Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")),
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


if __name__ == "__main__":
    build_app().synth()

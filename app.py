#!/usr/bin/env python3
"""The CDK app: one QrCodeStack, checked by cdk-nag's AwsSolutions rules on every synth.

Function bundling needs Docker and happens at deploy time; `make synth` (and CI) skip it
through the `aws:cdk:bundling-stacks` context, which the CDK CLI refuses on its command line.
Set QR_BUNDLE=1 (as `make deploy` does) to bundle.
"""

import os

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from stacks.qr_code_stack import QrCodeStack


def build_app() -> App:
    post_cli_context = {} if os.environ.get("QR_BUNDLE") == "1" else {"aws:cdk:bundling-stacks": []}
    app = App(post_cli_context=post_cli_context)
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

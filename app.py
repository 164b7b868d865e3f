#!/usr/bin/env python3
"""The CDK app: QrCodeStack and, with qr.waf, its us-east-1 edge stack; cdk-nag checks both on every synth.

Every synth and deploy bundles the functions with their dependencies (Docker); without Docker it
stops and says so. `make synth`, the tests and CI opt out with QR_SKIP_BUNDLING=1 (stacks/bundling.py).
"""

import os

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from stacks import bundling
from stacks.application import add_stacks


def build_app() -> App:
    app = App(post_cli_context=bundling.post_cli_context())
    bundling.require_docker(app.node.try_get_context(bundling.BUNDLING_STACKS))
    add_stacks(app, account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION"))
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


if __name__ == "__main__":
    build_app().synth()

"""The CDK app's templates, synthesized offline (bundling skipped), and lookups in them."""

import json

from support import ROOT

TEST_ACCOUNT = "123456789012"
TEST_REGION = "eu-west-1"  # outside us-east-1, where the edge stack goes


def build_stacks(outdir=None, region=TEST_REGION, **context):
    """The app's stacks in a fresh App with cdk.json's context, bundling skipped (no Docker): (app, main, edge)."""
    from aws_cdk import App

    from stacks import bundling
    from stacks.application import add_stacks

    cdk_json = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = App(outdir=outdir, context={**cdk_json, **context}, post_cli_context=bundling.post_cli_context())
    main, edge = add_stacks(app, account=TEST_ACCOUNT, region=region)
    return app, main, edge


def build_stack(outdir=None, **context):
    """The main stack: (app, stack)."""
    app, main, _ = build_stacks(outdir, **context)
    return app, main


def synth_templates(**context):
    """(main template, edge template or None) as dicts."""
    from aws_cdk.assertions import Template

    _, main, edge = build_stacks(**context)
    return Template.from_stack(main).to_json(), Template.from_stack(edge).to_json() if edge else None


def synth_template(**context):
    """The synthesized template of QrCodeStack as a dict."""
    from aws_cdk.assertions import Template

    _, stack = build_stack(**context)
    return Template.from_stack(stack).to_json()


def resources_of(template: dict, kind: str) -> dict[str, dict]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] == kind}


def the_resource(template: dict, kind: str, **properties: object) -> tuple[str, dict]:
    """The one resource of `kind` whose Properties hold these values: (logical id, Properties)."""
    [(name, props)] = [
        (n, r["Properties"])
        for n, r in resources_of(template, kind).items()
        if all(r["Properties"].get(key) == value for key, value in properties.items())
    ]
    return name, props


def handler_function(template: dict, handler: str) -> tuple[str, dict]:
    """The function that runs `handler` (such as create_qr.handler): (logical id, Properties)."""
    return the_resource(template, "AWS::Lambda::Function", Handler=handler)


def _joined(value) -> str:
    """A Fn::Join as text, with every reference (a token at deploy time) written as DEPLOYED."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_joined(part) for part in parts)
    return "DEPLOYED"


def site_calls(template: dict) -> list[dict]:
    """The SDK calls of the stack's AwsCustomResources (the site's PutObjects, the edge ACL's ARN read), as JSON."""
    return [json.loads(_joined(r["Properties"]["Create"])) for r in resources_of(template, "Custom::AWS").values()]


def site_objects(template: dict) -> dict[str, str]:
    """The site bucket's files as the stack writes them: key -> body."""
    return {c["parameters"]["Key"]: c["parameters"]["Body"] for c in site_calls(template) if "Key" in c["parameters"]}

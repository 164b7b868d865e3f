"""Every name that must be unique in an account (CloudFront's and the edge's, which are global) or in an
account and region, derived from `qr.stack_name` and the main stack's region, so that two deployments
(staging and production, or one stack name in two regions) never collide. No CDK import.

`region` is the main stack's; it is None when the app is synthesized without one (no CDK_DEFAULT_REGION),
and then only one region per stack name can be deployed, as the docs say.
"""

EDGE_REGION = "us-east-1"  # where CloudFront's web ACLs must live


def _where(stack_name: str, region: str | None) -> str:
    return f"{stack_name}-{region}" if region else stack_name


def edge_stack_name(stack_name: str, region: str | None) -> str:
    """The us-east-1 stack of a main stack; one per main stack and region."""
    return f"{_where(stack_name, region)}-Edge"


def web_acl_arn_parameter(stack_name: str, region: str | None) -> str:
    """The SSM parameter (in us-east-1) that carries the edge web ACL's ARN to its main stack."""
    return f"/{stack_name}/{region or 'default'}/edge/web-acl-arn"


def edge_metric(stack_name: str, region: str | None) -> str:
    """The edge web ACL's CloudWatch metric name (its WebACL dimension, shared by every ACL in us-east-1)."""
    return f"{_where(stack_name, region)}-edge"


def stage_lock_metric(stack_name: str) -> str:
    """The stage's regional web ACL's metric name; its region is a dimension of its own."""
    return f"{stack_name}-stage-lock"


def cloudfront(stack_name: str, region: str, what: str) -> str:
    """A CloudFront policy's or origin access control's name: CloudFront's names are global to the account.

    `region` may be a CDK token (an environment-agnostic stack); OAC names allow 64 characters.
    """
    return f"{stack_name}-{region}-{what}"

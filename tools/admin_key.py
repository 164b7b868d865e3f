"""`make admin-key STACK=<name>`: print a deployment's admin key (X-API-Key on /keys), read with your own
AWS credentials: the stack's AdminKeySecretArn output names the secret, Secrets Manager holds the value."""

import argparse
import sys

from contract import LAMBDA_DIR
from contract.settings import from_cdk_json


class NoAdminKey(Exception):
    """The stack or its secret cannot be read; the message says why."""


OUTPUT = "AdminKeySecretArn"


def secret_arn(stack: str, outputs: list[dict[str, str]]) -> str:
    """The secret's ARN among a stack's outputs (DescribeStacks' `Outputs`)."""
    found = {o["OutputKey"]: o["OutputValue"] for o in outputs}.get(OUTPUT)
    if found is None:
        raise NoAdminKey(f"stack {stack} has no {OUTPUT} output: deploy this version first (make deploy)")
    return found


def admin_key(stack: str) -> str:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        stacks = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    except (BotoCoreError, ClientError) as error:
        raise NoAdminKey(f"cannot read stack {stack}: {error}") from None
    return read(secret_arn(stack, [dict(o) for o in stacks[0].get("Outputs", [])]))


def read(arn: str) -> str:
    """The secret's value, with the caller's credentials."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return str(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
    except (BotoCoreError, ClientError) as error:
        raise NoAdminKey(f"cannot read the admin key's secret {arn}: {error}") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stack", help="the deployed stack (default: cdk.json's qr.stack_name)")
    args = parser.parse_args(argv)
    stack = args.stack or from_cdk_json(LAMBDA_DIR.parent / "cdk.json").stack_name
    try:
        print(admin_key(stack))
    except NoAdminKey as error:
        sys.exit(f"No admin key: {error}")


if __name__ == "__main__":
    main()

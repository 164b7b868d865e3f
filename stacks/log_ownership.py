"""Every function in a stack logs to a log group the stack owns: retention set, deleted with the stack.

CDK's helper functions (the auto-delete provider, the AwsCustomResource provider) would otherwise
create /aws/lambda/<name> at their first run, outside CloudFormation, kept forever and left behind
by `make destroy`. Each function without a log group of its own gets one here, named in its
LoggingConfig (a reference, so the group exists before the function's first run).
"""

from aws_cdk import CfnResource, RemovalPolicy, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from contract.settings import Settings
from stacks.functions import log_retention


def own_function_logs(stack: Stack, settings: Settings) -> None:
    """Call last in a stack's constructor, when all its functions exist."""
    functions = [
        node
        for node in stack.node.find_all()
        if isinstance(node, CfnResource) and node.cfn_resource_type == "AWS::Lambda::Function"
    ]
    for function in functions:
        if isinstance(function, lambda_.CfnFunction) and function.logging_config is not None:
            continue  # built by stacks/functions.py, with its own group
        parent = function.node.scope
        assert isinstance(parent, Construct)
        group = logs.LogGroup(
            parent,
            f"{function.node.id}Logs",
            retention=log_retention(settings),
            removal_policy=RemovalPolicy.DESTROY,
        )
        # A reference, so CloudFormation creates the group first.
        function.add_property_override("LoggingConfig.LogGroup", group.log_group_name)

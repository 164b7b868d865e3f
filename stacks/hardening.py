"""An aspect that keeps every Allow statement free of wildcard actions, including CDK's own.

CDK's helpers grant families such as `s3:List*` (the auto-delete-objects provider, for one).
Known families are replaced with the exact calls their handlers make; any other wildcard in an
Allow statement fails synthesis, so a new one cannot slip in. Deny statements keep `s3:*`/`sqs:*`:
denying everything over plain HTTP is the point of the TLS-only policies.
"""

import jsii
from aws_cdk import CfnResource, IAspect, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import IConstruct

# What the auto-delete-objects handler calls: GetBucketTagging, PutBucketPolicy,
# ListObjectVersions and DeleteObjects (with version ids).
EXPLICIT = {
    "s3:DeleteObject*": ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    "s3:GetBucket*": ["s3:GetBucketTagging"],
    "s3:List*": ["s3:ListBucket", "s3:ListBucketVersions"],
}


@jsii.implements(IAspect)
class ExplicitActions:
    def visit(self, node: IConstruct) -> None:
        if isinstance(node, s3.CfnBucketPolicy | sqs.CfnQueuePolicy | iam.CfnPolicy):
            self._rewrite(node, "PolicyDocument", node.policy_document)

    def _rewrite(self, node: CfnResource, prop: str, document: object) -> None:
        resolved = Stack.of(node).resolve(document)
        for index, statement in enumerate(resolved.get("Statement", [])):
            if statement.get("Effect") != "Allow":
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if not any("*" in action for action in actions):
                continue
            explicit = []
            for action in actions:
                if "*" not in action:
                    explicit.append(action)
                elif action in EXPLICIT:
                    explicit.extend(EXPLICIT[action])
                else:
                    raise ValueError(f"{node.node.path}: Allow statement uses wildcard action {action!r}")
            node.add_property_override(f"{prop}.Statement.{index}.Action", sorted(set(explicit)))

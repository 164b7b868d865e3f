"""Origin lock: the API stage answers only requests that came through the distribution.

The distribution's API origin adds a header whose value is a secret generated at deploy time
(Secrets Manager; the template holds only a dynamic reference to it). A regional web ACL on the
stage lets requests with that exact header through and answers every other one 403 in JSON,
before API Gateway's throttle and before `create_qr`.

Rotation refuses no request: a new generation (`qr.origin_secret_generation`) with
`qr.origin_secret_accept_previous` makes the ACL accept the new and the previous value while the
distribution, updated after the ACL, moves to the new one; the next deploy without the flag drops
the previous secret (docs/security.md).
"""

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from contract import gateway
from contract.settings import Settings
from qr_service import errors

FROM_EDGE_RULE = "FromTheDistribution"


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def _header_is(value: str) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(single_header={"Name": gateway.ORIGIN_VERIFY_HEADER}),
            positional_constraint="EXACTLY",
            search_string=value,
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
        )
    )


class OriginLock(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: apigw.Stage, metric: str, settings: Settings
    ) -> None:
        """`metric`: the web ACL's CloudWatch metric name (contract/naming.py)."""
        super().__init__(scope, construct_id)
        generation = settings.origin_secret_generation
        self.secret = self._secret(generation)
        # A dynamic reference ({{resolve:secretsmanager:...}}), never the value, in the template.
        self.header_value = self.secret.secret_value.unsafe_unwrap()
        accepted = [_header_is(self.header_value)]
        if settings.origin_secret_accept_previous and generation > 1:
            accepted.append(_header_is(self._secret(generation - 1).secret_value.unsafe_unwrap()))
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            description="QR API stage: only requests from the CloudFront distribution",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(
                block=wafv2.CfnWebACL.BlockActionProperty(
                    custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                        response_code=403, custom_response_body_key="direct_call"
                    )
                )
            ),
            custom_response_bodies={
                "direct_call": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON", content=gateway.error_body(errors.DIRECT_CALL)
                )
            },
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name=FROM_EDGE_RULE,
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(allow={}),
                    statement=accepted[0]
                    if len(accepted) == 1
                    else wafv2.CfnWebACL.StatementProperty(
                        or_statement=wafv2.CfnWebACL.OrStatementProperty(statements=accepted)
                    ),
                    visibility_config=_visibility(FROM_EDGE_RULE),
                )
            ],
            visibility_config=_visibility(metric),
        )
        association = wafv2.CfnWebACLAssociation(
            self, "OnStage", resource_arn=stage.stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
        association.node.add_dependency(stage)

    def _secret(self, generation: int) -> secretsmanager.Secret:
        """The secret of a generation; the first keeps the construct id it always had, so it is never replaced."""
        secret = secretsmanager.Secret(
            self,
            "OriginSecret" if generation == 1 else f"OriginSecret{generation}",
            description=f"The header value CloudFront sends to the QR API (generation {generation}); the stage "
            "refuses requests without it",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True, include_space=False
            ),
        )
        Validations.of(secret).acknowledge(
            Ack(
                id="AwsSolutions-SMG4",
                reason="A shared value between this stack's CloudFront origin and its web ACL; rotating it in "
                "Secrets Manager alone would lock the API out. It is rotated by generations, which the ACL "
                "accepts side by side for one deploy (qr.origin_secret_generation, docs/security.md).",
            )
        )
        return secret

"""Edge: the CloudFront web ACL, in its own small stack in us-east-1 (where CloudFront's web ACLs
must live), limiting each client's requests to /qr; page and image views are not limited.

The main stack, in any region, reads the web ACL's ARN from an SSM parameter this stack writes
(stacks/qr_code_stack.py), so no CDK helper function appears here and the dependency is explicit.
"""

from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from stacks import contract
from stacks.monitoring import alarm_topic
from stacks.settings import Settings

REGION = "us-east-1"
RATE_RULE = "RateLimitApi"
WEB_ACL_METRIC = "QrEdge"
RATE_WINDOW_SECONDS = 300


def visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def json_body(key: str, text: str) -> dict[str, wafv2.CfnWebACL.CustomResponseBodyProperty]:
    return {key: wafv2.CfnWebACL.CustomResponseBodyProperty(content_type="APPLICATION_JSON", content=text)}


def web_acl_arn_parameter(main_stack_name: str) -> str:
    """The SSM parameter (in us-east-1) that carries the web ACL's ARN to the main stack."""
    return f"/{main_stack_name}/edge/web-acl-arn"


class EdgeStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, main_stack_name: str, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        api_path = wafv2.CfnWebACL.StatementProperty(
            byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                positional_constraint="EXACTLY",
                search_string=contract.API_PATH,
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
            )
        )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="CLOUDFRONT",
            description="QR code generator: requests to /qr per client IP per 5 minutes",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            custom_response_bodies=json_body("rate_limited", contract.rate_limited()),
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name=RATE_RULE,
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(
                        block=wafv2.CfnWebACL.BlockActionProperty(
                            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                                response_code=429, custom_response_body_key="rate_limited"
                            )
                        )
                    ),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=settings.rate_limit,
                            aggregate_key_type="IP",
                            evaluation_window_sec=RATE_WINDOW_SECONDS,
                            scope_down_statement=api_path,
                        )
                    ),
                    visibility_config=visibility(RATE_RULE),
                )
            ],
            visibility_config=visibility(WEB_ACL_METRIC),
        )
        self.parameter = ssm.StringParameter(
            self,
            "WebAclArn",
            parameter_name=web_acl_arn_parameter(main_stack_name),
            string_value=self.web_acl.attr_arn,
            description="The CloudFront web ACL of the QR code generator, for its main stack in any region",
        )
        self._blocked_alarm(settings.alarm_email, settings.rate_limit)

    def _blocked_alarm(self, email: str | None, limit: int) -> None:
        """Clients held back at the edge. CloudWatch alarms notify only a topic in their own region: this one."""
        topic = alarm_topic(self, "Alarms", email)
        blocked = cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name="BlockedRequests",
            dimensions_map={"WebACL": WEB_ACL_METRIC, "Rule": RATE_RULE},
            statistic="Sum",
            period=Duration.minutes(5),
        )
        alarm = cloudwatch.Alarm(
            self,
            "RateLimitedRequests",
            metric=blocked,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"A client sent more than {limit} requests to /qr in 5 minutes and was answered 429. "
            "One is a scraper or a loop; many at once is an attack. See the README's Security and abuse section.",
        )
        alarm.add_alarm_action(actions.SnsAction(topic))
        alarm.add_ok_action(actions.SnsAction(topic))
        self.alarm_topic = topic

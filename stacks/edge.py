"""Edge: the CloudFront web ACL, in its own small stack in us-east-1 (where CloudFront's web ACLs
must live), limiting each client's requests to /qr and all of them together; page and image views
are not limited (GET /qr embeds are: they reach the API).

Its rules are contract/edge_rules.py's, as data. The main stack, in any region, reads the web ACL's
ARN from an SSM parameter this stack writes (stacks/qr_code_stack.py), so no CDK helper function
appears here and the dependency is explicit.
"""

from typing import Any

from aws_cdk import CfnResource, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from contract import edge_rules, naming
from contract.settings import Settings
from stacks.monitoring import alarm_topic


class EdgeStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: Settings, main_region: str | None, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        properties = edge_rules.web_acl(settings, main_region)
        self.web_acl = CfnResource(self, "WebAcl", type="AWS::WAFv2::WebACL", properties=properties)
        self.parameter = ssm.StringParameter(
            self,
            "WebAclArn",
            parameter_name=naming.web_acl_arn_parameter(settings.stack_name, main_region),
            string_value=self.web_acl.get_att("Arn").to_string(),
            description="The CloudFront web ACL of the QR code generator, for its main stack in any region",
        )
        self.alarm_topic = alarm_topic(self, "Alarms", settings.alarm_email)
        metric = naming.edge_metric(settings.stack_name, main_region)
        self._blocked_alarm(
            "RateLimitedRequests",
            metric,
            edge_rules.PER_CLIENT_RULE,
            f"A client sent more than {settings.rate_limit} requests to /qr in 5 minutes and was answered 429. "
            "One is a scraper or a loop; many at once is an attack. See docs/security.md.",
        )
        self._blocked_alarm(
            "GlobalCeilingReached",
            metric,
            edge_rules.GLOBAL_RULE,
            f"All clients together sent more than {settings.global_rate_limit} requests to /qr in 5 minutes: "
            "everyone is answered 429 until the rate falls. Many addresses are sharing the work (an IPv6 /64, "
            "a botnet), or real use has outgrown qr.global_rate_limit. See docs/security.md.",
        )

    def _blocked_alarm(self, construct_id: str, web_acl_metric: str, rule: str, description: str) -> None:
        """Requests a rule answered 429. CloudWatch alarms notify only a topic in their own region: this one."""
        blocked = cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name="BlockedRequests",
            dimensions_map={"WebACL": web_acl_metric, "Rule": rule},
            statistic="Sum",
            period=Duration.minutes(5),
        )
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=blocked,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.alarm_topic))
        alarm.add_ok_action(actions.SnsAction(self.alarm_topic))

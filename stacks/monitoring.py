"""Monitoring: alarms that notify one SNS topic, and a dashboard of the service at a glance.

Plain aws_cloudwatch rather than cdk-monitoring-constructs: a dozen alarms read clearly here, each
threshold sits in ALARM_RULES with its reason, and the project carries no extra jsii dependency.
"""

from dataclasses import dataclass

from aws_cdk import Acknowledgment as Ack
from aws_cdk import Aws, Duration, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# Where the handlers' metrics go, and which count something gone wrong: the handlers' own names.
from qr_service.names import FAILURE_METRICS, NAMESPACE, Metric

FIVE_MINUTES = Duration.minutes(5)


@dataclass(frozen=True)
class AlarmRule:
    """When an alarm fires: `datapoints` of the last `periods` periods at or above `threshold`."""

    statistic: str
    threshold: float
    reason: str
    periods: int = 1
    datapoints: int = 1
    period: Duration = FIVE_MINUTES


ALARM_RULES = {
    "failed_events": AlarmRule(
        "Maximum", 1, "Each message is a mapping that was never cached (and an event to replay); none is expected."
    ),
    "function_errors": AlarmRule(
        "Sum",
        1,
        "The handlers turn expected failures into answers, so an error is a crash, a timeout or a failed cold start.",
    ),
    "function_throttles": AlarmRule(
        "Sum", 1, "Lambda refused invocations for lack of concurrency: users see 5xx, or events wait for retries."
    ),
    "api_5xx": AlarmRule(
        "Sum", 5, "Five server errors in five minutes is an outage, not noise; single ones show in our own metrics."
    ),
    "api_p99_latency_ms": AlarmRule(
        "p99",
        5000,
        "A miss takes well under a second warm and a cold start about two; 15 minutes of a p99 over "
        "5 s means a dependency is slow (the function times out at 10 s).",
        periods=3,
        datapoints=3,
    ),
    "own_failures": AlarmRule(
        "Sum", 1, "Each counts a request or event that went wrong inside the handler; none is expected."
    ),
}


def own_metric(name: str, service: str, statistic: str = "Sum", period: Duration = FIVE_MINUTES) -> cloudwatch.Metric:
    """A handler's count; `service` is the deployment's (its stack name), so two deployments in one region
    never share an alarm."""
    return cloudwatch.Metric(
        namespace=NAMESPACE, metric_name=name, dimensions_map={"service": service}, statistic=statistic, period=period
    )


def alarm_topic(scope: Construct, construct_id: str, email: str | None) -> sns.Topic:
    """A TLS-only topic that only this account's CloudWatch alarms (in the scope's region) may publish to."""
    topic = sns.Topic(scope, construct_id, display_name="QR code generator alarms", enforce_ssl=True)
    # The topic has a resource policy (TLS only), which replaces SNS's default one: allow our alarms.
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            actions=["sns:Publish"],
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            resources=[topic.topic_arn],
            conditions={
                "ArnLike": {"aws:SourceArn": f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:{Aws.ACCOUNT_ID}:alarm:*"},
                "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
            },
        )
    )
    if email:
        topic.add_subscription(subscriptions.EmailSubscription(email))
    Validations.of(topic).acknowledge(
        Ack(
            id="AwsSolutions-SNS2",
            reason="Alarm notifications carry alarm names and states, no user data; CloudWatch can publish to "
            "an encrypted topic only with a customer managed key, which costs more than the service.",
        )
    )
    return topic


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        alarm_email: str | None,
        service: str,
        renders_per_hour: int,
        monthly_budget_usd: int | None,
        functions: dict[str, lambda_.IFunction],
        stage: apigw.Stage,
        failure_queues: dict[str, sqs.IQueue],
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = alarm_topic(self, "Alarms", alarm_email)
        self.alarms: list[cloudwatch.Alarm] = []
        self.stage = stage
        self.service = service
        for name, queue in failure_queues.items():
            self._alarm(
                f"{name}Messages",
                queue.metric_approximate_number_of_messages_visible(),
                ALARM_RULES["failed_events"],
                f"Failed events are waiting in {name}.",
            )
        for name, fn in functions.items():
            self._alarm(f"{name}Errors", fn.metric_errors(), ALARM_RULES["function_errors"], f"{name} failed.")
            self._alarm(
                f"{name}Throttles", fn.metric_throttles(), ALARM_RULES["function_throttles"], f"{name} was throttled."
            )
        self._alarm("Api5xx", stage.metric_server_error(), ALARM_RULES["api_5xx"], "The API answered 5xx.")
        self._alarm("ApiLatencyP99", stage.metric_latency(), ALARM_RULES["api_p99_latency_ms"], "The API is slow.")
        for name in FAILURE_METRICS:
            self._alarm(name, own_metric(name, self.service), ALARM_RULES["own_failures"], f"{name} counted a failure.")
        volume = AlarmRule(
            "Sum",
            renders_per_hour,
            "Each render is a paid miss; far more than usual is a scraper or an attack sending unique URLs "
            "(qr.alarm_renders_per_hour).",
            period=Duration.hours(1),
        )
        self._alarm(
            "RendersPerHour",
            own_metric(Metric.IMAGES_GENERATED, self.service),
            volume,
            "Many new images were rendered.",
        )
        if monthly_budget_usd is not None:
            self._budget(monthly_budget_usd, alarm_email)
        self.dashboard = self._dashboard(functions, failure_queues)

    def _budget(self, limit_usd: int, email: str | None) -> None:
        """The account's monthly cost: notify at 80 % spent and when the forecast passes the limit."""
        # AWS Budgets tells the alarm topic too; only then may it publish there.
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal("budgets.amazonaws.com")],
                resources=[self.topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )
        subscribers = [budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=self.topic.topic_arn)]
        if email:
            subscribers.append(budgets.CfnBudget.SubscriberProperty(subscription_type="EMAIL", address=email))
        thresholds = (("ACTUAL", 80), ("FORECASTED", 100))
        budgets.CfnBudget(
            self,
            "MonthlyBudget",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=limit_usd, unit="USD"),
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        comparison_operator="GREATER_THAN",
                        notification_type=kind,
                        threshold=percent,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=subscribers,
                )
                for kind, percent in thresholds
            ],
        )

    def _alarm(self, construct_id: str, metric: cloudwatch.Metric, rule: AlarmRule, what: str) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric.with_(statistic=rule.statistic, period=rule.period),
            threshold=rule.threshold,
            evaluation_periods=rule.periods,
            datapoints_to_alarm=rule.datapoints,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"{what} {rule.reason} See the README's Operations section.",
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)

    def _dashboard(
        self, functions: dict[str, lambda_.IFunction], queues: dict[str, sqs.IQueue]
    ) -> cloudwatch.Dashboard:
        hits, misses = own_metric(Metric.CACHE_HITS, self.service), own_metric(Metric.CACHE_MISSES, self.service)
        dashboard = cloudwatch.Dashboard(self, "Dashboard", default_interval=Duration.hours(24))
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Requests",
                left=[self.stage.metric_count(statistic="Sum", period=FIVE_MINUTES, label="API requests")]
                + [fn.metric_invocations(label=f"{name} invocations") for name, fn in functions.items()],
            ),
            cloudwatch.GraphWidget(
                title="Cache hit ratio (%)",
                left=[
                    cloudwatch.MathExpression(
                        expression="100 * hits / (hits + misses)",
                        using_metrics={"hits": hits, "misses": misses},
                        label="hits / (hits + misses)",
                        period=FIVE_MINUTES,
                    )
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=100),
            ),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                left=[
                    self.stage.metric_latency(statistic="p50", period=FIVE_MINUTES, label="p50"),
                    self.stage.metric_latency(statistic="p99", period=FIVE_MINUTES, label="p99"),
                ],
            ),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Errors by kind",
                left=[
                    own_metric(name, self.service, period=FIVE_MINUTES)
                    for name in (*FAILURE_METRICS, Metric.REQUESTS_REJECTED)
                ]
                + [self.stage.metric_server_error(statistic="Sum", period=FIVE_MINUTES, label="API 5xx")]
                + [fn.metric_errors(label=f"{name} errors") for name, fn in functions.items()],
            ),
            cloudwatch.GraphWidget(
                title="Failed events waiting",
                left=[
                    queue.metric_approximate_number_of_messages_visible(statistic="Maximum", label=name)
                    for name, queue in queues.items()
                ],
            ),
            cloudwatch.GraphWidget(
                title="Throttles",
                left=[fn.metric_throttles(label=f"{name} throttles") for name, fn in functions.items()],
            ),
        )
        redirect = functions["Redirect"]
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Dynamic codes: scans followed, and counts lost",
                left=[
                    own_metric(Metric.REDIRECTS, self.service, period=FIVE_MINUTES),
                    own_metric(Metric.SCANS_LOST, self.service, period=FIVE_MINUTES),
                ],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Redirect duration (ms)",
                left=[
                    redirect.metric_duration(statistic="p50", period=FIVE_MINUTES, label="p50"),
                    redirect.metric_duration(statistic="p99", period=FIVE_MINUTES, label="p99"),
                ],
                width=12,
            ),
        )
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24))
        return dashboard

    @property
    def dashboard_url(self) -> str:
        return (
            f"https://console.aws.amazon.com/cloudwatch/home?region={Aws.REGION}"
            f"#dashboards:name={self.dashboard.dashboard_name}"
        )

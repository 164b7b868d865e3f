"""One structured logger and one metrics collector (CloudWatch embedded metric format) per container."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from qr_service.names import NAMESPACE, SERVICE, Metric

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)


def count(metric: Metric) -> None:
    """One occurrence of `metric`: every metric of ours is a count."""
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)

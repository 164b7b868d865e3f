"""One structured logger and one metrics collector (CloudWatch embedded metric format) per container."""

import os

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from qr_service.names import NAMESPACE, SERVICE, Env, Metric

_service = os.environ.get(Env.SERVICE_NAME) or SERVICE
logger = Logger(service=_service)
metrics = Metrics(namespace=NAMESPACE, service=_service)


def count(metric: Metric) -> None:
    """One occurrence of `metric`: every metric of ours is a count."""
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)

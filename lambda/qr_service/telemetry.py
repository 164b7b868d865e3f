"""One structured logger and one metrics collector (CloudWatch embedded metric format) per container."""

from aws_lambda_powertools import Logger, Metrics

SERVICE = "qr-code-generator"
NAMESPACE = "QrCodeGenerator"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

"""boto3 clients, created on first use and then kept for the life of the container.

Lazy creation keeps clients that a cache hit never needs (S3, EventBridge) off the hot path.
"""

from functools import cache

import boto3


@cache
def client(service: str):
    return boto3.client(service)

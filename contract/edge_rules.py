"""What the edge web ACL decides, as CloudFormation properties with no CDK import: the per-client limit
on the API (every method, embeds included), the same limit per API key (X-API-Key), the global
ceiling (all clients, every method but GET and HEAD) and batches per client, their answers and metrics.
stacks/edge.py deploys exactly this; the main stack re-reads the ACL's ARN whenever its fingerprint changes
(stacks/qr_code_stack.py).

CloudFront routes a request by its normalised path, so `//qr`, `/./qr` and `/%71r` reach the API like
`/qr`: the rules match the path after URL-decoding and normalising it, so every spelling is counted.
"""

import hashlib
import json

from contract import gateway, naming
from contract.settings import Settings
from qr_service import batch, errors
from qr_service.names import API_KEY_HEADER, BATCH_PATH

PER_CLIENT_RULE = "RateLimitApi"
GLOBAL_RULE = "GlobalCeiling"
PER_KEY_RULE = "RateLimitKey"
BATCH_RULE = "RateLimitBatch"
RATE_WINDOW_SECONDS = 300
# Applied in this order: %71 becomes q, then // and /./ collapse (WAF's own transformations).
PATH_TRANSFORMATIONS = ("URL_DECODE", "NORMALIZE_PATH")
RATE_LIMITED_BODY = "rate_limited"
GLOBAL_LIMIT_BODY = "global_limit"
KEY_RATE_LIMITED_BODY = "key_rate_limited"


def visibility(metric: str) -> dict[str, object]:
    return {"CloudWatchMetricsEnabled": True, "MetricName": metric, "SampledRequestsEnabled": True}


def json_body(text: str) -> dict[str, str]:
    return {"ContentType": "APPLICATION_JSON", "Content": text}


def _path(pattern: str) -> dict[str, object]:
    """One of the distribution's API path patterns (contract.gateway.EDGE_API_PATTERNS) as a path match."""
    exact = not pattern.endswith("*")
    return {
        "ByteMatchStatement": {
            "FieldToMatch": {"UriPath": {}},
            "PositionalConstraint": "EXACTLY" if exact else "STARTS_WITH",
            "SearchString": pattern if exact else pattern[:-1],
            "TextTransformations": [
                {"Priority": priority, "Type": kind} for priority, kind in enumerate(PATH_TRANSFORMATIONS)
            ],
        }
    }


def api_path() -> dict[str, object]:
    """Requests for the API (/qr, /keys), however the path is spelled: what the rate rules count."""
    return {"OrStatement": {"Statements": [_path(pattern) for pattern in gateway.EDGE_API_PATTERNS]}}


def _method(name: str) -> dict[str, object]:
    return {
        "ByteMatchStatement": {
            "FieldToMatch": {"Method": {}},
            "PositionalConstraint": "EXACTLY",
            "SearchString": name,
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }


def api_calls_but_embeds() -> dict[str, object]:
    """What the global ceiling counts: every request for the API but a GET or HEAD.

    WAF inspects a request before CloudFront's cache, so an <img> embed's views would count even when the
    edge answers them: a popular embed would shut the API for everyone. An embed that does reach the API
    (a miss) is bounded by the stage's own throttle for GET instead.
    """
    embeds = {"OrStatement": {"Statements": [_method("GET"), _method("HEAD")]}}
    return {"AndStatement": {"Statements": [api_path(), {"NotStatement": {"Statement": embeds}}]}}


def _rate_rule(
    name: str, priority: int, limit: int, key: str, body: str, scope: dict[str, object]
) -> dict[str, object]:
    statement: dict[str, object] = {
        "Limit": limit,
        "AggregateKeyType": key,
        "EvaluationWindowSec": RATE_WINDOW_SECONDS,
        "ScopeDownStatement": scope,
    }
    if key == "CUSTOM_KEYS":
        # Each API key its own count; a request without the header is not counted here (WAF's rule for a
        # missing key component), only by the address and global rules.
        statement["CustomKeys"] = [
            {"Header": {"Name": API_KEY_HEADER.lower(), "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}
        ]
    return {
        "Name": name,
        "Priority": priority,
        "Action": {"Block": {"CustomResponse": {"ResponseCode": 429, "CustomResponseBodyKey": body}}},
        "Statement": {"RateBasedStatement": statement},
        "VisibilityConfig": visibility(name),
    }


def batch_limit(settings: Settings) -> int:
    """Batches an address may send per window: a batch counts once in the other rules, so this one holds a client
    near its share of codes (rate_limit / MAX_ITEMS batches), but never under WAF's least limit, 10."""
    return max(10, settings.rate_limit // batch.MAX_ITEMS)


def web_acl(settings: Settings, region: str | None) -> dict[str, object]:
    """The AWS::WAFv2::WebACL's properties. A request one client's rule blocks is not counted by the global
    one (WAF stops at a terminating action), so one address cannot use up everyone's ceiling."""
    return {
        "Scope": "CLOUDFRONT",
        "Description": "QR code generator: API requests per client IP, per API key, all together, and batches per "
        "client IP, per 5 minutes",
        "DefaultAction": {"Allow": {}},
        "CustomResponseBodies": {
            RATE_LIMITED_BODY: json_body(gateway.error_body(errors.RATE_LIMITED)),
            GLOBAL_LIMIT_BODY: json_body(gateway.error_body(errors.GLOBAL_LIMIT)),
            KEY_RATE_LIMITED_BODY: json_body(gateway.error_body(errors.KEY_RATE_LIMITED)),
        },
        "Rules": [
            _rate_rule(PER_CLIENT_RULE, 0, settings.rate_limit, "IP", RATE_LIMITED_BODY, api_path()),
            _rate_rule(PER_KEY_RULE, 1, settings.rate_limit, "CUSTOM_KEYS", KEY_RATE_LIMITED_BODY, api_path()),
            _rate_rule(
                GLOBAL_RULE, 2, settings.global_rate_limit, "CONSTANT", GLOBAL_LIMIT_BODY, api_calls_but_embeds()
            ),
            _rate_rule(BATCH_RULE, 3, batch_limit(settings), "IP", RATE_LIMITED_BODY, _path(BATCH_PATH)),
        ],
        "VisibilityConfig": visibility(naming.edge_metric(settings.stack_name, region)),
    }


def fingerprint(properties: dict[str, object]) -> str:
    """A short digest of the ACL's definition: it changes whenever a deploy could replace or change the ACL."""
    return hashlib.sha256(json.dumps(properties, sort_keys=True).encode()).hexdigest()[:16]

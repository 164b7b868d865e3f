"""Deployment settings: read once from the `qr` object in cdk.json context and validated.

No CDK import: tests, tools/lambda_bundle and the local run read settings without loading the CDK
(about 2.5 s); stacks/functions.py turns the two that name CDK enums into them.
"""

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qr_service.hosts import ascii_host
from qr_service.names import ACCESS_MODES

if TYPE_CHECKING:
    from pathlib import Path

    from constructs import Construct

CONTEXT_KEY = "qr"
# Setting -> the name of the CDK's enum member.
ARCHITECTURES = {"x86_64": "X86_64", "arm64": "ARM_64"}
RETENTION_DAYS = {
    1: "ONE_DAY",
    3: "THREE_DAYS",
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    90: "THREE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
}


DEFAULT_STACK_NAME = "QrCodeGenerator"
# A CloudFormation stack name, short enough for the names derived from it (edge stack, policies, metrics).
_STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,39}")


@dataclass(frozen=True)
class Settings:
    # Every stack and account-wide name derives from it, so two deployments (staging and production, or
    # two regions) can share an account.
    stack_name: str = DEFAULT_STACK_NAME
    cache_days: int = 1
    throttle_rate: int = 20
    throttle_burst: int = 40
    extra_allowed_origins: tuple[str, ...] = ()
    log_retention_days: int = 30
    lambda_architecture: str = "x86_64"
    alarm_email: str | None = None
    tracing: bool = True
    max_concurrency: int | None = None
    # Abuse and spend: the web ACLs (the edge's per-client limit and the stage's lock), the render
    # volume that raises an alarm, and an optional monthly budget.
    waf: bool = True
    rate_limit: int = 300  # requests to /qr per client IP per 5 minutes; a person never makes 300 codes in 5 minutes
    # All /qr requests together per 5 minutes: bounds the spend when many addresses (an IPv6 /64) share the work.
    global_rate_limit: int = 6000
    # The stage lock's secret: a new generation rotates it; accepting the previous one for a deploy refuses nothing.
    origin_secret_generation: int = 1
    origin_secret_accept_previous: bool = False
    alarm_renders_per_hour: int = 2000
    monthly_budget_usd: int | None = None
    # The hosts links may point to (docs/security.md); empty: any.
    allowed_hosts: tuple[str, ...] = ()
    # "public": anyone may make codes; "key": every /qr request needs an API key (docs/security.md).
    access: str = "public"

    @property
    def cache_ttl_seconds(self) -> int:
        return self.cache_days * 86400


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:\*\.)?{_HOST_LABEL}(?:\.{_HOST_LABEL})+")


def _host_patterns(raw: object) -> tuple[str, ...]:
    """qr.allowed_hosts in the ASCII (IDNA) form links are compared in: example.com or *.example.com."""
    if not isinstance(raw, list | tuple) or not all(isinstance(h, str) for h in raw):
        raise ValueError(
            "cdk.json context qr.allowed_hosts must be a list of host names like example.com or *.example.com"
        )
    patterns = []
    for pattern in raw:
        wildcard = pattern.startswith("*.")
        host = ascii_host(pattern[2:] if wildcard else pattern)
        ascii_pattern = f"*.{host}" if wildcard else host
        if host is None or ascii_pattern is None or not _HOST.fullmatch(ascii_pattern):
            raise ValueError(
                f"cdk.json context qr.allowed_hosts: {pattern!r} is not a host name like example.com or *.example.com"
            )
        patterns.append(ascii_pattern)
    return tuple(patterns)


def _whole(values: dict[str, object], name: str, low: int, high: int) -> int:
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"cdk.json context qr.{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def parse(raw: dict[str, object] | None) -> Settings:
    """Validate the context object; unknown keys are an error so a typo is not silently ignored."""
    defaults = Settings()
    values = {**defaults.__dict__, **(raw or {})}
    unknown = sorted(set(values) - set(defaults.__dict__))
    if unknown:
        raise ValueError(f"Unknown cdk.json context qr key(s): {', '.join(unknown)}")
    origins = values["extra_allowed_origins"]
    if not isinstance(origins, list | tuple) or not all(
        isinstance(o, str) and o.startswith(("https://", "http://")) and not o.endswith("/") for o in origins
    ):
        raise ValueError("cdk.json context qr.extra_allowed_origins must be a list of origins like https://example.com")
    if values["log_retention_days"] not in RETENTION_DAYS:
        raise ValueError(
            f"cdk.json context qr.log_retention_days must be one of {sorted(RETENTION_DAYS)}, "
            f"got {values['log_retention_days']!r}"
        )
    if values["lambda_architecture"] not in ARCHITECTURES:
        raise ValueError(f"cdk.json context qr.lambda_architecture must be one of {', '.join(ARCHITECTURES)}")
    email = values["alarm_email"]
    if email is not None and (not isinstance(email, str) or not _EMAIL.fullmatch(email)):
        raise ValueError(f"cdk.json context qr.alarm_email must be an email address or null, got {email!r}")
    for switch in ("tracing", "waf", "origin_secret_accept_previous"):
        if not isinstance(values[switch], bool):
            raise ValueError(f"cdk.json context qr.{switch} must be true or false, got {values[switch]!r}")
    budget = values["monthly_budget_usd"]
    if budget is not None:
        budget = _whole(values, "monthly_budget_usd", 1, 1_000_000)
    concurrency = values["max_concurrency"]
    if concurrency is not None:
        concurrency = _whole(values, "max_concurrency", 1, 1000)
    stack_name = values["stack_name"]
    if not isinstance(stack_name, str) or not _STACK_NAME.fullmatch(stack_name):
        raise ValueError(
            "cdk.json context qr.stack_name must start with a letter and have at most 40 letters, digits and "
            f"hyphens, got {stack_name!r}"
        )
    rate_limit = _whole(values, "rate_limit", 10, 2_000_000_000)  # WAF's own bounds for a rate-based rule
    global_rate_limit = _whole(values, "global_rate_limit", 10, 2_000_000_000)
    if global_rate_limit < rate_limit:
        raise ValueError(
            f"cdk.json context qr.global_rate_limit ({global_rate_limit}) must be at least qr.rate_limit "
            f"({rate_limit}): the ceiling for everyone together cannot be below one client's share"
        )
    if values["access"] not in ACCESS_MODES:
        raise ValueError(
            f"cdk.json context qr.access must be one of {', '.join(ACCESS_MODES)}, got {values['access']!r}"
        )
    burst = _whole(values, "throttle_burst", 1, 5000)
    rate = _whole(values, "throttle_rate", 1, 10000)
    return Settings(
        stack_name=stack_name,
        allowed_hosts=_host_patterns(values["allowed_hosts"]),
        access=str(values["access"]),
        cache_days=_whole(values, "cache_days", 1, 365),
        throttle_rate=rate,
        throttle_burst=burst,
        extra_allowed_origins=tuple(str(o) for o in origins),
        log_retention_days=values["log_retention_days"],
        lambda_architecture=values["lambda_architecture"],
        alarm_email=email,
        tracing=bool(values["tracing"]),
        max_concurrency=concurrency,
        waf=bool(values["waf"]),
        rate_limit=rate_limit,
        global_rate_limit=global_rate_limit,
        origin_secret_generation=_whole(values, "origin_secret_generation", 1, 1000),
        origin_secret_accept_previous=bool(values["origin_secret_accept_previous"]),
        alarm_renders_per_hour=_whole(values, "alarm_renders_per_hour", 1, 100_000_000),
        monthly_budget_usd=budget,
    )


def from_context(scope: "Construct") -> Settings:
    """cdk.json gives an object; `cdk synth -c 'qr={...}'` gives the same object as a JSON string."""
    raw = scope.node.try_get_context(CONTEXT_KEY)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(f"context qr given on the command line is not a JSON object: {error}") from None
    if raw is not None and not isinstance(raw, dict):
        raise ValueError("context qr must be a JSON object, as in cdk.json")
    return parse(raw)


def from_cdk_json(path: "Path") -> Settings:
    """The `qr` settings a cdk.json holds: what `make run` reads, as the stack does."""
    return parse(json.loads(path.read_text(encoding="utf-8"))["context"].get(CONTEXT_KEY))

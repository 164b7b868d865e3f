"""Cost per million requests, from us-east-1 list prices and what this machine measures.

Measured here: create_qr's duration for a cache hit and a miss (in-process, AWS emulated by moto),
store_url's duration, the log bytes each writes, and the image and answer sizes. Added, as stated
assumptions: the network round trip of each AWS call, which moto does not have.
Prints the numbers, then the README's cost table, the fixed monthly cost, and the ceiling: what a
day costs when both methods run at the stage throttle with the most expensive request the API accepts.
"""

import contextlib
import io
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

# us-east-1 list prices (USD), as published by AWS in 2025; free tiers left out.
PRICE = {
    "api_gateway_rest_request": 3.50e-6,
    "lambda_request": 0.20e-6,
    "lambda_gb_second_x86": 0.0000166667,
    "dynamodb_read_unit": 0.125e-6,  # on demand; GetItem of an item under 4 KB, eventually consistent = 0.5
    "dynamodb_write_unit": 0.625e-6,  # on demand; PutItem of an item under 1 KB = 1
    "s3_put": 0.005e-3,
    "eventbridge_event": 1.00e-6,
    "cloudfront_https_request": 0.0100e-4,  # per request (0.0100 per 10,000), North America and Europe
    "cloudfront_gb_out": 0.085,
    "logs_gb_ingested": 0.50,
    "xray_trace": 5.00e-6,
    "waf_request": 0.60e-6,  # per request a web ACL inspects
    "waf_web_acl_month": 5.00,
    "waf_rule_month": 1.00,
    "secret_month": 0.40,
    "alarm_month": 0.10,
    "dashboard_month": 3.00,  # beyond an account's first three
}
SETTINGS = json.loads((ROOT / "cdk.json").read_text())["context"]["qr"]
# The most expensive request the API accepts: the longest URL (L), the widest PNG within 4000 px, styled.
WORST_REQUEST = {
    "box_size": 18,
    "border": 20,
    "module_style": "rounded",
    "back_color": "transparent",
    "error_correction": "L",
}
WORST_RUNS = 5
# Assumptions the table states.
MEMORY_GB = {"create_qr": 0.5, "store_url": 0.25}  # the stack's settings
FULL_VCPU_GB = 1.769  # Lambda gives one full vCPU at 1,769 MB and a share below it: CPU time stretches
AWS_ROUND_TRIP_MS = {"GetItem": 5, "PutObject": 25, "PutEvents": 10, "PutItem": 5}
PLATFORM_LOG_BYTES = 600  # Lambda's START/END/REPORT lines and the API's access-log line per request
HEADER_BYTES = 400  # an answer's status line and headers
XRAY_SAMPLED = 0.05  # default sampling: one request a second, then 5 %
SAMPLES = 40


def measure() -> dict:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_NAMESPACE": "QrCodeGenerator",
        }
    )
    from moto import mock_aws

    from local import apigw, emulation
    from local.runtime import LambdaContext

    with mock_aws():
        resources = emulation.create()
        os.environ.update(resources.environment("https://d111111abcdef8.cloudfront.net", "https://d111.example"))
        import create_qr
        import store_url
        from qr_service import aws
        from qr_service.telemetry import logger

        @contextlib.contextmanager
        def captured():
            """Everything a handler writes, as CloudWatch Logs would get it: log lines and EMF metrics."""
            out = io.StringIO()
            previous = logger.registered_handler.setStream(out)
            try:
                with contextlib.redirect_stdout(out):
                    yield out
            finally:
                logger.registered_handler.setStream(previous)

        def post(url: str, **options: object) -> tuple[float, int, dict]:
            event = apigw.proxy_event("POST", "/qr", body=json.dumps({"url": url, **options}).encode())
            with captured() as out:
                start = time.perf_counter()
                response = create_qr.handler(event, LambdaContext())
                elapsed = (time.perf_counter() - start) * 1000
            return elapsed, len(out.getvalue().encode()), response

        def deliver() -> list[tuple[float, int]]:
            timings = []
            for envelope, receipt in emulation.receive_envelopes(resources.queue_url):
                with captured() as out:
                    start = time.perf_counter()
                    store_url.handler(envelope, LambdaContext(function_name="store_url"))
                    timings.append(((time.perf_counter() - start) * 1000, len(out.getvalue().encode())))
                emulation.delete_envelope(resources.queue_url, receipt)
            return timings

        post("https://warm.example/")  # imports and clients, as a warm container has them
        deliver()
        misses, hits, stores = [], [], []
        for i in range(SAMPLES):
            url = f"https://example.com/products/{i:04d}?utm_source=poster&campaign=winter-2026"
            misses.append(post(url))
            stores += deliver()
            hits.append(post(url))
        image_key = json.loads(misses[0][2]["body"])["qr_code_url"].split("/", 3)[3]
        image = aws.s3().get_object(Bucket=resources.bucket, Key=image_key)["Body"].read()
        worst = []
        for i in range(WORST_RUNS):
            url = f"https://example.com/{i:04d}/" + "a" * (2953 - 25)
            elapsed, _, response = post(url, **WORST_REQUEST)
            assert response["statusCode"] == 200, response["body"]  # accepted: the API's own worst case
            worst.append(elapsed)
            deliver()
    return {
        "miss_ms": statistics.median(m[0] for m in misses),
        "hit_ms": statistics.median(h[0] for h in hits),
        "store_ms": statistics.median(s[0] for s in stores),
        "miss_log_bytes": statistics.median(m[1] for m in misses),
        "hit_log_bytes": statistics.median(h[1] for h in hits),
        "store_log_bytes": statistics.median(s[1] for s in stores),
        "answer_bytes": len(misses[0][2]["body"].encode()),
        "image_bytes": len(image),
        "worst_miss_ms": statistics.median(worst),
    }


def billed_ms(measured: float, function: str, *calls: str) -> int:
    """Lambda bills whole milliseconds: this machine's time stretched to the function's CPU share, plus AWS calls."""
    stretched = measured * FULL_VCPU_GB / MEMORY_GB[function]
    return math.ceil(stretched + sum(AWS_ROUND_TRIP_MS[c] for c in calls))


def per_million(m: dict, hit_ratio: float, miss_measured_ms: float | None = None) -> dict:
    """USD per million POSTs through the distribution at a given cache hit ratio (both web ACLs inspect each)."""
    miss = 1 - hit_ratio
    hit_ms = billed_ms(m["hit_ms"], "create_qr", "GetItem")
    miss_ms = billed_ms(miss_measured_ms or m["miss_ms"], "create_qr", "GetItem", "PutObject", "PutEvents")
    store_ms = billed_ms(m["store_ms"], "store_url", "PutItem")
    lambda_gb_s = (hit_ratio * hit_ms + miss * miss_ms) / 1000 * MEMORY_GB["create_qr"]
    lambda_gb_s += miss * store_ms / 1000 * MEMORY_GB["store_url"]
    log_bytes = PLATFORM_LOG_BYTES + hit_ratio * m["hit_log_bytes"]
    log_bytes += miss * (m["miss_log_bytes"] + m["store_log_bytes"])
    costs = {
        "CloudFront": PRICE["cloudfront_https_request"] + m["answer_bytes"] / 1e9 * PRICE["cloudfront_gb_out"],
        "WAF": 2 * PRICE["waf_request"] if SETTINGS["waf"] else 0.0,
        "API Gateway": PRICE["api_gateway_rest_request"],
        "Lambda": (1 + miss) * PRICE["lambda_request"] + lambda_gb_s * PRICE["lambda_gb_second_x86"],
        "DynamoDB": 0.5 * PRICE["dynamodb_read_unit"] + miss * PRICE["dynamodb_write_unit"],
        "S3 + EventBridge": miss * (PRICE["s3_put"] + PRICE["eventbridge_event"]),
        "Logs + X-Ray": log_bytes / 1e9 * PRICE["logs_gb_ingested"] + XRAY_SAMPLED * PRICE["xray_trace"],
    }
    return {name: value * 1e6 for name, value in costs.items()}


def embeds_per_million(m: dict) -> tuple[float, float]:
    """USD per million views of an <img src=".../qr?url=..."> already in the edge cache: one request, the image.

    (CloudFront's request and bytes, the edge web ACL's inspection.)
    """
    transfer = (HEADER_BYTES + m["image_bytes"]) / 1e9 * PRICE["cloudfront_gb_out"]
    inspected = PRICE["waf_request"] if SETTINGS["waf"] else 0.0
    return 1e6 * (PRICE["cloudfront_https_request"] + transfer), 1e6 * inspected


def fixed_monthly(waf: bool) -> dict:
    """What the stack costs a month with no traffic at all."""
    from qr_service.names import FAILURE_METRICS

    # Two failure queues, errors and throttles of five functions, API 5xx and latency, our failure
    # metrics, render volume; and the edge's two: a client held back, the global ceiling reached.
    alarms = 2 + 10 + 2 + len(FAILURE_METRICS) + 1 + (2 if waf else 0)
    costs = {
        "alarms": alarms * PRICE["alarm_month"],
        "dashboard": PRICE["dashboard_month"],
        "admin key secret": PRICE["secret_month"],
    }
    if waf:
        # The edge's four rules (per client, per key, global ceiling, batches) and the stage lock's one.
        costs["web ACLs (edge 4 rules, stage 1)"] = 2 * PRICE["waf_web_acl_month"] + 5 * PRICE["waf_rule_month"]
        costs["origin secret"] = PRICE["secret_month"]
    return costs


def ceiling(m: dict) -> None:
    """A day at the most the API accepts, every request the worst accepted one, all misses: GET at the stage
    throttle (the edge's global ceiling leaves GET out), POST at the lower of the throttle and the ceiling."""
    throttle_per_day = SETTINGS["throttle_rate"] * 86400  # API Gateway throttles each method on its own
    post_per_day = throttle_per_day
    if SETTINGS["waf"]:
        post_per_day = min(throttle_per_day, SETTINGS["global_rate_limit"] * 86400 // 300)
    per_day = throttle_per_day + post_per_day
    worst = per_million(m, 0.0, m["worst_miss_ms"])
    usd_per_request = sum(worst.values()) / 1e6
    billed = billed_ms(m["worst_miss_ms"], "create_qr", "GetItem", "PutObject", "PutEvents")
    print(
        f"\nceiling: the worst accepted request (a 2953-byte URL at L, box 18, border 20, rounded, transparent) "
        f"takes {m['worst_miss_ms']:.0f} ms here, {billed} ms billed at 512 MB; "
        f"${usd_per_request * 1e6:.2f} per million"
    )
    print(
        f"  GET at the stage throttle ({SETTINGS['throttle_rate']} req/s, {throttle_per_day:,} a day) and POST at "
        f"{post_per_day:,} a day (the throttle, or qr.global_rate_limit {SETTINGS['global_rate_limit']} per 5 minutes "
        f"if lower), every request that one: ${per_day * usd_per_request:,.0f} a day, "
        f"${30 * per_day * usd_per_request:,.0f} a month"
    )
    if SETTINGS["waf"]:
        ceiling_per_day = SETTINGS["global_rate_limit"] * 86400 // 300
        print(
            f"  the global ceiling alone ({SETTINGS['global_rate_limit']} per 5 minutes, {ceiling_per_day:,} a day): "
            f"${ceiling_per_day * usd_per_request:,.0f} a day of POSTs at most"
        )
    if SETTINGS["waf"]:
        per_client = SETTINGS["rate_limit"] * 86400 // 300
        print(
            f"  one client under the edge limit ({SETTINGS['rate_limit']} per 5 minutes, {per_client:,} a day): "
            f"${per_client * usd_per_request:,.2f} a day"
        )
    for waf in (False, True):
        costs = fixed_monthly(waf)
        parts = ", ".join(f"{name} ${value:.2f}" for name, value in costs.items())
        print(f"fixed a month, qr.waf {str(waf).lower()}: ${sum(costs.values()):.2f} ({parts})")


def main() -> None:
    m = measure()
    print(f"measured (median of {SAMPLES}, in-process, AWS emulated by moto):")
    print(f"  create_qr hit {m['hit_ms']:.1f} ms, miss {m['miss_ms']:.1f} ms; store_url {m['store_ms']:.1f} ms")
    print(f"  log bytes: hit {m['hit_log_bytes']}, miss {m['miss_log_bytes']}, store_url {m['store_log_bytes']}")
    print(f"  answer {m['answer_bytes']} bytes, PNG {m['image_bytes']} bytes (a 78-character URL, defaults)")
    hit = billed_ms(m["hit_ms"], "create_qr", "GetItem")
    miss = billed_ms(m["miss_ms"], "create_qr", "GetItem", "PutObject", "PutEvents")
    trips = ", ".join(f"{k} {v} ms" for k, v in AWS_ROUND_TRIP_MS.items())
    print(
        f"billed: times x {FULL_VCPU_GB * 1000:.0f} MB / memory (CPU share), plus AWS round trips ({trips}): "
        f"hit {hit} ms, miss {miss} ms, store_url {billed_ms(m['store_ms'], 'store_url', 'PutItem')} ms"
    )
    rows = {f"POST, {int(h * 100)} % hits": per_million(m, h) for h in (0.0, 0.9, 0.99)}
    names = list(next(iter(rows.values())))
    print("\n| per million requests | " + " | ".join(names) + " | total |")
    print("|---|" + "---|" * (len(names) + 1))
    for label, costs in rows.items():
        cells = " | ".join(f"${costs[n]:.2f}" for n in names)
        print(f"| {label} | {cells} | **${sum(costs.values()):.2f}** |")
    embed = embeds_per_million(m)
    edge, waf = embed
    print(f"| GET embed served by the edge | ${edge:.2f} | ${waf:.2f} | - | - | - | - | - | **${edge + waf:.2f}** |")
    ceiling(m)


if __name__ == "__main__":
    main()

"""Cost per million requests, from us-east-1 list prices and what this machine measures.

Measured here: create_qr's duration for a cache hit and a miss (in-process, AWS emulated by moto),
store_url's duration, the log bytes each writes, and the image and answer sizes. Added, as stated
assumptions: the network round trip of each AWS call, which moto does not have.
Prints the numbers, then the README's cost table.
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
}
# Assumptions the table states.
MEMORY_GB = {"create_qr": 0.5, "store_url": 0.25}  # the stack's settings
FULL_VCPU_GB = 1.769  # Lambda gives one full vCPU at 1,769 MB and a share below it: CPU time stretches
AWS_ROUND_TRIP_MS = {"GetItem": 5, "PutObject": 25, "PutEvents": 10, "PutItem": 5}
PLATFORM_LOG_BYTES = 600  # Lambda's START/END/REPORT lines and the API's access-log line per request
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

        def post(url: str) -> tuple[float, int, dict]:
            event = apigw.proxy_event("POST", "/qr", body=json.dumps({"url": url}).encode())
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
        image = emulation.client("s3").get_object(Bucket=resources.bucket, Key=image_key)["Body"].read()
    return {
        "miss_ms": statistics.median(m[0] for m in misses),
        "hit_ms": statistics.median(h[0] for h in hits),
        "store_ms": statistics.median(s[0] for s in stores),
        "miss_log_bytes": statistics.median(m[1] for m in misses),
        "hit_log_bytes": statistics.median(h[1] for h in hits),
        "store_log_bytes": statistics.median(s[1] for s in stores),
        "answer_bytes": len(misses[0][2]["body"].encode()),
        "image_bytes": len(image),
    }


def billed_ms(measured: float, function: str, *calls: str) -> int:
    """Lambda bills whole milliseconds: this machine's time stretched to the function's CPU share, plus AWS calls."""
    stretched = measured * FULL_VCPU_GB / MEMORY_GB[function]
    return math.ceil(stretched + sum(AWS_ROUND_TRIP_MS[c] for c in calls))


def per_million(m: dict, hit_ratio: float) -> dict:
    """USD per million POSTs through the distribution at a given cache hit ratio."""
    miss = 1 - hit_ratio
    hit_ms = billed_ms(m["hit_ms"], "create_qr", "GetItem")
    miss_ms = billed_ms(m["miss_ms"], "create_qr", "GetItem", "PutObject", "PutEvents")
    store_ms = billed_ms(m["store_ms"], "store_url", "PutItem")
    lambda_gb_s = (hit_ratio * hit_ms + miss * miss_ms) / 1000 * MEMORY_GB["create_qr"]
    lambda_gb_s += miss * store_ms / 1000 * MEMORY_GB["store_url"]
    log_bytes = PLATFORM_LOG_BYTES + hit_ratio * m["hit_log_bytes"]
    log_bytes += miss * (m["miss_log_bytes"] + m["store_log_bytes"])
    costs = {
        "CloudFront": PRICE["cloudfront_https_request"] + m["answer_bytes"] / 1e9 * PRICE["cloudfront_gb_out"],
        "API Gateway": PRICE["api_gateway_rest_request"],
        "Lambda": (1 + miss) * PRICE["lambda_request"] + lambda_gb_s * PRICE["lambda_gb_second_x86"],
        "DynamoDB": 0.5 * PRICE["dynamodb_read_unit"] + miss * PRICE["dynamodb_write_unit"],
        "S3 + EventBridge": miss * (PRICE["s3_put"] + PRICE["eventbridge_event"]),
        "Logs + X-Ray": log_bytes / 1e9 * PRICE["logs_gb_ingested"] + XRAY_SAMPLED * PRICE["xray_trace"],
    }
    return {name: value * 1e6 for name, value in costs.items()}


def embeds_per_million(m: dict) -> float:
    """USD per million views of an <img src=".../qr?url=..."> already in the edge cache: redirect, then image."""
    redirect_bytes = m["answer_bytes"] + 400  # the JSON body and the headers
    transfer = (redirect_bytes + m["image_bytes"]) / 1e9 * PRICE["cloudfront_gb_out"]
    return 1e6 * (2 * PRICE["cloudfront_https_request"] + transfer)


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
    print(f"| GET embed served by the edge | ${embed:.2f} | - | - | - | - | - | **${embed:.2f}** |")


if __name__ == "__main__":
    main()

"""What a key costs the cache-hit path's cold start: a fresh interpreter imports create_qr and answers one
cache hit, public against qr.access "key" (with a created key: one more DynamoDB read; with the admin key: a
Secrets Manager client and read). AWS is moto in the same process, so the numbers are the code's and the
clients' cost, not the network's. The untimed setup has already imported boto3, Powertools and the key
store, so a sample is create_qr's own import plus the first answer: what a key adds is the difference.
Prints medians and ratios to the public run, measured in the same run (bench/import_time.py measures the
whole import).
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "15"))

# Runs in a fresh interpreter: set up moto (not timed), then time `import create_qr` and the first answer.
SAMPLE = r"""
import json, os, sys, time
sys.path[:0] = ["lambda", ".", "tests"]
import conftest  # the handlers' environment
os.environ["ACCESS"] = sys.argv[1] if sys.argv[1] != "public" else "public"
from moto import mock_aws
with mock_aws():
    import boto3
    from local import apigw, emulation
    resources = emulation.create()
    from qr_service import keys
    from qr_service.request import QrRequest
    req = QrRequest("https://hit.example")
    boto3.client("dynamodb").put_item(TableName=resources.table, Item={
        "PK": {"S": req.cache_key}, "url_user": {"S": req.url},
        "qr_code_url": {"S": "https://cdn.example/" + req.object_key}, "ttl": {"N": str(int(time.time()) + 600)}})
    _, created = keys.create(resources.keys_table, "bench")
    key = {"public": None, "key": created, "admin": emulation.ADMIN_KEY}[sys.argv[2]]
    event = apigw.proxy_event("POST", body=json.dumps({"url": req.url}).encode(),
                              headers={"X-API-Key": key} if key else {})
    start = time.perf_counter()
    import create_qr
    response = create_qr.handler(event, conftest.LambdaContext())
    elapsed = (time.perf_counter() - start) * 1000
    assert response["statusCode"] == 200 and json.loads(response["body"])["cached"], response
print(elapsed)
"""

CASES = {
    "public, no key": ("public", "public"),
    "key mode, a created key": ("key", "key"),
    "key mode, the admin key": ("key", "admin"),
}


def sample(access: str, key: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", SAMPLE, access, key],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "POWERTOOLS_LOG_LEVEL": "ERROR", "POWERTOOLS_METRICS_DISABLED": "true"},
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(RUNS):  # interleaved, so every case sees the same machine
        for name, (access, key) in CASES.items():
            times[name].append(sample(access, key))
    base = statistics.median(times["public, no key"])
    print(f"cache-hit cold start (import create_qr + the first answer), median of {RUNS} fresh interpreters:")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:26s} {median:7.1f} ms  x{median / base:.2f}")
    print(json.dumps({name: round(statistics.median(v), 1) for name, v in times.items()}))


if __name__ == "__main__":
    main()

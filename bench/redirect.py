"""The redirect (a dynamic code's link) against a cache-hit /qr, measured in the same run:

1. cold start: the median import time of `redirect` in fresh interpreters, against `import boto3` and
   against `import create_qr` (what a cache hit loads);
2. warm latency in `make run` (loopback only, sequential, bounded): GET /c/<id> (a 302, counted) against a
   cache-hit POST /qr, median and p95 over the same number of requests.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import import_time  # noqa: E402 - after the path is set
from tools.local_process import local_server  # noqa: E402
from tools.probe import http  # noqa: E402

RUNS = int(os.environ.get("RUNS", "15"))
REQUESTS = int(os.environ.get("REDIRECT_REQUESTS", "300"))
ADMIN_KEY = secrets.token_hex(24)  # this run's, handed to make run as QR_ADMIN_KEY
# bench/import_time.py's handler environment, and the codes table the redirect reads.
ENV = {**import_time.ENV, "CODES_TABLE_NAME": "c", "PYTHONPATH": str(ROOT / "lambda")}
IMPORTS = {"import boto3": "import boto3", "import create_qr": "import create_qr", "import redirect": "import redirect"}


def cold(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=ENV, cwd=ROOT, check=True)
    return (time.perf_counter() - start) * 1000


def timed(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    status, _, _ = http(method, url, body, headers)
    return (time.perf_counter() - start) * 1000, status


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(RUNS):  # interleaved: every case sees the same machine
        for name, code in IMPORTS.items():
            times[name].append(cold(code))
    cold_ms = {name: statistics.median(values) for name, values in times.items()}
    print(f"cold start, median of {RUNS} fresh interpreters:")
    for name, ms in cold_ms.items():
        print(
            f"  {name:18s} {ms:7.1f} ms  x{ms / cold_ms['import boto3']:.2f} of import boto3"
            f"  x{ms / cold_ms['import create_qr']:.2f} of import create_qr"
        )

    os.environ["QR_ADMIN_KEY"] = ADMIN_KEY
    with local_server() as base:
        admin = {"X-API-Key": ADMIN_KEY, "Content-Type": "application/json"}
        _, _, made = http("POST", f"{base}/codes", json.dumps({"target": "https://example.com/menu"}).encode(), admin)
        link = json.loads(made)["short_url"]
        qr_body = json.dumps({"url": "https://example.com/menu"}).encode()
        json_only = {"Content-Type": "application/json"}
        for _ in range(20):  # warm both paths (the first /qr is the miss that fills the cache)
            timed("POST", f"{base}/qr", qr_body, json_only)
            timed("GET", link, None, {})
        warm: dict[str, list[float]] = {"GET /c/<id> (302)": [], "POST /qr (cache hit)": []}
        for _ in range(REQUESTS):
            ms, status = timed("GET", link, None, {"User-Agent": "bench"})
            assert status == 302, status
            warm["GET /c/<id> (302)"].append(ms)
            ms, status = timed("POST", f"{base}/qr", qr_body, json_only)
            assert status == 200, status
            warm["POST /qr (cache hit)"].append(ms)
    base_ms = statistics.median(warm["POST /qr (cache hit)"])
    print(f"warm latency in make run, {REQUESTS} sequential requests each, interleaved:")
    for name, values in warm.items():
        median = statistics.median(values)
        print(
            f"  {name:22s} median {median:6.2f} ms  p95 {p95(values):6.2f} ms  x{median / base_ms:.2f} of a cache hit"
        )


if __name__ == "__main__":
    main()

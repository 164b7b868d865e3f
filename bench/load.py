"""Load on `make run`, loopback only: the same 1000 POSTs (100 URLs, 10 each, shuffled) sent one at a
time and then 32 at a time, each run against a fresh local server.

One asyncio thread is the client (a connection per request, as the server speaks HTTP/1.0), so the
client is not what limits the rate. Prints the throughput ratio (goal >= 0.7 of sequential), p99
against a fair first-come-first-served queue where all 32 requests ahead are misses (goal <= 1.25),
the error count, and whether every mapping arrived. Bounded: each request times out after 30 s.
"""

import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.local_process import local_server  # noqa: E402 - after the path is set

REQUESTS = int(os.environ.get("LOAD_REQUESTS", "1000"))
URLS = int(os.environ.get("LOAD_URLS", "100"))
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "32"))
TIMEOUT = 30.0


@dataclass
class Outcome:
    seconds: float
    status: int = 0
    cached: bool | None = None
    error: str | None = None


async def post(port: int, payload: dict) -> Outcome:
    body = json.dumps(payload).encode()
    request = (
        f"POST /qr HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
        writer.write(request)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)
        writer.close()
    except (OSError, TimeoutError) as error:
        return Outcome(time.perf_counter() - start, error=type(error).__name__)
    elapsed = time.perf_counter() - start
    head, _, payload_out = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    try:
        cached = json.loads(payload_out).get("cached")
    except ValueError:
        cached = None
    return Outcome(elapsed, status, cached, None if status == 200 else f"status {status}")


async def run(port: int, bodies: list[dict], concurrency: int) -> tuple[list[Outcome], float]:
    pending = iter(bodies)
    outcomes: list[Outcome] = []

    async def client():
        for body in pending:
            outcomes.append(await post(port, body))

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return outcomes, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(bodies: list[dict], concurrency: int, check_mappings: bool = False) -> dict:
    with local_server() as base:
        port = int(base.rsplit(":", 1)[1])
        outcomes, seconds = asyncio.run(run(port, bodies, concurrency))
        lost = None
        if check_mappings:
            time.sleep(1.0)
            distinct = list({b["url"]: b for b in bodies}.values())
            again, _ = asyncio.run(run(port, distinct, 1))
            lost = sum(1 for outcome in again if outcome.cached is not True)
    latencies = [o.seconds for o in outcomes if o.error is None]
    misses = [o.seconds for o in outcomes if o.cached is False]
    return {
        "rate": len(outcomes) / seconds,
        "seconds": seconds,
        "errors": sum(1 for o in outcomes if o.error),
        "error_kinds": sorted({o.error for o in outcomes if o.error}),
        "misses": len(misses),
        "mean_miss_ms": statistics.mean(misses) * 1000 if misses else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "lost": lost,
    }


def main() -> None:
    rng = random.Random(20261127)
    urls = [f"https://load.example/{i}/ü?n={i}" for i in range(URLS)]
    bodies = [{"url": url} for url in urls for _ in range(REQUESTS // URLS)]
    rng.shuffle(bodies)
    print(f"{len(bodies)} POST /qr for {URLS} URLs on 127.0.0.1, fresh server per run")
    seq = measure(bodies, 1)
    print(
        f"  sequential : {seq['rate']:6.1f} req/s  misses {seq['misses']:4d}  mean miss {seq['mean_miss_ms']:6.1f} ms  "
        f"p50 {seq['p50_ms']:6.1f} ms  p99 {seq['p99_ms']:6.1f} ms  errors {seq['errors']}"
    )
    par = measure(bodies, CONCURRENCY, check_mappings=True)
    print(
        f"  {CONCURRENCY}-way     : {par['rate']:6.1f} req/s  misses {par['misses']:4d}  "
        f"p50 {par['p50_ms']:6.1f} ms  p99 {par['p99_ms']:6.1f} ms  errors {par['errors']} {par['error_kinds'] or ''}"
    )
    fair_p99 = CONCURRENCY * seq["mean_miss_ms"]
    print(f"  throughput : {par['rate'] / seq['rate']:.2f}x sequential (goal >= 0.7)")
    print(
        f"  p99        : {par['p99_ms'] / fair_p99:.2f}x a fair queue of {CONCURRENCY} misses "
        f"({fair_p99:.0f} ms; goal <= 1.25)"
    )
    print(f"  errors     : {par['errors'] + seq['errors']} (connection resets, timeouts, non-200)")
    print(f"  mappings   : {URLS - par['lost']}/{URLS} arrived ({par['lost']} lost)")


if __name__ == "__main__":
    main()

"""Cold-start cost: median import time of `create_qr` (what a cache hit loads) against `import boto3` alone.

Each sample is a fresh interpreter, as a new Lambda container is. Prints milliseconds and ratios.
With BASE_REV=<git revision>, also compares the cache-hit path of that revision's lambda/ with this
one's, interleaved sample by sample, so a change's effect on the cold start is measured in one run.
"""

import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUNS", "15"))
ENV = {
    **os.environ,
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "t",
    "BUCKET_NAME": "b",
    "EVENT_BUS_NAME": "e",
    "QR_BASE_URL": "https://cdn.example",
    "ALLOWED_ORIGIN": "https://cdn.example",
}

CASES = {
    "python (nothing)": "pass",
    "import boto3": "import boto3",
    "boto3 + powertools": "import boto3; from aws_lambda_powertools import Logger, Metrics; "
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver",
    "import create_qr": "import create_qr",
    "create_qr + DynamoDB client (hit path)": "import create_qr; from qr_service.aws import client; client('dynamodb')",
    "create_qr + render (miss path)": "import create_qr, qr_service.render",
}


def sample(code: str, lambda_dir: Path = ROOT / "lambda") -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env={**ENV, "PYTHONPATH": str(lambda_dir)}, cwd=ROOT, check=True)
    return (time.perf_counter() - start) * 1000


def compare(revision: str) -> None:
    """This lambda/ against `revision`'s, alternating samples so that both see the same machine."""
    archive = subprocess.run(["git", "archive", revision, "lambda"], cwd=ROOT, capture_output=True, check=True)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        files.extractall(tmp, filter="data")
        dirs = {f"{revision[:12]} (base)": Path(tmp) / "lambda", "this tree": ROOT / "lambda"}
        print(f"cache-hit path, median of {RUNS} interleaved fresh interpreters:")
        for name in ("import create_qr", "create_qr + DynamoDB client (hit path)"):
            times = {label: [] for label in dirs}
            for _ in range(RUNS):
                for label, folder in dirs.items():
                    times[label].append(sample(CASES[name], folder))
            cells = ", ".join(f"{label} {statistics.median(values):.1f} ms" for label, values in times.items())
            print(f"  {name}: {cells}")


def main() -> None:
    results = {}
    for name, code in CASES.items():
        sample(code)  # warm the file-system cache and bytecode
        results[name] = statistics.median(sample(code) for _ in range(RUNS))
    base = results["import boto3"]
    print(f"median of {RUNS} fresh interpreters, Python {sys.version.split()[0]}")
    for name, ms in results.items():
        print(f"{name:40s} {ms:8.1f} ms   x{ms / base:5.2f} of import boto3")


if __name__ == "__main__":
    main()
    if os.environ.get("BASE_REV"):
        compare(os.environ["BASE_REV"])

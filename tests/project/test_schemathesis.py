"""schemathesis against `make run`: positive and negative cases from website/openapi.json, 0 failures allowed.

Bounded (100 examples per operation and phase, a fixed seed, so a run is repeatable) and loopback only.
The README rules a schema cannot express are judged by tests/support/schemathesis_hooks.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.subprocess

ST = Path(sys.executable).parent / "st"
SEED = "20261127"


def schemathesis(base: str, *extra: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "support"), str(ROOT / "lambda")]),
    }
    command = [
        str(ST), "run", f"{base}/openapi.json",
        "--checks", "all", "--exclude-checks", "positive_data_acceptance",  # judged by documented_rules instead
        "--mode", "all", "--max-examples", "100", "--seed", SEED,
        "--request-timeout", "10", "--generation-database", "none", "--no-color", *extra,
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


def test_schemathesis_finds_no_failure_in_positive_and_negative_cases(server):
    result = schemathesis(server.base)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "4 selected / 4 total" in result.stdout  # POST, GET, HEAD, OPTIONS
    assert " passed" in result.stdout and "failures" not in result.stdout.split("SUMMARY")[-1].lower()

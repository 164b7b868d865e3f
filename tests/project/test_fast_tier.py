"""`make test-fast` stays fast: collecting it loads no CDK (2.5 s, with jsii's node process)."""

import re
import subprocess
import sys

import pytest
from support import ROOT

pytestmark = pytest.mark.subprocess

FAST = re.search(r"^FAST := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE).group(1)
PROBE = """
import sys, pytest
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-m", sys.argv[1], *sys.argv[2:]])
print("aws_cdk loaded:", "aws_cdk" in sys.modules, "exit:", int(code))
"""


def collect(*paths: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, FAST, *paths], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return result.stdout.splitlines()[-1]


def test_collecting_the_fast_tier_loads_no_cdk():
    assert collect() == "aws_cdk loaded: False exit: 0"


def test_the_probe_sees_a_module_that_loads_the_cdk(tmp_path):
    """The same probe over a test module that imports stacks.monitoring at its top says so."""
    module = tmp_path / "test_cdk_at_the_top.py"
    module.write_text("import pytest\nfrom stacks.monitoring import ALARM_RULES\n\n\ndef test_x():\n    pass\n")
    probe = collect("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(module))
    assert probe == "aws_cdk loaded: True exit: 0"

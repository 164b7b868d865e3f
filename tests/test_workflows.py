"""The GitHub workflow and Dependabot files are valid, and zizmor finds nothing in the workflow; both
checks can fail."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.subprocess
BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_workflow_and_dependabot_validate_and_zizmor_reports_nothing():
    assert (
        run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)).returncode == 0
    )
    dependabot = ROOT / ".github" / "dependabot.yml"
    assert run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(dependabot)).returncode == 0
    result = run(str(BIN / "zizmor"), "--offline", str(WORKFLOW.parent))
    assert result.returncode == 0 and "No findings" in result.stdout + result.stderr, result.stdout + result.stderr


def test_every_action_is_pinned_by_commit():
    uses = [line.split("uses:")[1].strip() for line in WORKFLOW.read_text().splitlines() if "uses:" in line]
    assert uses and all(len(u.split("@")[1].split()[0]) == 40 for u in uses), uses


def test_the_checks_fail_on_a_broken_workflow(tmp_path):
    folder = tmp_path / "workflows"
    folder.mkdir()
    unpinned = folder / "ci.yml"
    shutil.copy(WORKFLOW, unpinned)
    text = unpinned.read_text().replace(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "actions/checkout@v4"
    )
    unpinned.write_text(text)
    assert run(str(BIN / "zizmor"), "--offline", str(folder)).returncode != 0
    unpinned.write_text(text.replace("runs-on: ubuntu-24.04\n", ""))
    assert (
        run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(unpinned)).returncode != 0
    )

"""The GitHub workflows (CI, and the manual deploy) and Dependabot files are valid, and zizmor's
pedantic persona finds nothing in them; both checks can fail."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.subprocess
BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
WORKFLOWS = sorted(WORKFLOW.parent.glob("*.yml"))
ZIZMOR = (str(BIN / "zizmor"), "--offline", "--persona", "pedantic")


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_workflows_and_dependabot_validate_and_zizmor_reports_nothing():
    assert [w.name for w in WORKFLOWS] == ["ci.yml", "deploy.yml"]
    for workflow in WORKFLOWS:
        schema = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow))
        assert schema.returncode == 0, schema.stdout
    dependabot = ROOT / ".github" / "dependabot.yml"
    assert run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(dependabot)).returncode == 0
    result = run(*ZIZMOR, str(WORKFLOW.parent))
    assert result.returncode == 0 and "No findings" in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_action_is_pinned_by_commit(workflow):
    uses = [line.split("uses:")[1].strip() for line in workflow.read_text().splitlines() if "uses:" in line]
    assert uses and all(len(u.split("@")[1].split()[0]) == 40 for u in uses), uses


def test_the_deploy_runs_only_by_hand_with_a_token_only_for_its_job():
    """No push or schedule deploys; OIDC (no stored keys), granted to the deploy job, not the workflow."""
    import yaml

    deploy = yaml.safe_load((WORKFLOW.parent / "deploy.yml").read_text())
    assert list(deploy[True]) == ["workflow_dispatch"]  # YAML 1.1 reads the key `on` as True
    assert deploy["permissions"] == {"contents": "read"}
    [job] = deploy["jobs"].values()
    assert job["permissions"] == {"contents": "read", "id-token": "write"} and job["environment"] == "aws"
    [credentials] = [step for step in job["steps"] if "configure-aws-credentials" in step.get("uses", "")]
    assert set(credentials["with"]) == {"role-to-assume", "aws-region"}  # no access key inputs


def test_the_checks_fail_on_a_broken_workflow(tmp_path):
    folder = tmp_path / "workflows"
    folder.mkdir()
    unpinned = folder / "ci.yml"
    shutil.copy(WORKFLOW, unpinned)
    text = unpinned.read_text().replace(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "actions/checkout@v4"
    )
    unpinned.write_text(text)
    assert run(*ZIZMOR, str(folder)).returncode != 0
    unpinned.write_text(text.replace("runs-on: ubuntu-24.04\n", ""))
    assert (
        run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(unpinned)).returncode != 0
    )

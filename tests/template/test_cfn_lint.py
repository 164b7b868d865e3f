"""cfn-lint finds nothing in the synthesized template; ignored rules are listed, with reasons, in .cfnlintrc."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT
from support.templates import build_stacks

pytestmark = [pytest.mark.synth, pytest.mark.subprocess]

CFN_LINT = Path(sys.executable).parent / "cfn-lint"


@pytest.fixture(scope="module")
def template_files(tmp_path_factory) -> list[Path]:
    """The main stack's template and the edge stack's (us-east-1)."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, main, edge = build_stacks(outdir=str(outdir))
    app.synth()
    return [outdir / f"{stack.stack_name}.template.json" for stack in (main, edge)]


@pytest.fixture(scope="module")
def template_file(template_files) -> Path:
    return template_files[0]


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    """cfn-lint as a developer runs it from the project root, so .cfnlintrc applies."""
    return subprocess.run(
        [str(CFN_LINT), "--format", "parseable", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_templates_have_no_error_and_no_unlisted_warning(template_files):
    assert len(template_files) == 2
    for path in template_files:
        result = cfn_lint(path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_reports_a_broken_template(template_file, tmp_path):
    """The check can fail: a function with a memory size Lambda does not offer is an error."""
    template = json.loads(template_file.read_text())
    function = next(r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function")
    function["Properties"]["MemorySize"] = 64
    broken = tmp_path / "broken.template.json"
    broken.write_text(json.dumps(template))
    result = cfn_lint(broken)
    assert result.returncode != 0
    assert ":E3034:" in result.stdout, result.stdout


def test_every_ignored_rule_gives_a_reason():
    lines = (ROOT / ".cfnlintrc").read_text().splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith("- "):
            assert lines[index - 1].strip().startswith("# "), f"{line.strip()} needs a '# reason' line above it"

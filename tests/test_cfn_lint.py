"""cfn-lint finds nothing in the synthesized template; ignored rules are listed, with reasons, in .cfnlintrc."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_stack

CFN_LINT = Path(sys.executable).parent / "cfn-lint"


@pytest.fixture(scope="module")
def template_file(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build_stack(outdir=str(outdir))
    app.synth()
    return outdir / f"{stack.stack_name}.template.json"


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    """cfn-lint as a developer runs it from the project root, so .cfnlintrc applies."""
    return subprocess.run(
        [str(CFN_LINT), "--format", "parseable", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_template_has_no_error_and_no_unlisted_warning(template_file):
    result = cfn_lint(template_file)
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

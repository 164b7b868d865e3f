"""Bundling is the default: without Docker a plain `cdk synth` refuses and says why, never writing a bare asset."""

import os
import subprocess

import pytest
from support import ROOT

from stacks import bundling

pytestmark = [pytest.mark.synth, pytest.mark.subprocess]

CDK = ROOT / "node_modules" / ".bin" / "cdk"


def plain_environment(**overrides) -> dict:
    """This environment as a user's shell would have it: no opt-out of bundling."""
    environment = {k: v for k, v in os.environ.items() if k != bundling.SKIP_ENV}
    environment["PATH"] = f"{ROOT / '.venv' / 'bin'}:{environment['PATH']}"
    return {**environment, **overrides}


def test_a_plain_cdk_synth_without_docker_stops_naming_docker_and_make_synth(tmp_path):
    # No daemon at this address, whatever the machine has running.
    environment = plain_environment(DOCKER_HOST=f"unix://{tmp_path}/no-docker.sock")
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(tmp_path / "cdk.out")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "needs Docker" in result.stderr and "make synth" in result.stderr, result.stderr
    assets = list((tmp_path / "cdk.out").glob("asset.*")) if (tmp_path / "cdk.out").exists() else []
    assert assets == [], "no unbundled asset may be written"


def test_a_missing_docker_command_is_named(monkeypatch):
    monkeypatch.delenv(bundling.SKIP_ENV)
    monkeypatch.setenv("CDK_DOCKER", "/nonexistent/docker")
    assert bundling.docker_problem() == "the command '/nonexistent/docker' was not found"
    with pytest.raises(bundling.BundlingUnavailable, match=r"(?s)needs Docker.*nonexistent/docker.*make synth"):
        bundling.require_docker(["**"])


def test_only_the_opt_out_turns_bundling_off(monkeypatch):
    monkeypatch.delenv(bundling.SKIP_ENV)
    assert bundling.post_cli_context() == {}
    monkeypatch.setenv(bundling.SKIP_ENV, "0")
    assert bundling.post_cli_context() == {}
    monkeypatch.setenv(bundling.SKIP_ENV, "1")
    assert bundling.post_cli_context() == {bundling.BUNDLING_STACKS: []}


def test_commands_that_bundle_nothing_need_no_docker(monkeypatch):
    """`cdk destroy` and `cdk ls` get an empty bundling list from the CLI and must work without Docker."""
    monkeypatch.delenv(bundling.SKIP_ENV)
    monkeypatch.setenv("CDK_DOCKER", "/nonexistent/docker")
    assert bundling.require_docker([]) is None


@pytest.mark.parametrize(
    ("docker", "problem"),
    [("true", None), ("false", "'false version' exited with 1")],
    ids=["daemon answers", "daemon refuses"],
)
def test_dockers_answer_decides(monkeypatch, docker, problem):
    """`docker version` exiting 0 means bundling can run; any other exit is named (here by stand-in commands)."""
    monkeypatch.delenv(bundling.SKIP_ENV)
    monkeypatch.setenv("CDK_DOCKER", docker)
    assert bundling.docker_problem() == problem
    if problem is None:
        assert bundling.require_docker(["**"]) is None

"""Whether this synth bundles the functions, and a clear refusal when it should but cannot.

PythonFunction builds each asset in Docker: `lambda/` plus `pip install -r requirements.txt`.
Bundling is the default for every synth and deploy. Only the offline paths (`make synth`, the
tests, CI) opt out, by setting QR_SKIP_BUNDLING=1; their assets are a bare copy of `lambda/`
without dependencies and must never be deployed.
"""

import os
import subprocess
import sys

SKIP_ENV = "QR_SKIP_BUNDLING"
# The CDK's own context key: the stacks to bundle. The CLI sets it to [] for commands that
# deploy nothing (destroy, ls), and refuses it on its command line, so apps set it after the CLI.
BUNDLING_STACKS = "aws:cdk:bundling-stacks"


class BundlingUnavailable(SystemExit):
    """Bundling is required but Docker cannot run it."""


def skipped() -> bool:
    return os.environ.get(SKIP_ENV) == "1"


def post_cli_context() -> dict[str, object]:
    """What the App must be given so that a skip (and only a skip) turns bundling off."""
    return {BUNDLING_STACKS: []} if skipped() else {}


def docker_problem() -> str | None:
    """Why Docker cannot bundle here, or None when its daemon answers. Honours CDK_DOCKER as the CDK does."""
    docker = os.environ.get("CDK_DOCKER", "docker")
    try:
        result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [docker, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except FileNotFoundError:
        return f"the command '{docker}' was not found"
    except subprocess.TimeoutExpired:
        return f"'{docker} version' did not answer within 30 s"
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return lines[-1].strip() if lines else f"'{docker} version' exited with {result.returncode}"
    return None


def require_docker(bundling_stacks: object) -> None:
    """Stop before any asset is written when this synth would bundle but Docker cannot."""
    if skipped() or bundling_stacks == []:
        if skipped():
            print(
                f"{SKIP_ENV}=1: function bundling skipped; this template's assets lack their dependencies "
                "and must not be deployed (use make deploy).",
                file=sys.stderr,
            )
        return
    problem = docker_problem()
    if problem:
        raise BundlingUnavailable(
            "Bundling the Lambda functions with their dependencies needs Docker, and Docker is not available "
            f"here ({problem}).\n"
            "  To deploy: start Docker, then run `make deploy` (or `cdk deploy` in the activated .venv).\n"
            "  For an offline template without bundled dependencies (not deployable): run `make synth`."
        )

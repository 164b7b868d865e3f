"""lambda/requirements.txt resolves to wheels for the Lambda runtime's Python and architecture.

PythonFunction bundles with pip inside the runtime's image at deploy time; a dependency with
no wheel there would fail only then. This asks the package index the same question now (and is
skipped, with the reason, on a machine that cannot reach it; never in CI).
"""

import json

import pytest
from support import ROOT
from support.aws import needs_package_index

from contract.settings import ARCHITECTURES, parse
from tools import lambda_bundle

pytestmark = [pytest.mark.synth, pytest.mark.subprocess]


def test_function_requirements_have_wheels_for_the_lambda_runtime(tmp_path):
    needs_package_index()
    settings = parse(json.loads((ROOT / "cdk.json").read_text())["context"]["qr"])
    assert settings.lambda_architecture in ARCHITECTURES
    package = lambda_bundle.build(tmp_path / "package", settings.lambda_architecture)
    installed = {p.name.split("-")[0].lower() for p in package.glob("*.dist-info")}
    assert {"qrcode", "pillow", "aws_lambda_powertools"} <= installed, installed
    [pil_core] = (package / "PIL").glob("_imaging.*.so")
    abi = lambda_bundle.RUNTIME_VERSION.replace(".", "")
    assert f"cpython-{abi}" in pil_core.name and lambda_bundle.ARCH[settings.lambda_architecture] in pil_core.name

"""lambda/requirements.txt resolves to wheels for the Lambda runtime's Python and architecture.

PythonFunction bundles with pip inside the runtime's image at deploy time; a dependency with
no wheel there would fail only then. This asks PyPI the same question now.
"""

import json
import subprocess
import sys

from conftest import ROOT

from stacks.functions import RUNTIME
from stacks.settings import ARCHITECTURES, parse

# Amazon Linux 2023 (the python3.12+ runtimes) has glibc 2.34.
PLATFORMS = ["manylinux2014_{arch}", "manylinux_2_28_{arch}", "manylinux_2_34_{arch}"]
ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}


def test_function_requirements_have_wheels_for_the_lambda_runtime(tmp_path):
    settings = parse(json.loads((ROOT / "cdk.json").read_text())["context"]["qr"])
    assert settings.lambda_architecture in ARCHITECTURES
    version = RUNTIME.name.removeprefix("python")  # "3.14"
    abi = "cp" + version.replace(".", "")
    arch = ARCH[settings.lambda_architecture]
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--only-binary=:all:", "--target", str(tmp_path / "package"),
        "--python-version", version, "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none",
        *[arg for platform in PLATFORMS for arg in ("--platform", platform.format(arch=arch))],
        "-r", str(ROOT / "lambda" / "requirements.txt"),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    installed = {p.name.split("-")[0].lower() for p in (tmp_path / "package").glob("*.dist-info")}
    assert {"qrcode", "pillow", "aws_lambda_powertools"} <= installed, installed
    [pil_core] = (tmp_path / "package" / "PIL").glob("_imaging.*.so")
    assert f"cpython-{abi[2:]}" in pil_core.name and arch in pil_core.name

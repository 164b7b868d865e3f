"""Build what PythonFunction puts in a function's asset, without Docker, to check and to measure it.

The bundler copies `lambda/` and runs `pip install -r requirements.txt -t` inside the runtime's
image. Here the same two steps run with this machine's pip: for the host Python (to import and run
the handlers) or for the Lambda platform (to measure the real wheels' size).
"""

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from contract import LAMBDA_DIR, PYTHON_RUNTIME

# Amazon Linux 2023 (the python3.12+ runtimes) has glibc 2.34.
PLATFORMS = ("manylinux2014_{arch}", "manylinux_2_28_{arch}", "manylinux_2_34_{arch}")
ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}
RUNTIME_VERSION = PYTHON_RUNTIME.removeprefix("python")  # "3.14"
# What the Lambda Python runtime provides itself: boto3 and what it needs.
RUNTIME_PACKAGES = ("boto3",)


def index_problem() -> str | None:
    """Why pip cannot reach the package index, or None when it answers (a version lookup, not an install)."""
    command = [sys.executable, "-m", "pip", "index", "versions", "aws-lambda-powertools", "--disable-pip-version-check"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return "pip got no answer from the package index within 120 s"
    if result.returncode == 0:
        return None
    lines = [line for line in result.stderr.splitlines() if line.strip() and "WARNING" not in line]
    return lines[-1].strip() if lines else f"pip index versions exited with {result.returncode}"


def install(requirements: Path, target: Path, *pip_args: str) -> Path:
    """`pip install -r requirements --target target`, with pip's own output in the error when it fails."""
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--target", str(target), "-r", str(requirements), *pip_args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    if result.returncode != 0:
        raise PipError(f"pip install failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return target


class PipError(RuntimeError):
    """pip could not install the function requirements; the message ends with pip's own output."""


def platform_args(architecture: str) -> list[str]:
    """pip options that select wheels for the Lambda runtime's Python on `architecture` (x86_64 or arm64)."""
    abi = "cp" + RUNTIME_VERSION.replace(".", "")
    args = ["--only-binary=:all:", "--python-version", RUNTIME_VERSION, "--implementation", "cp"]
    args += ["--abi", abi, "--abi", "abi3", "--abi", "none"]
    for platform in PLATFORMS:
        args += ["--platform", platform.format(arch=ARCH[architecture])]
    return args


def build(target: Path, architecture: str | None = None) -> Path:
    """`lambda/` plus its requirements in `target`: for the host Python, or for Lambda on `architecture`."""
    shutil.copytree(LAMBDA_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return install(LAMBDA_DIR / "requirements.txt", target, *(platform_args(architecture) if architecture else ()))


def _distribution_closure(names: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions `names` need, following non-extra requirements."""
    seen: dict[str, metadata.Distribution] = {}
    pending = list(names)
    while pending:
        name = re.sub(r"[-_.]+", "-", pending.pop()).lower()
        if name in seen:
            continue
        dist = metadata.distribution(name)
        seen[name] = dist
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                name_part = re.match(r"[A-Za-z0-9_.-]+", requirement)
                if name_part:
                    pending.append(name_part.group(0))
    return list(seen.values())


def runtime_path(target: Path) -> Path:
    """A folder holding only what the Lambda runtime provides (boto3 and its dependencies), as links."""
    target.mkdir(parents=True, exist_ok=True)
    for dist in _distribution_closure(RUNTIME_PACKAGES):
        tops = {Path(str(f)).parts[0] for f in dist.files or []}
        for top in tops:
            if top.endswith((".dist-info", ".egg-info")) or top in ("..", "__pycache__", "bin"):
                continue
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source)
    return target


def sizes(folder: Path) -> tuple[int, int]:
    """(unzipped bytes, zipped bytes) of a folder, zipped with deflate as the CDK zips an asset."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    unzipped = sum(p.stat().st_size for p in files)
    archive = folder.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            zf.write(path, path.relative_to(folder))
    zipped = archive.stat().st_size
    archive.unlink()
    return unzipped, zipped


def package_sizes(folder: Path) -> dict[str, int]:
    """Unzipped bytes per top-level entry of a bundle, largest first."""
    totals = {}
    for entry in folder.iterdir():
        paths = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        totals[entry.name] = sum(p.stat().st_size for p in paths)
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def isolated_python() -> list[str]:
    """An interpreter that sees only the standard library until the caller puts folders on sys.path."""
    return [sys.executable, "-I", "-S"]

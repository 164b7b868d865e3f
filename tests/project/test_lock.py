"""The function's and the local run's requirements are locked: the whole closure, pinned, with hashes,
matching the short .in files; pip refuses a requirement without its hash."""

import re
import subprocess
import sys

import pytest
from support import ROOT
from support.aws import needs_package_index

pytestmark = pytest.mark.subprocess
LOCKS = [ROOT / "lambda" / "requirements.txt", ROOT / "local" / "requirements.txt"]


def pins(text: str) -> dict[str, str]:
    return {m[0].lower(): m[1] for m in re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s\\]+)", text, re.M)}


@pytest.mark.parametrize("lock", LOCKS, ids=["lambda", "local"])
def test_every_pin_has_hashes(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.read_text())
    requirements = [e for e in entries if re.match(r"[A-Za-z0-9_.-]+==", e)]
    assert len(requirements) >= 6
    for entry in requirements:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


@pytest.mark.parametrize("lock", LOCKS, ids=["lambda", "local"])
def test_the_lock_holds_the_versions_the_in_file_asks_for(lock):
    wanted = pins(lock.with_suffix(".in").read_text())
    locked = pins(lock.read_text())
    assert wanted and all(locked.get(name) == version for name, version in wanted.items()), (wanted, locked)


def test_the_local_lock_has_the_functions_versions():
    function, local = (pins(lock.read_text()) for lock in LOCKS)
    assert all(local[name] == version for name, version in function.items())


def test_pip_refuses_a_requirement_without_its_hash(tmp_path):
    needs_package_index()
    text = (ROOT / "lambda" / "requirements.txt").read_text()
    stripped = re.sub(r"qrcode==8\.2 \\\n(    --hash=\S+ \\?\n)+", "qrcode==8.2\n", text)
    assert stripped != text
    broken = tmp_path / "requirements.txt"
    broken.write_text(stripped)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--target",
            str(tmp_path / "t"),
            "-r",
            str(broken),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "hash" in result.stderr.lower(), result.stderr[-1500:]

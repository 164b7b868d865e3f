"""`python -m local.server` as a background process for the benchmarks and the screenshot tool."""

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def local_server(timeout: float = 60.0, admin_key: str | None = None) -> Iterator[str]:
    """Start the local server on a free loopback port and yield its base URL; stop it afterwards.

    Its output goes to a file, so a full pipe never stalls it. `admin_key`: the run's QR_ADMIN_KEY.
    """
    environment = {**os.environ, **({"QR_ADMIN_KEY": admin_key} if admin_key else {})}
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        command = [sys.executable, "-m", "local.server", "--port", "0"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)  # noqa: S603
        try:
            deadline = time.monotonic() + timeout
            while not (found := re.search(r"http://127\.0\.0\.1:\d+", Path(log.name).read_text())):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the local server did not start:\n{Path(log.name).read_text()[-2000:]}")
                time.sleep(0.05)
            yield found.group(0)
        finally:
            process.terminate()
            process.wait(timeout=15)

"""Which Chromium the browser tests and the screenshot tool drive: Playwright's own when it is
installed, otherwise a chromium or chrome on PATH; None when there is none."""

import shutil
from functools import cache
from pathlib import Path

# Headless, as root, on a machine that may have no outside network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ON_PATH = ("chromium", "chromium-browser", "google-chrome", "chrome")
HOW_TO_GET_ONE = (
    "no Chromium found: install Playwright's with `.venv/bin/python -m playwright install chromium`, "
    "or the OS package (Debian: `apt-get install chromium`)"
)


@cache
def chromium() -> str | None:
    """The executable to launch."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.executable_path
        if own and Path(own).exists():
            return own
    except Exception:  # noqa: S110 - no Playwright browser is not an error: look on PATH
        pass
    for name in ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    return None

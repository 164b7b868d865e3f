"""The browser tests find a Chromium wherever one is, and say how to get one when there is none."""

import os
import subprocess
import sys
import types

import pytest
from support import ROOT

from tools import browser

pytestmark = pytest.mark.subprocess


def test_a_chromium_on_path_is_used_when_playwright_has_none(monkeypatch):
    browser.chromium.cache_clear()
    monkeypatch.setattr(browser, "Path", lambda _: types.SimpleNamespace(exists=lambda: False))
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/opt/{name}" if name == "google-chrome" else None)
    try:
        assert browser.chromium() == "/opt/google-chrome"
    finally:
        browser.chromium.cache_clear()


def test_none_at_all_is_none(monkeypatch):
    browser.chromium.cache_clear()
    monkeypatch.setattr(browser, "Path", lambda _: types.SimpleNamespace(exists=lambda: False))
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    try:
        assert browser.chromium() is None
    finally:
        browser.chromium.cache_clear()


def _browser_test_without_a_browser(ci: str) -> subprocess.CompletedProcess:
    """One browser test in a process whose PATH holds only the virtualenv (no chromium, no Playwright browser)."""
    env = {**os.environ, "PATH": str(ROOT / ".venv" / "bin"), "CI": ci, "PLAYWRIGHT_BROWSERS_PATH": "/nonexistent"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rs",
        "tests/browser/test_page_in_browser.py",
    ]
    return subprocess.run(
        [*command, "-k", "typing_a_url and phone"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_without_a_browser_the_tests_skip_and_say_how_to_get_one():
    result = _browser_test_without_a_browser(ci="")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 skipped" in result.stdout and "playwright install chromium" in result.stdout


def test_without_a_browser_ci_fails_and_says_so():
    result = _browser_test_without_a_browser(ci="true")
    assert result.returncode != 0
    assert "CI needs the browser tests" in result.stdout

"""Every relative link in the README and in docs/ resolves: the file exists, and so does the heading an
anchor names."""

import re
from pathlib import Path

import pytest
from support import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.*)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def relative_links(page: Path) -> list[str]:
    return [t for t in LINK.findall(page.read_text(encoding="utf-8")) if not re.match(r"^(https?:|mailto:)", t)]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_resolves(page):
    links = relative_links(page)
    assert links, "every page links somewhere"
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} points at nothing"
        if anchor:
            assert anchor in anchors(target), f"{page.name}: {link}: no such heading in {target.name}"


def test_the_check_can_fail(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n[gone](missing.md) [here](#title) [there](#nowhere)\n")
    assert relative_links(page) == ["missing.md", "#title", "#nowhere"]
    assert not (tmp_path / "missing.md").exists() and "nowhere" not in anchors(page) and "title" in anchors(page)


def test_the_readme_stays_a_front_door():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, len(lines)

"""The site's files, listed once: the page (website/), config.json (where the API is, and the request's
limits) and the OpenAPI document naming its server. stacks/site.py writes them
into the site bucket; local/edge.py serves them.
"""

from pathlib import Path

from contract import gateway, openapi
from contract.settings import Settings

WEBSITE_DIR = Path(__file__).resolve().parent.parent / "website"
PAGE_FILES = ("index.html", "app.js", "style.css", "favicon.svg")
INDEX = "index.html"


def site_files(api_url: str, server_description: str, settings: Settings) -> dict[str, str | dict[str, object]]:
    """Each file by its key in the site bucket: text, or a JSON object (the stack writes those with its
    tokens resolved). `api_url` is where the page and the document's server find the API; of `settings`,
    qr.allowed_hosts (the page checks a link against them before it asks) and qr.access (the page asks for
    a key, and the document marks /qr as needing one)."""
    files: dict[str, str | dict[str, object]] = {
        name: (WEBSITE_DIR / name).read_text(encoding="utf-8") for name in PAGE_FILES
    }
    files["config.json"] = gateway.page_config(api_url, settings.allowed_hosts, settings.access)
    document = openapi.for_access(openapi.document(), settings.access)
    document["servers"] = [{"url": api_url, "description": server_description}]
    files["openapi.json"] = document
    return files

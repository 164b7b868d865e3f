"""CloudFront's stand-in: the page with its headers, config.json, the OpenAPI document naming this
server, and the images from the emulated bucket. Anything else is a JSON 404; files are read-only."""

import json
import mimetypes
from pathlib import Path

from local.gateway import Answer, error
from local.service import LocalService
from stacks import contract
from stacks.page_policy import content_security_policy, image_headers

WEBSITE = Path(__file__).resolve().parent.parent / "website"
STATIC = {
    "/": "index.html",
    "/index.html": "index.html",
    "/app.js": "app.js",
    "/style.css": "style.css",
    "/favicon.svg": "favicon.svg",
}
READ_METHODS = ("GET", "HEAD")
IMAGE_PREFIX = contract.API_PATH + "/"


def serves(path: str) -> bool:
    return path.startswith(IMAGE_PREFIX) or path in ("/config.json", "/openapi.json", contract.NOT_FOUND_PAGE, *STATIC)


def answer(service: LocalService, method: str, path: str) -> Answer:
    origin = service.origin
    if not serves(path):
        return error(404, contract.no_such_file(), origin)
    if method not in READ_METHODS:
        message = f"{method} is not allowed here: this is a file, read it with GET."
        return error(405, json.dumps({"message": message}), origin, READ_METHODS)
    if path.startswith(IMAGE_PREFIX):
        found = service.image(path[1:])
        if found is None:
            return error(404, contract.no_such_file(), origin)
        body, stored = found
        return Answer(200, {**stored, **image_headers()}, body)
    if path == "/config.json":
        config = json.dumps(contract.page_config(origin)).encode()
        return Answer(200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, config)
    if path == contract.NOT_FOUND_PAGE:  # the object the distribution's 404 answers are made of
        return Answer(200, {"Content-Type": "application/json"}, contract.no_such_file().encode())
    if path == "/openapi.json":
        document = json.loads((WEBSITE / "openapi.json").read_text(encoding="utf-8"))
        document["servers"] = [{"url": origin, "description": "make run"}]
        return Answer(200, {"Content-Type": "application/json"}, json.dumps(document).encode())
    file = WEBSITE / STATIC[path]
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = {
        "Content-Type": f"{content_type}; charset=utf-8",
        # The deployed page's CSP, from the same definition.
        "Content-Security-Policy": content_security_policy(api_origin=origin, image_origin=origin),
        "X-Content-Type-Options": "nosniff",
    }
    return Answer(200, headers, file.read_bytes())
